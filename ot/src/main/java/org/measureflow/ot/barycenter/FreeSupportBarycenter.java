package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.LogDomainGibbsKernel;
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
 * \( (\sum_i w_i |x_i^{new} - x_i|^2)^{1/2} \) falls below the tolerance (the
 * {@link FreeSupportBarycenterResult#error()}); an {@link IterationObserver} sees it after every iteration.
 *
 * <p>Made by {@link #withDefaults()} (exact plans by {@code NetworkSimplex.withDefaults()}),
 * {@link #exact(NetworkSimplex)} or {@link #entropic(SinkhornSolver)}: the inner solver is a configured object, used
 * as given (its epsilon, tolerance and iteration budget apply to every plan). Defaults of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9} on the displacement (in the units of the points);</li>
 * <li>{@code maxIterations = 100}.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class FreeSupportBarycenter {
    private final double tolerance;
    private final long maxIterations;
    private final NetworkSimplex networkSimplex;
    private final SinkhornSolver sinkhorn;

    private FreeSupportBarycenter(double tolerance, long maxIterations, NetworkSimplex networkSimplex,
            SinkhornSolver sinkhorn) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.networkSimplex = networkSimplex;
        this.sinkhorn = sinkhorn;
    }

    /**
     * The solver with exact plans by {@code NetworkSimplex.withDefaults()} and the defaults of the class
     * documentation.
     *
     * @return the solver
     */
    public static FreeSupportBarycenter withDefaults() {
        return exact(NetworkSimplex.withDefaults());
    }

    /**
     * The solver with exact plans by the given network simplex.
     *
     * @param networkSimplex the configured exact solver of every plan
     * @return the solver
     * @throws IllegalArgumentException if {@code networkSimplex} is null
     */
    public static FreeSupportBarycenter exact(NetworkSimplex networkSimplex) {
        return new FreeSupportBarycenter(1e-9, 100, Arguments.notNull("networkSimplex", networkSimplex), null);
    }

    /**
     * The solver with entropic plans by the given Sinkhorn solver (point clouds, cost on the fly) and their
     * barycentric maps.
     *
     * @param sinkhorn the configured Sinkhorn solver of every plan
     * @return the solver
     * @throws IllegalArgumentException if {@code sinkhorn} is null
     */
    public static FreeSupportBarycenter entropic(SinkhornSolver sinkhorn) {
        return new FreeSupportBarycenter(1e-9, 100, null, Arguments.notNull("sinkhorn", sinkhorn));
    }

    /**
     * This solver with another tolerance on the displacement \( (\sum_i w_i|\Delta x_i|^2)^{1/2} \).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public FreeSupportBarycenter withTolerance(double tolerance) {
        return new FreeSupportBarycenter(Arguments.positive("tolerance", tolerance), maxIterations, networkSimplex,
                sinkhorn);
    }

    /**
     * This solver with another iteration budget.
     *
     * @param maxIterations {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public FreeSupportBarycenter withMaxIterations(long maxIterations) {
        return new FreeSupportBarycenter(tolerance, Arguments.positive("maxIterations", maxIterations),
                networkSimplex, sinkhorn);
    }

    /** The displacement tolerance. */
    public double tolerance() {
        return tolerance;
    }

    /** The iteration budget. */
    public long maxIterations() {
        return maxIterations;
    }

    /** The exact solver of the plans, or {@code null} when the plans are entropic. */
    public NetworkSimplex networkSimplex() {
        return networkSimplex;
    }

    /** The Sinkhorn solver of the plans, or {@code null} when the plans are exact. */
    public SinkhornSolver sinkhorn() {
        return sinkhorn;
    }

    /**
     * Runs the fixed-point iteration from {@code initial} (its points and weights; the weights stay fixed).
     *
     * @param measures the \( \mu_k \), all of the dimension of {@code initial}
     * @param lambda   weights \( \lambda \in\Sigma_K \)
     * @param initial  the starting support and weights of the barycenter
     * @return the barycenter, the cost of the last plans and how the iteration ended
     * @throws IllegalArgumentException naming the offending argument, or naming {@code measures} if the points are so
     *                                  far apart that squared distances overflow double precision
     */
    public FreeSupportBarycenterResult solve(ParticleMeasure[] measures, double[] lambda, ParticleMeasure initial) {
        return solve(measures, lambda, initial, IterationObserver.none());
    }

    /**
     * {@link #solve(ParticleMeasure[], double[], ParticleMeasure)} watched by an observer, called after every
     * iteration with the iteration count and the displacement; returning {@code false} stops the iteration.
     *
     * @throws IllegalArgumentException as {@link #solve(ParticleMeasure[], double[], ParticleMeasure)}, or if
     *                                  {@code observer} is null
     */
    public FreeSupportBarycenterResult solve(ParticleMeasure[] measures, double[] lambda, ParticleMeasure initial,
            IterationObserver observer) {
        Arguments.nonEmpty("measures", measures);
        Arguments.notNull("initial", initial);
        int count = measures.length;
        Arguments.probabilityVector("lambda", lambda, count);
        Arguments.noNulls("measures", measures);
        Arguments.notNull("observer", observer);
        int d = initial.dimension();
        for (int k = 0; k < count; k++) {
            Arguments.sameDimension("measures[" + k + "]", measures[k].dimension(), d, "initial");
        }
        ParticleMeasure[] clouds = java.util.Arrays.copyOf(measures, count + 1);
        clouds[count] = initial;
        double bound = CostMatrix.costBound(2.0, clouds);
        if (!(bound <= LogDomainGibbsKernel.LARGEST_MAGNITUDE)) {
            // the iterates stay in the bounding box of the measures and the start: if that box's squared diameter is
            // within what the inner solvers accept, so is every cost of every solve
            throw new IllegalArgumentException("measures: the points of the measures and of initial are so far apart "
                    + "that the squared distances reach " + bound + ", beyond the inner solvers' "
                    + LogDomainGibbsKernel.LARGEST_MAGNITUDE + "; rescale them");
        }
        int n = initial.size();
        double[] w = initial.weights();
        double[] points = initial.flatPoints();
        double[] next = new double[n * d];
        double[][] ys = new double[count][];
        for (int k = 0; k < count; k++) {
            ys[k] = measures[k].flatPoints();
        }
        double[] acc = new double[n * d];
        double[] rowMass = new double[n];
        long iterations = 0;
        boolean stopped = false;
        double displacement = Double.POSITIVE_INFINITY;
        double cost = Double.NaN;
        ParticleMeasure current = initial;
        while (iterations < maxIterations) {
            iterations++;
            java.util.Arrays.fill(next, 0.0);
            cost = 0;
            for (int k = 0; k < count; k++) {
                double lk = lambda[k];
                double[] images;
                if (sinkhorn == null) {
                    ExactOtResult r = networkSimplex.solve(current, measures[k]);
                    cost += lk * r.cost();
                    images = exactImages(r.plan(), ys[k], points, d, acc, rowMass);
                } else {
                    SinkhornResult r = sinkhorn.solve(current, measures[k]);
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
            stopped = !observer.observe(new IterationStatus(iterations, displacement, Double.NaN));
            if (displacement <= tolerance || stopped) {
                break;
            }
        }
        return new FreeSupportBarycenterResult(current, cost,
                Convergence.tested(iterations, displacement, tolerance, stopped));
    }

    /**
     * The barycentric images \( T(x_i) = \sum_j P_{ij} y_j / \sum_j P_{ij} \) of a sparse exact plan, written into
     * {@code acc}; an atom of weight zero carries no mass and stays where it is.
     */
    private static double[] exactImages(SparsePlan plan, double[] y, double[] points, int d, double[] acc,
            double[] rowMass) {
        int n = rowMass.length;
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
                acc[i * d + q] = rowMass[i] > 0 ? acc[i * d + q] / rowMass[i] : points[i * d + q];
            }
        }
        return acc;
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "FreeSupportBarycenter[tolerance=" + org.measureflow.core.TextSummary.brief(tolerance)
                + ", maxIterations=" + maxIterations + ", plans=" + (sinkhorn == null ? networkSimplex : sinkhorn)
                + "]";
    }
}
