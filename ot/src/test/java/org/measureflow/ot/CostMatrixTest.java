package org.measureflow.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Rejections;

/** {@link CostMatrix}, {@link Epsilon} and {@link Histograms}: summaries, rules, resolution of epsilon. */
class CostMatrixTest {
    @Test
    void summaryShowsSmallMatricesByValueAndLargeOnesByTheirStart() {
        assertEquals("CostMatrix[2x2, [[0, 1], [1, 0]]]", CostMatrix.of(new double[][] {{0, 1}, {1, 0}}).toString());
        double[] values = new double[5 * 6];
        for (int k = 0; k < values.length; k++) {
            values[k] = k;
        }
        assertEquals("CostMatrix[5x6 [[0, 1, 2, ...], [6, 7, 8, ...], ...]]",
                CostMatrix.of(5, 6, values).toString());
    }

    @Test
    void badInputIsRejectedNamingTheArgumentAndTheRule() {
        IllegalArgumentException e = Rejections.assertRejected("rows * cols",
                () -> CostMatrix.of(65_536, 65_537, new double[1]));
        assertTrue(e.getMessage().contains("65536 * 65537 exceeds the largest array"), e.getMessage());
        Rejections.assertRejected("values", () -> CostMatrix.of(2, 2, new double[3]));
        Rejections.assertRejected("values", () -> CostMatrix.of(1, 2, new double[] {0, Double.NaN}));
        Rejections.assertRejected("c[1]", () -> CostMatrix.of(new double[][] {{0, 1}, {1}}));
        Rejections.assertRejected("c[1]", () -> CostMatrix.of(new double[][] {{0, 1}, null}));
        Rejections.assertRejected("c", () -> CostMatrix.of(new double[0][]));
        Rejections.assertRejected("c[0]", () -> CostMatrix.of(new double[][] {{}}));
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 0}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{0, 0, 0}});
        IllegalArgumentException d = Rejections.assertRejected("y", () -> CostMatrix.squaredEuclidean(x, y));
        assertTrue(d.getMessage().contains("(the dimension of x)"), d.getMessage());
    }

    @Test
    void epsilonResolvesAbsoluteAndRelativeValues() {
        CostMatrix c = CostMatrix.of(new double[][] {{0, 4}, {2, 1}});
        double[] a = {0.25, 0.75};
        double[] b = {0.5, 0.5};
        // sum_ij a_i b_j C_ij = 0.25 (0 + 4)/2 + 0.75 (2 + 1)/2 = 0.5 + 1.125, exact in binary
        assertEquals(0.1 * 1.625, Epsilon.relativeToMeanCost(0.1).resolve(c, a, b), 1e-17);
        assertEquals(0.7, Epsilon.absolute(0.7).resolve(c, a, b), 0.0);
        assertEquals("0.05 x mean cost", Epsilon.relativeToMeanCost(0.05).toString());
        assertEquals("0.7", Epsilon.absolute(0.7).toString());
        assertEquals(Epsilon.absolute(0.7), Epsilon.absolute(0.7));
        assertNotEquals(Epsilon.absolute(0.7), Epsilon.relativeToMeanCost(0.7));
        assertTrue(Epsilon.relativeToMeanCost(0.7).isRelative());
        assertFalse(Epsilon.absolute(0.7).isRelative());
        Rejections.assertRejected("b", () -> Epsilon.absolute(1).resolve(c, a, new double[3]));
        Rejections.assertRejected("meanCost", () -> Epsilon.relativeToMeanCost(0.1)
                .resolve(CostMatrix.of(1, 1, new double[] {0}), new double[] {1}, new double[] {1}));
        Rejections.assertRejected("fraction", () -> Epsilon.relativeToMeanCost(0));
        Rejections.assertRejected("epsilon", () -> Epsilon.absolute(Double.POSITIVE_INFINITY));
    }

    @Test
    void histogramsAreNormalisedCopiesAndUniformVectors() {
        double[] w = {1, 3};
        assertArrayEquals(new double[] {0.25, 0.75}, Histograms.normalised("w", w), 0.0);
        assertArrayEquals(new double[] {1, 3}, w, 0.0, "the argument is not modified");
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, Histograms.uniform(4), 0.0);
        Rejections.assertRejected("w[1]", () -> Histograms.normalised("w", new double[] {1, -1}));
        Rejections.assertRejected("n", () -> Histograms.uniform(0));
        assertEquals(org.measureflow.core.Arguments.PROBABILITY_SUM_TOLERANCE, Histograms.SUM_TOLERANCE);
    }
}
