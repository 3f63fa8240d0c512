package org.measureflow.core.ode;

/**
 * The explicit Euler method \( y_{k+1} = y_k + h F(t_k, y_k) \), of order 1, with fixed steps: one evaluation
 * per step, global error \( O(h) \). As the Lagrangian solver of the continuity equation (survey eqs. 1&ndash;2)
 * it moves each particle by \( h v_{t_k}(x_k) \).
 *
 * <p>The interval \( [t_0, t_1] \) (forward or backward) is cut into
 * \( N = \max(1, \lceil |t_1 - t_0| / \Delta - 10^{-9} \rceil) \) equal steps \( h = (t_1 - t_0)/N \), where
 * \( \Delta \) is the step given to {@link #of(double)}. Dense output ({@link Step#interpolate(double, double[])}) is the
 * cubic Hermite interpolant of the step's end values and derivatives; the end derivative is evaluated only when
 * asked for and then reused as the next step's first stage. Work arrays are allocated once per call; large states
 * (from about \( 2^{15} \) coordinates) are updated in parallel over fixed chunks, with the same bits as serially.
 * Immutable and thread-safe.
 */
public final class Euler extends FixedStepIntegrator implements OdeIntegrator {
    private Euler(double step) {
        super(step);
    }

    /**
     * An Euler integrator with step \( \Delta \).
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return the integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public static Euler of(double step) {
        return new Euler(step);
    }

    /**
     * This integrator with another step.
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public Euler withStep(double step) {
        return new Euler(step);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Costs \( N \) evaluations, plus one if dense output is asked for during the last step.
     */
    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1, StepObserver observer) {
        return integrateOde(system, t0, y, t1, observer, Stages::new);
    }

    /** \( y_{k+1} = y_k + h k_1 \). */
    private static final class Stages extends ExplicitRun {
        Stages(OdeSystem system) {
            super(system);
        }

        @Override
        void stages() {
            combination.into(end, start).plus(h, k1).apply();
        }
    }
}
