package org.measureflow.core.velocity;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The weighted Helmholtz&ndash;Hodge split of {@link LeastEffort#split}: \( u = \nabla_h\varphi + w \) with
 * \( \mathrm{div}_h(\tilde\rho\, w) = 0 \), i.e. \( -\mathrm{div}_h(\tilde\rho\nabla_h\varphi) =
 * -\mathrm{div}_h(\tilde\rho\, u) \). The gradient part is the least-effort field of the density path that \( u \)
 * drives, \( w \) is in the flux-null space of survey &sect;2.1, and the two are orthogonal in
 * \( \langle a, b\rangle_{\tilde\rho} = \sum_f \tilde\rho_f a_f b_f |\Delta| \), so
 * \( E(u) = E(\nabla_h\varphi) + E(w) \) up to the solver's tolerance (and, with the given density instead of
 * \( \tilde\rho \), up to the floored cells' share).
 *
 * @param gradientPart           \( \nabla_h\varphi \)
 * @param fluxFreePart           \( w = u - \nabla_h\varphi \)
 * @param potential              \( \varphi \) at the cell centres, mean 0 (the accessor returns a copy)
 * @param kineticEnergy          \( E(u) = \sum_f \rho_f u_f^2 |\Delta| \) with the given density
 * @param gradientKineticEnergy  \( E(\nabla_h\varphi) \)
 * @param fluxFreeKineticEnergy  \( E(w) \)
 * @param floor                  the absolute density floor under the weights
 * @param flooredCells           the number of cells whose density was below the floor
 * @param convergence            conjugate-gradient iterations and, as error, the relative residual of the weighted
 *                               equation, tested against {@link LeastEffort#tolerance()}
 */
public record HodgeSplitResult(GridVectorField gradientPart, GridVectorField fluxFreePart, double[] potential,
                               double kineticEnergy, double gradientKineticEnergy, double fluxFreeKineticEnergy,
                               double floor, int flooredCells, Convergence convergence) implements IterativeResult {
    /** Validates and copies. */
    public HodgeSplitResult {
        Arguments.notNull("gradientPart", gradientPart);
        Arguments.notNull("fluxFreePart", fluxFreePart);
        Arguments.notNull("potential", potential);
        Arguments.notNull("convergence", convergence);
        potential = potential.clone();
    }

    /** A copy of the potential. */
    @Override
    public double[] potential() {
        return potential.clone();
    }

    /** One line: the grid, the three energies, the floor and how the iteration ended. */
    @Override
    public String toString() {
        return "HodgeSplitResult[" + gradientPart.grid() + ", kineticEnergy=" + TextSummary.number(kineticEnergy)
                + ", gradientKineticEnergy=" + TextSummary.number(gradientKineticEnergy) + ", fluxFreeKineticEnergy="
                + TextSummary.number(fluxFreeKineticEnergy) + ", floor=" + TextSummary.brief(floor) + " ("
                + flooredCells + " cells), " + convergence + "]";
    }
}
