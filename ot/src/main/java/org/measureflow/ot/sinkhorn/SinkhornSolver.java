package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Epsilon;

/**
 * Entropic optimal transport by Sinkhorn iterations (survey &sect;4, entropic regularisation of the Kantorovich
 * problem, eq. 10):
 * \[ \mathrm{OT}_\varepsilon(a,b) = \min_{P \in U(a,b)} \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a\otimes b),
 * \qquad \mathrm{KL}(P\mid Q) = \sum_{ij} P_{ij}\log\tfrac{P_{ij}}{Q_{ij}} - P_{ij} + Q_{ij}, \]
 * whose solution is \( P_{ij} = a_i b_j \exp((f_i + g_j - C_{ij})/\varepsilon) \) for the dual potentials
 * \( f, g \), and whose value equals the dual objective
 * \( \langle a,f\rangle + \langle b,g\rangle - \varepsilon(\sum_{ij} a_i b_j e^{(f_i+g_j-C_{ij})/\varepsilon} - 1) \),
 * that is \( \langle a,f\rangle + \langle b,g\rangle \) at the optimum.
 *
 * <p>The iteration alternates the exact block maximisations of the dual
 * \[ g_j \leftarrow -\varepsilon \log \sum_i a_i e^{(f_i - C_{ij})/\varepsilon}, \qquad
 *    f_i \leftarrow -\varepsilon \log \sum_j b_j e^{(g_j - C_{ij})/\varepsilon}; \]
 * after a \( g \)-update \( P^\top\mathbf 1 = b \) holds exactly, so the stopping test uses the row error
 * \( \|P\mathbf 1 - a\|_1 \), which every \( f \)-update gets for free.
 *
 * <p>The loop, its kernels and its acceleration are the {@link ScalingEngine}'s (with the hard marginal step on both
 * sides), shared with {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn}.
 *
 * <p><b>Two cores.</b>
 * <ul>
 * <li>Log domain (the robust path, and the only one for point clouds): fused log-sum-exp over each row or column,
 *     shifted by the current potential (one pass with one exponential per entry), with a max-shifted second pass
 *     for any row whose sum would underflow or overflow. Never produces NaN or infinities, for any
 *     \( \varepsilon > 0 \). Point clouds compute \( |x_i - y_j|^2 \) on the fly: memory \( O((n+m)d) \).</li>
 * <li>Stabilised kernel (dense costs, default): the kernel
 *     \( \tilde K_{ij} = e^{(\bar f_i + \bar g_j - C_{ij})/\varepsilon} \) is stored once per \( \varepsilon \) and each
 *     half-step is a matrix&ndash;vector product; scalings that leave \( [e^{-100}, e^{100}] \) are absorbed into
 *     \( \bar f, \bar g \) and the kernel rebuilt (Schmitzer 2019). A half-step whose kernel sums underflow or
 *     overflow is redone in the log domain. The kernel is stored in single precision until the marginal error
 *     reaches \( 10^{-5} \) (half the memory traffic of these memory-bound products), then in double precision
 *     for the final iterations. Extra memory: \( nm \) floats, then \( nm \) doubles.</li>
 * </ul>
 * <p><b>Point clouds</b> ({@link #solve(ParticleMeasure, ParticleMeasure)}) take one of three kernels
 * ({@link PointCloudKernel}, chosen automatically unless set with {@link #withPointCloudKernel}): the squared
 * distances stored as a dense cost when the \( nm \) matrices fit in a quarter of the heap (the stabilised kernel
 * above), otherwise, for \( \varepsilon \lt 0.05 R \), the multiscale solver (grid cells of both clouds, coarse
 * levels of cell centroids for the large epsilons of the schedule, and at the finer levels a kernel truncated to
 * the cell pairs whose mass bound exceeds a budget of \( 10^{-2} \) times the tolerance, re-truncated as the
 * potentials move: Schmitzer 2019, Feydy et al. 2019; its result reports the bound in
 * {@link SinkhornResult#neglectedMass()}), otherwise the online log domain. Each is exact to its tolerance; their
 * bits differ.
 *
 * <p><b>Epsilon-scaling</b> (automatic by default, for small epsilon): the solver runs a decreasing sequence
 * \( \varepsilon_0 > \varepsilon_0 q > \dots \) down to the target, warm-starting the potentials, and stops the
 * intermediate stages at a loose marginal error; only the last stage runs to the tolerance.
 * <b>Over-relaxation</b> (adaptive, on by default): after a few plain iterations measure the linear rate
 * \( \rho \), both updates are relaxed, \( f \leftarrow (1-\omega) f + \omega\,F(g) \) with
 * \( \omega \to 2/(1+\sqrt{1-\rho}) \) (Thibault et al. 2017; Young's SOR theory), which cuts the iteration count
 * several-fold at small epsilon.
 * <b>Newton stage</b> (small epsilon): at \( \varepsilon \lesssim 10^{-3} R \) the plan of two clouds is nearly a
 * union of decoupled blocks and the scaling iterations contract by as little as \( 1 - 10^{-6} \) per iteration
 * (even over-relaxed, 10,000 iterations reached only \( 10^{-7} \) on 300-point clouds). A solve that has not
 * converged after 256 iterations at the target epsilon (64 after the automatic epsilon-scaling schedule) hands over
 * to Newton's method on the semi-dual with conjugate gradients ({@link SemiDualNewton}), which converges within
 * the default budget for every \( \varepsilon \ge 10^{-4} R \) measured (300 to 4000 points,
 * {@code benchmarks/RESULTS.md}); should its line search find no better point, the scaling iterations resume from
 * its potentials and may hand over again 256 iterations later. A solve that converges before the hand-over runs
 * exactly as without the Newton stage. The multiscale path has no Newton stage on its truncated levels.
 *
 * <p><b>Limits</b> (each rejected with an {@link IllegalArgumentException} naming the argument): the cost's range
 * \( R \) and \( \varepsilon \) at most \( 10^{300} \) and \( \varepsilon \ge 10^{-12} R \)
 * ({@link LogDomainGibbsKernel#checkedEpsilon}: below that, double precision no longer resolves the plan); point clouds
 * whose squared distances may exceed \( 10^{300} \); \( nm \ge 2^{31} \) for a dense cost; an epsilon-scaling
 * schedule of more than 10,000 stages. A warm start with entries beyond 16 times \( R + \varepsilon \) is first
 * shifted along the gauge \( (f - t, g + t) \), which leaves the plan unchanged, so that the range of \( f \) is
 * centred on zero; one whose entries still exceed \( 10^6 (R + \varepsilon) \) is rejected.
 *
 * <p>Rows and columns are split into fixed chunks ({@link org.measureflow.core.parallel.Chunks}); every row or
 * column sum is computed by one thread in a fixed order, so parallel and serial runs give identical bits.
 *
 * <p>Made by {@link #of(double)} (epsilon is required: it has no scale-free default) or {@link #of(Epsilon)}
 * (absolute, or relative to the mean cost); defaults of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9}: stop when the L1 marginal error
 *     \( \|P\mathbf 1-a\|_1 + \|P^\top\mathbf 1-b\|_1 \le \) tolerance (the result's {@code error()});</li>
 * <li>{@code maxIterations = 10000} iterations in total (over all epsilon-scaling stages);</li>
 * <li>{@code epsilonScaling = true} with an automatic schedule: when \( \varepsilon \lt 5\cdot 10^{-4} R \), with
 *     \( R \) the cost's range (dense: \( \max|C_{ij}| \); clouds: the squared diameter of a bounding box), the
 *     stages start at \( R \) and halve epsilon each time; for larger \( \varepsilon \) no scaling is done (it
 *     would cost more iterations than it saves). {@link #withEpsilonScalingStart(double)} and
 *     {@link #withEpsilonScalingFactor(double)} set an explicit schedule;</li>
 * <li>{@code logDomain = false}: dense costs use the stored stabilised kernel ({@code true} forces the log-domain
 *     path and saves the \( nm \) kernel);</li>
 * <li>{@code overRelaxation = true} ({@link #withOverRelaxation(boolean)}); {@code mixedPrecision = true}
 *     ({@link #withMixedPrecision(boolean)});</li>
 * <li>{@code parallel = true}: chunks run on the common fork-join pool when large enough (results are identical
 *     either way);</li>
 * <li>{@code pointCloudKernel = AUTOMATIC} ({@link #withPointCloudKernel(PointCloudKernel)}).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class SinkhornSolver {
    /** Scalings beyond \( e^{\pm 100} \) are absorbed into the potentials (kernel path; the engine's value). */
    static final double ABSORB = ScalingEngine.ABSORB;
    /** Marginal error at which an intermediate epsilon-scaling stage stops (the engine's value). */
    static final double STAGE_TOLERANCE = ScalingEngine.STAGE_TOLERANCE;
    /** Iteration cap of an intermediate epsilon-scaling stage (the engine's value). */
    static final int STAGE_MAX_ITERATIONS = ScalingEngine.STAGE_MAX_ITERATIONS;
    /** The largest number of epsilon-scaling stages (the automatic schedule has at most 41). */
    static final int MAX_STAGES = 10_000;
    /** Warm starts with an entry beyond this many times the cost's range plus epsilon are recentred. */
    static final double RECENTRE = 16;
    /** Warm starts with an entry beyond this many times the cost's range plus epsilon after recentring are rejected. */
    static final double WARM_START_LIMIT = 1e6;

    final Settings options;

    private SinkhornSolver(Settings options) {
        this.options = options;
    }

    /**
     * A solver for the given absolute regularisation, with the other defaults of the class documentation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in the units of the cost (for \( |x-y|^2 \) on data
     *                of spread \( s \), compare it with \( s^2 \))
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static SinkhornSolver of(double epsilon) {
        return of(Epsilon.absolute(epsilon));
    }

    /**
     * A solver for the given regularisation, absolute or relative to the mean cost ({@link Epsilon}), with the
     * other defaults of the class documentation.
     *
     * @param epsilon the regularisation
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is null
     */
    public static SinkhornSolver of(Epsilon epsilon) {
        Settings o = new Settings();
        o.epsilon = Arguments.notNull("epsilon", epsilon);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with another absolute regularisation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in cost units
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public SinkhornSolver withEpsilon(double epsilon) {
        return withEpsilon(Epsilon.absolute(epsilon));
    }

    /**
     * This solver with another regularisation, absolute or relative.
     *
     * @param epsilon the regularisation
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is null
     */
    public SinkhornSolver withEpsilon(Epsilon epsilon) {
        Settings o = options.copy();
        o.epsilon = Arguments.notNull("epsilon", epsilon);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with another stopping tolerance on the L1 marginal error
     * \( \|P\mathbf 1-a\|_1 + \|P^\top\mathbf 1-b\|_1 \).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public SinkhornSolver withTolerance(double tolerance) {
        Settings o = options.copy();
        o.tolerance = Arguments.positive("tolerance", tolerance);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with another iteration budget, counted over all epsilon-scaling stages.
     *
     * @param maxIterations {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public SinkhornSolver withMaxIterations(long maxIterations) {
        Settings o = options.copy();
        o.maxIterations = Arguments.positive("maxIterations", maxIterations);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with epsilon-scaling on (with the current start and factor) or off.
     *
     * @param on whether to run the decreasing sequence of epsilons
     * @return a new solver
     */
    public SinkhornSolver withEpsilonScaling(boolean on) {
        Settings o = options.copy();
        o.epsilonScaling = on;
        return new SinkhornSolver(o);
    }

    /**
     * This solver with an explicit first epsilon of the epsilon-scaling schedule
     * \( \varepsilon_k = \max(\varepsilon, s q^k) \) (scaling then always runs when \( s > \varepsilon \)), or
     * {@code NaN} for the automatic schedule of the class documentation.
     *
     * @param start \( s \), positive and at most \( 10^{300} \) ({@link LogDomainGibbsKernel#LARGEST_MAGNITUDE}), or
     *              {@code NaN}
     * @return a new solver, with epsilon-scaling on
     * @throws IllegalArgumentException if {@code start} is neither {@code NaN} nor in \( (0, 10^{300}] \)
     */
    public SinkhornSolver withEpsilonScalingStart(double start) {
        Settings o = options.copy();
        o.epsilonScaling = true;
        o.epsilonStart = Double.isNaN(start) ? Double.NaN
                : Arguments.atMost("start", Arguments.positive("start", start), LogDomainGibbsKernel.LARGEST_MAGNITUDE);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with another ratio \( q \) between successive epsilons of the epsilon-scaling schedule.
     *
     * @param factor \( q \in (0, 1) \)
     * @return a new solver
     * @throws IllegalArgumentException if {@code factor} is not in (0, 1)
     */
    public SinkhornSolver withEpsilonScalingFactor(double factor) {
        Settings o = options.copy();
        o.epsilonFactor = Arguments.inOpenRange("factor", factor, 0, 1);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with adaptive over-relaxation on (default) or off. When on, each stage first runs plain
     * iterations, measures their linear rate \( \rho \), then relaxes both updates,
     * \( f \leftarrow (1-\omega) f + \omega F(g) \), with \( \omega = 2/(1+\sqrt{1-\rho}) \) (capped at 1.995;
     * Thibault et al. 2017). Every 16th iteration is a plain one, on which the marginal error is measured exactly;
     * from the observed relaxed rate \( \mu \) the plain rate is re-estimated through Young's relation
     * \( (\mu + \omega - 1)^2 = \mu\omega^2\rho \) and \( \omega \) raised accordingly, and \( \omega \) is damped
     * whenever the error grows. Off: plain Sinkhorn, checked every iteration.
     *
     * @param on whether to over-relax
     * @return a new solver
     */
    public SinkhornSolver withOverRelaxation(boolean on) {
        Settings o = options.copy();
        o.overRelaxation = on;
        return new SinkhornSolver(o);
    }

    /**
     * This solver with the single-precision kernel of the dense path on (default) or off: the kernel is stored in
     * single precision while the marginal error is above \( 10^{-5} \) (half the memory traffic of those
     * iterations), then in double precision until the tolerance. Results are decided by the double-precision phase
     * and an exact final check, so they do not depend on this switch beyond the tolerance.
     *
     * @param on whether to start in single precision
     * @return a new solver
     */
    public SinkhornSolver withMixedPrecision(boolean on) {
        Settings o = options.copy();
        o.mixedPrecision = on;
        return new SinkhornSolver(o);
    }

    /**
     * This solver with the log-domain path forced for dense costs (no stored kernel) or not (default).
     *
     * @param on whether to force the log domain
     * @return a new solver
     */
    public SinkhornSolver withLogDomain(boolean on) {
        Settings o = options.copy();
        o.logDomain = on;
        return new SinkhornSolver(o);
    }

    /**
     * This solver with parallel chunks allowed (default) or forbidden; the results are the same bits either way.
     *
     * @param on whether to use the common fork-join pool for large problems
     * @return a new solver
     */
    public SinkhornSolver withParallel(boolean on) {
        Settings o = options.copy();
        o.parallel = on;
        return new SinkhornSolver(o);
    }

    /**
     * This solver with another way of applying the kernel of point clouds ({@link #solve(ParticleMeasure,
     * ParticleMeasure)}); the default {@link PointCloudKernel#AUTOMATIC} chooses from the sizes, epsilon and the
     * heap. Dense costs ({@link #solve(double[], double[], CostMatrix)}) are not affected.
     *
     * @param kernel the choice
     * @return a new solver
     * @throws IllegalArgumentException if {@code kernel} is null
     */
    public SinkhornSolver withPointCloudKernel(PointCloudKernel kernel) {
        Settings o = options.copy();
        o.cloudKernel = Arguments.notNull("kernel", kernel);
        return new SinkhornSolver(o);
    }

    /**
     * This solver with other sizes of the multiscale solver's coarsest level and of its levels that keep the full
     * kernel (package-private: tests use small ones so that a few hundred atoms run every part of it).
     */
    SinkhornSolver withMultiscaleSizes(int coarsest, long fullKernelPairs) {
        Settings o = options.copy();
        o.coarsest = Math.max(1, coarsest);
        o.fullKernelPairs = fullKernelPairs;
        return new SinkhornSolver(o);
    }

    /** How the kernel of point clouds is applied. */
    public PointCloudKernel pointCloudKernel() {
        return options.cloudKernel;
    }

    /** The regularisation, absolute or relative to the mean cost. */
    public Epsilon epsilon() {
        return options.epsilon;
    }

    /** The L1 marginal tolerance. */
    public double tolerance() {
        return options.tolerance;
    }

    /** The total iteration budget. */
    public long maxIterations() {
        return options.maxIterations;
    }

    /** Whether epsilon-scaling is on. */
    public boolean epsilonScaling() {
        return options.epsilonScaling;
    }

    /** The first epsilon of an explicit schedule, or {@code NaN} for the automatic one. */
    public double epsilonScalingStart() {
        return options.epsilonStart;
    }

    /** The ratio between successive epsilons of the schedule. */
    public double epsilonScalingFactor() {
        return options.epsilonFactor;
    }

    /** Whether adaptive over-relaxation is on. */
    public boolean overRelaxation() {
        return options.overRelaxation;
    }

    /** Whether the dense kernel starts in single precision. */
    public boolean mixedPrecision() {
        return options.mixedPrecision;
    }

    /** Whether the log-domain path is forced. */
    public boolean logDomain() {
        return options.logDomain;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return options.parallel;
    }

    /**
     * Solves the entropic problem for marginals \( a \in \Sigma_n \), \( b \in \Sigma_m \) and a dense cost.
     *
     * @param a marginal on the rows: non-negative, finite, sum 1 (within {@link Arguments#PROBABILITY_SUM_TOLERANCE})
     * @param b marginal on the columns, likewise
     * @param c the {@code n x m} cost \( C \) (the result keeps a reference to it)
     * @return the potentials, values, plan and convergence
     * @throws IllegalArgumentException on null, mismatched sizes, invalid weights, or beyond the limits of the class
     *                                  documentation (costs, epsilon, \( nm \), the schedule), naming the argument
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c) {
        return solve(a, b, c, null, null, IterationObserver.none());
    }

    /**
     * {@link #solve(double[], double[], CostMatrix)} watched by an observer, called after every iteration with the
     * iteration count (over all stages) and the current L1 marginal error; returning {@code false} stops the solve.
     *
     * @throws IllegalArgumentException as {@link #solve(double[], double[], CostMatrix)}, or if {@code observer} is
     *                                  null
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c, IterationObserver observer) {
        return solve(a, b, c, null, null, observer);
    }

    /**
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)} warm-started from potentials
     * \( f^{(0)}, g^{(0)} \) (copied; {@code null} means zero).
     *
     * @throws IllegalArgumentException as {@link #solve(double[], double[], CostMatrix)}, or if a warm start has the
     *                                  wrong length, a non-finite entry, or entries beyond \( 10^6(R + \varepsilon) \)
     *                                  after the gauge shift of the class documentation
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c, double[] fInit, double[] gInit,
            IterationObserver observer) {
        Arguments.notNull("c", c);
        Arguments.product("n * m", c.rows(), c.cols());
        Arguments.probabilityVector("a", a, c.rows());
        Arguments.probabilityVector("b", b, c.cols());
        checkInit(fInit, gInit, c.rows(), c.cols());
        Arguments.notNull("observer", observer);
        LogDomainGibbsKernel ground = new LogDomainGibbsKernel.Dense(c, options.parallel);
        double scale = c.maxAbs();
        double target = LogDomainGibbsKernel.checkedEpsilon("c", scale, options.epsilon.resolve(c, a, b));
        double[][] start = warmStart(fInit, gInit, c.rows(), c.cols(), scale, target);
        return run(ground, a.clone(), b.clone(), start[0], start[1], scale, target, !options.logDomain, observer);
    }

    /**
     * Solves the entropic problem between two weighted point clouds \( \mu = \sum_i a_i\delta_{x_i} \),
     * \( \nu = \sum_j b_j \delta_{y_j} \) for the squared Euclidean cost \( C_{ij} = |x_i - y_j|^2 \) (not halved),
     * computed on the fly: no {@code n x m} array is stored, memory is \( O((n+m)d) \).
     *
     * @param x the source cloud
     * @param y the target cloud, same dimension
     * @return the potentials, values, plan and convergence
     * @throws IllegalArgumentException on null or different dimensions, or beyond the limits of the class
     *                                  documentation (squared distances, epsilon, the schedule), naming the argument
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, y, null, null, IterationObserver.none());
    }

    /**
     * {@link #solve(ParticleMeasure, ParticleMeasure)} watched by an observer (see
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)}).
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y, IterationObserver observer) {
        return solve(x, y, null, null, observer);
    }

    /**
     * {@link #solve(ParticleMeasure, ParticleMeasure, IterationObserver)} warm-started from potentials
     * ({@code null} means zero).
     *
     * @throws IllegalArgumentException as {@link #solve(ParticleMeasure, ParticleMeasure)}, or if a warm start has the
     *                                  wrong length, a non-finite entry, or entries beyond \( 10^6(R + \varepsilon) \)
     *                                  after the gauge shift of the class documentation
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y, double[] fInit, double[] gInit,
            IterationObserver observer) {
        LogDomainGibbsKernel.Cloud ground = LogDomainGibbsKernel.cloud(x, y, options.parallel);
        checkInit(fInit, gInit, x.size(), y.size());
        Arguments.notNull("observer", observer);
        double scale = ground.costScale();
        double target = LogDomainGibbsKernel.checkedEpsilon("x", scale, options.epsilon.resolve(x, y));
        double[][] start = warmStart(fInit, gInit, x.size(), y.size(), scale, target);
        PointCloudKernel kernel = resolve(x.size(), y.size(), x.dimension(), scale, target);
        double[] a = x.weights();
        double[] b = y.weights();
        switch (kernel) {
            case STORED -> {
                LogDomainGibbsKernel.Dense dense = new LogDomainGibbsKernel.Dense(CostMatrix.squaredEuclidean(x, y),
                        options.parallel);
                SinkhornResult r = run(dense, a, b, start[0], start[1], scale, target, !options.logDomain, observer);
                // the result's plan reads the clouds, not the n x m matrix (which is let go)
                return new SinkhornResult(r.f(), r.g(), r.cost(), r.objective(), r.dualObjective(), r.epsilon(), 0,
                        new EntropicPlan(ground, SinkhornSolver.hOf(r.f(), logs(a), target),
                                SinkhornSolver.hOf(r.g(), logs(b), target), target), r.convergence());
            }
            case MULTISCALE -> {
                return MultiscaleSinkhorn.solve(this, ground, a, b, fInit == null ? null : start[0],
                        gInit == null ? null : start[1], target, observer, options.coarsest,
                        options.fullKernelPairs);
            }
            default -> {
                return run(ground, a, b, start[0], start[1], scale, target, false, observer);
            }
        }
    }

    private PointCloudKernel resolve(int n, int m, int d, double range, double eps) {
        return options.cloudKernel != PointCloudKernel.AUTOMATIC ? options.cloudKernel
                : PointCloudKernel.choose(n, m, d, range, eps, Runtime.getRuntime().maxMemory());
    }

    /**
     * The way {@link #solve(ParticleMeasure, ParticleMeasure)} would apply the kernel of these clouds: the setting
     * of {@link #withPointCloudKernel}, or what {@link PointCloudKernel#AUTOMATIC} chooses for their sizes, this
     * solver's epsilon and the heap of this JVM.
     *
     * @param x the source cloud
     * @param y the target cloud, same dimension
     * @return {@link PointCloudKernel#STORED}, {@link PointCloudKernel#ONLINE} or {@link PointCloudKernel#MULTISCALE}
     * @throws IllegalArgumentException as {@link #solve(ParticleMeasure, ParticleMeasure)} for the clouds and epsilon
     */
    public PointCloudKernel pointCloudKernelFor(ParticleMeasure x, ParticleMeasure y) {
        LogDomainGibbsKernel.Cloud ground = LogDomainGibbsKernel.cloud(x, y, options.parallel);
        double scale = ground.costScale();
        double target = LogDomainGibbsKernel.checkedEpsilon("x", scale, options.epsilon.resolve(x, y));
        return resolve(x.size(), y.size(), x.dimension(), scale, target);
    }

    /**
     * How {@link #solve(ParticleMeasure, ParticleMeasure)} applies the kernel of two point clouds
     * \( K_{ij} = e^{-|x_i - y_j|^2/\varepsilon} \).
     */
    public enum PointCloudKernel {
        /**
         * {@link #STORED} when the \( nm \) cost and kernel fit in a quarter of the heap (about 24 bytes per entry),
         * otherwise {@link #MULTISCALE} in dimension \( d \le 3 \) when \( \varepsilon \lt 0.05 R \) (\( R \) the
         * squared diameter of the clouds: the kernel is then numerically sparse), otherwise {@link #ONLINE}. The
         * multiscale cells cut only the first three coordinates, so in higher dimensions they are too coarse to prune
         * (a 10-dimensional solve of 10^4 points did not finish in minutes; the online kernel took 80-120 s).
         */
        AUTOMATIC,
        /** The squared distances stored as a dense cost matrix: the stabilised stored kernel of dense costs. */
        STORED,
        /** Every entry recomputed in each log-sum-exp: memory \( O((n+m)d) \), time \( O(nm) \) per iteration. */
        ONLINE,
        /**
         * Coarse-to-fine on grid cells with the truncated kernel (Schmitzer 2019; Feydy et al. 2019): memory
         * \( O((n+m)d) \) plus the kept cell pairs, time per iteration proportional to the entries of the kept
         * pairs; the result reports a bound of the mass it neglected ({@link SinkhornResult#neglectedMass()}).
         */
        MULTISCALE;

        /** Bytes per entry of the stored path: the cost, the kernel, and room for the Newton stage's sparse plan. */
        static final long STORED_BYTES_PER_ENTRY = 24;
        /** Below this ratio of epsilon to the cost's range the automatic choice truncates. */
        static final double SPARSE_RATIO = 0.05;

        /** Largest dimension in which the automatic choice takes the multiscale path. */
        static final int MULTISCALE_MAX_DIMENSION = 3;

        static PointCloudKernel choose(int n, int m, int d, double range, double eps, long heap) {
            long entries = (long) n * m;
            if (entries < Integer.MAX_VALUE && entries <= heap / 4 / STORED_BYTES_PER_ENTRY) {
                return STORED;
            }
            return d <= MULTISCALE_MAX_DIMENSION && eps < SPARSE_RATIO * range ? MULTISCALE : ONLINE;
        }
    }

    private static void checkInit(double[] fInit, double[] gInit, int n, int m) {
        if (fInit != null) {
            Arguments.finite("fInit", fInit);
            Arguments.length("fInit", fInit.length, n);
        }
        if (gInit != null) {
            Arguments.finite("gInit", gInit);
            Arguments.length("gInit", gInit.length, m);
        }
    }

    /**
     * The warm start as the run's first potentials (copies; zeros for {@code null}). Potentials \( (f - t, g + t) \)
     * have the same plan for every \( t \); a warm start with an entry larger than {@link #RECENTRE} times
     * \( R + \varepsilon \) (\( R \) the cost's range) is shifted so that the range of \( f \) (of \( g \) when only
     * {@code gInit} is given) is centred on zero, which keeps the rounding of \( f_i + g_j - C_{ij} \) at the scale of
     * the cost. An entry still larger than {@link #WARM_START_LIMIT} times \( R + \varepsilon \) is rejected.
     */
    private static double[][] warmStart(double[] fInit, double[] gInit, int n, int m, double range, double eps) {
        double[] f = fInit == null ? new double[n] : fInit.clone();
        double[] g = gInit == null ? new double[m] : gInit.clone();
        double bound = range + eps;
        if (maxAbs(f) > RECENTRE * bound || maxAbs(g) > RECENTRE * bound) {
            double t = fInit != null ? midpoint(f) : -midpoint(g);
            if (fInit != null) {
                for (int i = 0; i < n; i++) {
                    f[i] -= t;
                }
            }
            if (gInit != null) {
                for (int j = 0; j < m; j++) {
                    g[j] += t;
                }
            }
            checkWarmStart(fInit != null ? "fInit" : "gInit", fInit != null ? f : g, bound);
            checkWarmStart("gInit", g, bound);
        }
        return new double[][] {f, g};
    }

    private static void checkWarmStart(String name, double[] v, double bound) {
        double size = maxAbs(v);
        if (size > WARM_START_LIMIT * bound) {
            // a rule Arguments cannot state: a bound from the cost's range and epsilon, after the gauge shift
            throw new IllegalArgumentException(name + ": warm-start entries must be within " + WARM_START_LIMIT
                    + " times the cost's range plus epsilon (" + WARM_START_LIMIT * bound + ") after the constant "
                    + "shift that leaves the plan unchanged, got entries up to " + size);
        }
    }

    private static double midpoint(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        return lo / 2 + hi / 2;
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double e : v) {
            max = Math.max(max, Math.abs(e));
        }
        return max;
    }

    /** The decreasing sequence of epsilons ending at the (absolute) target. */
    double[] schedule(double scale, double target) {
        if (!options.epsilonScaling) {
            return new double[] {target};
        }
        boolean automatic = Double.isNaN(options.epsilonStart);
        if (automatic && !(target < ScalingEngine.AUTO_SCALING_RATIO * scale)) {
            return new double[] {target};
        }
        double start = automatic ? scale : options.epsilonStart;
        if (!(start > target)) {
            return new double[] {target};
        }
        double needed = 1 + Math.ceil(Math.log(target / start) / Math.log(options.epsilonFactor) - 1e-9);
        if (!(needed <= MAX_STAGES)) {
            // a rule Arguments cannot state: it combines the start, the factor and the target epsilon
            throw new IllegalArgumentException("factor: the epsilon-scaling schedule from " + start + " down to "
                    + target + " by the factor " + options.epsilonFactor + " would need " + needed
                    + " stages, more than " + MAX_STAGES + " (choose a smaller factor or a smaller start)");
        }
        int stages = (int) needed;
        double[] eps = new double[stages];
        double e = start;
        for (int s = 0; s < stages - 1; s++) {
            eps[s] = e;
            e *= options.epsilonFactor;
        }
        eps[stages - 1] = target;
        return eps;
    }

    /** The scaling loop over the schedule from {@code scale} down to {@code target}, on the {@link ScalingEngine}. */
    private SinkhornResult run(LogDomainGibbsKernel ground, double[] a, double[] b, double[] fInit, double[] gInit,
            double scale, double target, boolean useKernel, IterationObserver observer) {
        return run(ground, a, b, fInit, gInit, schedule(scale, target), useKernel, 0, observer);
    }

    /**
     * The scaling loop over the epsilons {@code eps} (the last is the target), counting iterations from
     * {@code firstIteration} (the multiscale solver's finer levels go on counting where the coarser ones stopped):
     * the {@link ScalingEngine} with hard constraints on both marginals and this solver's acceleration settings.
     */
    SinkhornResult run(LogDomainGibbsKernel ground, double[] a, double[] b, double[] fInit, double[] gInit,
            double[] eps, boolean useKernel, long firstIteration, IterationObserver observer) {
        StoredGibbsKernel kernel = useKernel ? new StoredGibbsKernel((LogDomainGibbsKernel.Dense) ground) : null;
        // the automatic schedule scales only where plain iterations need far more than NEWTON_AFTER iterations
        boolean scheduled = eps.length > 1 && Double.isNaN(options.epsilonStart);
        ScalingEngine.Policy policy = new ScalingEngine.Policy(options.tolerance, options.maxIterations,
                options.overRelaxation, options.mixedPrecision, scheduled, false, 0, true);
        return new ScalingEngine(ground, kernel, a, b, MarginalStep.HARD, MarginalStep.HARD, 1.0)
                .run(fInit, gInit, eps, firstIteration, policy, observer);
    }

    /** \( f_i + \varepsilon\log a_i \): the log-weights of a potential. */
    static double[] hOf(double[] f, double[] loga, double eps) {
        double[] h = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            h[i] = f[i] + eps * loga[i];
        }
        return h;
    }

    /** Exact statistics of the balanced plan of {@code (f, g)} at {@code eps}: one pass over all entries. */
    static ScalingEngine.Stats statistics(LogDomainGibbsKernel ground, double[] f, double[] g, double[] loga,
            double[] logb, double[] a, double[] b, double eps) {
        return ScalingEngine.statistics(ground, MarginalStep.HARD, MarginalStep.HARD, f, g, loga, logb, a, b, eps, 1.0);
    }

    static double[] logs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.log(a[i]);
        }
        return out;
    }

    /** The settings of a solver; never changed after the solver is made (the withers copy them). */
    static final class Settings {
        Epsilon epsilon;
        double tolerance = 1e-9;
        long maxIterations = 10_000;
        boolean epsilonScaling = true;
        double epsilonStart = Double.NaN;
        double epsilonFactor = 0.5;
        boolean overRelaxation = true;
        boolean mixedPrecision = true;
        boolean logDomain = false;
        boolean parallel = true;
        PointCloudKernel cloudKernel = PointCloudKernel.AUTOMATIC;
        int coarsest = MultiscaleSinkhorn.COARSEST;
        long fullKernelPairs = MultiscaleSinkhorn.FULL_KERNEL_PAIRS;

        Settings copy() {
            Settings o = new Settings();
            o.epsilon = epsilon;
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.epsilonScaling = epsilonScaling;
            o.epsilonStart = epsilonStart;
            o.epsilonFactor = epsilonFactor;
            o.overRelaxation = overRelaxation;
            o.mixedPrecision = mixedPrecision;
            o.logDomain = logDomain;
            o.parallel = parallel;
            o.cloudKernel = cloudKernel;
            o.coarsest = coarsest;
            o.fullKernelPairs = fullKernelPairs;
            return o;
        }
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "SinkhornSolver[epsilon=" + options.epsilon + ", tolerance=" + TextSummary.brief(options.tolerance)
                + ", maxIterations=" + options.maxIterations + ", epsilonScaling=" + (!options.epsilonScaling ? "off"
                : (Double.isNaN(options.epsilonStart) ? "auto" : "from " + options.epsilonStart) + " x "
                + options.epsilonFactor) + ", overRelaxation=" + options.overRelaxation + ", mixedPrecision="
                + options.mixedPrecision + ", logDomain=" + options.logDomain + ", parallel=" + options.parallel
                + ", pointCloudKernel=" + options.cloudKernel + "]";
    }
}
