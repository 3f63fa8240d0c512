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
 * <p>Which weights {@link #field()} holds: without held-out validation, the weights after the last step done (the
 * raw Adam iterate, or its exponential moving average when {@link FlowMatchingTrainer#emaDecay()} is positive);
 * with a {@link HeldOutValidation}, those (raw or averaged) weights at the evaluation of lowest held-out Sinkhorn
 * divergence, taken at step {@link #bestStep()}. When early stopping ended the run, the convergence record still
 * says {@code COMPLETED} (the trainer's own stopping rule) with the steps done, fewer than the budget.
 *
 * @param field          the trained field \( v_\theta \) (see above for which weights)
 * @param lossHistory    the minibatch loss of eq. 8 at each step (before that step's update)
 * @param heldOutSteps   the steps after which the held-out divergence was measured (empty without validation)
 * @param heldOutHistory the held-out Sinkhorn divergence at those steps (as many entries)
 * @param bestStep       the step whose weights {@link #field()} holds (the steps done without validation)
 * @param samplesSeen    pairs used in total (steps done times batch size)
 * @param seconds        wall-clock training time
 * @param convergence    the steps done and the last minibatch loss
 */
public record TrainingResult(MlpVelocityField field, double[] lossHistory, long[] heldOutSteps,
                             double[] heldOutHistory, long bestStep, long samplesSeen, double seconds,
                             Convergence convergence) implements IterativeResult {
    /**
     * Copies the arrays.
     *
     * @throws IllegalArgumentException if an argument is null, the loss history is empty, the held-out arrays differ
     *                                  in length, or {@code bestStep} is not between 0 and the number of losses
     */
    public TrainingResult {
        Arguments.notNull("field", field);
        lossHistory = Arguments.nonEmpty("lossHistory", lossHistory).clone();
        heldOutSteps = Arguments.notNull("heldOutSteps", heldOutSteps).clone();
        heldOutHistory = Arguments.notNull("heldOutHistory", heldOutHistory).clone();
        Arguments.length("heldOutHistory", heldOutHistory.length, heldOutSteps.length);
        Arguments.nonNegative("bestStep", bestStep);
        Arguments.atMost("bestStep", bestStep, (long) lossHistory.length);
        Arguments.notNull("convergence", convergence);
    }

    /**
     * A result without held-out validation: empty held-out curve, the weights of the last step done.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public TrainingResult(MlpVelocityField field, double[] lossHistory, long samplesSeen, double seconds,
                          Convergence convergence) {
        this(field, lossHistory, new long[0], new double[0], lossHistory == null ? 0 : lossHistory.length,
                samplesSeen, seconds, convergence);
    }

    /** @return a copy of the steps at which the held-out divergence was measured */
    @Override
    public long[] heldOutSteps() {
        return heldOutSteps.clone();
    }

    /** @return a copy of the held-out Sinkhorn divergences, one per evaluation */
    @Override
    public double[] heldOutHistory() {
        return heldOutHistory.clone();
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
                + TextSummary.brief(seconds) + " s, " + (heldOutHistory.length == 0 ? "" : "held-out "
                + TextSummary.array(heldOutHistory) + ", best at step " + bestStep + ", ") + convergence + "]";
    }
}
