package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Free-support Wasserstein barycenters of point clouds (Cuturi, Doucet 2014, "Fast computation of Wasserstein
 * barycenters"; survey &sect;4, eq. 10 with \( c = |x-y|^2 \)): for measures \( \mu_k \) and weights
 * \( \lambda \in \Sigma_K \), the barycenter \( \bar\mu = \sum_i w_i\delta_{x_i} \) with fixed weights \( w \) and
 * free points \( X \) minimises
 * \[ F(X) = \sum_k \lambda_k W_2^2\Bigl(\sum_i w_i\delta_{x_i}, \mu_k\Bigr). \]
 * Each iteration computes optimal plans \( P_k \) from \( \bar\mu \) to \( \mu_k \) (exact, by {@link NetworkSimplex},
 * or entropic, by {@link SinkhornSolver}) and moves every point to the weighted average of its barycentric
 * images,
 * \[ x_i \leftarrow \sum_k \lambda_k T_k(x_i), \qquad T_k(x_i) = \frac{\sum_j (P_k)_{ij} y^k_j}{\sum_j (P_k)_{ij}}, \]
 * the exact minimiser of the quadratic \( \sum_k\lambda_k\sum_{ij}(P_k)_{ij}|x_i - y^k_j|^2 \) that majorises
 * \( F \) with the plans fixed; with exact plans \( F \) therefore never increases. The mean of \( \bar\mu \) is
 * \( \sum_k\lambda_k \mathrm{mean}(\mu_k) \) after the first iteration. Stops when the displacement
 * \( (\sum_i w_i |x_i^{new} - x_i|^2)^{1/2} \) falls below the tolerance.
 */
public final class FreeSupportBarycenter {
    private final Options options;

    private FreeSupportBarycenter(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}). */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** The solver with the given options. */
    public static FreeSupportBarycenter of(Options options) {
        return new FreeSupportBarycenter(Arguments.notNull("options", options));
    }

    /** The solver with the default options. */
    public static FreeSupportBarycenter withDefaults() {
        return new FreeSupportBarycenter(Options.DEFAULTS);
    }

    /**
     * The outcome of {@link #solve}.
     *
     * @param barycenter   the barycenter \( \sum_i w_i\delta_{x_i} \) (the initial weights, the final points)
     * @param cost         \( \sum_k\lambda_k \langle C_k, P_k\rangle \) for the plans of the last iteration, that
     *                     is \( F \) at the points before the last update (exact plans), an upper bound of \( F \)
     *                     at the returned points
     * @param iterations   iterations done (plan computations per measure)
     * @param displacement the last displacement \( (\sum_i w_i |x_i^{new}-x_i|^2)^{1/2} \)
     * @param converged    whether {@code displacement <= tolerance} within the iteration budget
     */
    public record Result(ParticleMeasure barycenter, double cost, int iterations, double displacement,
            boolean converged) {
    }

    /**
     * Runs the fixed-point iteration from {@code initial} (its points and weights; the weights stay fixed).
     *
     * @param measures the \( \mu_k \), all of the dimension of {@code initial}
     * @param lambda   weights \( \lambda \in\Sigma_K \)
     * @param initial  the starting support and weights of the barycenter
     * @throws IllegalArgumentException naming the offending argument
     */
    public Result solve(ParticleMeasure[] measures, double[] lambda, ParticleMeasure initial) {
        Arguments.notNull("measures", measures);
        Arguments.notNull("initial", initial);
        int count = measures.length;
        if (count == 0) {
            throw new IllegalArgumentException("measures must not be empty");
        }
        Histograms.requireProbability("lambda", lambda, count);
        int d = initial.dimension();
        for (int k = 0; k < count; k++) {
            Arguments.notNull("measures[" + k + "]", measures[k]);
            if (measures[k].dimension() != d) {
                throw new IllegalArgumentException("measures[" + k + "] has dimension " + measures[k].dimension()
                        + ", expected " + d + " (the dimension of initial)");
            }
        }
        int n = initial.size();
        double[] w = initial.weights();
        double[] points = initial.flatPoints();
        double[] next = new double[n * d];
        double[][] ys = new double[count][];
        for (int k = 0; k < count; k++) {
            ys[k] = measures[k].flatPoints();
        }
        NetworkSimplex exact = NetworkSimplex.withDefaults();
        SinkhornSolver entropic = options.sinkhorn;
        double[] acc = new double[n * d];
        double[] rowMass = new double[n];
        int iterations = 0;
        double displacement = Double.POSITIVE_INFINITY;
        double cost = Double.NaN;
        ParticleMeasure current = initial;
        while (iterations < options.maxIterations) {
            iterations++;
            java.util.Arrays.fill(next, 0.0);
            cost = 0;
            for (int k = 0; k < count; k++) {
                double lk = lambda[k];
                double[] y = ys[k];
                double[] images;
                if (entropic == null) {
                    ExactOtResult r = exact.solve(current, measures[k]);
                    cost += lk * r.cost();
                    SparsePlan plan = r.plan();
                    java.util.Arrays.fill(acc, 0.0);
                    java.util.Arrays.fill(rowMass, 0.0);
                    for (int e = 0; e < plan.size(); e++) {
                        int i = plan.row(e);
                        int j = plan.col(e);
                        double mass = plan.mass(e);
                        rowMass[i] += mass;
                        for (int q = 0; q < d; q++) {
                            acc[i * d + q] += mass * y[j * d + q];
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        for (int q = 0; q < d; q++) {
                            // an atom of weight zero carries no mass: it stays where it is
                            acc[i * d + q] = rowMass[i] > 0 ? acc[i * d + q] / rowMass[i] : points[i * d + q];
                        }
                    }
                    images = acc;
                } else {
                    SinkhornResult r = entropic.solve(current, measures[k]);
                    cost += lk * r.cost();
                    images = r.plan().barycentricMap();
                }
                for (int t = 0; t < n * d; t++) {
                    next[t] += lk * images[t];
                }
            }
            double moved = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double diff = next[i * d + q] - points[i * d + q];
                    s += diff * diff;
                }
                moved += w[i] * s;
            }
            displacement = Math.sqrt(moved);
            System.arraycopy(next, 0, points, 0, n * d);
            current = ParticleMeasure.fromFlat(points, d, w);
            if (displacement <= options.tolerance) {
                break;
            }
        }
        return new Result(current, cost, iterations, displacement, displacement <= options.tolerance);
    }

    /**
     * Immutable configuration of {@link FreeSupportBarycenter}. Defaults: {@code tolerance = 1e-9} on the displacement,
     * {@code maxIterations = 100}, exact plans ({@link NetworkSimplex}); {@link #entropic(SinkhornSolver.Options)}
     * switches to Sinkhorn plans and their barycentric maps.
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        double tolerance = 1e-9;
        int maxIterations = 100;
        SinkhornSolver sinkhorn;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.sinkhorn = sinkhorn;
            return o;
        }

        /** The displacement \( (\sum_i w_i|\Delta x_i|^2)^{1/2} \) at which to stop, {@code > 0}. */
        public Options tolerance(double tolerance) {
            Options o = copy();
            o.tolerance = Arguments.positive("tolerance", tolerance);
            return o;
        }

        /** The iteration budget, {@code > 0}. */
        public Options maxIterations(int maxIterations) {
            Options o = copy();
            o.maxIterations = Arguments.positive("maxIterations", maxIterations);
            return o;
        }

        /** Exact plans by {@link NetworkSimplex} (the default). */
        public Options exact() {
            Options o = copy();
            o.sinkhorn = null;
            return o;
        }

        /** Entropic plans by {@link SinkhornSolver} with the given options (point clouds, cost on the fly). */
        public Options entropic(SinkhornSolver sinkhorn) {
            Options o = copy();
            o.sinkhorn = Arguments.notNull("sinkhorn", sinkhorn);
            return o;
        }

        /** A solver with these options. */
        public FreeSupportBarycenter solver() {
            return new FreeSupportBarycenter(this);
        }

        /** The displacement tolerance. */
        public double tolerance() {
            return tolerance;
        }

        /** The iteration budget. */
        public int maxIterations() {
            return maxIterations;
        }

        /** Whether plans are exact ({@code true}) or entropic. */
        public boolean isExact() {
            return sinkhorn == null;
        }

        @Override
        public String toString() {
            return "FreeSupportBarycenter.Options[tolerance=" + tolerance + ", maxIterations=" + maxIterations
                    + ", plans=" + (sinkhorn == null ? "exact" : sinkhorn.toString()) + "]";
        }
    }
}
