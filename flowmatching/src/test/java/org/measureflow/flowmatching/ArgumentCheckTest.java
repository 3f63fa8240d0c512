package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.field.EmpiricalFlowMatchingField;
import org.measureflow.flowmatching.field.GaussianFlowMatchingField;
import org.measureflow.flowmatching.field.GaussianMixtureFlowMatchingField;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.LearningRateSchedule;
import org.measureflow.flowmatching.learned.SinkhornGeneratorTrainer;
import org.measureflow.testing.TestMatrices;

/** Bad input gets an IllegalArgumentException naming the argument; inputs are never modified. */
class ArgumentCheckTest {
    @Test
    void fieldsRejectBadInput() {
        GaussianMeasure g2 = GaussianMeasure.standard(2);
        GaussianMeasure g3 = GaussianMeasure.standard(3);
        assertRejected("target", () -> GaussianFlowMatchingField.of(g2, g3));
        assertRejected("source", () -> GaussianFlowMatchingField.of(null, g3));
        assertRejected("t", () -> GaussianFlowMatchingField.of(g2, g2).meanAt(1.5));
        assertRejected("t", () -> GaussianFlowMatchingField.of(g2, g2).flowMap(-0.1));
        assertRejected("weights", () -> GaussianMixtureFlowMatchingField.of(new double[]{1, -1},
                new GaussianMeasure[]{g2, g2}));
        assertRejected("weights", () -> GaussianMixtureFlowMatchingField.of(new double[]{1},
                new GaussianMeasure[]{g2, g2}));
        assertRejected("components", () -> GaussianMixtureFlowMatchingField.of(new double[0],
                new GaussianMeasure[0]));
        assertRejected("components[1]", () -> GaussianMixtureFlowMatchingField.of(new double[]{1, 1},
                new GaussianMeasure[]{g2, g3}));
        assertRejected("data", () -> EmpiricalFlowMatchingField.of(null));
        // |y|^2 = 2e320 overflows: the softmax of the field would be NaN everywhere
        assertRejected("data", () -> EmpiricalFlowMatchingField.of(ParticleMeasure.fromFlat(
                new double[]{1e160, 0, -1e160, 1}, 2)));
    }

    @Test
    void trainerRejectsBadOptionsAndMismatchedSamplers() {
        assertRejected("steps", () -> FlowMatchingTrainer.withDefaults().withSteps(0));
        assertRejected("batchSize", () -> FlowMatchingTrainer.withDefaults().withBatchSize(-1));
        assertRejected("learningRate", () -> FlowMatchingTrainer.withDefaults().withLearningRate(Double.NaN));
        assertRejected("data", () -> FlowMatchingTrainer.withDefaults().withSteps(1).train(
                GaussianMeasure.standard(2), GaussianMeasure.standard(3), new SplittableRandom(1)));
        assertRejected("rng", () -> FlowMatchingTrainer.withDefaults().withSteps(1).train(
                GaussianMeasure.standard(2), GaussianMeasure.standard(2), null));
    }

    @Test
    void generatorTrainerRejectsBadOptionsAndSamplers() {
        SinkhornGeneratorTrainer trainer = SinkhornGeneratorTrainer.withDefaults().withSteps(1).withBatchSize(8)
                .withSchedule(LearningRateSchedule.constant());
        assertRejected("hiddenWidth", () -> trainer.withHiddenWidth(0));
        assertRejected("activation", () -> trainer.withActivation(null));
        assertRejected("data", () -> trainer.train(GaussianMeasure.standard(2), null, new SplittableRandom(1)));
        assertRejected("observer", () -> trainer.train(GaussianMeasure.standard(2), GaussianMeasure.standard(2),
                new SplittableRandom(1), null));
        // a latent law whose draws reach 1e200: squared distances would overflow
        assertRejected("latent", () -> trainer.train(GaussianMeasure.of(new double[]{1e200, 0},
                TestMatrices.diag(1, 1)), GaussianMeasure.standard(2), new SplittableRandom(1)));
    }

    @Test
    void couplingsAndFieldsLeaveTheCallersArraysAlone() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] x0 = GaussianMeasure.standard(2).sample(20, rng).flatPoints();
        double[] x1 = GaussianMeasure.of(new double[]{3, 0}, TestMatrices.diag(1, 1)).sample(20, rng).flatPoints();
        double[] c0 = x0.clone();
        double[] c1 = x1.clone();
        Coupling.exactOt().pair(x0, x1, 20, 2, rng);
        Coupling.sinkhorn(SinkhornSolver.of(0.1)).pair(x0, x1, 20, 2, rng);
        assertArrayEquals(c0, x0, 0.0);
        assertArrayEquals(c1, x1, 0.0);
        EmpiricalFlowMatchingField field = EmpiricalFlowMatchingField.of(ParticleMeasure.fromFlat(x1, 2));
        double[] out = new double[2];
        field.velocity(0.5, x0, 4, out, 0);
        field.divergence(0.5, x0, 4);
        assertArrayEquals(c0, x0, 0.0);
    }
}
