package org.measureflow.core.iteration;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * How an iterative method ended: the iterations it ran, the error it tested against its tolerance at the end, that
 * tolerance, and why it stopped. Every iterative result holds one (see {@link IterativeResult}).
 *
 * <p>The error is always the quantity the method compares with its tolerance (the L1 marginal error of a scaling
 * method, the residual of a Newton or fixed-point method); a method with a fixed budget and no tolerance reports
 * {@link Termination#COMPLETED}, a {@code NaN} tolerance, and as error the last value it drives down (a training loss
 * or risk). Each result's documentation names its error.
 *
 * @param iterations  iterations done, {@code >= 0}
 * @param error       the error at the end ({@code NaN} if the method measured none)
 * @param tolerance   the tolerance the error was tested against ({@code NaN} for methods without one)
 * @param termination why the method stopped
 */
public record Convergence(long iterations, double error, double tolerance, Termination termination) {
    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code iterations < 0} or {@code termination} is null
     */
    public Convergence {
        Arguments.nonNegative("iterations", iterations);
        Arguments.notNull("termination", termination);
    }

    /**
     * The end of a method with a tolerance: {@link Termination#CONVERGED} if {@code error <= tolerance}, otherwise
     * {@link Termination#STOPPED} if the observer stopped it and {@link Termination#ITERATION_LIMIT} if not.
     *
     * @param iterations iterations done
     * @param error      the final error (a {@code NaN} never counts as converged)
     * @param tolerance  the tolerance
     * @param stopped    whether an {@link IterationObserver} asked to stop
     * @return the convergence record
     */
    public static Convergence tested(long iterations, double error, double tolerance, boolean stopped) {
        Termination t = error <= tolerance ? Termination.CONVERGED
                : stopped ? Termination.STOPPED : Termination.ITERATION_LIMIT;
        return new Convergence(iterations, error, tolerance, t);
    }

    /**
     * The end of a method with a fixed budget and no tolerance: {@link Termination#COMPLETED}, or
     * {@link Termination#STOPPED} if the observer stopped it early.
     *
     * @param iterations iterations done
     * @param error      the last value the method drives down (a loss or risk), or {@code NaN}
     * @param stopped    whether an {@link IterationObserver} asked to stop
     * @return the convergence record
     */
    public static Convergence completed(long iterations, double error, boolean stopped) {
        return new Convergence(iterations, error, Double.NaN, stopped ? Termination.STOPPED : Termination.COMPLETED);
    }

    /** Whether the method ended by its own stopping rule: {@link Termination#success()}. */
    public boolean converged() {
        return termination.success();
    }

    /**
     * One phrase, e.g. {@code converged in 37 iterations (error 4.1e-10 <= 1e-09)} or
     * {@code NOT CONVERGED: iteration limit reached after 10000 iterations (error 0.0013 > 1e-09)}.
     */
    @Override
    public String toString() {
        String count = iterations + (iterations == 1 ? " iteration" : " iterations");
        String errorText = TextSummary.brief(error);
        switch (termination) {
            case CONVERGED:
                return "converged in " + count + " (error " + errorText + " <= " + TextSummary.brief(tolerance) + ")";
            case COMPLETED:
                return "completed " + count + (Double.isNaN(error) ? "" : " (final " + errorText + ")");
            default:
                return termination.phrase() + " after " + count + " (error " + errorText
                        + (Double.isNaN(tolerance) ? "" : ", tolerance " + TextSummary.brief(tolerance)) + ")";
        }
    }
}
