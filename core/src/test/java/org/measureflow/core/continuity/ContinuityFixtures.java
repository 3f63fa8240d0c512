package org.measureflow.core.continuity;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/** Grids, rough densities and smooth time-dependent fields drawn from a seed, for the continuity tests. */
final class ContinuityFixtures {
    private ContinuityFixtures() {
    }

    /** A problem: a grid, a rough density on it and a rough field of its dimension. */
    record Case(Grid grid, GridDensity density, VectorField field) {
    }

    /** A {@link #grid}, a {@link #roughDensity} on it and a {@link #roughField}, in that order from {@code rng}. */
    static Case draw(RandomGenerator rng, int dim, int maxCells) {
        Grid grid = grid(rng, dim, maxCells);
        return new Case(grid, roughDensity(rng, grid), roughField(rng, dim));
    }

    /** The default solver with every boundary and every limiter. */
    static List<ContinuitySolver> schemes() {
        List<ContinuitySolver> out = new ArrayList<>();
        for (Boundary boundary : Boundary.values()) {
            for (SlopeLimiter limiter : SlopeLimiter.values()) {
                out.add(ContinuitySolver.withDefaults().withBoundary(boundary).withLimiter(limiter));
            }
        }
        return out;
    }

    /** The largest magnitude of an entry (0 for an empty array). */
    static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A grid of dimension {@code dim} on a box around the origin with 2 to {@code maxCells} cells per axis. */
    static Grid grid(RandomGenerator rng, int dim, int maxCells) {
        int[] n = new int[3];
        double[] lo = new double[3];
        double[] hi = new double[3];
        for (int k = 0; k < dim; k++) {
            n[k] = 2 + rng.nextInt(maxCells - 1);
            lo[k] = -1 - rng.nextDouble();
            hi[k] = 1 + rng.nextDouble();
        }
        return switch (dim) {
            case 1 -> Grid.of1d(lo[0], hi[0], n[0]);
            case 2 -> Grid.of2d(lo[0], hi[0], n[0], lo[1], hi[1], n[1]);
            default -> Grid.of3d(lo[0], hi[0], n[0], lo[1], hi[1], n[1], lo[2], hi[2], n[2]);
        };
    }

    /**
     * A rough density: independent values in [0, 1), a quarter of the cells empty and a few spikes 100 times
     * higher, so the limiters meet extrema and jumps everywhere.
     */
    static GridDensity roughDensity(RandomGenerator rng, Grid grid) {
        double[] values = new double[grid.size()];
        for (int c = 0; c < values.length; c++) {
            double u = rng.nextDouble();
            values[c] = u < 0.25 ? 0.0 : u < 0.3 ? 100 * rng.nextDouble() : rng.nextDouble();
        }
        return GridDensity.of(grid, values);
    }

    /**
     * A smooth, time-dependent, compressing and rotating field in dimension {@code dim}:
     * \( v_k(t, x) = \sum_j A_{kj} x_j + c_k \sin(\omega_k x_{k+1} + t) \) with random \( A, c, \omega \) (the
     * index \( k + 1 \) taken cyclically).
     */
    static VectorField roughField(RandomGenerator rng, int dim) {
        double[] a = new double[dim * dim];
        double[] c = new double[dim];
        double[] w = new double[dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        for (int k = 0; k < dim; k++) {
            c[k] = rng.nextGaussian();
            w[k] = 1 + 3 * rng.nextDouble();
        }
        return (t, x, xo, out, oo) -> {
            for (int k = 0; k < dim; k++) {
                double s = c[k] * Math.sin(w[k] * x[xo + (k + 1) % dim] + t);
                for (int j = 0; j < dim; j++) {
                    s += a[k * dim + j] * x[xo + j];
                }
                out[oo + k] = s;
            }
        };
    }
}
