/**
 * Transformers as interacting particles (survey section 7): the attention field
 * \( v(x;\mu) = V \int e^{\langle Qx, Ky\rangle} y \, d\mu(y) / \int e^{\langle Qx, Ky\rangle} d\mu(y) \),
 * the transformer PDE (eqs. 27&ndash;28), Sinkformers, clustering and the Gaussian closure (Thm. 7.1).
 *
 * <p>Placeholder until the {@code transformer} issue fills it.
 */
package org.measureflow.transformer;
