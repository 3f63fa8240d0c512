package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Observers, early stop, trajectory recording, backward integration and evaluation counting, for every integrator.
 */
class StepObserverBehaviourTest {
    /** The harmonic oscillator y' = J y, J = [[0, -1], [1, 0]]: y(t) = (cos t, sin t) from (1, 0). */
    private static final OdeSystem ROTATION = OdeSystem.of(2, (t, y, dydt) -> {
        dydt[0] = -y[1];
        dydt[1] = y[0];
    });
    private static final OdeSystem GROWTH = OdeSystem.of(1, (t, y, dydt) -> dydt[0] = y[0]);

    static Stream<OdeIntegrator> integrators() {
        return Stream.of(Euler.of(0.1), Heun.of(0.1), RungeKutta4.of(0.1), DormandPrince54.withDefaults().withRelativeTolerance(1e-8).withAbsoluteTolerance(1e-8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integrators")
    void earlyStopReportsTheTimeReachedAndLeavesThatState(OdeIntegrator integrator) {
        double[] y = {1, 0};
        double[] finished = new double[1];
        StepObserver stopAfterHalf = new StepObserver() {
            @Override
            public boolean handleStep(Step step) {
                return step.endTime() < 0.45;
            }

            @Override
            public void finish(double t, double[] state) {
                finished[0] = t;
            }
        };
        IntegrationResult result = integrator.integrate(ROTATION, 0, y, 2, stopAfterHalf);
        assertTrue(result.stoppedEarly());
        assertTrue(result.finalTime() >= 0.45 && result.finalTime() < 2, "final time " + result.finalTime());
        assertEquals(result.finalTime(), finished[0], 0.0, "finish sees the time reached");
        // The state is the solution at the time reached, to the accuracy of the loosest method (Euler, h = 0.1:
        // local error |e^{ih} - 1 - ih| <= h^2/2 per step, 5 steps: 0.025; 1.2x margin).
        assertEquals(Math.cos(result.finalTime()), y[0], 0.03);
        assertEquals(Math.sin(result.finalTime()), y[1], 0.03);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integrators")
    void stoppingAtTheLastStepIsNotEarly(OdeIntegrator integrator) {
        IntegrationResult result = integrator.integrate(ROTATION, 0, new double[] {1, 0}, 1,
                step -> step.endTime() < 1);
        assertFalse(result.stoppedEarly());
        assertEquals(1.0, result.finalTime(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integrators")
    void equalTimesTakeNoStepButCallInitAndFinish(OdeIntegrator integrator) {
        List<String> calls = new ArrayList<>();
        double[] y = {0.3, -0.7};
        IntegrationResult result = integrator.integrate(ROTATION, 1.5, y, 1.5, new StepObserver() {
            @Override
            public void init(double t0, double[] y0, double t1) {
                calls.add("init");
            }

            @Override
            public boolean handleStep(Step step) {
                calls.add("step");
                return true;
            }

            @Override
            public void finish(double t, double[] state) {
                calls.add("finish");
            }
        });
        assertEquals(List.of("init", "finish"), calls);
        assertEquals(0, result.steps());
        assertEquals(0, result.evaluations());
        assertEquals(1.5, result.finalTime());
        assertArrayEquals(new double[] {0.3, -0.7}, y);
    }

    /** Integrators of y' = y with the bound of their relative error over [1, 0] backwards with h = 0.01. */
    static Stream<Arguments> backwardCases() {
        double h = 0.01;
        int n = 100;
        // One backward step multiplies by the method's polynomial in -h instead of e^{-h}: the relative error per
        // step is the first omitted Taylor term h^{p+1}/(p+1)!, n steps add up; 1.5x margin for higher terms.
        return Stream.of(
                Arguments.of(Euler.of(h), 1.5 * n * h * h / 2),
                Arguments.of(Heun.of(h), 1.5 * n * h * h * h / 6),
                Arguments.of(RungeKutta4.of(h), 1.5 * n * Math.pow(h, 5) / 120 + 1e-14),
                Arguments.of(DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-10), 100 * 1e-10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backwardCases")
    void backwardIntegrationOfGrowthDecays(OdeIntegrator integrator, double relativeBound) {
        double[] y = {3};
        IntegrationResult result = integrator.integrate(GROWTH, 1, y, 0);
        assertEquals(0.0, result.finalTime(), 0.0);
        double exact = 3 * Math.exp(-1);
        assertEquals(exact, y[0], relativeBound * exact);
    }

    @Test
    void recorderAtTimesMatchesTheExactSolutionThroughDenseOutput() {
        double h = 0.1;
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(2.0, 0.05, 1.0, -1.0, 0.0, 0.333, 3.0, 1.77);
        RungeKutta4.of(h).integrate(ROTATION, 0, new double[] {1, 0}, 2, recorder);
        assertArrayEquals(new double[] {0.0, 0.05, 0.333, 1.0, 1.77, 2.0}, recorder.times(),
                "times inside [0, 2], in order; -1 and 3 are outside");
        // RK4 global error <= N h^5/5! (the rotation keeps errors from growing), at most doubled through the
        // interpolation data, plus the Hermite error max|y''''| h^4/384 per component (|y''''| = |y| = 1).
        double bound = 2 * 20 * Math.pow(h, 5) / 120 + Math.sqrt(2) * Math.pow(h, 4) / 384;
        for (int k = 0; k < recorder.size(); k++) {
            double t = recorder.time(k);
            double[] y = recorder.state(k);
            assertEquals(Math.cos(t), y[0], bound, "t = " + t);
            assertEquals(Math.sin(t), y[1], bound, "t = " + t);
        }
        assertArrayEquals(new double[] {1, 0}, recorder.state(0), "t0 is recorded exactly from init");
    }

    @Test
    void recorderAtTimesWorksBackwardsAndWithTheAdaptiveMethod() {
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(0.5, 1.25, 2.0, 0.0);
        double[] start = {Math.cos(2), Math.sin(2)};
        IntegrationResult result = DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-10).integrate(ROTATION, 2, start, 0, recorder);
        assertArrayEquals(new double[] {2.0, 1.25, 0.5, 0.0}, recorder.times(), "in the order of integration");
        for (int k = 0; k < recorder.size(); k++) {
            double t = recorder.time(k);
            // each local error <= tol and the rotation does not amplify: the sum over the steps bounds the error
            double bound = 10 * 1e-10 * result.steps();
            assertEquals(Math.cos(t), recorder.state(k)[0], bound, "t = " + t);
            assertEquals(Math.sin(t), recorder.state(k)[1], bound, "t = " + t);
        }
    }

    @Test
    void recorderEveryStepKeepsTheInitialStateAndEachStepEnd() {
        TrajectoryRecorder recorder = TrajectoryRecorder.everyStep();
        double[] y = {1, 0};
        IntegrationResult result = Heun.of(0.25).integrate(ROTATION, 0, y, 1, recorder);
        assertEquals(result.steps() + 1, recorder.size());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1.0}, recorder.times(), 1e-15);
        assertArrayEquals(new double[] {1, 0}, recorder.state(0));
        assertArrayEquals(y, recorder.state(4), "the last record is the final state");
        recorder.states().get(4)[0] = 99;
        assertArrayEquals(y, recorder.state(4), "states() returns copies");
    }

    @Test
    void fixedStepCountsFollowTheStepRule() {
        // N = max(1, ceil(|t1 - t0|/step - 1e-9)): 1/0.1 is a whole number up to rounding, 1/0.3 is not.
        assertEquals(10, RungeKutta4.of(0.1).integrate(ROTATION, 0, new double[] {1, 0}, 1).steps());
        assertEquals(4, RungeKutta4.of(0.3).integrate(ROTATION, 0, new double[] {1, 0}, 1).steps());
        assertEquals(1, RungeKutta4.of(5).integrate(ROTATION, 0, new double[] {1, 0}, 1).steps());
        assertEquals(7, Euler.of(0.1).integrate(ROTATION, 0.3, new double[] {1, 0}, -0.4).steps());
    }

    @Test
    void denseOutputCostsOneEvaluationPerIntegrationAndChangesNoBits() {
        int steps = 10;
        double[] plain = {1, 0};
        IntegrationResult without = RungeKutta4.of(0.1).integrate(ROTATION, 0, plain, 1);
        assertEquals(4L * steps, without.evaluations(), "four stages per step");
        double[] observed = {1, 0};
        double[] out = new double[2];
        IntegrationResult with = RungeKutta4.of(0.1).integrate(ROTATION, 0, observed, 1, step -> {
            step.interpolate(0.5 * (step.startTime() + step.endTime()), out);
            return true;
        });
        // The end derivative evaluated for the interpolant is the next step's first stage: only the last one is
        // extra.
        assertEquals(4L * steps + 1, with.evaluations());
        assertArrayEquals(plain, observed, "the reused first stage is the same evaluation: same bits");
        // Heun and Euler likewise.
        assertEquals(2L * steps + 1, Heun.of(0.1).integrate(ROTATION, 0, new double[] {1, 0}, 1, step -> {
            step.interpolate(step.endTime(), out);
            return true;
        }).evaluations());
        assertEquals(steps, Euler.of(0.1).integrate(ROTATION, 0, new double[] {1, 0}, 1).evaluations());
    }

    @Test
    void hermiteDenseOutputMatchesTheStepEnds() {
        double[] at = new double[2];
        Heun.of(0.2).integrate(ROTATION, 0, new double[] {1, 0}, 1, step -> {
            step.interpolate(step.endTime(), at);
            assertArrayEquals(step.state(), at, 1e-15, "theta = 1 gives the end state");
            return true;
        });
    }

    @Test
    void progressObserverReachesOne() {
        List<Double> fractions = new ArrayList<>();
        EulerMaruyama.of(0.25).integrate(GROWTH, Diffusion.none(), 0, new double[] {1}, 1, new SplittableRandom(1),
                StepObserver.progress(fractions::add));
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), fractions);
    }
}
