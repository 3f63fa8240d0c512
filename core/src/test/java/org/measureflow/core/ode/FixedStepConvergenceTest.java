package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;

import org.junit.jupiter.api.Test;

/**
 * Measured orders of convergence of the fixed-step methods on \( \dot y = A y \) with a fixed non-normal
 * \( 3 \times 3 \) matrix, against the exact \( e^{TA} y_0 \) from {@link ReferenceSolutions#expm}.
 */
class FixedStepConvergenceTest {
    /** Upper triangular, distinct negative eigenvalues -1, -2, -3, off-diagonal entries up to 12: far from normal. */
    private static final double[][] A = {{-1, 8, -12}, {0, -2, 10}, {0, 0, -3}};
    private static final double[] Y0 = {1, -1, 2};
    private static final double T = 1.0;

    /** Least-squares slope of log(error) against log(h) over steps h = h0 / 2^k, k < levels. */
    private static Fit order(DoubleFunction<OdeIntegrator> method, double h0, int levels) {
        double[] exact = ReferenceSolutions.apply(ReferenceSolutions.expm(scaled(T)), Y0);
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        StringBuilder errors = new StringBuilder();
        for (int k = 0; k < levels; k++) {
            double h = h0 / (1 << k);
            double[] y = Y0.clone();
            IntegrationResult result = method.apply(h).integrate(ReferenceSolutions.linear(A), 0, y, T);
            assertEquals((int) Math.round(T / h), result.steps(), "T/h is a whole number of steps");
            double error = ReferenceSolutions.distance(y, exact);
            errors.append(String.format(" h=%.3g err=%.3g", h, error));
            double lx = Math.log(h);
            double ly = Math.log(error);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double slope = (levels * sxy - sx * sy) / (levels * sxx - sx * sx);
        return new Fit(slope, errors.toString());
    }

    /** A fitted slope, with the errors it was fitted to (for failure messages). */
    private record Fit(double slope, String errors) {
    }

    private static double[][] scaled(double t) {
        double[][] ta = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                ta[i][j] = t * A[i][j];
            }
        }
        return ta;
    }

    @Test
    void eulerConvergesWithOrderOne() {
        // h from 1/128 to 1/2048: h |lambda_max| <= 0.025, well inside the asymptotic regime of an O(h) error.
        Fit fit = order(Euler::of, 1.0 / 128, 5);
        assertEquals(1.0, fit.slope(), 0.2, "Euler is a first-order method:" + fit.errors());
    }

    @Test
    void heunConvergesWithOrderTwo() {
        // h from 1/64 to 1/1024: errors from ~8e-4 down to ~3e-6, far above round-off.
        Fit fit = order(Heun::of, 1.0 / 64, 5);
        assertEquals(2.0, fit.slope(), 0.2, "Heun is a second-order method:" + fit.errors());
    }

    @Test
    void rungeKutta4ConvergesWithOrderFour() {
        // h from 1/16 to 1/256: errors from ~8e-5 down to ~1e-9, far above round-off (~1e-15 |y|).
        Fit fit = order(RungeKutta4::of, 1.0 / 16, 5);
        assertEquals(4.0, fit.slope(), 0.2, "the classical Runge-Kutta method is of order four:" + fit.errors());
    }

    @Test
    void referenceExponentialSatisfiesTheSemigroupProperty() {
        // exp(0.3A) exp(0.7A) = exp(A) up to round-off: checks the test-local reference itself.
        double[][] product = ReferenceSolutions.multiply(ReferenceSolutions.expm(scaled(0.3)),
                ReferenceSolutions.expm(scaled(0.7)));
        double[][] whole = ReferenceSolutions.expm(scaled(1.0));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertTrue(Math.abs(product[i][j] - whole[i][j]) < 1e-13, "entry " + i + "," + j);
            }
        }
        // Upper triangular: the diagonal of exp(A) is exp of the diagonal.
        assertEquals(Math.exp(-2), whole[1][1], 1e-15);
    }
}
