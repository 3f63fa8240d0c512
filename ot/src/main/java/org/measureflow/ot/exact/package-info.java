/**
 * Exact (unregularised) optimal transport between discrete measures: the Kantorovich linear program
 * \( \min_{P \in U(a,b)} \langle C, P \rangle \), \( U(a,b) = \{P \ge 0 : P\mathbf{1} = a, P^\top\mathbf{1} = b\} \)
 * (survey eq. 10), and its dual \( \max\{\langle a,f\rangle + \langle b,g\rangle : f_i + g_j \le C_{ij}\} \).
 *
 * <ul>
 *   <li>{@link org.measureflow.ot.exact.NetworkSimplex}: a spanning-tree network simplex for dense
 *       \( n \times m \) costs; returns the optimal cost, a basic optimal plan and optimal dual potentials in an
 *       {@link org.measureflow.ot.exact.ExactOtResult}.</li>
 *   <li>{@link org.measureflow.ot.exact.OneDimensionalOt}: the closed form on the line,
 *       \( W_p^p = \int_0^1 |F^{-1} - G^{-1}|^p \) (docs/closed-forms.md CF-11), with the monotone plan.</li>
 *   <li>{@link org.measureflow.ot.exact.SparsePlan}: a plan stored as its non-zero entries.</li>
 * </ul>
 *
 * Costs follow the project convention \( c(x,y) = |x-y|^2 \) (not halved) unless a
 * {@link org.measureflow.ot.GroundCost} says otherwise.
 */
package org.measureflow.ot.exact;
