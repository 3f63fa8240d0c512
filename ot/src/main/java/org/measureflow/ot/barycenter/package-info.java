/**
 * Wasserstein barycenters (survey &sect;4): the minimisers of \( \sum_k \lambda_k \mathrm{OT}(\cdot, \mu_k) \).
 *
 * <ul>
 * <li>{@link org.measureflow.ot.barycenter.EntropicBarycenter}: fixed-support entropic barycenters of histograms on
 *     cost matrices by iterative Bregman projections (Benamou et al. 2015), log domain.</li>
 * <li>{@link org.measureflow.ot.barycenter.ConvolutionalBarycenter}: the same on regular 1-D/2-D grids with the
 *     Gibbs kernel applied as separable 1-D convolutions ({@link org.measureflow.ot.sinkhorn.SeparableGibbsKernel},
 *     Solomon et al. 2015), \( O(N(n_x+n_y)) \) per kernel application, stable for small \( \varepsilon \).</li>
 * <li>{@link org.measureflow.ot.barycenter.FreeSupportBarycenter}: free-support barycenters of point clouds (Cuturi,
 *     Doucet 2014), alternating exact or entropic plans and barycentric updates.</li>
 * </ul>
 * Their results ({@link org.measureflow.ot.barycenter.BarycenterResult},
 * {@link org.measureflow.ot.barycenter.FreeSupportBarycenterResult}) are
 * {@link org.measureflow.core.iteration.IterativeResult}s: the error is the coupling residual, respectively the last
 * displacement of the support.
 */
package org.measureflow.ot.barycenter;
