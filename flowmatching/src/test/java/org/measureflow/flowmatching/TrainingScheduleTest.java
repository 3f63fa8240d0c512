package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.HeldOutValidation;
import org.measureflow.flowmatching.learned.LearningRateSchedule;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.SnapshotTrainingResult;
import org.measureflow.flowmatching.learned.TrainingObserver;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * The learning-rate schedule, the moving average of the weights and held-out early stopping of
 * {@link FlowMatchingTrainer} (issue 19), on tiny problems.
 */
class TrainingScheduleTest {
    private static final GaussianMeasure LATENT = GaussianMeasure.standard(2);
    private static final int WIDTH = 8;
    private static final int[] SIZES = {3, WIDTH, 2};

    /** A small network with a constant rate of 1e-3 and no average, the reference the options are compared to. */
    private static FlowMatchingTrainer tiny() {
        return FlowMatchingTrainer.withDefaults().withHiddenLayers(1).withHiddenWidth(WIDTH).withBatchSize(16)
                .withLearningRate(1e-3).withSchedule(LearningRateSchedule.constant()).withEmaDecay(0);
    }

    private static PointSampler data() {
        return PointSampler.of(cloud(64, 11, 2.0));
    }

    private static ParticleMeasure cloud(int n, long seed, double shift) {
        double[] flat = GaussianMeasure.standard(2).sample(n, new SplittableRandom(seed)).flatPoints();
        for (int i = 0; i < flat.length; i += 2) {
            flat[i] += shift;
        }
        return ParticleMeasure.fromFlat(flat, 2);
    }

    /** The weights after {@code k} constant-rate steps: the run stopped by its observer after step k. */
    private static double[] weightsAfter(FlowMatchingTrainer trainer, long k, long seed) {
        if (k == 0) {
            return Mlp.initialised(SIZES, Activation.SILU, new SplittableRandom(seed)).parameters();
        }
        return trainer.train(LATENT, data(), new SplittableRandom(seed), s -> s.iteration() < k).field().network()
                .parameters();
    }

    @Test
    void scheduleFactorsFollowTheirFormulas() {
        LearningRateSchedule constant = LearningRateSchedule.constant();
        for (long k = 1; k <= 7; k++) {
            assertEquals(1.0, constant.factor(k, 7));
        }
        // warm-up k/W is one division; the cosine part has a handful of roundings, hence 1e-15
        LearningRateSchedule cosine = LearningRateSchedule.warmupCosine(10, 0.1);
        assertEquals(0.1, cosine.factor(1, 110), 1e-15);
        assertEquals(0.5, cosine.factor(5, 110), 1e-15);
        assertEquals(1.0, cosine.factor(10, 110), 1e-15);
        assertEquals(0.55, cosine.factor(60, 110), 1e-15, "half-way through the decay, cos(pi/2) = 0");
        assertEquals(0.1, cosine.factor(110, 110), 1e-15, "the final fraction at the last step");
        double previous = 1;
        for (long k = 11; k <= 110; k++) {
            double f = cosine.factor(k, 110);
            assertTrue(f < previous && f >= 0.1, "the cosine part decreases to 0.1: step " + k + " " + f);
            previous = f;
        }
        // a relative warm-up of 5% of 100 steps is W = 5 steps; then the same cosine as the absolute schedule
        LearningRateSchedule relative = LearningRateSchedule.relativeWarmupCosine(0.05, 0.1);
        LearningRateSchedule same = LearningRateSchedule.warmupCosine(5, 0.1);
        for (long k = 1; k <= 100; k++) {
            assertEquals(same.factor(k, 100), relative.factor(k, 100), "step " + k + " of 100");
        }
        assertEquals(0.2, relative.factor(1, 100), 1e-15);
        // W = ceil(0.05 * 21) = 2, and the warm-up is cut to T - 1 when the run is too short for it
        assertEquals(0.5, relative.factor(1, 21), 1e-15);
        assertEquals(0.5, LearningRateSchedule.relativeWarmupCosine(0.9, 0).factor(1, 3), 1e-15, "W = min(3, 2)");
        assertEquals(0.1, relative.factor(1, 1), "a one-step run has no warm-up and ends at f");
        LearningRateSchedule step = LearningRateSchedule.stepDecay(3, 0.5);
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25};
        for (int k = 1; k <= 7; k++) {
            assertEquals(expected[k - 1], step.factor(k, 7), "powers of 1/2 are exact");
        }
    }

    @Test
    void theTrainerTakesTheScheduledStepSize() {
        // at Adam's first step m^ = g and v^ = g^2, so every parameter moves by eta * s_1 * |g| / (|g| + 1e-8):
        // at most eta * s_1, and within 1e-3 of it for the parameters whose gradient exceeds 1e-5
        double eta = 1e-2;
        FlowMatchingTrainer trainer = tiny().withSteps(20).withLearningRate(eta)
                .withSchedule(LearningRateSchedule.warmupCosine(4, 0));
        double[] before = weightsAfter(trainer, 0, 5);
        double[] after = weightsAfter(trainer, 1, 5);
        double largest = 0;
        for (int i = 0; i < before.length; i++) {
            largest = Math.max(largest, Math.abs(after[i] - before[i]));
        }
        double s1 = 0.25;
        assertTrue(largest <= eta * s1 * (1 + 1e-12) && largest >= eta * s1 * (1 - 1e-3),
                "largest first move " + largest + " against eta s_1 = " + eta * s1);
        // a step decay leaves the first period's steps at the constant rate: same bits
        FlowMatchingTrainer decayed = tiny().withSteps(20).withSchedule(LearningRateSchedule.stepDecay(3, 0.5));
        assertArrayEquals(weightsAfter(tiny().withSteps(20), 3, 5), weightsAfter(decayed, 3, 5));
        assertTrue(!Arrays.equals(weightsAfter(tiny().withSteps(20), 4, 5), weightsAfter(decayed, 4, 5)),
                "step 4 takes half the step");
    }

    @Test
    void movingAverageFollowsItsRecursion() {
        FlowMatchingTrainer raw = tiny().withSteps(10);
        int k = 5;
        double[][] theta = new double[k + 1][];
        for (int j = 0; j <= k; j++) {
            theta[j] = weightsAfter(raw, j, 3);
        }
        double beta = 0.7;
        // the bias-corrected average as the weighted mean of theta_1..theta_k (weights beta^(k-j) (1 - beta) over
        // 1 - beta^k), computed directly rather than by the trainer's recursion
        double[] ema = new double[theta[0].length];
        double norm = 1 - Math.pow(beta, k);
        for (int j = 1; j <= k; j++) {
            double w = Math.pow(beta, k - j) * (1 - beta) / norm;
            for (int i = 0; i < ema.length; i++) {
                ema[i] += w * theta[j][i];
            }
        }
        double[] averaged = weightsAfter(raw.withEmaDecay(beta), k, 3);
        // two summation orders of k = 5 terms of weights up to 1 on weights ~0.5: a few roundings of 1e-16
        assertArrayEquals(ema, averaged, 1e-15);
        assertTrue(!Arrays.equals(averaged, theta[k]), "the average is not the last iterate");
        // decay 0 is off: the last iterate, bit for bit
        assertArrayEquals(theta[k], weightsAfter(raw.withEmaDecay(0), k, 3));
        // the first step's average is the first iterate whatever the decay (the initial weights get no weight)
        assertArrayEquals(theta[1], weightsAfter(raw.withEmaDecay(0.9), 1, 3));
        // a decay near 1 gives the plain mean of theta_1..theta_k: the weights differ from 1/k by about
        // k (1 - beta) = 5e-6 relative, on iterates that differ by ~5e-3, and 1 - beta^k carries ~1e-10 of rounding
        double[] mean = new double[ema.length];
        for (int j = 1; j <= k; j++) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += theta[j][i] / k;
            }
        }
        assertArrayEquals(mean, weightsAfter(raw.withEmaDecay(1 - 1e-6), k, 3), 1e-7);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndReturnsTheBestWeights() {
        ParticleMeasure heldOut = cloud(40, 12, 2.0);
        SinkhornDivergence divergence = SinkhornDivergence.of(SinkhornSolver.of(0.5).withTolerance(1e-9));
        long patience = 3;
        // a large rate (0.02 on a width-8 network) makes the held-out divergence fall, then wander: with seed 21 it
        // improves over the first three evaluations and then not for three, so the run ends at step 30 of 400
        FlowMatchingTrainer trainer = tiny().withSteps(400).withLearningRate(0.02)
                .withValidation(HeldOutValidation.of(heldOut, divergence).withEverySteps(5).withPatience(patience));
        TrainingResult result = trainer.train(LATENT, data(), new SplittableRandom(21));
        double[] curve = result.heldOutHistory();
        long[] at = result.heldOutSteps();
        assertTrue(result.steps() < 400, "stopped early: " + result);
        assertTrue(result.converged(), "early stopping is the trainer's own rule: " + result);
        // replay the rule on the curve: it stops at the first evaluation that is the patience-th without improvement
        double best = Double.POSITIVE_INFINITY;
        int bestIndex = -1;
        long since = 0;
        int stopIndex = -1;
        for (int e = 0; e < curve.length && stopIndex < 0; e++) {
            assertEquals(5L * (e + 1), at[e], "an evaluation every 5 steps");
            if (curve[e] < best) {
                best = curve[e];
                bestIndex = e;
                since = 0;
            } else if (++since == patience) {
                stopIndex = e;
            }
        }
        assertEquals(curve.length - 1, stopIndex, "stopped exactly when the rule says: " + Arrays.toString(curve));
        assertEquals(at[stopIndex], result.steps());
        assertEquals(at[bestIndex], result.bestStep());
        // the returned weights give the best divergence again: same start points (drawn right after the
        // initial weights), same integrator and solver, so the same bits
        SplittableRandom replay = new SplittableRandom(21);
        Mlp.initialised(SIZES, Activation.SILU, replay);
        ParticleMeasure start = LATENT.sample(heldOut.size(), replay);
        ParticleMeasure generated = trainer.validation().orElseThrow().integrator()
                .advect(start, result.field().onParticles(), 0, 1).measure();
        assertEquals(best, divergence.value(generated, heldOut));
    }

    @Test
    void sameSeedGivesTheSameBitsWithEveryOption() {
        ParticleMeasure heldOut = cloud(30, 13, 2.0);
        HeldOutValidation validation = HeldOutValidation.of(heldOut, SinkhornDivergence.of(SinkhornSolver.of(0.5)))
                .withEverySteps(10).withPatience(Long.MAX_VALUE);
        FlowMatchingTrainer[] trainers = {
            tiny().withSteps(40).withSchedule(LearningRateSchedule.warmupCosine(5, 0.1)),
            tiny().withSteps(40).withSchedule(LearningRateSchedule.stepDecay(10, 0.5)),
            tiny().withSteps(40).withEmaDecay(0.9),
            tiny().withSteps(40).withValidation(validation),
            tiny().withSteps(40).withSchedule(LearningRateSchedule.warmupCosine(5, 0.1)).withEmaDecay(0.9)
                    .withValidation(validation),
        };
        for (FlowMatchingTrainer trainer : trainers) {
            TrainingResult a = trainer.train(LATENT, data(), new SplittableRandom(8));
            TrainingResult b = trainer.train(LATENT, data(), new SplittableRandom(8));
            assertArrayEquals(a.lossHistory(), b.lossHistory(), trainer.toString());
            assertArrayEquals(a.field().network().parameters(), b.field().network().parameters(), trainer.toString());
            assertArrayEquals(a.heldOutHistory(), b.heldOutHistory(), trainer.toString());
            assertEquals(a.bestStep(), b.bestStep());
        }
        TrainingResult monitored = trainers[3].train(LATENT, data(), new SplittableRandom(8));
        assertArrayEquals(new long[]{10, 20, 30, 40}, monitored.heldOutSteps(), "never stops with patience MAX");
    }

    @Test
    void theObserverSeesBothCurves() {
        HeldOutValidation validation = HeldOutValidation.of(cloud(30, 13, 2.0), SinkhornDivergence.of(
                SinkhornSolver.of(0.5))).withEverySteps(4).withPatience(Long.MAX_VALUE);
        FlowMatchingTrainer trainer = tiny().withSteps(10).withValidation(validation);
        List<Double> losses = new ArrayList<>();
        List<Double> divergences = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        TrainingResult result = trainer.train(LATENT, data(), new SplittableRandom(6), new TrainingObserver() {
            @Override
            public boolean observe(IterationStatus status) {
                losses.add(status.error());
                return true;
            }

            @Override
            public boolean observeHeldOut(long step, double divergence, long bestStep) {
                steps.add(step);
                divergences.add(divergence);
                return true;
            }
        });
        assertArrayEquals(result.lossHistory(), losses.stream().mapToDouble(Double::doubleValue).toArray());
        assertArrayEquals(result.heldOutHistory(), divergences.stream().mapToDouble(Double::doubleValue).toArray());
        assertArrayEquals(new long[]{4, 8, 10}, steps.stream().mapToLong(Long::longValue).toArray(),
                "every 4 steps and after the last");
        // stopping from the held-out callback ends the run as STOPPED after that step
        TrainingResult stopped = trainer.train(LATENT, data(), new SplittableRandom(6), new TrainingObserver() {
            @Override
            public boolean observe(IterationStatus status) {
                return true;
            }

            @Override
            public boolean observeHeldOut(long step, double divergence, long bestStep) {
                return false;
            }
        });
        assertEquals(4, stopped.steps());
        assertEquals(Termination.STOPPED, stopped.convergence().termination());
    }

    @Test
    void multiSnapshotTrainingIsValidatedFromTheFirstSnapshot() {
        List<ParticleMeasure> snapshots = List.of(cloud(40, 1, 0), cloud(40, 2, 1), cloud(40, 3, 2));
        HeldOutValidation validation = HeldOutValidation.of(cloud(30, 4, 2), SinkhornDivergence.of(
                SinkhornSolver.of(0.5))).withEverySteps(5).withPatience(Long.MAX_VALUE);
        FlowMatchingTrainer trainer = tiny().withSteps(12).withEmaDecay(0.5).withValidation(validation);
        SnapshotTrainingResult a = trainer.train(new double[]{0, 1, 2}, snapshots, new SplittableRandom(9));
        SnapshotTrainingResult b = trainer.train(new double[]{0, 1, 2}, snapshots, new SplittableRandom(9));
        assertArrayEquals(new long[]{5, 10, 12}, a.training().heldOutSteps());
        assertArrayEquals(a.training().heldOutHistory(), b.training().heldOutHistory());
        assertArrayEquals(a.field().network().parameters(), b.field().network().parameters());
        double best = Arrays.stream(a.training().heldOutHistory()).min().orElseThrow();
        int bestIndex = 0;
        while (a.training().heldOutHistory()[bestIndex] != best) {
            bestIndex++;
        }
        assertEquals(a.training().heldOutSteps()[bestIndex], a.training().bestStep(), "the first minimum is kept");
    }

    @Test
    void defaultsAreTheTunedOptionsWithoutValidation() {
        FlowMatchingTrainer defaults = FlowMatchingTrainer.withDefaults();
        assertEquals(LearningRateSchedule.relativeWarmupCosine(0.05, 0.05), defaults.schedule());
        assertEquals(0.99, defaults.emaDecay());
        assertEquals(1e-2, defaults.learningRate());
        assertTrue(defaults.validation().isEmpty());
        TrainingResult result = tiny().withSteps(6).train(LATENT, data(), new SplittableRandom(4));
        assertEquals(0, result.heldOutHistory().length);
        assertEquals(6, result.bestStep());
        // the defaults' options are exactly the ones named: same bits when set explicitly on another trainer
        FlowMatchingTrainer small = FlowMatchingTrainer.withDefaults().withHiddenLayers(1).withHiddenWidth(WIDTH)
                .withBatchSize(16).withSteps(6);
        TrainingResult explicit = tiny().withSteps(6).withLearningRate(1e-2)
                .withSchedule(LearningRateSchedule.relativeWarmupCosine(0.05, 0.05)).withEmaDecay(0.99)
                .train(LATENT, data(), new SplittableRandom(4));
        assertArrayEquals(small.train(LATENT, data(), new SplittableRandom(4)).field().network().parameters(),
                explicit.field().network().parameters());
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        assertRejected("emaDecay", () -> tiny().withEmaDecay(-0.1));
        assertRejected("emaDecay", () -> tiny().withEmaDecay(1));
        assertRejected("emaDecay", () -> tiny().withEmaDecay(Double.NaN));
        assertRejected("schedule", () -> tiny().withSchedule(null));
        assertRejected("validation", () -> tiny().withValidation(null));
        assertRejected("warmupSteps", () -> LearningRateSchedule.warmupCosine(-1, 0.1));
        assertRejected("finalFraction", () -> LearningRateSchedule.warmupCosine(5, 1.5));
        assertRejected("warmupFraction", () -> LearningRateSchedule.relativeWarmupCosine(1, 0.1));
        assertRejected("warmupFraction", () -> LearningRateSchedule.relativeWarmupCosine(Double.NaN, 0.1));
        assertRejected("finalFraction", () -> LearningRateSchedule.relativeWarmupCosine(0.1, -0.5));
        assertRejected("everySteps", () -> LearningRateSchedule.stepDecay(0, 0.5));
        assertRejected("factor", () -> LearningRateSchedule.stepDecay(5, 0));
        assertRejected("step", () -> LearningRateSchedule.constant().factor(0, 5));
        assertRejected("step", () -> LearningRateSchedule.constant().factor(6, 5));
        assertRejected("schedule", () -> tiny().withSteps(5).withSchedule(LearningRateSchedule.warmupCosine(5, 0))
                .train(LATENT, data(), new SplittableRandom(1)));
        SinkhornDivergence divergence = SinkhornDivergence.of(SinkhornSolver.of(0.5));
        assertRejected("heldOut", () -> HeldOutValidation.of(null, divergence));
        assertRejected("divergence", () -> HeldOutValidation.of(cloud(5, 1, 0), null));
        assertRejected("everySteps", () -> HeldOutValidation.of(cloud(5, 1, 0), divergence).withEverySteps(0));
        assertRejected("patience", () -> HeldOutValidation.of(cloud(5, 1, 0), divergence).withPatience(0));
        assertRejected("integrator", () -> HeldOutValidation.of(cloud(5, 1, 0), divergence).withIntegrator(null));
        // 4 d max|x|^2 = 8e320 would overflow the divergence's squared distances
        assertRejected("heldOut", () -> HeldOutValidation.of(ParticleMeasure.fromFlat(new double[]{1e160, 0}, 2),
                divergence));
        ParticleMeasure threeD = ParticleMeasure.fromFlat(new double[]{0, 0, 0, 1, 1, 1}, 3);
        assertRejected("validation", () -> tiny().withSteps(2).withValidation(HeldOutValidation.of(threeD,
                divergence)).train(LATENT, data(), new SplittableRandom(1)));
    }
}
