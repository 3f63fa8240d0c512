/**
 * Semi-discrete optimal transport (survey &sect;4, eq. 10 with an absolutely continuous source): from a density
 * \( \rho \) to weighted points \( \nu = \sum_i b_i\delta_{y_i} \) for the cost \( |x-y|^2 \), through the concave
 * semi-dual in the Laguerre weights \( \psi \),
 * \[ \Phi(\psi) = \int \min_i\big(|x - y_i|^2 - \psi_i\big)\,\rho(x)\,dx + \sum_i b_i\psi_i, \qquad
 * \nabla\Phi = b - \big(\rho(\mathrm{Lag}_i(\psi))\big)_i, \]
 * whose maximiser makes every Laguerre (power) cell
 * \( \mathrm{Lag}_i(\psi) = \{x : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\} \) hold its mass \( b_i \); then
 * \( \Phi(\psi^\star) = W_2^2(\rho, \nu) \) and \( x \mapsto y_i \) on \( \mathrm{Lag}_i \) is the Monge map.
 *
 * <ul>
 *   <li>{@link org.measureflow.ot.semidiscrete.SemiDiscreteNewton}: the damped Newton method of
 *       Kitagawa&ndash;M&eacute;rigot&ndash;Thibert in the plane, for a density uniform on a rectangle or piecewise
 *       constant on a {@link org.measureflow.core.measure.GridDensity}, with exact polygonal cells
 *       ({@link org.measureflow.ot.semidiscrete.LaguerreDiagram}).</li>
 *   <li>{@link org.measureflow.ot.semidiscrete.SemiDiscreteSgd}: averaged stochastic gradient ascent (Genevay et
 *       al. 2016) for a density known through a {@link org.measureflow.core.measure.PointSampler}, in any
 *       dimension.</li>
 *   <li>{@link org.measureflow.ot.semidiscrete.SemiDualEvaluation}: weights, cell masses, mass error, the semi-dual
 *       (objective), the transport cost and cell centroids (for Lloyd-type quantisation), held by every
 *       {@link org.measureflow.ot.semidiscrete.SemiDiscreteResult} with its convergence.</li>
 * </ul>
 */
package org.measureflow.ot.semidiscrete;
