/**
 * Self-attention as an interaction between tokens (survey &sect;7.1, eqs. 26&ndash;27): heads \( (Q, K, V) \),
 * layers summing several heads, depth-dependent schedules, the stable self-attention of all tokens without an
 * \( n \times n \) matrix ({@link org.measureflow.transformer.attention.SelfAttention}) and the attention field
 * \( v(x;\mu) = \sum_h V_h \int e^{\langle Q_h x, K_h y\rangle} y\,d\mu(y) / \int e^{\langle Q_h x, K_h y\rangle}
 * d\mu(y) \) as a {@link org.measureflow.core.field.ParticleField}.
 */
package org.measureflow.transformer.attention;
