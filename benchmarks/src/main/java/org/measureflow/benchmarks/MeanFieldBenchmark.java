package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.gradientflow.meanfield.RegressionData;
import org.measureflow.gradientflow.meanfield.Scaling;
import org.measureflow.gradientflow.meanfield.TwoLayerRisk;
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
 * One full-batch mean-field gradient evaluation of a two-layer network (survey eqs. 20&ndash;21): the velocities
 * \( -\nabla_\theta \frac{\delta R}{\delta\mu}(\theta_i) \) of \( N \in \{10^3, 10^4\} \) neurons on \( m = 10^4 \)
 * data points in \( d = 10 \) ({@link TwoLayerRisk#velocities}: outputs, then one pass per neuron, \( O(N m d) \)),
 * with ReLU and tanh activations. A gradient step adds one axpy on \( N(d+2) \) numbers to this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class MeanFieldBenchmark {
    /** Number of neurons. */
    @Param({"1000", "10000"})
    public int neurons;

    /** Activation. */
    @Param({"RELU", "TANH"})
    public Activation activation;

    private double[] theta;
    private double[] out;
    private TwoLayerRisk risk;

    /** Draws the data (standard Gaussian inputs, tanh of a random projection as targets) and the neurons. */
    @Setup
    public void setUp() {
        int m = 10_000;
        int d = 10;
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = new double[m * d];
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                x[k * d + c] = rng.nextGaussian();
                s += x[k * d + c] * (c % 3 - 1);
            }
            y[k] = Math.tanh(s);
        }
        risk = TwoLayerRisk.of(RegressionData.fromFlat(x, d, y), activation, Scaling.MEAN_FIELD);
        theta = new double[neurons * (d + 2)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextGaussian() / Math.sqrt(d);
        }
        out = new double[theta.length];
    }

    /** The velocities of all neurons (one full-batch gradient). */
    @Benchmark
    public double[] fullBatchGradient() {
        risk.velocities(theta, neurons, 12, null, out);
        return out;
    }
}
