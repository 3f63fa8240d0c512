package org.measureflow.core.ode;

/**
 * One accepted step of an integrator, from {@link #startTime()} to {@link #endTime()}, as seen by a
 * {@link StepObserver}. It is a view on the integrator's work arrays and is valid only during
 * {@link StepObserver#handleStep(Step)}: copy what must be kept.
 */
public interface Step {
    /** Number of this step, starting at 0. */
    long index();

    /** Time at the start of the step. */
    double startTime();

    /** Time at the end of the step. */
    double endTime();

    /** The state at {@link #endTime()}. A live view: read it, never write to it or keep it. */
    double[] state();

    /**
     * Dense output: writes an approximation of the solution at time {@code t} (between {@link #startTime()} and
     * {@link #endTime()}) into {@code out}, with the integrator's continuous extension (cubic Hermite for the
     * fixed-step methods, the fourth-order interpolant of {@link DormandPrince54}).
     */
    void interpolate(double t, double[] out);
}
