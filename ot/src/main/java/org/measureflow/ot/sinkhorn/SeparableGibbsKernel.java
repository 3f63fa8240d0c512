package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;

/**
 * The Gibbs kernel of the squared Euclidean cost between the cells of a regular 1-D or 2-D grid,
 * \[ K_{cc'} = e^{-|x_c - x_{c'}|^2/\varepsilon}, \]
 * applied as two one-dimensional passes: \( e^{-|x-y|^2/\varepsilon} = e^{-(x_1-y_1)^2/\varepsilon}
 * e^{-(x_2-y_2)^2/\varepsilon} \), so \( K = K_x \otimes K_y \) (Solomon et al. 2015, convolutional Wasserstein
 * distances), and \( v \mapsto Kv \) costs \( O(N(b_x + b_y)) \) on \( N = n_x n_y \) cells, where \( b \) is the
 * kernel's band, instead of \( O(N^2) \). It is the kernel of the scaling algorithms on grids (convolutional
 * barycenters, the entropic JKO scheme), offered in two domains:
 * <ul>
 * <li>{@link #apply(double[], double[], double[])}: linear domain, \( \mathrm{out} = K\,\mathrm{in} \), a banded
 *     convolution with the weights \( e^{-r^2 h^2/\varepsilon} \) of offsets \( r = 0, 1, \dots \) cells, cut where
 *     \( e^{-r^2 h^2/\varepsilon} \lt 10^{-20} \) (below rounding relative to the centre weight; the cut keeps
 *     \( K \) symmetric). Fast, but scalings built on it leave the floating-point range when \( \varepsilon \) is
 *     small against the squared distances they have to bridge; the caller detects that.</li>
 * <li>{@link #applyLog(double[], double[])}: log domain, \( \mathrm{out} = \log(K e^{\mathrm{in}}) \), exact for any
 *     \( \varepsilon > 0 \). Each pass shifts every input line by its maximum, so the products run on numbers in
 *     \( [10^{-150}, 1] \) (smaller ones flushed to zero) with no exponential per kernel entry, over the 1-D
 *     kernels' entries above \( 10^{-150} \). An output whose shifted sum falls below \( 10^{-100} \) (its dominant
 *     inputs lie far from the line's maximum) is recomputed by an exact max-shifted log-sum-exp over its whole line,
 *     \( O(n) \) exponentials: the result is exact to rounding everywhere (dropped terms are below
 *     \( n\cdot 10^{-150} \), relative \( 10^{-50} \) of any kept sum). Entries \( -\infty \) (zero mass) are
 *     allowed.</li>
 * </ul>
 *
 * <p>Layout as {@link GridDensity}: cell {@code (i, j)} at {@code i * ny + j}; a 1-D grid has {@code ny = 1}. Lines
 * are processed in fixed chunks ({@link Chunks}), each output by one thread in a fixed order, so parallel and serial
 * runs give the same bits. Made by {@link #of(GridDensity.Grid, double)} (parallel chunks allowed) or
 * {@link #of(GridDensity.Grid, double, boolean)}.
 *
 * <p>Thread-safety: {@link #apply} keeps no state (the caller passes its work array) and may run on several threads
 * at once; {@link #applyLog} uses work arrays of the kernel (allocated at its first call, with the \( n_x^2 + n_y^2 \)
 * entries of the dense 1-D kernels), so one kernel serves one thread at a time there.
 */
public final class SeparableGibbsKernel {
    /** Relative size of the smallest weight kept by the linear-domain convolution. */
    static final double CUTOFF = 1e-20;
    /** Kernel entries and shifted inputs below this are flushed to zero in the log-domain passes. */
    static final double FLUSH = 1e-150;
    /** A shifted log-domain sum below this is recomputed exactly over its whole line. */
    static final double FALLBACK = 1e-100;

    private final GridDensity.Grid grid;
    private final double eps;
    private final boolean parallel;
    private final int nx;
    private final int ny;
    /** Linear domain: the weights \( e^{-r^2 h^2/\varepsilon} \), {@code r = 0..radius}, per axis. */
    private final double[] weightsX;
    private final double[] weightsY;
    /** Log domain (allocated by the first {@link #applyLog}): cell centres, dense 1-D kernels, bands, work. */
    private LogTables log;

    private SeparableGibbsKernel(GridDensity.Grid grid, double eps, boolean parallel) {
        this.grid = grid;
        this.eps = eps;
        this.parallel = parallel;
        this.nx = grid.cells(0);
        this.ny = grid.dimension() == 2 ? grid.cells(1) : 1;
        this.weightsX = weights(grid.cellSize(0), eps, nx);
        this.weightsY = grid.dimension() == 2 ? weights(grid.cellSize(1), eps, ny) : new double[] {1.0};
    }

    /**
     * The kernel of a grid at a regularisation, with parallel chunks allowed.
     *
     * @param grid    a regular 1-D or 2-D grid
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in the units of the squared cell distances
     * @return the kernel
     * @throws IllegalArgumentException if {@code grid} is null or {@code epsilon} is not finite and positive
     */
    public static SeparableGibbsKernel of(GridDensity.Grid grid, double epsilon) {
        return of(grid, epsilon, true);
    }

    /**
     * The kernel of a grid at a regularisation.
     *
     * @param grid     a regular 1-D or 2-D grid
     * @param epsilon  \( \varepsilon \), finite and {@code > 0}
     * @param parallel whether chunks may run on the common fork-join pool (same bits either way)
     * @return the kernel
     * @throws IllegalArgumentException if {@code grid} is null or {@code epsilon} is not finite and positive
     */
    public static SeparableGibbsKernel of(GridDensity.Grid grid, double epsilon, boolean parallel) {
        Arguments.notNull("grid", grid);
        Arguments.positive("epsilon", epsilon);
        return new SeparableGibbsKernel(grid, epsilon, parallel);
    }

    /** The grid. */
    public GridDensity.Grid grid() {
        return grid;
    }

    /** The regularisation \( \varepsilon \). */
    public double epsilon() {
        return eps;
    }

    /** Whether chunks may run on the common fork-join pool. */
    public boolean parallel() {
        return parallel;
    }

    /** The number of cells \( N = n_x n_y \), the length of every vector this kernel applies to. */
    public int size() {
        return nx * ny;
    }

    /** The radius (in cells) of the linear-domain convolution along the first axis. */
    public int radiusX() {
        return weightsX.length - 1;
    }

    /** The radius (in cells) of the linear-domain convolution along the second axis (0 in 1-D). */
    public int radiusY() {
        return weightsY.length - 1;
    }

    /** The weights \( e^{-r^2 h^2/\varepsilon} \), {@code r = 0, 1, ...}, down to the cut at {@link #CUTOFF}. */
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

    private void forEach(int count, int chunk, long costPerRow, Chunks.Body body) {
        if (parallel) {
            Chunks.forEach(count, chunk, costPerRow, body);
        } else {
            int chunks = Chunks.count(count, chunk);
            for (int c = 0; c < chunks; c++) {
                body.run(c, c * chunk, Math.min(count, (c + 1) * chunk));
            }
        }
    }

    // ---------------------------------------------------------------- linear domain

    /**
     * The linear-domain product \( \mathrm{out} = K\,\mathrm{in} \), \( \mathrm{out}_c = \sum_{c'}
     * e^{-|x_c - x_{c'}|^2/\varepsilon}\,\mathrm{in}_{c'} \), up to the weights cut below {@link #CUTOFF} of the
     * centre weight. \( O(N(2R_x + 2R_y + 2)) \) multiply-adds for radii \( R_x, R_y \).
     *
     * @param in   length \( N \), read
     * @param out  length \( N \), overwritten
     * @param work length \( N \), overwritten (unused in 1-D); {@code in}, {@code out} and {@code work} must be
     *             distinct arrays
     * @throws IllegalArgumentException if an array is null or of the wrong length
     */
    public void apply(double[] in, double[] out, double[] work) {
        int size = nx * ny;
        Arguments.notNull("in", in);
        Arguments.notNull("out", out);
        Arguments.notNull("work", work);
        Arguments.length("in", in.length, size);
        Arguments.length("out", out.length, size);
        Arguments.length("work", work.length, size);
        if (ny == 1) {
            convolveRows(in, out, 1, nx, weightsX);
            return;
        }
        convolveRows(in, work, nx, ny, weightsY);
        convolveColumns(work, out);
    }

    /** Convolution along the contiguous index, for each of {@code rows} rows of length {@code len}. */
    private void convolveRows(double[] in, double[] out, int rows, int len, double[] k) {
        int radius = k.length - 1;
        long cost = 2L * len * (2L * radius + 1);
        int chunkRows = Math.max(1, Math.min(rows, (int) Math.max(1, 65_536 / Math.max(1, cost))));
        if (rows == 1) {
            forEach(len, 2048, 2L * (2L * radius + 1), (chunk, start, end) -> {
                for (int j = start; j < end; j++) {
                    out[j] = convolveAt(in, 0, len, j, k, radius);
                }
            });
            return;
        }
        forEach(rows, chunkRows, cost, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                convolveRow(in, out, i * len, len, k, radius);
            }
        });
    }

    /**
     * One row: the cells within {@code radius} of an end by {@link #convolveAt}, the interior offset by offset
     * over the whole interior (inner loops along the row, which the JIT vectorises). Each interior output
     * accumulates \( k_0 x_j + k_1(x_{j-1} + x_{j+1}) + \dots \) in the same order as {@link #convolveAt}: the same
     * bits.
     */
    private static void convolveRow(double[] in, double[] out, int base, int len, double[] k, int radius) {
        int lo = Math.min(radius, len);
        int hi = Math.max(lo, len - radius);
        for (int j = 0; j < lo; j++) {
            out[base + j] = convolveAt(in, base, len, j, k, radius);
        }
        for (int j = hi; j < len; j++) {
            out[base + j] = convolveAt(in, base, len, j, k, radius);
        }
        double k0 = k[0];
        for (int j = base + lo; j < base + hi; j++) {
            out[j] = k0 * in[j];
        }
        for (int r = 1; r <= radius; r++) {
            double w = k[r];
            for (int j = base + lo; j < base + hi; j++) {
                out[j] += w * (in[j - r] + in[j + r]);
            }
        }
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
        double[] kx = weightsX;
        int radius = kx.length - 1;
        long cost = 2L * ny * (2L * radius + 1);
        int chunkRows = Math.max(1, (int) Math.min(nx, Math.max(1, 65_536 / cost)));
        forEach(nx, chunkRows, cost, (chunk, start, end) -> {
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

    // ---------------------------------------------------------------- log domain

    /**
     * The log-domain product \( \mathrm{out}_c = \log\sum_{c'} e^{-|x_c - x_{c'}|^2/\varepsilon + \mathrm{in}_{c'}}
     * = \log(K e^{\mathrm{in}})_c \), exact for any \( \varepsilon \) (see the class documentation); an output is
     * \( -\infty \) only when its whole input line is.
     *
     * @param in  length \( N \), entries finite or \( -\infty \), read
     * @param out length \( N \), overwritten; distinct from {@code in}
     * @throws IllegalArgumentException if an array is null or of the wrong length
     */
    public void applyLog(double[] in, double[] out) {
        int size = nx * ny;
        Arguments.notNull("in", in);
        Arguments.notNull("out", out);
        Arguments.length("in", in.length, size);
        Arguments.length("out", out.length, size);
        if (log == null) {
            log = new LogTables();
        }
        double[] mid;
        if (ny == 1) {
            mid = in;
        } else {
            mid = log.a;
            alongY(in, mid);
        }
        if (nx == 1) {
            System.arraycopy(mid, 0, out, 0, mid.length);
        } else {
            alongX(mid, out);
        }
    }

    /** The tables and work arrays of the log-domain passes. */
    private final class LogTables {
        final double[] x;
        final double[] y;
        final double[] kx;
        final double[] ky;
        final int[] loX;
        final int[] hiX;
        final int[] loY;
        final int[] hiY;
        final double[] a;
        final double[] e;
        final double[] colMax;

        LogTables() {
            x = new double[nx];
            y = new double[ny];
            for (int i = 0; i < nx; i++) {
                x[i] = grid.centre(0, i);
            }
            for (int j = 0; j < ny; j++) {
                y[j] = grid.dimension() == 2 ? grid.centre(1, j) : 0.0;
            }
            loX = new int[nx];
            hiX = new int[nx];
            loY = new int[ny];
            hiY = new int[ny];
            kx = denseKernel(x, eps, loX, hiX);
            ky = denseKernel(y, eps, loY, hiY);
            int size = nx * ny;
            a = new double[size];
            e = new double[size];
            colMax = new double[ny];
        }
    }

    /** The dense 1-D kernel \( e^{-(t_i - t_{i'})^2/\varepsilon} \) with entries below FLUSH set to 0, and its band. */
    private static double[] denseKernel(double[] t, double eps, int[] lo, int[] hi) {
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

    /** The chunk layout of the log-domain passes: about 64 chunks. */
    private void forEachLine(int count, long costPerRow, Chunks.Body body) {
        forEach(count, Math.max(1, (count + 63) / 64), costPerRow, body);
    }

    /** Pass along y: each row {@code i} (contiguous) is one line. */
    private void alongY(double[] in, double[] out) {
        double inv = 1.0 / eps;
        double[] ky = log.ky;
        int[] loY = log.loY;
        int[] hiY = log.hiY;
        double[] y = log.y;
        forEachLine(nx, 4L * ny * ny, (c, start, end) -> {
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
        double[] kx = log.kx;
        int[] loX = log.loX;
        int[] hiX = log.hiX;
        double[] x = log.x;
        double[] e = log.e;
        double[] colMax = log.colMax;
        java.util.Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < nx; i++) {
            int base = i * ny;
            for (int j = 0; j < ny; j++) {
                colMax[j] = Math.max(colMax[j], in[base + j]);
            }
        }
        forEachLine(nx, 4L * ny, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                int base = i * ny;
                for (int j = 0; j < ny; j++) {
                    double m = colMax[j];
                    double v = m == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(in[base + j] - m);
                    e[base + j] = v >= FLUSH ? v : 0.0;
                }
            }
        });
        forEachLine(nx, 4L * ny * nx, (c, start, end) -> {
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

    /** One line: the grid, epsilon and the radii of the linear-domain convolution. */
    @Override
    public String toString() {
        return "SeparableGibbsKernel[" + (ny == 1 ? nx + " cells" : nx + "x" + ny + " cells") + ", epsilon="
                + TextSummary.number(eps) + ", radius " + (ny == 1 ? radiusX() : radiusX() + " x " + radiusY())
                + " cells]";
    }
}
