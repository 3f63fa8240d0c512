package org.measureflow.core.ode;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The settings of an adaptive integrator, validated once: the error norm's tolerances, the first and largest step,
 * and the runaway guard.
 *
 * @param relativeTolerance rtol, finite and {@code > 0}
 * @param absoluteTolerance atol, finite and {@code > 0}
 * @param initialStep       first attempted step, finite and {@code > 0}, or {@code 0} for the automatic choice
 * @param maxStep           largest step, {@code > 0} (may be {@code +Infinity})
 * @param maxEvaluations    most evaluations per integration, {@code > 0}
 */
record AdaptiveStepSettings(double relativeTolerance, double absoluteTolerance, double initialStep, double maxStep,
                            long maxEvaluations) {
    /** rtol \( 10^{-6} \), atol \( 10^{-9} \), automatic first step, unbounded step, \( 10^7 \) evaluations. */
    static final AdaptiveStepSettings DEFAULTS = new AdaptiveStepSettings(1e-6, 1e-9, 0.0, Double.POSITIVE_INFINITY,
            10_000_000L);

    AdaptiveStepSettings {
        Arguments.positive("relativeTolerance", relativeTolerance);
        Arguments.positive("absoluteTolerance", absoluteTolerance);
        Arguments.nonNegative("initialStep", initialStep);
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("maxStep must be > 0 (or +Infinity), got " + maxStep);
        }
        Arguments.positive("maxEvaluations", maxEvaluations);
    }

    @Override
    public String toString() {
        return "relativeTolerance=" + TextSummary.brief(relativeTolerance) + ", absoluteTolerance="
                + TextSummary.brief(absoluteTolerance) + ", initialStep="
                + (initialStep == 0 ? "automatic" : TextSummary.number(initialStep)) + ", maxStep="
                + TextSummary.number(maxStep) + ", maxEvaluations=" + maxEvaluations;
    }
}
