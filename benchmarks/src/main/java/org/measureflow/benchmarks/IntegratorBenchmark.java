package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.RungeKutta4;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of advecting {@code n} particles in 2-D along the rotating and dilating linear field
 * \( \dot x = A x + b \), \( A = \begin{pmatrix} 0.3 &amp; -2 \\ 2 &amp; 0.3 \end{pmatrix} \), \( b = (0.3, 2) \) (the
 * field of the {@code core-linear-flow} demo; survey eq. 1), for {@code n} = 10^4, 10^5, 10^6:
 * <ul>
 *   <li>{@link #rungeKutta4Step}: one step \( h = 0.01 \) of the classical Runge&ndash;Kutta method (four field
 *   evaluations over all particles plus the stage combinations);</li>
 *   <li>{@link #dormandPrince54Solve}: a whole adaptive Dormand&ndash;Prince 5(4) solve from \( t = 0 \) to 1 with
 *   {@code rtol = 1e-6}, {@code atol = 1e-9}.</li>
 * </ul>
 * The particles are drawn once per trial in {@link #setUp()} from \( \mathcal{N}((1, 0), [[0.3, 0.1], [0.1, 0.2]]) \)
 * with a fixed seed. The field is evaluated through {@code VectorField.onParticles()}, so large {@code n} run on
 * the common fork-join pool in fixed chunks.
 *
 * <p>State handling. The integrators work in place, so a measured call changes its input:
 * <ul>
 *   <li>The RK4 step alternates direction: even calls go from \( t = 0 \) to \( h \), odd calls from \( h \) back to
 *   \( 0 \). A step costs the same both ways, and the state stays bounded (forward then backward returns to the
 *   start up to \( O(h^5) \)), whereas always stepping forward would grow it by \( e^{0.3 h} \) per call and
 *   overflow after about \( 2 \cdot 10^5 \) calls (measured: after \( 2 \cdot 10^5 \) alternating calls the state
 *   has drifted by \( 2 \cdot 10^{-7} \) relative). Restoring the state per invocation instead
 *   ({@code @Setup(Level.Invocation)}) would add JMH's per-invocation timestamps to a call of a millisecond or
 *   less at {@code n = 10^4}, and a copy of \( 2n \) doubles is not negligible next to one step (four field
 *   evaluations).</li>
 *   <li>The Dormand&ndash;Prince solve starts every call from the same initial state: it first copies it into the
 *   work array, inside the measured method. The copy of \( 2n \) doubles costs well under 1% of the solve (13
 *   accepted steps and 80 field evaluations on these particles, for every {@code n}), and keeps the number of
 *   steps identical from call to call.</li>
 * </ul>
 * Results go to a {@link Blackhole}: the integration record and one coordinate of the final state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class IntegratorBenchmark {
    /** Step of the Runge&ndash;Kutta method. */
    static final double STEP = 0.01;
    /** Relative tolerance of the Dormand&ndash;Prince solve. */
    static final double RTOL = 1e-6;
    /** Absolute tolerance of the Dormand&ndash;Prince solve. */
    static final double ATOL = 1e-9;

    /** Number of particles. */
    @Param({"10000", "100000", "1000000"})
    public int n;

    private OdeSystem system;
    private RungeKutta4 rk4;
    private DormandPrince54 dopri;
    private double[] initial;
    private double[] rk4State;
    private double[] dopriState;
    private boolean backward;

    /** Draws the particles and builds the field, the particle system and the integrators (once per trial). */
    @Setup
    public void setUp() {
        GaussianMeasure mu = GaussianMeasure.of(new double[]{1, 0},
                new DMatrixRMaj(new double[][]{{0.3, 0.1}, {0.1, 0.2}}));
        LinearField field = LinearField.of(new DMatrixRMaj(new double[][]{{0.3, -2}, {2, 0.3}}),
                new double[]{0.3, 2});
        initial = mu.sample(n, new SplittableRandom(42)).flatPoints();
        system = field.onParticles().system(n, 2, null);
        rk4 = RungeKutta4.of(STEP);
        dopri = DormandPrince54.withDefaults().withRelativeTolerance(RTOL).withAbsoluteTolerance(ATOL);
        rk4State = initial.clone();
        dopriState = new double[initial.length];
        backward = false;
    }

    /** One RK4 step of size {@link #STEP}, alternately forward from 0 and backward from {@link #STEP}. */
    @Benchmark
    public void rungeKutta4Step(Blackhole bh) {
        IntegrationResult r = backward
                ? rk4.integrate(system, STEP, rk4State, 0)
                : rk4.integrate(system, 0, rk4State, STEP);
        backward = !backward;
        bh.consume(r);
        bh.consume(rk4State[0]);
    }

    /** A full Dormand&ndash;Prince 5(4) solve from 0 to 1, from the same initial state every time. */
    /**
     * One hundred RK4 steps in one call (from 0 to 1 with step 0.01), divided by nothing: the per-step cost in steady
     * state is this score / 100, without the per-call allocation of the work arrays that {@link #rungeKutta4Step}
     * includes. Integrates forward and backward alternately so the state stays bounded.
     */
    @Benchmark
    public void rungeKutta4HundredSteps(Blackhole bh) {
        IntegrationResult r = backward
                ? rk4.integrate(system, 1, rk4State, 0)
                : rk4.integrate(system, 0, rk4State, 1);
        backward = !backward;
        bh.consume(r);
        bh.consume(rk4State[0]);
    }

    /** One adaptive Dormand-Prince 5(4) solve over [0, 1] from the same initial particles (tolerances of setUp). */
    @Benchmark
    public void dormandPrince54Solve(Blackhole bh) {
        System.arraycopy(initial, 0, dopriState, 0, initial.length);
        IntegrationResult r = dopri.integrate(system, 0, dopriState, 1);
        bh.consume(r);
        bh.consume(dopriState[0]);
    }
}
