package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Invalid input is rejected with an {@link IllegalArgumentException} naming the argument, before any work. */
class IntegratorArgumentsTest {
    private static final OdeSystem DECAY = OdeSystem.of(2, (t, y, dydt) -> {
        dydt[0] = -y[0];
        dydt[1] = -y[1];
    });

    private static void assertRejects(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(name), "message names '" + name + "': " + e.getMessage());
    }

    static Stream<OdeIntegrator> integrators() {
        return Stream.of(new Euler(0.1), new Heun(0.1), new RungeKutta4(0.1), DormandPrince54.of(1e-6, 1e-6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integrators")
    void badStatesAndTimesAreRejectedAndTheStateIsUntouched(OdeIntegrator integrator) {
        double[] y = {1, Double.NaN};
        assertRejects("y[1]", () -> integrator.integrate(DECAY, 0, y, 1));
        assertRejects("y", () -> integrator.integrate(DECAY, 0, new double[3], 1));
        assertRejects("y", () -> integrator.integrate(DECAY, 0, null, 1));
        double[] good = {1, 2};
        assertRejects("t0", () -> integrator.integrate(DECAY, Double.NaN, good, 1));
        assertRejects("t1", () -> integrator.integrate(DECAY, 0, good, Double.POSITIVE_INFINITY));
        assertRejects("system", () -> integrator.integrate(null, 0, good, 1));
        assertRejects("observer", () -> integrator.integrate(DECAY, 0, good, 1, null));
        assertArrayEquals(new double[] {1, 2}, good, "nothing was integrated");
    }

    static Stream<Function<Double, Object>> fixedStepConstructors() {
        return Stream.of(Euler::new, Heun::new, RungeKutta4::new, EulerMaruyama::new);
    }

    @ParameterizedTest
    @MethodSource("fixedStepConstructors")
    void nonPositiveOrNonFiniteStepsAreRejected(Function<Double, Object> constructor) {
        for (double step : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejects("step", () -> constructor.apply(step));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1e-6, Double.NaN, Double.POSITIVE_INFINITY})
    void badTolerancesAreRejected(double tolerance) {
        assertRejects("relativeTolerance", () -> DormandPrince54.of(tolerance, 1e-6));
        assertRejects("absoluteTolerance", () -> DormandPrince54.of(1e-6, tolerance));
        assertRejects("relativeTolerance", () -> DormandPrince54.options().relativeTolerance(tolerance));
        assertRejects("absoluteTolerance", () -> DormandPrince54.options().absoluteTolerance(tolerance));
    }

    @Test
    void badAdaptiveOptionsAreRejected() {
        assertRejects("initialStep", () -> DormandPrince54.options().initialStep(-1));
        assertRejects("initialStep", () -> DormandPrince54.options().initialStep(Double.NaN));
        assertRejects("maxStep", () -> DormandPrince54.options().maxStep(0));
        assertRejects("maxStep", () -> DormandPrince54.options().maxStep(Double.NaN));
        assertRejects("maxEvaluations", () -> DormandPrince54.options().maxEvaluations(0));
    }

    @Test
    void eulerMaruyamaRejectsBackwardTimeAndMissingNoise() {
        EulerMaruyama em = new EulerMaruyama(0.1);
        double[] y = {1, 2};
        SplittableRandom rng = new SplittableRandom(1);
        assertRejects("t1", () -> em.integrate(DECAY, Diffusion.none(), 1, y, 0, rng));
        assertRejects("rng", () -> em.integrate(DECAY, Diffusion.none(), 0, y, 1, null));
        assertRejects("diffusion", () -> em.integrate(DECAY, null, 0, y, 1, rng));
        assertRejects("y", () -> em.integrate(DECAY, Diffusion.none(), 0, new double[1], 1, rng));
        assertRejects("sigma", () -> Diffusion.scalar(Double.NaN));
        assertArrayEquals(new double[] {1, 2}, y);
    }

    @Test
    void recorderAndDenseOutputRejectBadArguments() {
        assertRejects("times[1]", () -> TrajectoryRecorder.atTimes(0, Double.NaN));
        assertRejects("out", () -> new RungeKutta4(0.5).integrate(DECAY, 0, new double[] {1, 1}, 1, step -> {
            step.interpolate(step.endTime(), new double[1]);
            return true;
        }));
        assertRejects("t", () -> DormandPrince54.of(1e-6, 1e-6).integrate(DECAY, 0, new double[] {1, 1}, 1,
                step -> {
                    step.interpolate(Double.NaN, new double[2]);
                    return true;
                }));
        assertRejects("k", () -> TrajectoryRecorder.everyStep().state(0));
    }

    @Test
    void anOverflowingStateIsReportedNotReturned() {
        // y' = -1000 y with Euler at h = 0.1: |1 - 100| = 99 per step, 10^{2000}-fold growth, overflow.
        OdeSystem stiff = OdeSystem.of(1, (t, y, dydt) -> dydt[0] = -1000 * y[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Euler(0.1).integrate(stiff, 0, new double[] {1}, 1000));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
}
