package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.semidiscrete.SemiDiscreteNewton;
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
 * Semi-discrete OT (survey &sect;4, the semi-dual \( \max_\psi \int \min_i(|x-y_i|^2 - \psi_i)\,dx + \sum_i b_i\psi_i \))
 * by the damped Newton method {@link SemiDiscreteNewton}, from the uniform density on the unit square to \( n \)
 * uniform random points (SplittableRandom(1)) with random masses \( b_i \propto 0.5 + U[0,1] \), solved to a largest
 * mass error of \( 10^{-10} \) (the default). Each solve builds the exact Laguerre cells (\( O(n^2) \) half-plane tests)
 * once per Newton step and line-search trial. There is no installable Python reference (pysdot and geogram are not
 * packaged for Debian; see {@code benchmarks/compare/semidiscrete_note.md}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class SemiDiscreteBenchmark {
    /** Number of points. */
    @Param({"1000", "4000"})
    public int n;

    private ParticleMeasure target;
    private SemiDiscreteNewton solver;

    /** Samples the points and their masses. */
    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] flat = new double[2 * n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = rng.nextDouble();
            flat[2 * i + 1] = rng.nextDouble();
            w[i] = 0.5 + rng.nextDouble();
        }
        target = ParticleMeasure.fromFlat(flat, 2, w);
        solver = SemiDiscreteNewton.withDefaults();
    }

    /** Newton from zero weights to convergence; returns \( W_2^2 \) (the dual value at the optimum). */
    @Benchmark
    public double newtonUniformSquare() {
        return solver.solveUniform(0, 1, 0, 1, target).objective();
    }
}
