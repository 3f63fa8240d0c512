package org.measureflow.ot.dynamic;

import org.measureflow.core.measure.GridDensity;

/**
 * The staggered space&ndash;time grid of {@link BenamouBrenier} (package-private): \( P \) time steps
 * \( \Delta t = 1/P \) over \( n_x \times n_y \) cells (\( n_y = 1 \) in 1-D), and the layout of its unknowns
 * (row-major, last index fastest): the density on the time nodes and cell centres, {@code r[(l * nx + i) * ny + j]},
 * \( l = 0..P \); the x-momentum on the mid-times and x-faces, {@code mx[(l * (nx + 1) + i) * ny + j]}; the
 * y-momentum on the y-faces, {@code my[(l * nx + i) * (ny + 1) + j]}; the centred variables on the mid-times and cell
 * centres, {@code c[(l * nx + i) * ny + j]}, \( l = 0..P-1 \).
 */
final class StaggeredGrid {
    final GridDensity.Grid grid;
    final int p;
    final int nx;
    final int ny;
    final double dt;
    final double hx;
    final double hy;
    /** Whether the grid is 2-D (the y-momentum is then an unknown; in 1-D it stays zero). */
    final boolean twoD;
    /**
     * Sizes: {@code (p+1) nx ny} densities, {@code p (nx+1) ny} x-momenta, {@code p nx (ny+1)} y-momenta,
     * {@code p nx ny} centred values.
     */
    final int nr;
    final int nmx;
    final int nmy;
    final int nc;

    StaggeredGrid(GridDensity.Grid grid, int p) {
        this.grid = grid;
        this.p = p;
        this.nx = grid.cells(0);
        this.ny = grid.dimension() == 2 ? grid.cells(1) : 1;
        this.dt = 1.0 / p;
        this.hx = grid.cellSize(0);
        this.hy = grid.dimension() == 2 ? grid.cellSize(1) : 1.0;
        this.twoD = ny > 1 || grid.dimension() == 2;
        nr = (p + 1) * nx * ny;
        nmx = p * (nx + 1) * ny;
        nmy = p * nx * (ny + 1);
        nc = p * nx * ny;
    }

    /** \( V = \mathcal I U \): midpoint averages in t (density), x (x-momentum), y (y-momentum). */
    void interpolate(double[] ur, double[] umx, double[] umy, double[] cr, double[] cmx, double[] cmy) {
        int cells = nx * ny;
        for (int l = 0; l < p; l++) {
            for (int c = 0; c < cells; c++) {
                cr[l * cells + c] = 0.5 * (ur[l * cells + c] + ur[(l + 1) * cells + c]);
            }
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    int c = (l * nx + i) * ny + j;
                    cmx[c] = 0.5 * (umx[(l * (nx + 1) + i) * ny + j] + umx[(l * (nx + 1) + i + 1) * ny + j]);
                    cmy[c] = 0.5 * (umy[(l * nx + i) * (ny + 1) + j] + umy[(l * nx + i) * (ny + 1) + j + 1]);
                }
            }
        }
    }
}
