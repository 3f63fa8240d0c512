package org.measureflow.ot.gaussian;

import org.measureflow.core.measure.GaussianMeasure;

/**
 * Result of the Bures&ndash;Wasserstein barycentre iteration ({@link BuresWasserstein#barycenter}).
 *
 * @param barycenter the last iterate \( \mathcal{N}(\bar m, \bar\Sigma) \)
 * @param iterations the number of fixed-point steps taken
 * @param residual   the relative change \( \lVert \Sigma_{n} - \Sigma_{n-1} \rVert_F / \lVert \Sigma_{n-1} \rVert_F \) of
 *                   the last step
 * @param converged  whether {@code residual <= tolerance} was reached within the iteration cap
 */
public record BuresBarycenter(GaussianMeasure barycenter, int iterations, double residual, boolean converged) {
}
