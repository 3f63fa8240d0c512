package org.measureflow.gradientflow.particles;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * One implicit (JKO / proximal-point) step on particles, survey eq. 14 ({@link ImplicitParticleStep}), and how its
 * inner minimisation ended.
 *
 * <p>The error of the convergence record is the residual
 * \( \big(\sum_i w_i |(x_i - x_i^k)/\tau - v_i(X)|^2\big)^{1/2} \), the norm of the Wasserstein gradient of the
 * proximal objective at the returned point (0 at the exact step, velocity units), tested against the step's
 * tolerance; one iteration is one gradient step of the inner minimisation.
 *
 * @param measure     \( \mu_{k+1} \), same weights as \( \mu_k \)
 * @param convergence the inner iterations, the residual and the tolerance
 */
public record ImplicitStepResult(ParticleMeasure measure, Convergence convergence) implements IterativeResult {
    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public ImplicitStepResult {
        Arguments.notNull("measure", measure);
        Arguments.notNull("convergence", convergence);
    }

    /** One line: {@code ImplicitStepResult[n=100, d=2, converged in 12 iterations (error 8.1e-11 <= 1e-10)]}. */
    @Override
    public String toString() {
        return "ImplicitStepResult[n=" + measure.size() + ", d=" + measure.dimension() + ", " + convergence + "]";
    }
}
