package org.measureflow.gradientflow.particles;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * One implicit (JKO / proximal-point) step on particles, eq. 14, and how its inner minimisation ended.
 *
 * @param measure      \( \mu_{k+1} \), same weights as \( \mu_k \)
 * @param iterations   inner gradient iterations
 * @param residual     \( \big(\sum_i w_i |(x_i - x_i^k)/\tau - v_i(X)|^2\big)^{1/2} \), the norm of the
 *                     Wasserstein gradient of the proximal objective at the returned point (0 at the exact step)
 * @param converged    whether {@code residual <= tolerance} was reached within the budget
 */
public record ImplicitStep(ParticleMeasure measure, int iterations, double residual, boolean converged) {
}
