package org.measureflow.core.iteration;

/** Why an iterative method stopped. */
public enum Termination {
    /** The error reached the tolerance: {@code error <= tolerance}. */
    CONVERGED(true, "converged"),
    /** The iteration limit was reached before the tolerance. */
    ITERATION_LIMIT(false, "NOT CONVERGED: iteration limit reached"),
    /** An {@link IterationObserver} asked to stop before the method was done. */
    STOPPED(false, "NOT CONVERGED: stopped by the observer"),
    /**
     * A method with a fixed budget and no tolerance (a trainer, a fixed-step scheme) ran all of its iterations; its
     * tolerance is {@code NaN}.
     */
    COMPLETED(true, "completed");

    private final boolean success;
    private final String phrase;

    Termination(boolean success, String phrase) {
        this.success = success;
        this.phrase = phrase;
    }

    /** Whether the method ended by its own stopping rule ({@link #CONVERGED} or {@link #COMPLETED}). */
    public boolean success() {
        return success;
    }

    /** A short phrase for summaries, e.g. {@code "NOT CONVERGED: iteration limit reached"}. */
    public String phrase() {
        return phrase;
    }
}
