package org.measureflow.core.ode;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;

/**
 * The Euler&ndash;Maruyama scheme for the It&ocirc; SDE \( dX_t = b(t, X_t)\,dt + \sigma(t, X_t)\,dW_t \) on a
 * flat state \( X \in \mathbb{R}^N \):
 * \( X_{k+1} = X_k + h\, b(t_k, X_k) + \sigma(t_k, X_k)\,\Delta W_k \), with independent
 * \( \Delta W_k \sim \mathcal N(0, h I_N) \). Both the drift and the noise are evaluated at the step's start
 * state (It&ocirc;). The scheme has strong order 1/2 and weak order 1: expectations of smooth functions are off by
 * \( O(h) \). For particles (each particle one block of coordinates) this simulates the Langevin dynamics whose law
 * solves a Fokker&ndash;Planck equation, e.g. the Ornstein&ndash;Uhlenbeck process
 * \( dX = -B X\,dt + \sqrt 2\,dW \) whose stationary covariance solves \( B S + S B^\top = 2 I \).
 *
 * <p>Time runs forward only: \( [t_0, t_1] \) with \( t_1 \ge t_0 \) is cut into
 * \( N = \max(1, \lceil (t_1 - t_0) / \Delta - 10^{-9} \rceil) \) equal steps \( h = (t_1 - t_0)/N \) (no step if
 * \( t_1 = t_0 \)). At each step the \( N \) normals are drawn serially from the caller's generator, coordinate 0
 * first, so the same seed gives the same bits, whatever the diffusion (runs with different diffusions share their
 * Brownian path). Dense output ({@link Step#interpolate(double, double[])}) is the linear interpolation
 * \( X_k + \theta (X_{k+1} - X_k) \), \( \theta = (t - t_k)/h \): a Brownian path has no better interpolant
 * without extra randomness. Work arrays are allocated once per call; the vector update of large states (from about
 * \( 2^{15} \) coordinates) runs over fixed chunks in parallel, with the same bits as serially. Immutable and
 * thread-safe (the generator is the caller's).
 */
public final class EulerMaruyama extends FixedStepIntegrator {
    private EulerMaruyama(double step) {
        super(step);
    }

    /**
     * An Euler&ndash;Maruyama integrator with step \( \Delta \).
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return the integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public static EulerMaruyama of(double step) {
        return new EulerMaruyama(step);
    }

    /**
     * This integrator with another step.
     *
     * @param step the largest step \( \Delta \), finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public EulerMaruyama withStep(double step) {
        return new EulerMaruyama(step);
    }

    /**
     * Simulates one path of the SDE from \( X_{t_0} = y \) to \( t_1 \), overwriting {@code y} with
     * \( X_{t_1} \).
     *
     * @param drift     the drift \( b(t, x) \) as an ODE right-hand side (for particles, see
     *                  {@link org.measureflow.core.field.ParticleField#system(int, int, double[])})
     * @param diffusion the noise term \( \sigma(t, x)\,\Delta W \)
     * @param t0        initial time
     * @param y         initial state on entry, final state on exit (length {@code drift.dimension()})
     * @param t1        final time, {@code >= t0}
     * @param rng       the source of the Brownian increments
     * @param observer  watches the steps and may stop early
     * @return the counts; {@code evaluations} counts drift evaluations (one per step)
     * @throws IllegalArgumentException on a null argument, a state of the wrong length or with non-finite entries,
     *                                  non-finite times, or {@code t1 < t0}
     * @throws IllegalStateException    if the state overflows
     */
    public IntegrationResult integrate(OdeSystem drift, Diffusion diffusion, double t0, double[] y, double t1,
                                       RandomGenerator rng, StepObserver observer) {
        OdeArguments.check(drift, t0, y, t1, observer);
        Arguments.notNull("diffusion", diffusion);
        Arguments.notNull("rng", rng);
        if (t1 < t0) {
            throw new IllegalArgumentException("t1 must be >= t0 (Euler-Maruyama runs forward in time), got t0 = "
                    + t0 + ", t1 = " + t1);
        }
        return run(new Path(drift, diffusion, rng), t0, y, t1, observer);
    }

    /**
     * {@link #integrate(OdeSystem, Diffusion, double, double[], double, RandomGenerator, StepObserver)} without an
     * observer.
     */
    public IntegrationResult integrate(OdeSystem drift, Diffusion diffusion, double t0, double[] y, double t1,
                                       RandomGenerator rng) {
        return integrate(drift, diffusion, t0, y, t1, rng, StepObserver.none());
    }

    /** One Euler&ndash;Maruyama step per call of {@link #advance()}. */
    private static final class Path extends Run {
        private final OdeSystem drift;
        private final Diffusion diffusion;
        private final RandomGenerator rng;
        private final double[] b;
        private final double[] dw;
        private final double[] noise;

        Path(OdeSystem drift, Diffusion diffusion, RandomGenerator rng) {
            super(drift.dimension());
            this.drift = drift;
            this.diffusion = diffusion;
            this.rng = rng;
            this.b = new double[dimension];
            this.dw = new double[dimension];
            this.noise = new double[dimension];
        }

        @Override
        void advance() {
            drift.derivative(startTime, start, b);
            evaluations++;
            double sd = Math.sqrt(h);
            for (int i = 0; i < dimension; i++) {
                dw[i] = sd * rng.nextGaussian();
            }
            diffusion.increment(startTime, start, dw, noise);
            combination.into(end, start).plus(h, b).plus(1.0, noise).apply();
        }

        @Override
        void denseOutput(double t, double[] out) {
            double theta = (t - startTime) / h;
            combination.into(out, start).plus(theta, end).plus(-theta, start).apply();
        }
    }
}
