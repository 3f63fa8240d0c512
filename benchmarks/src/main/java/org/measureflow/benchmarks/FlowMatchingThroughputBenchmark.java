package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.LearningRateSchedule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flow-matching training throughput in pairs per second (issue 19), the Java side of
 * {@code benchmarks/compare/training_torch.py}: {@link FlowMatchingTrainer} pinned to PyTorch's settings there (Adam
 * at a constant learning rate \( 10^{-3} \), no weight average, batch \( B = 256 \), linear interpolant, independent
 * coupling, loss of survey eq. 8; whatever the defaults become) with 2 hidden
 * SiLU layers of width 64 or 256 on the MLP \( (x_t, t) \in \mathbb R^3 \mapsto \mathbb R^2 \), latent N(0, I_2) and
 * data from a 2-D Gaussian. One invocation is a whole {@code train} call of 20 steps (network initialisation, batch
 * drawing, forward and backward passes, Adam updates), reported per pair: JMH's ops/s are pairs/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class FlowMatchingThroughputBenchmark {
    /** Adam steps per invocation. */
    static final int STEPS = 20;
    /** Pairs per step (the trainer's default batch). */
    static final int BATCH = 256;

    /** Width of each of the 2 hidden layers. */
    @Param({"64", "256"})
    public int width;

    private PointSampler latent;
    private PointSampler data;
    private FlowMatchingTrainer trainer;

    /** Builds the samplers and the trainer. */
    @Setup
    public void setUp() {
        latent = PointSampler.of(GaussianMeasure.standard(2));
        data = PointSampler.of(GaussianMeasure.of(new double[]{2, 1},
                new DMatrixRMaj(new double[][]{{0.5, 0.2}, {0.2, 0.3}})));
        trainer = FlowMatchingTrainer.withDefaults().withHiddenLayers(2).withHiddenWidth(width).withSteps(STEPS)
                .withBatchSize(BATCH).withLearningRate(1e-3).withSchedule(LearningRateSchedule.constant())
                .withEmaDecay(0);
    }

    /** {@value #STEPS} Adam steps of {@value #BATCH} independent pairs; returns the last loss. */
    @Benchmark
    @OperationsPerInvocation(STEPS * BATCH)
    public double trainIndependent() {
        return trainer.train(latent, data, new SplittableRandom(0)).lossHistory()[STEPS - 1];
    }
}
