/**
 * Optimal transport between Gaussian measures in closed form (survey Prop. 4.3; docs/closed-forms.md CF-12, CF-14).
 *
 * <ul>
 *   <li>{@link org.measureflow.ot.gaussian.BuresWasserstein}: the Wasserstein distance
 *       \( W_2^2 = |m_0 - m_1|^2 + \operatorname{tr}\Sigma_0 + \operatorname{tr}\Sigma_1
 *       - 2\operatorname{tr}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2} \), the linear Monge map and McCann's
 *       geodesic.</li>
 *   <li>{@link org.measureflow.ot.gaussian.BuresBarycenter}: the Bures barycentre by the fixed-point iteration of
 *       &Aacute;lvarez-Esteban et al. 2016, returning a {@link org.measureflow.ot.gaussian.BuresBarycenterResult}.</li>
 *   <li>{@link org.measureflow.ot.gaussian.EntropicGaussianOt}: entropic transport
 *       \( \mathrm{OT}_\varepsilon = \min_\pi \int |x-y|^2 d\pi + \varepsilon \mathrm{KL}(\pi | \alpha\otimes\beta) \)
 *       between Gaussians (its objective and its transport cost), its optimal Gaussian plan, entropic map and
 *       Sinkhorn divergence.</li>
 *   <li>{@link org.measureflow.core.measure.AffineMap}: the affine maps \( x \mapsto A x + b \) these return, usable as
 *       {@link org.measureflow.core.measure.PointMap}s for particle push-forwards.</li>
 * </ul>
 *
 * <p>Conventions follow {@code docs/closed-forms.md}: cost \( |x - y|^2 \) (not halved), entropic regulariser
 * \( \varepsilon\,\mathrm{KL}(\pi | \alpha\otimes\beta) \), interpolation time \( t \in [0, 1] \) from source to target.
 * Every quantity is computed from one Cholesky factor \( \Sigma_0 = L L^\top \) and one symmetric eigendecomposition
 * of \( L^\top \Sigma_1 L \), with no matrix square roots, so \( W_2^2 \) costs about \( \tfrac73 d^3 \) flops.
 */
package org.measureflow.ot.gaussian;
