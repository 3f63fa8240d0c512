package org.measureflow.flowmatching.sampling;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;

/**
 * Samples produced by a sampler, and what they cost.
 *
 * @param samples          the generated points (same weights as the latent points)
 * @param fieldEvaluations evaluations of the field per sample (NFE), including a final denoising step if any
 * @param integration      the integrator's counts
 */
public record SampleResult(ParticleMeasure samples, long fieldEvaluations, IntegrationResult integration) {
    /** One line: {@code SampleResult[n=1000, d=2, field evaluations per sample=41, IntegrationResult[...]]}. */
    @Override
    public String toString() {
        return "SampleResult[n=" + samples.size() + ", d=" + samples.dimension() + ", field evaluations per sample="
                + fieldEvaluations + ", " + integration + "]";
    }
}
