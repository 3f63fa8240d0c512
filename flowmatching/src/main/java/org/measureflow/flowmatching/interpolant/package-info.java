/**
 * Interpolants \( X_t = \alpha_t X_0 + \beta_t X_1 \) between a latent \( X_0 \) and data \( X_1 \) (survey
 * section 3.1): the linear one of flow matching and the variance-preserving schedule of diffusion models.
 */
package org.measureflow.flowmatching.interpolant;
