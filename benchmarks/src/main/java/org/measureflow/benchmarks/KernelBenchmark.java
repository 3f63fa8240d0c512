package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.LogDomainGibbsKernel;
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
 * One application of the online log-domain Gibbs kernel on point clouds,
 * \( \mathrm{out}_i = \log\sum_j \exp((h_i + w_j - |x_i - y_j|^2)/\varepsilon) \) ({@link LogDomainGibbsKernel#rowLogSums}),
 * the inner step of point-cloud Sinkhorn, between the clouds of {@link SinkhornBenchmark} (\( n \) samples of
 * \( \mathcal N(0, I_2) \) and of \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \), seeds 1 and 2), at the log-weights
 * \( h = f + \varepsilon\log a \), \( w = g + \varepsilon\log b \) reached after 10 log-domain Sinkhorn iterations from
 * \( f = g = 0 \) (uniform weights). Divide the time by \( nm \) (and multiply by the cores used) for the cost per
 * kernel entry per core. {@link #mathExpReference} is the loop the kernel ran before {@code KernelExp}: the same
 * exponents, summed in the same order, through {@link Math#exp}, on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KernelBenchmark {
    /** Number of atoms of each cloud. */
    @Param({"4000"})
    public int n;

    /** The regularisation, absolute (cost units). */
    @Param({"0.1", "0.01"})
    public double eps;

    private LogDomainGibbsKernel serial;
    private LogDomainGibbsKernel parallel;
    private double[] xs;
    private double[] ys;
    private double[] h;
    private double[] w;
    private double[] out;

    /** Samples the clouds and runs 10 Sinkhorn iterations to realistic log-weights. */
    @Setup
    public void setUp() {
        ParticleMeasure x = WriteInstances.sample(n, true);
        ParticleMeasure y = WriteInstances.sample(n, false);
        xs = x.flatPoints();
        ys = y.flatPoints();
        serial = LogDomainGibbsKernel.of(x, y, false);
        parallel = LogDomainGibbsKernel.of(x, y, true);
        double logWeight = eps * Math.log(1.0 / n);
        double[] f = new double[n];
        double[] g = new double[n];
        h = new double[n];
        w = new double[n];
        out = new double[n];
        for (int it = 0; it < 10; it++) {
            for (int i = 0; i < n; i++) {
                h[i] = f[i] + logWeight;
                w[i] = g[i] + logWeight;
            }
            parallel.rowLogSums(h, w, eps, out);
            for (int i = 0; i < n; i++) {
                f[i] -= eps * out[i];
                h[i] = f[i] + logWeight;
            }
            parallel.colLogSums(h, w, eps, out);
            for (int j = 0; j < n; j++) {
                g[j] -= eps * out[j];
            }
        }
        for (int i = 0; i < n; i++) {
            h[i] = f[i] + logWeight;
            w[i] = g[i] + logWeight;
        }
    }

    /** The kernel on one thread; returns one log-sum (the output is consumed). */
    @Benchmark
    public double rowLogSumsSerial() {
        serial.rowLogSums(h, w, eps, out);
        return out[n / 2];
    }

    /** The kernel on the fork-join pool (same bits as serial). */
    @Benchmark
    public double rowLogSumsParallel() {
        parallel.rowLogSums(h, w, eps, out);
        return out[n / 2];
    }

    /**
     * The pre-{@code KernelExp} inner loop for \( d = 2 \), on one thread: the same exponents summed in the same order
     * through {@link Math#exp} (rows whose sum leaves \( [10^{-280}, 10^{280}] \) are not redone here).
     */
    @Benchmark
    public double mathExpReference() {
        double inv = 1.0 / eps;
        int m = ys.length / 2;
        for (int i = 0; i < n; i++) {
            double x0 = xs[2 * i];
            double x1 = xs[2 * i + 1];
            double hi = h[i];
            double s = 0;
            for (int j = 0; j < m; j++) {
                double d0 = x0 - ys[2 * j];
                double d1 = x1 - ys[2 * j + 1];
                s += Math.exp((hi + w[j] - (d0 * d0 + d1 * d1)) * inv);
            }
            out[i] = Math.log(s);
        }
        return out[n / 2];
    }
}
