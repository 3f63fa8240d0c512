/**
 * Learned models: a small multilayer perceptron with hand-written backpropagation, trained with minibatches and Adam
 * either as a flow-matching field \( v_\theta(t, x) \) on the least-squares loss (survey eq. 8,
 * {@link org.measureflow.flowmatching.learned.FlowMatchingTrainer}) or as a generator \( g_\theta\#\zeta \) on the
 * Sinkhorn divergence to the data (survey section 4, Genevay et al. 2018,
 * {@link org.measureflow.flowmatching.learned.SinkhornGeneratorTrainer}).
 */
package org.measureflow.flowmatching.learned;
