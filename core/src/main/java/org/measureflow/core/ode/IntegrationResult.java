package org.measureflow.core.ode;

/**
 * How an integration went. The state itself is updated in place in the caller's array.
 *
 * @param finalTime     time reached (the target time unless an observer stopped early)
 * @param steps         accepted steps
 * @param rejectedSteps steps rejected by the error control (always 0 for fixed-step methods)
 * @param evaluations   evaluations of the right-hand side (field evaluations)
 * @param stoppedEarly  whether a {@link StepObserver} stopped the integration before the target time
 */
public record IntegrationResult(double finalTime, int steps, int rejectedSteps, long evaluations,
                                boolean stoppedEarly) {
}
