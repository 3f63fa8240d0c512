/**
 * Sampling with flow-matching fields: the probability-flow ODE with any core integrator, the stochastic sampler of
 * the diffusion case through the score (Euler&ndash;Maruyama on the reverse SDE), likelihoods by the instantaneous
 * change of variables, and quality measures (Sinkhorn divergence and \( W_2 \) to held-out data, path straightness).
 */
package org.measureflow.flowmatching.sampling;
