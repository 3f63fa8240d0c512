package org.measureflow.gradientflow.particles;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.ParticleFlowResult;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.gradientflow.energy.ParticleEnergy;

/**
 * The particle Wasserstein gradient flow (survey eq. 17) of an energy defined on discrete measures:
 * \[ \dot x_i = -\nabla \frac{\delta F}{\delta\mu}(\mu_t)(x_i), \qquad \mu_t = \sum_i w_i \delta_{x_i(t)}, \]
 * integrated by any core integrator (explicit Euler is eq. 17's forward step; RK4 or Dormand&ndash;Prince for
 * accuracy). The empirical measure \( \mu_t \) is then an exact weak solution of
 * \( \partial_t\mu = \mathrm{div}(\mu\nabla\frac{\delta F}{\delta\mu}) \) for potential and interaction energies.
 * For stiff potentials use the implicit step of eq. 14 instead ({@link ImplicitParticleStep}).
 */
public final class ParticleGradientFlow {
    private ParticleGradientFlow() {
    }

    /**
     * Moves the particles of {@code mu} along the gradient flow of {@code energy} from {@code t0} to {@code t1}.
     *
     * @throws IllegalArgumentException if an argument is null or the integration arguments are invalid, if the
     *                                  energy of {@code mu} overflows (naming {@code mu}), or if the integration
     *                                  fails, its state overflowing (naming {@code integrator}: the step is too large
     *                                  for this energy)
     */
    public static ParticleFlowResult flow(ParticleMeasure mu, ParticleEnergy energy, OdeIntegrator integrator,
                                          double t0, double t1, StepObserver observer) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        Arguments.notNull("integrator", integrator);
        energy.value(mu); // rejects particles whose energy overflows, naming mu
        try {
            return integrator.advect(mu, energy.field(), t0, t1, observer);
        } catch (IllegalStateException e) {
            // the state overflowed or the step size underflowed: the integrator does not suit this energy
            throw new IllegalArgumentException("integrator: " + e.getMessage(), e);
        }
    }

    /** {@link #flow(ParticleMeasure, ParticleEnergy, OdeIntegrator, double, double, StepObserver)} without an observer. */
    public static ParticleFlowResult flow(ParticleMeasure mu, ParticleEnergy energy, OdeIntegrator integrator,
                                          double t0, double t1) {
        return flow(mu, energy, integrator, t0, t1, StepObserver.none());
    }
}
