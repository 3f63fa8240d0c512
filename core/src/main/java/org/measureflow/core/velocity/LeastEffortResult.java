package org.measureflow.core.velocity;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The least-effort field of {@link LeastEffort#solve}: \( v = \nabla_h\varphi \) on the faces of the grid with
 * \( -\mathrm{div}_h(\tilde\rho\,\nabla_h\varphi) = \partial_t\rho - \gamma\rho \) (survey eqs. 4&ndash;6).
 *
 * @param field         the field \( v = \nabla_h\varphi \) on the inner faces
 * @param potential     \( \varphi \) at the cell centres, mean 0 (the accessor returns a copy)
 * @param kineticEnergy \( \sum_f \rho_f v_f^2 |\Delta| \) with the given (not floored) density: the discrete
 *                      \( \int\rho|v|^2 \) ({@link GridVectorField#kineticEnergy})
 * @param growthRate    \( \gamma = \sum_c\partial_t\rho_c / \sum_c\rho_c \), the relative rate of change of the mass,
 *                      removed from the source as a uniform growth because no velocity can create mass (0 for a
 *                      path that conserves mass)
 * @param floor         the absolute density floor \( \varepsilon\max_c\rho_c \) under the weights \( \tilde\rho \)
 * @param flooredCells  the number of cells whose density was below the floor
 * @param convergence   conjugate-gradient iterations and, as error, the relative residual
 *                      \( \|b - A\varphi\|_2/\|b\|_2 \) of the weighted equation (recomputed from \( \varphi \)),
 *                      tested against {@link LeastEffort#tolerance()}
 */
public record LeastEffortResult(GridVectorField field, double[] potential, double kineticEnergy, double growthRate,
                                double floor, int flooredCells, Convergence convergence) implements IterativeResult {
    /** Validates and copies. */
    public LeastEffortResult {
        Arguments.notNull("field", field);
        Arguments.notNull("potential", potential);
        Arguments.notNull("convergence", convergence);
        potential = potential.clone();
    }

    /** A copy of the potential. */
    @Override
    public double[] potential() {
        return potential.clone();
    }

    /** One line: the grid, the kinetic energy, the growth rate, the floor and how the iteration ended. */
    @Override
    public String toString() {
        return "LeastEffortResult[" + field.grid() + ", kineticEnergy=" + TextSummary.number(kineticEnergy)
                + ", growthRate=" + TextSummary.brief(growthRate) + ", floor=" + TextSummary.brief(floor) + " ("
                + flooredCells + " cells), " + convergence + "]";
    }
}
