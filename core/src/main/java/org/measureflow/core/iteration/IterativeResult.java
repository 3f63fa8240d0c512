package org.measureflow.core.iteration;

/**
 * The view that every result of an iterative method shares: how many iterations it ran, whether it converged, and
 * the error it tested against its tolerance. A result record implements it by having a component
 * {@code Convergence convergence}; the other methods follow from it.
 */
public interface IterativeResult {
    /** How the method ended. */
    Convergence convergence();

    /** Iterations done ({@link Convergence#iterations()}). */
    default long iterations() {
        return convergence().iterations();
    }

    /** Whether the method ended by its own stopping rule ({@link Convergence#converged()}). */
    default boolean converged() {
        return convergence().converged();
    }

    /** The error tested against the tolerance at the end ({@link Convergence#error()}). */
    default double error() {
        return convergence().error();
    }

    /** The tolerance ({@link Convergence#tolerance()}; {@code NaN} for methods without one). */
    default double tolerance() {
        return convergence().tolerance();
    }

    /** Why the method stopped ({@link Convergence#termination()}). */
    default Termination termination() {
        return convergence().termination();
    }
}
