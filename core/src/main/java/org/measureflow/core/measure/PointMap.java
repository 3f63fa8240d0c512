package org.measureflow.core.measure;

/**
 * A map \( T : \mathbb{R}^d \to \mathbb{R}^{d'} \) applied point by point, for push-forwards
 * \( T_\sharp \mu = \sum_i w_i \delta_{T(x_i)} \) (survey, after eq. 1). Reads
 * {@code x[xOffset .. xOffset + d - 1]}, writes {@code out[outOffset .. outOffset + d' - 1]}; must be thread-safe
 * and must not write to {@code x}.
 */
@FunctionalInterface
public interface PointMap {
    /** Writes \( T(x) \) into {@code out}. */
    void apply(double[] x, int xOffset, double[] out, int outOffset);
}
