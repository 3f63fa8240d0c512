package org.measureflow.core.ode;

import org.measureflow.core.Arguments;

/** Validation shared by the integrators of this package, done once per call at the API boundary. */
final class OdeArguments {
    private OdeArguments() {
    }

    /**
     * Checks the arguments of {@link OdeIntegrator#integrate(OdeSystem, double, double[], double, StepObserver)}.
     *
     * @throws IllegalArgumentException naming the first argument that breaks its rule
     */
    static void check(OdeSystem system, double t0, double[] y, double t1, StepObserver observer) {
        Arguments.notNull("system", system);
        Arguments.finite("t0", t0);
        Arguments.finite("t1", t1);
        Arguments.notNull("y", y);
        Arguments.length("y", y.length, system.dimension());
        Arguments.finite("y", y);
        Arguments.notNull("observer", observer);
    }

    /** Checks the arguments of {@link Step#interpolate(double, double[])}. */
    static void checkInterpolation(double t, double[] out, int dimension) {
        Arguments.finite("t", t);
        Arguments.notNull("out", out);
        Arguments.length("out", out.length, dimension);
    }

    /**
     * Throws if the final state holds a non-finite value: an explicit method applied with too large a step to a
     * stiff or blowing-up problem overflows, and that must not pass silently as a result.
     */
    static void checkFiniteResult(String method, double[] y, double t0, double t) {
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new IllegalStateException(method + ": the state became non-finite (y[" + i + "] = " + y[i]
                        + ") while integrating from t = " + t0 + " to t = " + t
                        + "; the step is probably too large for this problem (stiffness or blow-up)");
            }
        }
    }
}
