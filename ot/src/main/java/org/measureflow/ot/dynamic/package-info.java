/**
 * Dynamic optimal transport (survey &sect;4.2): paths of measures \( t \mapsto \mu_t \), \( t \in [0, 1] \), that
 * realise \( W_2 \).
 *
 * <ul>
 *   <li>{@link org.measureflow.ot.dynamic.DisplacementInterpolation}: McCann's interpolation
 *       \( \mu_t = \sum_{ij} P_{ij}\delta_{(1-t)x_i + t y_j} \) along an exact optimal plan (eq. 12), a constant-speed
 *       geodesic.</li>
 *   <li>{@link org.measureflow.ot.dynamic.BenamouBrenier}: the Benamou&ndash;Brenier problem (eq. 11)
 *       \( \min \int_0^1\!\int |m|^2/\rho \) subject to \( \partial_t\rho + \mathrm{div}\,m = 0 \) on a staggered 1-D or
 *       2-D space&ndash;time grid, by proximal splitting; the minimum is \( W_2^2 \) for the cost \( |x-y|^2 \).</li>
 * </ul>
 */
package org.measureflow.ot.dynamic;
