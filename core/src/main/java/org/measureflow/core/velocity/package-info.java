/**
 * Velocity reconstruction: from a density path \( t \mapsto \rho_t \) on a grid, a velocity field \( v_t \) that
 * moves it, \( \partial_t\rho + \mathrm{div}(\rho v) = 0 \) (survey eq. 2, &sect;2.1).
 *
 * <p><b>The field is not unique.</b> If \( v \) moves \( \rho_t \), so does \( v + w \) for every \( w \) in the
 * flux-null space \( \{ w : \mathrm{div}(\rho_t w) = 0 \} \), the kernel of a weighted divergence; for an isotropic
 * Gaussian it holds the rotations \( w(x) = J(x - m) \), \( J^\top = -J \). Recovering a field from an observed path
 * is therefore an ill-posed inverse problem, and each method below picks one field by a rule:
 * <ul>
 * <li><b>Dacorogna&ndash;Moser</b> (survey eq. 3), {@link org.measureflow.core.velocity.DacorognaMoser}: ask the
 *     flux to be a gradient, \( \rho v = -\nabla\Delta^{-1}\partial_t\rho \), so
 *     \( v = -\nabla\Delta^{-1}(\partial_t\rho)/\rho \). One Poisson solve; the division makes the field large where
 *     \( \rho \) is small and undefined where it vanishes, so a density floor guards it.</li>
 * <li><b>Least effort</b> (survey eqs. 4&ndash;6), {@link org.measureflow.core.velocity.LeastEffort}: minimise the
 *     kinetic energy \( \int\rho|v|^2 \) (the quadratic norm weighted by the measure, Otto's metric) under the
 *     continuity equation. A Lagrange multiplier \( \varphi \) for the constraint gives the optimality condition
 *     \( \rho v = \rho\nabla\varphi \): the optimal field is a gradient, \( v = \nabla\varphi \), and substituting it
 *     gives the weighted elliptic equation \( -\mathrm{div}(\rho\nabla\varphi) = \partial_t\rho \), solved by
 *     preconditioned conjugate gradients. Its kinetic energy is no larger than that of any other field moving
 *     \( \rho_t \), Dacorogna&ndash;Moser's included; along a Wasserstein geodesic its time integral is
 *     \( W_2^2 \) (Benamou&ndash;Brenier).</li>
 * <li><b>The weighted Helmholtz&ndash;Hodge split</b>, {@link org.measureflow.core.velocity.LeastEffort#split}: any
 *     field \( u \) is \( \nabla\varphi + w \) with \( \mathrm{div}(\rho w) = 0 \), where \( \nabla\varphi \) is the
 *     least-effort field of the motion \( u \) makes; the parts are orthogonal in \( \int\rho\, a\cdot b \), so
 *     \( \int\rho|u|^2 = \int\rho|\nabla\varphi|^2 + \int\rho|w|^2 \).</li>
 * </ul>
 *
 * <p><b>Grids.</b> Densities are {@link org.measureflow.core.measure.GridDensity} values at the cell centres, fields
 * are {@link org.measureflow.core.field.GridVectorField} values on the inner faces (no flow through the boundary of
 * the box), face densities are arithmetic means, and the schemes are second order in the cell size. A path is a
 * {@link org.measureflow.core.velocity.DensityPath} (densities at times, with finite-difference or given time
 * derivatives); the fields reconstructed along it, joined in time by a
 * {@link org.measureflow.core.velocity.PathField}, are a time-dependent
 * {@link org.measureflow.core.field.VectorField}, so that any {@link org.measureflow.core.ode.OdeIntegrator} can
 * advect particles with them (survey eq. 1).
 */
package org.measureflow.core.velocity;
