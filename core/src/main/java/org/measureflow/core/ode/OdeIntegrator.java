package org.measureflow.core.ode;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * A numerical method for \( \dot y = F(t, y) \), \( y(t_0) = y_0 \), advancing the state in place from
 * {@code t0} to {@code t1} (forward or backward). Integrators are immutable and thread-safe; the work arrays of one
 * call are allocated once at its start, and nothing is allocated per step.
 *
 * <p>Applied to particles, an integrator is the Lagrangian solver of the continuity equation (survey eqs. 1&ndash;2):
 * {@link #advect(ParticleMeasure, ParticleField, double, double, StepObserver)} moves every particle along the
 * field and returns the pushed-forward measure.
 */
public interface OdeIntegrator {
    /**
     * Integrates {@code system} from {@code t0} to {@code t1}, overwriting {@code y} with the final state.
     *
     * @param system   the ODE
     * @param t0       initial time
     * @param y        initial state on entry, final state on exit (length {@code system.dimension()})
     * @param t1       target time (may be smaller than {@code t0})
     * @param observer watches the steps and may stop early
     * @return counts of steps and evaluations
     * @throws IllegalArgumentException if {@code y} has the wrong length or holds non-finite values, or a time is
     *                                  not finite
     */
    IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1, StepObserver observer);

    /** {@link #integrate(OdeSystem, double, double[], double, StepObserver)} without an observer. */
    default IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1) {
        return integrate(system, t0, y, t1, StepObserver.none());
    }

    /**
     * Moves every particle of {@code measure} along {@code field} from time {@code t0} to {@code t1}, the weights
     * travelling with the particles: the result is the push-forward of {@code measure} by the flow map
     * (survey eq. 1). The input measure is not modified.
     *
     * @throws IllegalArgumentException if an argument is null or breaks a rule of
     *                                  {@link #integrate(OdeSystem, double, double[], double, StepObserver)}
     */
    default ParticleFlowResult advect(ParticleMeasure measure, ParticleField field, double t0, double t1,
                                      StepObserver observer) {
        Arguments.notNull("measure", measure);
        Arguments.notNull("field", field);
        double[] y = measure.flatPoints();
        double[] weights = measure.isUniform() ? null : measure.weights();
        IntegrationResult result = integrate(field.system(measure.size(), measure.dimension(), weights), t0, y, t1,
                observer);
        return new ParticleFlowResult(measure.withFlatPoints(y), result);
    }

    /** {@link #advect(ParticleMeasure, ParticleField, double, double, StepObserver)} without an observer. */
    default ParticleFlowResult advect(ParticleMeasure measure, ParticleField field, double t0, double t1) {
        return advect(measure, field, t0, t1, StepObserver.none());
    }

    /** Moves every particle along a measure-independent field; see {@link #advect(ParticleMeasure, ParticleField, double, double, StepObserver)}. */
    default ParticleFlowResult advect(ParticleMeasure measure, VectorField field, double t0, double t1) {
        Arguments.notNull("field", field);
        return advect(measure, field.onParticles(), t0, t1, StepObserver.none());
    }
}
