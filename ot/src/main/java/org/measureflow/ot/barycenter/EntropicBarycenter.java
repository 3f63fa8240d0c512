package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.LogDomainGibbsKernel;

/**
 * Fixed-support entropic Wasserstein barycenters of histograms by iterative Bregman projections (Benamou, Carlier,
 * Cuturi, Nenna, Peyr&eacute; 2015; survey &sect;4, entropic regularisation of eq. 10). Given histograms
 * \( b_k \in \Sigma_{m_k} \), costs \( C_k \in \mathbb R^{n\times m_k} \) from the barycenter's \( n \) support
 * points to the support of \( b_k \), and weights \( \lambda \in \Sigma_K \), it solves
 * \[ \min_{p\in\Sigma_n,\ P_k} \sum_k \lambda_k \mathrm{KL}(P_k \mid \xi_k) \quad\text{s.t.}\quad
 *    P_k^\top\mathbf 1 = b_k,\ P_k\mathbf 1 = p, \qquad \xi_k = e^{-C_k/\varepsilon}, \]
 * that is, \( \min_p \sum_k \lambda_k W_\varepsilon(p, b_k)/\varepsilon \) with
 * \( W_\varepsilon(p, b) = \min_{P\in U(p,b)} \langle C, P\rangle - \varepsilon H(P) \), \( H(P) = -\sum P_{ij}(\log P_{ij} - 1) \)
 * (the regulariser of Benamou et al.; for fixed marginals it gives the same plans as
 * \( \varepsilon\mathrm{KL}(P\mid p\otimes b) \), but the barycenter differs: this one is blurred by the entropy of
 * \( p \), by about \( \varepsilon/(4s) \) in standard deviation for 1-D Gaussians of deviation \( s \) at small
 * \( \varepsilon \)).
 *
 * <p>The projections alternate \( v_k = b_k / K_k^\top u_k \) and
 * \( p = \prod_k (u_k\odot K_k v_k)^{\lambda_k} \), \( u_k = p / K_k v_k \), all in the log domain through the fused
 * log-sum-exps of {@link LogDomainGibbsKernel} (no underflow for small \( \varepsilon \); cost \( O(n \sum_k m_k) \)
 * exponentials per iteration). The iteration stops when the coupling residual
 * \( \sum_k\lambda_k\|P_k\mathbf 1 - p\|_1 \) (the {@link BarycenterResult#error()}) reaches the tolerance; an
 * {@link IterationObserver} sees it after every iteration.
 *
 * <p>Made by {@link #of(double)}: \( \varepsilon \) is required (absolute, in cost units; it has no scale-free
 * default). Defaults of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9} on the L1 coupling residual;</li>
 * <li>{@code maxIterations = 10000};</li>
 * <li>{@code parallel = true}: chunks may run on the common fork-join pool (identical results either way).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class EntropicBarycenter {
    private final double epsilon;
    private final double tolerance;
    private final long maxIterations;
    private final boolean parallel;

    private EntropicBarycenter(double epsilon, double tolerance, long maxIterations, boolean parallel) {
        this.epsilon = epsilon;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.parallel = parallel;
    }

    /**
     * The solver for the given regularisation, with the other defaults of the class documentation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, absolute (cost units)
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static EntropicBarycenter of(double epsilon) {
        return new EntropicBarycenter(Arguments.positive("epsilon", epsilon), 1e-9, 10_000, true);
    }

    /**
     * This solver with another regularisation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, absolute (cost units)
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public EntropicBarycenter withEpsilon(double epsilon) {
        return new EntropicBarycenter(Arguments.positive("epsilon", epsilon), tolerance, maxIterations, parallel);
    }

    /**
     * This solver with another tolerance on the L1 coupling residual.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public EntropicBarycenter withTolerance(double tolerance) {
        return new EntropicBarycenter(epsilon, Arguments.positive("tolerance", tolerance), maxIterations, parallel);
    }

    /**
     * This solver with another iteration budget.
     *
     * @param maxIterations {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public EntropicBarycenter withMaxIterations(long maxIterations) {
        return new EntropicBarycenter(epsilon, tolerance, Arguments.positive("maxIterations", maxIterations),
                parallel);
    }

    /**
     * This solver with parallel chunks allowed (default) or forbidden; the results are the same bits either way.
     *
     * @param parallel whether to use the common fork-join pool for large problems
     * @return a new solver
     */
    public EntropicBarycenter withParallel(boolean parallel) {
        return new EntropicBarycenter(epsilon, tolerance, maxIterations, parallel);
    }

    /** The regularisation \( \varepsilon \) (absolute, cost units). */
    public double epsilon() {
        return epsilon;
    }

    /** The tolerance on the L1 coupling residual. */
    public double tolerance() {
        return tolerance;
    }

    /** The iteration budget. */
    public long maxIterations() {
        return maxIterations;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * The barycenter of histograms that share one support, with one cost \( C \in \mathbb R^{n\times m} \) from the
     * barycenter's support to it (often \( n = m \), \( C \) symmetric).
     *
     * @param histograms the \( b_k \in \Sigma_m \) (each non-negative, summing to 1)
     * @param cost       \( C \), {@code n x m}
     * @param lambda     weights \( \lambda \in \Sigma_K \) (non-negative, summing to 1)
     * @return the barycenter on the {@code n} support points and how the iteration ended
     * @throws IllegalArgumentException naming the offending argument
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix cost, double[] lambda) {
        return solve(histograms, cost, lambda, IterationObserver.none());
    }

    /**
     * {@link #solve(double[][], CostMatrix, double[])} watched by an observer, called after every iteration with the
     * iteration count and the coupling residual; returning {@code false} stops the iteration.
     *
     * @throws IllegalArgumentException as {@link #solve(double[][], CostMatrix, double[])}, or if {@code observer}
     *                                  is null
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix cost, double[] lambda,
            IterationObserver observer) {
        Arguments.notNull("histograms", histograms);
        CostMatrix[] costs = new CostMatrix[histograms.length];
        java.util.Arrays.fill(costs, cost);
        return solve(histograms, costs, lambda, observer);
    }

    /**
     * The barycenter of histograms on different supports: \( b_k \in \Sigma_{m_k} \) with its own cost
     * \( C_k \in \mathbb R^{n\times m_k} \) from the barycenter's \( n \) support points.
     *
     * @param histograms the \( b_k \in \Sigma_{m_k} \)
     * @param costs      the \( C_k \), all with {@code n} rows
     * @param lambda     weights \( \lambda \in \Sigma_K \)
     * @return the barycenter on the {@code n} support points and how the iteration ended
     * @throws IllegalArgumentException naming the offending argument (sizes, weights, rows of the costs)
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix[] costs, double[] lambda) {
        return solve(histograms, costs, lambda, IterationObserver.none());
    }

    /**
     * {@link #solve(double[][], CostMatrix[], double[])} watched by an observer (see
     * {@link #solve(double[][], CostMatrix, double[], IterationObserver)}).
     *
     * @throws IllegalArgumentException as {@link #solve(double[][], CostMatrix[], double[])}, or if
     *                                  {@code observer} is null
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix[] costs, double[] lambda,
            IterationObserver observer) {
        Arguments.nonEmpty("histograms", histograms);
        Arguments.notNull("costs", costs);
        int count = histograms.length;
        Arguments.length("costs", costs.length, count);
        Arguments.probabilityVector("lambda", lambda, count);
        Arguments.noNulls("costs", costs);
        Arguments.notNull("observer", observer);
        int n = costs[0].rows();
        double[][] b = new double[count][];
        LogDomainGibbsKernel[] kernels = new LogDomainGibbsKernel[count];
        for (int k = 0; k < count; k++) {
            Arguments.length("costs[" + k + "] rows", costs[k].rows(), n);
            b[k] = Arguments.probabilityVector("histograms[" + k + "]", histograms[k], costs[k].cols()).clone();
            Bregman.requireResolvable("costs[" + k + "]", costs[k].maxAbs(), epsilon);
            kernels[k] = LogDomainGibbsKernel.of(costs[k], parallel);
        }
        double eps = epsilon;
        double[] h = new double[n];
        double[][] w = new double[count][];
        for (int k = 0; k < count; k++) {
            w[k] = new double[b[k].length];
        }
        Bregman.LogDomainProducts ops = new Bregman.LogDomainProducts() {
            @Override
            public void transposed(int k, double[] logu, double[] logvHint, double[] out) {
                double[] ww = w[k];
                for (int i = 0; i < n; i++) {
                    h[i] = eps * logu[i];
                }
                // shift each column by the current v_j (when finite): the sum is then (P^T 1)_j, close to b_j
                for (int j = 0; j < ww.length; j++) {
                    ww[j] = logvHint[j] == Double.NEGATIVE_INFINITY ? 0.0 : eps * logvHint[j];
                }
                kernels[k].colLogSums(h, ww, eps, out);
                for (int j = 0; j < ww.length; j++) {
                    out[j] -= ww[j] / eps;
                }
            }

            @Override
            public void direct(int k, double[] logv, double[] loguHint, double[] out) {
                double[] ww = w[k];
                for (int j = 0; j < ww.length; j++) {
                    ww[j] = eps * logv[j];
                }
                for (int i = 0; i < n; i++) {
                    h[i] = eps * loguHint[i];
                }
                // shifted by u_i: the sum is (P 1)_i, close to p_i
                kernels[k].rowLogSums(h, ww, eps, out);
                for (int i = 0; i < n; i++) {
                    out[i] -= loguHint[i];
                }
            }
        };
        Bregman.Outcome o = Bregman.run(ops, b, lambda, n, tolerance, maxIterations, observer);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(o.logp()[i]);
        }
        Arguments.finiteResult("epsilon", "the barycenter's weights", p);
        return new BarycenterResult(p, null,
                Convergence.tested(o.iterations(), o.residual(), tolerance, o.stopped()));
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "EntropicBarycenter[epsilon=" + TextSummary.number(epsilon) + ", tolerance="
                + TextSummary.brief(tolerance) + ", maxIterations=" + maxIterations + ", parallel=" + parallel + "]";
    }
}
