package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.ot.Histograms;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * \( W_2^2 \) on the line by {@link OneDimensionalOt#cost(double[], double[], double[], double[], double)} (sorting
 * included): \( n \) samples \( x_i \sim \mathcal N(0, 1) \) against \( n \) samples \( y_j \sim \mathcal N(1, 2) \),
 * the first coordinates of the laws of {@link ExactOtBenchmark}. {@code weights = uniform}: \( a = b = 1/n \) (the
 * paired path); {@code weighted}: weights drawn uniformly from \( [0.1, 1) \) and normalised (the merge). The same
 * instances are written as {@code .npy} files for POT's {@code ot.emd2_1d} by {@link OneDimensionalInstances}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class OneDimensionalBenchmark {
    /** Number of atoms of each measure. */
    @Param({"10000", "100000", "1000000"})
    public int n;

    /** {@code uniform} or {@code weighted}. */
    @Param({"uniform", "weighted"})
    public String weights;

    private double[][] instance;

    /** Draws the instance from fixed seeds. */
    @Setup
    public void setUp() {
        instance = instance(n, weights.equals("weighted"));
    }

    /** \( W_2^2 \) between the two weighted measures. */
    @Benchmark
    public double cost() {
        return OneDimensionalOt.cost(instance[0], instance[1], instance[2], instance[3], 2);
    }

    /**
     * The instance {@code {x, a, y, b}}: \( x \sim \mathcal N(0,1) \) (SplittableRandom(1)),
     * \( y = 1 + \sqrt2 z \), \( z \sim \mathcal N(0,1) \) (SplittableRandom(2)), and uniform weights or weights
     * \( \sim U[0.1, 1) \) normalised to sum 1 (SplittableRandom(3) for {@code a}, (4) for {@code b}).
     */
    static double[][] instance(int n, boolean weighted) {
        SplittableRandom rx = new SplittableRandom(1);
        SplittableRandom ry = new SplittableRandom(2);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rx.nextGaussian();
            y[i] = 1 + Math.sqrt(2) * ry.nextGaussian();
        }
        if (!weighted) {
            return new double[][] {x, Histograms.uniform(n), y, Histograms.uniform(n)};
        }
        return new double[][] {x, normalisedWeights(n, new SplittableRandom(3)), y,
            normalisedWeights(n, new SplittableRandom(4))};
    }

    private static double[] normalisedWeights(int n, SplittableRandom rng) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextDouble(0.1, 1);
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
