package org.measureflow.gradientflow.energy;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;

/**
 * The potential energy \( \mathcal V(\rho) = \int V\, d\rho \) (survey &sect;5.2): first variation
 * \( \frac{\delta \mathcal V}{\delta\rho} = V \), particle velocity \( \dot x_i = -\nabla V(x_i) \) (eq. 17), and
 * Wasserstein flow \( \partial_t\rho = \mathrm{div}(\rho\nabla V) \). On a grid,
 * \( \mathcal V(\rho) = \sum_c V(x_c)\rho_c|\Delta| \); on particles, \( \mathcal V(\mu) = \sum_i w_i V(x_i) \). Defined on
 * grids and on particles (a {@link MeasureEnergy}). Immutable.
 */
public final class PotentialEnergy implements MeasureEnergy {
    private final Potential potential;

    private PotentialEnergy(Potential potential) {
        this.potential = potential;
    }

    /**
     * The energy \( \int V\,d\rho \).
     *
     * @param potential \( V \)
     * @return the energy
     * @throws IllegalArgumentException if {@code potential} is null
     */
    public static PotentialEnergy of(Potential potential) {
        return new PotentialEnergy(Arguments.notNull("potential", potential));
    }

    /**
     * The potential \( V \).
     *
     * @return \( V \)
     */
    public Potential potential() {
        return potential;
    }

    /**
     * \( V(x_c) \) at every cell centre of {@code grid}.
     *
     * @param grid the grid
     * @return one value per cell, row-major
     * @throws IllegalArgumentException if the grid's dimension is not the potential's
     */
    public double[] onGrid(GridDensity.Grid grid) {
        Arguments.notNull("grid", grid);
        int d = Arguments.length("grid (dimension)", grid.dimension(), potential.dimension());
        double[] centres = grid.cellCentres();
        double[] v = new double[grid.size()];
        for (int c = 0; c < v.length; c++) {
            v[c] = potential.value(centres, c * d);
        }
        return Arguments.finiteResult("grid", "the potential at a cell centre", v);
    }

    @Override
    public double value(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] v = onGrid(rho.grid());
        double s = 0;
        for (int c = 0; c < v.length; c++) {
            double r = rho.value(c);
            if (r != 0) {
                s += v[c] * r;
            }
        }
        return Arguments.finiteResult("rho", "the energy", s * rho.cellVolume());
    }

    @Override
    public double[] firstVariation(GridDensity rho) {
        Arguments.notNull("rho", rho);
        return onGrid(rho.grid());
    }

    @Override
    public double value(double[] points, int n, int d, double[] weights) {
        checkParticles(points, n, d, weights);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 / n : weights[i];
            s += w * potential.value(points, i * d);
        }
        return s;
    }

    @Override
    public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
        checkParticles(points, n, d, weights);
        Chunks.forEach(n, 4L * d * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                potential.addGradient(points, i * d, -1.0, out, i * d);
            }
        });
    }

    private void checkParticles(double[] points, int n, int d, double[] weights) {
        Arguments.length("d (particle dimension)", d, potential.dimension());
        ParticleArguments.check(points, n, d, weights);
    }

    /** {@code PotentialEnergy[V]} with the potential's text. */
    @Override
    public String toString() {
        return "PotentialEnergy[" + potential + "]";
    }
}
