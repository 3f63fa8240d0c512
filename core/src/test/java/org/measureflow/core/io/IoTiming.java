package org.measureflow.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * A rough timing of reading and writing a cloud of {@code 10^6} points in the plane as {@code .npy} and as CSV (not a
 * test, not a benchmark: JMH lives in {@code benchmarks}). Run after {@code mvn -o test-compile -pl core}:
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:$HOME/.m2/repository/org/ejml/ejml-core/0.46.1/ejml-core-0.46.1.jar:$HOME/.m2/repository/org/ejml/ejml-ddense/0.46.1/ejml-ddense-0.46.1.jar \
 *     org.measureflow.core.io.IoTiming [directory]
 * </pre>
 * Prints the best of five runs of each operation, after two warm-up runs.
 */
public final class IoTiming {
    private IoTiming() {
    }

    private interface Run {
        void run() throws IOException;
    }

    /**
     * Times the four operations.
     *
     * @param args an optional directory for the files (default: a new temporary directory)
     * @throws IOException if a file cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("iotiming");
        int n = 1_000_000;
        SplittableRandom rng = new SplittableRandom(1);
        double[] flat = new double[2 * n];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = rng.nextDouble() * 2 - 1;
        }
        ParticleMeasure cloud = ParticleMeasure.fromFlat(flat, 2);
        Path npy = dir.resolve("cloud.npy");
        Path csv = dir.resolve("cloud.csv");
        time("write .npy", npy, () -> DataFiles.writePoints(npy, cloud));
        time("read  .npy", npy, () -> DataFiles.readPoints(npy));
        time("Npy.read  ", npy, () -> Npy.read(npy));
        time("write .csv", csv, () -> DataFiles.writePoints(csv, cloud));
        time("read  .csv", csv, () -> DataFiles.readPoints(csv));
        Files.deleteIfExists(npy);
        Files.deleteIfExists(csv);
    }

    private static void time(String what, Path file, Run run) throws IOException {
        for (int k = 0; k < 2; k++) {
            run.run();
        }
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 5; k++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "%s  10^6 x 2 float64  %8.1f ms  %6.1f MB  %7.1f MB/s%n", what, best * 1e-6,
                bytes * 1e-6, bytes / (best * 1e-9) * 1e-6);
    }
}
