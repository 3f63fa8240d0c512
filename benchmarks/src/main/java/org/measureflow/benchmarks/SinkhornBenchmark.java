package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
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
 * Entropic OT (survey &sect;4, \( \min_P \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b) \)) by
 * {@link SinkhornSolver}, solved to an L1 marginal error of \( 10^{-6} \), between \( n \) samples of
 * \( \mathcal N(0, I_2) \) and \( n \) samples of \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \) (seeds 1 and 2,
 * {@link WriteInstances#sample}), uniform weights, squared Euclidean cost not normalised, \( \varepsilon \in \{0.1,
 * 0.01\} \) absolute. Two variants: a precomputed dense {@link CostMatrix} (stored stabilised kernel, the setting of
 * POT's {@code ot.sinkhorn(a, b, M, reg)}) and the point clouds (cost on the fly, log domain). Compare with
 * {@code benchmarks/compare/compare_pot.py}. The dense variant at {@code n = 16000} needs two {@code n x n} arrays
 * (4 GB): the fork gets {@code -Xmx10g}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx10g")
public class SinkhornBenchmark {
    /** Number of atoms of each measure. */
    @Param({"1000", "4000", "16000"})
    public int n;

    /** The regularisation, absolute (cost units). */
    @Param({"0.1", "0.01"})
    public double eps;

    private ParticleMeasure x;
    private ParticleMeasure y;
    private double[] a;
    private double[] b;
    private CostMatrix cost;
    private SinkhornSolver solver;

    /** Samples the clouds, builds the dense cost, configures the solver (tolerance 1e-6 on the L1 error). */
    @Setup
    public void setUp() {
        x = WriteInstances.sample(n, true);
        y = WriteInstances.sample(n, false);
        cost = CostMatrix.squaredEuclidean(x, y);
        a = Histograms.uniform(n);
        b = Histograms.uniform(n);
        solver = SinkhornSolver.of(eps).withTolerance(1e-6).withMaxIterations(100_000);
    }

    /** Dense cost matrix, stabilised kernel path; returns the entropic objective. */
    @Benchmark
    public double dense() {
        return solver.solve(a, b, cost).objective();
    }

    /** Point clouds, cost computed on the fly (log domain); returns the entropic objective. */
    @Benchmark
    public double pointCloud() {
        return solver.solve(x, y).objective();
    }
}
