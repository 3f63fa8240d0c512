package org.measureflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.linalg.MatrixFunctions;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.testing.TestMatrices;

/** The cases of issue 14 that {@code core} handles: sizes, variances, weights and moments near the double range. */
class HostileNumbersTest {
    @Test
    void aGaussianWhoseVarianceLeavesTheDoubleRangeIsRejectedNamingSd() {
        assertRejected("sd", () -> GaussianMeasure.of1d(0, 1e200)); // sd^2 = 1e400 overflows
        assertRejected("sd", () -> GaussianMeasure.of1d(0, 1e-160)); // sd^2 = 1e-320 is subnormal
    }

    @Test
    void weightsWhoseSumOverflowsAreNormalisedByRescaling() {
        ParticleMeasure p = ParticleMeasure.fromFlat(new double[]{0, 1, 2}, 1, new double[]{1e308, 1e308, 5e307});
        // weights are relative: 1e308 : 1e308 : 5e307 = 0.4 : 0.4 : 0.2, to rounding (a few ulps)
        assertEquals(0.4, p.weight(0), 1e-15);
        assertEquals(0.4, p.weight(1), 1e-15);
        assertEquals(0.2, p.weight(2), 1e-15);
    }

    @Test
    void theMeanOfPointsNearTheLargestDoubleIsFinite() {
        ParticleMeasure p = ParticleMeasure.fromFlat(new double[]{1e308, 1.5e308, 1.7e308}, 1);
        // a convex combination of the points: (1 + 1.5 + 1.7) / 3 e308, to a few ulps
        assertEquals(1.4e308, p.mean()[0], 1.4e308 * 1e-15);
    }

    @Test
    void aCovarianceThatOverflowsIsRejectedNamingThePoints() {
        ParticleMeasure p = ParticleMeasure.fromFlat(new double[]{-1e160, 1e160}, 1);
        assertRejected("points", p::covariance); // 1e320 is beyond the double range
    }

    @Test
    void sizeProductsBeyondTheLargestArrayAreRejected() {
        assertRejected("n * m", () -> Arguments.product("n * m", 65536, 32768)); // 2^31 entries
        assertRejected("cells", () -> GridDensity.Grid.of2d(0, 1, 65536, 0, 1, 65536));
        assertRejected("n * d", () -> GaussianMeasure.standard(3).sample(Integer.MAX_VALUE, new SplittableRandom(1)));
        assertRejected("points (d * d)", () -> ParticleMeasure.fromFlat(new double[65536], 65536).covariance());
    }

    @Test
    void aMatrixExponentialThatOverflowsIsRejectedInsteadOfLooping() {
        DMatrixRMaj big = DMatrixRMaj.wrap(2, 2, new double[]{1e308, 1e308, 1e308, 1e308}); // 1-norm overflows
        assertRejected("a", () -> MatrixFunctions.exp(big));
        assertRejected("a", () -> MatrixFunctions.expIntegral(DMatrixRMaj.wrap(1, 1, new double[]{1}), 1e300));
    }

    @Test
    void theGeometricMeanOfRescaledMatricesIsRescaled() {
        DMatrixRMaj a = DMatrixRMaj.wrap(2, 2, new double[]{2, 0.5, 0.5, 1});
        DMatrixRMaj b = DMatrixRMaj.wrap(2, 2, new double[]{1, -0.3, -0.3, 3});
        DMatrixRMaj expected = Spd.geometricMean(a, b);
        // (sA) # (B/s) = A # B
        DMatrixRMaj scaled = Spd.geometricMean(TestMatrices.scaled(1e200, a), TestMatrices.scaled(1e-200, b));
        for (int i = 0; i < 4; i++) {
            // the two computations differ by the rounding of 1e200 * A and 1e-200 * B: a few ulps, times the
            // modest condition number of these 2 x 2 matrices
            assertEquals(expected.data[i], scaled.data[i], 1e-13);
        }
    }

    @Test
    void aUniformBoxWhoseWidthOverflowsIsRejected() {
        assertRejected("upper[0]", () -> PointSampler.uniform(new double[]{-1e308}, new double[]{1e308}));
    }
}
