package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;

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
 * <p><b>Epsilon-scaling</b> (automatic by default, for small epsilon): the solver runs a decreasing sequence
 * \( \varepsilon_0 > \varepsilon_0 q > \dots \) down to the target, warm-starting the potentials, and stops the
 * intermediate stages at a loose marginal error; only the last stage runs to the tolerance.
 * <b>Over-relaxation</b> (adaptive, on by default): after a few plain iterations measure the linear rate
 * \( \rho \), both updates are relaxed, \( f \leftarrow (1-\omega) f + \omega\,F(g) \) with
 * \( \omega \to 2/(1+\sqrt{1-\rho}) \) (Thibault et al. 2017; Young's SOR theory), which cuts the iteration count
 * several-fold at small epsilon.
 *
 * <p>Rows and columns are split into fixed chunks ({@link org.measureflow.core.parallel.Chunks}); every row or
 * column sum is computed by one thread in a fixed order, so parallel and serial runs give identical bits.
 */
public final class SinkhornSolver {
    /** Scalings beyond \( e^{\pm \tau} \) are absorbed into the potentials (kernel path). */
    static final double ABSORB = 100.0;
    /** Marginal error at which an intermediate epsilon-scaling stage stops. */
    static final double STAGE_TOLERANCE = 1e-3;
    /**
     * With the automatic schedule, epsilon-scaling runs only when \( \varepsilon \lt \) this ratio times the cost's
     * range: for larger epsilon the over-relaxed iteration converges faster from zero than through the stages
     * (measured on Gaussian clouds: 80 against 155 iterations at \( \varepsilon = 10^{-3} \max C \), 1280 against
     * 785 at \( 10^{-4} \max C \)).
     */
    static final double AUTO_SCALING_RATIO = 5e-4;
    /** Iteration cap of an intermediate epsilon-scaling stage. */
    static final int STAGE_MAX_ITERATIONS = 200;

    /** Marginal error below which a single-precision kernel is replaced by a double-precision one. */
    static final double SINGLE_PRECISION_ERROR = 1e-5;
    /** Relaxed iterations between two exact (plain) checks of the marginal error. */
    static final int CHECK_EVERY = 16;
    /** Iterations over which the plain contraction rate is measured. */
    static final int RATE_WINDOW = 3;
    /** Largest over-relaxation parameter used. */
    static final double MAX_OMEGA = 1.995;

    private final Options options;

    private SinkhornSolver(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}); change them with the withers, then call {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** A solver with the given options. */
    public static SinkhornSolver of(Options options) {
        return new SinkhornSolver(Arguments.notNull("options", options));
    }

    /** A solver with the default options. */
    public static SinkhornSolver withDefaults() {
        return new SinkhornSolver(Options.DEFAULTS);
    }

    /** This solver's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * Solves the entropic problem for marginals \( a \in \Sigma_n \), \( b \in \Sigma_m \) and a dense cost.
     *
     * @param a marginal on the rows: non-negative, finite, sum 1 (within {@link Histograms#SUM_TOLERANCE})
     * @param b marginal on the columns, likewise
     * @param c the {@code n x m} cost \( C \) (the result keeps a reference to it)
     * @throws IllegalArgumentException on null, mismatched sizes, or invalid weights, naming the argument
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c) {
        return solve(a, b, c, null, null);
    }

    /**
     * {@link #solve(double[], double[], CostMatrix)} warm-started from potentials \( f^{(0)}, g^{(0)} \) (copied;
     * {@code null} means zero).
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c, double[] fInit, double[] gInit) {
        Arguments.notNull("c", c);
        Histograms.requireProbability("a", a, c.rows());
        Histograms.requireProbability("b", b, c.cols());
        checkInit(fInit, gInit, c.rows(), c.cols());
        Ground ground = new Ground.Dense(c, options.parallel);
        return run(ground, a.clone(), b.clone(), fInit, gInit, c.maxAbs(), !options.logDomain);
    }

    /**
     * Solves the entropic problem between two weighted point clouds \( \mu = \sum_i a_i\delta_{x_i} \),
     * \( \nu = \sum_j b_j \delta_{y_j} \) for the squared Euclidean cost \( C_{ij} = |x_i - y_j|^2 \) (not halved),
     * computed on the fly: no {@code n x m} array is stored, memory is \( O((n+m)d) \).
     *
     * @throws IllegalArgumentException on null or different dimensions
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, y, null, null);
    }

    /** {@link #solve(ParticleMeasure, ParticleMeasure)} warm-started from potentials ({@code null} means zero). */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y, double[] fInit, double[] gInit) {
        Ground.Cloud ground = cloud(x, y, options.parallel);
        checkInit(fInit, gInit, x.size(), y.size());
        return run(ground, x.weights(), y.weights(), fInit, gInit, maxCostBound(ground.xs, ground.ys, ground.d),
                false);
    }

    static Ground.Cloud cloud(ParticleMeasure x, ParticleMeasure y, boolean parallel) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        if (x.dimension() != y.dimension()) {
            throw new IllegalArgumentException("y has dimension " + y.dimension() + ", expected " + x.dimension()
                    + " (the dimension of x)");
        }
        return new Ground.Cloud(x.flatPoints(), y.flatPoints(), x.dimension(), parallel);
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

    /** An upper bound of \( \max_{ij}|x_i - y_j|^2 \) from one bounding box (cheap: \( O((n+m)d) \)). */
    static double maxCostBound(double[] xs, double[] ys, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = k; i < xs.length; i += d) {
                lo = Math.min(lo, xs[i]);
                hi = Math.max(hi, xs[i]);
            }
            for (int i = k; i < ys.length; i += d) {
                lo = Math.min(lo, ys[i]);
                hi = Math.max(hi, ys[i]);
            }
            s += (hi - lo) * (hi - lo);
        }
        return s;
    }

    /** The decreasing sequence of epsilons ending at the target. */
    double[] schedule(double scale) {
        double target = options.epsilon;
        if (!options.epsilonScaling) {
            return new double[] {target};
        }
        boolean automatic = Double.isNaN(options.epsilonStart);
        if (automatic && !(target < AUTO_SCALING_RATIO * scale)) {
            return new double[] {target};
        }
        double start = automatic ? scale : options.epsilonStart;
        if (!(start > target)) {
            return new double[] {target};
        }
        int stages = 1 + (int) Math.ceil(Math.log(target / start) / Math.log(options.epsilonFactor) - 1e-9);
        double[] eps = new double[stages];
        double e = start;
        for (int s = 0; s < stages - 1; s++) {
            eps[s] = e;
            e *= options.epsilonFactor;
        }
        eps[stages - 1] = target;
        return eps;
    }

    private SinkhornResult run(Ground ground, double[] a, double[] b, double[] fInit, double[] gInit, double scale,
            boolean useKernel) {
        int n = ground.n;
        int m = ground.m;
        double[] loga = logs(a);
        double[] logb = logs(b);
        double[] f = fInit == null ? new double[n] : fInit.clone();
        double[] g = gInit == null ? new double[m] : gInit.clone();
        double[] h = new double[n];
        double[] w = new double[m];
        double[] logS = new double[n];
        double[] logT = new double[m];
        Kernel kernel = useKernel ? new Kernel((Ground.Dense) ground) : null;
        double[] eps = schedule(scale);
        double target = options.epsilon;
        double tol = options.tolerance;
        int maxIt = options.maxIterations;
        int iterations = 0;
        Stats stats = null;
        boolean reachedTarget = false;
        double[] history = new double[RATE_WINDOW + 1];

        stages:
        for (int s = 0; s < eps.length; s++) {
            double e = eps[s];
            boolean last = s == eps.length - 1;
            double stageTol = last ? tol : Math.max(tol, STAGE_TOLERANCE);
            if (kernel != null) {
                kernel.build(f, g, e, options.mixedPrecision);
            }
            int stageIterations = 0;
            double omega = 1;
            double lastCheck = Double.POSITIVE_INFINITY;
            double singleCheck = Double.POSITIVE_INFINITY;
            java.util.Arrays.fill(history, Double.NaN);
            while (iterations < maxIt && (last || stageIterations < STAGE_MAX_ITERATIONS)) {
                iterations++;
                stageIterations++;
                reachedTarget = last;
                // relaxed iterations alternate with exact checks: a plain g-update makes P^T 1 = b exact
                boolean check = omega == 1 || stageIterations % CHECK_EVERY == 0;
                double omegaG = check ? 1 : omega;
                // g-update: logT_j = log sum_i a_i exp((f_i + g_j - C_ij)/eps)
                boolean kernelOk = kernel != null && kernelColumns(kernel, f, g, a, h, logT, e);
                if (!kernelOk) {
                    for (int i = 0; i < n; i++) {
                        h[i] = f[i] + e * loga[i];
                    }
                    ground.colLogSums(h, g, e, logT);
                }
                for (int j = 0; j < m; j++) {
                    g[j] -= omegaG * e * logT[j];
                }
                // f-update: logS_i = log sum_j b_j exp((f_i + g_j - C_ij)/eps) = log((P 1)_i / a_i)
                boolean kernelRowOk = kernel != null && kernelRows(kernel, f, g, b, w, logS, e);
                if (!kernelRowOk) {
                    for (int j = 0; j < m; j++) {
                        w[j] = g[j] + e * logb[j];
                    }
                    ground.rowLogSums(f, w, e, logS);
                }
                double err = 0;
                for (int i = 0; i < n; i++) {
                    err += a[i] * Math.abs(Math.expm1(logS[i]));
                }
                if (kernel != null && kernel.single() && check) {
                    boolean close = err <= Math.max(stageTol, SINGLE_PRECISION_ERROR);
                    boolean stalled = !(err < singleCheck); // e.g. single-precision rounding dominates
                    singleCheck = err;
                    if (close && !last) {
                        continue stages;
                    }
                    if (last && (close || stalled)) {
                        // the single-precision kernel has done its part: polish in double precision
                        kernel.build(f, g, e, false);
                        continue;
                    }
                }
                if (check && err <= stageTol) {
                    if (!last) {
                        continue stages;
                    }
                    stats = statistics(ground, f, g, loga, logb, a, b, e);
                    if (stats.error <= tol) {
                        break stages;
                    }
                }
                if (options.overRelaxation) {
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
                                java.util.Arrays.fill(history, Double.NaN);
                            }
                        }
                        lastCheck = err;
                    }
                }
                double omegaF = omega;
                for (int i = 0; i < n; i++) {
                    f[i] -= omegaF * e * logS[i];
                }
                if (kernel != null && (!kernelOk || !kernelRowOk || drift(kernel, f, g, e) > ABSORB)) {
                    kernel.build(f, g, e, kernel.single());
                }
            }
            if (iterations >= maxIt) {
                break;
            }
        }
        if (!reachedTarget) {
            // the budget ran out at a larger epsilon: one exact f-update at the target keeps every P_ij <= a_i
            for (int j = 0; j < m; j++) {
                w[j] = g[j] + target * logb[j];
            }
            ground.rowLogSums(f, w, target, logS);
            for (int i = 0; i < n; i++) {
                f[i] -= target * logS[i];
            }
        }
        if (stats == null || stats.error > tol) {
            stats = statistics(ground, f, g, loga, logb, a, b, target);
        }
        double fa = 0;
        double gb = 0;
        for (int i = 0; i < n; i++) {
            fa += a[i] * f[i];
        }
        for (int j = 0; j < m; j++) {
            gb += b[j] * g[j];
        }
        double dual = fa + gb - target * (stats.mass - 1);
        double[] hh = new double[n];
        double[] ww = new double[m];
        for (int i = 0; i < n; i++) {
            hh[i] = f[i] + target * loga[i];
        }
        for (int j = 0; j < m; j++) {
            ww[j] = g[j] + target * logb[j];
        }
        return new SinkhornResult(f, g, stats.cost, stats.objective, dual, iterations, stats.error,
                stats.error <= tol, target, new EntropicPlan(ground, hh, ww, target));
    }

    /** Exact statistics of the plan of {@code (f, g)} at {@code eps}: one pass over all entries. */
    static Stats statistics(Ground ground, double[] f, double[] g, double[] loga, double[] logb, double[] a,
            double[] b, double eps) {
        int n = ground.n;
        int m = ground.m;
        double[] h = new double[n];
        double[] w = new double[m];
        for (int i = 0; i < n; i++) {
            h[i] = f[i] + eps * loga[i];
        }
        for (int j = 0; j < m; j++) {
            w[j] = g[j] + eps * logb[j];
        }
        double[] rows = new double[n];
        double[] cols = new double[m];
        double cost = ground.statistics(h, w, eps, rows, cols);
        double error = 0;
        double mass = 0;
        double pairing = 0;
        for (int i = 0; i < n; i++) {
            error += Math.abs(rows[i] - a[i]);
            mass += rows[i];
            pairing += f[i] * rows[i];
        }
        for (int j = 0; j < m; j++) {
            error += Math.abs(cols[j] - b[j]);
            pairing += g[j] * cols[j];
        }
        return new Stats(cost, pairing - eps * (mass - 1), error, mass);
    }

    record Stats(double cost, double objective, double error, double mass) {
    }

    private static boolean kernelColumns(Kernel k, double[] f, double[] g, double[] a, double[] ua, double[] logT,
            double e) {
        int n = f.length;
        double inv = 1.0 / e;
        for (int i = 0; i < n; i++) {
            ua[i] = a[i] * Math.exp((f[i] - k.fBar[i]) * inv);
        }
        k.colSums(ua, logT);
        for (int j = 0; j < logT.length; j++) {
            double s = logT[j];
            if (!(s >= Ground.LOW && s <= Ground.HIGH)) {
                return false;
            }
            logT[j] = (g[j] - k.gBar[j]) * inv + Math.log(s);
        }
        return true;
    }

    private static boolean kernelRows(Kernel k, double[] f, double[] g, double[] b, double[] vb, double[] logS,
            double e) {
        int m = g.length;
        double inv = 1.0 / e;
        for (int j = 0; j < m; j++) {
            vb[j] = b[j] * Math.exp((g[j] - k.gBar[j]) * inv);
        }
        k.rowSums(vb, logS);
        for (int i = 0; i < logS.length; i++) {
            double s = logS[i];
            if (!(s >= Ground.LOW && s <= Ground.HIGH)) {
                return false;
            }
            logS[i] = (f[i] - k.fBar[i]) * inv + Math.log(s);
        }
        return true;
    }

    private static double drift(Kernel k, double[] f, double[] g, double e) {
        double max = 0;
        for (int i = 0; i < f.length; i++) {
            max = Math.max(max, Math.abs(f[i] - k.fBar[i]));
        }
        for (int j = 0; j < g.length; j++) {
            max = Math.max(max, Math.abs(g[j] - k.gBar[j]));
        }
        return max / e;
    }

    static double[] logs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.log(a[i]);
        }
        return out;
    }

    /**
     * Immutable configuration of a {@link SinkhornSolver}. Defaults:
     * <ul>
     * <li>{@code epsilon = 1e-2}: the regularisation \( \varepsilon \), <em>absolute</em>, in the units of the cost
     *     (it is not rescaled by the cost's size; for \( |x-y|^2 \) on data of spread \( s \), compare it to
     *     \( s^2 \));</li>
     * <li>{@code tolerance = 1e-9}: stop when the L1 marginal error
     *     \( \|P\mathbf 1-a\|_1 + \|P^\top\mathbf 1-b\|_1 \le \) tolerance;</li>
     * <li>{@code maxIterations = 10000} iterations in total (over all epsilon-scaling stages);</li>
     * <li>{@code epsilonScaling = true} with an automatic schedule: when \( \varepsilon \lt 5\cdot 10^{-4} R \), with
     *     \( R \) the cost's range (dense: \( \max|C_{ij}| \); clouds: the squared diameter of a bounding box), the
     *     stages start at \( R \) and halve epsilon each time; for larger \( \varepsilon \) no scaling is done (it
     *     would cost more iterations than it saves). {@link #epsilonScaling(double, double)} sets an explicit
     *     schedule that always runs;</li>
     * <li>{@code logDomain = false}: dense costs use the stored stabilised kernel (set {@code true} to force the
     *     log-domain path and save the \( nm \) kernel);</li>
     * <li>{@code overRelaxation = true}: adaptive over-relaxation (see {@link #overRelaxation(boolean)});</li>
     * <li>{@code mixedPrecision = true}: single-precision kernel while the error is above \( 10^{-5} \) (see
     *     {@link #mixedPrecision(boolean)});</li>
     * <li>{@code parallel = true}: chunks run on the common fork-join pool when large enough (results are
     *     identical either way).</li>
     * </ul>
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        double epsilon = 1e-2;
        double tolerance = 1e-9;
        int maxIterations = 10_000;
        boolean epsilonScaling = true;
        double epsilonStart = Double.NaN;
        double epsilonFactor = 0.5;
        boolean overRelaxation = true;
        boolean mixedPrecision = true;
        boolean logDomain = false;
        boolean parallel = true;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
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
            return o;
        }

        /** The regularisation \( \varepsilon > 0 \), absolute (cost units). */
        public Options epsilon(double epsilon) {
            Options o = copy();
            o.epsilon = Arguments.positive("epsilon", epsilon);
            return o;
        }

        /** The L1 marginal error to reach, {@code > 0}. */
        public Options tolerance(double tolerance) {
            Options o = copy();
            o.tolerance = Arguments.positive("tolerance", tolerance);
            return o;
        }

        /** The total iteration budget, {@code > 0}. */
        public Options maxIterations(int maxIterations) {
            Options o = copy();
            o.maxIterations = Arguments.positive("maxIterations", maxIterations);
            return o;
        }

        /** Turns epsilon-scaling on (with the current start and factor) or off. */
        public Options epsilonScaling(boolean on) {
            Options o = copy();
            o.epsilonScaling = on;
            return o;
        }

        /**
         * Epsilon-scaling with an explicit schedule \( \varepsilon_k = \max(\varepsilon, s q^k) \).
         *
         * @param start  \( s > 0 \), the first epsilon (no scaling happens if {@code start <= epsilon})
         * @param factor \( q \in (0, 1) \)
         */
        public Options epsilonScaling(double start, double factor) {
            Arguments.positive("start", start);
            Arguments.positive("factor", factor);
            if (!(factor < 1)) {
                throw new IllegalArgumentException("factor must be < 1, got " + factor);
            }
            Options o = copy();
            o.epsilonScaling = true;
            o.epsilonStart = start;
            o.epsilonFactor = factor;
            return o;
        }

        /**
         * Turns adaptive over-relaxation on (default) or off. When on, each stage first runs plain iterations,
         * measures their linear rate \( \rho \), then relaxes both updates,
         * \( f \leftarrow (1-\omega) f + \omega F(g) \), with \( \omega = 2/(1+\sqrt{1-\rho}) \) (capped at 1.995;
         * Thibault et al. 2017). Every 16th iteration is a plain one, on which the marginal error is measured
         * exactly; from the observed relaxed rate \( \mu \) the plain rate is re-estimated through Young's relation
         * \( (\mu + \omega - 1)^2 = \mu\omega^2\rho \) and \( \omega \) raised accordingly, and \( \omega \) is
         * damped whenever the error grows. Off: plain Sinkhorn, checked every iteration.
         */
        public Options overRelaxation(boolean on) {
            Options o = copy();
            o.overRelaxation = on;
            return o;
        }

        /**
         * Stores the kernel of the dense path in single precision while the marginal error is above
         * \( 10^{-5} \) (on by default; halves the memory traffic of those iterations), then in double precision
         * until the tolerance. Results are decided by the double-precision phase and an exact final check, so they
         * do not depend on this switch beyond the tolerance.
         */
        public Options mixedPrecision(boolean on) {
            Options o = copy();
            o.mixedPrecision = on;
            return o;
        }

        /** Forces the log-domain path for dense costs (no stored kernel). */
        public Options logDomain(boolean on) {
            Options o = copy();
            o.logDomain = on;
            return o;
        }

        /** Allows ({@code true}, default) or forbids parallel chunks; the results are the same bits either way. */
        public Options parallel(boolean on) {
            Options o = copy();
            o.parallel = on;
            return o;
        }

        /** A solver with these options. */
        public SinkhornSolver solver() {
            return new SinkhornSolver(this);
        }

        /** \( \varepsilon \). */
        public double epsilon() {
            return epsilon;
        }

        /** The L1 marginal tolerance. */
        public double tolerance() {
            return tolerance;
        }

        /** The total iteration budget. */
        public int maxIterations() {
            return maxIterations;
        }

        /** Whether epsilon-scaling is on. */
        public boolean epsilonScaling() {
            return epsilonScaling;
        }

        /** Whether adaptive over-relaxation is on. */
        public boolean overRelaxation() {
            return overRelaxation;
        }

        /** Whether the dense kernel starts in single precision. */
        public boolean mixedPrecision() {
            return mixedPrecision;
        }

        /** Whether the log-domain path is forced. */
        public boolean logDomain() {
            return logDomain;
        }

        /** Whether parallel chunks are allowed. */
        public boolean parallel() {
            return parallel;
        }

        @Override
        public String toString() {
            return "SinkhornSolver.Options[epsilon=" + epsilon + ", tolerance=" + tolerance + ", maxIterations="
                    + maxIterations + ", epsilonScaling=" + epsilonScaling + ", epsilonStart="
                    + (Double.isNaN(epsilonStart) ? "auto" : epsilonStart) + ", epsilonFactor=" + epsilonFactor
                    + ", overRelaxation=" + overRelaxation + ", mixedPrecision=" + mixedPrecision + ", logDomain=" + logDomain + ", parallel=" + parallel + "]";
        }
    }
}
