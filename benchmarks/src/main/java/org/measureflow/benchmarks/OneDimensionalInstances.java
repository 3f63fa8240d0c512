package org.measureflow.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.measureflow.core.io.Npy;
import org.measureflow.core.io.NpyArray;
import org.measureflow.ot.exact.OneDimensionalOt;

/**
 * Writes the instances of {@link OneDimensionalBenchmark} as {@code .npy} vectors so that
 * {@code benchmarks/compare/onedim_pot.py} reads exactly the same numbers: {@code x_<n>.npy}, {@code y_<n>.npy}
 * (atoms) and {@code a_<n>.npy}, {@code b_<n>.npy} (the weights of the weighted variant; the uniform variant has
 * \( 1/n \)). With {@code --time} it also times \( W_2^2 \) =
 * {@link OneDimensionalOt#cost(double[], double[], double[], double[], double)} (sorting and input checks included)
 * for both variants: warm-up calls (at least 10 and 2 s), then {@code repeats} timed calls (wall clock, one
 * thread), and writes {@code ours.csv} (n, weights, median and minimum seconds, the cost printed with
 * {@link Double#toString}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.measureflow.benchmarks.OneDimensionalInstances out/onedim \
 *      [--time] [--repeats 7] [n ...]
 * </pre>
 */
public final class OneDimensionalInstances {
    private OneDimensionalInstances() {
    }

    /**
     * Entry point: {@code <directory> [--time] [--repeats r] [n ...]} (default sizes 10^4, 10^5, 10^6; 7 repeats).
     *
     * @param args the output directory, the optional flags, then sizes
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: OneDimensionalInstances <directory> [--time] [--repeats r] [n ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        boolean time = false;
        int repeats = 7;
        List<Integer> sizes = new ArrayList<>();
        for (int k = 1; k < args.length; k++) {
            if (args[k].equals("--time")) {
                time = true;
            } else if (args[k].equals("--repeats")) {
                repeats = Integer.parseInt(args[++k]);
            } else {
                sizes.add(Integer.parseInt(args[k]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000, 1_000_000);
        }
        try (PrintWriter timings = time
                ? new PrintWriter(Files.newBufferedWriter(dir.resolve("ours.csv"), StandardCharsets.UTF_8)) : null) {
            if (timings != null) {
                timings.println("n,weights,median_seconds,min_seconds,cost");
            }
            for (int n : sizes) {
                double[][] weighted = OneDimensionalBenchmark.instance(n, true);
                Npy.write(dir.resolve("x_" + n + ".npy"), NpyArray.vector(weighted[0]));
                Npy.write(dir.resolve("a_" + n + ".npy"), NpyArray.vector(weighted[1]));
                Npy.write(dir.resolve("y_" + n + ".npy"), NpyArray.vector(weighted[2]));
                Npy.write(dir.resolve("b_" + n + ".npy"), NpyArray.vector(weighted[3]));
                System.out.println("wrote " + dir.resolve("{x,a,y,b}_" + n + ".npy"));
                if (timings != null) {
                    time(timings, n, "uniform", OneDimensionalBenchmark.instance(n, false), repeats);
                    time(timings, n, "weighted", weighted, repeats);
                }
            }
        }
    }

    private static void time(PrintWriter out, int n, String variant, double[][] in, int repeats) {
        double cost = 0;
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        for (int warm = 0; warm < 10 || System.nanoTime() < warmUntil; warm++) {
            cost = OneDimensionalOt.cost(in[0], in[1], in[2], in[3], 2); // JIT warm-up: 10 calls and 2 s at least
        }
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            cost = OneDimensionalOt.cost(in[0], in[1], in[2], in[3], 2);
            seconds[r] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(seconds);
        String line = String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%s", n, variant, seconds[repeats / 2], seconds[0],
                Double.toString(cost));
        out.println(line);
        out.flush();
        System.out.println(line);
    }
}
