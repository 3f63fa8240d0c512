package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The one point sampler of the library: Gaussians, resampled clouds, boxes and grid densities. */
class PointSamplerTest {
    @Test
    void aGaussianIsItsOwnSamplerWithTheSameDrawsThroughBothMethods() {
        GaussianMeasure g = GaussianMeasure.of(new double[] {1, -2}, new double[][] {{2, 0.3}, {0.3, 0.5}});
        assertSame(g, PointSampler.of(g));
        double[] flat = new double[20];
        g.sample(10, new SplittableRandom(5), flat);
        // the same generator state gives the same bits whichever method draws
        assertArrayEquals(flat, g.sample(10, new SplittableRandom(5)).flatPoints(), 0);
    }

    @Test
    void resamplingPicksPointsWithTheirWeights() {
        ParticleMeasure cloud = ParticleMeasure.of(new double[][] {{0}, {1}, {2}}, new double[] {0.2, 0.3, 0.5});
        int n = 100_000;
        double[] draws = new double[n];
        PointSampler.of(cloud).sample(n, new SplittableRandom(1), draws);
        int[] counts = new int[3];
        for (double v : draws) {
            counts[(int) v]++;
        }
        double[] w = cloud.weights();
        for (int i = 0; i < 3; i++) {
            // a binomial count: sd sqrt(n w (1 - w)) <= 158; allow 5 sd
            assertEquals(n * w[i], counts[i], 5 * Math.sqrt(n * w[i] * (1 - w[i])), "point " + i);
        }
    }

    @Test
    void boxAndGridSamplersStayInTheirSupportWithTheRightMeans() {
        int n = 50_000;
        double[] box = new double[2 * n];
        PointSampler.uniform(new double[] {-1, 2}, new double[] {1, 6}).sample(n, new SplittableRandom(2), box);
        double[] mean = new double[2];
        for (int i = 0; i < n; i++) {
            assertTrue(box[2 * i] >= -1 && box[2 * i] < 1 && box[2 * i + 1] >= 2 && box[2 * i + 1] < 6);
            mean[0] += box[2 * i] / n;
            mean[1] += box[2 * i + 1] / n;
        }
        // uniform on [lo, hi]: sd of the mean (hi - lo) / sqrt(12 n); allow 5 sd
        assertEquals(0, mean[0], 5 * 2 / Math.sqrt(12.0 * n));
        assertEquals(4, mean[1], 5 * 4 / Math.sqrt(12.0 * n));
        // all the mass in the last of four cells of [0, 1]: every draw falls in [0.75, 1)
        GridDensity last = GridDensity.of1d(0, 1, 4, new double[] {0, 0, 0, 4});
        double[] onGrid = new double[1000];
        PointSampler.of(last).sample(1000, new SplittableRandom(3), onGrid);
        for (double v : onGrid) {
            assertTrue(v >= 0.75 && v < 1, "draw " + v);
        }
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        assertRejected("lower[0]", () -> PointSampler.uniform(new double[] {1}, new double[] {1}));
        assertRejected("upper", () -> PointSampler.uniform(new double[] {0}, new double[] {1, 2}));
        assertRejected("density", () -> PointSampler.of(GridDensity.of1d(0, 1, 2, new double[] {0, 0})));
        assertRejected("n", () -> GaussianMeasure.standard(2).sample(0, new SplittableRandom(1)));
        assertRejected("rng", () -> GaussianMeasure.standard(2).sample(3, null));
    }
}
