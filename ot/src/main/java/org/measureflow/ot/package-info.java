/**
 * Optimal transport between measures (survey section 4), with the cost \( |x - y|^2 \) unless an API says
 * otherwise. Sub-packages by concept:
 * <ul>
 *   <li>{@code exact}: the Kantorovich problem (eq. 10) by the network simplex, and 1-D transport by quantiles;</li>
 *   <li>{@code sinkhorn}: entropic transport \( \min_P \langle C, P\rangle + \varepsilon\mathrm{KL}(P | a\otimes b) \)
 *       by stabilised Sinkhorn iterations, and Sinkhorn divergences;</li>
 *   <li>{@code unbalanced}: entropic transport with KL-relaxed marginals;</li>
 *   <li>{@code barycenter}: Wasserstein barycenters, fixed support (Bregman projections, convolutional on grids)
 *       and free support;</li>
 *   <li>{@code gaussian}: Bures&ndash;Wasserstein transport (Prop. 4.3) and entropic transport between
 *       Gaussians in closed form;</li>
 *   <li>{@code semidiscrete}: transport from a density to weighted points (Laguerre cells);</li>
 *   <li>{@code sliced}: sliced Wasserstein distances;</li>
 *   <li>{@code dynamic}: displacement interpolation (eq. 12) and the Benamou&ndash;Brenier problem (eq. 11).</li>
 * </ul>
 * The top level holds what they share: {@link org.measureflow.ot.CostMatrix}, {@link org.measureflow.ot.GroundCost},
 * {@link org.measureflow.ot.Histograms}, the one plan type {@link org.measureflow.ot.TransportPlan} and the entropic
 * regularisation {@link org.measureflow.ot.Epsilon} (absolute or relative to the mean cost).
 */
package org.measureflow.ot;
