package org.measureflow.ot.sinkhorn;

/**
 * The stored, stabilised Gibbs kernel of a dense problem (Schmitzer 2019):
 * \( \tilde K_{ij} = \exp((\bar f_i + \bar g_j - C_{ij})/\varepsilon) \) for absorbed potentials
 * \( \bar f, \bar g \). The current potentials are \( f = \bar f + \varepsilon \log u \),
 * \( g = \bar g + \varepsilon \log v \), so each Sinkhorn half-step is one matrix&ndash;vector product with
 * \( \tilde K \) and no exponential per entry. When the scalings \( u, v \) leave a safe range, the solver absorbs
 * them into \( \bar f, \bar g \) and rebuilds the kernel.
 *
 * <p>Owned by one {@code solve} call; results never keep it.
 */
final class Kernel {
    private final Ground.Dense ground;
    private final int n;
    private final int m;
    private final double[] k;
    final double[] fBar;
    final double[] gBar;
    double eps;

    Kernel(Ground.Dense ground) {
        this.ground = ground;
        this.n = ground.n;
        this.m = ground.m;
        this.k = new double[n * m];
        this.fBar = new double[n];
        this.gBar = new double[m];
    }

    /** Absorbs the potentials {@code f, g} and rebuilds \( \tilde K \) at {@code eps}. */
    void build(double[] f, double[] g, double eps) {
        System.arraycopy(f, 0, fBar, 0, n);
        System.arraycopy(g, 0, gBar, 0, m);
        this.eps = eps;
        double inv = 1.0 / eps;
        ground.forEach(n, ground.chunkRows(), 20L * m, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                double fi = fBar[i];
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    k[row + j] = Math.exp((fi + gBar[j] - ground.c.get(i, j)) * inv);
                }
            }
        });
    }

    /** \( \mathrm{out}_i = \sum_j \tilde K_{ij} v_j \) (rows independent, four interleaved partial sums). */
    void rowSums(double[] v, double[] out) {
        ground.forEach(n, ground.chunkRows(), 2L * m, (c, start, end) -> {
            int m4 = m & ~3;
            for (int i = start; i < end; i++) {
                int row = i * m;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j < m4; j += 4) {
                    s0 += k[row + j] * v[j];
                    s1 += k[row + j + 1] * v[j + 1];
                    s2 += k[row + j + 2] * v[j + 2];
                    s3 += k[row + j + 3] * v[j + 3];
                }
                for (; j < m; j++) {
                    s0 += k[row + j] * v[j];
                }
                out[i] = (s0 + s1) + (s2 + s3);
            }
        });
    }

    /** \( \mathrm{out}_j = \sum_i \tilde K_{ij} u_i \) (columns in fixed blocks, rows accumulated in order). */
    void colSums(double[] u, double[] out) {
        int width = 512;
        ground.forEach(m, width, 2L * n, (c, start, end) -> {
            for (int j = start; j < end; j++) {
                out[j] = 0;
            }
            for (int i = 0; i < n; i++) {
                double ui = u[i];
                if (ui == 0) {
                    continue;
                }
                int row = i * m;
                for (int j = start; j < end; j++) {
                    out[j] += k[row + j] * ui;
                }
            }
        });
    }
}
