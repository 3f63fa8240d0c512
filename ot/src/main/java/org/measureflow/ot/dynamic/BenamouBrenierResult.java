package org.measureflow.ot.dynamic;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.GridDensity;

/**
 * The outcome of {@link BenamouBrenier#solve}: a discrete solution \( (\rho, m) \) of the dynamic transport problem
 * (survey eq. 11) on a staggered space&ndash;time grid with \( P \) time steps \( \Delta t = 1/P \) over the spatial
 * grid of the end densities.
 *
 * <p>Layout (row-major, the last index fastest; in 1-D read \( n_y = 1 \)): the density lives on the time nodes
 * \( t_l = l/P \), \( l = 0..P \), and the cell centres: {@code density[(l * nx + i) * ny + j]}; the momentum's x-part
 * lives on the mid-times \( (l + 1/2)/P \) and the x-faces \( i = 0..n_x \):
 * {@code momentumX[(l * (nx + 1) + i) * ny + j]}; its y-part on the y-faces:
 * {@code momentumY[(l * nx + i) * (ny + 1) + j]} (empty in 1-D). This pair satisfies the discrete continuity
 * equation \( (\rho_{l+1} - \rho_l)/\Delta t + \mathrm{div}_h m_{l+1/2} = 0 \) with no flux through the boundary and
 * the prescribed end densities, exactly up to rounding, so the mass \( \sum_c \rho_{l,c} |\Delta| \) is the same at
 * every time. The splitting does not force this pair to be non-negative: small negative values (of the order of
 * {@link #error()}) can appear where the density is near zero.
 *
 * @param grid               the spatial grid (that of the end densities)
 * @param timeSteps          \( P \)
 * @param density            \( \rho_{l,c} \), {@code (P + 1) * cells} values (the accessor returns a copy)
 * @param momentumX          x-momentum on the staggered faces (copy)
 * @param momentumY          y-momentum on the staggered faces (copy; empty in 1-D)
 * @param kineticEnergy      \( \sum_{l,c} \Delta t\, |\Delta|\, |\bar m_{l,c}|^2 / \bar\rho_{l,c} \) of the
 *                           cell-centred variables \( (\bar\rho, \bar m) \) of the splitting: the discrete
 *                           \( \int_0^1\!\!\int |m|^2/\rho \), which approximates \( W_2^2(\rho_0, \rho_1) \)
 * @param convergence        Douglas&ndash;Rachford iterations done and, as error, the relative fixed-point residual
 *                           \( \|y - x\|_2 / \|x\|_2 \) of the splitting: the distance between the output
 *                           \( y = (U, \bar V) \) (continuity exact, energy finite) and the output \( x \) that
 *                           satisfies the interpolation constraint \( \bar V = \mathcal I U \) (zero at a fixed
 *                           point), tested against {@link BenamouBrenier#tolerance()}
 */
public record BenamouBrenierResult(GridDensity.Grid grid, int timeSteps, double[] density, double[] momentumX,
                                   double[] momentumY, double kineticEnergy, Convergence convergence)
        implements IterativeResult {
    /** Validates and copies the arrays. */
    public BenamouBrenierResult {
        Arguments.notNull("grid", grid);
        Arguments.notNull("convergence", convergence);
        Arguments.notNull("density", density);
        Arguments.notNull("momentumX", momentumX);
        Arguments.notNull("momentumY", momentumY);
        Arguments.length("density", density.length, (timeSteps + 1) * grid.size());
        density = density.clone();
        momentumX = momentumX.clone();
        momentumY = momentumY.clone();
    }

    /** A copy of the density path, {@code (P + 1) * cells} values. */
    @Override
    public double[] density() {
        return density.clone();
    }

    /** A copy of the x-momentum. */
    @Override
    public double[] momentumX() {
        return momentumX.clone();
    }

    /** A copy of the y-momentum. */
    @Override
    public double[] momentumY() {
        return momentumY.clone();
    }

    /** The time \( t_l = l / P \) of density slice {@code l}. */
    public double time(int l) {
        return (double) l / timeSteps;
    }

    /**
     * The raw density values \( \rho_{l,c} \) at time \( t_l = l/P \) (a copy, may hold small negative values).
     *
     * @throws IllegalArgumentException unless {@code 0 <= l <= P}
     */
    public double[] densityValues(int l) {
        checkSlice(l);
        int cells = grid.size();
        return Arrays.copyOfRange(density, l * cells, (l + 1) * cells);
    }

    /**
     * The density at time \( t_l \) as a {@link GridDensity}: the positive part \( \max(\rho_{l,c}, 0) \) of the
     * slice (see the class comment on small negative values).
     *
     * @throws IllegalArgumentException unless {@code 0 <= l <= P}
     */
    public GridDensity densityAt(int l) {
        double[] v = densityValues(l);
        for (int c = 0; c < v.length; c++) {
            v[c] = Math.max(v[c], 0);
        }
        return GridDensity.of(grid, v);
    }

    /**
     * The mass \( \sum_c \rho_{l,c} |\Delta| \) at time \( t_l \) (the same at every {@code l} by the continuity
     * equation).
     */
    public double mass(int l) {
        double[] v = densityValues(l);
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s * grid.cellVolume();
    }

    private void checkSlice(int l) {
        Arguments.inRange("l", l, 0, timeSteps);
    }

    /** One line: the grid, the time steps, the kinetic energy and how the iteration ended. */
    @Override
    public String toString() {
        return "BenamouBrenierResult[" + grid + ", timeSteps=" + timeSteps + ", kineticEnergy="
                + TextSummary.number(kineticEnergy) + ", " + convergence + "]";
    }
}
