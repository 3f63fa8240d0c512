package org.measureflow.ot;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * A ground cost \( c(x, y) = |x - y|^p \) on \( \mathbb{R}^d \) (Euclidean norm), the cost of the Kantorovich
 * problem \( \min_{P \in U(a,b)} \langle C, P \rangle \) (survey eq. 10) whose value is \( W_p^p \). The default is
 * the squared Euclidean distance \( |x-y|^2 \), not halved (docs/conventions.md).
 *
 * <p>Immutable value; {@link #matrix(ParticleMeasure, ParticleMeasure)} builds the dense {@link CostMatrix}.
 */
public final class GroundCost {
    private static final GroundCost SQUARED_EUCLIDEAN = new GroundCost(2.0);

    private final double p;

    private GroundCost(double p) {
        this.p = p;
    }

    /** \( c(x,y) = |x-y|^2 \) (not halved): the default ground cost, whose transport cost is \( W_2^2 \). */
    public static GroundCost squaredEuclidean() {
        return SQUARED_EUCLIDEAN;
    }

    /**
     * \( c(x,y) = |x-y|^p \), whose transport cost is \( W_p^p \).
     *
     * @param p exponent, finite and {@code > 0}
     * @throws IllegalArgumentException if {@code p} is not finite and positive
     */
    public static GroundCost euclideanPower(double p) {
        Arguments.positive("p", p);
        return p == 2.0 ? SQUARED_EUCLIDEAN : new GroundCost(p);
    }

    /** The exponent \( p \) of \( |x-y|^p \). */
    public double exponent() {
        return p;
    }

    /**
     * The cost matrix \( C_{ij} = |x_i - y_j|^p \) between the atoms of two measures of the same dimension.
     *
     * @throws IllegalArgumentException if a measure is null or the dimensions differ
     */
    public CostMatrix matrix(ParticleMeasure x, ParticleMeasure y) {
        return CostMatrix.euclideanPower(x, y, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroundCost other && Double.compare(other.p, p) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p);
    }

    @Override
    public String toString() {
        return p == 2.0 ? "GroundCost[|x-y|^2]" : "GroundCost[|x-y|^" + p + "]";
    }
}
