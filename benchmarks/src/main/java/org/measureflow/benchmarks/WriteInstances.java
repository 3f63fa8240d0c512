package org.measureflow.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Writes the instances of {@link SinkhornBenchmark} to CSV files so that {@code benchmarks/compare/compare_pot.py}
 * reads exactly the same points: {@code x_<n>.csv} (samples of \( \mathcal N(0, I_2) \), seed 1) and
 * {@code y_<n>.csv} (samples of \( \mathcal N((1,1), \mathrm{diag}(2,0.5)) \), seed 2), one point per line, every
 * coordinate printed with {@link Double#toString} (round-trips exactly). With {@code --time} it also solves each
 * instance once after warm-up runs (four for {@code n <= 1000}, one above) and writes {@code ours.csv} (n, eps,
 * variant, seconds, iterations, L1 marginal error, transport cost, entropic objective); the point-cloud variant is
 * timed for {@code n <= 1000} only.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.measureflow.benchmarks.WriteInstances out/sinkhorn [--time] [--tol T] [n ...]
 * </pre>
 */
public final class WriteInstances {
    private WriteInstances() {
    }

    /** The benchmark's source ({@code source = true}) or target cloud of {@code n} points. */
    static ParticleMeasure sample(int n, boolean source) {
        if (source) {
            return GaussianMeasure.standard(2).sample(n, new SplittableRandom(1));
        }
        GaussianMeasure nu = GaussianMeasure.of(new double[] {1, 1}, new DMatrixRMaj(2, 2, true, 2, 0, 0, 0.5));
        return nu.sample(n, new SplittableRandom(2));
    }

    /**
     * Entry point: {@code <directory> [--time] [--tol T] [n ...]} (default sizes 1000 4000 16000, tolerance 1e-6).
     *
     * @param args the output directory, the optional {@code --time} flag, then sizes
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: WriteInstances <directory> [--time] [n ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        boolean time = false;
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        double tolerance = 1e-6;
        for (int k = 1; k < args.length; k++) {
            if (args[k].equals("--time")) {
                time = true;
            } else if (args[k].equals("--tol") && k + 1 < args.length) {
                tolerance = Double.parseDouble(args[++k]);
            } else {
                sizes.add(Integer.parseInt(args[k]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = java.util.List.of(1000, 4000, 16000);
        }
        PrintWriter timings = null;
        if (time) {
            timings = new PrintWriter(Files.newBufferedWriter(dir.resolve("ours.csv"), StandardCharsets.UTF_8));
            timings.println("n,eps,variant,seconds,iterations,marginal_error,transport_cost,objective");
        }
        for (int n : sizes) {
            ParticleMeasure x = sample(n, true);
            ParticleMeasure y = sample(n, false);
            write(dir.resolve("x_" + n + ".csv"), x);
            write(dir.resolve("y_" + n + ".csv"), y);
            System.out.println("wrote " + dir.resolve("x_" + n + ".csv") + " and y_" + n + ".csv");
            if (time) {
                CostMatrix c = n <= 8000 ? CostMatrix.squaredEuclidean(x, y) : null;
                double[] a = Histograms.uniform(n);
                for (double eps : new double[] {0.1, 0.01}) {
                    SinkhornSolver s = SinkhornSolver.of(eps).withTolerance(tolerance).withMaxIterations(100_000);
                    if (c != null) {
                        for (int warm = n <= 1000 ? 4 : 1; warm > 0; warm--) {
                            s.solve(a, a, c); // warm-up (JIT)
                        }
                        long t0 = System.nanoTime();
                        SinkhornResult r = s.solve(a, a, c);
                        report(timings, n, eps, "dense", (System.nanoTime() - t0) * 1e-9, r);
                    }
                    if (n <= 1000) { // the log-domain cloud path costs one exponential per entry: keep it small
                        long t0 = System.nanoTime();
                        SinkhornResult r = s.solve(x, y);
                        report(timings, n, eps, "pointcloud", (System.nanoTime() - t0) * 1e-9, r);
                    }
                }
            }
        }
        if (timings != null) {
            timings.close();
        }
    }

    private static void report(PrintWriter out, int n, double eps, String variant, double seconds,
            SinkhornResult r) {
        String line = String.format(Locale.ROOT, "%d,%s,%s,%.4f,%d,%.3e,%.12f,%.12f", n, eps, variant, seconds,
                r.iterations(), r.error(), r.cost(), r.objective());
        out.println(line);
        out.flush();
        System.out.println(line);
    }

    private static void write(Path file, ParticleMeasure m) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int i = 0; i < m.size(); i++) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < m.dimension(); k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append(m.coordinate(i, k));
                }
                out.println(sb);
            }
        }
    }
}
