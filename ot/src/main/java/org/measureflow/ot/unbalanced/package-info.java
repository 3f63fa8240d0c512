/**
 * Unbalanced entropic optimal transport (Chizat, Peyr&eacute;, Schmitzer, Vialard 2018; survey &sect;4.2, eq. 10 with
 * KL-relaxed marginals):
 * \[ \min_{P\ge 0} \langle C, P\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b) + \rho_a\mathrm{KL}(P\mathbf 1\mid a)
 *    + \rho_b\mathrm{KL}(P^\top\mathbf 1\mid b), \]
 * between measures of different total masses, solved by
 * {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn} (scaling iterations on the
 * {@link org.measureflow.ot.sinkhorn.ScalingEngine} of balanced Sinkhorn, with the KL marginal step: the balanced
 * update damped by \( \rho/(\rho+\varepsilon) \)). Results are the same
 * {@link org.measureflow.ot.sinkhorn.SinkhornResult} records as balanced Sinkhorn; their marginal error is the L1
 * KKT residual \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top\mathbf 1 - b e^{-g/\rho_b}\|_1 \).
 */
package org.measureflow.ot.unbalanced;
