package org.measureflow.core.ode;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * A measure transported by an integrator, and how the integration went.
 *
 * @param measure     the pushed-forward measure at the final time
 * @param integration step and evaluation counts
 */
public record ParticleFlowResult(ParticleMeasure measure, IntegrationResult integration) {
    /** One line: the measure and the integration's counts. */
    @Override
    public String toString() {
        return "ParticleFlowResult[" + measure + ", " + integration + "]";
    }
}
