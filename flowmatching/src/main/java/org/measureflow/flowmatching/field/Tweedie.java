package org.measureflow.flowmatching.field;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.VectorField;
import org.measureflow.flowmatching.interpolant.Interpolant;

/**
 * Tweedie's identity and the link between flow matching and diffusion models (survey Prop. 3.3, docs/closed-forms.md CF-9): with a
 * standard Gaussian latent \( X_0 \sim \mathcal N(0, I) \) and \( X_t = \alpha_t X_0 + \beta_t X_1 \),
 * \[ \mathbb{E}[X_1 \mid X_t = x] = \frac{x + \alpha_t^2 \nabla\log\rho_t(x)}{\beta_t}, \qquad
 *    v_t(x) = \frac{\dot\alpha_t}{\alpha_t} x + \frac{\kappa_t}{\alpha_t}\,\mathbb{E}[X_1 \mid X_t = x], \quad
 *    \kappa_t = \alpha_t\dot\beta_t - \beta_t\dot\alpha_t . \]
 * For the linear interpolant this is \( v_t(x) = (x + (1 - t)\nabla\log\rho_t(x))/t \), a gradient field.
 * The two directions: {@link #fieldFromScore} builds the flow-matching field from a score (valid for \( t \in
 * (0, 1) \), where \( \alpha_t, \beta_t > 0 \)), and {@link #denoising} recovers the denoiser and the score from any
 * flow-matching field, such as a learned one (valid where \( \kappa_t \ne 0 \) and \( \alpha_t > 0 \)).
 */
public final class Tweedie {
    private Tweedie() {
    }

    /** A score \( \nabla\log\rho_t(x) \) evaluated at one point, with the {@link VectorField} layout. */
    @FunctionalInterface
    public interface Score {
        /** Writes \( \nabla\log\rho_t(x) \) for the point at {@code xOffset} into {@code out} at {@code outOffset}. */
        void score(double t, double[] x, int xOffset, double[] out, int outOffset);
    }

    /**
     * The flow-matching field \( v_t(x) = \big(\dot\alpha_t x + \kappa_t (x + \alpha_t^2 s_t(x))/\beta_t\big)/\alpha_t \)
     * built from a score \( s_t = \nabla\log\rho_t \) of the interpolated density (Prop. 3.3).
     *
     * @param score       the score of \( \rho_t \)
     * @param interpolant the interpolant, whose latent is \( \mathcal N(0, I) \)
     * @param d           dimension
     */
    public static VectorField fieldFromScore(Score score, Interpolant interpolant, int d) {
        Arguments.notNull("score", score);
        Arguments.notNull("interpolant", interpolant);
        Arguments.positive("d", d);
        return (t, x, xOff, out, outOff) -> {
            double a = interpolant.alpha(t);
            double b = interpolant.beta(t);
            if (!(a > 0 && b > 0)) {
                throw new IllegalArgumentException("t must be in (0, 1) for the Tweedie field (alpha_t, beta_t > 0),"
                        + " got t = " + t);
            }
            double ad = interpolant.alphaDot(t);
            double kappa = a * interpolant.betaDot(t) - b * ad;
            score.score(t, x, xOff, out, outOff);
            for (int c = 0; c < d; c++) {
                double xi = x[xOff + c];
                double denoised = (xi + a * a * out[outOff + c]) / b;
                out[outOff + c] = (ad * xi + kappa * denoised) / a;
            }
        };
    }

    /**
     * The denoiser and score implied by a flow-matching field with a standard Gaussian latent:
     * \( D_t(x) = (\alpha_t v_t(x) - \dot\alpha_t x)/\kappa_t \) and
     * \( \nabla\log\rho_t(x) = (\beta_t D_t(x) - x)/\alpha_t^2 \). This turns a learned field into a score model,
     * for instance for {@link org.measureflow.flowmatching.sampling.DiffusionSampler}.
     */
    public static DenoisingField denoising(FlowMatchingField field) {
        Arguments.notNull("field", field);
        return new TweedieDenoiser(field);
    }

    /** The view of {@link #denoising(FlowMatchingField)}. */
    private static final class TweedieDenoiser implements DenoisingField {
        private final FlowMatchingField field;
        private final Interpolant interpolant;
        private final int d;

        TweedieDenoiser(FlowMatchingField field) {
            this.field = field;
            this.interpolant = field.interpolant();
            this.d = field.dimension();
        }

        @Override
        public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
            field.velocity(t, x, xOffset, out, outOffset);
        }

        @Override
        public int dimension() {
            return d;
        }

        @Override
        public Interpolant interpolant() {
            return interpolant;
        }

        @Override
        public double divergence(double t, double[] x, int xOffset) {
            return field.divergence(t, x, xOffset);
        }

        @Override
        public void denoise(double t, double[] x, int xOffset, double[] out, int outOffset) {
            double a = interpolant.alpha(t);
            double ad = interpolant.alphaDot(t);
            double kappa = a * interpolant.betaDot(t) - interpolant.beta(t) * ad;
            if (!(a > 0) || kappa == 0) {
                throw new IllegalArgumentException("t must be in [0, 1) with kappa_t != 0 to invert the field, got t = "
                        + t);
            }
            field.velocity(t, x, xOffset, out, outOffset);
            for (int c = 0; c < d; c++) {
                out[outOffset + c] = (a * out[outOffset + c] - ad * x[xOffset + c]) / kappa;
            }
        }

        @Override
        public void score(double t, double[] x, int xOffset, double[] out, int outOffset) {
            denoise(t, x, xOffset, out, outOffset);
            double a = interpolant.alpha(t);
            double b = interpolant.beta(t);
            for (int c = 0; c < d; c++) {
                out[outOffset + c] = (b * out[outOffset + c] - x[xOffset + c]) / (a * a);
            }
        }
    }
}
