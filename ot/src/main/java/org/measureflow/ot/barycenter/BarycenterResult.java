package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.GridDensity;

/**
 * A fixed-support entropic Wasserstein barycenter and how the iterative Bregman projections that computed it ended
 * (see {@link EntropicBarycenter} and {@link ConvolutionalBarycenter}).
 *
 * <p>Its {@link #error()} is the L1 residual of the coupling constraint,
 * \( \sum_k \lambda_k \|P_k\mathbf 1 - p\|_1 \), for the couplings
 * \( P_k = \mathrm{diag}(u_k) K_k \mathrm{diag}(v_k) \) after their \( P_k^\top\mathbf 1 = b_k \) projection (so that constraint holds exactly): the quantity tested against
 * the tolerance. It bounds \( |\sum_i p_i - 1| \).
 *
 * @param weights     the barycenter \( p \) on the common support, \( \log p = \sum_k \lambda_k \log(P_k\mathbf 1) \)
 *                    (the last KL projection); its mass is 1 up to the error (the accessor returns a copy)
 * @param density     for a grid barycenter, \( p \) as a density on the grid (\( p_c/|\Delta| \)); {@code null} for a
 *                    barycenter on cost matrices
 * @param convergence Bregman iterations done (one iteration projects every coupling on both constraint sets), the
 *                    coupling residual and the tolerance it was tested against
 */
public record BarycenterResult(double[] weights, GridDensity density, Convergence convergence)
        implements IterativeResult {
    /** Validates the record and copies the weights. */
    public BarycenterResult {
        Arguments.notNull("weights", weights);
        Arguments.notNull("convergence", convergence);
        weights = weights.clone();
    }

    /** A copy of the barycenter's weights \( p \). */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * One line: the support size (and grid), the mass, how the iteration ended and the weights, e.g.
     * {@code BarycenterResult[n=9, mass=0.9999999999999, converged in 41 iterations (error 8.1e-14 <= 1e-13),
     * weights=[...]]}.
     */
    @Override
    public String toString() {
        double mass = 0;
        for (double w : weights) {
            mass += w;
        }
        return "BarycenterResult[n=" + weights.length + (density == null ? "" : ", on " + density.grid())
                + ", mass=" + TextSummary.number(mass) + ", " + convergence + ", weights="
                + TextSummary.array(weights) + "]";
    }
}
