/**
 * The continuity equation \( \partial_t \rho + \mathrm{div}(\rho\, v_t) = 0 \) (survey eq. 2) on grid densities, for
 * any {@link org.measureflow.core.field.VectorField} \( v \): the Eulerian side of the transport whose Lagrangian
 * side (particles following \( \dot x = v_t(x) \), eq. 1) the integrators of {@link org.measureflow.core.ode} solve.
 * {@link org.measureflow.core.continuity.ContinuitySolver} advances a
 * {@link org.measureflow.core.measure.GridDensity} in 1, 2 or 3 dimensions and returns a
 * {@link org.measureflow.core.continuity.ContinuityResult}.
 *
 * <h2>The scheme</h2>
 *
 * <p><b>Finite volumes in flux form.</b> The cell values \( \rho_c \) are read as cell averages. Integrating the
 * equation over cell \( c \) of sizes \( h_1, \dots, h_d \) gives the semi-discrete scheme
 * \[ \frac{d\rho_c}{dt} = -D_c(\rho; t), \qquad
 *    D_c(\rho; t) = \sum_{k=1}^{d} \frac{F_{k,c+1/2} - F_{k,c-1/2}}{h_k}, \]
 * where \( F_{k,c\pm1/2} \) is the flux \( \rho\, v_k \) through the upper and lower face of \( c \) normal to axis
 * \( k \). Every inner face is shared by two cells and enters their updates with opposite signs, so
 * \( \sum_c D_c = 0 \) and the mass \( M = \sum_c \rho_c |\Delta| \) is conserved exactly in exact arithmetic, in
 * floating point to round-off.
 *
 * <p><b>Face velocities.</b> The flux uses the normal component \( u = v_k(t, x_f) \) of the field at the face centre
 * \( x_f \) (the cell centre moved by \( -h_k/2 \) along axis \( k \)), evaluated at the stage times of the time
 * step. The divergence of the field is never formed: compressive and expanding fields are treated alike.
 *
 * <p><b>MUSCL reconstruction.</b> Along axis \( k \), cell \( c \) carries the linear profile
 * \( \rho_c + s_c \xi \), \( \xi \in [-\tfrac12, \tfrac12] \), with the limited slope
 * \( s_c = \mathrm{lim}(\Delta^-, \Delta^+) \) of the differences \( \Delta^- = \rho_c - \rho_{c-1} \),
 * \( \Delta^+ = \rho_{c+1} - \rho_c \) ({@link org.measureflow.core.continuity.SlopeLimiter}: minmod or the
 * monotonized central limiter). Its face values are \( \rho^E_c = \rho_c + s_c/2 \) (upper face) and
 * \( \rho^W_c = \rho_c - s_c/2 \) (lower face). On a closed box the boundary cells have \( s_c = 0 \).
 *
 * <p><b>Upwind flux.</b> Through the face between cells \( L \) (below) and \( R \) (above) with normal velocity
 * \( u \): \( F = u^+ \rho^E_L + u^- \rho^W_R \) with \( u^+ = \max(u, 0) \), \( u^- = \min(u, 0) \): the value
 * reconstructed on the side the flow comes from.
 *
 * <p><b>Time stepping.</b> SSP-RK2 (Heun's method, strong-stability preserving with coefficient 1):
 * \[ \rho^{(1)} = \rho^n - \Delta t\, D(\rho^n; t_n), \qquad
 *    \rho^{n+1} = \tfrac12 \rho^n + \tfrac12 \big( \rho^{(1)} - \Delta t\, D(\rho^{(1)}; t_n + \Delta t) \big). \]
 * Together with the reconstruction the scheme is second order in space and time where the solution is smooth and
 * not at an extremum (the limiters fall back to first order in the few cells around extrema and discontinuities).
 *
 * <p><b>Boundaries.</b> {@link org.measureflow.core.continuity.Boundary#NO_FLUX}: \( F = 0 \) on every boundary face
 * (a closed box). {@link org.measureflow.core.continuity.Boundary#PERIODIC}: indices wrap around, the face at
 * \( lo_k \) being the face at \( hi_k \).
 *
 * <h2>The CFL bound and positivity</h2>
 *
 * <p>Let \( S(t) = \sum_k \max_f |v_k(t, x_f)| / h_k \), the maximum over the faces normal to axis \( k \) that carry
 * flux. <b>Claim:</b> if \( \rho^n \ge 0 \) and \( \Delta t \le C / \max(S(t_n), S(t_n + \Delta t)) \) with
 * \( C = 1/2 \) ({@link org.measureflow.core.continuity.ContinuitySolver#CFL_CONSTANT}), then
 * \( \rho^{n+1} \ge 0 \).
 *
 * <p><i>Proof.</i> (1) Face values are in \( [0, 2\rho_c] \): both limiters give \( s_c = 0 \) unless
 * \( \Delta^- \) and \( \Delta^+ \) have the same sign, and then \( s_c \) has that sign and
 * \( |s_c| \le 2\min(|\Delta^-|, |\Delta^+|) \). If \( s_c \gt 0 \), \( s_c \le 2\Delta^- = 2(\rho_c - \rho_{c-1})
 * \le 2\rho_c \); if \( s_c \lt 0 \), \( |s_c| \le 2|\Delta^+| = 2(\rho_c - \rho_{c+1}) \le 2\rho_c \). Either way
 * \( \rho^E_c, \rho^W_c \ge 0 \), and \( \rho^E_c + \rho^W_c = 2\rho_c \).
 * (2) One forward Euler stage \( \rho' = \rho - \tau D(\rho) \) is non-negative for \( \tau S \le 1/2 \): write
 * \( \nu_k = \tau/h_k \) and \( a_k = \max_f |v_k| \). The terms of \( -\tau D_c \) that bring mass from the
 * neighbours, \( \nu_k u^+_{c-1/2} \rho^E_{c-1} \) and \( -\nu_k u^-_{c+1/2} \rho^W_{c+1} \), are
 * \( \ge 0 \). The terms that take mass out of cell \( c \) are \( -\nu_k (u^+_{c+1/2} \rho^E_c
 * + |u^-_{c-1/2}| \rho^W_c) \ge -\nu_k a_k (\rho^E_c + \rho^W_c) = -2 \nu_k a_k \rho_c \). Hence
 * \( \rho'_c \ge \rho_c (1 - 2\tau \sum_k a_k / h_k) = \rho_c (1 - 2\tau S) \ge 0 \).
 * (3) The first stage uses the field at \( t_n \), the second at \( t_n + \Delta t \); both are Euler stages under
 * the bound, so \( \rho^{(1)} \ge 0 \) and \( \rho^{n+1} \) is a convex combination of \( \rho^n \ge 0 \) and a
 * non-negative Euler stage of \( \rho^{(1)} \). \( \square \)
 *
 * <p>The constant cannot be raised: for \( \rho = (0, 1, 3) \) along a line with the monotonized central limiter
 * and a constant \( u \gt 0 \), the middle cell has \( s = 2 \), \( \rho^E = 2 \), no inflow, and its Euler stage
 * gives \( 1 - 2 u \tau / h \), negative as soon as \( u\tau/h \gt 1/2 \); a field that diverges from a cell
 * (\( u \gt 0 \) above, \( u \lt 0 \) below) needs \( \tau S \le 1/2 \) even with first-order upwinding.
 * Under \( \Delta t \le \sigma C/S \) with a Courant number \( \sigma \lt 1 \) each cell keeps at least the
 * fraction \( 1 - \sigma \) of its value through each stage, so rounding cannot make it negative; at the bound
 * itself a result one rounding unit below zero is set to 0.
 *
 * <h2>Numbers</h2>
 *
 * <p>Densities are scaled by a power of two that brings their largest value into \( [1, 2) \) for the run (the
 * scheme is positively homogeneous of degree one, so this changes no digit except near the ends of the double
 * range). The passes over the cells run on the common fork-join pool in fixed chunks of rows (the cells along the
 * last axis; a 1-D grid is a single row, so it runs on one thread); each cell's new value depends only on its
 * neighbours, and the one reduction (the largest face speed) is a maximum, so parallel and serial runs give the
 * same bits. Nothing is allocated per step: the work arrays (three densities, the fluxes and two sets of face
 * velocities, about \( 3 + 3d \) arrays of the grid's size) are made once per call.
 */
package org.measureflow.core.continuity;
