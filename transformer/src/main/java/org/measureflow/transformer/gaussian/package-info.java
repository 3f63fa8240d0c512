/**
 * The Gaussian closure of the transformer PDE (survey Thm. 7.1, eq. 30; docs/closed-forms.md CF-16 and docs/closed-forms.md CF-16): for Gaussian tokens
 * the attention field is affine, the token law stays Gaussian, and its mean and covariance solve a quadratic ODE
 * whose covariance can blow up in finite time.
 */
package org.measureflow.transformer.gaussian;
