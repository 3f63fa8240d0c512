/**
 * Transformers as interacting particles (survey section 7): the attention field
 * \( v(x;\mu) = V \int e^{\langle Qx, Ky\rangle} y \, d\mu(y) / \int e^{\langle Qx, Ky\rangle} d\mu(y) \),
 * the discrete and continuous-depth transformer (eqs. 26&ndash;28), Sinkformers, clustering on the sphere and the
 * Gaussian closure (Thm. 7.1, eq. 30).
 *
 * <p>Sub-packages, by concept:
 * <ul>
 * <li>{@link org.measureflow.transformer.attention}: attention heads, layers, depth schedules, self-attention
 *     of all tokens and the attention field (a {@link org.measureflow.core.field.ParticleField});</li>
 * <li>{@link org.measureflow.transformer.sinkformer}: doubly stochastic (Sinkhorn) attention;</li>
 * <li>{@link org.measureflow.transformer.dynamics}: the discrete transformer (eq. 26) and the continuous-depth
 *     flow (eq. 28);</li>
 * <li>{@link org.measureflow.transformer.sphere}: normalised tokens on the unit sphere and the equiangular
 *     solution;</li>
 * <li>{@link org.measureflow.transformer.gaussian}: the Gaussian closure and its finite-time blow-up;</li>
 * <li>{@link org.measureflow.transformer.diagnostics}: clusters, cosines, energies.</li>
 * </ul>
 */
package org.measureflow.transformer;
