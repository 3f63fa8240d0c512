package org.measureflow.ot.unbalanced;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.sinkhorn.LogKernel;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.StabilisedKernel;

/**
 * Unbalanced entropic optimal transport with KL-relaxed marginals (Chizat, Peyr&eacute;, Schmitzer, Vialard 2018,
 * "Scaling algorithms for unbalanced optimal transport problems"; survey &sect;4.2, the entropic regularisation of
 * eq. 10 with its marginal constraints relaxed). For non-negative \( a \in \mathbb R_+^n \), \( b \in \mathbb R_+^m \)
 * of any total masses \( m_a = \sum_i a_i \), \( m_b = \sum_j b_j \), it solves
 * \[ \mathrm{UOT}_{\varepsilon,\rho}(a,b) = \min_{P \ge 0}\ \langle C, P\rangle + \varepsilon\,\mathrm{KL}(P \mid a\otimes b)
 *   + \rho_a\,\mathrm{KL}(P\mathbf 1 \mid a) + \rho_b\,\mathrm{KL}(P^\top\mathbf 1 \mid b), \qquad
 *   \mathrm{KL}(p\mid q) = \sum p\log\tfrac pq - p + q , \]
 * whose solution is \( P_{ij} = a_i b_j e^{(f_i + g_j - C_{ij})/\varepsilon} \) for the maximisers of the dual
 * \[ D(f,g) = \rho_a\langle a, 1 - e^{-f/\rho_a}\rangle + \rho_b\langle b, 1 - e^{-g/\rho_b}\rangle
 *   - \varepsilon\bigl(\textstyle\sum_{ij} a_i b_j e^{(f_i+g_j-C_{ij})/\varepsilon} - m_a m_b\bigr). \]
 * The first-order conditions are \( P\mathbf 1 = a\, e^{-f/\rho_a} \) and \( P^\top\mathbf 1 = b\,e^{-g/\rho_b} \).
 * As \( \rho_a, \rho_b \to \infty \) the marginal terms become the constraints \( P \in U(a,b) \) and the problem is
 * the balanced \( \mathrm{OT}_\varepsilon \) of {@link org.measureflow.ot.sinkhorn.SinkhornSolver} (for
 * \( m_a = m_b = 1 \)); \( \rho = \infty \) is accepted for either side (a hard constraint on that marginal: the
 * semi-relaxed problem), and for both sides when the masses agree. For probability marginals and
 * \( \rho_a = \rho_b = \rho \), the gap to the balanced value is of order \( 1/\rho \):
 * \[ 0 \le \mathrm{OT}_\varepsilon - \mathrm{UOT}_{\varepsilon,\rho} = \frac{1}{2\rho}\min_t\bigl(\langle a,(f^\ast+t)^2\rangle
 *    + \langle b, (g^\ast-t)^2\rangle\bigr) + O(\rho^{-2}), \]
 * with \( (f^\ast, g^\ast) \) the balanced potentials: the balanced plan is feasible (upper bound); inserting
 * \( (f^\ast + t, g^\ast - t) \) into \( D \) with \( \rho(1 - e^{-x/\rho}) = x - x^2/(2\rho) + O(\rho^{-2}) \) gives the
 * lower bound, and moving off the balanced optimum gains only \( O(\rho^{-2}) \).
 *
 * <p><b>Iteration</b> (the scaling algorithm of Chizat et al. 2018 with the proximal operator of the KL marginal
 * term, in the log domain): exact block maximisations of \( D \),
 * \[ g_j \leftarrow -\frac{\rho_b}{\rho_b+\varepsilon}\,\varepsilon\log\sum_i a_i e^{(f_i - C_{ij})/\varepsilon},
 * \qquad f_i \leftarrow -\frac{\rho_a}{\rho_a+\varepsilon}\,\varepsilon\log\sum_j b_j e^{(g_j - C_{ij})/\varepsilon}, \]
 * that is, the balanced Sinkhorn update multiplied by \( \rho/(\rho+\varepsilon) \) (a contraction of rate
 * \( \rho/(\rho+\varepsilon) \) in the sup norm), followed by the exact maximisation of \( D \) along the gauge
 * direction \( (f+t, g-t) \) (closed form, see {@link Options#translationInvariant(boolean)}), without which large
 * \( \rho \) would converge at the rate \( 1 - 2\varepsilon/\rho \). Dense costs run on a stored stabilised kernel
 * ({@link StabilisedKernel}, Schmitzer 2019: matrix&ndash;vector products, potentials absorbed when the scalings
 * leave \( e^{\pm 100} \)) with a log-domain fallback for any half-step that would underflow; point clouds run on
 * fused log-sum-exps ({@link LogKernel}) with the cost computed on the fly. No NaN or overflow for any
 * \( \varepsilon > 0 \).
 *
 * <p><b>Stopping rule and reported error</b>: the {@link SinkhornResult#error()} of an unbalanced result is
 * the L1 <em>KKT residual</em> of its plan,
 * \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top \mathbf 1 - b e^{-g/\rho_b}\|_1 \) (with \( e^{-f/\infty} = 1 \), so
 * it is the balanced marginal error when \( \rho = \infty \)), recomputed exactly in a final pass. The loop measures
 * it after every \( g \)-update (when the column condition holds exactly) and stops once the exact residual of the
 * current potentials is below the tolerance.
 *
 * <p>Rows and columns are processed in fixed chunks, so parallel and serial runs give identical bits.
 */
public final class UnbalancedSinkhorn {
    /** Scalings beyond \( e^{\pm 100} \) are absorbed into the stored kernel's potentials (dense path). */
    static final double ABSORB = 100.0;

    private final Options options;

    private UnbalancedSinkhorn(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}); change them with the withers, then call {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** A solver with the given options. */
    public static UnbalancedSinkhorn of(Options options) {
        return new UnbalancedSinkhorn(Arguments.notNull("options", options));
    }

    /** A solver with the default options. */
    public static UnbalancedSinkhorn withDefaults() {
        return new UnbalancedSinkhorn(Options.DEFAULTS);
    }

    /** This solver's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * Solves \( \mathrm{UOT}_{\varepsilon,\rho}(a, b) \) for a dense cost.
     *
     * @param a non-negative finite weights of the rows with a positive sum (any total mass)
     * @param b non-negative finite weights of the columns with a positive sum (any total mass)
     * @param c the {@code n x m} cost (the result's plan keeps a reference to it)
     * @throws IllegalArgumentException on null, mismatched sizes or invalid weights (naming the argument), or when
     *                                  both \( \rho \) are infinite and the masses differ
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
        checkWeights("a", a, c.rows());
        checkWeights("b", b, c.cols());
        checkInit("fInit", fInit, c.rows());
        checkInit("gInit", gInit, c.cols());
        StabilisedKernel stored = options.logDomain ? null : StabilisedKernel.of(c, options.parallel);
        return run(LogKernel.of(c, options.parallel), stored, a.clone(), b.clone(), fInit, gInit);
    }

    /**
     * Solves the problem between two probability measures \( \mu = \sum_i a_i \delta_{x_i} \),
     * \( \nu = \sum_j b_j\delta_{y_j} \) for \( C_{ij} = |x_i - y_j|^2 \) (not halved) computed on the fly.
     *
     * @throws IllegalArgumentException on null or different dimensions
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, 1.0, y, 1.0);
    }

    /**
     * Solves the problem between the measures \( m_x\mu \) and \( m_y\nu \) of total masses {@code massX} and
     * {@code massY} (the weights of {@code x} and {@code y} scaled by them), squared Euclidean cost on the fly.
     *
     * @throws IllegalArgumentException on null, different dimensions, or masses that are not finite and positive
     */
    public SinkhornResult solve(ParticleMeasure x, double massX, ParticleMeasure y, double massY) {
        Arguments.positive("massX", massX);
        Arguments.positive("massY", massY);
        LogKernel kernel = LogKernel.of(x, y, options.parallel);
        double[] a = x.weights();
        double[] b = y.weights();
        for (int i = 0; i < a.length; i++) {
            a[i] *= massX;
        }
        for (int j = 0; j < b.length; j++) {
            b[j] *= massY;
        }
        checkMasses(sum(a), sum(b));
        return run(kernel, null, a, b, null, null);
    }

    private void checkWeights(String name, double[] w, int size) {
        Arguments.notNull(name, w);
        Arguments.length(name, w.length, size);
        Arguments.weights(name, w);
    }

    private void checkMasses(double ma, double mb) {
        if (options.rhoSource == Double.POSITIVE_INFINITY && options.rhoTarget == Double.POSITIVE_INFINITY
                && Math.abs(ma - mb) > Histograms.SUM_TOLERANCE * Math.max(ma, mb)) {
            throw new IllegalArgumentException("rho: both marginals are hard constraints (rho = infinity), which "
                    + "needs equal masses, got " + ma + " and " + mb);
        }
    }

    private static void checkInit(String name, double[] init, int size) {
        if (init != null) {
            Arguments.finite(name, init);
            Arguments.length(name, init.length, size);
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** \( \rho/(\rho+\varepsilon) \), and 1 for \( \rho = \infty \). */
    static double damping(double rho, double eps) {
        return rho == Double.POSITIVE_INFINITY ? 1.0 : rho / (rho + eps);
    }

    /** \( e^{-x/\rho} \), and 1 for \( \rho = \infty \). */
    static double relax(double x, double rho) {
        return rho == Double.POSITIVE_INFINITY ? 1.0 : Math.exp(-x / rho);
    }

    private SinkhornResult run(LogKernel kernel, StabilisedKernel stored, double[] a, double[] b, double[] fInit,
            double[] gInit) {
        int n = kernel.rows();
        int m = kernel.cols();
        checkMasses(sum(a), sum(b));
        double eps = options.epsilon;
        double rhoA = options.rhoSource;
        double rhoB = options.rhoTarget;
        double tauA = damping(rhoA, eps);
        double tauB = damping(rhoB, eps);
        double tol = options.tolerance;
        double[] loga = logs(a);
        double[] logb = logs(b);
        double[] f = fInit == null ? new double[n] : fInit.clone();
        double[] g = gInit == null ? new double[m] : gInit.clone();
        double[] h = new double[n];
        double[] w = new double[m];
        double[] logS = new double[n];
        double[] logT = new double[m];
        Stats stats = null;
        int iterations = 0;
        if (stored != null) {
            stored.absorb(f, g, eps);
        }
        while (iterations < options.maxIterations) {
            iterations++;
            // g-update: logT_j = log sum_i a_i exp((f_i + g_j - C_ij)/eps) = g_j/eps + log sum_i a_i e^{(f_i-C_ij)/eps}
            for (int i = 0; i < n; i++) {
                h[i] = f[i] + eps * loga[i];
            }
            boolean colOk = stored != null && stored.colLogSums(h, g, logT);
            if (!colOk) {
                kernel.colLogSums(h, g, eps, logT);
            }
            for (int j = 0; j < m; j++) {
                g[j] = -tauB * (eps * logT[j] - g[j]);
            }
            // f-update: logS_i = log((P 1)_i / a_i) for the current (f, g); P^T 1 = b e^{-g/rho_b} holds exactly now
            for (int j = 0; j < m; j++) {
                w[j] = g[j] + eps * logb[j];
            }
            boolean rowOk = stored != null && stored.rowLogSums(f, w, logS);
            if (!rowOk) {
                kernel.rowLogSums(f, w, eps, logS);
            }
            double err = 0;
            for (int i = 0; i < n; i++) {
                err += a[i] * Math.abs(Math.exp(logS[i]) - relax(f[i], rhoA));
            }
            for (int i = 0; i < n; i++) {
                f[i] = -tauA * (eps * logS[i] - f[i]);
            }
            if (options.translationInvariant) {
                translate(f, g, loga, logb, rhoA, rhoB);
            }
            if (stored != null && (!colOk || !rowOk || stored.drift(f, g) > ABSORB)) {
                stored.absorb(f, g, eps);
            }
            if (err <= tol) {
                stats = statistics(kernel, f, g, a, b, loga, logb);
                if (stats.residual <= tol) {
                    break;
                }
            }
        }
        if (stats == null || stats.residual > tol) {
            stats = statistics(kernel, f, g, a, b, loga, logb);
        }
        double ma = sum(a);
        double mb = sum(b);
        double dual = -eps * (stats.mass - ma * mb);
        for (int i = 0; i < n; i++) {
            dual += rhoA == Double.POSITIVE_INFINITY ? a[i] * f[i] : -rhoA * a[i] * Math.expm1(-f[i] / rhoA);
        }
        for (int j = 0; j < m; j++) {
            dual += rhoB == Double.POSITIVE_INFINITY ? b[j] * g[j] : -rhoB * b[j] * Math.expm1(-g[j] / rhoB);
        }
        double[] hh = new double[n];
        double[] ww = new double[m];
        for (int i = 0; i < n; i++) {
            hh[i] = f[i] + eps * loga[i];
        }
        for (int j = 0; j < m; j++) {
            ww[j] = g[j] + eps * logb[j];
        }
        return new SinkhornResult(f, g, stats.cost, stats.objective, dual, eps, kernel.plan(hh, ww, eps),
                Convergence.tested(iterations, stats.residual, tol, false));
    }

    /**
     * The exact maximisation of the dual along its gauge direction, \( (f + t, g - t) \), which leaves the entropic
     * term unchanged: \( \frac{d}{dt} D = A e^{-t/\rho_a} - B e^{t/\rho_b} \) with \( A = \langle a, e^{-f/\rho_a}\rangle \),
     * \( B = \langle b, e^{-g/\rho_b}\rangle \), so \( t = (\log A - \log B)/(1/\rho_a + 1/\rho_b) \) (Séjourné,
     * Vialard, Peyré 2022); with \( \rho_a = \infty \), \( A e^{-t/\rho_a} \) reads \( m_a \).
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

    /** Exact statistics of the plan of {@code (f, g)}: one pass over all entries. */
    private Stats statistics(LogKernel kernel, double[] f, double[] g, double[] a, double[] b, double[] loga,
            double[] logb) {
        int n = f.length;
        int m = g.length;
        double eps = options.epsilon;
        double rhoA = options.rhoSource;
        double rhoB = options.rhoTarget;
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
        double cost = kernel.statistics(h, w, eps, rows, cols);
        double mass = 0;
        double pairing = 0;
        double residual = 0;
        double klA = 0;
        double klB = 0;
        for (int i = 0; i < n; i++) {
            mass += rows[i];
            pairing += f[i] * rows[i];
            residual += Math.abs(rows[i] - a[i] * relax(f[i], rhoA));
            klA += kl(rows[i], a[i]);
        }
        for (int j = 0; j < m; j++) {
            pairing += g[j] * cols[j];
            residual += Math.abs(cols[j] - b[j] * relax(g[j], rhoB));
            klB += kl(cols[j], b[j]);
        }
        double ma = sum(a);
        double mb = sum(b);
        // <C,P> + eps KL(P | a x b) = sum_ij P_ij (f_i + g_j) - eps (sum P - m_a m_b), since log(P/ab) = (f+g-C)/eps
        double objective = pairing - eps * (mass - ma * mb);
        if (rhoA != Double.POSITIVE_INFINITY) {
            objective += rhoA * klA;
        }
        if (rhoB != Double.POSITIVE_INFINITY) {
            objective += rhoB * klB;
        }
        return new Stats(cost, objective, residual, mass);
    }

    /** \( p\log(p/q) - p + q \) for one entry, with \( 0\log 0 = 0 \). */
    static double kl(double p, double q) {
        if (p == 0) {
            return q;
        }
        return p * Math.log(p / q) - p + q;
    }

    private record Stats(double cost, double objective, double residual, double mass) {
    }

    private static double[] logs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.log(a[i]);
        }
        return out;
    }

    /**
     * Immutable configuration of an {@link UnbalancedSinkhorn}. Defaults:
     * <ul>
     * <li>{@code epsilon = 1e-2}: \( \varepsilon > 0 \), absolute, in cost units;</li>
     * <li>{@code rho = 1} on both marginals: \( \rho_a = \rho_b > 0 \), in cost units (transporting over a squared
     *     distance larger than about \( \rho \) costs more than destroying and creating mass);
     *     {@code Double.POSITIVE_INFINITY} makes that marginal a hard constraint;</li>
     * <li>{@code tolerance = 1e-9}: on the L1 KKT residual
     *     \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top\mathbf 1 - b e^{-g/\rho_b}\|_1 \);</li>
     * <li>{@code maxIterations = 10000};</li>
     * <li>{@code translationInvariant = true}: see {@link #translationInvariant(boolean)};</li>
     * <li>{@code logDomain = false}: dense costs use a stored stabilised kernel (see {@link #logDomain(boolean)});</li>
     * <li>{@code parallel = true}: chunks may run on the common fork-join pool (identical results either way).</li>
     * </ul>
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        double epsilon = 1e-2;
        double rhoSource = 1.0;
        double rhoTarget = 1.0;
        double tolerance = 1e-9;
        int maxIterations = 10_000;
        boolean translationInvariant = true;
        boolean logDomain = false;
        boolean parallel = true;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
            o.epsilon = epsilon;
            o.rhoSource = rhoSource;
            o.rhoTarget = rhoTarget;
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.translationInvariant = translationInvariant;
            o.logDomain = logDomain;
            o.parallel = parallel;
            return o;
        }

        private static double checkRho(String name, double rho) {
            if (!(rho > 0)) {
                throw new IllegalArgumentException(name + " must be > 0 (or +infinity for a hard constraint), got "
                        + rho);
            }
            return rho;
        }

        /** The entropic regularisation \( \varepsilon > 0 \), absolute (cost units). */
        public Options epsilon(double epsilon) {
            Options o = copy();
            o.epsilon = Arguments.positive("epsilon", epsilon);
            return o;
        }

        /** The marginal relaxation \( \rho_a = \rho_b = \rho > 0 \) ({@code +infinity}: balanced constraints). */
        public Options rho(double rho) {
            Options o = copy();
            o.rhoSource = checkRho("rho", rho);
            o.rhoTarget = o.rhoSource;
            return o;
        }

        /** The relaxation \( \rho_a > 0 \) of the source marginal \( P\mathbf 1 \approx a \) ({@code +infinity}: exact). */
        public Options rhoSource(double rho) {
            Options o = copy();
            o.rhoSource = checkRho("rhoSource", rho);
            return o;
        }

        /** The relaxation \( \rho_b > 0 \) of the target marginal \( P^\top\mathbf 1 \approx b \) ({@code +infinity}: exact). */
        public Options rhoTarget(double rho) {
            Options o = copy();
            o.rhoTarget = checkRho("rhoTarget", rho);
            return o;
        }

        /** The L1 KKT residual to reach, {@code > 0}. */
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

        /**
         * Turns on (default) or off the exact dual maximisation along the gauge direction \( (f+t, g-t) \) after
         * every iteration (translation-invariant Sinkhorn, Séjourné, Vialard, Peyré 2022). Plain scaling contracts
         * that direction only by \( (\rho/(\rho+\varepsilon))^2 \approx 1 - 2\varepsilon/\rho \) per iteration, which
         * makes large \( \rho \) slow; the translation costs \( O(n+m) \) and leaves the fixed point unchanged.
         */
        public Options translationInvariant(boolean on) {
            Options o = copy();
            o.translationInvariant = on;
            return o;
        }

        /**
         * Forces the log-domain path for dense costs ({@code true}); by default ({@code false}) dense costs use a
         * stored stabilised kernel ({@link StabilisedKernel}: \( nm \) extra doubles, matrix&ndash;vector products
         * instead of one exponential per entry, log-domain fallback for any half-step that would underflow).
         * Point clouds always use the log domain.
         */
        public Options logDomain(boolean on) {
            Options o = copy();
            o.logDomain = on;
            return o;
        }

        /** Whether the log-domain path is forced for dense costs. */
        public boolean logDomain() {
            return logDomain;
        }

        /** Whether the gauge translation is on. */
        public boolean translationInvariant() {
            return translationInvariant;
        }

        /** Allows ({@code true}, default) or forbids parallel chunks; the results are the same bits either way. */
        public Options parallel(boolean on) {
            Options o = copy();
            o.parallel = on;
            return o;
        }

        /** A solver with these options. */
        public UnbalancedSinkhorn solver() {
            return new UnbalancedSinkhorn(this);
        }

        /** \( \varepsilon \). */
        public double epsilon() {
            return epsilon;
        }

        /** \( \rho_a \) (source marginal). */
        public double rhoSource() {
            return rhoSource;
        }

        /** \( \rho_b \) (target marginal). */
        public double rhoTarget() {
            return rhoTarget;
        }

        /** The L1 KKT tolerance. */
        public double tolerance() {
            return tolerance;
        }

        /** The iteration budget. */
        public int maxIterations() {
            return maxIterations;
        }

        /** Whether parallel chunks are allowed. */
        public boolean parallel() {
            return parallel;
        }

        @Override
        public String toString() {
            return "UnbalancedSinkhorn.Options[epsilon=" + epsilon + ", rhoSource=" + rhoSource + ", rhoTarget="
                    + rhoTarget + ", tolerance=" + tolerance + ", maxIterations=" + maxIterations
                    + ", translationInvariant=" + translationInvariant + ", logDomain=" + logDomain + ", parallel="
                    + parallel + "]";
        }
    }
}
