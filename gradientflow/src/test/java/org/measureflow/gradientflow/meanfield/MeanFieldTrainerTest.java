package org.measureflow.gradientflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;

/**
 * {@link MeanFieldTrainer} and {@link ResidualNetwork#train} in the API dialect: withers, the iteration observer,
 * the random generator argument, and the results' convergence records and one-line summaries.
 */
class MeanFieldTrainerTest {
    private static final RegressionData DATA = TwoLayerRiskTest.randomData(new SplittableRandom(9), 80, 2);
    private static final TwoLayerNetwork NET = TwoLayerNetwork.of(
            TwoLayerRiskTest.randomNeurons(new SplittableRandom(10), 30, 2, false), Activation.TANH,
            Scaling.MEAN_FIELD);

    @Test
    void withersChangeOneSettingAndLeaveTheOriginalAlone() {
        MeanFieldTrainer a = MeanFieldTrainer.of(0.1);
        MeanFieldTrainer b = a.withSteps(20).withBatchSize(8).withWeightDecay(0.01).withTemperature(1e-3)
                .withRecordEvery(5).withSnapshots(true).withStep(0.2);
        assertEquals(0.1, a.step());
        assertEquals(1000L, a.steps());
        assertEquals(0, a.batchSize());
        assertEquals(0.0, a.weightDecay());
        assertEquals(0.0, a.temperature());
        assertEquals(10L, a.recordEvery());
        assertFalse(a.snapshots());
        assertEquals(0.2, b.step());
        assertEquals(20L, b.steps());
        assertEquals(8, b.batchSize());
        assertEquals(0.01, b.weightDecay());
        assertEquals(1e-3, b.temperature());
        assertEquals(5L, b.recordEvery());
        assertTrue(b.snapshots());
        assertEquals("MeanFieldTrainer[step=0.1, steps=1000, batchSize=0, weightDecay=0.0, temperature=0.0, "
                + "recordEvery=10, snapshots=false]", a.toString());
    }

    @Test
    void theObserverSeesEveryStepWithTheRiskAndTheFractionDone() {
        MeanFieldTrainer trainer = MeanFieldTrainer.of(0.1).withSteps(12).withRecordEvery(4);
        List<IterationStatus> seen = new ArrayList<>();
        MeanFieldResult run = trainer.train(NET, DATA, new SplittableRandom(1), s -> seen.add(s));
        assertEquals(12, seen.size());
        double[] risks = run.risks();
        for (int k = 1; k <= 12; k++) {
            IterationStatus s = seen.get(k - 1);
            assertEquals(k, s.iteration());
            assertEquals(k / 12.0, s.fractionDone(), 0.0);
            if (k % 4 == 0) {
                assertEquals(risks[k / 4], s.error(), 0.0, "recorded steps report the recorded risk");
            }
        }
        // full batch: an unrecorded step reports the risk before it, the one recorded after the previous step
        assertEquals(risks[1], seen.get(4).error(), 0.0);
        assertEquals(Termination.COMPLETED, run.termination());
        assertTrue(run.converged());
        assertEquals(12, run.iterations());
        assertEquals(run.finalRisk(), run.error(), 0.0);
        assertTrue(Double.isNaN(run.tolerance()));
        assertTrue(run.toString().startsWith("MeanFieldResult[N=30, d+2=4, records=4, snapshots=0, initial risk="),
                run.toString());
        assertTrue(run.toString().endsWith("completed 12 iterations (final " + org.measureflow.core.TextSummary
                .brief(run.finalRisk()) + ")]"), run.toString());
        // the observer only reads: observed and unobserved runs agree
        assertArrayEquals(trainer.train(NET, DATA, new SplittableRandom(1)).neurons().flatPoints(),
                run.neurons().flatPoints(), 0.0);
    }

    @Test
    void stoppingRecordsTheFinalNeuronsAndSaysStopped() {
        MeanFieldTrainer trainer = MeanFieldTrainer.of(0.1).withSteps(12).withRecordEvery(4).withSnapshots(true);
        MeanFieldResult run = trainer.train(NET, DATA, new SplittableRandom(1), s -> s.iteration() < 6);
        assertEquals(Termination.STOPPED, run.termination());
        assertEquals(6, run.iterations());
        assertArrayEquals(new double[]{0, 0.4, 0.6000000000000001}, run.times(), 0.0);
        assertEquals(3, run.snapshots().size());
        assertEquals(TwoLayerNetwork.of(run.neurons(), Activation.TANH, Scaling.MEAN_FIELD).risk(DATA),
                run.finalRisk(), 0.0);
        assertTrue(run.toString().contains("NOT CONVERGED: stopped by the observer after 6 iterations"),
                run.toString());
    }

    @Test
    void theGeneratorArgumentDrivesMinibatchesAndNoise() {
        MeanFieldTrainer trainer = MeanFieldTrainer.of(0.1).withSteps(30).withBatchSize(16).withTemperature(1e-3);
        ParticleMeasure a = trainer.train(NET, DATA, new SplittableRandom(4)).neurons();
        ParticleMeasure b = trainer.train(NET, DATA, new SplittableRandom(4)).neurons();
        ParticleMeasure c = trainer.train(NET, DATA, new SplittableRandom(5)).neurons();
        assertArrayEquals(a.flatPoints(), b.flatPoints(), 0.0);
        assertFalse(java.util.Arrays.equals(a.flatPoints(), c.flatPoints()), "another state, another run");
    }

    @Test
    void residualNetworkTrainingReportsItsLossesAndStops() {
        SplittableRandom rng = new SplittableRandom(8);
        int d = 2;
        int m = 10;
        double[] z = new double[m * d];
        double[] y = new double[m * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextGaussian();
            y[i] = 0.5 * z[i];
        }
        double[] theta = new double[3 * ResidualNetwork.layerSize(d, 4)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.3 * rng.nextGaussian();
        }
        ResidualNetwork net = ResidualNetwork.of(d, 4, 3, Activation.TANH, theta);
        ResidualTrainingResult full = net.train(z, y, m, 0.05, 10);
        assertEquals(11, full.losses().length);
        assertEquals(Termination.COMPLETED, full.termination());
        assertEquals(full.finalLoss(), full.error(), 0.0);
        List<IterationStatus> seen = new ArrayList<>();
        ResidualTrainingResult stopped = net.train(z, y, m, 0.05, 10, s -> seen.add(s) && s.iteration() < 4);
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(4, stopped.iterations());
        assertEquals(5, stopped.losses().length);
        assertEquals(full.losses()[3], seen.get(3).error(), 0.0, "a step reports the loss it started from");
        assertEquals(full.losses()[4], stopped.finalLoss(), 0.0);
        assertTrue(stopped.toString().contains("NOT CONVERGED"), stopped.toString());
    }
}
