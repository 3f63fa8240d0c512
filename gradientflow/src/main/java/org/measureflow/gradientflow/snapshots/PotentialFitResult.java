package org.measureflow.gradientflow.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.particles.Langevin;

/**
 * The landscape fitted by {@link PotentialRecovery}: \( V_\theta = \sum_l \theta_l\phi_l \) in its basis, the
 * diffusion \( D \) (known or estimated), and the fit's residual; the fitted model
 * \( dX = -\nabla V_\theta(X)\,dt + \sqrt{2D}\,dW \) can be simulated forward with Langevin particles
 * ({@link #simulate}).
 *
 * @param basis              the basis \( \phi_1..\phi_p \)
 * @param theta              the coefficients \( \theta \) (copied in and out)
 * @param diffusion          \( D \): the known value, or the least-squares estimate under \( D \ge 0 \)
 * @param diffusionEstimated whether \( D \) was estimated
 * @param residual           the root mean square over intervals of the JKO condition's residual,
 *                           \( \bigl(\frac{1}{K-1}\sum_k\sum_j b_j|\nabla V_\theta(y_j) + D\,s(y_j) - r_j|^2\bigr)^{1/2} \),
 *                           velocity units (\( s \) the kernel score, \( r_j \) with the entropic correction)
 * @param ridge              the ridge added to the normal equations (0 unless they were singular)
 * @param convergence        intervals fitted, the largest Sinkhorn marginal error of the couplings, tested against the
 *                           solver's tolerance ({@code STOPPED} if an observer stopped the fit)
 */
public record PotentialFitResult(PotentialBasis basis, double[] theta, double diffusion, boolean diffusionEstimated,
        double residual, double ridge, Convergence convergence) implements IterativeResult {

    /**
     * Validates the record and copies \( \theta \).
     *
     * @throws IllegalArgumentException on a null, a {@code theta} not of the basis's size or not finite, or a
     *                                  negative or non-finite diffusion
     */
    public PotentialFitResult {
        Arguments.notNull("basis", basis);
        Arguments.finite("theta", theta);
        Arguments.length("theta", theta.length, basis.size());
        Arguments.nonNegative("diffusion", diffusion);
        Arguments.finite("diffusion", diffusion);
        Arguments.notNull("convergence", convergence);
        theta = theta.clone();
    }

    /** A copy of \( \theta \). */
    @Override
    public double[] theta() {
        return theta.clone();
    }

    /**
     * The fitted potential \( V_\theta \), usable in {@link PotentialEnergy} and the particle flows; for the
     * Fokker&ndash;Planck flow on a grid, the entropic JKO scheme of the fitted model is
     * {@code EntropicJko.of(tau, epsilon).flow(rho, energy, steps)} with
     * {@code energy = InternalEnergy.entropy(diffusion()).plus(PotentialEnergy.of(potential()))}.
     */
    public Potential potential() {
        return basis.potential(theta);
    }

    /**
     * \( V_\theta(x) \).
     *
     * @throws IllegalArgumentException if {@code x} is null, not finite or of the wrong dimension
     */
    public double value(double[] x) {
        checkPoint(x);
        return potential().value(x, 0);
    }

    /**
     * \( \nabla V_\theta(x) \), a new array.
     *
     * @throws IllegalArgumentException if {@code x} is null, not finite or of the wrong dimension
     */
    public double[] gradient(double[] x) {
        checkPoint(x);
        double[] g = new double[x.length];
        potential().addGradient(x, 0, 1.0, g, 0);
        return g;
    }

    private void checkPoint(double[] x) {
        Arguments.finite("x", x);
        Arguments.length("x", x.length, basis.dimension());
    }

    /**
     * The fitted model simulated forward: Langevin particles \( dX_i = -\nabla V_\theta(X_i)\,dt + \sqrt{2D}\,dW_i \)
     * ({@link Langevin}, Euler&ndash;Maruyama, weak order 1) from {@code start} at {@code t0}, the clouds at each of
     * {@code times} (one continuous path, stopped at each time in turn).
     *
     * @param start      the particles at \( t_0 \) (e.g. the first snapshot)
     * @param t0         the start time
     * @param times      non-decreasing times, each {@code >= t0}
     * @param integrator the Euler&ndash;Maruyama scheme (its step)
     * @param rng        the Brownian increments (same generator state, same clouds)
     * @return one cloud per time
     * @throws IllegalArgumentException on a null, a start of the wrong dimension, or times not finite, below
     *                                  {@code t0} or decreasing; as {@link Langevin#simulate} otherwise
     */
    public List<ParticleMeasure> simulate(ParticleMeasure start, double t0, double[] times, EulerMaruyama integrator,
                                          RandomGenerator rng) {
        Arguments.notNull("start", start);
        Arguments.length("start (dimension)", start.dimension(), basis.dimension());
        Arguments.finite("t0", t0);
        Arguments.finite("times", times);
        Arguments.notNull("integrator", integrator);
        Arguments.notNull("rng", rng);
        double previous = t0;
        for (int k = 0; k < times.length; k++) {
            Arguments.atLeast("times[" + k + "]", times[k], previous);
            previous = times[k];
        }
        PotentialEnergy energy = PotentialEnergy.of(potential());
        List<ParticleMeasure> out = new ArrayList<>(times.length);
        ParticleMeasure current = start;
        double t = t0;
        for (double time : times) {
            current = Langevin.simulate(current, energy, diffusion, integrator, t, time, rng).measure();
            t = time;
            out.add(current);
        }
        return List.copyOf(out);
    }

    /**
     * One line: the basis, \( \theta \), \( D \), the residual, the ridge, the couplings' convergence.
     */
    @Override
    public String toString() {
        return "PotentialFitResult[" + basis + ", theta=" + TextSummary.array(theta) + ", D="
                + TextSummary.number(diffusion) + (diffusionEstimated ? " (estimated)" : " (known)") + ", residual="
                + TextSummary.number(residual) + (ridge > 0 ? ", ridge=" + TextSummary.number(ridge) : "") + ", "
                + convergence + "]";
    }
}
