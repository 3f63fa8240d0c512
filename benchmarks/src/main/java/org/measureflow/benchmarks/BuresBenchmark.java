package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.gaussian.EntropicGaussianOt;
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
 * Closed-form Gaussian transport (survey Prop. 4.3): \( W_2^2 \) between two random {@code d}-dimensional Gaussians,
 * from {@link GaussianMeasure}s (Cholesky factors already held) and from raw covariance matrices (validation and
 * factorisation included, the setting of POT's {@code ot.gaussian.bures_wasserstein_distance}), plus the entropic
 * cost. The covariances are \( G G^\top / d + 0.1 I \) with a seeded standard normal \( G \), as in
 * {@code benchmarks/compare/bures_pot.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BuresBenchmark {
    /** Dimension. */
    @Param({"10", "50", "200"})
    public int d;

    private GaussianMeasure mu;
    private GaussianMeasure nu;
    private DMatrixRMaj s0;
    private DMatrixRMaj s1;

    /** Builds the two Gaussians from a fixed seed. */
    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(42);
        s0 = randomCovariance(rng, d);
        s1 = randomCovariance(rng, d);
        double[] m0 = new double[d];
        double[] m1 = new double[d];
        for (int i = 0; i < d; i++) {
            m0[i] = rng.nextGaussian();
            m1[i] = rng.nextGaussian();
        }
        mu = GaussianMeasure.of(m0, s0);
        nu = GaussianMeasure.of(m1, s1);
    }

    /** \( W_2^2(\mu, \nu) \) between prepared Gaussian measures. */
    @Benchmark
    public double w2Squared() {
        return BuresWasserstein.squaredDistance(mu, nu);
    }

    /** \( \mathcal{B}^2(\Sigma_0, \Sigma_1) \) from raw matrices, including SPD validation and Cholesky factorisation. */
    @Benchmark
    public double buresSquaredFromMatrices() {
        return BuresWasserstein.squaredBuresDistance(s0, s1);
    }

    /** \( \mathrm{OT}_\varepsilon(\mu, \nu) \) at \( \varepsilon = 1 \) (docs/closed-forms.md CF-14). */
    @Benchmark
    public double entropicCost() {
        return EntropicGaussianOt.objective(mu, nu, 1.0);
    }

    private static DMatrixRMaj randomCovariance(SplittableRandom rng, int d) {
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = rng.nextGaussian();
        }
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(g, g, s);
        CommonOps_DDRM.scale(1.0 / d, s);
        for (int i = 0; i < d; i++) {
            s.add(i, i, 0.1);
        }
        return s;
    }
}
