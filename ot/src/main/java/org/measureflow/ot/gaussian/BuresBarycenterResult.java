package org.measureflow.ot.gaussian;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.GaussianMeasure;

/**
 * The outcome of the Bures&ndash;Wasserstein barycentre iteration ({@link BuresBarycenter}).
 *
 * @param barycenter  the last iterate \( \mathcal{N}(\bar m, \bar\Sigma) \)
 * @param convergence the fixed-point steps done and, as error, the fixed-point residual: the relative change
 *                    \( \lVert \Sigma_k - \Sigma_{k-1} \rVert_F / \lVert \Sigma_{k-1} \rVert_F \) of the last step,
 *                    tested against {@link BuresBarycenter#tolerance()}
 */
public record BuresBarycenterResult(GaussianMeasure barycenter, Convergence convergence) implements IterativeResult {
    /** Validates the components. */
    public BuresBarycenterResult {
        Arguments.notNull("barycenter", barycenter);
        Arguments.notNull("convergence", convergence);
    }

    /** One line: the barycentre and how the iteration ended. */
    @Override
    public String toString() {
        return "BuresBarycenterResult[d=" + barycenter.dimension() + ", " + convergence + ", barycenter="
                + barycenter + "]";
    }
}
