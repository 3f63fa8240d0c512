/**
 * Flow-matching fields \( v_t(x) = \mathbb{E}[\dot\alpha_t X_0 + \dot\beta_t X_1 \mid X_t = x] \) (survey eq. 7,
 * Prop. 3.1) in closed form: between two Gaussians (Prop. 3.2), from a Gaussian latent to a Gaussian mixture or to a
 * finite data set (Prop. 3.3 and docs/closed-forms.md CF-10), and the Tweedie link between a field and the score of the interpolated
 * density. Every field is a {@link org.measureflow.core.field.VectorField} for the core integrators.
 */
package org.measureflow.flowmatching.field;
