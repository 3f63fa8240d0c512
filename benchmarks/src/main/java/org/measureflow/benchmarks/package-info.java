/**
 * JMH benchmarks of measureflow's hot paths, built into {@code benchmarks/target/benchmarks.jar}
 * ({@code java -jar benchmarks/target/benchmarks.jar -l} lists them). Sizes are parameters chosen to show how the
 * cost grows with the problem; the measured numbers, with date, JDK and command, are kept in
 * {@code benchmarks/RESULTS.md}.
 *
 * <p>{@link org.measureflow.benchmarks.IntegratorBenchmark} times the particle integrators of
 * {@code org.measureflow.core.ode} on the linear field \( \dot x = A x + b \) (survey eq. 1): one classical
 * Runge&ndash;Kutta step, and a whole adaptive Dormand&ndash;Prince 5(4) solve over \( [0, 1] \).
 * <p>{@link org.measureflow.benchmarks.ContinuityBenchmark}: one step of the finite-volume continuity solver (survey
 * eq. 2) on 256^2 and 512^2 grids, and ten steps of {@code advect}.
 * <p>{@link org.measureflow.benchmarks.LeastEffortBenchmark}: velocity reconstruction on 128^2 and 256^2 grids
 * (survey eqs. 3&ndash;6), one least-effort solve (preconditioned conjugate gradients) and one Dacorogna&ndash;Moser
 * solve.
 * <p>{@link org.measureflow.benchmarks.AttentionBenchmark}: softmax attention of all tokens (survey eq. 27) and one RK4 step of the transformer ODE (eq. 28).
 */
package org.measureflow.benchmarks;
