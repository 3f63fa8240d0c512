package org.measureflow.gradientflow.particles;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.Diffusion;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.ParticleFlowResult;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.gradientflow.energy.ParticleEnergy;

/**
 * Langevin dynamics, the stochastic particle counterpart of the Fokker&ndash;Planck equation (survey &sect;5,
 * Thm 5.1): the interacting particle system
 * \[ dX_i = -\nabla \frac{\delta F}{\delta\mu}(\mu_t)(X_i)\,dt + \sqrt{2D}\,dW_i, \qquad
 *    \mu_t = \sum_j w_j\delta_{X_j(t)}, \]
 * simulated by Euler&ndash;Maruyama (weak order 1). As \( n \to \infty \) and the step \( h \to 0 \) the law of a
 * particle solves the (McKean&ndash;Vlasov) Fokker&ndash;Planck equation
 * \( \partial_t\rho = \mathrm{div}(\rho\,\nabla\frac{\delta F}{\delta\rho}) + D\Delta\rho \), the Wasserstein
 * gradient flow of \( F + D\int\rho\log\rho \); for \( F = \int V d\rho \) the particles are independent and the
 * equilibrium is the Gibbs measure \( \propto e^{-V/D} \). Empirical statistics carry a sampling error of order
 * \( n^{-1/2} \) and a bias of order \( h \). The integrator (its step \( h \)) is a configured
 * {@link EulerMaruyama}; the Brownian increments come from the {@link RandomGenerator} argument, so the same
 * generator state gives the same path.
 */
public final class Langevin {
    private Langevin() {
    }

    /**
     * Simulates the particles of {@code mu} from {@code t0} to {@code t1}.
     *
     * @param mu         initial particles (weights travel with them)
     * @param energy     the drift energy \( F \) (potential and/or interaction)
     * @param diffusion  \( D \ge 0 \)
     * @param integrator the Euler&ndash;Maruyama scheme (its step \( h \))
     * @param t0         start time
     * @param t1         end time, {@code >= t0}
     * @param rng        the Brownian increments (same generator state, same result)
     * @return the particles at \( t_1 \) and the step counts
     * @throws IllegalArgumentException on a null argument, a negative diffusion (or one whose noise amplitude
     *                                  \( \sqrt{2D} \) overflows) or invalid times, if the energy of {@code mu}
     *                                  overflows (naming {@code mu}), or if the state overflows (naming
     *                                  {@code integrator}: its step is too large for this drift and noise)
     */
    public static ParticleFlowResult simulate(ParticleMeasure mu, ParticleEnergy energy, double diffusion,
                                              EulerMaruyama integrator, double t0, double t1, RandomGenerator rng) {
        return simulate(mu, energy, diffusion, integrator, t0, t1, rng, StepObserver.none());
    }

    /**
     * {@link #simulate(ParticleMeasure, ParticleEnergy, double, EulerMaruyama, double, double, RandomGenerator)},
     * with an observer of the steps (progress bars, early stop), as for every core integrator.
     *
     * @param mu         initial particles (weights travel with them)
     * @param energy     the drift energy \( F \) (potential and/or interaction)
     * @param diffusion  \( D \ge 0 \)
     * @param integrator the Euler&ndash;Maruyama scheme (its step \( h \))
     * @param t0         start time
     * @param t1         end time, {@code >= t0}
     * @param rng        the Brownian increments (same generator state, same result)
     * @param observer   watches the steps and may stop early
     * @return the particles at the last time reached and the step counts
     * @throws IllegalArgumentException on a null argument, a negative diffusion (or one whose noise amplitude
     *                                  \( \sqrt{2D} \) overflows) or invalid times, if the energy of {@code mu}
     *                                  overflows (naming {@code mu}), or if the state overflows (naming
     *                                  {@code integrator}: its step is too large for this drift and noise)
     */
    public static ParticleFlowResult simulate(ParticleMeasure mu, ParticleEnergy energy, double diffusion,
                                              EulerMaruyama integrator, double t0, double t1, RandomGenerator rng,
                                              StepObserver observer) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        Arguments.nonNegative("diffusion", diffusion);
        Arguments.notNull("integrator", integrator);
        double sigma = Arguments.finiteResult("diffusion", "the noise amplitude sqrt(2 D)", Math.sqrt(2 * diffusion));
        energy.value(mu); // rejects particles whose energy overflows, naming mu
        double[] y = mu.flatPoints();
        double[] weights = mu.isUniform() ? null : mu.weights();
        IntegrationResult r;
        try {
            r = integrator.integrate(energy.field().system(mu.size(), mu.dimension(), weights),
                    Diffusion.scalar(sigma), t0, y, t1, rng, observer);
        } catch (IllegalStateException e) {
            // the state overflowed: the integrator's step is too large for this drift and noise
            throw new IllegalArgumentException("integrator: " + e.getMessage(), e);
        }
        return new ParticleFlowResult(mu.withFlatPoints(y), r);
    }
}
