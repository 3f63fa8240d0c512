package org.measureflow.gradientflow.meanfield;

import java.util.List;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * The outcome of {@link MeanFieldTrainer#train}.
 *
 * @param neurons   the neurons after training
 * @param times     the training times \( t = k h \) at which the full-batch risk was recorded
 * @param risks     the full-batch risk \( R(\mu_t) \) at those times
 * @param snapshots the neurons at those times when snapshots were asked for, else empty
 */
public record MeanFieldRun(ParticleMeasure neurons, double[] times, double[] risks, List<ParticleMeasure> snapshots) {
    /** Copies the arrays and the list. */
    public MeanFieldRun {
        times = times.clone();
        risks = risks.clone();
        snapshots = List.copyOf(snapshots);
    }

    /** A copy of the recorded times. */
    @Override
    public double[] times() {
        return times.clone();
    }

    /** A copy of the recorded risks. */
    @Override
    public double[] risks() {
        return risks.clone();
    }

    /** The last recorded risk. */
    public double finalRisk() {
        return risks[risks.length - 1];
    }
}
