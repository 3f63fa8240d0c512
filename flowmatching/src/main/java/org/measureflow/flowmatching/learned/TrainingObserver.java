package org.measureflow.flowmatching.learned;

import org.measureflow.core.iteration.IterationObserver;

/**
 * An {@link IterationObserver} of a {@link FlowMatchingTrainer} run that also sees the held-out curve: the trainer
 * calls {@link #observe} after every step with the minibatch loss (the loss curve) and, when the trainer has a
 * {@link HeldOutValidation}, {@link #observeHeldOut} after every evaluation with the held-out Sinkhorn divergence
 * (the held-out curve), just before that step's {@link #observe}. Any {@link IterationObserver} can be passed to
 * {@code train}; only one that implements this interface receives the held-out values (a combination made by
 * {@link IterationObserver#all} does not).
 */
public interface TrainingObserver extends IterationObserver {
    /**
     * A held-out evaluation is done.
     *
     * @param step       the step after which the weights were evaluated, from 1
     * @param divergence the held-out Sinkhorn divergence \( S_\varepsilon \) of those weights' samples
     * @param bestStep   the step of the lowest divergence so far (equal to {@code step} when this one improved)
     * @return {@code true} to go on, {@code false} to stop after this step (the result reports
     *         {@link org.measureflow.core.iteration.Termination#STOPPED}); the default goes on
     */
    default boolean observeHeldOut(long step, double divergence, long bestStep) {
        return true;
    }
}
