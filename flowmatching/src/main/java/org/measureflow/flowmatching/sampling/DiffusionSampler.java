package org.measureflow.flowmatching.sampling;

import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.Diffusion;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.flowmatching.field.DenoisingField;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;

/**
 * The stochastic sampler of the diffusion case (survey section 3, "connection with diffusion models", Prop. 3.3):
 * Euler&ndash;Maruyama on
 * \[ dX_t = \Big(v_t(X_t) + \tfrac12 g_t^2\, \nabla\log\rho_t(X_t)\Big) dt + g_t\, dW_t, \qquad t: t_0 \to t_1 , \]
 * whose marginals are those of the interpolant for every noise level \( g \): the Fokker&ndash;Planck equation
 * gives \( \partial_t\rho = -\nabla\cdot(\rho v) - \tfrac12 g^2 \nabla\cdot(\nabla\rho) + \tfrac12 g^2 \Delta\rho
 * = -\nabla\cdot(\rho v) \), the continuity equation of the flow. \( g = 0 \) is the probability-flow ODE; for
 * the {@link VariancePreservingInterpolant} with \( g_t^2 = b(1-t) \) it is the reverse-time SDE of the DDPM /
 * score-SDE diffusion. The score comes from the field's Tweedie identity ({@link DenoisingField#score}), exact for
 * closed-form fields, and from {@link org.measureflow.flowmatching.field.Tweedie#denoising} for a learned one.
 *
 * <p>The score is singular at \( t = 1 \), so the run stops at \( t_1 &lt; 1 \) and finishes with the denoiser
 * \( \mathbb{E}[X_1 \mid X_{t_1}] \). Weak order 1 in the step. The reported field evaluations count the velocity and
 * the score separately (two per step) plus the final denoising.
 */
public final class DiffusionSampler {
    private DiffusionSampler() {
    }

    /** The noise level of the VP diffusion, \( g_t^2 = b(1 - t) \). */
    public static DoubleUnaryOperator noiseOf(VariancePreservingInterpolant interpolant) {
        Arguments.notNull("interpolant", interpolant);
        return interpolant::diffusionSquared;
    }

    /**
     * Runs the SDE from {@code t0} to {@code tEnd} with step {@code step}, then denoises.
     *
     * @param field        the flow-matching field with its score
     * @param latent       starting points (their law should be the interpolant's law at {@code t0})
     * @param noiseSquared \( t \mapsto g_t^2 \ge 0 \)
     * @param t0           start time in \( [0, 1) \)
     * @param tEnd         end time in \( (t_0, 1) \)
     * @param step         Euler&ndash;Maruyama step
     * @param rng          the Brownian increments (same seed, same samples)
     * @throws IllegalArgumentException on invalid times, a non-positive step, or a negative noise level
     */
    public static SampleResult sample(DenoisingField field, ParticleMeasure latent, DoubleUnaryOperator noiseSquared,
                                      double t0, double tEnd, double step, RandomGenerator rng) {
        Arguments.notNull("field", field);
        Arguments.notNull("latent", latent);
        Arguments.notNull("noiseSquared", noiseSquared);
        Arguments.notNull("rng", rng);
        Arguments.positive("step", step);
        if (!(t0 >= 0 && t0 < tEnd && tEnd < 1)) {
            throw new IllegalArgumentException("times must satisfy 0 <= t0 < tEnd < 1, got t0 = " + t0 + ", tEnd = "
                    + tEnd);
        }
        int n = latent.size();
        int d = latent.dimension();
        Arguments.sameDimension("latent", d, field.dimension(), "field");
        ThreadLocal<double[]> scratch = ThreadLocal.withInitial(() -> new double[d]);
        OdeSystem drift = OdeSystem.of(n * d, (t, y, dydt) -> {
            double g2 = noiseSquared.applyAsDouble(t);
            Chunks.forEach(n, 64, 1L << 10, (chunk, start, end) -> {
                double[] s = scratch.get();
                for (int i = start; i < end; i++) {
                    field.velocity(t, y, i * d, dydt, i * d);
                    field.score(t, y, i * d, s, 0);
                    for (int c = 0; c < d; c++) {
                        dydt[i * d + c] += 0.5 * g2 * s[c];
                    }
                }
            });
        });
        Diffusion noise = (t, y, dw, out) -> {
            double g2 = noiseSquared.applyAsDouble(t);
            if (!(g2 >= 0)) {
                throw new IllegalArgumentException("noiseSquared must be >= 0, got " + g2 + " at t = " + t);
            }
            double g = Math.sqrt(g2);
            for (int i = 0; i < out.length; i++) {
                out[i] = g * dw[i];
            }
        };
        double[] y = latent.flatPoints();
        IntegrationResult r = EulerMaruyama.of(step).integrate(drift, noise, t0, y, tEnd, rng);
        ParticleMeasure denoised = FlowSampler.denoise(field, latent.withFlatPoints(y), tEnd);
        return new SampleResult(denoised, 2 * r.evaluations() + 1, r);
    }
}
