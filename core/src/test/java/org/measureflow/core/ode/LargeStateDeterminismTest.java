package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * States of \( 10^6 \) coordinates take the parallel chunked update path; it must give the same bits on every run,
 * and the same bits as the serial path on a small state.
 */
class LargeStateDeterminismTest {
    private static final int SIZE = 1_000_000;
    private static final int SMALL = 1000;

    /** An elementwise nonlinear, time-dependent ODE: y_i' = -y_i (1 + sin t / 2) + 1 / (1 + y_i^2). */
    private static OdeSystem elementwise(int n) {
        return OdeSystem.of(n, (t, y, dydt) -> {
            double rate = 1 + 0.5 * Math.sin(t);
            for (int i = 0; i < n; i++) {
                dydt[i] = -y[i] * rate + 1 / (1 + y[i] * y[i]);
            }
        });
    }

    private static double[] initial(int n) {
        SplittableRandom rng = new SplittableRandom(42);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
        }
        return y;
    }

    private static double[] integrate(OdeIntegrator integrator, int n) {
        double[] y = initial(n);
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(0.55);
        integrator.integrate(elementwise(n), 0, y, 1, recorder);
        double[] interpolated = recorder.state(0);
        double[] both = Arrays.copyOf(y, 2 * n);
        System.arraycopy(interpolated, 0, both, n, n);
        return both;
    }

    @Test
    void rungeKutta4OnAMillionCoordinatesIsReproducibleAndMatchesTheSerialPath() {
        RungeKutta4 rk4 = RungeKutta4.of(0.1);
        double[] first = integrate(rk4, SIZE);
        double[] second = integrate(rk4, SIZE);
        assertArrayEquals(first, second, "final and interpolated states, twice");
        // The ODE is elementwise, so the first SMALL coordinates of the big run, computed in parallel chunks, must
        // equal a run on those coordinates alone, which is serial.
        double[] small = integrate(rk4, SMALL);
        assertArrayEquals(Arrays.copyOfRange(small, 0, SMALL), Arrays.copyOfRange(first, 0, SMALL), "final state");
        assertArrayEquals(Arrays.copyOfRange(small, SMALL, 2 * SMALL), Arrays.copyOfRange(first, SIZE, SIZE + SMALL),
                "dense output");
    }

    @Test
    void dormandPrinceOnAMillionCoordinatesIsReproducible() {
        DormandPrince54 dopri = DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(1e-6);
        double[] y1 = initial(SIZE);
        double[] y2 = initial(SIZE);
        IntegrationResult r1 = dopri.integrate(elementwise(SIZE), 0, y1, 1);
        IntegrationResult r2 = dopri.integrate(elementwise(SIZE), 0, y2, 1);
        assertEquals(r1, r2, "same steps, rejections and evaluations (the error norm is a chunk-ordered sum)");
        assertArrayEquals(y1, y2);
    }
}
