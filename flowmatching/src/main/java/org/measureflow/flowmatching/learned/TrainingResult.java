package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of {@link FlowMatchingTrainer#train}: a fixed budget of Adam steps on the loss of survey eq. 8, so the
 * convergence record says {@link org.measureflow.core.iteration.Termination#COMPLETED} (or {@code STOPPED} when an
 * observer stopped the run) with the steps done, a NaN tolerance, and as error the last minibatch loss.
 *
 * @param field       the trained field \( v_\theta \)
 * @param lossHistory the minibatch loss of eq. 8 at each step (before that step's update)
 * @param samplesSeen pairs used in total (steps done times batch size)
 * @param seconds     wall-clock training time
 * @param convergence the steps done and the last minibatch loss
 */
public record TrainingResult(MlpVelocityField field, double[] lossHistory, long samplesSeen, double seconds,
                             Convergence convergence) implements IterativeResult {
    /**
     * Copies the loss history.
     *
     * @throws IllegalArgumentException if an argument is null or the loss history is empty
     */
    public TrainingResult {
        Arguments.notNull("field", field);
        lossHistory = Arguments.nonEmpty("lossHistory", lossHistory).clone();
        Arguments.notNull("convergence", convergence);
    }

    /** @return a copy of the loss history, one entry per step */
    @Override
    public double[] lossHistory() {
        return lossHistory.clone();
    }

    /** @return the number of steps taken */
    public long steps() {
        return lossHistory.length;
    }

    /**
     * The mean of the last {@code k} minibatch losses (all of them if there are fewer): a less noisy final loss.
     *
     * @param k how many steps to average, {@code > 0}
     * @return the mean loss over the last {@code k} steps
     * @throws IllegalArgumentException if {@code k <= 0}
     */
    public double finalLoss(int k) {
        Arguments.positive("k", k);
        int from = Math.max(0, lossHistory.length - k);
        double s = 0;
        for (int i = from; i < lossHistory.length; i++) {
            s += lossHistory[i];
        }
        return s / (lossHistory.length - from);
    }

    /**
     * One line: {@code TrainingResult[MlpVelocityField[...], first loss=2.1, last loss=0.83, 512000 pairs in 3.2 s,
     * completed 2000 iterations (final 0.83)]}.
     */
    @Override
    public String toString() {
        return "TrainingResult[" + field + ", first loss=" + TextSummary.number(lossHistory[0]) + ", last loss="
                + TextSummary.number(lossHistory[lossHistory.length - 1]) + ", " + samplesSeen + " pairs in "
                + TextSummary.brief(seconds) + " s, " + convergence + "]";
    }
}
