package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.measureflow.testing.Rejections.assertRejected;

import org.junit.jupiter.api.Test;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;

class InterpolantTest {
    /** Central difference with step h: error h^2 |f'''| / 6, about 1e-10 here for h = 1e-5 and |f'''| <= 1e2 (VP). */
    private static void assertDerivativesMatchFiniteDifferences(Interpolant p, double tol) {
        double h = 1e-5;
        for (double t = 0.05; t < 0.96; t += 0.05) {
            double da = (p.alpha(t + h) - p.alpha(t - h)) / (2 * h);
            double db = (p.beta(t + h) - p.beta(t - h)) / (2 * h);
            assertEquals(da, p.alphaDot(t), tol * Math.max(1, Math.abs(da)), "alphaDot at t = " + t);
            assertEquals(db, p.betaDot(t), tol * Math.max(1, Math.abs(db)), "betaDot at t = " + t);
        }
    }

    @Test
    void linearInterpolantDerivativesMatchFiniteDifferences() {
        assertDerivativesMatchFiniteDifferences(LinearInterpolant.instance(), 1e-9);
    }

    @Test
    void variancePreservingDerivativesMatchFiniteDifferences() {
        assertDerivativesMatchFiniteDifferences(VariancePreservingInterpolant.withDefaults(), 1e-7);
        assertDerivativesMatchFiniteDifferences(VariancePreservingInterpolant.of(0.5, 5), 1e-7);
    }

    @Test
    void variancePreservingKeepsUnitVarianceAndEndsOnTheData() {
        VariancePreservingInterpolant vp = VariancePreservingInterpolant.withDefaults();
        for (double t = 0; t <= 1.0; t += 0.01) {
            double a = vp.alpha(t);
            double b = vp.beta(t);
            assertEquals(1.0, a * a + b * b, 1e-15, "alpha^2 + beta^2 at t = " + t);
        }
        assertEquals(0.0, vp.alpha(1), 0.0);
        assertEquals(1.0, vp.beta(1), 0.0);
        // B(1) = 0.1 + 19.9 / 2 = 10.05: beta_0 = exp(-5.025).
        assertEquals(Math.exp(-5.025), vp.beta(0), 1e-17);
        assertEquals(0.5 * 20 * Math.exp(-5.025), vp.betaDot(0), 1e-15);
        assertEquals(0.5 * 0.1, vp.betaDot(1), 1e-15);
    }

    @Test
    void linearInterpolantIsTheStraightLine() {
        Interpolant p = LinearInterpolant.instance();
        double[] x0 = {1, 2, -3};
        double[] x1 = {0, 4, 5};
        double[] out = new double[3];
        p.interpolate(0.25, x0, x1, out);
        assertEquals(0.75, out[0], 0);
        assertEquals(2.5, out[1], 0);
        assertEquals(-1.0, out[2], 0);
        p.velocity(0.25, x0, x1, out);
        assertEquals(-1, out[0], 0);
        assertEquals(2, out[1], 0);
        assertEquals(8, out[2], 0);
    }

    @Test
    void variancePreservingRejectsBadRates() {
        assertRejected("rateMin", () -> VariancePreservingInterpolant.of(0, 1));
        assertRejected("rateMax", () -> VariancePreservingInterpolant.of(2, 1));
        assertRejected("rateMax", () -> VariancePreservingInterpolant.of(1, Double.NaN));
    }
}
