/**
 * Integrators of ordinary and stochastic differential equations on flat {@code double[]} states, the Lagrangian
 * solvers of the continuity equation: particles following \( \dot x = v_t(x) \) (survey eq. 1) carry their measure
 * along the solution of \( \partial_t \rho + \mathrm{div}(\rho v) = 0 \) (eq. 2).
 *
 * <ul>
 *   <li>{@link org.measureflow.core.ode.OdeIntegrator} integrates an {@link org.measureflow.core.ode.OdeSystem}
 *   \( \dot y = F(t, y) \) in place, forwards or backwards, and advects
 *   {@link org.measureflow.core.measure.ParticleMeasure}s along fields. Fixed steps:
 *   {@link org.measureflow.core.ode.Euler} (order 1), {@link org.measureflow.core.ode.Heun} (order 2),
 *   {@link org.measureflow.core.ode.RungeKutta4} (order 4); adaptive:
 *   {@link org.measureflow.core.ode.DormandPrince54} (embedded RK5(4) with error control and a fourth-order dense
 *   output).</li>
 *   <li>{@link org.measureflow.core.ode.EulerMaruyama} simulates It&ocirc; SDEs
 *   \( dX = b(t, X)\,dt + \sigma(t, X)\,dW \), the noise given by a {@link org.measureflow.core.ode.Diffusion}.</li>
 *   <li>{@link org.measureflow.core.ode.StepObserver}s watch the accepted {@link org.measureflow.core.ode.Step}s
 *   (with dense output) for trajectories ({@link org.measureflow.core.ode.TrajectoryRecorder}), progress, and
 *   early stop; every call returns an {@link org.measureflow.core.ode.IntegrationResult} with its step and
 *   evaluation counts.</li>
 * </ul>
 *
 * <p>Conventions: integrators are immutable and thread-safe; the work arrays of a call are allocated once at its
 * start and nothing is allocated per step; vector updates of large states run over fixed chunks
 * ({@link org.measureflow.core.parallel.Chunks}) and give the same bits in parallel as serially; randomness comes
 * only from the caller's generator. Bad arguments throw {@link java.lang.IllegalArgumentException}; an integration
 * that cannot go on (step-size underflow, the evaluation limit, an overflowing state) throws
 * {@link java.lang.IllegalStateException} with the time reached.
 */
package org.measureflow.core.ode;
