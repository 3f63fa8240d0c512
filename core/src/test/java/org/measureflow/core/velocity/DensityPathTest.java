package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/** {@link DensityPath}: finite-difference rates of the documented orders, given rates, and checked input. */
class DensityPathTest {
    private static final Grid GRID = Grid.of1d(-4, 4, 64);

    /** A bump moving and breathing: rho_t(x) = exp(-(x - sin t)^2 / (2 (1 + t/2)^2)). */
    private static double rho(double t, double x) {
        double s = 1 + 0.5 * t;
        return Math.exp(-Math.pow(x - Math.sin(t), 2) / (2 * s * s));
    }

    private static double rate(double t, double x) {
        double s = 1 + 0.5 * t;
        double d = x - Math.sin(t);
        return rho(t, x) * (d * Math.cos(t) / (s * s) + d * d * 0.5 / (s * s * s));
    }

    private static GridDensity at(double t) {
        return GridDensity.fromFunction(GRID, p -> rho(t, p[0]));
    }

    /** Largest error of the rate at path time i of a path with the given times. */
    private static double error(double[] times, int i) {
        GridDensity[] densities = new GridDensity[times.length];
        for (int k = 0; k < times.length; k++) {
            densities[k] = at(times[k]);
        }
        double[] derivative = DensityPath.of(times, densities).derivative(i);
        double error = 0;
        for (int c = 0; c < derivative.length; c++) {
            error = Math.max(error, Math.abs(derivative[c] - rate(times[i], GRID.centre(0, c))));
        }
        return error;
    }

    @Test
    void ratesAtPathTimesAreSecondOrderInsideAndAtTheEndsForUnequalSteps() {
        for (int i = 0; i < 3; i++) {
            double coarse = error(new double[]{0.2, 0.3, 0.45}, i);
            double fine = error(new double[]{0.2, 0.25, 0.325}, i);
            // the quadratic through three times: error O(dt^2), so halving the steps divides it by about 4
            double ratio = coarse / fine;
            assertTrue(ratio > 3.3 && ratio < 4.8, "time " + i + ": ratio " + ratio);
        }
    }

    @Test
    void twoDensitiesGiveTheDifferenceQuotientAndTheMidpointIsSecondOrder() {
        DensityPath coarse = DensityPath.of(new double[]{0.4, 0.6}, at(0.4), at(0.6));
        DensityPath fine = DensityPath.of(new double[]{0.45, 0.55}, at(0.45), at(0.55));
        assertArrayEquals(coarse.midpointDerivative(0), coarse.derivative(0));
        assertArrayEquals(coarse.midpointDerivative(0), coarse.derivative(1));
        assertEquals(0.5, coarse.midpointTime(0), 1e-15);
        double[] exact = new double[GRID.size()];
        for (int c = 0; c < exact.length; c++) {
            exact[c] = rate(0.5, GRID.centre(0, c));
        }
        double e1 = maxDifference(coarse.midpointDerivative(0), exact);
        double e2 = maxDifference(fine.midpointDerivative(0), exact);
        // centred at the midpoint: O(dt^2)
        assertTrue(e1 / e2 > 3.5 && e1 / e2 < 4.5, "ratio " + e1 / e2);
        double[] mean = coarse.midpointDensity(0).values();
        for (int c = 0; c < mean.length; c++) {
            assertEquals(0.5 * (at(0.4).value(c) + at(0.6).value(c)), mean[c], 1e-15);
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        double m = 0;
        for (int c = 0; c < a.length; c++) {
            m = Math.max(m, Math.abs(a[c] - b[c]));
        }
        return m;
    }

    @Test
    void givenDerivativesAreReturnedAndOneDensityIsAPath() {
        double[] rate = new double[GRID.size()];
        rate[3] = 1;
        rate[10] = -1;
        DensityPath path = DensityPath.of(new double[]{0.7}, new GridDensity[]{at(0.7)}, new double[][]{rate});
        assertTrue(path.hasDerivatives());
        assertEquals(1, path.size());
        assertEquals(0, path.intervals());
        assertArrayEquals(rate, path.derivative(0));
        rate[3] = 5;
        assertEquals(1, path.derivative(0)[3], "the array was copied");
    }

    @Test
    void badPathsAreRejectedByName() {
        Grid other = Grid.of1d(-4, 4, 32);
        GridDensity a = at(0);
        GridDensity b = GridDensity.fromFunction(other, p -> 1);
        assertRejected("densities[1]", () -> DensityPath.of(new double[]{0, 1}, a, b));
        assertRejected("times", () -> DensityPath.of(new double[]{0, 0}, a, a));
        assertRejected("times", () -> DensityPath.of(new double[]{1, 0.5}, a, a));
        assertRejected("times", () -> DensityPath.of(new double[]{0, Double.NaN}, a, a));
        assertRejected("times", () -> DensityPath.of(new double[]{0}, a));
        assertRejected("densities", () -> DensityPath.of(new double[]{0, 1, 2}, a, a));
        assertRejected("densities", () -> DensityPath.of(new double[]{0, 1}, a, null));
        double[] bad = new double[GRID.size()];
        bad[5] = Double.POSITIVE_INFINITY;
        assertRejected("derivatives[0]", () -> DensityPath.of(new double[]{0}, new GridDensity[]{a},
                new double[][]{bad}));
        assertRejected("derivatives[0]", () -> DensityPath.of(new double[]{0}, new GridDensity[]{a},
                new double[][]{new double[3]}));
        assertRejected("derivatives", () -> DensityPath.of(new double[]{0}, new GridDensity[]{a},
                new double[][]{}));
        // negative and non-finite densities cannot enter a path: the grid density rejects them
        double[] negative = a.values();
        negative[7] = -1e-3;
        assertRejected("values", () -> GridDensity.of(GRID, negative));
        assertRejected("i", () -> DensityPath.of(new double[]{0, 1}, a, a).midpointDensity(1));
    }
}
