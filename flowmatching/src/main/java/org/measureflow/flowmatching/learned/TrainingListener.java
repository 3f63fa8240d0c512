package org.measureflow.flowmatching.learned;

/** Called after every training step, for progress bars and logging; runs on the training thread. */
@FunctionalInterface
public interface TrainingListener {
    /**
     * One step is done.
     *
     * @param step  steps done so far, from 1
     * @param steps total number of steps
     * @param loss  the minibatch loss of this step
     */
    void onStep(int step, int steps, double loss);

    /** A listener that does nothing. */
    static TrainingListener none() {
        return (step, steps, loss) -> {
        };
    }
}
