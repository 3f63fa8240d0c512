package org.measureflow.flowmatching.learned;

/**
 * The outcome of {@link FlowMatchingTrainer#train}.
 *
 * @param field       the trained field \( v_\theta \)
 * @param lossHistory the minibatch loss of eq. 8 at each step (before that step's update)
 * @param samplesSeen pairs used in total (steps times batch size)
 * @param seconds     wall-clock training time
 */
public record TrainingResult(MlpVelocityField field, double[] lossHistory, long samplesSeen, double seconds) {
    /** Copies the loss history. */
    public TrainingResult {
        lossHistory = lossHistory.clone();
    }

    /** A copy of the loss history. */
    @Override
    public double[] lossHistory() {
        return lossHistory.clone();
    }

    /** Number of steps taken. */
    public int steps() {
        return lossHistory.length;
    }

    /** The mean of the last {@code k} minibatch losses (all of them if fewer), a less noisy final loss. */
    public double finalLoss(int k) {
        int from = Math.max(0, lossHistory.length - k);
        double s = 0;
        for (int i = from; i < lossHistory.length; i++) {
            s += lossHistory[i];
        }
        return s / Math.max(1, lossHistory.length - from);
    }
}
