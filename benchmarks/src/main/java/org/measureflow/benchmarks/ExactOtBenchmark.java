package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.exact.NetworkSimplex;
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
 * Exact optimal transport (survey eq. 10) by {@link NetworkSimplex} between \( n \) samples of
 * \( \mathcal{N}(0, I_2) \) and \( n \) samples of \( \mathcal{N}((1,1), \mathrm{diag}(2, 0.5)) \) with uniform
 * weights and the squared Euclidean cost, precomputed in the setup: the setting of POT's {@code ot.emd(a, b, M)}
 * (see {@code benchmarks/compare/exact_pot.py}). Also times the 1-D quantile formula ({@link OneDimensionalOt}) on
 * the first coordinates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ExactOtBenchmark {
    /** Number of atoms of each measure. */
    @Param({"1000", "4000"})
    public int n;

    private double[] a;
    private double[] b;
    private CostMatrix cost;
    private double[] x1;
    private double[] y1;
    private final NetworkSimplex solver = NetworkSimplex.withDefaults();

    /** Samples the two point clouds from fixed seeds and builds the cost matrix. */
    @Setup
    public void setUp() {
        GaussianMeasure mu = GaussianMeasure.standard(2);
        GaussianMeasure nu = GaussianMeasure.of(new double[] {1, 1}, new DMatrixRMaj(2, 2, true, 2, 0, 0, 0.5));
        ParticleMeasure x = mu.sample(n, new SplittableRandom(1));
        ParticleMeasure y = nu.sample(n, new SplittableRandom(2));
        cost = CostMatrix.squaredEuclidean(x, y);
        a = Histograms.uniform(n);
        b = Histograms.uniform(n);
        x1 = new double[n];
        y1 = new double[n];
        for (int i = 0; i < n; i++) {
            x1[i] = x.coordinate(i, 0);
            y1[i] = y.coordinate(i, 0);
        }
    }

    /** \( W_2^2 \) by the network simplex (plan, potentials and cost). */
    @Benchmark
    public double networkSimplex() {
        return solver.solve(a, b, cost).cost();
    }

    /** \( W_2^2 \) of the first coordinates by the 1-D quantile formula (sorting included). */
    @Benchmark
    public double quantileFormula1d() {
        return OneDimensionalOt.cost(x1, a, y1, b, 2);
    }
}
