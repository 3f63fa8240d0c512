package org.measureflow.gradientflow.jko;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.GridDensity;

/**
 * One step of the entropic JKO scheme ({@link EntropicJko}, survey eq. 13) and how its scaling iterations ended.
 *
 * <p>The error of the convergence record is the marginal error
 * \( \| \pi^\top\mathbf 1 - \mathrm{prox}^{\mathrm{KL}}_{\sigma F}(K^\top a) \|_1 \) in mass units: how far the second
 * marginal of the plan is from the optimality condition of the step (0 at the exact solution), tested against the
 * scheme's tolerance. One iteration is one update of \( a \) and one of \( b \).
 *
 * @param density     \( \rho_{k+1} \): the second marginal \( \pi^\top \mathbf 1 / |\Delta| \) of the final plan
 *                    \( \pi = \mathrm{diag}(a) K \mathrm{diag}(b) \), whose first marginal is exactly
 *                    \( \rho_k|\Delta| \) (so the mass is conserved to rounding, converged or not)
 * @param energy      \( F(\rho_{k+1}) \)
 * @param convergence the scaling iterations, the marginal error and the tolerance
 */
public record JkoStepResult(GridDensity density, double energy, Convergence convergence) implements IterativeResult {
    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code density} or {@code convergence} is null
     */
    public JkoStepResult {
        Arguments.notNull("density", density);
        Arguments.notNull("convergence", convergence);
    }

    /**
     * One line: {@code JkoStepResult[cells=200, mass=1.0, energy=-1.23, converged in 37 iterations (error 4.1e-10 <=
     * 1e-09)]}.
     */
    @Override
    public String toString() {
        return "JkoStepResult[cells=" + density.size() + ", mass=" + TextSummary.number(density.mass()) + ", energy="
                + TextSummary.number(energy) + ", " + convergence + "]";
    }
}
