package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.sinkhorn.LogKernel;

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
 * log-sum-exps of {@link LogKernel} (no underflow for small \( \varepsilon \); cost \( O(n \sum_k m_k) \) exponentials
 * per iteration). The stopping rule is the coupling residual of {@link BarycenterResult#marginalError()}.
 */
public final class EntropicBarycenter {
    private final Options options;

    private EntropicBarycenter(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}). */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** The solver with the given options. */
    public static EntropicBarycenter of(Options options) {
        return new EntropicBarycenter(Arguments.notNull("options", options));
    }

    /** The solver with the default options. */
    public static EntropicBarycenter withDefaults() {
        return new EntropicBarycenter(Options.DEFAULTS);
    }

    /** This solver's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * The barycenter of histograms that share one support, with one cost \( C \in \mathbb R^{n\times m} \) from the
     * barycenter's support to it (often \( n = m \), \( C \) symmetric).
     *
     * @param histograms the \( b_k \in \Sigma_m \) (each non-negative, summing to 1)
     * @param cost       \( C \), {@code n x m}
     * @param lambda     weights \( \lambda \in \Sigma_K \) (non-negative, summing to 1)
     * @throws IllegalArgumentException naming the offending argument
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix cost, double[] lambda) {
        Arguments.notNull("histograms", histograms);
        CostMatrix[] costs = new CostMatrix[histograms.length];
        java.util.Arrays.fill(costs, cost);
        return solve(histograms, costs, lambda);
    }

    /**
     * The barycenter of histograms on different supports: \( b_k \in \Sigma_{m_k} \) with its own cost
     * \( C_k \in \mathbb R^{n\times m_k} \) from the barycenter's \( n \) support points.
     *
     * @throws IllegalArgumentException naming the offending argument (sizes, weights, rows of the costs)
     */
    public BarycenterResult solve(double[][] histograms, CostMatrix[] costs, double[] lambda) {
        Arguments.notNull("histograms", histograms);
        Arguments.notNull("costs", costs);
        int count = histograms.length;
        if (count == 0) {
            throw new IllegalArgumentException("histograms must not be empty");
        }
        Arguments.length("costs", costs.length, count);
        Histograms.requireProbability("lambda", lambda, count);
        Arguments.notNull("costs[0]", costs[0]);
        int n = costs[0].rows();
        double[][] b = new double[count][];
        LogKernel[] kernels = new LogKernel[count];
        for (int k = 0; k < count; k++) {
            Arguments.notNull("costs[" + k + "]", costs[k]);
            Arguments.length("costs[" + k + "] rows", costs[k].rows(), n);
            b[k] = Histograms.requireProbability("histograms[" + k + "]", histograms[k], costs[k].cols()).clone();
            kernels[k] = LogKernel.of(costs[k], options.parallel);
        }
        double eps = options.epsilon;
        double[] h = new double[n];
        double[][] w = new double[count][];
        for (int k = 0; k < count; k++) {
            w[k] = new double[b[k].length];
        }
        Bregman.LogKernels ops = new Bregman.LogKernels() {
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
        Bregman.Outcome o = Bregman.run(ops, b, lambda, n, options.tolerance, options.maxIterations);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(o.logp()[i]);
        }
        return new BarycenterResult(p, null, o.iterations(), o.residual(), o.residual() <= options.tolerance);
    }

    /**
     * Immutable configuration shared by {@link EntropicBarycenter} and {@link ConvolutionalBarycenter}. Defaults:
     * {@code epsilon = 1e-2} (absolute, in cost units), {@code tolerance = 1e-9} (on the L1 coupling residual
     * \( \sum_k\lambda_k\|P_k\mathbf 1 - p\|_1 \)), {@code maxIterations = 10000}, {@code parallel = true} (identical
     * results either way).
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        double epsilon = 1e-2;
        double tolerance = 1e-9;
        int maxIterations = 10_000;
        boolean parallel = true;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
            o.epsilon = epsilon;
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.parallel = parallel;
            return o;
        }

        /** The regularisation \( \varepsilon > 0 \), absolute (cost units). */
        public Options epsilon(double epsilon) {
            Options o = copy();
            o.epsilon = Arguments.positive("epsilon", epsilon);
            return o;
        }

        /** The L1 coupling residual to reach, {@code > 0}. */
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

        /** Allows ({@code true}, default) or forbids parallel chunks; the results are the same bits either way. */
        public Options parallel(boolean on) {
            Options o = copy();
            o.parallel = on;
            return o;
        }

        /** A barycenter solver on cost matrices with these options. */
        public EntropicBarycenter solver() {
            return new EntropicBarycenter(this);
        }

        /** A convolutional (grid) barycenter solver with these options. */
        public ConvolutionalBarycenter convolutional() {
            return ConvolutionalBarycenter.of(this);
        }

        /** \( \varepsilon \). */
        public double epsilon() {
            return epsilon;
        }

        /** The L1 coupling tolerance. */
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
            return "EntropicBarycenter.Options[epsilon=" + epsilon + ", tolerance=" + tolerance + ", maxIterations="
                    + maxIterations + ", parallel=" + parallel + "]";
        }
    }
}
