package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.ot.CostMatrix;

/**
 * The stored, stabilised Gibbs kernel of a dense cost (Schmitzer 2019),
 * \[ \tilde K_{ij} = \exp\bigl((\bar f_i + \bar g_j - C_{ij})/\varepsilon\bigr) \]
 * for absorbed potentials \( \bar f, \bar g \): the fast path of {@link SinkhornSolver} for dense costs. The current
 * potentials are \( f = \bar f + \varepsilon \log u \), \( g = \bar g + \varepsilon \log v \), so each Sinkhorn
 * half-step is one matrix&ndash;vector product with \( \tilde K \) and no exponential per entry; the log-sums of
 * {@link LogDomainGibbsKernel} read
 * \[ \log\sum_j e^{(h_i + w_j - C_{ij})/\varepsilon} = \frac{h_i - \bar f_i}{\varepsilon}
 *    + \log\sum_j \tilde K_{ij}\, e^{(w_j - \bar g_j)/\varepsilon}, \]
 * and likewise for columns. A caller keeps its potentials close to \( \bar f, \bar g \) (re-absorbing them with
 * {@link #absorb} when {@link #drift} grows, e.g. beyond 100) and falls back to {@link LogDomainGibbsKernel}
 * whenever a method returns {@code false} (a scaling or a sum left the safe range \( [10^{-280}, 10^{280}] \)).
 *
 * <p>{@link SinkhornSolver} stores the kernel in single precision ({@code float}, half the memory traffic of the
 * memory-bound products) while it is far from the tolerance, and in double precision for the final iterations: the
 * rounding of a single-precision kernel (relative \( 6\cdot 10^{-8} \) per entry) perturbs the fixed point far below
 * the loose errors of that phase. Sums are always accumulated in double precision. The public methods
 * ({@link #absorb}) store it in double precision.
 *
 * <p>Memory: \( nm \) doubles (or floats). Mutable: owned by one solve at a time. The sums run over fixed chunks and
 * give the same bits in parallel as serially.
 */
public final class StoredGibbsKernel {
    private final LogDomainGibbsKernel.Dense ground;
    private final int n;
    private final int m;
    private double[] k;
    private float[] kf;
    private double[] partial;
    private double[] scaledRows;
    private double[] scaledCols;
    final double[] fBar;
    final double[] gBar;
    double eps = Double.NaN;

    StoredGibbsKernel(LogDomainGibbsKernel.Dense ground) {
        this.ground = ground;
        this.n = ground.n;
        this.m = ground.m;
        this.fBar = new double[n];
        this.gBar = new double[m];
    }

    /**
     * The (not yet built) stored kernel of a dense cost; call {@link #absorb} before the sums.
     *
     * @param c        the {@code n x m} cost (kept by reference)
     * @param parallel whether chunks may run on the common fork-join pool (same bits either way)
     * @return the kernel, with no memory allocated for \( \tilde K \) yet
     * @throws IllegalArgumentException if {@code c} is null or {@code n * m} exceeds the largest array
     */
    public static StoredGibbsKernel of(CostMatrix c, boolean parallel) {
        Arguments.notNull("c", c);
        Arguments.product("n * m", c.rows(), c.cols());
        return new StoredGibbsKernel(new LogDomainGibbsKernel.Dense(c, parallel));
    }

    /** Number of rows {@code n}. */
    public int rows() {
        return n;
    }

    /** Number of columns {@code m}. */
    public int cols() {
        return m;
    }

    /**
     * Absorbs \( \bar f = f \), \( \bar g = g \) and rebuilds \( \tilde K \) at \( \varepsilon \) in double
     * precision (\( nm \) exponentials).
     *
     * @param f   finite, length {@code n}
     * @param g   finite, length {@code m}
     * @param eps \( \varepsilon > 0 \)
     * @throws IllegalArgumentException on wrong lengths, non-finite potentials or \( \varepsilon \le 0 \)
     */
    public void absorb(double[] f, double[] g, double eps) {
        Arguments.finite("f", f);
        Arguments.finite("g", g);
        Arguments.length("f", f.length, n);
        Arguments.length("g", g.length, m);
        Arguments.positive("eps", eps);
        build(f, g, eps, false);
    }

    /**
     * \( \max(\max_i|f_i - \bar f_i|, \max_j|g_j - \bar g_j|)/\varepsilon \), how far the potentials have moved
     * from the absorbed ones, in units of \( \varepsilon \); infinite before the first {@link #absorb}.
     *
     * @param f length {@code n}
     * @param g length {@code m}
     * @return the drift
     * @throws IllegalArgumentException on wrong lengths
     */
    public double drift(double[] f, double[] g) {
        Arguments.notNull("f", f);
        Arguments.notNull("g", g);
        Arguments.length("f", f.length, n);
        Arguments.length("g", g.length, m);
        if (!built()) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(f[i] - fBar[i]));
        }
        for (int j = 0; j < m; j++) {
            max = Math.max(max, Math.abs(g[j] - gBar[j]));
        }
        return max / eps;
    }

    /** The \( \varepsilon \) of the last {@link #absorb}, {@code NaN} before the first. */
    public double epsilon() {
        return eps;
    }

    /**
     * \( \mathrm{out}_i = \log\sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) \) at the absorbed \( \varepsilon \), or
     * {@code false} (with {@code out} partly written) when a scaling or a sum leaves the safe range or nothing was
     * absorbed yet; \( -\infty \) entries of {@code h} or {@code w} are allowed.
     *
     * @param h   length {@code n}
     * @param w   length {@code m}
     * @param out length {@code n}, overwritten
     * @return whether {@code out} holds the log-sums
     * @throws IllegalArgumentException if an array is null or of the wrong length
     */
    public boolean rowLogSums(double[] h, double[] w, double[] out) {
        check(h, w, out, n);
        if (!built()) {
            return false;
        }
        if (scaledCols == null) {
            scaledCols = new double[m];
        }
        double inv = 1.0 / eps;
        for (int j = 0; j < m; j++) {
            double v = Math.exp((w[j] - gBar[j]) * inv);
            if (!(v <= LogDomainGibbsKernel.HIGH)) {
                return false;
            }
            scaledCols[j] = v;
        }
        rowSums(scaledCols, out);
        for (int i = 0; i < n; i++) {
            double s = out[i];
            if (!(s >= LogDomainGibbsKernel.LOW && s <= LogDomainGibbsKernel.HIGH)) {
                return false;
            }
            out[i] = (h[i] - fBar[i]) * inv + Math.log(s);
        }
        return true;
    }

    /**
     * \( \mathrm{out}_j = \log\sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) \); see {@link #rowLogSums}.
     *
     * @param h   length {@code n}
     * @param w   length {@code m}
     * @param out length {@code m}, overwritten
     * @return whether {@code out} holds the log-sums
     * @throws IllegalArgumentException if an array is null or of the wrong length
     */
    public boolean colLogSums(double[] h, double[] w, double[] out) {
        check(h, w, out, m);
        if (!built()) {
            return false;
        }
        if (scaledRows == null) {
            scaledRows = new double[n];
        }
        double inv = 1.0 / eps;
        for (int i = 0; i < n; i++) {
            double v = Math.exp((h[i] - fBar[i]) * inv);
            if (!(v <= LogDomainGibbsKernel.HIGH)) {
                return false;
            }
            scaledRows[i] = v;
        }
        colSums(scaledRows, out);
        for (int j = 0; j < m; j++) {
            double s = out[j];
            if (!(s >= LogDomainGibbsKernel.LOW && s <= LogDomainGibbsKernel.HIGH)) {
                return false;
            }
            out[j] = (w[j] - gBar[j]) * inv + Math.log(s);
        }
        return true;
    }

    private void check(double[] h, double[] w, double[] out, int outLength) {
        Arguments.notNull("h", h);
        Arguments.notNull("w", w);
        Arguments.notNull("out", out);
        Arguments.length("h", h.length, n);
        Arguments.length("w", w.length, m);
        Arguments.length("out", out.length, outLength);
    }

    /** Whether a kernel is stored (an absorb or build happened). */
    private boolean built() {
        return k != null || kf != null;
    }

    /** One line: the sizes, the absorbed epsilon and the precision of the stored kernel. */
    @Override
    public String toString() {
        return "StoredGibbsKernel[" + n + "x" + m + ", " + (!built() ? "not built"
                : "epsilon=" + TextSummary.number(eps) + ", " + (kf != null ? "single" : "double") + " precision")
                + "]";
    }

    /** The kernel in double precision, row-major, or {@code null} when it is stored in single precision. */
    double[] doubleKernel() {
        return k;
    }

    /** Whether the kernel is currently stored in single precision. */
    boolean single() {
        return kf != null;
    }

    /**
     * Absorbs the potentials {@code f, g} and rebuilds \( \tilde K \) at {@code eps}, in single or double
     * precision (the array of the other precision is released first).
     */
    void build(double[] f, double[] g, double eps, boolean single) {
        System.arraycopy(f, 0, fBar, 0, n);
        System.arraycopy(g, 0, gBar, 0, m);
        this.eps = eps;
        double inv = 1.0 / eps;
        if (single) {
            k = null;
            if (kf == null) {
                kf = new float[n * m];
            }
            float[] out = kf;
            ground.forEach(n, ground.chunkRows(), 20L * m, (c, start, end) -> {
                double[] p = new double[LogDomainGibbsKernel.BLOCK];
                double[] t = new double[LogDomainGibbsKernel.BLOCK];
                for (int i = start; i < end; i++) {
                    int row = i * m;
                    for (int jb = 0; jb < m; jb += LogDomainGibbsKernel.BLOCK) {
                        int len = Math.min(LogDomainGibbsKernel.BLOCK, m - jb);
                        kernelBlock(i, jb, len, inv, p, t);
                        for (int q = 0; q < len; q++) {
                            out[row + jb + q] = (float) p[q];
                        }
                    }
                }
            });
        } else {
            kf = null;
            if (k == null) {
                k = new double[n * m];
            }
            double[] out = k;
            ground.forEach(n, ground.chunkRows(), 20L * m, (c, start, end) -> {
                double[] p = new double[LogDomainGibbsKernel.BLOCK];
                double[] t = new double[LogDomainGibbsKernel.BLOCK];
                for (int i = start; i < end; i++) {
                    int row = i * m;
                    for (int jb = 0; jb < m; jb += LogDomainGibbsKernel.BLOCK) {
                        int len = Math.min(LogDomainGibbsKernel.BLOCK, m - jb);
                        kernelBlock(i, jb, len, inv, p, t);
                        System.arraycopy(p, 0, out, row + jb, len);
                    }
                }
            });
        }
    }

    /**
     * {@code p[q]} \( = \tilde K_{ij} = \exp((\bar f_i + \bar g_j - C_{ij})/\varepsilon) \) for
     * {@code j = jb + q}, {@code q < len}, by {@link KernelExp} ({@code t} is scratch).
     */
    private void kernelBlock(int i, int jb, int len, double inv, double[] p, double[] t) {
        ground.exponents(i, fBar[i], gBar, inv, jb, len, p);
        KernelExp.reduce(p, t, 0, len);
        KernelExp.scale(p, t, 0, len);
    }

    /** \( \mathrm{out}_i = \sum_j \tilde K_{ij} v_j \) (rows independent, four interleaved partial sums). */
    void rowSums(double[] v, double[] out) {
        double[] kd = k;
        float[] ks = kf;
        ground.forEach(n, ground.chunkRows(), 2L * m, (c, start, end) -> {
            int m4 = m & ~3;
            for (int i = start; i < end; i++) {
                int row = i * m;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                if (ks != null) {
                    for (; j < m4; j += 4) {
                        s0 += ks[row + j] * v[j];
                        s1 += ks[row + j + 1] * v[j + 1];
                        s2 += ks[row + j + 2] * v[j + 2];
                        s3 += ks[row + j + 3] * v[j + 3];
                    }
                    for (; j < m; j++) {
                        s0 += ks[row + j] * v[j];
                    }
                } else {
                    for (; j < m4; j += 4) {
                        s0 += kd[row + j] * v[j];
                        s1 += kd[row + j + 1] * v[j + 1];
                        s2 += kd[row + j + 2] * v[j + 2];
                        s3 += kd[row + j + 3] * v[j + 3];
                    }
                    for (; j < m; j++) {
                        s0 += kd[row + j] * v[j];
                    }
                }
                out[i] = (s0 + s1) + (s2 + s3);
            }
        });
    }

    /**
     * \( \mathrm{out}_j = \sum_i \tilde K_{ij} u_i \): each fixed chunk of rows streams its rows in order into its
     * own partial column sums (sequential memory access), and the partials are added in chunk order, so the bits do
     * not depend on the number of threads.
     */
    void colSums(double[] u, double[] out) {
        int chunk = ground.chunkRows();
        int chunks = org.measureflow.core.parallel.Chunks.count(n, chunk);
        if (partial == null) {
            partial = new double[chunks * m];
        }
        double[] part = partial;
        double[] kd = k;
        float[] ks = kf;
        ground.forEach(n, chunk, 2L * m, (c, start, end) -> {
            int base = c * m;
            java.util.Arrays.fill(part, base, base + m, 0.0);
            for (int i = start; i < end; i++) {
                double ui = u[i];
                if (ui == 0) {
                    continue;
                }
                int row = i * m;
                if (ks != null) {
                    for (int j = 0; j < m; j++) {
                        part[base + j] += ks[row + j] * ui;
                    }
                } else {
                    for (int j = 0; j < m; j++) {
                        part[base + j] += kd[row + j] * ui;
                    }
                }
            }
        });
        System.arraycopy(part, 0, out, 0, m);
        for (int c = 1; c < chunks; c++) {
            int base = c * m;
            for (int j = 0; j < m; j++) {
                out[j] += part[base + j];
            }
        }
    }
}
