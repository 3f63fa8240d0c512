package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.flowmatching.learned.GeneratorTrainingResult;
import org.measureflow.flowmatching.learned.LearningRateSchedule;
import org.measureflow.flowmatching.learned.SinkhornGeneratorTrainer;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
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
 * Training throughput of a generator fitted by the Sinkhorn divergence (survey &sect;4, Genevay et al. 2018):
 * 20 Adam steps of {@link SinkhornGeneratorTrainer} with batch 256 (256 generated and 256 data points per step),
 * latent \( N(0, I_2) \), data \( N((2, 1), [[0.5, 0.2], [0.2, 0.3]]) \), an MLP generator with 2 hidden layers of
 * width 64 or 256 (SiLU), learning rate \( 10^{-3} \) constant, no moving average. Divide 20 x 256 = 5,120
 * generated points by the time for pairs per second.
 *
 * <p>Two Sinkhorn settings, both at \( \varepsilon = 0.05 \) (absolute, squared Euclidean cost); each step solves the
 * cross term \( \mathrm{OT}_\varepsilon(x, y) \) (256 x 256 squared distances stored, stabilised kernel) and the two
 * self terms (log-domain, distances computed on the fly):
 * <ul>
 * <li>{@code default}: the trainer's default, each problem stopped at an L1 marginal error of \( 10^{-6} \), with
 *     adaptive over-relaxation and the kernel stored in single precision until the error reaches \( 10^{-5} \)
 *     (the iteration count varies with the batch);</li>
 * <li>{@code fixed50}: a setting another library can mirror exactly: no over-relaxation, no epsilon-scaling, double
 *     precision throughout, and exactly 50 iterations for each of the three problems (the tolerance
 *     \( 10^{-300} \) is never met): 50 alternating \( g \)-then-\( f \) log-sum-exp updates for the cross term,
 *     50 averaged symmetric updates \( f \leftarrow (f + T(f))/2 \) for each self term.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SinkhornGeneratorBenchmark {
    /** Width of the two hidden layers. */
    @Param({"64", "256"})
    public int width;

    /** The Sinkhorn setting of each step (see the class comment). */
    @Param({"default", "fixed50"})
    public String sinkhorn;

    private PointSampler latent;
    private PointSampler data;
    private SinkhornGeneratorTrainer trainer;

    /** Builds the samplers and the trainer of the benchmarked setting. */
    @Setup
    public void setUp() {
        latent = PointSampler.of(GaussianMeasure.standard(2));
        data = PointSampler.of(GaussianMeasure.of(new double[]{2, 1},
                new DMatrixRMaj(new double[][]{{0.5, 0.2}, {0.2, 0.3}})));
        SinkhornGeneratorTrainer base = SinkhornGeneratorTrainer.withDefaults().withSteps(20).withHiddenLayers(2)
                .withHiddenWidth(width).withBatchSize(256).withLearningRate(1e-3)
                .withSchedule(LearningRateSchedule.constant()).withEmaDecay(0);
        trainer = sinkhorn.equals("fixed50") ? base.withDivergence(SinkhornDivergence.of(SinkhornSolver.of(0.05)
                .withOverRelaxation(false).withEpsilonScaling(false).withMixedPrecision(false).withTolerance(1e-300)
                .withMaxIterations(50)))
                : base;
    }

    /** 20 steps of batch 256; returns the result (its Sinkhorn iteration count is in its toString). */
    @Benchmark
    public GeneratorTrainingResult train() {
        return trainer.train(latent, data, new SplittableRandom(0));
    }
}
