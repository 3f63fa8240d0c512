package org.measureflow.gradientflow.jko;

import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;

/**
 * The Gibbs kernel \( K_{cc'} = e^{-|x_c - x_{c'}|^2/\varepsilon} \) of the squared Euclidean cost on a regular
 * 1-D or 2-D grid, applied as a separable convolution: \( K = K_x \otimes K_y \) with
 * \( (K_x)_{ii'} = e^{-(i - i')^2 h_x^2/\varepsilon} \), so \( v \mapsto K v \) costs
 * \( O(N (2R_x + 2R_y + 2)) \) instead of \( O(N^2) \). The 1-D kernels are cut where
 * \( e^{-r^2 h^2/\varepsilon} \lt 10^{-20} \) (below rounding relative to the centre weight); the cut keeps
 * \( K \) symmetric, so \( \sum_c a_c (K b)_c = \sum_c b_c (K a)_c \) holds to rounding. Sums run in a fixed order
 * within rows, and rows run in fixed chunks, so parallel and serial runs give the same bits.
 */
final class GibbsKernel {
    /** Relative size of the smallest kept kernel weight. */
    static final double CUTOFF = 1e-20;

    private final int nx;
    private final int ny;
    private final double[] kx;
    private final double[] ky;

    GibbsKernel(GridDensity.Grid grid, double epsilon) {
        this.nx = grid.cells(0);
        this.ny = grid.dimension() == 2 ? grid.cells(1) : 1;
        this.kx = weights(grid.cellSize(0), epsilon, nx);
        this.ky = grid.dimension() == 2 ? weights(grid.cellSize(1), epsilon, ny) : new double[]{1.0};
    }

    private static double[] weights(double h, double epsilon, int n) {
        double logCut = Math.log(CUTOFF);
        int radius = 0;
        while (radius + 1 < n && -(radius + 1.0) * (radius + 1.0) * h * h / epsilon >= logCut) {
            radius++;
        }
        double[] k = new double[radius + 1];
        for (int r = 0; r <= radius; r++) {
            k[r] = Math.exp(-(double) r * r * h * h / epsilon);
        }
        return k;
    }

    /** Kernel radius (in cells) along x. */
    int radiusX() {
        return kx.length - 1;
    }

    /** Kernel radius (in cells) along y (0 in 1-D). */
    int radiusY() {
        return ky.length - 1;
    }

    /**
     * {@code out = K in}. {@code work} has the grid's size (unused in 1-D); {@code in}, {@code out} and
     * {@code work} must be distinct.
     */
    void apply(double[] in, double[] out, double[] work) {
        if (ny == 1) {
            convolveRows(in, out, 1, nx, kx);
            return;
        }
        convolveRows(in, work, nx, ny, ky);
        convolveColumns(work, out);
    }

    /** Convolution along the contiguous index, for each of {@code rows} rows of length {@code len}. */
    private static void convolveRows(double[] in, double[] out, int rows, int len, double[] k) {
        int radius = k.length - 1;
        long cost = 2L * len * (2L * radius + 1);
        int chunkRows = Math.max(1, Math.min(rows, (int) Math.max(1, 65_536 / Math.max(1, cost))));
        if (rows == 1) {
            Chunks.forEach(len, 2048, 2L * (2L * radius + 1), (chunk, start, end) -> {
                for (int j = start; j < end; j++) {
                    out[j] = convolveAt(in, 0, len, j, k, radius);
                }
            });
            return;
        }
        Chunks.forEach(rows, chunkRows, cost, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int base = i * len;
                for (int j = 0; j < len; j++) {
                    out[base + j] = convolveAt(in, base, len, j, k, radius);
                }
            }
        });
    }

    private static double convolveAt(double[] in, int base, int len, int j, double[] k, int radius) {
        double s = k[0] * in[base + j];
        int lo = Math.min(radius, j);
        int hi = Math.min(radius, len - 1 - j);
        int common = Math.min(lo, hi);
        for (int r = 1; r <= common; r++) {
            s += k[r] * (in[base + j - r] + in[base + j + r]);
        }
        for (int r = common + 1; r <= lo; r++) {
            s += k[r] * in[base + j - r];
        }
        for (int r = common + 1; r <= hi; r++) {
            s += k[r] * in[base + j + r];
        }
        return s;
    }

    /** Convolution along x (across rows), row by row: {@code out[i,:] = sum_r k[|r|] in[i + r, :]}. */
    private void convolveColumns(double[] in, double[] out) {
        int radius = kx.length - 1;
        long cost = 2L * ny * (2L * radius + 1);
        int chunkRows = Math.max(1, (int) Math.min(nx, Math.max(1, 65_536 / cost)));
        Chunks.forEach(nx, chunkRows, cost, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int base = i * ny;
                double k0 = kx[0];
                for (int j = 0; j < ny; j++) {
                    out[base + j] = k0 * in[base + j];
                }
                for (int r = 1; r <= radius; r++) {
                    double w = kx[r];
                    boolean below = i - r >= 0;
                    boolean above = i + r < nx;
                    if (below && above) {
                        int b1 = (i - r) * ny;
                        int b2 = (i + r) * ny;
                        for (int j = 0; j < ny; j++) {
                            out[base + j] += w * (in[b1 + j] + in[b2 + j]);
                        }
                    } else if (below) {
                        int b1 = (i - r) * ny;
                        for (int j = 0; j < ny; j++) {
                            out[base + j] += w * in[b1 + j];
                        }
                    } else if (above) {
                        int b2 = (i + r) * ny;
                        for (int j = 0; j < ny; j++) {
                            out[base + j] += w * in[b2 + j];
                        }
                    } else {
                        break;
                    }
                }
            }
        });
    }
}
