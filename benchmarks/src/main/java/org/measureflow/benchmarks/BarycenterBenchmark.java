package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.barycenter.ConvolutionalBarycenter;
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
 * Convolutional entropic Wasserstein barycenter (Solomon et al. 2015; iterative Bregman projections, Benamou et al.
 * 2015) of two {@code side x side} images with equal weights, by {@link ConvolutionalBarycenter}: the Gibbs kernel
 * \( e^{-|x-y|^2/\varepsilon} \) applied as separable 1-D passes in the log domain. The instance is the one of
 * {@code benchmarks/compare/barycenter_pot.py} (POT's {@code ot.bregman.convolutional_barycenter2d}): pixels at
 * {@code linspace(0, 1, side)} on both axes, a disk \( r &lt; 0.3 \) and a ring \( 0.2 &lt; r &lt; 0.35 \) around
 * \( (1/2, 1/2) \), each normalised to mass 1, \( \varepsilon = 0.004 \) (POT's {@code reg}), coupling tolerance
 * \( 10^{-6} \).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class BarycenterBenchmark {
    /** Pixels per side. */
    @Param({"128", "256"})
    public int side;

    private GridDensity[] images;
    private ConvolutionalBarycenter solver;

    /** The two images of {@link #images(int)} and the solver (eps 0.004, tolerance 1e-6). */
    @Setup
    public void setUp() {
        images = images(side);
        solver = ConvolutionalBarycenter.of(0.004).withTolerance(1e-6).withMaxIterations(10_000);
    }

    /**
     * The disk and the ring on the grid whose cell centres are \( i/(side-1) \), \( i = 0..side-1 \) (POT's
     * {@code linspace(0, 1, side)}).
     */
    static GridDensity[] images(int side) {
        double h = 1.0 / (side - 1);
        GridDensity.Grid grid = GridDensity.Grid.of2d(-h / 2, 1 + h / 2, side, -h / 2, 1 + h / 2, side);
        double[] disk = new double[side * side];
        double[] ring = new double[side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                double r = Math.hypot(i * h - 0.5, j * h - 0.5);
                disk[i * side + j] = r < 0.3 ? 1 : 0;
                ring[i * side + j] = r > 0.2 && r < 0.35 ? 1 : 0;
            }
        }
        return new GridDensity[] {GridDensity.of(grid, disk), GridDensity.of(grid, ring)};
    }

    /** Solves to tolerance; returns the barycenter's largest weight. */
    @Benchmark
    public double convolutional() {
        double[] p = solver.solve(images, new double[] {0.5, 0.5}).weights();
        double max = 0;
        for (double v : p) {
            max = Math.max(max, v);
        }
        return max;
    }
}
