package org.measureflow.ot.barycenter;

import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.ot.sinkhorn.ScalingEngine;

/**
 * Iterative Bregman projections for the fixed-support entropic barycenter (Benamou, Carlier, Cuturi, Nenna, Peyr&eacute;
 * 2015), in the log domain: the couplings \( P_k = \mathrm{diag}(u_k) K_k \mathrm{diag}(v_k) \)
 * are alternately KL-projected on \( \{P_k^\top\mathbf 1 = b_k\} \) (\( v_k = b_k / K_k^\top u_k \)) and on
 * \( \{P_1\mathbf 1 = \dots = P_K \mathbf 1\} \) with weights \( \lambda_k \)
 * (\( p = \prod_k (u_k \odot K_k v_k)^{\lambda_k} \), \( u_k = p / K_k v_k \)). Only \( \log u_k, \log v_k \) are stored.
 * The loop is the {@link ScalingEngine}'s ({@link ScalingEngine#barycentric}): the couplings stacked into one
 * block-diagonal coupling, a hard marginal step on its columns and the geometric-mean step on its rows.
 */
final class Bregman {
    /** The log-domain kernel products of the couplings, exact (no underflow) for any epsilon. */
    interface LogDomainProducts {
        /**
         * \( \mathrm{out} = \log(K_k^\top e^{\log u}) \); {@code logvHint} holds the current \( \log v_k \) (entries may be
         * \( -\infty \)), usable as a shift.
         */
        void transposed(int k, double[] logu, double[] logvHint, double[] out);

        /** \( \mathrm{out} = \log(K_k e^{\log v}) \); {@code loguHint} holds the current \( \log u_k \) (finite). */
        void direct(int k, double[] logv, double[] loguHint, double[] out);
    }

    /** The outcome: \( \log p \), iterations, the coupling residual, and whether the observer stopped the run. */
    record Outcome(double[] logp, long iterations, double residual, boolean stopped) {
    }

    /**
     * The largest \( \max|C| / \varepsilon \) accepted: the log-domain iterates are of that size, and their rounding
     * (about \( 10^{-16} \) of it) must stay far below 1, or the log-marginals \( \log b \) are lost and the
     * iteration can report a small residual for a barycentre of the wrong mass. At \( 10^{10} \) the rounding is
     * \( 10^{-6} \) in the logs; no practical epsilon comes near it (the slowest useful runs use
     * \( \varepsilon \approx 10^{-4} \max|C| \)).
     */
    static final double MAX_COST_OVER_EPSILON = 1e10;

    private Bregman() {
    }

    /**
     * Rejects an epsilon too small for the costs (see {@link #MAX_COST_OVER_EPSILON}), naming {@code epsilon} and
     * the costs {@code what}.
     */
    static void requireResolvable(String what, double maxCost, double epsilon) {
        double ratio = maxCost / epsilon;
        if (!(ratio <= MAX_COST_OVER_EPSILON)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + " is too small for " + what + " (largest cost "
                    + maxCost + "): max|C| / epsilon = " + ratio + " exceeds " + MAX_COST_OVER_EPSILON
                    + ", beyond which the log-domain iteration loses the marginals to rounding; increase epsilon, "
                    + "or shift the costs to start at 0");
        }
    }

    /**
     * Runs the projections until the coupling residual \( \sum_k\lambda_k\|P_k\mathbf 1 - p\|_1 \le \) {@code tol},
     * the budget is spent, or the observer (called after every iteration with the residual) asks to stop: the
     * {@link ScalingEngine#barycentric} engine (hard column steps, the geometric-mean row step).
     */
    static Outcome run(LogDomainProducts kernels, double[][] b, double[] lambda, int n, double tol,
            long maxIterations, IterationObserver observer) {
        ScalingEngine engine = ScalingEngine.barycentric(new ScalingEngine.CoupledKernels() {
            @Override
            public void transposed(int k, double[] logu, double[] logvHint, double[] out) {
                kernels.transposed(k, logu, logvHint, out);
            }

            @Override
            public void direct(int k, double[] logv, double[] loguHint, double[] out) {
                kernels.direct(k, logv, loguHint, out);
            }
        }, b, lambda, n);
        long iterations = engine.iterate(tol, maxIterations, observer);
        return new Outcome(engine.logBarycenter(), iterations, engine.error(), engine.stopped());
    }
}
