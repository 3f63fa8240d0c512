/**
 * Normalised tokens on the unit sphere (survey &sect;7; Geshkovski et al., "A mathematical perspective on
 * transformers"): sampling and normalisation of tokens, the tangent projection \( P_x = I - x x^\top \), and the
 * equiangular solution of the clustering dynamics (docs/closed-forms.md CF-18).
 */
package org.measureflow.transformer.sphere;
