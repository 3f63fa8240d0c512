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
}
