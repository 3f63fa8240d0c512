/**
 * Sinkformers (Sander, Ablin, Blondel and Peyr&eacute; 2022; survey &sect;7): attention whose kernel
 * \( e^{\langle Q x_i, K x_j\rangle} \) is scaled by Sinkhorn iterations into a doubly stochastic matrix, i.e. the
 * entropic optimal transport plan (\( \varepsilon = 1 \) in the paper, a temperature in general) between the token
 * measure and itself for the cost \( -\langle Q x, K y\rangle \), computed by a configured
 * {@link org.measureflow.ot.sinkhorn.SinkhornSolver}.
 */
package org.measureflow.transformer.sinkformer;
