package org.measureflow.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.sliced.SlicedWasserstein;
import org.measureflow.ot.sliced.SlicedWassersteinResult;
import org.measureflow.testing.TestMatrices;

/**
 * The cases of issue 14 that {@code ot} handles (outside Sinkhorn): overflowing sizes and costs are rejected by
 * name, and the scale-covariant answers (Bures, 1-D and sliced \( W_p \) for large \( p \)) are computed by rescaling.
 */
class HostileNumbersTest {
    private static ParticleMeasure cloud(double... flat) {
        return ParticleMeasure.fromFlat(flat, 2);
    }

    @Test
    void exactTransportBetweenCloudsNear1e160IsRejectedNamingTheClouds() {
        // was: cost 0, NaN potentials and converged = true (the squared distances overflow)
        ParticleMeasure x = cloud(1e160, 0, -1e160, 0);
        ParticleMeasure y = cloud(0, 1e160, 0, -1e160);
        assertRejected("x and y", () -> NetworkSimplex.withDefaults().solve(x, y));
        assertRejected("x and y", () -> CostMatrix.squaredEuclidean(x, y));
    }

    @Test
    void costsTooLargeForTheDualPotentialsAreRejectedNamingC() {
        double[] half = {0.5, 0.5};
        assertRejected("c", () -> NetworkSimplex.withDefaults().solve(half, half,
                CostMatrix.of(2, 2, new double[]{1e308, 0, 0, 1e308})));
    }

    @Test
    void denseMatricesOfMoreThanTheLargestArrayAreRejectedNamingTheSizes() {
        assertRejected("rows * cols", () -> CostMatrix.of(65536, 65537, new double[65536]));
        SparsePlan plan = new SparsePlan(65536, 32768, new int[]{0}, new int[]{0}, new double[]{1});
        assertRejected("sourceSize * targetSize", plan::toDense);
    }

    @Test
    void theOneDimensionalDistanceForHugePIsTheCommonGap() {
        double[] x = {0, 1};
        double[] y = {2, 3};
        // every gap of the monotone coupling is 2, so W_p = 2 for every p; 2^p overflows from p = 1024
        assertEquals(2.0, OneDimensionalOt.distance(x, y, 1e6), 0.0); // rescaled: (|d|/2)^p = 1 exactly
        assertEquals(2.0, OneDimensionalOt.distance(x, y, 1000), 2e-15); // direct: pow(2^1000, 1/1000)
        assertRejected("p", () -> OneDimensionalOt.cost(x, y, 1e6)); // W_p^p = 2^1e6 is beyond the double range
    }

    @Test
    void theOneDimensionalDistanceOfAtomsNear1e160IsFinite() {
        double[] x = {1e160};
        double[] y = {-1e160};
        assertEquals(2e160, OneDimensionalOt.distance(x, y, 2), 2e160 * 1e-15); // one gap: W_2 = 2e160
        assertRejected("x and y", () -> OneDimensionalOt.cost(x, y, 2)); // W_2^2 = 4e320 overflows
    }

    @Test
    void slicedWpForLargePIsTheCommonGapAndItsPowerIsInfinityOnlyBeyondTheRange() {
        ParticleMeasure x = ParticleMeasure.fromFlat(new double[]{0, 1}, 1);
        ParticleMeasure y = ParticleMeasure.fromFlat(new double[]{2, 3}, 1);
        SlicedWassersteinResult p1000 = SlicedWasserstein.withDefaults().withP(1000).distance(x, y,
                new SplittableRandom(7));
        // in 1-D every direction is +-1 and every projected gap is 2: SW_p = 2, SW_p^p = 2^1000 (finite)
        assertEquals(2.0, p1000.distance(), 2e-15);
        assertEquals(Math.pow(2, 1000), p1000.cost(), 0.0);
        SlicedWassersteinResult huge = SlicedWasserstein.withDefaults().withP(1e6).distance(x, y,
                new SplittableRandom(7));
        assertEquals(2.0, huge.distance(), 2e-15);
        assertTrue(huge.cost() == Double.POSITIVE_INFINITY, "2^1e6 is beyond the double range: " + huge.cost());
    }

    @Test
    void buresOfCovariancesScaledBy1e200IsScaledBy1e200() {
        DMatrixRMaj a = DMatrixRMaj.wrap(2, 2, new double[]{2, 0.5, 0.5, 1});
        DMatrixRMaj b = DMatrixRMaj.wrap(2, 2, new double[]{1, -0.3, -0.3, 3});
        DMatrixRMaj sa = TestMatrices.scaled(1e200, a);
        DMatrixRMaj sb = TestMatrices.scaled(1e200, b);
        double expected = BuresWasserstein.squaredBuresDistance(a, b);
        // B^2(sA, sB) = s B^2(A, B); the two runs differ by the rounding of 1e200 * A and 1e200 * B (a few ulps,
        // amplified by the modest condition number of these matrices), far below 1e-12 relative
        assertEquals(expected, BuresWasserstein.squaredBuresDistance(sa, sb) / 1e200, expected * 1e-12);
        GaussianMeasure mu = GaussianMeasure.of(new double[2], sa);
        GaussianMeasure nu = GaussianMeasure.of(new double[2], sb);
        assertEquals(Math.sqrt(expected) * 1e100, BuresWasserstein.distance(mu, nu), Math.sqrt(expected) * 1e88);
    }

    @Test
    void aWassersteinDistanceWhoseSquareOverflowsIsStillFinite() {
        GaussianMeasure mu = GaussianMeasure.of(new double[]{1e200}, new double[][]{{1}});
        GaussianMeasure nu = GaussianMeasure.of(new double[]{-1e200}, new double[][]{{1}});
        assertEquals(2e200, BuresWasserstein.distance(mu, nu), 2e200 * 1e-15); // |m0 - m1| dominates
        assertRejected("mu and nu", () -> BuresWasserstein.squaredDistance(mu, nu)); // 4e400 overflows
    }
}
