package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The outcome of {@link FreeSupportBarycenter#solve}: the barycenter's support and how the fixed-point iteration
 * ended. Its {@link #error()} is the last displacement \( (\sum_i w_i |x_i^{new} - x_i|^2)^{1/2} \) of the support,
 * the quantity tested against the tolerance.
 *
 * @param barycenter  the barycenter \( \sum_i w_i\delta_{x_i} \) (the initial weights, the final points)
 * @param cost        \( \sum_k\lambda_k \langle C_k, P_k\rangle \) for the plans of the last iteration, that is
 *                    \( F \) at the points before the last update (exact plans), an upper bound of \( F \) at the
 *                    returned points
 * @param convergence iterations done (one plan computation per input measure each), the last displacement and the
 *                    tolerance it was tested against
 */
public record FreeSupportBarycenterResult(ParticleMeasure barycenter, double cost, Convergence convergence)
        implements IterativeResult {
    /** Validates the record. */
    public FreeSupportBarycenterResult {
        Arguments.notNull("barycenter", barycenter);
        Arguments.notNull("convergence", convergence);
    }

    /**
     * One line: the support size and dimension, the cost, how the iteration ended and the support's mean.
     */
    @Override
    public String toString() {
        return "FreeSupportBarycenterResult[n=" + barycenter.size() + ", d=" + barycenter.dimension() + ", cost="
                + TextSummary.number(cost) + ", " + convergence + ", mean=" + TextSummary.array(barycenter.mean())
                + "]";
    }
}
