package org.measureflow.ot;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The entropic regularisation \( \varepsilon > 0 \) of an entropic solver (survey &sect;4,
 * \( \min_P \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a \otimes b) \)), given either absolutely, in the
 * units of the cost, or relative to the data: \( \varepsilon = \mathrm{fraction} \times \bar C \), with
 * \( \bar C = \sum_{ij} a_i b_j C_{ij} \) the mean cost under the independent coupling (close to OTT-JAX's
 * relative epsilon, which by default takes 0.05 times the standard deviation of the cost entries and, with
 * {@code relative_epsilon="mean"}, their unweighted mean; see docs/conventions.md). There is no default epsilon: an absolute value has no scale-free default, and a
 * relative one is a choice the caller states.
 *
 * <p>For point clouds and the squared Euclidean cost the mean cost is exact and cheap:
 * \( \bar C = \mathrm{tr}\,\Sigma_x + \mathrm{tr}\,\Sigma_y + |\bar x - \bar y|^2 \), with the weighted means and
 * covariances of the clouds (\( O((n+m)d) \)); for a dense cost it is one pass over the matrix. A solver's result
 * reports the absolute value it used. {@link #resolve(CostMatrix, double[], double[])} and
 * {@link #resolve(ParticleMeasure, ParticleMeasure)} give that value for a problem.
 *
 * <p>An immutable value, made by {@link #absolute(double)} or {@link #relativeToMeanCost(double)}; there are no
 * defaults.
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
     * \( a \otimes b \) (a fraction of 0.05 is a common choice).
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

    /**
     * The absolute epsilon for a dense problem: \( \varepsilon \) itself when absolute, otherwise
     * \( \mathrm{fraction} \times \sum_{ij} a_i b_j C_{ij} \) (one pass over the matrix, only when relative).
     *
     * @param c the {@code n x m} cost
     * @param a the source weights, length {@code n}, summing to 1
     * @param b the target weights, length {@code m}, summing to 1
     * @return \( \varepsilon \)
     * @throws IllegalArgumentException if an argument is null or of the wrong length (always checked), or if this
     *                                  epsilon is relative and the mean cost is not finite and positive
     */
    public double resolve(CostMatrix c, double[] a, double[] b) {
        Arguments.notNull("c", c);
        Arguments.notNull("a", a);
        Arguments.notNull("b", b);
        Arguments.length("a", a.length, c.rows());
        Arguments.length("b", b.length, c.cols());
        return relative ? resolve(meanCost(c, a, b)) : value;
    }

    /**
     * The absolute epsilon for two point clouds and the squared Euclidean cost \( |x - y|^2 \) (not halved):
     * \( \varepsilon \) itself when absolute, otherwise \( \mathrm{fraction} \times \bar C \) with the mean cost
     * under the product of the clouds' weights,
     * \[ \bar C = \sum_{ij} a_i b_j |x_i - y_j|^2 = \mathrm{tr}\,\Sigma_x + \mathrm{tr}\,\Sigma_y
     *    + |\bar x - \bar y|^2, \]
     * computed from the weighted means and covariances in \( O((n+m)d) \) (no {@code n x m} pass).
     *
     * @param x the source cloud
     * @param y the target cloud, same dimension
     * @return \( \varepsilon \)
     * @throws IllegalArgumentException if a cloud is null or the dimensions differ (always checked), or if this
     *                                  epsilon is relative and the mean cost is not positive (all points equal)
     */
    public double resolve(ParticleMeasure x, ParticleMeasure y) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.sameDimension("y", y.dimension(), x.dimension(), "x");
        return relative ? resolve(meanSquaredDistance(x, y)) : value;
    }

    /** \( \sum_{ij} a_i b_j C_{ij} \), one pass over the matrix (rows in order, each row summed in order). */
    static double meanCost(CostMatrix c, double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < c.rows(); i++) {
            double row = 0;
            for (int j = 0; j < c.cols(); j++) {
                row += b[j] * c.get(i, j);
            }
            s += a[i] * row;
        }
        return s;
    }

    /**
     * \( \sum_{ij} a_i b_j |x_i - y_j|^2 = \mathrm{tr}\,\Sigma_x + \mathrm{tr}\,\Sigma_y + |\bar x - \bar y|^2 \) for
     * the weighted means and covariances (the measures' own, not unbiased estimates) of two clouds.
     */
    static double meanSquaredDistance(ParticleMeasure x, ParticleMeasure y) {
        double[] mx = x.mean();
        double[] my = y.mean();
        double s = 0;
        for (int k = 0; k < mx.length; k++) {
            s += (mx[k] - my[k]) * (mx[k] - my[k]);
        }
        DMatrixRMaj cx = x.covariance();
        DMatrixRMaj cy = y.covariance();
        for (int k = 0; k < mx.length; k++) {
            s += cx.get(k, k) + cy.get(k, k);
        }
        return s;
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
