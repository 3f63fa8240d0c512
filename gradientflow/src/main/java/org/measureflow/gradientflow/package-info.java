/**
 * Wasserstein gradient flows (survey &sect;5): \( \partial_t\rho = \mathrm{div}(\rho\nabla\frac{\delta F}{\delta\rho}) \)
 * (eq. 15) for energies \( F \) built from potential, interaction and internal (entropy, porous-medium) terms.
 *
 * <ul>
 * <li>{@link org.measureflow.gradientflow.energy}: the energies: grid energies (values and first variations on grid
 *     densities), particle energies (values and velocities of particles), and measure energies (potential and
 *     interaction energies, both).</li>
 * <li>{@link org.measureflow.gradientflow.jko}: the JKO scheme (eq. 13) on 1-D and 2-D grids by entropic
 *     scaling iterations with a separable Gibbs convolution (Peyr&eacute; 2015).</li>
 * <li>{@link org.measureflow.gradientflow.particles}: particle flows (eq. 17) through the core integrators, the
 *     implicit particle step (eq. 14), Langevin dynamics and a deterministic score (blob) method for
 *     diffusions.</li>
 * <li>{@link org.measureflow.gradientflow.diagnostics}: energy, mass, moments and \( W_2 \) to equilibrium along
 *     a flow.</li>
 * <li>{@link org.measureflow.gradientflow.meanfield}: mean-field training of two-layer networks (survey &sect;6),
 *     the linear network's moment closure and residual networks.</li>
 * </ul>
 */
package org.measureflow.gradientflow;
