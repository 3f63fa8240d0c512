package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.field.EmpiricalFlowMatchingField;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.MlpVelocityField;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.sampling.FlowSampler;
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
 * Flow matching in 2-D (survey &sect;3): training throughput of the MLP field on the loss of eq. 8 (100 Adam steps
 * of 256 pairs, 2 or 3 hidden layers of width 64, SiLU; independent and minibatch exact-OT couplings; divide 25,600
 * pairs by the time for pairs per second), sampling throughput (10^4 latent points pushed by RK4 with 20 steps,
 * 80 evaluations each), and one evaluation of the exact empirical field (eq. 7) on all of 10^4 points with
 * 10^4 data points (10^8 softmax terms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class FlowMatchingBenchmark {
    /** Hidden layers of the MLP (width 64). */
    @Param({"2", "3"})
    public int layers;

    private PointSampler latent;
    private PointSampler data;
    private MlpVelocityField field;
    private ParticleMeasure points;
    private EmpiricalFlowMatchingField empirical;
    private ParticleMeasure empiricalPoints;

    /** Builds the samplers, a network of the benchmarked size, the latent points and the empirical field. */
    @Setup
    public void setUp() {
        latent = PointSampler.of(GaussianMeasure.standard(2));
        data = PointSampler.of(GaussianMeasure.of(new double[]{2, 1},
                new org.ejml.data.DMatrixRMaj(new double[][]{{0.5, 0.2}, {0.2, 0.3}})));
        int[] sizes = new int[layers + 2];
        sizes[0] = 3;
        for (int l = 1; l <= layers; l++) {
            sizes[l] = 64;
        }
        sizes[layers + 1] = 2;
        field = MlpVelocityField.of(Mlp.initialised(sizes, Activation.SILU, new SplittableRandom(1)),
                LinearInterpolant.instance());
        points = GaussianMeasure.standard(2).sample(10_000, new SplittableRandom(2));
        empirical = EmpiricalFlowMatchingField.of(GaussianMeasure.standard(2).sample(10_000,
                new SplittableRandom(3)));
        empiricalPoints = GaussianMeasure.standard(2).sample(10_000, new SplittableRandom(4));
    }

    /** 100 Adam steps of 256 independent pairs; returns the last loss. */
    @Benchmark
    public double trainIndependent() {
        return FlowMatchingTrainer.withDefaults().withSteps(100).withHiddenLayers(layers)
                .train(latent, data, new SplittableRandom(0)).lossHistory()[99];
    }

    /** 100 Adam steps of 256 minibatch-OT pairs (one 256 x 256 network simplex per step); returns the last loss. */
    @Benchmark
    public double trainExactOt() {
        return FlowMatchingTrainer.withDefaults().withSteps(100).withHiddenLayers(layers)
                .withCoupling(Coupling.exactOt()).train(latent, data, new SplittableRandom(0)).lossHistory()[99];
    }

    /** 10^4 latent points to t = 1 by RK4 with h = 0.05 (80 field evaluations per point). */
    @Benchmark
    public ParticleMeasure sample() {
        return FlowSampler.sample(field, points, RungeKutta4.of(0.05)).samples();
    }

    /** One evaluation of the empirical field at t = 0.5 on 10^4 points with 10^4 data points. */
    @Benchmark
    public double[] empiricalField() {
        double[] out = new double[empiricalPoints.size() * 2];
        empirical.onParticles().velocities(0.5, empiricalPoints.flatPoints(), empiricalPoints.size(), 2, null, out);
        return out;
    }
}
