package org.measureflow.core.measure;

/**
 * The cloud-in-cell (multilinear) deposit of particles onto the cell centres of a {@link GridDensity.Grid}, the
 * numerics behind {@link GridDensity#cloudInCell(ParticleMeasure, GridDensity.Grid)} and the first step of
 * {@link GridDensity#kernelDensity(ParticleMeasure, GridDensity.Grid, double)}.
 *
 * <p>Along axis \( k \) a particle at \( x_k \) sits at \( s = (x_k - lo_k)/h_k - 1/2 \) in units of cells counted
 * from the first centre; with \( i = \lfloor s \rfloor \) and \( f = s - i \) it gives \( 1 - f \) of its weight to
 * cell \( i \) and \( f \) to cell \( i + 1 \). Along each axis the two weights sum to 1 and
 * \( (1 - f) x_i + f x_{i+1} = x_k \), so the deposit keeps the mass and, away from the walls, the first moment.
 * Between a wall and the outer centre ({@code i = -1} or {@code i = n - 1}) the share of the ghost cell beyond the
 * wall stays in the boundary cell: the deposit of the particle and of its mirror image across the wall, folded back,
 * which is the reflection the kernel density estimate uses too. In dimension \( d \) the \( 2^d \) corner weights
 * are the products of the per-axis weights.
 */
final class CloudInCell {
    private CloudInCell() {
    }

    /**
     * The deposited masses \( m_c = \sum_i w_i \prod_k \omega_k(x_i, c) \) per cell, row-major (not divided by the
     * cell volume). Particles outside the closed box are dropped, so \( \sum_c m_c \) is the weight inside the box.
     * One pass over the particles, serial: the scatter into shared cells would otherwise need one grid per thread.
     */
    static double[] masses(ParticleMeasure mu, GridDensity.Grid grid) {
        int d = grid.dimension();
        int[] cells = new int[d];
        double[] lo = new double[d];
        double[] hi = new double[d];
        double[] h = new double[d];
        for (int k = 0; k < d; k++) {
            cells[k] = grid.cells(k);
            lo[k] = grid.lower(k);
            hi[k] = grid.upper(k);
            h[k] = grid.cellSize(k);
        }
        double[] out = new double[grid.size()];
        int[] lower = new int[d];
        int[] upper = new int[d];
        double[] share = new double[d]; // the weight fraction f that goes to the upper neighbour
        int corners = 1 << d;
        int n = mu.size();
        particles:
        for (int p = 0; p < n; p++) {
            for (int k = 0; k < d; k++) {
                double x = mu.coordinate(p, k);
                if (!(x >= lo[k] && x <= hi[k])) {
                    continue particles;
                }
                double s = (x - lo[k]) / h[k] - 0.5;
                double floor = Math.floor(s);
                int i = (int) floor;
                if (i < 0) {
                    lower[k] = 0;
                    upper[k] = 0;
                    share[k] = 0;
                } else if (i >= cells[k] - 1) {
                    lower[k] = cells[k] - 1;
                    upper[k] = cells[k] - 1;
                    share[k] = 0;
                } else {
                    lower[k] = i;
                    upper[k] = i + 1;
                    share[k] = s - floor;
                }
            }
            double w = mu.weight(p);
            for (int corner = 0; corner < corners; corner++) {
                double weight = w;
                int index = 0;
                for (int k = 0; k < d; k++) {
                    boolean up = ((corner >> (d - 1 - k)) & 1) != 0;
                    index = index * cells[k] + (up ? upper[k] : lower[k]);
                    weight *= up ? share[k] : 1 - share[k];
                }
                out[index] += weight;
            }
        }
        return out;
    }
}
