package org.measureflow.ot.sinkhorn;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;

/**
 * The debiased Sinkhorn divergence (survey &sect;4, entropic regularisation; Genevay et al. 2018, Feydy et al.
 * 2019)
 * \[ S_\varepsilon(a, b) = \mathrm{OT}_\varepsilon(a, b) - \tfrac12 \mathrm{OT}_\varepsilon(a, a)
 *    - \tfrac12 \mathrm{OT}_\varepsilon(b, b), \]
 * with \( \mathrm{OT}_\varepsilon \) the KL-regularised problem of {@link SinkhornSolver}. For the squared Euclidean
 * cost, \( S_\varepsilon \ge 0 \), \( S_\varepsilon(a,a) = 0 \), and \( S_\varepsilon \) interpolates between
 * \( W_2^2 \) (\( \varepsilon \to 0 \)) and an energy distance (\( \varepsilon \to \infty \)).
 *
 * <p>The cross term is solved by {@link SinkhornSolver}; each self term by the symmetric fixed point
 * \( f_i = -\varepsilon \log \sum_j a_j e^{(f_j - C_{ij})/\varepsilon} =: T(f)_i \), iterated with averaging
 * \( f \leftarrow (f + T(f))/2 \) (Feydy et al. 2019) and the same epsilon-scaling schedule. Its plan
 * \( P_{ij} = a_i a_j e^{(f_i + f_j - C_{ij})/\varepsilon} \) is symmetric, so its row and column errors are equal.
 * The self terms have no Newton stage (unlike the cross term, see {@link SinkhornSolver}): their plans, close to the
 * identity coupling, need none in the measurements (300-point clouds, every self term converged down to
 * \( \varepsilon = 10^{-4} \) times the cost's range); a self term that does not converge within the budget is
 * reported by the result's convergence.
 *
 * <p><b>Gradient</b> with respect to the source points (envelope theorem: \( \partial\mathrm{OT}_\varepsilon /
 * \partial C_{ij} = P_{ij} \) at the optimum; the self term depends on \( x_i \) through row <em>and</em> column
 * \( i \) of \( C^{xx} \), and its plan is symmetric):
 * \[ \nabla_{x_i} S_\varepsilon = 2\sum_j P^{xy}_{ij} (x_i - y_j) - 2\sum_j P^{xx}_{ij}(x_i - x_j)
 *    = 2 a_i \big(T^{xx}(x_i) - T^{xy}(x_i)\big), \]
 * where \( T^{xy}(x_i) = \sum_j P^{xy}_{ij} y_j / a_i \) is the barycentric map (the last form holds at convergence).
 *
 * <p>Made by {@link #of(SinkhornSolver)}: every setting (epsilon, tolerance, iteration budget, epsilon-scaling,
 * parallelism) is the given solver's, with no defaults of its own. Immutable and thread-safe.
 */
public final class SinkhornDivergence {
    private final SinkhornSolver solver;

    private SinkhornDivergence(SinkhornSolver solver) {
        this.solver = solver;
    }

    /**
     * The divergence computed with the given solver: its epsilon (a relative epsilon is resolved once, on the
     * cross pair, and shared by the three terms), tolerance, iteration budget, epsilon-scaling and parallelism
     * apply to all three problems.
     *
     * @param solver the configured Sinkhorn solver
     * @return the divergence
     * @throws IllegalArgumentException if {@code solver} is null
     */
    public static SinkhornDivergence of(SinkhornSolver solver) {
        return new SinkhornDivergence(Arguments.notNull("solver", solver));
    }

    /** The Sinkhorn solver of the three entropic problems. */
    public SinkhornSolver sinkhorn() {
        return solver;
    }

    /**
     * This divergence computed with another solver.
     *
     * @param sinkhorn the configured Sinkhorn solver of the three problems
     * @return a new divergence
     * @throws IllegalArgumentException if {@code sinkhorn} is null
     */
    public SinkhornDivergence withSinkhorn(SinkhornSolver sinkhorn) {
        return of(Arguments.notNull("sinkhorn", sinkhorn));
    }

    /** One line: the solver of the three problems. */
    @Override
    public String toString() {
        return "SinkhornDivergence[" + solver + "]";
    }

    /**
     * \( S_\varepsilon \) between two point clouds, squared Euclidean cost (computed on the fly).
     *
     * @param x the source cloud
     * @param y the target cloud, same dimension
     * @return \( S_\varepsilon(x, y) \); see {@link #valueAndGradient} for the terms and convergence
     * @throws IllegalArgumentException on null clouds or different dimensions
     */
    public double value(ParticleMeasure x, ParticleMeasure y) {
        return compute(x, y, false, IterationObserver.none()).value();
    }

    /**
     * \( S_\varepsilon \) between two point clouds and its gradient with respect to the points of {@code x}.
     *
     * @param x the source cloud (the gradient is taken with respect to its points)
     * @param y the target cloud, same dimension
     * @return the value, gradient, three terms and convergence
     * @throws IllegalArgumentException on null clouds or different dimensions
     */
    public SinkhornDivergenceResult valueAndGradient(ParticleMeasure x, ParticleMeasure y) {
        return compute(x, y, true, IterationObserver.none());
    }

    /**
     * {@link #valueAndGradient(ParticleMeasure, ParticleMeasure)} watched by an observer, called after every
     * iteration of each of the three problems in turn (cross term, then the two self terms; the counts restart
     * with each problem); returning {@code false} stops the current problem.
     */
    public SinkhornDivergenceResult valueAndGradient(ParticleMeasure x, ParticleMeasure y,
            IterationObserver observer) {
        return compute(x, y, true, Arguments.notNull("observer", observer));
    }

    /**
     * \( S_\varepsilon \) for dense costs: \( C^{ab} \) ({@code n x m}) and the symmetric self costs \( C^{aa} \)
     * ({@code n x n}) and \( C^{bb} \) ({@code m x m}) of the same ground cost (no gradient).
     *
     * @throws IllegalArgumentException on mismatched sizes, a non-symmetric self cost, or invalid weights
     */
    public SinkhornDivergenceResult compute(double[] a, double[] b, CostMatrix cab, CostMatrix caa, CostMatrix cbb) {
        return compute(a, b, cab, caa, cbb, IterationObserver.none());
    }

    /**
     * {@link #compute(double[], double[], CostMatrix, CostMatrix, CostMatrix)} watched by an observer (see
     * {@link #valueAndGradient(ParticleMeasure, ParticleMeasure, IterationObserver)}).
     */
    public SinkhornDivergenceResult compute(double[] a, double[] b, CostMatrix cab, CostMatrix caa, CostMatrix cbb,
            IterationObserver observer) {
        Arguments.notNull("cab", cab);
        Arguments.notNull("caa", caa);
        Arguments.notNull("cbb", cbb);
        Arguments.product("n * m", cab.rows(), cab.cols());
        Arguments.probabilityVector("a", a, cab.rows());
        Arguments.probabilityVector("b", b, cab.cols());
        requireSymmetric("caa", caa, cab.rows());
        requireSymmetric("cbb", cbb, cab.cols());
        Arguments.notNull("observer", observer);
        double eps = solver.epsilon().resolve(cab, a, b);
        LogDomainGibbsKernel.checkedEpsilon("caa", caa.maxAbs(), eps);
        LogDomainGibbsKernel.checkedEpsilon("cbb", cbb.maxAbs(), eps);
        LogDomainGibbsKernel.checkedEpsilon("cab", cab.maxAbs(), eps);
        SinkhornResult cross = solver.withEpsilon(eps).solve(a, b, cab, observer);
        boolean parallel = solver.parallel();
        SelfResult sa = self(new LogDomainGibbsKernel.Dense(caa, parallel), a.clone(), caa.maxAbs(), eps, observer);
        SelfResult sb = self(new LogDomainGibbsKernel.Dense(cbb, parallel), b.clone(), cbb.maxAbs(), eps, observer);
        return combine(cross, sa, sb, null);
    }

    /** A {@code size x size} symmetric cost (up to {@link Arguments#SYMMETRY_TOLERANCE} of its largest entry). */
    private static void requireSymmetric(String name, CostMatrix c, int size) {
        DMatrixRMaj view = DMatrixRMaj.wrap(c.rows(), c.cols(), c.values());
        Arguments.shape(name, view, size, size);
        Arguments.symmetric(name, view);
    }

    private SinkhornDivergenceResult compute(ParticleMeasure x, ParticleMeasure y, boolean gradient,
            IterationObserver observer) {
        boolean parallel = solver.parallel();
        LogDomainGibbsKernel.Cloud xy = LogDomainGibbsKernel.cloud(x, y, parallel);
        double eps = solver.epsilon().resolve(x, y);
        SinkhornResult cross = solver.withEpsilon(eps).solve(x, y, observer);
        double[] a = x.weights();
        double[] b = y.weights();
        LogDomainGibbsKernel.Cloud xx = new LogDomainGibbsKernel.Cloud(xy.xs, xy.xs, xy.d, parallel);
        LogDomainGibbsKernel.Cloud yy = new LogDomainGibbsKernel.Cloud(xy.ys, xy.ys, xy.d, parallel);
        SelfResult sa = self(xx, a, xx.costScale(), eps, observer);
        SelfResult sb = self(yy, b, yy.costScale(), eps, observer);
        double[] grad = null;
        if (gradient) {
            grad = new double[xy.xs.length];
            double[] loga = SinkhornSolver.logs(a);
            double[] logb = SinkhornSolver.logs(b);
            double[] f = cross.f();
            double[] g = cross.g();
            double[] h = new double[f.length];
            double[] w = new double[g.length];
            for (int i = 0; i < f.length; i++) {
                h[i] = f[i] + eps * loga[i];
            }
            for (int j = 0; j < g.length; j++) {
                w[j] = g[j] + eps * logb[j];
            }
            xy.addPlanDisplacement(h, w, eps, 2.0, grad);
            double[] hs = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                hs[i] = sa.f[i] + eps * loga[i];
            }
            xx.addPlanDisplacement(hs, hs, eps, -2.0, grad);
        }
        return combine(cross, sa, sb, grad);
    }

    private SinkhornDivergenceResult combine(SinkhornResult cross, SelfResult sa, SelfResult sb, double[] grad) {
        double value = cross.objective() - 0.5 * sa.objective - 0.5 * sb.objective;
        double err = Math.max(cross.error(), Math.max(sa.error, sb.error));
        long iterations = cross.iterations() + sa.iterations + sb.iterations;
        boolean stopped = cross.termination() == Termination.STOPPED || sa.stopped || sb.stopped;
        boolean converged = cross.converged() && sa.converged && sb.converged;
        Convergence convergence = converged ? new Convergence(iterations, err, solver.tolerance(),
                Termination.CONVERGED) : new Convergence(iterations, err, solver.tolerance(),
                stopped ? Termination.STOPPED : Termination.ITERATION_LIMIT);
        return new SinkhornDivergenceResult(value, grad, cross.objective(), sa.objective, sb.objective,
                cross.epsilon(), convergence);
    }

    /** The solution of a symmetric problem \( \mathrm{OT}_\varepsilon(a, a) \). */
    record SelfResult(double[] f, double objective, double error, boolean converged, long iterations,
            boolean stopped) {
    }

    /**
     * The symmetric Sinkhorn iteration \( f \leftarrow (f + T(f))/2 \) in the log domain, with the solver's
     * epsilon-scaling schedule; stops when the exact L1 marginal error \( 2\|P\mathbf 1 - a\|_1 \le \) tolerance.
     */
    SelfResult self(LogDomainGibbsKernel ground, double[] a, double scale, double target, IterationObserver observer) {
        int n = ground.n;
        double[] loga = SinkhornSolver.logs(a);
        double[] f = new double[n];
        double[] w = new double[n];
        double[] logS = new double[n];
        double[] eps = solver.schedule(scale, target);
        double tol = solver.tolerance();
        long maxIterations = solver.maxIterations();
        long iterations = 0;
        boolean stopped = false;
        boolean reachedTarget = false;
        ScalingEngine.Stats stats = null;
        stages:
        for (int s = 0; s < eps.length; s++) {
            double e = eps[s];
            boolean last = s == eps.length - 1;
            double stageTol = last ? tol : Math.max(tol, SinkhornSolver.STAGE_TOLERANCE);
            int stageIterations = 0;
            while (!stopped && iterations < maxIterations
                    && (last || stageIterations < SinkhornSolver.STAGE_MAX_ITERATIONS)) {
                iterations++;
                stageIterations++;
                reachedTarget = last;
                for (int j = 0; j < n; j++) {
                    w[j] = f[j] + e * loga[j];
                }
                // logS_i = log sum_j a_j exp((f_i + f_j - C_ij)/eps) = log((P 1)_i / a_i); T(f)_i = f_i - eps logS_i
                ground.rowLogSumExp(f, w, e, logS);
                double err = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] != 0) { // (an atom of weight zero adds nothing, also when expm1 overflows)
                        err += a[i] * Math.abs(Math.expm1(logS[i]));
                    }
                }
                err *= 2; // the columns of a symmetric plan have the same error as its rows
                stopped = !observer.observe(new IterationStatus(iterations, err, Double.NaN));
                if (err <= stageTol) {
                    if (!last) {
                        continue stages;
                    }
                    stats = SinkhornSolver.statistics(ground, f, f, loga, loga, a, a, e);
                    if (stats.error() <= tol) {
                        break stages;
                    }
                }
                for (int i = 0; i < n; i++) {
                    f[i] -= 0.5 * e * logS[i];
                }
            }
            if (iterations >= maxIterations || stopped) {
                break;
            }
        }
        if (!reachedTarget) {
            // the budget ran out at a larger epsilon, whose potentials would overflow the plan at the target: two
            // exact c-transforms at the target, g = T(f) and f' = T(g), bound every entry of the plan of (f', g) by
            // a_i, and the symmetric potential (f' + g) / 2 bounds those of its plan by their geometric mean
            for (int j = 0; j < n; j++) {
                w[j] = f[j] + target * loga[j];
            }
            ground.rowLogSumExp(new double[n], w, target, logS);
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = -target * logS[i];
                w[i] = g[i] + target * loga[i];
            }
            ground.rowLogSumExp(new double[n], w, target, logS);
            for (int i = 0; i < n; i++) {
                f[i] = 0.5 * (g[i] - target * logS[i]);
            }
        }
        if (stats == null || stats.error() > tol) {
            stats = SinkhornSolver.statistics(ground, f, f, loga, loga, a, a, target);
        }
        return new SelfResult(f, stats.objective(), stats.error(), stats.error() <= tol, iterations, stopped);
    }
}
