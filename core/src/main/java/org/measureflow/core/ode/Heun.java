package org.measureflow.core.ode;

/**
 * Heun's method (the explicit trapezoidal rule), of order 2, with fixed steps:
 * \( k_1 = F(t_k, y_k) \), \( k_2 = F(t_k + h, y_k + h k_1) \), \( y_{k+1} = y_k + \tfrac h2 (k_1 + k_2) \); two
 * evaluations per step, global error \( O(h^2) \). Applied to particles it solves the characteristics of the
 * continuity equation (survey eqs. 1&ndash;2).
 *
 * <p>The interval \( [t_0, t_1] \) (forward or backward) is cut into
 * \( N = \max(1, \lceil |t_1 - t_0| / \Delta - 10^{-9} \rceil) \) equal steps \( h = (t_1 - t_0)/N \), where
 * \( \Delta \) is the step given to {@link #of(double)}. Dense output ({@link Step#interpolate(double, double[])}) is the
 * cubic Hermite interpolant of the step's end values and derivatives; the end derivative is evaluated only when
 * asked for and then reused as the next step's first stage. Work arrays are allocated once per call; large states
 * (from about \( 2^{15} \) coordinates) are updated in parallel over fixed chunks, with the same bits as serially.
 * Immutable and thread-safe.
 */
public final class Heun extends FixedStepIntegrator implements OdeIntegrator {
    private Heun(double step) {
        super(step);
    }

    /**
     * A Heun integrator with step \( \Delta \).
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return the integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public static Heun of(double step) {
        return new Heun(step);
    }

    /**
     * This integrator with another step.
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public Heun withStep(double step) {
        return new Heun(step);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Costs \( 2N \) evaluations, plus one if dense output is asked for during the last step.
     */
    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1, StepObserver observer) {
        return integrateOde(system, t0, y, t1, observer, Stages::new);
    }

    /** The two stages of the explicit trapezoidal rule. */
    private static final class Stages extends ExplicitRun {
        private final double[] k2;
        private final double[] stage;

        Stages(OdeSystem system) {
            super(system);
            k2 = new double[dimension];
            stage = new double[dimension];
        }

        @Override
        void stages() {
            combination.into(stage, start).plus(h, k1).apply();
            evaluate(endTime, stage, k2);           // the grid time itself: never past t1 by rounding
            combination.into(end, start).plus(0.5 * h, k1).plus(0.5 * h, k2).apply();
        }
    }
}
