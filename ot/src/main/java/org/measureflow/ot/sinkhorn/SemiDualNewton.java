package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;

/**
 * Newton's method with conjugate gradients on the semi-dual of entropic optimal transport, balanced or with
 * KL-relaxed marginals (Brauer, Clason, Lorenz, Wirth 2017, "A Sinkhorn&ndash;Newton method for entropic optimal
 * transport"; Tang et al. 2024, "Accelerating Sinkhorn algorithm with sparse Newton iterations"): the final stage
 * of {@link SinkhornSolver} and {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn} when their scaling
 * iterations converge slowly, which happens at small \( \varepsilon \).
 *
 * <p><b>Why.</b> Near its fixed point a Sinkhorn iteration contracts the marginal error by the squared second
 * singular value \( \sigma_2^2 \) of \( D_r^{-1/2} P D_c^{-1/2} \). At \( \varepsilon \) of about \( 10^{-3} \)
 * times the cost's range, the plan of two point clouds is nearly a union of decoupled blocks (the cells of the exact
 * plan), and
 * \( 1-\sigma_2^2 \) falls to \( 10^{-6} \) (measured on 300-point Gaussian clouds, with a few more such outlying
 * modes): Sinkhorn, even over-relaxed, needs \( 10^4 \) to \( 10^6 \) iterations, while Newton's method resolves such
 * modes in a few steps, and conjugate gradients pay about one iteration for each outlying mode.
 *
 * <p><b>The problem.</b> The dual of
 * \( \min_{P\ge 0} \langle C,P\rangle + \varepsilon\mathrm{KL}(P\mid a\otimes b) + \rho_a\mathrm{KL}(P\mathbf 1\mid a)
 * + \rho_b\mathrm{KL}(P^\top\mathbf 1\mid b) \) (survey &sect;4, eq. 10 with relaxed marginals;
 * \( \rho = \infty \) is a hard constraint) is
 * \[ D(f,g) = \Phi_a(f) + \Phi_b(g) - \varepsilon\bigl(\textstyle\sum_{ij} a_i b_j e^{(f_i+g_j-C_{ij})/\varepsilon}
 *    - m_a m_b\bigr), \qquad \Phi_a(f) = \rho_a\langle a, 1 - e^{-f/\rho_a}\rangle \ (\langle a,f\rangle
 *    \text{ for } \rho_a = \infty). \]
 * Maximising over \( g \) in closed form (the Sinkhorn column update) gives the semi-dual \( F(f) = \max_g D(f,g) \),
 * with \( P^\top\mathbf 1 = c \), \( c_j = b_j e^{-g_j/\rho_b} \), and
 * \[ \nabla F = t - r, \qquad -\varepsilon\nabla^2 F = A = \kappa_a D_t + D_r - \frac{1}{1+\kappa_b} P D_c^{-1} P^\top,
 *    \qquad r = P\mathbf 1,\ t_i = a_i e^{-f_i/\rho_a},\ \kappa = \varepsilon/\rho. \]
 * \( A \) is positive semi-definite (its only null direction, for \( \rho_a=\rho_b=\infty \), is the constant one, to
 * which the right-hand side is orthogonal). One Newton step solves \( A x = \varepsilon(t - r) \) by conjugate
 * gradients preconditioned by the diagonal \( \kappa_a t + r \) (in which \( A \) reads
 * \( I - \tilde P\tilde P^\top/(1+\kappa_b) \), whose spectrum is the Sinkhorn contraction's), to a relative L1
 * residual of 0.1 (an inexact Newton step; tighter solves were measured not to pay: near these solutions Newton's
 * own convergence is linear, a factor of about 3 per step, because the slow modes' couplings grow exponentially
 * along them), then searches along \( f + s x \), \( s = 1, \frac12, \dots \), for a step that satisfies Armijo's
 * condition on \( F \), or lowers the error without lowering \( F \) beyond its rounding. The error is the L1
 * first-order residual \( \|P\mathbf 1 - t\|_1 \) after the exact column update (so \( \|P^\top\mathbf 1 - c\|_1 = 0
 * \)): the marginal error of balanced Sinkhorn and the KKT residual of unbalanced Sinkhorn.
 *
 * <p><b>Cost.</b> One column update with the error, one conjugate-gradient step (the products \( P^\top p \) and
 * \( P q \)) and one line-search trial each count as one iteration. A column update costs what a Sinkhorn iteration
 * costs. A conjugate-gradient step uses the plan's non-negligible entries, stored once per Newton step
 * ({@code TruncatedPlan}: entries below \( 10^{-14} \) of their row's and column's sums are dropped), so it costs a
 * multiply-add per kept entry; when they are too many (more than a quarter of the entries with a stored kernel, more than
 * \( \max(64(n+m), 2^{22}) \) without one), it takes the dense products instead, through the stored kernel in
 * double precision (\( P = \mathrm{diag}(u)\tilde K\mathrm{diag}(v) \)) or one exponential per entry. No allocation
 * per iteration; every sum is taken in a fixed order, so parallel runs give the same bits as serial ones.
 *
 * <p>Made by {@link #of}; mutable work space owned by one solve at a time (like {@link StoredGibbsKernel}).
 */
public final class SemiDualNewton {
    /**
     * Iterations of a scaling loop at its final epsilon after which, not converged, it hands over to
     * {@link #polish}; a solve that converges within them never runs a Newton step, so its results do not change.
     */
    public static final int NEWTON_AFTER = 256;
    /** Entries of a truncated plan allowed in any case on the log-domain path (48 MB). */
    static final long TRUNCATED_ENTRIES = 1L << 22;
    /** Largest number of step halvings in one line search. */
    static final int MAX_HALVINGS = 30;
    /** Relative rounding level of the semi-dual value (a few hundred ulps of the size of its terms). */
    static final double ROUNDING = 1e-13;
    /** Armijo's constant of the line search. */
    static final double ARMIJO = 1e-4;
    /** Largest relative residual of a conjugate-gradient solve (Eisenstat&ndash;Walker forcing term). */
    static final double MAX_FORCING = 0.1;
    /** The Newton loop stops at this fraction of the tolerance, leaving room for the exact final check. */
    static final double STOP_FRACTION = 0.5;

    private final LogDomainGibbsKernel ground;
    private final StoredGibbsKernel stored;
    private final int n;
    private final int m;
    private final double[] a;
    private final double[] b;
    private final double[] loga;
    private final double[] logb;
    private final double rhoA;
    private final double rhoB;
    private final double eps;
    private final double kappaA;
    private final double tauA;
    private final double tauB;
    private final double massProduct;
    private final boolean balanced;

    // the iterate and a trial point, each with its row sums r and row targets t
    private double[] f;
    private double[] g;
    private double[] r;
    private double[] t;
    private double[] f1;
    private double[] g1;
    private double[] r1;
    private double[] t1;
    // work space of the column update and of conjugate gradients
    private final double[] h;
    private final double[] w;
    private final double[] logS;
    private final double[] logT;
    private final double[] diag;
    private final double[] cInv;
    private final double[] x;
    private final double[] res;
    private final double[] z;
    private final double[] p;
    private final double[] ap;
    private final double[] q;
    private final double[] u;
    private final double[] v;
    private final double[] rowWork;
    private final double[] colWork;

    /** The non-negligible entries of the plan, for cheap products; {@code null} once they did not fit. */
    private TruncatedPlan truncated;
    private boolean useTruncated;
    private double error = Double.NaN;
    private double limit = -1;
    private boolean stopped;

    /** The solver of a problem whose arguments were checked already (by {@link SinkhornSolver}). */
    SemiDualNewton(LogDomainGibbsKernel ground, StoredGibbsKernel stored, double[] a, double[] b,
            double rhoA, double rhoB, double eps) {
        this.ground = ground;
        this.stored = stored;
        this.n = ground.n;
        this.m = ground.m;
        this.a = a.clone();
        this.b = b.clone();
        this.loga = SinkhornSolver.logs(a);
        this.logb = SinkhornSolver.logs(b);
        this.rhoA = rhoA;
        this.rhoB = rhoB;
        this.eps = eps;
        this.kappaA = rhoA == Double.POSITIVE_INFINITY ? 0 : eps / rhoA;
        this.tauA = damping(rhoA, eps);
        this.tauB = damping(rhoB, eps);
        this.massProduct = sum(a) * sum(b);
        this.balanced = rhoA == Double.POSITIVE_INFINITY && rhoB == Double.POSITIVE_INFINITY;
        f = new double[n];
        g = new double[m];
        r = new double[n];
        t = new double[n];
        f1 = new double[n];
        g1 = new double[m];
        r1 = new double[n];
        t1 = new double[n];
        h = new double[n];
        w = new double[m];
        logS = new double[n];
        logT = new double[m];
        diag = new double[n];
        cInv = new double[m];
        x = new double[n];
        res = new double[n];
        z = new double[n];
        p = new double[n];
        ap = new double[n];
        q = new double[m];
        u = new double[n];
        v = new double[m];
        rowWork = new double[n];
        colWork = new double[m];
        long entries = (long) n * m;
        // a stored kernel already holds n m doubles; without one the memory stays O(n + m) plus at most 48 MB
        long budget = stored != null ? entries / 4
                : Math.min(entries / 2, Math.max(64L * (n + m), TRUNCATED_ENTRIES));
        // a truncated kernel already sums over its kept pairs only; storing them would not fit the budget anyway
        truncated = budget > 0 && !(ground instanceof TruncatedGibbsKernel) ? new TruncatedPlan(ground, budget) : null;
    }

    /**
     * The Newton solver of one problem.
     *
     * @param ground    the cost (dense or point clouds), {@code n x m}
     * @param stored    a stored kernel of the same dense cost, or {@code null} (log domain); it is rebuilt in double
     *                  precision when needed
     * @param a         non-negative finite source weights, length {@code n}, positive sum (copied)
     * @param b         non-negative finite target weights, length {@code m}, positive sum (copied)
     * @param rhoSource \( \rho_a > 0 \), or {@code +infinity} for the hard constraint \( P\mathbf 1 = a \)
     * @param rhoTarget \( \rho_b > 0 \), or {@code +infinity} for the hard constraint \( P^\top\mathbf 1 = b \)
     * @param epsilon   \( \varepsilon \), finite and {@code > 0}
     * @return the solver, with its work space (about 30 vectors of length {@code n} or {@code m})
     * @throws IllegalArgumentException on null, wrong lengths, invalid weights, non-positive \( \rho \), unequal
     *                                  masses for two hard constraints, values that would overflow (see
     *                                  {@link LogDomainGibbsKernel#checkedEpsilon} and
     *                                  {@link LogDomainGibbsKernel#checkMasses}), or a stored kernel of another size
     */
    public static SemiDualNewton of(LogDomainGibbsKernel ground, StoredGibbsKernel stored, double[] a, double[] b,
            double rhoSource, double rhoTarget, double epsilon) {
        double[] masses = ScalingEngine.checkedMasses(ground, stored, a, b, rhoSource, rhoTarget);
        double range = ground.costScale();
        LogDomainGibbsKernel.checkedEpsilon("ground", range, epsilon);
        LogDomainGibbsKernel.checkMasses("a", "b", masses[0], masses[1], range, epsilon, rhoSource, rhoTarget);
        return new SemiDualNewton(ground, stored, a, b, rhoSource, rhoTarget, epsilon);
    }

    /** The L1 first-order residual \( \|P\mathbf 1 - t\|_1 \) after the last column update, {@code NaN} before. */
    public double error() {
        return error;
    }

    /** Whether the observer stopped the last {@link #polish}. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Runs Newton steps from the potentials {@code (fIn, gIn)} until the error is at most half the tolerance, the
     * iteration count reaches {@code maxIterations}, the line search finds no better point, or the observer says
     * stop; writes the final potentials (after an exact column update) back into {@code fIn} and {@code gIn}.
     *
     * @param fIn           the source potential, finite, length {@code n}; overwritten
     * @param gIn           the target potential, finite, length {@code m}; overwritten
     * @param tolerance     the tolerance on the error, {@code > 0}
     * @param maxIterations the iteration count at which to stop
     * @param iterations    the iterations already done (the count continues from here)
     * @param observer      called after every iteration with the current error
     * @return the iteration count at the end
     * @throws IllegalArgumentException on wrong lengths, non-finite potentials, potentials beyond
     *                                  \( 10^6(R+\varepsilon) + 700\rho \) in size (\( R \) the cost's range) or
     *                                  whose plan overflows after the first column update (then {@code fIn} and
     *                                  {@code gIn} are unchanged), or a non-positive tolerance
     */
    public long polish(double[] fIn, double[] gIn, double tolerance, long maxIterations, long iterations,
            IterationObserver observer) {
        Arguments.finite("f", fIn);
        Arguments.finite("g", gIn);
        Arguments.length("f", fIn.length, n);
        Arguments.length("g", gIn.length, m);
        Arguments.positive("tolerance", tolerance);
        Arguments.notNull("observer", observer);
        checkPotential("f", fIn, rhoA);
        checkPotential("g", gIn, rhoB);
        System.arraycopy(fIn, 0, f, 0, n);
        System.arraycopy(gIn, 0, g, 0, m);
        stopped = false;
        long it = iterations;
        double target = STOP_FRACTION * tolerance;
        if (stored != null && (stored.single() || stored.eps != eps)) {
            // (the products below cancel to 1e-6 relative: single precision is too coarse)
            stored.build(f, g, eps, false);
        }
        error = columnUpdate(f, g, r, t);
        if (!(error < Double.POSITIVE_INFINITY)) {
            // a rule Arguments cannot state: it concerns the plan of the potentials (fIn and gIn are unchanged)
            throw new IllegalArgumentException("f: the plan of these potentials overflows double precision (its "
                    + "marginal error after the column update is " + error + ")");
        }
        it++;
        stopped = !observer.observe(new IterationStatus(it, error, Double.NaN));
        while (!stopped && error > target && it < maxIterations && Double.isFinite(error)) {
            prepareProducts();
            long cg = conjugateGradients(target, maxIterations - it, observer, it);
            it += Math.abs(cg);
            if (cg < 0 || it >= maxIterations) {
                break; // stopped by the observer, or out of budget
            }
            // line search along f + s x; each trial is one column update
            double slope = 0;
            for (int i = 0; i < n; i++) {
                slope += (t[i] - r[i]) * x[i];
            }
            if (!(slope > 0)) {
                break; // no ascent direction left at this precision
            }
            double value = semiDual(f, g);
            boolean accepted = false;
            double s = 1;
            for (int k = 0; k < MAX_HALVINGS && it < maxIterations && !stopped; k++) {
                for (int i = 0; i < n; i++) {
                    f1[i] = f[i] + s * x[i];
                }
                System.arraycopy(g, 0, g1, 0, m);
                double trial = columnUpdate(f1, g1, r1, t1);
                it++;
                stopped = !observer.observe(new IterationStatus(it, Math.min(error, trial), Double.NaN));
                double trialValue = semiDual(f1, g1);
                // Armijo's condition on F; near the solution F's changes fall below its rounding, and then a lower
                // error decides (but never a step that visibly lowers F: a wild step can lower the error too)
                if (trialValue >= value + ARMIJO * s * slope
                        || (trial < error && trialValue >= value - ROUNDING * size(f1, g1))) {
                    accepted = true;
                    error = trial;
                    swap();
                    break;
                }
                s *= 0.5;
            }
            if (!accepted) {
                break;
            }
        }
        System.arraycopy(f, 0, fIn, 0, n);
        System.arraycopy(g, 0, gIn, 0, m);
        return it;
    }

    /** The size \( \sum_i |a_i f_i| + \sum_j |b_j g_j| \) of the terms of \( F \), for its rounding. */
    private double size(double[] fs, double[] gs) {
        double sz = eps * massProduct;
        for (int i = 0; i < n; i++) {
            sz += Math.abs(a[i] * fs[i]);
        }
        for (int j = 0; j < m; j++) {
            sz += Math.abs(b[j] * gs[j]);
        }
        return sz;
    }

    /**
     * Rejects potentials beyond \( 10^6 (R + \varepsilon) + 700\rho \) in size (\( R \) the cost's range): far
     * beyond any solution's, and large enough to leave no precision in \( f_i + g_j - C_{ij} \) or to overflow
     * \( e^{-f/\rho} \).
     */
    private void checkPotential(String name, double[] v, double rho) {
        if (limit < 0) {
            limit = 1e6 * (ground.costScale() + eps);
        }
        double bound = limit + (rho == Double.POSITIVE_INFINITY ? 0 : 700 * rho);
        for (double e : v) {
            if (Math.abs(e) > bound) {
                // a rule Arguments cannot state: a bound from the cost's range, epsilon and rho
                throw new IllegalArgumentException(name + ": potentials must be within " + bound + " (1e6 times the "
                        + "cost's range plus epsilon, plus 700 rho), got " + e);
            }
        }
    }

    /** Swaps the iterate and the accepted trial point. */
    private void swap() {
        double[] tmp = f;
        f = f1;
        f1 = tmp;
        tmp = g;
        g = g1;
        g1 = tmp;
        tmp = r;
        r = r1;
        r1 = tmp;
        tmp = t;
        t = t1;
        t1 = tmp;
    }

    /**
     * The exact column update \( g_j \leftarrow -\tau_b(\varepsilon\log\sum_i a_i e^{(f_i+g_j-C_{ij})/\varepsilon}
     * - g_j) \), \( \tau_b = \rho_b/(\rho_b+\varepsilon) \), then the row sums {@code rs} of the plan, the row
     * targets {@code ts} and the error \( \|rs - ts\|_1 \). Rows of weight zero get their c-transform value (they carry
     * no mass).
     */
    private double columnUpdate(double[] fs, double[] gs, double[] rs, double[] ts) {
        for (int i = 0; i < n; i++) {
            h[i] = fs[i] + eps * loga[i];
        }
        if (stored == null || !stored.colLogSums(h, gs, logT)) {
            ground.colLogSumExp(h, gs, eps, logT);
        }
        for (int j = 0; j < m; j++) {
            gs[j] = -tauB * (eps * logT[j] - gs[j]);
            w[j] = gs[j] + eps * logb[j];
        }
        if (stored == null || !stored.rowLogSums(fs, w, logS)) {
            ground.rowLogSumExp(fs, w, eps, logS);
        }
        double err = 0;
        for (int i = 0; i < n; i++) {
            rs[i] = a[i] == 0 ? 0 : a[i] * Math.exp(logS[i]); // (exp may overflow on a row of weight zero)
            ts[i] = rhoA == Double.POSITIVE_INFINITY ? a[i] : times(a[i], loga[i], -fs[i] / rhoA);
            err += Math.abs(rs[i] - ts[i]);
            if (a[i] == 0) {
                fs[i] = -tauA * (eps * logS[i] - fs[i]);
            }
        }
        return err;
    }

    /** \( F = \Phi_a(f) + \Phi_b(g) - \varepsilon(\sum_j c_j - m_a m_b) \) after a column update. */
    private double semiDual(double[] fs, double[] gs) {
        double value = 0;
        double mass = 0;
        for (int i = 0; i < n; i++) {
            value += rhoA == Double.POSITIVE_INFINITY ? a[i] * fs[i] : relaxedTerm(a[i], loga[i], fs[i], rhoA);
        }
        for (int j = 0; j < m; j++) {
            value += rhoB == Double.POSITIVE_INFINITY ? b[j] * gs[j] : relaxedTerm(b[j], logb[j], gs[j], rhoB);
            mass += columnMass(j, gs[j]);
        }
        return value - eps * (mass - massProduct);
    }

    /** The diagonal, the column scaling and the factors of \( P \) for the products of this Newton step. */
    private void prepareProducts() {
        double inv = 1.0 / eps;
        for (int i = 0; i < n; i++) {
            diag[i] = r[i] + kappaA * t[i];
        }
        for (int j = 0; j < m; j++) {
            double c = columnMass(j, g[j]);
            cInv[j] = c > 0 ? tauB / c : 0; // 1 / (c_j (1 + kappa_b)) = tau_b / c_j
        }
        if (stored != null) {
            if (stored.drift(f, g) > SinkhornSolver.ABSORB) {
                stored.build(f, g, eps, false);
            }
            for (int i = 0; i < n; i++) {
                u[i] = a[i] * Math.exp((f[i] - stored.fBar[i]) * inv);
            }
            for (int j = 0; j < m; j++) {
                v[j] = b[j] * Math.exp((g[j] - stored.gBar[j]) * inv);
            }
        } else {
            for (int i = 0; i < n; i++) {
                h[i] = f[i] + eps * loga[i];
            }
            for (int j = 0; j < m; j++) {
                w[j] = g[j] + eps * logb[j];
            }
        }
        useTruncated = false;
        if (truncated != null) {
            for (int j = 0; j < m; j++) {
                colWork[j] = columnMass(j, g[j]);
            }
            useTruncated = truncated.build(stored, u, v, h, w, eps, r, colWork);
            if (!useTruncated) {
                truncated = null; // too many entries: the plan is not sparse at this epsilon
            }
        }
    }

    /** \( \mathrm{ap} = A\,\mathrm{p} = D\mathrm{p} - P(c^{-1}\tau_b \circ P^\top \mathrm{p}) \). */
    private void applyA() {
        if (useTruncated) {
            truncated.transposedTimes(p, q);
            for (int j = 0; j < m; j++) {
                q[j] *= cInv[j];
            }
            truncated.times(q, ap);
            for (int i = 0; i < n; i++) {
                ap[i] = diag[i] * p[i] - ap[i];
            }
        } else if (stored != null) {
            for (int i = 0; i < n; i++) {
                rowWork[i] = u[i] * p[i];
            }
            stored.colSums(rowWork, q);
            for (int j = 0; j < m; j++) {
                colWork[j] = v[j] * v[j] * q[j] * cInv[j];
            }
            stored.rowSums(colWork, ap);
            for (int i = 0; i < n; i++) {
                ap[i] = diag[i] * p[i] - u[i] * ap[i];
            }
        } else {
            ground.planTransposedTimes(h, w, eps, p, q);
            for (int j = 0; j < m; j++) {
                q[j] *= cInv[j];
            }
            ground.planTimes(h, w, eps, q, ap);
            for (int i = 0; i < n; i++) {
                ap[i] = diag[i] * p[i] - ap[i];
            }
        }
    }

    /**
     * Preconditioned conjugate gradients for \( A x = \varepsilon(t - r) \) from \( x = 0 \), until the L1 residual is
     * at most \( \eta \) times the right-hand side's (or a tenth of \( \varepsilon \) times the target error), at most
     * {@code budget} products; returns the number of products, negated when the observer stopped.
     */
    private long conjugateGradients(double target, long budget, IterationObserver observer, long iterations) {
        double rhsNorm = 0;
        double rhsSum = 0;
        double rowSum = 0;
        for (int i = 0; i < n; i++) {
            res[i] = eps * (t[i] - r[i]);
            rhsSum += res[i];
            rowSum += r[i];
        }
        if (balanced && rowSum > 0) {
            // A is singular along the constants; remove the rounding-level part of the right-hand side along r
            double shift = rhsSum / rowSum;
            for (int i = 0; i < n; i++) {
                res[i] -= shift * r[i];
            }
        }
        double rz = 0;
        for (int i = 0; i < n; i++) {
            rhsNorm += Math.abs(res[i]);
            x[i] = 0;
            z[i] = diag[i] > 0 ? res[i] / diag[i] : 0;
            p[i] = z[i];
            rz += res[i] * z[i];
        }
        double goal = Math.max(MAX_FORCING * rhsNorm, 0.1 * eps * target);
        long k = 0;
        while (k < budget) {
            applyA();
            k++;
            if (!observer.observe(new IterationStatus(iterations + k, error, Double.NaN))) {
                stopped = true;
                return -k;
            }
            double pap = 0;
            for (int i = 0; i < n; i++) {
                pap += p[i] * ap[i];
            }
            if (!(pap > 0) || !Double.isFinite(pap)) {
                break; // curvature lost to rounding: keep the step found so far
            }
            double alpha = rz / pap;
            double norm = 0;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                res[i] -= alpha * ap[i];
                norm += Math.abs(res[i]);
            }
            if (norm <= goal) {
                break;
            }
            double rzNew = 0;
            for (int i = 0; i < n; i++) {
                z[i] = diag[i] > 0 ? res[i] / diag[i] : 0;
                rzNew += res[i] * z[i];
            }
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        if (k > 0 && isZero(x)) {
            // no progress at all (e.g. the first product lost its curvature): take the preconditioned gradient,
            // which is the Sinkhorn step
            for (int i = 0; i < n; i++) {
                x[i] = diag[i] > 0 ? eps * (t[i] - r[i]) / diag[i] : 0;
            }
        }
        return k;
    }

    private static boolean isZero(double[] v) {
        for (double e : v) {
            if (e != 0) {
                return false;
            }
        }
        return true;
    }

    /** \( \rho/(\rho+\varepsilon) \), and 1 for \( \rho = \infty \). */
    private static double damping(double rho, double eps) {
        return rho == Double.POSITIVE_INFINITY ? 1.0 : rho / (rho + eps);
    }

    /** \( c_j = b_j e^{-g_j/\rho_b} \), the column sum of the plan after an exact column update. */
    private double columnMass(int j, double gj) {
        return rhoB == Double.POSITIVE_INFINITY ? b[j] : times(b[j], logb[j], -gj / rhoB);
    }

    /**
     * \( w e^{x} \) for a weight \( w \ge 0 \) with \( \log w \): the product itself, or \( e^{\log w + x} \) when
     * \( e^{x} \) overflows (a tiny weight times a huge factor), and 0 for \( w = 0 \).
     *
     * @param w    the weight
     * @param logW \( \log w \)
     * @param x    the exponent
     * @return \( w e^x \)
     */
    public static double times(double w, double logW, double x) {
        if (w == 0) {
            return 0;
        }
        double e = Math.exp(x);
        return e < Double.POSITIVE_INFINITY ? w * e : Math.exp(logW + x);
    }

    /**
     * \( \rho w (1 - e^{-f/\rho}) \), the relaxed marginal term of the dual for one atom, without overflow in
     * \( e^{-f/\rho} \) (see {@link #times}).
     *
     * @param w    the atom's weight \( w \ge 0 \)
     * @param logW \( \log w \)
     * @param f    its potential
     * @param rho  \( \rho \), finite and positive
     * @return the term
     */
    public static double relaxedTerm(double w, double logW, double f, double rho) {
        double e = Math.expm1(-f / rho);
        return e < Double.POSITIVE_INFINITY ? -rho * w * e : -rho * (times(w, logW, -f / rho) - w);
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double e : values) {
            s += e;
        }
        return s;
    }

    /** One line: the sizes, epsilon, the relaxations, the path and the last error. */
    @Override
    public String toString() {
        return "SemiDualNewton[" + n + "x" + m + ", epsilon=" + TextSummary.number(eps) + ", rhoSource="
                + TextSummary.number(rhoA) + ", rhoTarget=" + TextSummary.number(rhoB) + ", "
                + (stored != null ? "stored kernel" : "log domain") + ", error=" + TextSummary.brief(error) + "]";
    }
}
