package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.measure.ToyDistributions;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Flow matching with every option at its default reaches, on the tour's planar tasks, a held-out Sinkhorn divergence
 * within twice what a long run reaches. The long-run values were measured once (benchmarks/RESULTS.md, "Issue 19"):
 * 20,000 steps of 256 pairs, 3 hidden layers of 64, peak rate 3e-3 with a 500-step warm-up and cosine decay to 1%,
 * moving average 0.999, training seed 7, on the same data, held-out set and measure as here.
 */
class DefaultTrainingTest {
    /** Generated and held-out samples of the measure; two independent 3000-point moons samples are 0.006 apart. */
    private static final int SAMPLES = 3000;
    /** The measure: S_eps at eps = 0.05 (squared-distance units; the data span about 6), solved to 1e-6 in L1. */
    private static final SinkhornDivergence MEASURE = SinkhornDivergence.of(SinkhornSolver.of(0.05)
            .withTolerance(1e-6));
    /** Long-run S_eps, eight Gaussians to two moons. */
    private static final double LONG_RUN_EIGHT_GAUSSIANS = 0.0166;
    /** Long-run S_eps, N(0, I) to two moons. */
    private static final double LONG_RUN_GAUSSIAN = 0.0144;

    private static double defaultRun(PointSampler latent, long seed) {
        ParticleMeasure train = ToyDistributions.twoMoons().sample(20_000, new SplittableRandom(1));
        ParticleMeasure heldOut = ToyDistributions.twoMoons().sample(SAMPLES, new SplittableRandom(2));
        TrainingResult trained = FlowMatchingTrainer.withDefaults().train(latent, PointSampler.of(train),
                new SplittableRandom(seed));
        double[] latentPoints = new double[2 * SAMPLES];
        latent.sample(SAMPLES, new SplittableRandom(1000 + seed), latentPoints);
        ParticleMeasure start = ParticleMeasure.fromFlat(latentPoints, 2);
        ParticleMeasure generated = FlowSampler.sample(trained.field(), start, RungeKutta4.of(0.05)).samples();
        double value = MEASURE.value(generated, heldOut);
        System.out.printf("default flow matching from %s: S_eps %.4f after %d steps (%.1f s)%n", latent, value,
                trained.steps(), trained.seconds());
        return value;
    }

    @Test
    void eightGaussiansToMoonsWithDefaultsIsWithinTwiceTheLongRun() {
        // 2x the long run: the bound the defaults were chosen for (seeds 7, 8, 9 measured 1.45x, 1.57x, 1.04x)
        double value = defaultRun(ToyDistributions.eightGaussians(), 7);
        assertTrue(value <= 2 * LONG_RUN_EIGHT_GAUSSIANS, "S_eps " + value + " vs long run " + LONG_RUN_EIGHT_GAUSSIANS);
    }

    @Test
    void gaussianToMoonsWithDefaultsIsWithinTwiceTheLongRun() {
        // seeds 7, 8, 9 measured 1.14x, 0.85x, 1.10x the long run
        double value = defaultRun(GaussianMeasure.standard(2), 7);
        assertTrue(value <= 2 * LONG_RUN_GAUSSIAN, "S_eps " + value + " vs long run " + LONG_RUN_GAUSSIAN);
    }
}
