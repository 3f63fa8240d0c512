package org.measureflow.ot.sinkhorn;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;

/**
 * The entropic scaling engine shared by {@link SinkhornSolver} and
 * {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn}: the scaling algorithm of Chizat, Peyr&eacute;, Schmitzer
 * and Vialard 2018 ("Scaling algorithms for unbalanced optimal transport problems") for
 * \[ \min_{P\ge 0}\ \langle C,P\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b) + F_a(P\mathbf 1) + F_b(P^\top\mathbf 1)
 * \]
 * (survey &sect;4, eq. 10, with the marginal constraints \( F = \iota_{\{a\}} \) or relaxed,
 * \( F = \rho\,\mathrm{KL}(\cdot\mid a) \)), with \( P_{ij} = a_i b_j e^{(f_i + g_j - C_{ij})/\varepsilon} \). One
 * iteration is two half-steps, each a kernel application followed by a {@link MarginalStep}:
 * \[ \ell^{(g)}_j = \log\sum_i a_i e^{(f_i + g_j - C_{ij})/\varepsilon},\ g \leftarrow \tau_b(g - \varepsilon\ell^{(g)});
 *    \qquad \ell^{(f)}_i = \log\sum_j b_j e^{(f_i + g_j - C_{ij})/\varepsilon},\ f \leftarrow \tau_a(f - \varepsilon\ell^{(f)}),
 * \]
 * \( \tau = \rho/(\rho+\varepsilon) \) (1 for a hard constraint). The L1 residual of the rows,
 * \( \sum_i |(P\mathbf 1)_i - a_i e^{-f_i/\rho_a}| \), comes free with \( \ell^{(f)} \); after the column step the
 * column condition holds exactly, so it is the loop's error estimate.
 *
 * <p><b>Kernels.</b> The log-sums are taken by a {@link LogDomainGibbsKernel} (dense, point clouds on the fly, or the
 * {@link TruncatedGibbsKernel} of the multiscale solver: fused log-sum-exps, exact for any \( \varepsilon \)) or, for
 * a dense cost, by a {@link StoredGibbsKernel} (matrix&ndash;vector products with the stabilised kernel; a half-step
 * whose sums leave the safe range is redone in the log domain).
 *
 * <p><b>Acceleration, for every marginal step.</b>
 * <ul>
 * <li>Epsilon-scaling: stages at a decreasing sequence of epsilons, warm-started, each but the last stopped at the
 *     marginal error \( 10^{-3} \) or 200 iterations; either up front (a schedule) or deferred to the first Newton
 *     hand-over (from the cost's range \( R \), halving, when \( \varepsilon \lt 5\cdot 10^{-4}R \)).</li>
 * <li>Adaptive over-relaxation (Thibault et al. 2017; Young's SOR relation
 *     \( (\mu+\omega-1)^2 = \mu\omega^2\rho \)), with every 16th iteration a plain one on which the error is
 *     measured exactly.</li>
 * <li>Absorption (Schmitzer 2019): the stored kernel is rebuilt around the current potentials when the scalings
 *     leave \( e^{\pm 100} \) or a half-step fell back to the log domain; a single-precision kernel while the error is
 *     above \( 10^{-5} \), double precision after.</li>
 * <li>Newton hand-over: a stage at the target that has not converged after {@link SemiDualNewton#NEWTON_AFTER}
 *     iterations (64 after an automatic schedule) finishes with {@link SemiDualNewton}; should its line search find
 *     no better point, the scaling iterations resume. Not on the truncated kernel of the multiscale solver, whose
 *     levels start close to the solution and whose conjugate-gradient steps each cost two full passes.</li>
 * <li>The gauge translation (S&eacute;journ&eacute;, Vialard, Peyr&eacute; 2022) for relaxed marginals:
 *     after each iteration, the exact maximisation of the dual along \( (f + t, g - t) \).</li>
 * </ul>
 *
 * <p><b>Barycenters.</b> {@link #barycentric} stacks the \( K \) couplings of iterated Bregman projections into one
 * block-diagonal coupling whose row step is the geometric mean \( p = \prod_k (P_k\mathbf 1)^{\lambda_k} \) (the
 * loop of {@code EntropicBarycenter} and {@code ConvolutionalBarycenter}); run by {@link #iterate}.
 *
 * <p>Made by {@link #of} or {@link #barycentric}; {@link #solve} runs the policy of the unbalanced solver (plain
 * iterations, double-precision kernel, deferred epsilon-scaling, the gauge translation as asked); the balanced solver
 * also uses the up-front schedule, the over-relaxation and the single-precision kernel. A work space owned by one
 * solve at a time (like {@link SemiDualNewton}); every sum runs in a fixed order, so parallel and serial runs give
 * identical bits.
 */
public final class ScalingEngine {
    /** Scalings beyond \( e^{\pm 100} \) are absorbed into the potentials (stored kernel). */
    static final double ABSORB = 100.0;
    /** Marginal error at which an intermediate epsilon-scaling stage stops. */
    static final double STAGE_TOLERANCE = 1e-3;
    /** Iteration cap of an intermediate epsilon-scaling stage. */
    static final int STAGE_MAX_ITERATIONS = 200;
    /**
     * With the automatic schedule (up front or deferred), epsilon-scaling runs only when \( \varepsilon \lt \) this
     * ratio times the cost's range: for larger epsilon the over-relaxed iteration converges faster from zero than
     * through the stages (measured on Gaussian clouds: 80 against 155 iterations at \( \varepsilon = 10^{-3} \max C
     * \), 1280 against 785 at \( 10^{-4} \max C \)).
     */
    static final double AUTO_SCALING_RATIO = 5e-4;
    /**
     * A marginal error estimate beyond this (or NaN) during relaxed iterations means they diverge (a plain step keeps
     * the L1 error at most 2; relaxed ones overshoot to a few units when they start).
     */
    static final double LARGE_ERROR = 1e6;
    /**
     * Iterations at the target epsilon before a solve that has not converged hands over to Newton's method
     * ({@link SemiDualNewton}) when the automatic epsilon-scaling schedule ran (\( \varepsilon \lt 5\cdot 10^{-4} R
     * \)); without it, {@link SemiDualNewton#NEWTON_AFTER}. At these epsilons the scaling iterations need thousands of
     * iterations (measured: 1959 in all, against 2325 with 256, on 300-point clouds at \( 10^{-4} R \)).
     */
    static final int NEWTON_AFTER_SCALING = 64;
    /** Marginal error below which a single-precision kernel is replaced by a double-precision one. */
    static final double SINGLE_PRECISION_ERROR = 1e-5;
    /** Relaxed iterations between two exact (plain) checks of the marginal error. */
    static final int CHECK_EVERY = 16;
    /** Iterations over which the plain contraction rate is measured. */
    static final int RATE_WINDOW = 3;
    /** Largest over-relaxation parameter used. */
    static final double MAX_OMEGA = 1.995;

    /**
     * How a run is accelerated and when it stops.
     *
     * @param tolerance      on the L1 residual of the plan's marginals to their targets
     * @param maxIterations  the iteration budget over all stages
     * @param overRelaxation adaptive over-relaxation
     * @param mixedPrecision a single-precision stored kernel while far from the tolerance
     * @param scheduled      the schedule is the automatic one (the Newton hand-over then comes after 64 iterations)
     * @param translate      the gauge translation after every iteration
     * @param deferredRange  the range \( R \) from which epsilon-scaling starts at the first Newton hand-over, or 0
     * @param newton         whether a slow stage at the target hands over to {@link SemiDualNewton}, and a loop
     *                       estimate below the tolerance is confirmed by the exact statistics of the plan (single
     *                       couplings); otherwise the loop's estimate decides (the barycenter's couplings)
     */
    record Policy(double tolerance, long maxIterations, boolean overRelaxation, boolean mixedPrecision,
            boolean scheduled, boolean translate, double deferredRange, boolean newton) {
    }

    /**
     * The log-domain kernel products of \( K \) couplings \( P_k = \mathrm{diag}(u_k) K_k \mathrm{diag}(v_k) \) with
     * \( n \) rows each, for {@link #barycentric}; exact (no underflow) for any epsilon.
     */
    public interface CoupledKernels {
        /**
         * \( \mathrm{out} = \log(K_k^\top e^{\log u}) \); {@code logvHint} holds the current \( \log v_k \) (entries
         * may be \( -\infty \)), usable as a shift.
         *
         * @param k        the coupling
         * @param logu     \( \log u_k \), length {@code n}, finite
         * @param logvHint the current \( \log v_k \), length \( m_k \)
         * @param out      length \( m_k \), overwritten
         */
        void transposed(int k, double[] logu, double[] logvHint, double[] out);

        /**
         * \( \mathrm{out} = \log(K_k e^{\log v}) \); {@code loguHint} holds the current \( \log u_k \) (finite).
         *
         * @param k        the coupling
         * @param logv     \( \log v_k \), length \( m_k \), entries finite or \( -\infty \)
         * @param loguHint the current \( \log u_k \), length {@code n}
         * @param out      length {@code n}, overwritten
         */
        void direct(int k, double[] logv, double[] loguHint, double[] out);
    }

    private final LogDomainGibbsKernel ground;
    private final Blocks blocks;
    private final int n;
    private final int m;
    private final StoredGibbsKernel kernel;
    private final double[] a;
    private final double[] b;
    private final double[] loga;
    private final double[] logb;
    private final MarginalStep rowStep;
    private final MarginalStep colStep;
    private final double massProduct;
    private final double[] h;
    private final double[] w;
    private final double[] logS;
    private final double[] logT;
    private final double[] history = new double[RATE_WINDOW + 1];

    private Policy policy;
    private IterationObserver observer;
    private double[] f;
    private double[] g;
    private long iterations;
    private boolean stopped;
    private boolean reachedTarget;
    private boolean retried;
    private boolean deferred;
    private Stats stats;
    private double lastError = Double.POSITIVE_INFINITY;

    ScalingEngine(LogDomainGibbsKernel ground, StoredGibbsKernel kernel, double[] a, double[] b, MarginalStep rowStep,
            MarginalStep colStep, double massProduct) {
        this(ground, null, kernel, a, b, rowStep, colStep, massProduct);
    }

    private ScalingEngine(LogDomainGibbsKernel ground, Blocks blocks, StoredGibbsKernel kernel, double[] a, double[] b,
            MarginalStep rowStep, MarginalStep colStep, double massProduct) {
        this.ground = ground;
        this.blocks = blocks;
        this.n = a.length;
        this.m = b.length;
        this.kernel = kernel;
        this.a = a;
        this.b = b;
        this.loga = SinkhornSolver.logs(a);
        this.logb = SinkhornSolver.logs(b);
        this.rowStep = rowStep;
        this.colStep = colStep;
        this.massProduct = massProduct;
        this.h = new double[n];
        this.w = new double[m];
        this.logS = new double[n];
        this.logT = new double[m];
    }

    /**
     * The engine for a cost, its weights and the relaxations of its two marginals.
     *
     * @param ground    the cost (dense or point clouds), {@code n x m}
     * @param stored    a stored kernel of the same dense cost, or {@code null} (log domain only)
     * @param a         non-negative finite source weights, length {@code n}, positive sum (kept by reference: the
     *                  caller does not change them during a solve)
     * @param b         non-negative finite target weights, length {@code m}, positive sum (likewise)
     * @param rhoSource \( \rho_a > 0 \), or {@code +infinity} for the hard constraint \( P\mathbf 1 = a \)
     * @param rhoTarget \( \rho_b > 0 \), or {@code +infinity} for the hard constraint \( P^\top\mathbf 1 = b \)
     * @return the engine, with its work space (a few vectors of length {@code n} and {@code m})
     * @throws IllegalArgumentException on null, wrong lengths, invalid weights, non-positive \( \rho \), unequal
     *                                  masses for two hard constraints, or a stored kernel of another size
     */
    public static ScalingEngine of(LogDomainGibbsKernel ground, StoredGibbsKernel stored, double[] a, double[] b,
            double rhoSource, double rhoTarget) {
        double[] masses = checkedMasses(ground, stored, a, b, rhoSource, rhoTarget);
        return new ScalingEngine(ground, stored, a, b, MarginalStep.of(rhoSource), MarginalStep.of(rhoTarget),
                masses[0] * masses[1]);
    }

    /**
     * Checks a problem (the arguments of {@link #of}) and returns the masses \( (m_a, m_b) \) of its weights.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    static double[] checkedMasses(LogDomainGibbsKernel ground, StoredGibbsKernel stored, double[] a, double[] b,
            double rhoSource, double rhoTarget) {
        Arguments.notNull("ground", ground);
        Arguments.notNull("a", a);
        Arguments.notNull("b", b);
        Arguments.length("a", a.length, ground.n);
        Arguments.length("b", b.length, ground.m);
        if (rhoSource != Double.POSITIVE_INFINITY) {
            Arguments.positive("rhoSource", rhoSource);
        }
        if (rhoTarget != Double.POSITIVE_INFINITY) {
            Arguments.positive("rhoTarget", rhoTarget);
        }
        double ma = Arguments.weights("a", a);
        double mb = Arguments.weights("b", b);
        if (rhoSource == Double.POSITIVE_INFINITY && rhoTarget == Double.POSITIVE_INFINITY
                && Math.abs(ma - mb) > Arguments.PROBABILITY_SUM_TOLERANCE * Math.max(ma, mb)) {
            // a rule Arguments cannot state: two hard marginal constraints need equal masses
            throw new IllegalArgumentException("b: both marginals are hard constraints, which needs equal masses, got "
                    + ma + " and " + mb);
        }
        if (stored != null) {
            Arguments.length("stored rows", stored.rows(), ground.n);
            Arguments.length("stored cols", stored.cols(), ground.m);
        }
        return new double[] {ma, mb};
    }

    /**
     * Solves at {@code epsilon} from the warm start {@code (fInit, gInit)} with plain scaling iterations, the stored
     * kernel (if any) in double precision, epsilon-scaling deferred to the first Newton hand-over, and the gauge
     * translation if asked. The result's error is the L1 residual
     * \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top\mathbf 1 - b e^{-g/\rho_b}\|_1 \) of its plan, recomputed exactly;
     * its objective is \( \langle C,P\rangle + \varepsilon\mathrm{KL}(P\mid a\otimes b) + \rho_a\mathrm{KL}(P\mathbf 1\mid a)
     * + \rho_b\mathrm{KL}(P^\top\mathbf 1\mid b) \) (no marginal term for a hard constraint).
     *
     * @param fInit         the source potential to start from (copied), or {@code null} for zeros
     * @param gInit         the target potential to start from (copied), or {@code null} for zeros
     * @param epsilon       \( \varepsilon \), finite and {@code > 0}
     * @param tolerance     on the residual, {@code > 0}
     * @param maxIterations the budget, {@code > 0}
     * @param translate     whether to maximise the dual along \( (f+t, g-t) \) after every iteration
     * @param observer      called after every iteration with the loop's residual estimate; {@code false} stops
     * @return the potentials, values, plan and convergence
     * @throws IllegalArgumentException on wrong lengths, non-finite warm starts, non-positive settings, or an epsilon
     *                                  or masses beyond {@link LogDomainGibbsKernel#checkedEpsilon} and
     *                                  {@link LogDomainGibbsKernel#checkMasses}
     * @throws IllegalStateException    if this engine was made by {@link #barycentric}
     */
    public SinkhornResult solve(double[] fInit, double[] gInit, double epsilon, double tolerance, long maxIterations,
            boolean translate, IterationObserver observer) {
        if (blocks != null) {
            throw new IllegalStateException("a barycentric engine runs by iterate(...), not solve(...)");
        }
        if (fInit != null) {
            Arguments.length("fInit", Arguments.finite("fInit", fInit).length, ground.n);
        }
        if (gInit != null) {
            Arguments.length("gInit", Arguments.finite("gInit", gInit).length, ground.m);
        }
        double range = ground.costScale();
        LogDomainGibbsKernel.checkedEpsilon("ground", range, epsilon);
        LogDomainGibbsKernel.checkMasses("a", "b", Arguments.weights("a", a), Arguments.weights("b", b), range, epsilon,
                rowStep.rho(), colStep.rho());
        Arguments.notNull("observer", observer);
        Policy p = new Policy(Arguments.positive("tolerance", tolerance),
                Arguments.positive("maxIterations", maxIterations), false, false, false, translate, range, true);
        return run(fInit, gInit, new double[] {epsilon}, 0, p, observer);
    }

    /**
     * The engine of iterated Bregman projections for the fixed-support entropic barycenter
     * \( \min_p \sum_k \lambda_k \mathrm{OT}_\varepsilon(p, b_k) \) (Benamou, Carlier, Cuturi, Nenna, Peyr&eacute; 2015;
     * survey &sect;9.2): the couplings \( P_k = \mathrm{diag}(u_k)K_k\mathrm{diag}(v_k) \) stacked into one
     * block-diagonal coupling, the hard marginal step \( v_k = b_k / K_k^\top u_k \) on its columns and the
     * geometric-mean step \( p = \prod_k (u_k \odot K_k v_k)^{\lambda_k} \), \( u_k = p / K_k v_k \) on its rows (the
     * potentials are \( \log u, \log v - \log b \), in units of \( \varepsilon \)). Couplings of weight
     * \( \lambda_k = 0 \) do not enter \( p \) and are left out. Run by {@link #iterate}.
     *
     * @param kernels the products of the couplings
     * @param b       the \( K \) histograms \( b_k \), non-negative with positive sums (kept by reference)
     * @param lambda  the weights \( \lambda_k \ge 0 \), one per histogram, not all zero
     * @param n       the size of the barycenter's support, {@code > 0}
     * @return the engine, with its work space (vectors of length \( Kn \) and \( \sum_k m_k \))
     * @throws IllegalArgumentException on null, mismatched lengths, negative or all-zero weights, or invalid
     *                                  histograms
     */
    public static ScalingEngine barycentric(CoupledKernels kernels, double[][] b, double[] lambda, int n) {
        Arguments.notNull("kernels", kernels);
        Arguments.noNulls("b", b);
        Arguments.weights("lambda", lambda);
        Arguments.length("lambda", lambda.length, b.length);
        Arguments.positive("n", n);
        int used = 0;
        int columns = 0;
        for (int k = 0; k < b.length; k++) {
            Arguments.weights("b[" + k + "]", b[k]);
            if (lambda[k] != 0) {
                used++;
                columns = Math.addExact(columns, b[k].length);
            }
        }
        int[] index = new int[used];
        double[] weights = new double[used];
        double[] stacked = new double[columns];
        int[] offsets = new int[used + 1];
        for (int k = 0, u = 0; k < b.length; k++) {
            if (lambda[k] != 0) {
                index[u] = k;
                weights[u] = lambda[k];
                System.arraycopy(b[k], 0, stacked, offsets[u], b[k].length);
                offsets[u + 1] = offsets[u] + b[k].length;
                u++;
            }
        }
        double[] ones = new double[Arguments.product("lambda.length * n", used, n)];
        java.util.Arrays.fill(ones, 1.0);
        return new ScalingEngine(null, new Blocks(kernels, index, offsets, n), null, ones, stacked,
                new MarginalStep.GeometricMean(weights, n), MarginalStep.HARD, Double.NaN);
    }

    /**
     * Runs the iterated Bregman projections of a {@link #barycentric} engine from \( u = v = 1 \) until the residual
     * \( \sum_k \lambda_k \|P_k\mathbf 1 - p\|_1 \) (measured after every iteration and passed to the observer) is at
     * most {@code tolerance}, the budget is spent, or the observer says stop.
     *
     * @param tolerance     on the residual, {@code > 0}
     * @param maxIterations the budget, {@code > 0}
     * @param observer      called after every iteration; {@code false} stops
     * @return the iteration count; {@link #logBarycenter()}, {@link #error()} and {@link #stopped()} describe the end
     * @throws IllegalArgumentException on non-positive settings or a null observer
     * @throws IllegalStateException    if this engine was not made by {@link #barycentric}
     */
    public long iterate(double tolerance, long maxIterations, IterationObserver observer) {
        if (blocks == null) {
            throw new IllegalStateException("only a barycentric engine runs by iterate(...); use solve(...)");
        }
        Policy p = new Policy(Arguments.positive("tolerance", tolerance),
                Arguments.positive("maxIterations", maxIterations), false, false, false, false, 0, false);
        observer = Arguments.notNull("observer", observer);
        lastError = Double.POSITIVE_INFINITY;
        iterateStages(null, null, new double[] {1.0}, 0, p, observer);
        return iterations;
    }

    /** \( \log p \), the barycenter of the last {@link #iterate} (a copy). */
    public double[] logBarycenter() {
        return ((MarginalStep.GeometricMean) rowStep).logBarycenter().clone();
    }

    /** The loop's last residual (the L1 row residual before the row step), {@code +infinity} before a run. */
    public double error() {
        return lastError;
    }

    /** Whether the observer stopped the last run. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Runs the stages {@code eps} (the last is the target) from the warm start, counting iterations from
     * {@code firstIteration}, and returns the result at the target.
     */
    SinkhornResult run(double[] fInit, double[] gInit, double[] eps, long firstIteration, Policy p,
            IterationObserver obs) {
        double target = eps[eps.length - 1];
        iterateStages(fInit, gInit, eps, firstIteration, p, obs);
        if (stats == null || stats.error > p.tolerance) {
            stats = statistics(target);
        }
        return result(target);
    }

    /** The stages {@code eps} from the warm start, and an exact row step at the target if the budget ran out early. */
    private void iterateStages(double[] fInit, double[] gInit, double[] eps, long firstIteration, Policy p,
            IterationObserver obs) {
        double target = eps[eps.length - 1];
        policy = p;
        observer = obs;
        f = fInit == null ? new double[n] : fInit.clone();
        g = gInit == null ? new double[m] : gInit.clone();
        iterations = firstIteration;
        stopped = false;
        reachedTarget = false;
        retried = false;
        deferred = false;
        stats = null;
        for (int s = 0; s < eps.length; s++) {
            if (stage(eps[s], s == eps.length - 1)) {
                break;
            }
        }
        if (!reachedTarget) {
            // the budget ran out at a larger epsilon: one exact f-update at the target keeps every P_ij <= a_i
            for (int j = 0; j < w.length; j++) {
                w[j] = g[j] + target * logb[j];
            }
            rowLogSums(target);
            rowStep.update(f, logS, target, 1);
        }
    }

    /**
     * One stage at {@code e}: iterates until its tolerance, its cap, the budget or the observer; returns whether the
     * run is over (converged, stopped or out of budget).
     */
    private boolean stage(double e, boolean last) {
        double tol = policy.tolerance;
        long maxIt = policy.maxIterations;
        double stageTol = last ? tol : Math.max(tol, STAGE_TOLERANCE);
        if (kernel != null) {
            kernel.build(f, g, e, policy.mixedPrecision);
        }
        int stageIterations = 0;
        long stageStart = iterations;
        double omega = 1;
        double lastCheck = Double.POSITIVE_INFINITY;
        double singleCheck = Double.POSITIVE_INFINITY;
        Arrays.fill(history, Double.NaN);
        while (!stopped && iterations < maxIt && (last || stageIterations < STAGE_MAX_ITERATIONS)) {
            iterations++;
            stageIterations++;
            reachedTarget = last;
            // relaxed iterations alternate with exact checks: a plain g-update makes the column condition exact
            boolean check = omega == 1 || stageIterations % CHECK_EVERY == 0;
            // g-update: logT_j = log sum_i a_i exp((f_i + g_j - C_ij)/eps)
            boolean colsOk = kernel != null && kernelLogSums(true, e);
            if (!colsOk) {
                for (int i = 0; i < h.length; i++) {
                    h[i] = f[i] + e * loga[i];
                }
                colLogSums(e);
            }
            colStep.update(g, logT, e, check ? 1 : omega);
            // f-update: logS_i = log sum_j b_j exp((f_i + g_j - C_ij)/eps) = log((P 1)_i / a_i)
            boolean rowsOk = kernel != null && kernelLogSums(false, e);
            if (!rowsOk) {
                for (int j = 0; j < w.length; j++) {
                    w[j] = g[j] + e * logb[j];
                }
                rowLogSums(e);
            }
            double err = rowStep.residual(a, loga, f, logS);
            lastError = err;
            stopped = !observer.observe(new IterationStatus(iterations, err, Double.NaN));
            if (kernel != null && kernel.single() && check) {
                boolean close = err <= Math.max(stageTol, SINGLE_PRECISION_ERROR);
                boolean stalled = !(err < singleCheck); // e.g. single-precision rounding dominates
                singleCheck = err;
                if (close && !last) {
                    return false;
                }
                if (last && (close || stalled)) {
                    // the single-precision kernel has done its part: polish in double precision
                    kernel.build(f, g, e, false);
                    continue;
                }
            }
            if (check && err <= stageTol) {
                if (!last) {
                    return false;
                }
                if (!policy.newton) {
                    return true; // the loop's estimate decides
                }
                stats = statistics(e);
                if (stats.error <= tol) {
                    return true;
                }
            }
            // not on a truncated kernel: each conjugate-gradient step costs two passes over the kept entries, and
            // the multiscale levels start close enough for the over-relaxed iteration (measured at 10^4 points,
            // eps = 1e-4 R: 160 iterations without the hand-over, 490 with it)
            if (policy.newton && !(ground instanceof TruncatedGibbsKernel) && last && check && !stopped
                    && (kernel == null || !kernel.single())
                    && iterations - stageStart >= (policy.scheduled && !retried ? NEWTON_AFTER_SCALING
                    : SemiDualNewton.NEWTON_AFTER)) {
                // the scaling iteration converges too slowly: finish with Newton's method
                if (newton(e)) {
                    return true;
                }
                // Newton's line search found no better point (far from the solution): go on with plain
                // iterations from its potentials, and try Newton again later
                omega = 1;
                stageIterations = 0;
                Arrays.fill(history, Double.NaN);
                stageStart = iterations;
                retried = true;
                continue;
            }
            if (omega > 1 && !(err < LARGE_ERROR)) {
                // far from a fixed point the relaxed steps can diverge: back to plain iterations at once (a run
                // that converges never sees such an error, so its iterates do not change)
                omega = 1;
                stageIterations = 0;
                Arrays.fill(history, Double.NaN);
            }
            if (policy.overRelaxation) {
                if (omega == 1) {
                    // plain phase: estimate the linear rate rho of Sinkhorn over the last RATE_WINDOW iterations
                    history[stageIterations % history.length] = err;
                    double old = stageIterations >= 2 * RATE_WINDOW
                            ? history[(stageIterations - RATE_WINDOW) % history.length] : Double.NaN;
                    if (old > 0 && err < old) {
                        double rho = Math.pow(err / old, 1.0 / RATE_WINDOW);
                        omega = Math.min(MAX_OMEGA, 2 / (1 + Math.sqrt(1 - rho)));
                        lastCheck = err;
                    }
                } else if (check) {
                    double mu = Math.pow(err / lastCheck, 1.0 / CHECK_EVERY);
                    if (mu < 1 && mu > omega - 1) {
                        // slower than the optimum: infer the plain rate from (mu + w - 1)^2 = mu w^2 rho
                        // (successive over-relaxation, Young 1954) and raise omega towards 2/(1+sqrt(1-rho))
                        double rho = (mu + omega - 1) * (mu + omega - 1) / (mu * omega * omega);
                        if (rho < 1) {
                            omega = Math.max(omega, Math.min(MAX_OMEGA, 2 / (1 + Math.sqrt(1 - rho))));
                        }
                    }
                    if (!(err < lastCheck)) {
                        omega = 1 + 0.5 * (omega - 1); // safeguard: damp the relaxation when the error grows
                        if (omega < 1.01) {
                            omega = 1;
                            stageIterations = 0;
                            Arrays.fill(history, Double.NaN);
                        }
                    }
                    lastCheck = err;
                }
            }
            rowStep.update(f, logS, e, omega);
            if (policy.translate) {
                translate(f, g, loga, logb, rowStep.rho(), colStep.rho());
            }
            if (kernel != null && (!colsOk || !rowsOk || drift(e) > ABSORB)) {
                kernel.build(f, g, e, kernel.single());
            }
        }
        return iterations >= maxIt || stopped;
    }

    /**
     * The hand-over to {@link SemiDualNewton} at {@code e}, after the deferred epsilon-scaling stages when the policy
     * asks for them (once per run); returns whether the run is over.
     */
    private boolean newton(double e) {
        long maxIt = policy.maxIterations;
        if (!deferred && policy.deferredRange > 0) {
            deferred = true;
            if (e < AUTO_SCALING_RATIO * policy.deferredRange) {
                // far from the solution at a small epsilon Newton's damped phase is slow: bring the potentials close
                for (double s = policy.deferredRange; s > e && iterations < maxIt && !stopped; s *= 0.5) {
                    stage(s, false);
                }
                if (kernel != null) {
                    kernel.build(f, g, e, false);
                }
                if (stopped || iterations >= maxIt) {
                    return true;
                }
            }
        }
        SemiDualNewton newton = new SemiDualNewton(ground, kernel, a, b, rowStep.rho(), colStep.rho(), e);
        try {
            iterations = newton.polish(f, g, policy.tolerance, maxIt, iterations, observer);
            stopped = newton.stopped();
        } catch (IllegalArgumentException tooFar) {
            // potentials too far out for Newton (their plan overflows): go on with scaling
            iterations++;
        }
        reachedTarget = true;
        stats = statistics(e);
        return stats.error <= policy.tolerance || stopped || iterations >= maxIt;
    }

    /** The result at the target epsilon from the final potentials and statistics. */
    private SinkhornResult result(double target) {
        double dualA = 0;
        double dualB = 0;
        for (int i = 0; i < f.length; i++) {
            dualA += rowStep.dualTerm(a[i], loga[i], f[i]);
        }
        for (int j = 0; j < g.length; j++) {
            dualB += colStep.dualTerm(b[j], logb[j], g[j]);
        }
        double dual = dualA + dualB - target * (stats.mass - massProduct);
        double neglected = 0;
        double error = stats.error;
        LogDomainGibbsKernel planGround = ground;
        if (ground instanceof TruncatedGibbsKernel truncated) {
            // the dropped pairs change each row and column sum of the full plan by at most their mass
            neglected = truncated.neglectedMass(SinkhornSolver.hOf(f, loga, target),
                    SinkhornSolver.hOf(g, logb, target), target);
            error += 2 * neglected;
            planGround = truncated.full;
        }
        return new SinkhornResult(f, g, stats.cost, stats.objective, dual, target, neglected,
                new EntropicPlan(planGround, SinkhornSolver.hOf(f, loga, target), SinkhornSolver.hOf(g, logb, target),
                        target), Convergence.tested(iterations, error, policy.tolerance, stopped));
    }

    /** Exact statistics of the plan of the current potentials at {@code eps}: one pass over all entries. */
    private Stats statistics(double eps) {
        return statistics(ground, rowStep, colStep, f, g, loga, logb, a, b, eps, massProduct);
    }

    /**
     * Exact statistics of the plan of {@code (f, g)} at {@code eps}: its cost, the primal objective (with the
     * marginal terms of relaxed steps), the L1 residual of its marginals to their targets, and its mass.
     */
    static Stats statistics(LogDomainGibbsKernel ground, MarginalStep rowStep, MarginalStep colStep, double[] f,
            double[] g, double[] loga, double[] logb, double[] a, double[] b, double eps, double massProduct) {
        int n = ground.n;
        int m = ground.m;
        double[] rows = new double[n];
        double[] cols = new double[m];
        double cost = ground.planStatistics(SinkhornSolver.hOf(f, loga, eps), SinkhornSolver.hOf(g, logb, eps), eps,
                rows, cols);
        double error = 0;
        double mass = 0;
        double pairing = 0;
        double klA = 0;
        double klB = 0;
        boolean relaxedA = rowStep != MarginalStep.HARD;
        boolean relaxedB = colStep != MarginalStep.HARD;
        for (int i = 0; i < n; i++) {
            error += Math.abs(rows[i] - rowStep.target(a[i], loga[i], f[i]));
            mass += rows[i];
            pairing += f[i] * rows[i];
            if (relaxedA) {
                klA += kl(rows[i], a[i]);
            }
        }
        for (int j = 0; j < m; j++) {
            error += Math.abs(cols[j] - colStep.target(b[j], logb[j], g[j]));
            pairing += g[j] * cols[j];
            if (relaxedB) {
                klB += kl(cols[j], b[j]);
            }
        }
        // <C,P> + eps KL(P | a x b) = sum_ij P_ij (f_i + g_j) - eps (sum P - m_a m_b), since log(P/ab) = (f+g-C)/eps
        double objective = pairing - eps * (mass - massProduct);
        if (relaxedA) {
            objective += rowStep.rho() * klA;
        }
        if (relaxedB) {
            objective += colStep.rho() * klB;
        }
        return new Stats(cost, objective, error, mass);
    }

    /** The statistics of a plan: cost, objective, L1 residual of the marginals, mass. */
    record Stats(double cost, double objective, double error, double mass) {
    }

    /**
     * \( p\log(p/q) - p + q \), one entry of \( \mathrm{KL}(p\mid q) \), with \( 0\log 0 = 0 \); the logarithms are
     * taken apart when \( p/q \) overflows or underflows.
     *
     * @param p the entry of the first measure, {@code >= 0}
     * @param q the entry of the second, {@code > 0}
     * @return the entry
     */
    public static double kl(double p, double q) {
        if (p == 0) {
            return q;
        }
        double ratio = p / q;
        // (p / q can overflow or underflow for extreme weights; then the logarithms are taken apart)
        double log = ratio > 0 && ratio < Double.POSITIVE_INFINITY ? Math.log(ratio) : Math.log(p) - Math.log(q);
        return p * log - p + q;
    }

    /**
     * The exact maximisation of the dual along its gauge direction, \( (f + t, g - t) \), which leaves the entropic
     * term unchanged: \( \frac{d}{dt} D = A e^{-t/\rho_a} - B e^{t/\rho_b} \) with \( A = \langle a, e^{-f/\rho_a}\rangle \),
     * \( B = \langle b, e^{-g/\rho_b}\rangle \), so \( t = (\log A - \log B)/(1/\rho_a + 1/\rho_b) \) (S&eacute;journ&eacute;,
     * Vialard, Peyr&eacute; 2022); with \( \rho_a = \infty \), \( A e^{-t/\rho_a} \) reads \( m_a \).
     */
    static void translate(double[] f, double[] g, double[] loga, double[] logb, double rhoA, double rhoB) {
        boolean hardA = rhoA == Double.POSITIVE_INFINITY;
        boolean hardB = rhoB == Double.POSITIVE_INFINITY;
        if (hardA && hardB) {
            return; // balanced: the dual is constant along the gauge direction
        }
        double logA = logSumExp(loga, f, hardA ? 0 : 1 / rhoA);
        double logB = logSumExp(logb, g, hardB ? 0 : 1 / rhoB);
        double t = (logA - logB) / ((hardA ? 0 : 1 / rhoA) + (hardB ? 0 : 1 / rhoB));
        if (!Double.isFinite(t)) {
            return;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] += t;
        }
        for (int j = 0; j < g.length; j++) {
            g[j] -= t;
        }
    }

    /** \( \log\sum_i e^{\ell_i - s x_i} \), max-shifted. */
    private static double logSumExp(double[] logw, double[] x, double s) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, logw[i] - s * x[i]);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.exp(logw[i] - s * x[i] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * The column log-sums {@code logT} ({@code columns}) or the row log-sums {@code logS} through the stored kernel:
     * for columns \( u_i = a_i e^{(f_i - \bar f_i)/\varepsilon} \), \( \ell_j = (g_j - \bar g_j)/\varepsilon +
     * \log(\tilde K^\top u)_j \), and likewise for rows; {@code false} when a sum leaves the safe range (the caller
     * redoes the half-step in the log domain).
     */
    private boolean kernelLogSums(boolean columns, double e) {
        double inv = 1.0 / e;
        double[] weights = columns ? a : b;
        double[] x = columns ? f : g;
        double[] bar = columns ? kernel.fBar : kernel.gBar;
        double[] scaled = columns ? h : w;
        for (int k = 0; k < x.length; k++) {
            scaled[k] = weights[k] * Math.exp((x[k] - bar[k]) * inv);
        }
        if (columns) {
            kernel.colSums(scaled, logT);
            return logs(logT, g, kernel.gBar, inv);
        }
        kernel.rowSums(scaled, logS);
        return logs(logS, f, kernel.fBar, inv);
    }

    /** {@code sums[k]} becomes \( (x_k - \bar x_k)/\varepsilon + \log \) {@code sums[k]}, or {@code false}. */
    private static boolean logs(double[] sums, double[] x, double[] bar, double inv) {
        for (int k = 0; k < sums.length; k++) {
            double s = sums[k];
            if (!(s >= LogDomainGibbsKernel.LOW && s <= LogDomainGibbsKernel.HIGH)) {
                return false;
            }
            sums[k] = (x[k] - bar[k]) * inv + Math.log(s);
        }
        return true;
    }

    /** How far the potentials are from the stored kernel's, in units of \( \varepsilon \). */
    private double drift(double e) {
        double max = 0;
        for (int i = 0; i < f.length; i++) {
            max = Math.max(max, Math.abs(f[i] - kernel.fBar[i]));
        }
        for (int j = 0; j < g.length; j++) {
            max = Math.max(max, Math.abs(g[j] - kernel.gBar[j]));
        }
        return max / e;
    }

    /**
     * {@code logT} \( = \log\sum_i e^{(h_i + g_j - C_{ij})/\varepsilon} \) from {@code h} (which holds
     * \( f + \varepsilon\log a \)): the ground kernel's fused log-sum-exps or the couplings' products.
     */
    private void colLogSums(double e) {
        if (blocks != null) {
            blocks.columns(h, g, logb, logT);
        } else {
            ground.colLogSumExp(h, g, e, logT);
        }
    }

    /** {@code logS} \( = \log\sum_j e^{(f_i + w_j - C_{ij})/\varepsilon} \) from {@code w} (\( g + \varepsilon\log b \)). */
    private void rowLogSums(double e) {
        if (blocks != null) {
            blocks.rows(f, w, logS);
        } else {
            ground.rowLogSumExp(f, w, e, logS);
        }
    }

    /**
     * The block-diagonal kernel of stacked couplings (at \( \varepsilon = 1 \): potentials are log-scalings): the
     * products of {@link CoupledKernels} on slices of the stacked vectors.
     */
    private static final class Blocks {
        private final CoupledKernels kernels;
        private final int[] index;
        private final int[] offsets;
        private final int n;
        private final double[] rowsIn;
        private final double[] rowsOut;
        private final double[][] colsIn;
        private final double[][] colsOut;

        Blocks(CoupledKernels kernels, int[] index, int[] offsets, int n) {
            this.kernels = kernels;
            this.index = index;
            this.offsets = offsets;
            this.n = n;
            this.rowsIn = new double[n];
            this.rowsOut = new double[n];
            this.colsIn = new double[index.length][];
            this.colsOut = new double[index.length][];
            for (int u = 0; u < index.length; u++) {
                colsIn[u] = new double[offsets[u + 1] - offsets[u]];
                colsOut[u] = new double[offsets[u + 1] - offsets[u]];
            }
        }

        /** \( \mathrm{out}_j = g_j + \log(K_k^\top e^{\log u_k})_j \), hinted by \( \log v = g + \log b \). */
        void columns(double[] logu, double[] g, double[] logb, double[] out) {
            for (int u = 0; u < index.length; u++) {
                int start = offsets[u];
                double[] hint = colsIn[u];
                double[] o = colsOut[u];
                System.arraycopy(logu, u * n, rowsIn, 0, n);
                for (int j = 0; j < hint.length; j++) {
                    hint[j] = g[start + j] + logb[start + j];
                }
                kernels.transposed(index[u], rowsIn, hint, o);
                for (int j = 0; j < o.length; j++) {
                    out[start + j] = g[start + j] + o[j];
                }
            }
        }

        /** \( \mathrm{out}_i = \log u_{k,i} + \log(K_k e^{\log v_k})_i \), \( \log v \) = {@code logv}. */
        void rows(double[] logu, double[] logv, double[] out) {
            for (int u = 0; u < index.length; u++) {
                double[] v = colsIn[u];
                System.arraycopy(logv, offsets[u], v, 0, v.length);
                System.arraycopy(logu, u * n, rowsIn, 0, n);
                kernels.direct(index[u], v, rowsIn, rowsOut);
                for (int i = 0; i < n; i++) {
                    out[u * n + i] = rowsIn[i] + rowsOut[i];
                }
            }
        }
    }

    /** One line: the sizes, the marginal steps and the kernel. */
    @Override
    public String toString() {
        if (blocks != null) {
            return "ScalingEngine[barycentric, " + blocks.index.length + " couplings of " + blocks.n + " rows, "
                    + m + " columns in all, error=" + TextSummary.brief(lastError) + "]";
        }
        return "ScalingEngine[" + n + "x" + m + ", rhoSource=" + TextSummary.number(rowStep.rho())
                + ", rhoTarget=" + TextSummary.number(colStep.rho()) + ", "
                + (kernel != null ? "stored kernel" : "log domain") + "]";
    }
}
