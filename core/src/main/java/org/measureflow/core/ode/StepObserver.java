package org.measureflow.core.ode;

import java.util.function.DoubleConsumer;

/**
 * Watches an integration step by step: trajectory recording ({@link TrajectoryRecorder}), progress reports, and
 * early stop (return {@code false} from {@link #handleStep(Step)}).
 */
@FunctionalInterface
public interface StepObserver {
    /** Called once before the first step with the initial state (read-only) and the target time. */
    default void init(double t0, double[] y0, double t1) {
    }

    /**
     * Called after each accepted step.
     *
     * @return {@code true} to go on, {@code false} to stop the integration after this step
     */
    boolean handleStep(Step step);

    /** Called once after the last step with the final time and state (read-only). */
    default void finish(double t, double[] y) {
    }

    /** An observer that watches nothing. */
    static StepObserver none() {
        return step -> true;
    }

    /**
     * An observer that reports the fraction of the time interval done, in [0, 1], after every step; for progress
     * bars.
     */
    static StepObserver progress(DoubleConsumer fractionDone) {
        return new StepObserver() {
            private double start;
            private double span;

            @Override
            public void init(double t0, double[] y0, double t1) {
                start = t0;
                span = t1 - t0;
                fractionDone.accept(0.0);
            }

            @Override
            public boolean handleStep(Step step) {
                fractionDone.accept(span == 0 ? 1.0 : Math.min(1.0, (step.endTime() - start) / span));
                return true;
            }
        };
    }

    /** All of the given observers, called in order; the integration stops as soon as one asks to. */
    static StepObserver all(StepObserver... observers) {
        StepObserver[] list = observers.clone();
        return new StepObserver() {
            @Override
            public void init(double t0, double[] y0, double t1) {
                for (StepObserver o : list) {
                    o.init(t0, y0, t1);
                }
            }

            @Override
            public boolean handleStep(Step step) {
                boolean go = true;
                for (StepObserver o : list) {
                    go &= o.handleStep(step);
                }
                return go;
            }

            @Override
            public void finish(double t, double[] y) {
                for (StepObserver o : list) {
                    o.finish(t, y);
                }
            }
        };
    }
}
