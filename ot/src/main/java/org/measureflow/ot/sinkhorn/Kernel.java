package org.measureflow.ot.sinkhorn;

/**
 * The stored, stabilised Gibbs kernel of a dense problem (Schmitzer 2019):
 * \( \tilde K_{ij} = \exp((\bar f_i + \bar g_j - C_{ij})/\varepsilon) \) for absorbed potentials
 * \( \bar f, \bar g \). The current potentials are \( f = \bar f + \varepsilon \log u \),
 * \( g = \bar g + \varepsilon \log v \), so each Sinkhorn half-step is one matrix&ndash;vector product with
 * \( \tilde K \) and no exponential per entry. When the scalings \( u, v \) leave a safe range, the solver absorbs
 * them into \( \bar f, \bar g \) and rebuilds the kernel.
 *
 * <p>The kernel is stored in single precision ({@code float}, half the memory traffic of the memory-bound
 * products) while the solver is far from the tolerance, and in double precision for the final iterations: the
 * rounding of a single-precision kernel (relative \( 6\cdot 10^{-8} \) per entry) perturbs the fixed point far below
 * the loose errors of that phase. Sums are always accumulated in double precision.
 *
 * <p>Owned by one {@code solve} call; results never keep it.
 */
final class Kernel {
    private final Ground.Dense ground;
    private final int n;
    private final int m;
    private double[] k;
    private float[] kf;
    private double[] partial;
    final double[] fBar;
    final double[] gBar;
    double eps;

    Kernel(Ground.Dense ground) {
        this.ground = ground;
        this.n = ground.n;
        this.m = ground.m;
        this.fBar = new double[n];
        this.gBar = new double[m];
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
                for (int i = start; i < end; i++) {
                    double fi = fBar[i];
                    int row = i * m;
                    for (int j = 0; j < m; j++) {
                        out[row + j] = (float) Math.exp((fi + gBar[j] - ground.c.get(i, j)) * inv);
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
                for (int i = start; i < end; i++) {
                    double fi = fBar[i];
                    int row = i * m;
                    for (int j = 0; j < m; j++) {
                        out[row + j] = Math.exp((fi + gBar[j] - ground.c.get(i, j)) * inv);
                    }
                }
            });
        }
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
