package org.measureflow.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * The measurement of benchmarks/RESULTS.md (a main, not a test: surefire runs only classes ending in Test): the
 * per-pair cost of S_eps between clouds of n points (the single-machine call, one thread, after warm-up) and the
 * local-mode throughput of {@link PairwiseMatrix} on K such clouds.
 *
 * <pre>
 * java [Spark's Java 17 options] -cp spark/target/test-classes:spark/target/mflow-spark.jar:$(cat spark/target/spark-classpath.txt) \
 *     org.measureflow.spark.PairwiseThroughput K n epsilon samplePairs master [pairsForSpark]
 * </pre>
 * The clouds: 2-D standard Gaussian samples, each shifted by a centre uniform in [-1, 1]^2 and scaled by a factor
 * uniform in [0.3, 1] (seed 1). With {@code pairsForSpark} below K(K-1)/2, the Spark job runs on the first K' clouds
 * with K'(K'-1)/2 closest to it.
 */
final class PairwiseThroughput {
    private PairwiseThroughput() {
    }

    public static void main(String[] args) {
        int k = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        double eps = Double.parseDouble(args[2]);
        int sample = Integer.parseInt(args[3]);
        String master = args[4];
        long sparkPairs = args.length > 5 ? Long.parseLong(args[5]) : (long) k * (k - 1) / 2;
        SplittableRandom rng = new SplittableRandom(1);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            double cx = rng.nextDouble(-1, 1);
            double cy = rng.nextDouble(-1, 1);
            double s = rng.nextDouble(0.3, 1.0);
            double[] flat = new double[2 * n];
            for (int i = 0; i < n; i++) {
                flat[2 * i] = cx + s * rng.nextGaussian();
                flat[2 * i + 1] = cy + s * rng.nextGaussian();
            }
            clouds.add(ParticleMeasure.fromFlat(flat, 2));
        }
        SinkhornDivergence div = SinkhornDivergence.of(SinkhornSolver.of(eps).withParallel(false));
        for (int w = 0; w < 3; w++) {
            div.valueAndGradient(clouds.get(0), clouds.get(1 + w));
        }
        long iterations = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int p = 0; p < sample; p++) {
            iterations += div.valueAndGradient(clouds.get(p % k), clouds.get((p * 7 + 1 + p / k) % k == p % k
                    ? (p + 1) % k : (p * 7 + 1 + p / k) % k)).iterations();
        }
        double perPair = (System.nanoTime() - t0) * 1e-9 / sample;
        double cpuPerPair = (threads.getCurrentThreadCpuTime() - cpu0) * 1e-9 / sample;
        System.out.printf(Locale.ROOT, "per pair (one thread, %d pairs of %d x %d points, eps %.3g): %.1f ms wall, "
                + "%.1f ms CPU, %.0f iterations (three solves)%n", sample, n, n, eps, perPair * 1e3, cpuPerPair * 1e3,
                (double) iterations / sample);
        int kk = k;
        while ((long) kk * (kk - 1) / 2 > sparkPairs) {
            kk--;
        }
        SparkSession spark = SparkSession.builder().master(master).appName("throughput")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        MeasureBatch batch = MeasureBatch.ofClouds(clouds.subList(0, kk));
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long pcpu0 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        PairwiseResult r = PairwiseMatrix.of(PairMethod.sinkhornDivergence(eps)).compute(spark, batch);
        double seconds = (System.nanoTime() - t1) * 1e-9;
        double processCpu = (os.getProcessCpuTime() - pcpu0) * 1e-9;
        long pairs = (long) kk * (kk - 1) / 2;
        System.out.printf(Locale.ROOT, "spark %s: K = %d, %d pairs, blocks of %d (%d tasks), %.1f s, %.2f pairs/s, "
                + "%.1f ms wall per pair per core (%d cores), %.1f ms process CPU per pair, %d not converged%n", master,
                kk, pairs, r.blockSize(), r.tasks(), seconds, pairs / seconds,
                seconds * 1e3 * spark.sparkContext().defaultParallelism() / pairs,
                spark.sparkContext().defaultParallelism(), processCpu * 1e3 / pairs, r.unconverged());
        spark.stop();
    }
}
