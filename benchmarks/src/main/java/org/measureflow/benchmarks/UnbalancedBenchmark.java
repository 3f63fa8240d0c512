package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;
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
 * Unbalanced entropic OT (Chizat et al. 2018; \( \min_P \langle C,P\rangle + \varepsilon\mathrm{KL}(P|a\otimes b)
 * + \rho\mathrm{KL}(P\mathbf 1|a) + \rho\mathrm{KL}(P^\top\mathbf 1|b) \)) by {@link UnbalancedSinkhorn} on a dense
 * cost, to an L1 KKT residual of \( 10^{-6} \): the point clouds of {@link SinkhornBenchmark} ({@link
 * WriteInstances#sample}, \( n \) points each, 2-D), \( a \) uniform of mass 1, \( b \) uniform of mass 1.5,
 * \( C_{ij} = |x_i - y_j|^2 \), \( \varepsilon = 0.1 \), \( \rho = 1 \). Compare with
 * {@code benchmarks/compare/unbalanced_pot.py} (POT's {@code ot.unbalanced.sinkhorn_unbalanced} on the CSV files of
 * {@link WriteInstances}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class UnbalancedBenchmark {
    /** Number of atoms of each measure. */
    @Param({"1000", "4000"})
    public int n;

    private double[] a;
    private double[] b;
    private CostMatrix cost;
    private UnbalancedSinkhorn solver;

    /** Samples the clouds, builds the dense cost and the masses, configures the solver. */
    @Setup
    public void setUp() {
        ParticleMeasure x = WriteInstances.sample(n, true);
        ParticleMeasure y = WriteInstances.sample(n, false);
        cost = CostMatrix.squaredEuclidean(x, y);
        a = new double[n];
        b = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        java.util.Arrays.fill(b, 1.5 / n);
        solver = UnbalancedSinkhorn.of(0.1, 1.0).withTolerance(1e-6).withMaxIterations(100_000);
    }

    /** Dense cost, stored stabilised kernel; returns the objective. */
    @Benchmark
    public double dense() {
        return solver.solve(a, b, cost).objective();
    }
}
