package org.measureflow.core.velocity;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.grid.NeumannPoisson;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * The Dacorogna&ndash;Moser velocity of a density path (survey eq. 3):
 * \( v = -\nabla\Delta^{-1}(\partial_t\rho)/\rho \). Its flux \( \rho v = \nabla q \),
 * \( -\Delta q = \partial_t\rho \),
 * is the gradient of a potential, so \( \mathrm{div}(\rho v) = -\partial_t\rho \): the field moves \( \rho \) along the
 * path. Unlike the least-effort field ({@link LeastEffort}) it is not a gradient in general and has more kinetic
 * energy; both agree in 1-D, and for a density and rate that are both radial about one centre.
 *
 * <p><b>Discretisation</b> (the faces and face densities of {@link GridVectorField}): \( q \) at the cell centres
 * solves \( -\Delta_h q = \partial_t\rho - \gamma\rho \) exactly ({@link NeumannPoisson}, no flux through the
 * boundary; \( \gamma = \sum_c\partial_t\rho_c/\sum_c\rho_c \) removes a change of mass, which no field can make),
 * and on each inner face \( v_f = (\nabla_h q)_f / \tilde\rho_f \) with \( \tilde\rho_f \) the arithmetic mean of
 * \( \tilde\rho_c = \max(\rho_c, \varepsilon\max\rho) \). Where no cell next to a face is floored,
 * \( \rho_f v_f = (\nabla_h q)_f \) and the discrete continuity equation holds exactly; so on the same faces the
 * least-effort field, the minimiser, has no more kinetic energy. Where the density is small the flux
 * \( \nabla_h q \) is not (it decays slowly, not like \( \rho \)), so the field is large there: the floor bounds it by
 * \( |\nabla_h q|/(\varepsilon\max\rho) \), and the result reports the floor and the floored cells.
 *
 * <p>Configuration ({@link #withDefaults()}), with the default: density floor
 * \( \varepsilon = \) {@value LeastEffort#DEFAULT_DENSITY_FLOOR} relative to the largest density
 * ({@link #withDensityFloor(double)}). Immutable and thread-safe.
 */
public final class DacorognaMoser {
    private final double densityFloor;

    private DacorognaMoser(double densityFloor) {
        this.densityFloor = densityFloor;
    }

    /** The method with the default floor. */
    public static DacorognaMoser withDefaults() {
        return new DacorognaMoser(LeastEffort.DEFAULT_DENSITY_FLOOR);
    }

    /**
     * This method with another density floor \( \varepsilon \): the division is by
     * \( \max(\rho, \varepsilon\max_c\rho_c) \).
     *
     * @param densityFloor in {@code (0, 1]}
     * @return a new instance; this one is unchanged
     * @throws IllegalArgumentException if {@code densityFloor} is not in {@code (0, 1]}
     */
    public DacorognaMoser withDensityFloor(double densityFloor) {
        return new DacorognaMoser(LeastEffort.checkFloor(densityFloor));
    }

    /** The density floor relative to the largest density. */
    public double densityFloor() {
        return densityFloor;
    }

    /**
     * The Dacorogna&ndash;Moser field of a density \( \rho \) changing at the rate \( \partial_t\rho \).
     *
     * @param rho        the density (with a positive value)
     * @param derivative \( \partial_t\rho \), one finite value per cell, row-major (not modified)
     * @return the field, its kinetic energy and the floor
     * @throws IllegalArgumentException if an argument is null, {@code rho} is zero everywhere, {@code derivative}
     *                                  has the wrong length or a non-finite entry, or the velocity overflows (named
     *                                  {@code derivative}), or the grid's cells are too small for the Laplacian
     *                                  (named {@code grid})
     */
    public DacorognaMoserResult solve(GridDensity rho, double[] derivative) {
        Arguments.notNull("rho", rho);
        LeastEffort.checkDerivative(rho, derivative);
        return solve(rho, derivative, NeumannPoisson.of(rho.grid()));
    }

    private DacorognaMoserResult solve(GridDensity rho, double[] derivative, NeumannPoisson poisson) {
        GuardedDensity guarded = GuardedDensity.of(rho, densityFloor);
        GuardedDensity.Source source = guarded.source(derivative);
        Grid grid = rho.grid();
        double[] q = poisson.solve(source.b());
        GridVectorField flux = LeastEffort.named("derivative", () -> GridVectorField.gradient(grid, q));
        int dim = grid.dimension();
        double[][] v = new double[dim][];
        double[] weight = guarded.scaled;
        for (int k = 0; k < dim; k++) {
            int stride = 1;
            for (int a = k + 1; a < dim; a++) {
                stride *= grid.cells(a);
            }
            v[k] = flux.component(k);
            for (int c = 0; c < v[k].length; c++) {
                if (v[k][c] != 0) { // an inner face: c + stride is the upper neighbour
                    v[k][c] *= source.scale() / (0.5 * (weight[c] + weight[c + stride]));
                }
            }
            Arguments.finiteResult("derivative", "the velocity", v[k]);
        }
        GridVectorField field = GridVectorField.of(grid, v);
        return new DacorognaMoserResult(field, LeastEffort.energy(field, rho, "derivative"), source.growth(),
                guarded.floor, guarded.floored);
    }

    /**
     * The Dacorogna&ndash;Moser fields along a path, at the reconstruction nodes of
     * {@link LeastEffort#solve(DensityPath)}, joined linearly in time by a {@link PathField}.
     *
     * @throws IllegalArgumentException if {@code path} is null, or as {@link #solve(GridDensity, double[])} at a node
     */
    public DacorognaMoserPathResult solve(DensityPath path) {
        Arguments.notNull("path", path);
        NeumannPoisson poisson = NeumannPoisson.of(path.grid());
        int count = path.nodeCount();
        List<DacorognaMoserResult> nodes = new ArrayList<>();
        List<GridVectorField> fields = new ArrayList<>();
        double[] times = new double[count];
        double action = 0;
        for (int j = 0; j < count; j++) {
            DacorognaMoserResult node = solve(path.nodeDensity(j), path.nodeDerivative(j), poisson);
            nodes.add(node);
            fields.add(node.field());
            times[j] = path.nodeTime(j);
            action += path.nodeWeight(j) * node.kineticEnergy();
        }
        Arguments.finiteResult("path", "the action", action);
        return new DacorognaMoserPathResult(PathField.of(times, fields), nodes, action);
    }

    @Override
    public String toString() {
        return "DacorognaMoser[densityFloor=" + densityFloor + "]";
    }
}
