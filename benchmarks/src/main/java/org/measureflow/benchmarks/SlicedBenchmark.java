package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sliced.SlicedWasserstein;
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
 * Sliced Wasserstein \( SW_2^2 \) by {@link SlicedWasserstein} (Monte Carlo over \( L \) random directions, one
 * exact 1-D transport by sorting per direction) between the point clouds of {@link SinkhornBenchmark}
 * ({@link WriteInstances#sample}, \( n \) points each, 2-D), \( L = 100 \) directions drawn from
 * {@code new SplittableRandom(0)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlicedBenchmark {
    /** Number of points of each cloud. */
    @Param({"10000", "100000"})
    public int n;

    /** Number of directions. */
    @Param({"100"})
    public int directions;

    private ParticleMeasure x;
    private ParticleMeasure y;
    private SlicedWasserstein serial;
    private SlicedWasserstein parallel;

    /** Samples the clouds and configures both estimators. */
    @Setup
    public void setUp() {
        x = WriteInstances.sample(n, true);
        y = WriteInstances.sample(n, false);
        serial = SlicedWasserstein.withDefaults().withDirections(directions).withParallel(false);
        parallel = SlicedWasserstein.withDefaults().withDirections(directions).withParallel(true);
    }

    /** One thread; returns \( \widehat{SW}_2^2 \). */
    @Benchmark
    public double serial() {
        return serial.distance(x, y, new SplittableRandom(0)).cost();
    }

    /** Directions in fixed chunks on the common pool (same bits); returns \( \widehat{SW}_2^2 \). */
    @Benchmark
    public double parallel() {
        return parallel.distance(x, y, new SplittableRandom(0)).cost();
    }
}
