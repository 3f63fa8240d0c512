package org.measureflow.ot.dynamic;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;

/**
 * McCann's displacement interpolation between two discrete measures (survey eq. 12): for an optimal plan \( P \) of
 * \( \mu = \sum_i a_i\delta_{x_i} \) and \( \nu = \sum_j b_j \delta_{y_j} \) for the cost \( |x-y|^2 \),
 * \[ \mu_t = \sum_{ij} P_{ij}\, \delta_{(1-t)x_i + t y_j}, \qquad t \in [0,1], \]
 * the \( W_2 \) geodesic from \( \mu_0 = \mu \) to \( \mu_1 = \nu \): it has constant speed,
 * \( W_2(\mu_s, \mu_t) = |t - s|\, W_2(\mu, \nu) \), and the plan \( (x_i, y_j) \mapsto ((1-s)x_i + s y_j,
 * (1-t)x_i + t y_j) \) is optimal between any two of its times. The atoms of \( \mu_t \) are the non-zero entries of
 * \( P \) (at most \( n + m - 1 \) for a basic plan such as {@link NetworkSimplex}'s).
 *
 * <p>Immutable; made once per pair (the plan is solved or given once), then {@link #at(double)} is \( O(Kd) \) for
 * \( K \) plan entries.
 */
public final class DisplacementInterpolation {
    private final double[] xs; // K x d, the source point of each entry
    private final double[] ys; // K x d, the target point of each entry
    private final double[] mass;
    private final int d;
    private final double cost;

    private DisplacementInterpolation(double[] xs, double[] ys, double[] mass, int d, double cost) {
        this.xs = xs;
        this.ys = ys;
        this.mass = mass;
        this.d = d;
        this.cost = cost;
    }

    /**
     * The interpolation along the exact optimal plan for \( |x-y|^2 \), solved by
     * {@link NetworkSimplex#withDefaults()}.
     *
     * @throws IllegalArgumentException if a measure is null or the dimensions differ
     */
    public static DisplacementInterpolation between(ParticleMeasure x, ParticleMeasure y) {
        return between(x, y, NetworkSimplex.withDefaults());
    }

    /**
     * The interpolation along the plan that {@code simplex} finds for \( |x-y|^2 \): the optimal plan, unless the
     * solver's pivot limit stops it first (then the path is not a geodesic; see {@link #of}).
     *
     * @throws IllegalArgumentException if an argument is null or the dimensions differ
     */
    public static DisplacementInterpolation between(ParticleMeasure x, ParticleMeasure y, NetworkSimplex simplex) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("simplex", simplex);
        Arguments.sameDimension("y", y.dimension(), x.dimension(), "x");
        return of(x, y, simplex.solve(x, y).plan());
    }

    /**
     * The interpolation \( \sum_{ij} P_{ij}\delta_{(1-t)x_i + t y_j} \) along a given plan (optimal or not: for a
     * plan that is not optimal the path is not a geodesic).
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, the plan's shape does not
     *                                  match the measures, or it has no mass
     */
    public static DisplacementInterpolation of(ParticleMeasure x, ParticleMeasure y, SparsePlan plan) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("plan", plan);
        Arguments.sameDimension("y", y.dimension(), x.dimension(), "x");
        Arguments.length("plan (sourceSize)", plan.sourceSize(), x.size());
        Arguments.length("plan (targetSize)", plan.targetSize(), y.size());
        int d = x.dimension();
        int count = 0;
        for (int k = 0; k < plan.size(); k++) {
            if (plan.mass(k) > 0) {
                count++;
            }
        }
        Arguments.positive("plan (entries of positive mass)", count);
        int size = Arguments.product("plan (entries * d)", count, d);
        double[] xs = new double[size];
        double[] ys = new double[size];
        double[] mass = new double[count];
        double cost = 0;
        double total = 0;
        int e = 0;
        for (int k = 0; k < plan.size(); k++) {
            double w = plan.mass(k);
            if (!(w > 0)) {
                continue;
            }
            x.copyPoint(plan.row(k), xs, e * d);
            y.copyPoint(plan.col(k), ys, e * d);
            double c = 0;
            for (int q = 0; q < d; q++) {
                double diff = xs[e * d + q] - ys[e * d + q];
                c += diff * diff;
            }
            cost += w * c;
            total += w;
            mass[e++] = w;
        }
        return new DisplacementInterpolation(xs, ys, mass, d, cost / total);
    }

    /**
     * The measure \( \mu_t = \sum_{ij} P_{ij}\delta_{(1-t)x_i + t y_j} \) (weights normalised to sum 1).
     *
     * @throws IllegalArgumentException unless \( t \in [0, 1] \)
     */
    public ParticleMeasure at(double t) {
        Arguments.inRange("t", t, 0, 1);
        double[] flat = new double[xs.length];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = (1 - t) * xs[k] + t * ys[k];
        }
        return ParticleMeasure.fromFlat(flat, d, mass);
    }

    /**
     * The plan's transport cost \( \sum_{ij} P_{ij}|x_i - y_j|^2 / \sum_{ij} P_{ij} \), that is \( W_2^2(\mu,\nu) \)
     * for an optimal plan; the kinetic energy \( \int_0^1 |\dot\mu_t|^2 dt \) of the path (survey eq. 11).
     */
    public double cost() {
        return cost;
    }

    /** Number of atoms \( K \) of every \( \mu_t \) (the plan's non-zero entries). */
    public int size() {
        return mass.length;
    }

    /** Dimension \( d \). */
    public int dimension() {
        return d;
    }

    /** One line: the number of atoms, the dimension and the cost. */
    @Override
    public String toString() {
        return "DisplacementInterpolation[atoms=" + mass.length + ", d=" + d + ", cost=" + TextSummary.number(cost)
                + "]";
    }
}
