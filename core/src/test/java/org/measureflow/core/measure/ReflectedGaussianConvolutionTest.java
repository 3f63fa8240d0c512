package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;

/**
 * {@link ReflectedGaussianConvolution} against its definition computed by brute force: every cell hands
 * \( g_o \propto e^{-o^2/(2s^2)} \), \( |o| \le \lfloor 8s \rfloor \), of its mass to the cell \( j + o \) folded back
 * into the line by repeated reflection at the walls (period \( 2n \)).
 */
class ReflectedGaussianConvolutionTest {
    /** The cell that position {@code p} of the even, 2n-periodic extension of a line of n cells reads. */
    private static int fold(long p, int n) {
        long r = Math.floorMod(p, 2L * n);
        return (int) (r < n ? r : 2L * n - 1 - r);
    }

    /** The definition on one line of {@code n} cells: a scatter over every offset, no wrapping tricks. */
    private static double[] bruteForce(double[] in, double s) {
        int n = in.length;
        long j = (long) Math.floor(8 * s);
        double z = 0;
        for (long o = -j; o <= j; o++) {
            z += Math.exp(-0.5 * (o / s) * (o / s));
        }
        double[] out = new double[n];
        for (int c = 0; c < n; c++) {
            for (long o = -j; o <= j; o++) {
                out[fold(c + o, n)] += in[c] * Math.exp(-0.5 * (o / s) * (o / s)) / z;
            }
        }
        return out;
    }

    /** Bandwidths in cells reaching every regime on lines of up to 12 cells: identity, stencil, wrapped, flat. */
    private static double bandwidthInCells(SplittableRandom rng) {
        return Math.exp(rng.nextDouble(Math.log(0.05), Math.log(60)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void oneLineMatchesTheReflectedScatterInEveryRegime(long seed) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(1, 13);
            double s = bandwidthInCells(rng);
            double[] in = new double[n];
            for (int c = 0; c < n; c++) {
                in[c] = rng.nextDouble() < 0.3 ? 0 : rng.nextDouble();
            }
            in[rng.nextInt(n)] = 1;
            double[] expected = bruteForce(in, s);
            double[] out = ReflectedGaussianConvolution.smooth(in.clone(), GridDensity.Grid.of1d(0, n, n),
                    new double[]{s});
            double total = 0;
            for (double v : in) {
                total += v;
            }
            // the same sums in another order: round-off of a few ulps of the total per cell; when the kernel is
            // treated as flat (s > 8n/pi), its relative deviation from flat, below 3e-14 (Poisson summation)
            double tol = 64 * Math.ulp(total) + (s > 8 * n / Math.PI ? 3e-14 * total : 0);
            assertArrayEquals(expected, out, tol, "n = " + n + ", s = " + s);
            double sum = 0;
            for (double v : out) {
                assertTrue(v >= 0, "non-negative");
                sum += v;
            }
            assertEquals(total, sum, 64 * Math.ulp(total), "mass kept");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void gridsInTwoAndThreeDimensionsAreSmoothedOneAxisAtATime(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(2, 4);
            int[] cells = new int[d];
            double[] bandwidths = new double[d];
            int size = 1;
            for (int k = 0; k < d; k++) {
                cells[k] = rng.nextInt(1, 9);
                bandwidths[k] = bandwidthInCells(rng) * (k + 1);
                size *= cells[k];
            }
            GridDensity.Grid grid = d == 2 ? GridDensity.Grid.of2d(0, cells[0] * 1.0, cells[0], 0, cells[1] * 2.0,
                    cells[1]) : GridDensity.Grid.of3d(0, cells[0] * 1.0, cells[0], 0, cells[1] * 2.0, cells[1], 0,
                    cells[2] * 3.0, cells[2]);
            double[] in = new double[size];
            for (int c = 0; c < size; c++) {
                in[c] = rng.nextDouble();
            }
            // reference: the brute-force line operator applied along each axis of the row-major array in turn
            double[] expected = in.clone();
            int stride = size;
            for (int k = 0; k < d; k++) {
                int n = cells[k];
                stride /= n;
                double s = bandwidths[k] / (k + 1.0); // the cell size along axis k is k + 1
                for (int start = 0; start < size; start++) {
                    if ((start / stride) % n != 0) {
                        continue; // not the first cell of its line along axis k
                    }
                    double[] line = new double[n];
                    for (int i = 0; i < n; i++) {
                        line[i] = expected[start + i * stride];
                    }
                    double[] smoothed = bruteForce(line, s);
                    for (int i = 0; i < n; i++) {
                        expected[start + i * stride] = smoothed[i];
                    }
                }
            }
            double[] out = ReflectedGaussianConvolution.smooth(in.clone(), grid, bandwidths);
            // values below 1 each, sums of at most d passes of normalised kernels; flat-kernel axes add 3e-14 each
            assertArrayEquals(expected, out, 1e-13 * size + 3e-14 * d);
        });
    }

    @Test
    void kernelsAreNormalisedAndSymmetricToTheBitAndFlatBeyondTheThreshold() {
        for (int n : new int[]{1, 2, 5, 16}) {
            for (double s : new double[]{0.01, 0.2, 0.7, 1.5, 3.3, 2.0 * n, 8.0 * n / Math.PI}) {
                double[] g = ReflectedGaussianConvolution.weights(s, n);
                double sum = 0;
                for (int o = 0; o < g.length; o++) {
                    assertEquals(g[o], g[g.length - 1 - o], 0, "symmetric, n = " + n + ", s = " + s);
                    sum += g[o];
                }
                assertEquals(1, sum, 1e-15 * g.length, "normalised, n = " + n + ", s = " + s);
                assertTrue(g.length <= 2 * n + 1, "at most one period");
            }
            // beyond 8n/pi the wrapped kernel is flat to 3e-14, and the line average is used instead
            if (n > 1) {
                assertNull(ReflectedGaussianConvolution.weights(8.0 * n / Math.PI * 1.0001, n));
            }
        }
        assertArrayEquals(new double[]{1}, ReflectedGaussianConvolution.weights(0.1, 7), 0, "below 1/8 cell");
        assertArrayEquals(new double[]{1}, ReflectedGaussianConvolution.weights(1e300, 1), 0, "one cell");
    }
}
