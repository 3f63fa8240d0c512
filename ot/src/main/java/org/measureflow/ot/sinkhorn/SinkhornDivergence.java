package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;

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
 *
 * <p><b>Gradient</b> with respect to the source points (envelope theorem: \( \partial\mathrm{OT}_\varepsilon /
 * \partial C_{ij} = P_{ij} \) at the optimum; the self term depends on \( x_i \) through row <em>and</em> column
 * \( i \) of \( C^{xx} \), and its plan is symmetric):
 * \[ \nabla_{x_i} S_\varepsilon = 2\sum_j P^{xy}_{ij} (x_i - y_j) - 2\sum_j P^{xx}_{ij}(x_i - x_j)
 *    = 2 a_i \big(T^{xx}(x_i) - T^{xy}(x_i)\big), \]
 * where \( T^{xy}(x_i) = \sum_j P^{xy}_{ij} y_j / a_i \) is the barycentric map (the last form holds at convergence).
 */
public final class SinkhornDivergence {
    private final SinkhornSolver.Options options;

    private SinkhornDivergence(SinkhornSolver.Options options) {
        this.options = options;
    }

    /** A divergence evaluated with the given solver options (epsilon, tolerance, schedule, parallelism). */
    public static SinkhornDivergence of(SinkhornSolver.Options options) {
        return new SinkhornDivergence(Arguments.notNull("options", options));
    }

    /**
     * The three terms, the divergence and, when asked for, its gradient with respect to the points of {@code x}.
     *
     * @param value         \( S_\varepsilon(a, b) \)
     * @param gradient      \( \nabla_{x} S_\varepsilon \), row-major {@code n * d} (copy), or {@code null} when only
     *                      the value was asked for (or for dense costs)
     * @param crossTerm     \( \mathrm{OT}_\varepsilon(a, b) \)
     * @param selfSource    \( \mathrm{OT}_\varepsilon(a, a) \)
     * @param selfTarget    \( \mathrm{OT}_\varepsilon(b, b) \)
     * @param converged     whether all three problems reached the tolerance
     * @param marginalError the largest L1 marginal error of the three plans
     */
    public record Result(double value, double[] gradient, double crossTerm, double selfSource, double selfTarget,
            boolean converged, double marginalError) {
        /** Copies the gradient. */
        public Result {
            gradient = gradient == null ? null : gradient.clone();
        }

        /** A copy of the gradient (or {@code null}). */
        @Override
        public double[] gradient() {
            return gradient == null ? null : gradient.clone();
        }
    }

    /** \( S_\varepsilon \) between two point clouds, squared Euclidean cost (computed on the fly). */
    public double value(ParticleMeasure x, ParticleMeasure y) {
        return compute(x, y, false).value();
    }

    /** \( S_\varepsilon \) between two point clouds and its gradient with respect to the points of {@code x}. */
    public Result valueAndGradient(ParticleMeasure x, ParticleMeasure y) {
        return compute(x, y, true);
    }

    /**
     * \( S_\varepsilon \) for dense costs: \( C^{ab} \) ({@code n x m}) and the symmetric self costs \( C^{aa} \)
     * ({@code n x n}) and \( C^{bb} \) ({@code m x m}) of the same ground cost.
     *
     * @throws IllegalArgumentException on mismatched sizes, a non-symmetric self cost, or invalid weights
     */
    public Result compute(double[] a, double[] b, CostMatrix cab, CostMatrix caa, CostMatrix cbb) {
        Arguments.notNull("cab", cab);
        Arguments.notNull("caa", caa);
        Arguments.notNull("cbb", cbb);
        Histograms.requireProbability("a", a, cab.rows());
        Histograms.requireProbability("b", b, cab.cols());
        requireSymmetric("caa", caa, cab.rows());
        requireSymmetric("cbb", cbb, cab.cols());
        SinkhornResult cross = SinkhornSolver.of(options).solve(a, b, cab);
        SelfResult sa = self(new Ground.Dense(caa, options.parallel), a.clone(), caa.maxAbs());
        SelfResult sb = self(new Ground.Dense(cbb, options.parallel), b.clone(), cbb.maxAbs());
        return combine(cross, sa, sb, null);
    }

    private static void requireSymmetric(String name, CostMatrix c, int size) {
        if (c.rows() != size || c.cols() != size) {
            throw new IllegalArgumentException(name + " must be " + size + "x" + size + ", got " + c.rows() + "x"
                    + c.cols());
        }
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                if (c.get(i, j) != c.get(j, i)) {
                    throw new IllegalArgumentException(name + " must be symmetric, but entry (" + i + "," + j + ") = "
                            + c.get(i, j) + " differs from entry (" + j + "," + i + ") = " + c.get(j, i));
                }
            }
        }
    }

    private Result compute(ParticleMeasure x, ParticleMeasure y, boolean gradient) {
        Ground.Cloud xy = SinkhornSolver.cloud(x, y, options.parallel);
        SinkhornResult cross = SinkhornSolver.of(options).solve(x, y);
        double[] a = x.weights();
        double[] b = y.weights();
        Ground.Cloud xx = new Ground.Cloud(xy.xs, xy.xs, xy.d, options.parallel);
        Ground.Cloud yy = new Ground.Cloud(xy.ys, xy.ys, xy.d, options.parallel);
        SelfResult sa = self(xx, a, SinkhornSolver.maxCostBound(xy.xs, xy.xs, xy.d));
        SelfResult sb = self(yy, b, SinkhornSolver.maxCostBound(xy.ys, xy.ys, xy.d));
        double[] grad = null;
        if (gradient) {
            double eps = options.epsilon;
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

    private static Result combine(SinkhornResult cross, SelfResult sa, SelfResult sb, double[] grad) {
        double value = cross.objective() - 0.5 * sa.objective - 0.5 * sb.objective;
        boolean converged = cross.converged() && sa.converged && sb.converged;
        double err = Math.max(cross.marginalError(), Math.max(sa.error, sb.error));
        return new Result(value, grad, cross.objective(), sa.objective, sb.objective, converged, err);
    }

    /** The solution of a symmetric problem \( \mathrm{OT}_\varepsilon(a, a) \). */
    record SelfResult(double[] f, double objective, double error, boolean converged, int iterations) {
    }

    /**
     * The symmetric Sinkhorn iteration \( f \leftarrow (f + T(f))/2 \) in the log domain, with the solver's
     * epsilon-scaling schedule; stops when the exact L1 marginal error \( 2\|P\mathbf 1 - a\|_1 \le \) tolerance.
     */
    SelfResult self(Ground ground, double[] a, double scale) {
        int n = ground.n;
        double[] loga = SinkhornSolver.logs(a);
        double[] f = new double[n];
        double[] w = new double[n];
        double[] logS = new double[n];
        double[] eps = SinkhornSolver.of(options).schedule(scale);
        double tol = options.tolerance;
        int iterations = 0;
        SinkhornSolver.Stats stats = null;
        stages:
        for (int s = 0; s < eps.length; s++) {
            double e = eps[s];
            boolean last = s == eps.length - 1;
            double stageTol = last ? tol : Math.max(tol, SinkhornSolver.STAGE_TOLERANCE);
            int stageIterations = 0;
            while (iterations < options.maxIterations && (last || stageIterations < SinkhornSolver.STAGE_MAX_ITERATIONS)) {
                iterations++;
                stageIterations++;
                for (int j = 0; j < n; j++) {
                    w[j] = f[j] + e * loga[j];
                }
                // logS_i = log sum_j a_j exp((f_i + f_j - C_ij)/eps) = log((P 1)_i / a_i); T(f)_i = f_i - eps logS_i
                ground.rowLogSums(f, w, e, logS);
                double err = 0;
                for (int i = 0; i < n; i++) {
                    err += a[i] * Math.abs(Math.expm1(logS[i]));
                }
                err *= 2; // the columns of a symmetric plan have the same error as its rows
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
            if (iterations >= options.maxIterations) {
                break;
            }
        }
        if (stats == null || stats.error() > tol) {
            stats = SinkhornSolver.statistics(ground, f, f, loga, loga, a, a, options.epsilon);
        }
        return new SelfResult(f, stats.objective(), stats.error(), stats.error() <= tol, iterations);
    }
}
