package org.measureflow.core.ode;

import org.measureflow.core.TextSummary;

/**
 * How an integration went. The state itself is updated in place in the caller's array.
 *
 * @param finalTime     time reached (the target time unless an observer stopped early)
 * @param steps         accepted steps
 * @param rejectedSteps steps rejected by the error control (always 0 for fixed-step methods)
 * @param evaluations   evaluations of the right-hand side (field evaluations)
 * @param stoppedEarly  whether a {@link StepObserver} stopped the integration before the target time
 */
public record IntegrationResult(double finalTime, long steps, long rejectedSteps, long evaluations,
                                boolean stoppedEarly) {
    /** One line, e.g. {@code IntegrationResult[t=1.0, 100 steps (0 rejected), 400 evaluations]}. */
    @Override
    public String toString() {
        return "IntegrationResult[t=" + TextSummary.number(finalTime) + ", " + steps + " steps (" + rejectedSteps
                + " rejected), " + evaluations + " evaluations" + (stoppedEarly ? ", STOPPED EARLY by the observer" : "")
                + "]";
    }
}
