package org.measureflow.ot.barycenter;

import org.measureflow.core.parallel.Chunks;

/**
 * The Gibbs kernel \( K = e^{-|x-y|^2/\varepsilon} \) of a regular 1-D or 2-D grid, applied in the log domain as two
 * one-dimensional passes (Solomon et al. 2015: \( e^{-|x-y|^2/\varepsilon} = e^{-(x_1-y_1)^2/\varepsilon}
 * e^{-(x_2-y_2)^2/\varepsilon} \), so \( K = K_x \otimes K_y \)): \( \mathrm{out} = \log(K e^{\ell}) \), exact for any
 * \( \varepsilon \), in \( O(N(b_x + b_y)) \) multiply-adds for an \( N = n_x n_y \) grid, where \( b \le n \) is the
 * kernel's band (entries below \( 10^{-150} \) dropped).
 *
 * <p>Each pass shifts every input line by its maximum, so the products run on numbers in \( [10^{-150}, 1] \) (smaller
 * ones flushed to zero), with no exponential per kernel entry. An output whose shifted sum falls below
 * \( 10^{-100} \) (its dominant inputs lie far from the line's maximum) is recomputed by an exact max-shifted
 * log-sum-exp over its whole line, \( O(n) \) exponentials: the result is exact to rounding everywhere (dropped
 * terms are below \( n\cdot 10^{-150} \), relative \( 10^{-50} \) of any kept sum). Lines are processed in fixed
 * chunks by {@link Chunks}, each output by one thread in a fixed order: parallel runs give the same bits.
 *
 * <p>Layout as {@link org.measureflow.core.measure.GridDensity}: cell {@code (i, j)} at {@code i * ny + j}; a 1-D
 * grid is {@code ny = 1}. Work arrays are allocated once, so one instance serves one thread at a time.
 */
final class SeparableGibbsKernel {
    static final double FLUSH = 1e-150;
    static final double FALLBACK = 1e-100;

    private final int nx;
    private final int ny;
    private final double[] x;
    private final double[] y;
    private final double eps;
    private final double[] kx;
    private final double[] ky;
    private final int[] loX;
    private final int[] hiX;
    private final int[] loY;
    private final int[] hiY;
    private final boolean parallel;
    private final double[] a;
    private final double[] e;
    private final double[] colMax;

    SeparableGibbsKernel(double[] x, double[] y, double eps, boolean parallel) {
        this.nx = x.length;
        this.ny = y.length;
        this.x = x;
        this.y = y;
        this.eps = eps;
        this.parallel = parallel;
        this.loX = new int[nx];
        this.hiX = new int[nx];
        this.loY = new int[ny];
        this.hiY = new int[ny];
        this.kx = kernel(x, eps, loX, hiX);
        this.ky = kernel(y, eps, loY, hiY);
        int size = nx * ny;
        this.a = new double[size];
        this.e = new double[size];
        this.colMax = new double[ny];
    }

    /** The dense 1-D kernel \( e^{-(t_i - t_{i'})^2/\varepsilon} \) with entries below FLUSH set to 0, and its band. */
    private static double[] kernel(double[] t, double eps, int[] lo, int[] hi) {
        int n = t.length;
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            lo[i] = n;
            hi[i] = -1;
            for (int j = 0; j < n; j++) {
                double d = t[i] - t[j];
                double v = Math.exp(-d * d / eps);
                if (v >= FLUSH) {
                    k[i * n + j] = v;
                    lo[i] = Math.min(lo[i], j);
                    hi[i] = Math.max(hi[i], j);
                }
            }
        }
        return k;
    }

    private void forEach(int count, long costPerRow, Chunks.Body body) {
        int chunk = Math.max(1, (count + 63) / 64);
        if (parallel) {
            Chunks.forEach(count, chunk, costPerRow, body);
        } else {
            for (int c = 0; c < Chunks.count(count, chunk); c++) {
                body.run(c, c * chunk, Math.min(count, (c + 1) * chunk));
            }
        }
    }

    /** \( \mathrm{out} = \log(K e^{\ell}) \); {@code in} and {@code out} of length \( n_x n_y \), may not alias. */
    void apply(double[] in, double[] out) {
        double[] mid;
        if (ny == 1) {
            mid = in;
        } else {
            mid = a;
            alongY(in, mid);
        }
        if (nx == 1) {
            System.arraycopy(mid, 0, out, 0, mid.length);
        } else {
            alongX(mid, out);
        }
    }

    /** Pass along y: each row {@code i} (contiguous) is one line. */
    private void alongY(double[] in, double[] out) {
        double inv = 1.0 / eps;
        forEach(nx, 4L * ny * ny, (c, start, end) -> {
            double[] ev = new double[ny];
            double[] s = new double[ny];
            for (int i = start; i < end; i++) {
                int base = i * ny;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < ny; j++) {
                    max = Math.max(max, in[base + j]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    java.util.Arrays.fill(out, base, base + ny, Double.NEGATIVE_INFINITY);
                    continue;
                }
                java.util.Arrays.fill(s, 0.0);
                for (int j = 0; j < ny; j++) {
                    double v = Math.exp(in[base + j] - max);
                    ev[j] = v >= FLUSH ? v : 0.0;
                }
                for (int jp = 0; jp < ny; jp++) {
                    double v = ev[jp];
                    if (v == 0) {
                        continue;
                    }
                    int row = jp * ny;
                    for (int j = loY[jp]; j <= hiY[jp]; j++) {
                        s[j] += v * ky[row + j];
                    }
                }
                for (int j = 0; j < ny; j++) {
                    out[base + j] = s[j] >= FALLBACK ? max + Math.log(s[j]) : exactLine(in, base, 1, ny, y, y[j], inv);
                }
            }
        });
    }

    /** Pass along x: column {@code j} (stride {@code ny}) is one line; rows of the output are accumulated at once. */
    private void alongX(double[] in, double[] out) {
        double inv = 1.0 / eps;
        java.util.Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < nx; i++) {
            int base = i * ny;
            for (int j = 0; j < ny; j++) {
                colMax[j] = Math.max(colMax[j], in[base + j]);
            }
        }
        forEach(nx, 4L * ny, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                int base = i * ny;
                for (int j = 0; j < ny; j++) {
                    double m = colMax[j];
                    double v = m == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(in[base + j] - m);
                    e[base + j] = v >= FLUSH ? v : 0.0;
                }
            }
        });
        forEach(nx, 4L * ny * nx, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                int base = i * ny;
                java.util.Arrays.fill(out, base, base + ny, 0.0);
                int row = i * nx;
                for (int ip = loX[i]; ip <= hiX[i]; ip++) {
                    double k = kx[row + ip];
                    if (k == 0) {
                        continue;
                    }
                    int src = ip * ny;
                    for (int j = 0; j < ny; j++) {
                        out[base + j] += k * e[src + j];
                    }
                }
                for (int j = 0; j < ny; j++) {
                    double s = out[base + j];
                    double m = colMax[j];
                    if (m == Double.NEGATIVE_INFINITY) {
                        out[base + j] = Double.NEGATIVE_INFINITY;
                    } else {
                        out[base + j] = s >= FALLBACK ? m + Math.log(s) : exactLine(in, j, ny, nx, x, x[i], inv);
                    }
                }
            }
        });
    }

    /**
     * \( \log\sum_{q} \exp(\ell_{\mathrm{start} + q\cdot\mathrm{stride}} - (t - t_q)^2/\varepsilon) \), max-shifted
     * (two passes, \( O(n) \) exponentials).
     */
    private static double exactLine(double[] in, int start, int stride, int count, double[] t, double at, double inv) {
        double max = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < count; q++) {
            double d = at - t[q];
            max = Math.max(max, in[start + q * stride] - d * d * inv);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int q = 0; q < count; q++) {
            double d = at - t[q];
            s += Math.exp(in[start + q * stride] - d * d * inv - max);
        }
        return max + Math.log(s);
    }
}
