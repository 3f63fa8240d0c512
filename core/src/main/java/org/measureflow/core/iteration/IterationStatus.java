package org.measureflow.core.iteration;

/**
 * What an iterative method reports to its {@link IterationObserver} after an iteration.
 *
 * @param iteration    iterations done so far, from 1
 * @param error        the method's current error (the quantity it compares with its tolerance; for trainers, the
 *                     loss of the step), or {@code NaN} when this iteration measured none
 * @param fractionDone the fraction of the whole run done, in [0, 1], or {@code NaN} when the method cannot tell
 *                     (a solver that stops at a tolerance)
 */
public record IterationStatus(long iteration, double error, double fractionDone) {
    /** One line, e.g. {@code IterationStatus[iteration=12, error=0.0031, fractionDone=NaN]}. */
    @Override
    public String toString() {
        return "IterationStatus[iteration=" + iteration + ", error=" + error + ", fractionDone=" + fractionDone + "]";
    }
}
