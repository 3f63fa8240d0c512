package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.testing.RandomInputs;

/**
 * The log-domain kernels on clouds large enough to be cut into row chunks (run in parallel) and column blocks of
 * {@link LogDomainGibbsKernel#BLOCK}: serial and parallel runs give identical bits, and the sums stay within
 * \( 10^{-12} \) relative of the same sums written with {@link Math#exp}.
 */
class LogDomainKernelBlocksTest {
    private static final int N = 700;
    private static final int M = 2 * LogDomainGibbsKernel.BLOCK + 452;

    private static double[] potentials(SplittableRandom rng, int size, int zeroAt) {
        double[] v = RandomInputs.gaussianVector(rng, size);
        v[zeroAt] = Double.NEGATIVE_INFINITY; // an atom of weight zero
        return v;
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), what + " " + i);
        }
    }

    @ParameterizedTest(name = "d = {0}")
    @ValueSource(ints = {1, 2, 3})
    void serialAndParallelRunsGiveIdenticalBits(int d) {
        SplittableRandom rng = new SplittableRandom(40 + d);
        ParticleMeasure x = RandomInputs.pointCloud(rng, N, d);
        ParticleMeasure y = RandomInputs.pointCloud(rng, M, d);
        double[] h = potentials(rng, N, 5);
        double[] w = potentials(rng, M, LogDomainGibbsKernel.BLOCK + 3);
        double[] u = RandomInputs.gaussianVector(rng, N);
        double[] v = RandomInputs.gaussianVector(rng, M);
        double eps = 0.05;
        LogDomainGibbsKernel[][] pairs = {
            {LogDomainGibbsKernel.of(x, y, false), LogDomainGibbsKernel.of(x, y, true)},
            {LogDomainGibbsKernel.of(CostMatrix.squaredEuclidean(x, y), false),
                LogDomainGibbsKernel.of(CostMatrix.squaredEuclidean(x, y), true)}};
        for (LogDomainGibbsKernel[] pair : pairs) {
            double[][] rows = new double[2][N];
            double[][] cols = new double[2][M];
            double[][] statRows = new double[2][N];
            double[][] statCols = new double[2][M];
            double[][] times = new double[2][N];
            double[][] timesT = new double[2][M];
            double[] cost = new double[2];
            for (int s = 0; s < 2; s++) {
                pair[s].rowLogSums(h, w, eps, rows[s]);
                pair[s].colLogSums(h, w, eps, cols[s]);
                cost[s] = pair[s].statistics(h, w, eps, statRows[s], statCols[s]);
                pair[s].planTimes(h, w, eps, v, times[s]);
                pair[s].planTransposedTimes(h, w, eps, u, timesT[s]);
            }
            String k = pair[0].toString();
            assertSameBits(rows[0], rows[1], k + " rowLogSums");
            assertSameBits(cols[0], cols[1], k + " colLogSums");
            assertSameBits(statRows[0], statRows[1], k + " statistics rows");
            assertSameBits(statCols[0], statCols[1], k + " statistics cols");
            assertEquals(Double.doubleToRawLongBits(cost[0]), Double.doubleToRawLongBits(cost[1]), k + " cost");
            assertSameBits(times[0], times[1], k + " planTimes");
            assertSameBits(timesT[0], timesT[1], k + " planTransposedTimes");
        }
    }

    @ParameterizedTest(name = "d = {0}")
    @ValueSource(ints = {2, 3})
    void sumsAcrossBlocksAgreeWithTheMathExpPath(int d) {
        SplittableRandom rng = new SplittableRandom(50 + d);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 40, d);
        ParticleMeasure y = RandomInputs.pointCloud(rng, M, d);
        double[] h = potentials(rng, 40, 7);
        double[] w = potentials(rng, M, 2 * LogDomainGibbsKernel.BLOCK);
        double eps = 0.3;
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double[] expected = new double[40];
        double[] expectedPlanRows = new double[40];
        for (int i = 0; i < 40; i++) {
            double s = 0;
            for (int j = 0; j < M; j++) {
                s += Math.exp((h[i] + w[j] - c.get(i, j)) / eps);
            }
            expectedPlanRows[i] = s;
            expected[i] = Math.log(s);
        }
        for (LogDomainGibbsKernel k : new LogDomainGibbsKernel[] {LogDomainGibbsKernel.of(x, y, true),
            LogDomainGibbsKernel.of(c, true)}) {
            double[] rows = new double[40];
            double[] planRows = new double[40];
            k.rowLogSums(h, w, eps, rows);
            k.statistics(h, w, eps, planRows, new double[M]);
            assertEquals(Double.NEGATIVE_INFINITY, rows[7]);
            assertEquals(0.0, planRows[7], 0.0, "a row of weight zero has no mass");
            for (int i = 0; i < 40; i++) {
                if (i != 7) {
                    // terms within 2^-51 (+1 ulp of Math.exp) relative, the same order of summation: the sums within
                    // 7e-16 + 2 (M - 1) 2^-53 < 1e-12 relative, their logarithms within 1e-12 absolute
                    assertEquals(expectedPlanRows[i], planRows[i], 1e-12 * expectedPlanRows[i], k + " row " + i);
                    assertEquals(expected[i], rows[i], 1e-12, k + " log-sum " + i);
                }
            }
            double[] ones = new double[M];
            java.util.Arrays.fill(ones, 1.0);
            assertArrayEquals(expectedPlanRows, k.plan(h, w, eps).apply(ones), 1e-12 * max(expectedPlanRows),
                    k.toString());
        }
    }

    private static double max(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, e);
        }
        return m;
    }
}
