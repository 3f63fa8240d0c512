package org.measureflow.ot.barycenter;

import org.measureflow.core.measure.GridDensity;

/**
 * A fixed-support entropic Wasserstein barycenter and how the iterative Bregman projections that computed it ended
 * (see {@link EntropicBarycenter} and {@link ConvolutionalBarycenter}).
 *
 * @param weights       the barycenter \( p \) on the common support, \( \log p = \sum_k \lambda_k \log(P_k\mathbf 1) \)
 *                      (the last KL projection); its mass is 1 up to {@code marginalError} (accessor returns a copy)
 * @param density       for a grid barycenter, \( p \) as a density on the grid (\( p_c/|\Delta| \)); {@code null}
 *                      for a barycenter on a cost matrix
 * @param iterations    Bregman iterations done (one iteration projects every coupling on both constraint sets)
 * @param marginalError the L1 residual of the coupling constraint, \( \sum_k \lambda_k \|P_k\mathbf 1 - p\|_1 \), for
 *                      the couplings \( P_k = \mathrm{diag}(u_k) K_k \mathrm{diag}(v_k) \) after their
 *                      \( P_k^\top\mathbf 1 = b_k \) projection (so the other constraint holds exactly); it bounds
 *                      \( |\sum_i p_i - 1| \)
 * @param converged     whether {@code marginalError <= tolerance} was reached within the iteration budget
 */
public record BarycenterResult(double[] weights, GridDensity density, int iterations, double marginalError,
        boolean converged) {
    /** Copies the weights. */
    public BarycenterResult {
        weights = weights.clone();
    }

    /** A copy of the barycenter's weights \( p \). */
    @Override
    public double[] weights() {
        return weights.clone();
    }
}
