/**
 * Flow matching (survey section 3): interpolants \( x_t = \alpha_t x_0 + \beta_t x_1 \), couplings, the
 * conditional-expectation field \( v_t(x) = \mathbb{E}[\dot\alpha_t X_0 + \dot\beta_t X_1 \mid X_t = x] \) (eq. 7),
 * its least-squares learning (eq. 8), samplers and the link with diffusion models (Prop. 3.3).
 *
 * <p>Placeholder until the {@code flowmatching} issue fills it.
 */
package org.measureflow.flowmatching;
