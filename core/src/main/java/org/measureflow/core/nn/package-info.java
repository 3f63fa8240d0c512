/**
 * Pieces of neural networks shared by the modules that train them: the pointwise {@link
 * org.measureflow.core.nn.Activation}s with their derivatives (flow-matching MLPs, mean-field two-layer networks,
 * residual networks).
 */
package org.measureflow.core.nn;
