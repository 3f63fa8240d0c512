/**
 * Entropic optimal transport (survey &sect;4, entropic regularisation of the Kantorovich problem, eq. 10):
 * \[ \mathrm{OT}_\varepsilon(a,b) = \min_{P \in U(a,b)} \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a\otimes b),
 * \qquad \mathrm{KL}(P\mid Q) = \sum_{ij} P_{ij}\log\tfrac{P_{ij}}{Q_{ij}} - P_{ij} + Q_{ij}, \]
 * solved by Sinkhorn's alternating dual updates, and the debiased Sinkhorn divergence
 * \( S_\varepsilon(a,b) = \mathrm{OT}_\varepsilon(a,b) - \tfrac12\mathrm{OT}_\varepsilon(a,a) - \tfrac12\mathrm{OT}_\varepsilon(b,b) \).
 *
 * <ul>
 * <li>{@link org.measureflow.ot.sinkhorn.SinkhornSolver}: an immutable configured solver
 *     ({@code SinkhornSolver.of(1e-2).withTolerance(1e-9)}), solves dense costs
 *     ({@link org.measureflow.ot.CostMatrix}) and point clouds (squared Euclidean cost on the fly).
 *     \( \varepsilon \) is required: absolute, in cost units, or relative to the mean cost
 *     ({@link org.measureflow.ot.Epsilon}).</li>
 * <li>{@link org.measureflow.ot.sinkhorn.SinkhornResult}: potentials \( f, g \) with
 *     \( P_{ij} = a_i b_j e^{(f_i+g_j-C_{ij})/\varepsilon} \), transport cost, entropic objective, dual value, the
 *     exact L1 marginal error, and the plan as an {@link org.measureflow.ot.sinkhorn.EntropicPlan} evaluated on
 *     demand (dense plan, \( Pv \), \( P^\top u \), barycentric map).</li>
 * <li>{@link org.measureflow.ot.sinkhorn.SinkhornDivergence}: \( S_\varepsilon \) and its gradient with respect to
 *     the source points, with a symmetric (averaged) solver for the self terms.</li>
 * <li>{@link org.measureflow.ot.sinkhorn.ScalingEngine}: the one scaling loop behind balanced and unbalanced
 *     Sinkhorn (Chizat, Peyr&eacute;, Schmitzer, Vialard 2018): a Gibbs kernel's log-sums followed by a marginal step
 *     (hard constraint or KL relaxation), with epsilon-scaling, adaptive over-relaxation, absorption of the stored
 *     kernel and the hand-over to Newton's method in the engine, not in the solvers.</li>
 * <li>{@link org.measureflow.ot.sinkhorn.SemiDualNewton}: Newton's method with conjugate gradients on the
 *     semi-dual, balanced or with KL-relaxed marginals, the final stage of Sinkhorn and unbalanced Sinkhorn at small
 *     \( \varepsilon \) (where the scaling iterations barely contract).</li>
 * </ul>
 *
 * <p>The Gibbs kernels \( K = e^{-C/\varepsilon} \) behind these solvers, open to the other scaling algorithms of the
 * module (unbalanced transport, barycenters, the entropic JKO scheme):
 * <ul>
 * <li>{@link org.measureflow.ot.sinkhorn.LogDomainGibbsKernel}: fused log-sum-exps over a dense cost or over two point
 *     clouds with the cost computed on the fly; exact for any \( \varepsilon \).</li>
 * <li>{@link org.measureflow.ot.sinkhorn.StoredGibbsKernel}: the stored stabilised kernel
 *     \( e^{(\bar f_i + \bar g_j - C_{ij})/\varepsilon} \) of a dense cost (matrix&ndash;vector products).</li>
 * <li>{@link org.measureflow.ot.sinkhorn.SeparableGibbsKernel}: the kernel of a regular grid as two 1-D passes, in the
 *     linear domain (banded convolution) or the log domain (exact for any \( \varepsilon \)).</li>
 * </ul>
 *
 * <p>Conventions follow {@code docs/closed-forms.md}: cost \( |x-y|^2 \) not halved, marginal error
 * \( \|P\mathbf 1 - a\|_1 + \|P^\top\mathbf 1 - b\|_1 \). POT's {@code sinkhorn} has the same plan; for a
 * feasible plan our objective equals its \( \langle P, C\rangle - \varepsilon H(P) \),
 * \( H(P) = -\sum_{ij} P_{ij}(\log P_{ij} - 1) \), plus \( \varepsilon(1 - \sum_i a_i\log a_i - \sum_j b_j\log b_j) \)
 * (docs/closed-forms.md CF-14).
 */
package org.measureflow.ot.sinkhorn;
