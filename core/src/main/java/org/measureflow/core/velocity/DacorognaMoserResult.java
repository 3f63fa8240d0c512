package org.measureflow.core.velocity;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.GridVectorField;

/**
 * The Dacorogna&ndash;Moser field of {@link DacorognaMoser#solve}: \( v = \nabla_h q / \tilde\rho_f \) with
 * \( -\Delta_h q = \partial_t\rho - \gamma\rho \) (survey eq. 3).
 *
 * @param field         the field on the inner faces
 * @param kineticEnergy \( \sum_f \rho_f v_f^2 |\Delta| \) with the given (not floored) density: the discrete
 *                      \( \int\rho|v|^2 \). Where the density is small this field is large (it divides by
 *                      \( \tilde\rho \)), so the energy depends on the floor and on the tails of the density
 * @param growthRate    \( \gamma = \sum_c\partial_t\rho_c / \sum_c\rho_c \), removed from the source as a uniform
 *                      growth (0 for a path that conserves mass)
 * @param floor         the absolute density floor \( \varepsilon\max_c\rho_c \) in the division
 * @param flooredCells  the number of cells whose density was below the floor; on faces next to them the flux
 *                      \( \rho_f v_f \) is smaller than \( \nabla_h q \), so there the field does not reproduce
 *                      \( \partial_t\rho \)
 */
public record DacorognaMoserResult(GridVectorField field, double kineticEnergy, double growthRate, double floor,
                                   int flooredCells) {
    /** Validates. */
    public DacorognaMoserResult {
        Arguments.notNull("field", field);
    }

    /** One line: the grid, the kinetic energy, the growth rate and the floor. */
    @Override
    public String toString() {
        return "DacorognaMoserResult[" + field.grid() + ", kineticEnergy=" + TextSummary.number(kineticEnergy)
                + ", growthRate=" + TextSummary.brief(growthRate) + ", floor=" + TextSummary.brief(floor) + " ("
                + flooredCells + " cells)]";
    }
}
