package org.measureflow.flowmatching.field;

/**
 * A flow-matching field that also knows the denoiser \( D_t(x) = \mathbb{E}[X_1 \mid X_t = x] \) and the score
 * \( \nabla\log\rho_t(x) \) of the interpolated density. With a standard Gaussian latent the three are tied by
 * Tweedie's identity (survey Prop. 3.3, docs/closed-forms.md CF-9):
 * \[ D_t(x) = \frac{x + \alpha_t^2 \nabla\log\rho_t(x)}{\beta_t}, \qquad
 *    v_t(x) = \frac{\dot\alpha_t}{\alpha_t} x + \Big(\dot\beta_t - \frac{\beta_t\dot\alpha_t}{\alpha_t}\Big) D_t(x). \]
 */
public interface DenoisingField extends FlowMatchingField {
    /** Writes \( \mathbb{E}[X_1 \mid X_t = x] \) for the point at {@code xOffset} into {@code out} at {@code outOffset}. */
    void denoise(double t, double[] x, int xOffset, double[] out, int outOffset);

    /** Writes the score \( \nabla\log\rho_t(x) \) of the law of \( X_t \) into {@code out} at {@code outOffset}. */
    void score(double t, double[] x, int xOffset, double[] out, int outOffset);
}
