/**
 * The core of measureflow: measures in their Lagrangian form (weighted particles, Gaussians) and Eulerian form
 * (grid densities), vector fields acting on them, ODE and SDE integrators that advect particles along a field
 * (particles solve \( \dot x = v_t(x) \), survey eq. 1, and their measure solves the continuity equation \( \partial_t \rho + \mathrm{div}(\rho v) = 0 \), eq. 2), and SPD linear
 * algebra on EJML.
 *
 * <p>Sub-packages: {@link org.measureflow.core.measure}, {@link org.measureflow.core.field},
 * {@link org.measureflow.core.ode}, {@link org.measureflow.core.linalg}, {@link org.measureflow.core.parallel},
 * {@link org.measureflow.core.io} (reading and writing CSV, NumPy {@code .npy} and {@code .npz} data),
 * {@link org.measureflow.core.continuity} (the continuity equation on grid densities: a positive, conservative
 * finite-volume solver).
 */
package org.measureflow.core;
