package org.measureflow.ot;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The entropic regularisation \( \varepsilon > 0 \) of an entropic solver (survey &sect;4,
 * \( \min_P \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a \otimes b) \)), given either absolutely, in the
 * units of the cost, or relative to the data: \( \varepsilon = \mathrm{fraction} \times \bar C \), with
 * \( \bar C = \sum_{ij} a_i b_j C_{ij} \) the mean cost under the independent coupling (OTT-JAX's default
 * convention, with fraction 0.05). There is no default epsilon: an absolute value has no scale-free default, and a
 * relative one is a choice the caller states.
 *
 * <p>For point clouds and the squared Euclidean cost the mean cost is exact and cheap:
 * \( \bar C = \mathrm{tr}\,\Sigma_x + \mathrm{tr}\,\Sigma_y + |\bar x - \bar y|^2 \), with the weighted means and
 * covariances of the clouds (\( O((n+m)d) \)); for a dense cost it is one pass over the matrix. A solver's result
 * reports the absolute value it used.
 */
public final class Epsilon {
    private final double value;
    private final boolean relative;

    private Epsilon(double value, boolean relative) {
        this.value = value;
        this.relative = relative;
    }

    /**
     * An absolute epsilon, in the units of the cost.
     *
     * @param epsilon finite and {@code > 0}
     * @return the epsilon
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static Epsilon absolute(double epsilon) {
        return new Epsilon(Arguments.positive("epsilon", epsilon), false);
    }

    /**
     * An epsilon relative to the data: \( \varepsilon = \mathrm{fraction} \times \bar C \), the mean cost under
     * \( a \otimes b \) (OTT-JAX uses 0.05).
     *
     * @param fraction finite and {@code > 0}
     * @return the epsilon
     * @throws IllegalArgumentException if {@code fraction} is not finite and positive
     */
    public static Epsilon relativeToMeanCost(double fraction) {
        return new Epsilon(Arguments.positive("fraction", fraction), true);
    }

    /** Whether this epsilon is relative to the mean cost. */
    public boolean isRelative() {
        return relative;
    }

    /** The absolute epsilon, or the fraction of the mean cost when {@link #isRelative()}. */
    public double value() {
        return value;
    }

    /**
     * The absolute epsilon for a problem whose mean cost under \( a \otimes b \) is {@code meanCost}.
     *
     * @param meanCost \( \bar C \), finite and {@code > 0} (only read when relative)
     * @return \( \varepsilon \)
     * @throws IllegalArgumentException if this epsilon is relative and {@code meanCost} is not finite and positive
     *                                  (all costs are zero, so there is no scale to be relative to)
     */
    public double resolve(double meanCost) {
        if (!relative) {
            return value;
        }
        double eps = value * Arguments.positive("meanCost", meanCost);
        return Arguments.positive("epsilon (fraction * meanCost)", eps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Epsilon e && e.value == value && e.relative == relative;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value) * 31 + (relative ? 1 : 0);
    }

    /** {@code "0.05"}, or {@code "0.05 x mean cost"}. */
    @Override
    public String toString() {
        return relative ? TextSummary.number(value) + " x mean cost" : TextSummary.number(value);
    }
}
