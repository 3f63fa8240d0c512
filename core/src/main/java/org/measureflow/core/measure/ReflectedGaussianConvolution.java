package org.measureflow.core.measure;

import java.util.Arrays;

import org.measureflow.core.parallel.Chunks;

/**
 * Separable Gaussian convolution of cell masses on a {@link GridDensity.Grid} with reflecting walls, the smoothing
 * step of {@link GridDensity#kernelDensity(ParticleMeasure, GridDensity.Grid, double[])}.
 *
 * <p>Along an axis of \( n \) cells, with the bandwidth \( s = b/h \) counted in cells, the discrete kernel is
 * \( g_o \propto \exp(-o^2/(2 s^2)) \) for the integer offsets \( |o| \le J = \lfloor 8 s \rfloor \), normalised to
 * \( \sum_o g_o = 1 \). The line is extended beyond each wall by its mirror image (cell \( -1-j \) is cell \( j \),
 * cell \( n+j \) is cell \( n-1-j \), repeated with period \( 2n \): the even extension that the DCT-II and the
 * Neumann Laplacian use), and \( \mathrm{out}_i = \sum_o g_o\, \mathrm{in}_{\mathrm{fold}(i+o)} \). Every input cell
 * hands out exactly its mass, so the total is kept to round-off, and values stay non-negative.
 *
 * <p>Three regimes keep the cost at most \( O(n) \) per cell and axis whatever the bandwidth:
 * <ul>
 * <li>\( J \lt n \): the stencil above, \( 2J + 1 \) multiply-adds per cell;</li>
 * <li>\( J \ge n \) and \( s \le 8n/\pi \): the same kernel wrapped onto one period \( 2n \) (offsets
 *     \( -n..n \), the residue \( n \) shared by \( \pm n \)), \( 2n + 1 \) multiply-adds per cell;</li>
 * <li>\( s \gt 8n/\pi \): the wrapped kernel is uniform up to a relative \( 2\sum_{k\ge1} e^{-(\pi s k/n)^2/2}
 *     \lt 3 \cdot 10^{-14} \) (Poisson summation), and the line is replaced by its average.</li>
 * </ul>
 * Lines are processed over fixed chunks ({@link Chunks}); each output is one fixed sum, so the bits do not depend
 * on the number of threads.
 */
final class ReflectedGaussianConvolution {
    /**
     * The kernel is cut at this many bandwidths: the largest dropped weight is \( e^{-32} \approx 1.3 \cdot 10^{-14} \)
     * of the peak.
     */
    static final double TRUNCATION = 8;
    /** Rough multiply-adds per chunk of lines. */
    private static final long WORK_PER_CHUNK = 1 << 15;

    private ReflectedGaussianConvolution() {
    }

    /**
     * Smooths the row-major cell masses {@code masses} along every axis with the bandwidths {@code bandwidths} (in
     * the data's units); may overwrite {@code masses} and returns the smoothed masses.
     */
    static double[] smooth(double[] masses, GridDensity.Grid grid, double[] bandwidths) {
        int d = grid.dimension();
        int[] cells = new int[d];
        for (int k = 0; k < d; k++) {
            cells[k] = grid.cells(k);
        }
        double[] current = masses;
        double[] spare = null;
        for (int k = 0; k < d; k++) {
            double[] weights = weights(bandwidths[k] / grid.cellSize(k), cells[k]);
            if (weights != null && weights.length == 1) {
                continue; // the identity: a bandwidth below 1/8 cell, or a single cell
            }
            if (spare == null) {
                spare = new double[current.length];
            }
            if (weights == null) {
                average(current, spare, cells, k);
            } else {
                convolve(current, spare, cells, k, weights);
            }
            double[] t = current;
            current = spare;
            spare = t;
        }
        return current;
    }

    /**
     * The normalised kernel on offsets {@code -R..R} (length {@code 2R + 1}) for a bandwidth of {@code s} cells on
     * an axis of {@code n} cells, or {@code null} when it is uniform over the period (then the line average is the
     * answer). {@code {1}} is the identity.
     */
    static double[] weights(double s, int n) {
        double reach = TRUNCATION * s;
        if (n == 1 || !(reach >= 1)) {
            return new double[]{1};
        }
        if (reach < n) {
            int j = (int) reach;
            double[] g = new double[2 * j + 1];
            for (int o = 0; o <= j; o++) {
                double z = o / s;
                double v = Math.exp(-0.5 * z * z);
                g[j + o] = v;
                g[j - o] = v;
            }
            return normalised(g);
        }
        if (s > TRUNCATION * n / Math.PI) {
            return null;
        }
        // wrap the offsets |o| <= J onto one period 2n; o and -o always land on residues r and -r together, so the
        // sums stay symmetric to the bit
        long j = (long) reach;
        long period = 2L * n;
        double[] g = new double[2 * n + 1];
        for (long o = 0; o <= j; o++) {
            double z = o / s;
            double v = Math.exp(-0.5 * z * z);
            g[n + residue(o, n, period)] += v;
            if (o > 0) {
                g[n + residue(-o, n, period)] += v;
            }
        }
        // the residue n (slot 0, offset -n) is also the offset +n: share it, so that the stencil stays symmetric
        g[0] *= 0.5;
        g[2 * n] = g[0];
        return normalised(g);
    }

    /** The offset {@code o} reduced modulo {@code period = 2n} into {@code [-n, n)}. */
    private static int residue(long o, int n, long period) {
        return (int) (Math.floorMod(o + n, period) - n);
    }

    private static double[] normalised(double[] g) {
        double sum = 0;
        for (double v : g) {
            sum += v;
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** {@code out = in} convolved along {@code axis} with {@code g} (offsets {@code -R..R}), reflected at the walls. */
    static void convolve(double[] in, double[] out, int[] cells, int axis, double[] g) {
        int n = cells[axis];
        int outer = cellsBetween(cells, 0, axis);
        int inner = cellsBetween(cells, axis + 1, cells.length);
        int r = g.length / 2;
        int[] fold = new int[n + 2 * r];
        for (int p = -r; p < n + r; p++) {
            fold[p + r] = p < 0 ? -1 - p : p >= n ? 2 * n - 1 - p : p;
        }
        if (inner == 1) {
            // contiguous lines: gather each into a padded buffer, then one dot product per cell
            long cost = (long) n * g.length;
            Chunks.forEach(outer, chunkRows(cost), cost, (chunk, start, end) -> {
                double[] pad = new double[n + 2 * r];
                for (int line = start; line < end; line++) {
                    int base = line * n;
                    for (int p = 0; p < pad.length; p++) {
                        pad[p] = in[base + fold[p]];
                    }
                    for (int i = 0; i < n; i++) {
                        double s = 0;
                        for (int o = 0; o < g.length; o++) {
                            s += g[o] * pad[i + o];
                        }
                        out[base + i] = s;
                    }
                }
            });
            return;
        }
        // strided axis: each output row of `inner` contiguous values is a combination of input rows (same order of
        // the terms as above)
        int rows = outer * n;
        long cost = (long) inner * g.length;
        Chunks.forEach(rows, chunkRows(cost), cost, (chunk, start, end) -> {
            for (int row = start; row < end; row++) {
                int blockBase = (row / n) * n;
                int i = row % n;
                int dst = row * inner;
                Arrays.fill(out, dst, dst + inner, 0.0);
                for (int o = 0; o < g.length; o++) {
                    double w = g[o];
                    int src = (blockBase + fold[i + o]) * inner;
                    for (int t = 0; t < inner; t++) {
                        out[dst + t] += w * in[src + t];
                    }
                }
            }
        });
    }

    /** {@code out} = the average of {@code in} along {@code axis}, repeated on every cell of that axis. */
    static void average(double[] in, double[] out, int[] cells, int axis) {
        int n = cells[axis];
        int outer = cellsBetween(cells, 0, axis);
        int inner = cellsBetween(cells, axis + 1, cells.length);
        double[] sum = new double[inner];
        for (int block = 0; block < outer; block++) {
            Arrays.fill(sum, 0.0);
            int base = block * n * inner;
            for (int j = 0; j < n; j++) {
                for (int t = 0; t < inner; t++) {
                    sum[t] += in[base + j * inner + t];
                }
            }
            for (int t = 0; t < inner; t++) {
                sum[t] /= n;
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(sum, 0, out, base + i * inner, inner);
            }
        }
    }

    /** The number of cells of the axes {@code from .. to - 1} (a stride of the row-major layout). */
    private static int cellsBetween(int[] cells, int from, int to) {
        int p = 1;
        for (int k = from; k < to; k++) {
            p *= cells[k];
        }
        return p;
    }

    private static int chunkRows(long costPerRow) {
        return (int) Math.max(1, WORK_PER_CHUNK / Math.max(1, costPerRow));
    }
}
