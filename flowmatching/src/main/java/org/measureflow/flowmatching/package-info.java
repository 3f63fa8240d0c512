/**
 * Flow matching (survey section 3): interpolants \( x_t = \alpha_t x_0 + \beta_t x_1 \) between a latent sample
 * \( x_0 \) and a data sample \( x_1 \) ({@code interpolant}), couplings of the two ({@code coupling}), the
 * conditional-expectation field \( v_t(x) = \mathbb{E}[\dot\alpha_t X_0 + \dot\beta_t X_1 \mid X_t = x] \) (eq. 7) in
 * closed form for Gaussians, Gaussian mixtures and finite data sets ({@code field}), its least-squares learning by a
 * small MLP (eq. 8, {@code learned}), and deterministic and stochastic samplers, likelihoods and quality measures
 * ({@code sampling}), including the link with diffusion models through the score (Prop. 3.3).
 *
 * <p>Time runs from \( t = 0 \) (latent) to \( t = 1 \) (data), as in {@code docs/closed-forms.md}.
 */
package org.measureflow.flowmatching;
