package org.measureflow.gradientflow.snapshots;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.gradientflow.particles.ScoreParticleField;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Recovery of the potential landscape that drives a population from its snapshots (survey &sect;5.4; Hashimoto et
 * al. 2016; Bunne et al. 2022, JKOnet; Terpin et al. 2024, JKOnet*): for the dynamics
 * \[ dX = -\nabla V(X)\,dt + \sqrt{2D}\,dW, \qquad V_\theta = \sum_{l=1}^p \theta_l\phi_l \]
 * in a {@link PotentialBasis}, the law \( \rho_t \) solves the Fokker&ndash;Planck equation, the Wasserstein
 * gradient flow of \( F(\rho) = \int V\,d\rho + D\int\rho\log\rho \) (survey &sect;5), whose JKO step of length
 * \( \tau \) is \( \rho_{k+1} = \arg\min_\rho F(\rho) + W_2^2(\rho,\rho_k)/(2\tau) \). Its first-order condition at
 * each point \( y \) of \( \rho_{k+1} \), with \( T \) the optimal map from \( \rho_{k+1} \) back to \( \rho_k \), is
 * \[ \frac{y - T(y)}{\tau} + \nabla V_\theta(y) + D\,\nabla\log\rho_{k+1}(y) = 0 , \]
 * linear in \( (\theta, D) \) (JKOnet*). On snapshots \( \mu_k = \sum_i a_i\delta_{x_i} \),
 * \( \mu_{k+1} = \sum_j b_j\delta_{y_j} \), \( T \) is replaced by the barycentric projection of the entropic coupling
 * \( P \) of \( \mu_{k+1} \) and \( \mu_k \), \( T(y_j) = \sum_i P_{ji}x_i / \sum_i P_{ji} \) (computed from the lazy
 * plan of the configured {@link SinkhornSolver}, never an {@code n x m} array), and \( \theta \) solves the weighted
 * least-squares problem over all intervals
 * \[ \min_{\theta, D}\ \sum_k \sum_j b_j\,\bigl|G(y_j)\theta + D\,s(y_j) - r_j\bigr|^2, \qquad
 *    r_j = \frac{T(y_j) - y_j}{\tau_k}, \quad G_{al}(y) = \partial_a\phi_l(y), \]
 * every interval weighted equally (each snapshot's weights sum to 1). With \( D \) known, the score never needs
 * estimating: the normal equations only use \( \sum_j b_j\,\nabla\phi_l\cdot\nabla\log\rho \), which by Stein's
 * identity \( \mathbb{E}_\rho[\nabla\phi\cdot\nabla\log\rho] = -\mathbb{E}_\rho[\Delta\phi] \) is
 * \( -\sum_j b_j\Delta\phi_l(y_j) \), so
 * \( (\sum b_j G^\top G)\,\theta = \sum_j b_j (G^\top r_j + D\,\Delta\phi(y_j)) \). With \( D \) estimated, the score
 * is the Gaussian kernel density score of {@link ScoreParticleField} (bandwidth by Silverman's rule
 * \( h = \bar\sigma\,(4/((d+2) n_{\mathrm{eff}}))^{1/(d+4)} \), \( \bar\sigma^2 \) the mean coordinate variance,
 * \( n_{\mathrm{eff}} = 1/\sum b_j^2 \)): a relative bias \( O(h^2/\sigma^2) \) in the score, cost
 * \( O(m^2 d) \) per snapshot (always paid: the reported residual uses it); when the least-squares \( D \) is
 * negative, the fit is that of the constraint \( D \ge 0 \): \( D = 0 \) and \( \theta \) refitted without the score.
 *
 * <p><b>Entropic correction.</b> The barycentric projection of an entropic plan (cost \( |x - y|^2 \), not halved,
 * regularisation \( \varepsilon \)) is blurred: \( T_\varepsilon(y) = T(y) + \tfrac{\varepsilon}{4}\nabla\log\rho_{k+1}(y)
 * + O(\varepsilon^2) \) (exact for two equal Gaussians, where the entropic slope is \( 1 - \varepsilon/(4\sigma^2) \)),
 * which divided by \( \tau \) would act as a diffusion \( -\varepsilon/(4\tau) \). The fit removes it: the velocities
 * are \( r_j = (T_\varepsilon(y_j) - y_j)/\tau - \tfrac{\varepsilon}{4\tau}\nabla\log\rho_{k+1}(y_j) \) (with a known
 * \( D \), through Stein's identity again, i.e. \( D + \varepsilon/(4\tau) \) in the Laplacian term).
 *
 * <p><b>Errors.</b> The condition is that of the JKO step, not of the exact flow: against the true drift the fit has a
 * bias \( O(\tau) \) (for an Ornstein&ndash;Uhlenbeck process of rate \( a \) the relative bias is
 * \( O(a\tau) \)); the entropic coupling blurs \( T \) by \( O(\varepsilon) \); the sampling error of the coupling,
 * divided by \( \tau \), is \( O(1/(\tau\sqrt n)) \) per interval, but the intervals' errors largely telescope, so the
 * pooled fit's error is nearer \( O(1/(t_{K-1} - t_0)\sqrt n) \). The normal equations are solved by Cholesky; when
 * they are singular to working precision (basis functions whose gradients are dependent on the data) a ridge
 * \( 10^{-10}\,\mathrm{tr}(M)/p \) is added and reported in {@link PotentialFitResult#ridge()}. The snapshots'
 * masses are not used (balanced transport).
 *
 * <p>Made by {@link #of(PotentialBasis, SinkhornSolver)}; defaults: {@code diffusion = 0} (a known \( D \); the
 * deterministic gradient flow), {@code diffusionEstimated = false}. Immutable and thread-safe.
 */
public final class PotentialRecovery {
    private static final int CHUNK_ROWS = 256;
    private static final double RIDGE = 1e-10;

    private final PotentialBasis basis;
    private final SinkhornSolver solver;
    private final double diffusion;
    private final boolean diffusionEstimated;

    private PotentialRecovery(PotentialBasis basis, SinkhornSolver solver, double diffusion, boolean estimated) {
        this.basis = basis;
        this.solver = solver;
        this.diffusion = diffusion;
        this.diffusionEstimated = estimated;
    }

    /**
     * A recovery in {@code basis} with couplings from {@code sinkhorn} (its epsilon is in units of \( |x - y|^2 \)).
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public static PotentialRecovery of(PotentialBasis basis, SinkhornSolver sinkhorn) {
        return new PotentialRecovery(Arguments.notNull("basis", basis), Arguments.notNull("sinkhorn", sinkhorn), 0,
                false);
    }

    /** The basis of the potential. */
    public PotentialBasis basis() {
        return basis;
    }

    /** The same recovery in another basis. @throws IllegalArgumentException if null */
    public PotentialRecovery withBasis(PotentialBasis basis) {
        return new PotentialRecovery(Arguments.notNull("basis", basis), solver, diffusion, diffusionEstimated);
    }

    /** The Sinkhorn solver of the couplings. */
    public SinkhornSolver sinkhorn() {
        return solver;
    }

    /** The same recovery with another coupling solver. @throws IllegalArgumentException if null */
    public PotentialRecovery withSinkhorn(SinkhornSolver sinkhorn) {
        return new PotentialRecovery(basis, Arguments.notNull("sinkhorn", sinkhorn), diffusion, diffusionEstimated);
    }

    /** The known diffusion coefficient \( D \) (used when {@link #diffusionEstimated()} is false). */
    public double diffusion() {
        return diffusion;
    }

    /**
     * The same recovery with a known \( D \) (and {@code diffusionEstimated} off).
     *
     * @throws IllegalArgumentException unless {@code diffusion} is finite and {@code >= 0}
     */
    public PotentialRecovery withDiffusion(double diffusion) {
        Arguments.nonNegative("diffusion", diffusion);
        Arguments.finite("diffusion", diffusion);
        return new PotentialRecovery(basis, solver, diffusion, false);
    }

    /** Whether \( D \) is estimated with \( \theta \). */
    public boolean diffusionEstimated() {
        return diffusionEstimated;
    }

    /**
     * The same recovery estimating \( D \) (true) or using the known {@link #diffusion()} (false). The estimate is
     * rough: the kernel score is biased by \( O(h^2/\sigma^2) \), and for a quadratic potential \( D \) and the
     * potential's curvature are nearly confounded (measured on Ornstein&ndash;Uhlenbeck snapshots with \( D = 0.25 \):
     * 0.074 at 1000 cells per snapshot, 0.135 at 3000). Prefer a known \( D \) when there is one.
     */
    public PotentialRecovery withDiffusionEstimated(boolean on) {
        return new PotentialRecovery(basis, solver, diffusion, on);
    }

    /**
     * Fits \( \theta \) (and \( D \)) to the snapshots.
     *
     * @param series snapshots of the basis's dimension
     * @return the coefficients, \( D \), the residual, and the couplings' convergence
     * @throws IllegalArgumentException if {@code series} is null or of another dimension, a snapshot has no spread
     *                                  when the score is needed, or a coupling is rejected by the solver
     */
    public PotentialFitResult fit(SnapshotSeries series) {
        return fit(series, IterationObserver.none());
    }

    /**
     * {@link #fit(SnapshotSeries)} watched by an observer called after each interval (iteration = intervals done,
     * error = that interval's Sinkhorn marginal error); returning {@code false} fits on the intervals done so far
     * and reports {@code STOPPED}.
     *
     * @throws IllegalArgumentException as {@link #fit(SnapshotSeries)}, or if {@code observer} is null
     */
    public PotentialFitResult fit(SnapshotSeries series, IterationObserver observer) {
        Arguments.notNull("series", series);
        Arguments.notNull("observer", observer);
        int d = Arguments.length("series (dimension)", series.dimension(), basis.dimension());
        int p = basis.size();
        boolean estimate = diffusionEstimated;
        int q = estimate ? p + 1 : p;
        int intervals = series.size() - 1;
        double[] normal = new double[q * q];
        double[] rhs = new double[q];
        // kept for the residual: each interval's points, weights, velocities r and scores s
        double[][] ys = new double[intervals][];
        double[][] ws = new double[intervals][];
        double[][] rs = new double[intervals][];
        double[][] ss = new double[intervals][];
        long done = 0;
        double worst = 0;
        boolean stopped = false;
        for (int k = 0; k < intervals; k++) {
            ParticleMeasure x = series.snapshot(k);
            ParticleMeasure y = series.snapshot(k + 1);
            double tau = series.time(k + 1) - series.time(k);
            SinkhornResult coupling = solver.solve(y, x);
            worst = Math.max(worst, coupling.error());
            double[] map = coupling.plan().barycentricMap();
            int m = y.size();
            double[] pts = y.flatPoints();
            double[] w = y.weights();
            double[] r = new double[m * d];
            for (int e = 0; e < r.length; e++) {
                r[e] = (map[e] - pts[e]) / tau;
            }
            Arguments.finiteResult("series", "the velocity (T(y) - y) / tau of interval " + k, r);
            // first-order entropic correction: T_eps(y) = T(y) + (eps/4) grad log rho_{k+1}(y) + O(eps^2)
            double blur = coupling.epsilon() / (4 * tau);
            double[] s = score(y, k);
            if (estimate) {
                for (int e = 0; e < r.length; e++) {
                    r[e] -= blur * s[e];
                }
                accumulate(pts, w, r, s, 0, m, d, p, q, normal, rhs);
            } else {
                // Stein's identity for the score terms, with D + eps / (4 tau); r is corrected after, for the residual
                accumulate(pts, w, r, null, diffusion + blur, m, d, p, q, normal, rhs);
                for (int e = 0; e < r.length; e++) {
                    r[e] -= blur * s[e];
                }
            }
            ys[k] = pts;
            ws[k] = w;
            rs[k] = r;
            ss[k] = s;
            done++;
            if (!observer.observe(new IterationStatus(done, coupling.error(), (double) done / intervals))) {
                stopped = done < intervals;
                break;
            }
        }
        double scale = 1.0 / done;
        for (int e = 0; e < normal.length; e++) {
            normal[e] *= scale;
        }
        for (int e = 0; e < q; e++) {
            rhs[e] *= scale;
        }
        double[] ridge = new double[1];
        double[] sol = solveNormal(normal, rhs, q, ridge);
        double dHat = estimate ? sol[p] : diffusion;
        if (estimate && !(dHat >= 0)) {
            // the convex least squares under D >= 0: its minimum is on the boundary D = 0, i.e. the leading block
            double[] block = new double[p * p];
            for (int l = 0; l < p; l++) {
                System.arraycopy(normal, l * q, block, l * p, p);
            }
            ridge[0] = 0;
            sol = solveNormal(block, java.util.Arrays.copyOf(rhs, p), p, ridge);
            dHat = 0;
        }
        double[] theta = java.util.Arrays.copyOf(sol, p);
        Arguments.finiteResult("series", "the fitted coefficients", theta);
        double residual = Arguments.finiteResult("series", "the residual",
                residual(theta, dHat, ys, ws, rs, ss, (int) done, d, p));
        Convergence conv = stopped
                ? new Convergence(done, worst, solver.tolerance(), org.measureflow.core.iteration.Termination.STOPPED)
                : Convergence.tested(done, worst, solver.tolerance(), false);
        return new PotentialFitResult(basis, theta, dHat, estimate, residual, ridge[0], conv);
    }

    /** The KDE score \( \nabla\log\rho_h \) at the points of {@code y}, Silverman's bandwidth. */
    private static double[] score(ParticleMeasure y, int k) {
        int m = y.size();
        int d = y.dimension();
        double[] w = y.weights();
        double sumW2 = 0;
        for (double v : w) {
            sumW2 += v * v;
        }
        double[] mean = y.mean();
        double[] pts = y.flatPoints();
        double var = 0;
        for (int j = 0; j < m; j++) {
            for (int a = 0; a < d; a++) {
                double z = pts[j * d + a] - mean[a];
                var += w[j] * z * z;
            }
        }
        var /= d;
        if (!(var > 0)) {
            // no Arguments rule for "a cloud with spread"
            throw new IllegalArgumentException("series: snapshot " + (k + 1)
                    + " has no spread, so its density score (needed for D > 0) is undefined");
        }
        double h = Math.sqrt(var) * Math.pow(4.0 / ((d + 2) / sumW2), 1.0 / (d + 4));
        double[] s = new double[m * d];
        ScoreParticleField.heat(1.0, h).velocities(0, pts, m, d, y.isUniform() ? null : w, s);
        for (int e = 0; e < s.length; e++) {
            s[e] = -s[e]; // the heat field is -D grad log rho_h with D = 1
        }
        return s;
    }

    /**
     * Adds one interval's normal equations: \( \sum_j b_j G_j^\top G_j \) and \( \sum_j b_j (G_j^\top r_j + D
     * \Delta\phi(y_j)) \), or with \( D \) estimated the Gram matrix of \( [G_j, s_j] \) and its products with
     * \( r_j \). Fixed chunks, partial sums added in chunk order (same bits in parallel).
     */
    private void accumulate(double[] pts, double[] w, double[] r, double[] s, double dKnown, int m, int d, int p,
                            int q, double[] normal, double[] rhs) {
        int chunks = Chunks.count(m, CHUNK_ROWS);
        double[][] partN = new double[chunks][];
        double[][] partR = new double[chunks][];
        Chunks.forEach(m, CHUNK_ROWS, (long) d * p * 8, (c, start, end) -> {
            double[] nrm = new double[q * q];
            double[] rh = new double[q];
            double[] g = new double[d * q];
            int[] nz = new int[q];
            for (int j = start; j < end; j++) {
                basis.gradientMatrix(pts, j * d, g, 0);
                if (s != null) {
                    // the score as column p: G = [grad phi_1 .. grad phi_p, s]; gradientMatrix wrote a d x p block
                    for (int a = d - 1; a >= 0; a--) {
                        System.arraycopy(g, a * p, g, a * q, p);
                        g[a * q + p] = s[j * d + a];
                    }
                }
                double bj = w[j];
                for (int a = 0; a < d; a++) {
                    int cnt = 0;
                    int row = a * q;
                    for (int l = 0; l < q; l++) {
                        if (g[row + l] != 0) {
                            nz[cnt++] = l;
                        }
                    }
                    double ra = r[j * d + a];
                    for (int u = 0; u < cnt; u++) {
                        int l = nz[u];
                        double gl = bj * g[row + l];
                        rh[l] += gl * ra;
                        for (int v = 0; v < cnt; v++) {
                            nrm[l * q + nz[v]] += gl * g[row + nz[v]];
                        }
                    }
                }
                if (s == null && dKnown > 0) {
                    for (int l = 0; l < p; l++) {
                        rh[l] += bj * dKnown * basis.laplacian(l, pts, j * d);
                    }
                }
            }
            partN[c] = nrm;
            partR[c] = rh;
        });
        for (int c = 0; c < chunks; c++) {
            for (int e = 0; e < q * q; e++) {
                normal[e] += partN[c][e];
            }
            for (int e = 0; e < q; e++) {
                rhs[e] += partR[c][e];
            }
        }
    }

    /** Cholesky solve of the normal equations, with the ridge of the class documentation if they are singular. */
    private static double[] solveNormal(double[] normal, double[] rhs, int q, double[] ridge) {
        double trace = 0;
        for (int l = 0; l < q; l++) {
            trace += normal[l * q + l];
        }
        if (!(trace > 0) || !Double.isFinite(trace)) {
            throw new IllegalArgumentException("basis: the gradients of the basis functions vanish on the snapshots"
                    + " (the normal equations are zero or not finite: trace " + trace + ")");
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            DMatrixRMaj a = DMatrixRMaj.wrap(q, q, normal.clone());
            if (attempt == 1) {
                ridge[0] = RIDGE * trace / q;
                for (int l = 0; l < q; l++) {
                    a.add(l, l, ridge[0]);
                }
            }
            LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(q);
            if (chol.setA(a)) {
                DMatrixRMaj x = new DMatrixRMaj(q, 1);
                chol.solve(DMatrixRMaj.wrap(q, 1, rhs.clone()), x);
                double[] out = x.getData().clone();
                boolean finite = true;
                for (double v : out) {
                    finite &= Double.isFinite(v);
                }
                if (finite) {
                    return out;
                }
            }
        }
        throw new IllegalArgumentException("basis: the normal equations are singular even with the ridge "
                + TextSummary.number(ridge[0]) + " (basis functions dependent on the snapshots' points)");
    }

    /** \( \sqrt{\frac{1}{K'}\sum_k\sum_j b_j |G_j\theta + D s_j - r_j|^2} \) over the intervals fitted. */
    private double residual(double[] theta, double dHat, double[][] ys, double[][] ws, double[][] rs,
                            double[][] ss, int intervals, int d, int p) {
        double total = 0;
        double[] grad = new double[d];
        org.measureflow.gradientflow.energy.Potential v = basis.potential(theta);
        for (int k = 0; k < intervals; k++) {
            double[] pts = ys[k];
            int m = ws[k].length;
            for (int j = 0; j < m; j++) {
                java.util.Arrays.fill(grad, 0.0);
                v.addGradient(pts, j * d, 1.0, grad, 0);
                double e2 = 0;
                for (int a = 0; a < d; a++) {
                    double e = grad[a] - rs[k][j * d + a] + dHat * ss[k][j * d + a];
                    e2 += e * e;
                }
                total += ws[k][j] * e2;
            }
        }
        return Math.sqrt(total / intervals);
    }

    /** One line: the basis, the solver's epsilon, and the diffusion setting. */
    @Override
    public String toString() {
        return "PotentialRecovery[" + basis + ", sinkhorn epsilon=" + solver.epsilon() + ", diffusion="
                + (diffusionEstimated ? "estimated" : TextSummary.number(diffusion)) + "]";
    }
}
