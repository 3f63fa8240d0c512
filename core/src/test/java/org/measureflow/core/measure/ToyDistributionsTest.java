package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ToyDistributionsTest {
    private static final int N = 200_000;

    /** Mean and second moment of the draws; 5 standard errors (sd / sqrt N) bound a correct sampler's deviation. */
    private static void assertMoments(PointSampler law, double[] mean, double[] secondMoment, double[] sd) {
        double[] x = new double[2 * N];
        law.sample(N, new SplittableRandom(11), x);
        for (int c = 0; c < 2; c++) {
            double m = 0;
            double q = 0;
            for (int i = 0; i < N; i++) {
                m += x[2 * i + c];
                q += x[2 * i + c] * x[2 * i + c];
            }
            m /= N;
            q /= N;
            assertEquals(mean[c], m, 5 * sd[c] / Math.sqrt(N), "mean of coordinate " + c);
            // the squared coordinate's spread is below its second moment times 2 for these bounded-tail laws
            assertEquals(secondMoment[c], q, 5 * 2 * secondMoment[c] / Math.sqrt(N), "second moment " + c);
        }
    }

    @Test
    void eightGaussiansHaveTheirMoments() {
        // E x1^2 = 9 E cos^2 + 0.09 = 4.5 + 0.09 over the eight equally likely angles
        assertMoments(ToyDistributions.eightGaussians(), new double[]{0, 0}, new double[]{4.59, 4.59},
                new double[]{Math.sqrt(4.59), Math.sqrt(4.59)});
    }

    @Test
    void twoMoonsAreCentred() {
        // x1 is 2(cos t - 1/2) or 2(1/2 - cos t) with t ~ U[0, pi]: E (cos t - 1/2)^2 = 3/4
        // (E cos t = 0), so E x1^2 = 4 * 3/4 + 0.0225 = 3.0225;
        // x2: 2(sin t - 1/4) or 2(1/4 - sin t), E (sin t - 1/4)^2 = 1/2 - 1/pi + 1/16, so E x2^2 = 4 (1/2 - 1/pi + 1/16) + 0.0225
        double second2 = 4 * (0.5 - 1 / Math.PI + 1.0 / 16) + 0.0225;
        assertMoments(ToyDistributions.twoMoons(), new double[]{0, 0}, new double[]{3.0225, second2},
                new double[]{Math.sqrt(3.0225), Math.sqrt(second2)});
    }

    @Test
    void checkerboardFillsTheDarkSquaresUniformly() {
        PointSampler law = ToyDistributions.checkerboard();
        // uniform on [-2, 2) in each coordinate (by symmetry of the dark squares): mean 0, second moment 16/12
        assertMoments(law, new double[]{0, 0}, new double[]{4.0 / 3, 4.0 / 3},
                new double[]{Math.sqrt(4.0 / 3), Math.sqrt(4.0 / 3)});
        double[] x = new double[2 * N];
        law.sample(N, new SplittableRandom(3), x);
        int[] counts = new int[16];
        for (int i = 0; i < N; i++) {
            int c = (int) Math.floor(x[2 * i] + 2);
            int r = (int) Math.floor(x[2 * i + 1] + 2);
            assertTrue(c >= 0 && c < 4 && r >= 0 && r < 4, "point " + i + " inside [-2, 2)^2");
            assertEquals(0, (c + r) % 2, "point " + i + " on a dark square");
            counts[4 * r + c]++;
        }
        for (int s = 0; s < 16; s++) {
            if (((s % 4) + (s / 4)) % 2 == 0) {
                // each dark square holds N/8 points, binomial standard deviation sqrt(N/8 * 7/8)
                assertEquals(N / 8.0, counts[s], 5 * Math.sqrt(N / 8.0 * 7 / 8), "square " + s);
            }
        }
    }

    @Test
    void sameSeedSameBitsAndArgumentsChecked() {
        for (PointSampler law : new PointSampler[]{ToyDistributions.eightGaussians(), ToyDistributions.twoMoons(),
                ToyDistributions.checkerboard()}) {
            assertArrayEquals(law.sample(50, new SplittableRandom(4)).flatPoints(),
                    law.sample(50, new SplittableRandom(4)).flatPoints(), law.toString());
            assertEquals(2, law.dimension());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> law.sample(3, new SplittableRandom(1), new double[5]));
            assertTrue(e.getMessage().contains("out"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> law.sample(-1, new SplittableRandom(1), new double[2]));
            assertThrows(IllegalArgumentException.class, () -> law.sample(1, null, new double[2]));
        }
    }
}
