package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.learned.Generator;
import org.measureflow.flowmatching.learned.GeneratorTrainingResult;
import org.measureflow.flowmatching.learned.LearningRateSchedule;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.SinkhornGeneratorTrainer;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * {@link SinkhornGeneratorTrainer} (issue 19): the affine generator recovers a Gaussian target, the schedule and the
 * moving average act as in {@link org.measureflow.flowmatching.learned.FlowMatchingTrainer}, runs repeat bit for bit,
 * observers stop them, and bad input is rejected by name.
 */
class SinkhornGeneratorTrainerTest {
    private static final GaussianMeasure LATENT = GaussianMeasure.standard(2);
    private static final double[] MEAN = {1, -0.5};
    private static final double[] COVARIANCE = {1, 0.6, 0.6, 0.8};
    private static final GaussianMeasure TARGET = GaussianMeasure.of(MEAN, new DMatrixRMaj(2, 2, true, COVARIANCE));

    /** A small MLP generator on a shifted Gaussian cloud: a few cheap steps. */
    private static SinkhornGeneratorTrainer tiny() {
        return SinkhornGeneratorTrainer.withDefaults().withHiddenLayers(1).withHiddenWidth(8).withBatchSize(16)
                .withSteps(20).withEmaDecay(0).withSchedule(LearningRateSchedule.constant())
                .withDivergence(SinkhornDivergence.of(SinkhornSolver.of(0.5)));
    }

    private static PointSampler data() {
        double[] flat = GaussianMeasure.standard(2).sample(64, new SplittableRandom(11)).flatPoints();
        for (int i = 0; i < flat.length; i += 2) {
            flat[i] += 2;
        }
        return PointSampler.of(ParticleMeasure.fromFlat(flat, 2));
    }

    /** The weights after {@code k} steps: the run stopped by its observer after step k (k = 0: the initial ones). */
    private static double[] weightsAfter(SinkhornGeneratorTrainer trainer, long k, long seed) {
        if (k == 0) {
            return Mlp.initialised(new int[]{2, 8, 2}, Activation.SILU, new SplittableRandom(seed)).parameters();
        }
        return trainer.train(LATENT, data(), new SplittableRandom(seed), s -> s.iteration() < k).generator()
                .network().parameters();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void affineGeneratorRecoversTheMeanAndCovarianceOfAGaussian(long seed) {
        int batch = 128;
        SinkhornGeneratorTrainer trainer = SinkhornGeneratorTrainer.withDefaults().withHiddenLayers(0).withSteps(400)
                .withBatchSize(batch).withLearningRate(0.02).withSchedule(LearningRateSchedule.warmupCosine(20, 0.01))
                .withEmaDecay(0.98);
        Generator generator = trainer.train(LATENT, TARGET, new SplittableRandom(seed)).generator();
        assertTrue(generator.affine());
        double[] a = generator.linearPart();
        double[] b = generator.offset();
        // the generated law is N(b, A A^T); A is identified only up to a rotation, A A^T and b are
        double[] aat = {a[0] * a[0] + a[1] * a[1], a[0] * a[2] + a[1] * a[3], a[2] * a[0] + a[3] * a[1],
                a[2] * a[2] + a[3] * a[3]};
        double largest = 1.36; // the largest eigenvalue of the target covariance, 0.9 + sqrt(0.01 + 0.36)
        // noise: the decayed rate and the average (window 50 steps) pool at least 20 batches, so the mean's error has a
        // standard deviation below sqrt(lambda_max / (20 B)) and a covariance entry's below lambda_max sqrt(2/(20 B));
        // 4 of them
        double meanTolerance = 4 * Math.sqrt(largest / (20.0 * batch));
        double covarianceNoise = 4 * largest * Math.sqrt(2 / (20.0 * batch));
        // bias: the expected minibatch divergence is minimised by a shrunk law, measured A A^T ~ (1 - c/B) Sigma with
        // c ~ 10 at eps = 0.05 for B = 64, 128, 256 (the debiased population divergence alone would vanish at Sigma)
        double covarianceBias = 12.0 / batch * largest;
        for (int k = 0; k < 2; k++) {
            assertEquals(MEAN[k], b[k], meanTolerance, "mean " + k);
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(COVARIANCE[k], aat[k], covarianceBias + covarianceNoise, "covariance entry " + k);
        }
    }

    @Test
    void theWarmUpScalesTheFirstStepByItsFactor() {
        // at Adam's first step every parameter moves by eta s_1 g / (|g| + 1e-8): the same gradient (same seed) for
        // both runs, so the warm-up's move is s_1 times the constant one up to the roundings of two updates
        SinkhornGeneratorTrainer constant = tiny().withLearningRate(1e-2);
        SinkhornGeneratorTrainer warm = constant.withSchedule(LearningRateSchedule.warmupCosine(4, 0));
        double[] start = weightsAfter(constant, 0, 5);
        double[] plain = weightsAfter(constant, 1, 5);
        double[] warmed = weightsAfter(warm, 1, 5);
        double s1 = 0.25;
        int moved = 0;
        for (int i = 0; i < start.length; i++) {
            double full = plain[i] - start[i];
            if (Math.abs(full) > 1e-6) {
                moved++;
                assertEquals(s1 * full, warmed[i] - start[i], 1e-12, "parameter " + i);
            }
        }
        assertTrue(moved > start.length / 2, "most parameters moved: " + moved + " of " + start.length);
    }

    @Test
    void movingAverageFollowsItsRecursion() {
        SinkhornGeneratorTrainer raw = tiny();
        int k = 4;
        double[][] theta = new double[k + 1][];
        for (int j = 0; j <= k; j++) {
            theta[j] = weightsAfter(raw, j, 3);
        }
        double beta = 0.7;
        // the bias-corrected recursion unrolled: avg_k = sum_{j=1..k} (1 - beta) beta^(k-j) theta_j / (1 - beta^k)
        double[] ema = new double[theta[0].length];
        for (int i = 0; i < ema.length; i++) {
            for (int j = 1; j <= k; j++) {
                ema[i] += (1 - beta) * Math.pow(beta, k - j) * theta[j][i] / (1 - Math.pow(beta, k));
            }
        }
        // the same sum in another order: a few roundings of weights of size ~1, hence 1e-14
        assertArrayEquals(ema, weightsAfter(raw.withEmaDecay(beta), k, 3), 1e-14);
        assertTrue(!java.util.Arrays.equals(ema, theta[k]), "the average is not the last iterate");
    }

    @Test
    void theSameSeedGivesTheSameBitsOnOneThreadOrMany() throws Exception {
        SinkhornGeneratorTrainer trainer = tiny().withBatchSize(64).withSteps(6);
        GeneratorTrainingResult first = trainer.train(LATENT, data(), new SplittableRandom(8));
        GeneratorTrainingResult pooled = ForkJoinPool.commonPool().submit(() ->
                trainer.train(LATENT, data(), new SplittableRandom(8))).get();
        GeneratorTrainingResult serial = trainer.withDivergence(SinkhornDivergence.of(SinkhornSolver.of(0.5)
                .withParallel(false))).train(LATENT, data(), new SplittableRandom(8));
        for (GeneratorTrainingResult other : new GeneratorTrainingResult[]{pooled, serial}) {
            assertArrayEquals(first.lossHistory(), other.lossHistory(), 0.0);
            assertArrayEquals(first.generator().network().parameters(), other.generator().network().parameters(), 0.0);
        }
        assertNotEquals(first.lossHistory()[5], trainer.train(LATENT, data(), new SplittableRandom(9))
                .lossHistory()[5], "another seed, other batches");
    }

    @Test
    void anObserverStopsTheRun() {
        GeneratorTrainingResult stopped = tiny().train(LATENT, data(), new SplittableRandom(2),
                s -> s.iteration() < 3);
        assertEquals(Termination.STOPPED, stopped.convergence().termination());
        assertEquals(3, stopped.steps());
        assertEquals(3 * 16, stopped.samplesSeen());
        GeneratorTrainingResult full = tiny().withSteps(3).train(LATENT, data(), new SplittableRandom(2));
        assertEquals(Termination.COMPLETED, full.convergence().termination());
        assertArrayEquals(full.lossHistory(), stopped.lossHistory(), 0.0);
        assertTrue(stopped.toString().startsWith("GeneratorTrainingResult[Generator[Mlp[2, 8, 2]"), stopped.toString());
    }

    @Test
    void theGeneratorSamplesAndPushes() {
        Generator generator = tiny().withSteps(2).train(LATENT, data(), new SplittableRandom(4)).generator();
        ParticleMeasure latent = LATENT.sample(5, new SplittableRandom(6));
        ParticleMeasure pushed = generator.push(latent);
        assertEquals(5, pushed.size());
        assertArrayEquals(generator.apply(latent.point(3)), pushed.point(3), 0.0);
        ParticleMeasure sampled = generator.sample(5, new SplittableRandom(6));
        assertArrayEquals(pushed.flatPoints(), sampled.flatPoints(), 0.0, "sample draws the latent points first");
        assertThrows(IllegalStateException.class, generator::linearPart, "an MLP generator is not affine");
    }

    @Test
    void badInputIsRejectedByName() {
        SinkhornGeneratorTrainer trainer = tiny();
        assertRejected("hiddenLayers", () -> trainer.withHiddenLayers(-1));
        assertRejected("steps", () -> trainer.withSteps(0));
        assertRejected("batchSize", () -> trainer.withBatchSize(0));
        assertRejected("learningRate", () -> trainer.withLearningRate(Double.POSITIVE_INFINITY));
        assertRejected("emaDecay", () -> trainer.withEmaDecay(1));
        assertRejected("divergence", () -> trainer.withDivergence(null));
        assertRejected("latent", () -> trainer.train(null, data(), new SplittableRandom(1)));
        assertRejected("rng", () -> trainer.train(LATENT, data(), null));
        assertRejected("schedule", () -> trainer.withSchedule(LearningRateSchedule.warmupCosine(20, 0))
                .train(LATENT, data(), new SplittableRandom(1)));
        assertRejected("data", () -> trainer.train(LATENT, PointSampler.of(ParticleMeasure.fromFlat(
                new double[]{1e160, 0, 0, 1}, 2)), new SplittableRandom(1)));
        assertRejected("network (input size)", () -> Generator.of(Mlp.initialised(new int[]{3, 2}, Activation.SILU,
                new SplittableRandom(1)), LATENT));
        Generator generator = trainer.withSteps(1).train(LATENT, data(), new SplittableRandom(1)).generator();
        assertRejected("latentPoints", () -> generator.push(ParticleMeasure.fromFlat(new double[]{1, 2, 3}, 3)));
        assertRejected("n", () -> generator.sample(0, new SplittableRandom(1)));
        assertRejected("z", () -> generator.apply(new double[]{Double.NaN, 0}));
        assertRejected("z", () -> generator.apply(new double[]{1, 2, 3}));
        assertRejected("z", () -> generator.apply(null));
    }

    @Test
    void aDivergingRunFailsWithAdvice() {
        // a learning rate of 1e200 throws the generated points beyond the solver's range at the second step
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tiny().withLearningRate(1e200)
                .withSteps(50).train(LATENT, data(), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void theDefaultScheduleFitsShortRuns() {
        // the default warm-up is a fraction of the run, so a 5-step run with the defaults trains (W = 1 step)
        assertEquals(5, SinkhornGeneratorTrainer.withDefaults().withSteps(5).withBatchSize(32)
                .train(LATENT, data(), new SplittableRandom(2)).steps());
    }
}
