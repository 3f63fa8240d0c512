package org.measureflow.gradientflow.jko;

import org.measureflow.core.measure.GridDensity;

/**
 * One step of the entropic JKO scheme ({@link EntropicJko}) and how its scaling iterations ended.
 *
 * @param density       \( \rho_{k+1} \): the second marginal \( \pi^\top \mathbf 1 / |\Delta| \) of the final plan
 *                      \( \pi = \mathrm{diag}(a) K \mathrm{diag}(b) \), whose first marginal is exactly
 *                      \( \rho_k|\Delta| \) (so the mass is conserved to rounding, converged or not)
 * @param energy        \( F(\rho_{k+1}) \)
 * @param iterations    scaling iterations done (one iteration = one update of \( a \) and one of \( b \))
 * @param marginalError \( \| \pi^\top\mathbf 1 - \mathrm{prox}(K^\top a) \|_1 \) in mass units: how far the second
 *                      marginal is from the optimality condition of the step (0 at the exact solution)
 * @param converged     whether {@code marginalError <= tolerance} was reached within the iteration budget
 */
public record JkoStep(GridDensity density, double energy, int iterations, double marginalError, boolean converged) {
}
