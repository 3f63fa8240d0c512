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
        return Stream.of(Euler.of(0.1), Heun.of(0.1), RungeKutta4.of(0.1), DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(1e-6));
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
        return Stream.of(Euler::of, Heun::of, RungeKutta4::of, EulerMaruyama::of);
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
        assertRejects("relativeTolerance", () -> DormandPrince54.withDefaults().withRelativeTolerance(tolerance).withAbsoluteTolerance(1e-6));
        assertRejects("absoluteTolerance", () -> DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(tolerance));
        assertRejects("relativeTolerance", () -> DormandPrince54.withDefaults().withRelativeTolerance(tolerance));
        assertRejects("absoluteTolerance", () -> DormandPrince54.withDefaults().withAbsoluteTolerance(tolerance));
    }

    @Test
    void badAdaptiveOptionsAreRejected() {
        assertRejects("initialStep", () -> DormandPrince54.withDefaults().withInitialStep(-1));
        assertRejects("initialStep", () -> DormandPrince54.withDefaults().withInitialStep(Double.NaN));
        assertRejects("maxStep", () -> DormandPrince54.withDefaults().withMaxStep(0));
        assertRejects("maxStep", () -> DormandPrince54.withDefaults().withMaxStep(Double.NaN));
        assertRejects("maxEvaluations", () -> DormandPrince54.withDefaults().withMaxEvaluations(0));
    }

    @Test
    void eulerMaruyamaRejectsBackwardTimeAndMissingNoise() {
        EulerMaruyama em = EulerMaruyama.of(0.1);
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
        assertRejects("out", () -> RungeKutta4.of(0.5).integrate(DECAY, 0, new double[] {1, 1}, 1, step -> {
            step.interpolate(step.endTime(), new double[1]);
            return true;
        }));
        assertRejects("t", () -> DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(1e-6).integrate(DECAY, 0, new double[] {1, 1}, 1,
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
                () -> Euler.of(0.1).integrate(stiff, 0, new double[] {1}, 1000));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
}
