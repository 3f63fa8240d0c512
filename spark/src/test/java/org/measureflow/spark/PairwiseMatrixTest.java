package org.measureflow.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.sliced.SlicedWasserstein;
import org.measureflow.testing.RandomInputs;

/** Pairwise matrices on Spark against the single-machine double loop, their symmetry, and retried tasks. */
class PairwiseMatrixTest {
    /** 40 seeded clouds of 12 to 40 points in the plane, of different sizes, centres and spreads. */
    private static final int K = 40;
    private static final double EPSILON = 0.1;
    private static SparkSession spark;
    private static MeasureBatch batch;
    private static double[] theta;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        SplittableRandom rng = new SplittableRandom(20);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            int n = 12 + rng.nextInt(29);
            double[] flat = RandomInputs.pointCloud(rng, n, 2).flatPoints();
            double cx = rng.nextDouble(-1, 1);
            double cy = rng.nextDouble(-1, 1);
            double s = rng.nextDouble(0.3, 1.0);
            for (int i = 0; i < n; i++) {
                flat[2 * i] = cx + s * flat[2 * i];
                flat[2 * i + 1] = cy + s * flat[2 * i + 1];
            }
            clouds.add(ParticleMeasure.fromFlat(flat, 2));
        }
        batch = MeasureBatch.ofClouds(clouds);
        theta = SlicedWasserstein.randomDirections(50, 2, new SplittableRandom(7));
    }

    /** The plain loop over i < j on one machine, mirrored: what the Spark job must reproduce bit for bit. */
    private interface Pair {
        double value(ParticleMeasure x, ParticleMeasure y);
    }

    private static double[] loop(Pair pair) {
        double[] d = new double[K * K];
        for (int i = 0; i < K; i++) {
            for (int j = i + 1; j < K; j++) {
                double v = pair.value(batch.cloud(i), batch.cloud(j));
                d[i * K + j] = v;
                d[j * K + i] = v;
            }
        }
        return d;
    }

    private static void assertSameBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int e = 0; e < expected.length; e++) {
            int at = e;
            assertEquals(Double.doubleToRawLongBits(expected[e]), Double.doubleToRawLongBits(actual[e]),
                    () -> "entry (" + at / K + ", " + at % K + "): " + expected[at] + " vs " + actual[at]);
        }
    }

    private static void assertSymmetricWithZeroDiagonal(double[] d) {
        for (int i = 0; i < K; i++) {
            assertEquals(0.0, d[i * K + i], "diagonal " + i);
            for (int j = 0; j < K; j++) {
                assertEquals(Double.doubleToRawLongBits(d[i * K + j]), Double.doubleToRawLongBits(d[j * K + i]));
            }
        }
    }

    /** Every triple i, j, l: D_il <= D_ij + D_jl + slack * (D_ij + D_jl). */
    private static void assertTriangleInequality(double[] d, double slack) {
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                for (int l = 0; l < K; l++) {
                    double side = d[i * K + j] + d[j * K + l];
                    assertTrue(d[i * K + l] <= side * (1 + slack),
                            "D(" + i + "," + l + ") = " + d[i * K + l] + " > D(" + i + "," + j + ") + D(" + j + ","
                                    + l + ") = " + side);
                }
            }
        }
    }

    @Test
    void exactW2EqualsTheLoopBitForBitAndIsAMetric() {
        PairwiseResult r = PairwiseMatrix.of(PairMethod.exactW2()).compute(spark, batch);
        NetworkSimplex simplex = NetworkSimplex.withDefaults();
        double[] expected = loop((x, y) -> Math.sqrt(simplex.solve(x, y).cost()));
        assertSameBits(expected, r.matrix());
        assertSymmetricWithZeroDiagonal(r.matrix());
        assertEquals(0, r.unconverged());
        // W2 is a metric; the simplex's cost is optimal to its entering threshold 1e-13 max|C| (relative), far below
        // the 1e-9 allowed here for the rounding of the costs and square roots
        assertTriangleInequality(r.matrix(), 1e-9);
        assertTrue(r.tasks() > 1, "the job was split into blocks: " + r);
    }

    @Test
    void sinkhornDivergenceEqualsTheLoopBitForBit() {
        PairwiseResult r = PairwiseMatrix.of(PairMethod.sinkhornDivergence(EPSILON)).withBlockSize(7)
                .compute(spark, batch);
        SinkhornDivergence div = SinkhornDivergence.of(SinkhornSolver.of(EPSILON).withParallel(false));
        assertSameBits(loop((x, y) -> div.valueAndGradient(x, y).value()), r.matrix());
        assertSymmetricWithZeroDiagonal(r.matrix());
        assertEquals(0, r.unconverged());
        // S_eps >= 0 for the squared Euclidean cost (Feydy et al. 2019); no triangle inequality is known for S_eps
        // or its square root, so none is tested
        for (double v : r.matrix()) {
            assertTrue(v >= -1e-9, "S_eps >= 0 up to the marginal tolerance 1e-9 times the cost scale: " + v);
        }
    }

    @Test
    void slicedW2EqualsTheLoopBitForBitAndIsAMetric() {
        PairwiseResult r = PairwiseMatrix.of(PairMethod.slicedW2(theta)).withBlockSize(3).compute(spark, batch);
        SlicedWasserstein sw = SlicedWasserstein.withDefaults();
        double[] expected = loop((x, y) -> sw.distance(x, y, theta).distance());
        assertSameBits(expected, r.matrix());
        assertSymmetricWithZeroDiagonal(r.matrix());
        // with one set of directions shared by all pairs the estimate is the l2 mean of 1-D W2 metrics: a
        // pseudometric, exact up to the rounding of sums of squares and square roots (1e-12 relative)
        assertTriangleInequality(r.matrix(), 1e-12);
    }

    @Test
    void buresW2OfCloudsAndOfGaussiansEqualsTheLoopBitForBitAndIsAMetric() {
        PairwiseResult r = PairwiseMatrix.of(PairMethod.buresW2()).compute(spark, batch);
        double[] expected = loop((x, y) -> BuresWasserstein.distance(GaussianMeasure.of(x.mean(), x.covariance()),
                GaussianMeasure.of(y.mean(), y.covariance())));
        assertSameBits(expected, r.matrix());
        assertSymmetricWithZeroDiagonal(r.matrix());
        // W2 between Gaussians is W2: a metric; the eigenvalue sums carry rounding of order 1e-15 of the traces
        assertTriangleInequality(r.matrix(), 1e-9);

        List<String> names = new ArrayList<>();
        List<GaussianMeasure> gaussians = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            names.add("g" + k);
            gaussians.add(GaussianMeasure.of(batch.cloud(k).mean(), batch.cloud(k).covariance()));
        }
        PairwiseResult g = PairwiseMatrix.of(PairMethod.buresW2()).withBlockSize(6)
                .compute(spark, MeasureBatch.ofGaussians(names, gaussians));
        assertSameBits(expected, g.matrix());
    }

    @Test
    void theBlockSizeDoesNotChangeTheBits() {
        PairMethod m = PairMethod.exactW2();
        double[] one = PairwiseMatrix.of(m).withBlockSize(1).compute(spark, batch).matrix();
        double[] all = PairwiseMatrix.of(m).withBlockSize(K).compute(spark, batch).matrix();
        assertSameBits(one, all);
    }

    @Test
    void failedFirstAttemptsAreRetriedWithNothingLostAndNothingCountedTwice() throws Exception {
        PairwiseMatrix matrix = PairwiseMatrix.of(PairMethod.exactW2()).withBlockSize(5);
        double[] clean = matrix.compute(spark, batch).matrix();
        AtomicInteger failed = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failed.incrementAndGet();
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        spark.sparkContext().setLocalProperty(SparkErrors.FAIL_FIRST_ATTEMPT, "0,3,7,12");
        try {
            PairwiseResult retried = matrix.compute(spark, batch);
            assertSameBits(clean, retried.matrix());
            List<Row> rows = matrix.entries(spark, batch).collectAsList();
            assertEquals(K * (K - 1) / 2, rows.size(), "every pair once");
            Set<Long> pairs = new HashSet<>();
            for (Row row : rows) {
                int i = row.getInt(0);
                int j = row.getInt(1);
                assertTrue(i < j);
                assertTrue(pairs.add((long) i * K + j), "pair (" + i + ", " + j + ") twice");
                assertEquals(Double.doubleToRawLongBits(clean[i * K + j]),
                        Double.doubleToRawLongBits(row.getDouble(4)));
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(8, failed.get(), "four first attempts failed in each of the two jobs");
        } finally {
            spark.sparkContext().setLocalProperty(SparkErrors.FAIL_FIRST_ATTEMPT, null);
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    @Test
    void tasksCoverEveryPairOfBlocksOnce() {
        for (int g = 1; g <= 9; g++) {
            int[] count = new int[g * g];
            for (int[] task : PairwiseMatrix.tasks(g)) {
                for (int t = 0; t < task.length; t += 2) {
                    assertTrue(task[t] <= task[t + 1]);
                    count[task[t] * g + task[t + 1]]++;
                }
            }
            for (int r = 0; r < g; r++) {
                for (int s = 0; s < g; s++) {
                    assertEquals(r <= s ? 1 : 0, count[r * g + s], "blocks (" + r + ", " + s + ") of " + g);
                }
            }
        }
        assertFalse(PairwiseMatrix.tasks(4).isEmpty());
    }
}
