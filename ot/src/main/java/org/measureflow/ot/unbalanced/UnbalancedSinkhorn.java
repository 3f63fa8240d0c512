package org.measureflow.ot.unbalanced;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Epsilon;
import org.measureflow.ot.sinkhorn.LogDomainGibbsKernel;
import org.measureflow.ot.sinkhorn.ScalingEngine;
import org.measureflow.ot.sinkhorn.SemiDualNewton;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.StoredGibbsKernel;

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
 * term, in the log domain; run by the {@link ScalingEngine} shared with balanced Sinkhorn, with its KL marginal
 * step): exact block maximisations of \( D \),
 * \[ g_j \leftarrow -\frac{\rho_b}{\rho_b+\varepsilon}\,\varepsilon\log\sum_i a_i e^{(f_i - C_{ij})/\varepsilon},
 * \qquad f_i \leftarrow -\frac{\rho_a}{\rho_a+\varepsilon}\,\varepsilon\log\sum_j b_j e^{(g_j - C_{ij})/\varepsilon}, \]
 * that is, the balanced Sinkhorn update multiplied by \( \rho/(\rho+\varepsilon) \) (a contraction of rate
 * \( \rho/(\rho+\varepsilon) \) in the sup norm), followed by the exact maximisation of \( D \) along the gauge
 * direction \( (f+t, g-t) \) (closed form, see {@link #withTranslationInvariant(boolean)}), without which large
 * \( \rho \) would converge at the rate \( 1 - 2\varepsilon/\rho \). Dense costs run on a stored stabilised kernel
 * ({@link StoredGibbsKernel}, Schmitzer 2019: matrix&ndash;vector products, potentials absorbed when the scalings
 * leave \( e^{\pm 100} \)) with a log-domain fallback for any half-step that would underflow; point clouds run on
 * fused log-sum-exps ({@link LogDomainGibbsKernel}) with the cost computed on the fly. No NaN or overflow for any
 * \( \varepsilon > 0 \).
 *
 * <p><b>Newton stage</b> (small epsilon): a run that has not converged after 256 iterations hands over to Newton's
 * method on the semi-dual with conjugate gradients ({@link SemiDualNewton}); when \( \varepsilon \lt 5\cdot 10^{-4} R
 * \) (\( R \) the cost's range) it first brings the potentials close by scaling iterations at decreasing epsilons
 * (from \( R \), halving; each to a residual of \( 10^{-3} \) or 200 iterations), since far from the solution at a
 * small epsilon Newton's damped phase is slow. Should Newton's line search find no better point, the scaling
 * iterations resume and may hand over again 256 iterations later. A run that converges within its first 256
 * iterations is unchanged by the Newton stage. Measured with \( \rho = R \): every \( \varepsilon \) from
 * \( 10^{-4} R \) to \( 10 R \) converges within the default budget ({@code benchmarks/RESULTS.md}).
 *
 * <p><b>Limits</b> (each rejected with an {@link IllegalArgumentException} naming the argument): as for
 * {@link org.measureflow.ot.sinkhorn.SinkhornSolver}, \( R \le 10^{300} \) and
 * \( 10^{-12} R \le \varepsilon \le 10^{300} \), point clouds whose squared distances may exceed \( 10^{300} \),
 * \( nm \ge 2^{31} \) for a dense cost; masses with \( (m_a + m_b + m_a m_b)(R + 1500(\varepsilon + \rho)) \gt
 * 10^{300} \) ({@link LogDomainGibbsKernel#checkMasses}); warm-start entries beyond
 * \( 10^6(R + \varepsilon) + 700\rho \).
 *
 * <p><b>Stopping rule and reported error</b>: the {@link SinkhornResult#error()} of an unbalanced result is
 * the L1 <em>KKT residual</em> of its plan,
 * \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top \mathbf 1 - b e^{-g/\rho_b}\|_1 \) (with \( e^{-f/\infty} = 1 \), so
 * it is the balanced marginal error when \( \rho = \infty \)), recomputed exactly in a final pass. The loop measures
 * it after every \( g \)-update (when the column condition holds exactly) and stops once the exact residual of the
 * current potentials is below the tolerance; an {@link IterationObserver} sees that estimate after every iteration.
 *
 * <p>Rows and columns are processed in fixed chunks, so parallel and serial runs give identical bits.
 *
 * <p>Made by {@link #of(double, double)} or {@link #of(Epsilon, double)}: \( \varepsilon \) and \( \rho \) are
 * required, both in cost units (neither has a scale-free default); a relative epsilon
 * ({@link Epsilon#relativeToMeanCost(double)}) is resolved against the mean cost under the product of the
 * <em>normalised</em> marginals \( a/m_a \otimes b/m_b \). Defaults of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9}: on the L1 KKT residual
 *     \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top\mathbf 1 - b e^{-g/\rho_b}\|_1 \);</li>
 * <li>{@code maxIterations = 10000};</li>
 * <li>{@code translationInvariant = true}: see {@link #withTranslationInvariant(boolean)};</li>
 * <li>{@code logDomain = false}: dense costs use a stored stabilised kernel (see {@link #withLogDomain(boolean)});</li>
 * <li>{@code parallel = true}: chunks may run on the common fork-join pool (identical results either way).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class UnbalancedSinkhorn {
    /** Warm starts with an entry beyond this many times the cost's range plus epsilon (plus 700 rho) are rejected. */
    static final double WARM_START_LIMIT = 1e6;

    private final Epsilon epsilon;
    private final double rhoSource;
    private final double rhoTarget;
    private final double tolerance;
    private final long maxIterations;
    private final boolean translationInvariant;
    private final boolean logDomain;
    private final boolean parallel;

    private UnbalancedSinkhorn(Epsilon epsilon, double rhoSource, double rhoTarget, double tolerance,
            long maxIterations, boolean translationInvariant, boolean logDomain, boolean parallel) {
        this.epsilon = epsilon;
        this.rhoSource = rhoSource;
        this.rhoTarget = rhoTarget;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.translationInvariant = translationInvariant;
        this.logDomain = logDomain;
        this.parallel = parallel;
    }

    /**
     * A solver for an absolute regularisation and one relaxation \( \rho_a = \rho_b = \rho \) of both marginals,
     * with the other defaults of the class documentation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in cost units
     * @param rho     \( \rho > 0 \) in cost units (transporting over a cost larger than about \( \rho \) costs more
     *                than destroying and creating mass), or {@code Double.POSITIVE_INFINITY} for hard constraints
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive or {@code rho} is not positive
     */
    public static UnbalancedSinkhorn of(double epsilon, double rho) {
        return of(Epsilon.absolute(epsilon), rho);
    }

    /**
     * A solver for a regularisation, absolute or relative to the mean cost, and one relaxation
     * \( \rho_a = \rho_b = \rho \) of both marginals, with the other defaults of the class documentation.
     *
     * @param epsilon the regularisation
     * @param rho     \( \rho > 0 \) in cost units, or {@code Double.POSITIVE_INFINITY} for hard constraints
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is null or {@code rho} is not positive
     */
    public static UnbalancedSinkhorn of(Epsilon epsilon, double rho) {
        Arguments.notNull("epsilon", epsilon);
        double r = checkRho("rho", rho);
        return new UnbalancedSinkhorn(epsilon, r, r, 1e-9, 10_000, true, false, true);
    }

    private static double checkRho(String name, double rho) {
        // +infinity is allowed: a hard constraint on that marginal
        return rho == Double.POSITIVE_INFINITY ? rho : Arguments.positive(name, rho);
    }

    /**
     * This solver with another absolute regularisation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in cost units
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public UnbalancedSinkhorn withEpsilon(double epsilon) {
        return withEpsilon(Epsilon.absolute(epsilon));
    }

    /**
     * This solver with another regularisation, absolute or relative.
     *
     * @param epsilon the regularisation
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is null
     */
    public UnbalancedSinkhorn withEpsilon(Epsilon epsilon) {
        return new UnbalancedSinkhorn(Arguments.notNull("epsilon", epsilon), rhoSource, rhoTarget, tolerance,
                maxIterations, translationInvariant, logDomain, parallel);
    }

    /**
     * This solver with another relaxation \( \rho_a \) of the source marginal \( P\mathbf 1 \approx a \).
     *
     * @param rhoSource \( \rho_a > 0 \) in cost units, or {@code Double.POSITIVE_INFINITY} (exact marginal)
     * @return a new solver
     * @throws IllegalArgumentException if {@code rhoSource} is not positive
     */
    public UnbalancedSinkhorn withRhoSource(double rhoSource) {
        return new UnbalancedSinkhorn(epsilon, checkRho("rhoSource", rhoSource), rhoTarget, tolerance,
                maxIterations, translationInvariant, logDomain, parallel);
    }

    /**
     * This solver with another relaxation \( \rho_b \) of the target marginal \( P^\top\mathbf 1 \approx b \).
     *
     * @param rhoTarget \( \rho_b > 0 \) in cost units, or {@code Double.POSITIVE_INFINITY} (exact marginal)
     * @return a new solver
     * @throws IllegalArgumentException if {@code rhoTarget} is not positive
     */
    public UnbalancedSinkhorn withRhoTarget(double rhoTarget) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, checkRho("rhoTarget", rhoTarget), tolerance,
                maxIterations, translationInvariant, logDomain, parallel);
    }

    /**
     * This solver with another tolerance on the L1 KKT residual.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public UnbalancedSinkhorn withTolerance(double tolerance) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, rhoTarget, Arguments.positive("tolerance", tolerance),
                maxIterations, translationInvariant, logDomain, parallel);
    }

    /**
     * This solver with another iteration budget.
     *
     * @param maxIterations {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public UnbalancedSinkhorn withMaxIterations(long maxIterations) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, rhoTarget, tolerance,
                Arguments.positive("maxIterations", maxIterations), translationInvariant, logDomain, parallel);
    }

    /**
     * This solver with the exact dual maximisation along the gauge direction \( (f+t, g-t) \) after every iteration
     * on (default) or off (translation-invariant Sinkhorn, S&eacute;journ&eacute;, Vialard, Peyr&eacute; 2022).
     * Plain scaling contracts that direction only by \( (\rho/(\rho+\varepsilon))^2 \approx 1 - 2\varepsilon/\rho \)
     * per iteration, which makes large \( \rho \) slow; the translation costs \( O(n+m) \) and leaves the fixed
     * point unchanged.
     *
     * @param translationInvariant whether to translate
     * @return a new solver
     */
    public UnbalancedSinkhorn withTranslationInvariant(boolean translationInvariant) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, rhoTarget, tolerance, maxIterations, translationInvariant,
                logDomain, parallel);
    }

    /**
     * This solver with the log-domain path forced for dense costs ({@code true}) or not (default: dense costs use a
     * {@link StoredGibbsKernel}, \( nm \) extra doubles, matrix&ndash;vector products instead of one exponential
     * per entry, log-domain fallback for any half-step that would underflow). Point clouds always use the log
     * domain.
     *
     * @param logDomain whether to force the log domain
     * @return a new solver
     */
    public UnbalancedSinkhorn withLogDomain(boolean logDomain) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, rhoTarget, tolerance, maxIterations, translationInvariant,
                logDomain, parallel);
    }

    /**
     * This solver with parallel chunks allowed (default) or forbidden; the results are the same bits either way.
     *
     * @param parallel whether to use the common fork-join pool for large problems
     * @return a new solver
     */
    public UnbalancedSinkhorn withParallel(boolean parallel) {
        return new UnbalancedSinkhorn(epsilon, rhoSource, rhoTarget, tolerance, maxIterations, translationInvariant,
                logDomain, parallel);
    }

    /** The regularisation, absolute or relative to the mean cost. */
    public Epsilon epsilon() {
        return epsilon;
    }

    /** \( \rho_a \), the relaxation of the source marginal ({@code +infinity}: exact). */
    public double rhoSource() {
        return rhoSource;
    }

    /** \( \rho_b \), the relaxation of the target marginal ({@code +infinity}: exact). */
    public double rhoTarget() {
        return rhoTarget;
    }

    /** The tolerance on the L1 KKT residual. */
    public double tolerance() {
        return tolerance;
    }

    /** The iteration budget. */
    public long maxIterations() {
        return maxIterations;
    }

    /** Whether the gauge translation is on. */
    public boolean translationInvariant() {
        return translationInvariant;
    }

    /** Whether the log-domain path is forced for dense costs. */
    public boolean logDomain() {
        return logDomain;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * Solves \( \mathrm{UOT}_{\varepsilon,\rho}(a, b) \) for a dense cost.
     *
     * @param a non-negative finite weights of the rows with a positive sum (any total mass)
     * @param b non-negative finite weights of the columns with a positive sum (any total mass)
     * @param c the {@code n x m} cost (the result's plan keeps a reference to it)
     * @return the potentials, values, plan, and convergence with the KKT residual as error
     * @throws IllegalArgumentException on null, mismatched sizes or invalid weights (naming the argument), when
     *                                  both \( \rho \) are infinite and the masses differ, or beyond the limits of the
     *                                  class documentation (costs, epsilon, masses, \( nm \))
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c) {
        return solve(a, b, c, null, null, IterationObserver.none());
    }

    /**
     * {@link #solve(double[], double[], CostMatrix)} watched by an observer, called after every iteration with the
     * iteration count and the loop's KKT residual estimate; returning {@code false} stops the solve.
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
     *                                  wrong length, a non-finite entry or entries beyond
     *                                  \( 10^6(R + \varepsilon) + 700\rho \)
     */
    public SinkhornResult solve(double[] a, double[] b, CostMatrix c, double[] fInit, double[] gInit,
            IterationObserver observer) {
        Arguments.notNull("c", c);
        Arguments.product("n * m", c.rows(), c.cols());
        checkWeights("a", a, c.rows());
        checkWeights("b", b, c.cols());
        checkInit("fInit", fInit, c.rows());
        checkInit("gInit", gInit, c.cols());
        Arguments.notNull("observer", observer);
        double scale = c.maxAbs();
        double eps = LogDomainGibbsKernel.checkedEpsilon("c", scale, epsilon.isRelative()
                ? epsilon.resolve(c, normalised(a), normalised(b)) : epsilon.value());
        LogDomainGibbsKernel.checkMasses("a", "b", sum(a), sum(b), scale, eps, rhoSource, rhoTarget);
        checkWarmStart("fInit", fInit, scale, eps, rhoSource);
        checkWarmStart("gInit", gInit, scale, eps, rhoTarget);
        StoredGibbsKernel stored = logDomain ? null : StoredGibbsKernel.of(c, parallel);
        return run(LogDomainGibbsKernel.of(c, parallel), stored, a.clone(), b.clone(), fInit, gInit, eps, observer);
    }

    /**
     * Solves the problem between two probability measures \( \mu = \sum_i a_i \delta_{x_i} \),
     * \( \nu = \sum_j b_j\delta_{y_j} \) for \( C_{ij} = |x_i - y_j|^2 \) (not halved) computed on the fly.
     *
     * @param x the source cloud
     * @param y the target cloud, same dimension
     * @return the potentials, values, plan, and convergence with the KKT residual as error
     * @throws IllegalArgumentException on null or different dimensions, or beyond the limits of the class
     *                                  documentation (squared distances, epsilon)
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, 1.0, y, 1.0, IterationObserver.none());
    }

    /**
     * {@link #solve(ParticleMeasure, ParticleMeasure)} watched by an observer (see
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)}).
     *
     * @throws IllegalArgumentException as {@link #solve(ParticleMeasure, ParticleMeasure)}, or if {@code observer}
     *                                  is null
     */
    public SinkhornResult solve(ParticleMeasure x, ParticleMeasure y, IterationObserver observer) {
        return solve(x, 1.0, y, 1.0, observer);
    }

    /**
     * Solves the problem between the measures \( m_x\mu \) and \( m_y\nu \) of total masses {@code massX} and
     * {@code massY} (the weights of {@code x} and {@code y} scaled by them), squared Euclidean cost on the fly.
     *
     * @param x     the source cloud
     * @param massX its total mass \( m_x \), finite and {@code > 0}
     * @param y     the target cloud, same dimension
     * @param massY its total mass \( m_y \), finite and {@code > 0}
     * @return the potentials, values, plan, and convergence with the KKT residual as error
     * @throws IllegalArgumentException on null, different dimensions, masses that are not finite and positive (or so
     *                                  small that every weight times them underflows), or beyond the limits of the
     *                                  class documentation
     */
    public SinkhornResult solve(ParticleMeasure x, double massX, ParticleMeasure y, double massY) {
        return solve(x, massX, y, massY, IterationObserver.none());
    }

    /**
     * {@link #solve(ParticleMeasure, double, ParticleMeasure, double)} watched by an observer (see
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)}).
     *
     * @throws IllegalArgumentException as {@link #solve(ParticleMeasure, double, ParticleMeasure, double)}, or if
     *                                  {@code observer} is null
     */
    public SinkhornResult solve(ParticleMeasure x, double massX, ParticleMeasure y, double massY,
            IterationObserver observer) {
        Arguments.positive("massX", massX);
        Arguments.positive("massY", massY);
        LogDomainGibbsKernel kernel = LogDomainGibbsKernel.of(x, y, parallel);
        Arguments.notNull("observer", observer);
        double eps = LogDomainGibbsKernel.checkedEpsilon("x", kernel.costScale(), epsilon.resolve(x, y));
        double[] a = x.weights();
        double[] b = y.weights();
        for (int i = 0; i < a.length; i++) {
            a[i] *= massX;
        }
        for (int j = 0; j < b.length; j++) {
            b[j] *= massY;
        }
        // (a mass so small that every weight times it underflows leaves no measure)
        Arguments.weights("massX", a);
        Arguments.weights("massY", b);
        checkMasses(sum(a), sum(b));
        LogDomainGibbsKernel.checkMasses("massX", "massY", sum(a), sum(b), kernel.costScale(), eps, rhoSource,
                rhoTarget);
        return run(kernel, null, a, b, null, null, eps, observer);
    }

    /** \( w / \sum_i w_i \) (for the mean cost of a relative epsilon). */
    private static double[] normalised(double[] w) {
        double s = sum(w);
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / s;
        }
        return out;
    }

    private void checkWeights(String name, double[] w, int size) {
        Arguments.notNull(name, w);
        Arguments.length(name, w.length, size);
        Arguments.weights(name, w);
    }

    private void checkMasses(double ma, double mb) {
        // a rule Arguments cannot state: two hard marginal constraints need equal masses
        if (rhoSource == Double.POSITIVE_INFINITY && rhoTarget == Double.POSITIVE_INFINITY
                && Math.abs(ma - mb) > Arguments.PROBABILITY_SUM_TOLERANCE * Math.max(ma, mb)) {
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

    /**
     * Rejects a warm start with an entry beyond {@link #WARM_START_LIMIT} times the cost's range plus epsilon, plus
     * 700 \( \rho \) (the potentials enter through \( e^{-f/\rho} \), which stays finite up to \( f = -709\rho \)).
     */
    private static void checkWarmStart(String name, double[] init, double range, double eps, double rho) {
        if (init == null) {
            return;
        }
        double limit = WARM_START_LIMIT * (range + eps) + (rho == Double.POSITIVE_INFINITY ? 0 : 700 * rho);
        for (double v : init) {
            if (Math.abs(v) > limit) {
                // a rule Arguments cannot state: a bound from the cost's range, epsilon and rho
                throw new IllegalArgumentException(name + ": warm-start entries must be within " + limit + " ("
                        + WARM_START_LIMIT + " times the cost's range plus epsilon, plus 700 rho), got " + v);
            }
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /**
     * The solve on the {@link ScalingEngine}: KL marginal steps \( f \leftarrow \frac{\rho_a}{\rho_a+\varepsilon}
     * (f - \varepsilon\ell) \) (hard ones for \( \rho = \infty \)), plain iterations, the gauge translation if on,
     * and epsilon-scaling deferred to the first Newton hand-over.
     */
    private SinkhornResult run(LogDomainGibbsKernel kernel, StoredGibbsKernel stored, double[] a, double[] b,
            double[] fInit, double[] gInit, double eps, IterationObserver observer) {
        checkMasses(sum(a), sum(b));
        return ScalingEngine.of(kernel, stored, a, b, rhoSource, rhoTarget)
                .solve(fInit, gInit, eps, tolerance, maxIterations, translationInvariant, observer);
    }

    /** \( p\log(p/q) - p + q \) for one entry, with \( 0\log 0 = 0 \). */
    static double kl(double p, double q) {
        return ScalingEngine.kl(p, q);
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "UnbalancedSinkhorn[epsilon=" + epsilon + ", rhoSource=" + TextSummary.number(rhoSource)
                + ", rhoTarget=" + TextSummary.number(rhoTarget) + ", tolerance=" + TextSummary.brief(tolerance)
                + ", maxIterations=" + maxIterations + ", translationInvariant=" + translationInvariant
                + ", logDomain=" + logDomain + ", parallel=" + parallel + "]";
    }
}
