package org.measureflow.core.iteration;

import java.util.function.DoubleConsumer;

import org.measureflow.core.Arguments;

/**
 * Watches an iterative solver or trainer: called on the running thread after every iteration with an
 * {@link IterationStatus}; returning {@code false} stops the run after that iteration (its result then reports
 * {@link Termination#STOPPED}). One observer type serves every iterative method of the library; progress bars,
 * logs and time limits are written once against it. Observers only read: the result of a run does not depend on
 * whether it was observed.
 */
@FunctionalInterface
public interface IterationObserver {
    /**
     * One iteration is done.
     *
     * @param status the iteration count, the current error and the fraction done
     * @return {@code true} to go on, {@code false} to stop after this iteration
     */
    boolean observe(IterationStatus status);

    /** An observer that watches nothing and never stops a run. */
    static IterationObserver none() {
        return status -> true;
    }

    /**
     * An observer that reports the fraction done after each iteration (skipping iterations where it is unknown),
     * for progress bars; it never stops a run.
     *
     * @param fractionDone receives values in [0, 1]
     * @return the observer
     * @throws IllegalArgumentException if {@code fractionDone} is null
     */
    static IterationObserver progress(DoubleConsumer fractionDone) {
        Arguments.notNull("fractionDone", fractionDone);
        return status -> {
            if (!Double.isNaN(status.fractionDone())) {
                fractionDone.accept(status.fractionDone());
            }
            return true;
        };
    }

    /**
     * All of the given observers, called in order; the run stops as soon as one of them asks to (every observer
     * still sees that iteration).
     *
     * @param observers the observers
     * @return the combined observer
     * @throws IllegalArgumentException if the array or one of its elements is null
     */
    static IterationObserver all(IterationObserver... observers) {
        Arguments.notNull("observers", observers);
        IterationObserver[] list = observers.clone();
        for (int i = 0; i < list.length; i++) {
            Arguments.notNull("observers[" + i + "]", list[i]);
        }
        return status -> {
            boolean go = true;
            for (IterationObserver o : list) {
                go &= o.observe(status);
            }
            return go;
        };
    }
}
