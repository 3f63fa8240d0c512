package org.measureflow.core.ode;

/**
 * The classical Runge&ndash;Kutta method of order 4, with fixed steps:
 * \( k_1 = F(t_k, y_k) \), \( k_2 = F(t_k + \tfrac h2, y_k + \tfrac h2 k_1) \),
 * \( k_3 = F(t_k + \tfrac h2, y_k + \tfrac h2 k_2) \), \( k_4 = F(t_k + h, y_k + h k_3) \),
 * \( y_{k+1} = y_k + \tfrac h6 (k_1 + 2 k_2 + 2 k_3 + k_4) \); four evaluations per step, global error
 * \( O(h^4) \). Applied to particles it solves the characteristics of the continuity equation (survey
 * eqs. 1&ndash;2).
 *
 * <p>The interval \( [t_0, t_1] \) (forward or backward) is cut into
 * \( N = \max(1, \lceil |t_1 - t_0| / \Delta - 10^{-9} \rceil) \) equal steps \( h = (t_1 - t_0)/N \), where
 * \( \Delta \) is the step given to {@link #of(double)}. Dense output ({@link Step#interpolate(double, double[])}) is the
 * cubic Hermite interpolant of the step's end values and derivatives (error \( O(h^4) \), the method's order); the
 * end derivative is evaluated only when asked for and then reused as the next step's first stage. Work arrays are
 * allocated once per call; large states (from about \( 2^{15} \) coordinates) are updated in parallel over fixed
 * chunks, with the same bits as serially. Immutable and thread-safe.
 */
public final class RungeKutta4 extends FixedStepIntegrator implements OdeIntegrator {
    private RungeKutta4(double step) {
        super(step);
    }

    /**
     * A classical Runge&ndash;Kutta integrator with step \( \Delta \).
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return the integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public static RungeKutta4 of(double step) {
        return new RungeKutta4(step);
    }

    /**
     * This integrator with another step.
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public RungeKutta4 withStep(double step) {
        return new RungeKutta4(step);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Costs \( 4N \) evaluations, plus one if dense output is asked for during the last step.
     */
    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1, StepObserver observer) {
        return integrateOde(system, t0, y, t1, observer, Stages::new);
    }

    /** The four stages of the classical method. */
    private static final class Stages extends ExplicitRun {
        private final double[] k2;
        private final double[] k3;
        private final double[] k4;
        private final double[] stage;

        Stages(OdeSystem system) {
            super(system);
            k2 = new double[dimension];
            k3 = new double[dimension];
            k4 = new double[dimension];
            stage = new double[dimension];
        }

        @Override
        void stages() {
            double half = 0.5 * h;
            combination.into(stage, start).plus(half, k1).apply();
            evaluate(startTime + half, stage, k2);
            combination.into(stage, start).plus(half, k2).apply();
            evaluate(startTime + half, stage, k3);
            combination.into(stage, start).plus(h, k3).apply();
            evaluate(endTime, stage, k4);           // the grid time itself: never past t1 by rounding
            double sixth = h / 6;
            double third = h / 3;
            combination.into(end, start).plus(sixth, k1).plus(third, k2).plus(third, k3).plus(sixth, k4).apply();
        }
    }
}
