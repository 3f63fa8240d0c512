package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.ot.CostMatrix;

/**
 * A stored, stabilised Gibbs kernel of a dense cost (Schmitzer 2019),
 * \( \tilde K_{ij} = \exp((\bar f_i + \bar g_j - C_{ij})/\varepsilon) \) for absorbed potentials \( \bar f, \bar g \),
 * offering the log-sums of {@link LogKernel} as matrix&ndash;vector products (no exponential per entry):
 * \[ \log\sum_j e^{(h_i + w_j - C_{ij})/\varepsilon} = \frac{h_i - \bar f_i}{\varepsilon}
 *    + \log\sum_j \tilde K_{ij}\, e^{(w_j - \bar g_j)/\varepsilon}, \]
 * and likewise for columns. This is the fast path of {@link SinkhornSolver} for dense costs, opened to the other
 * scaling algorithms of the module: a caller keeps its potentials close to \( \bar f, \bar g \) (re-absorbing them
 * with {@link #absorb} when {@link #drift} grows, e.g. beyond 100) and falls back to {@link LogKernel} whenever a
 * method returns {@code false} (a scaling or a sum left the safe range \( [10^{-280}, 10^{280}] \)).
 *
 * <p>Memory: \( nm \) doubles. Mutable: owned by one solve at a time; the sums run over fixed chunks and give the
 * same bits in parallel as serially.
 */
public final class StabilisedKernel {
    private final Kernel kernel;
    private final int n;
    private final int m;
    private final double[] scaledRows;
    private final double[] scaledCols;
    private boolean built;

    private StabilisedKernel(Ground.Dense ground) {
        this.kernel = new Kernel(ground);
        this.n = ground.n;
        this.m = ground.m;
        this.scaledRows = new double[n];
        this.scaledCols = new double[m];
    }

    /**
     * The (not yet built) stored kernel of a dense cost; call {@link #absorb} before the sums.
     *
     * @throws IllegalArgumentException if {@code c} is null
     */
    public static StabilisedKernel of(CostMatrix c, boolean parallel) {
        Arguments.notNull("c", c);
        return new StabilisedKernel(new Ground.Dense(c, parallel));
    }

    /**
     * Absorbs \( \bar f = f \), \( \bar g = g \) and rebuilds \( \tilde K \) at \( \varepsilon \) (\( nm \)
     * exponentials).
     *
     * @throws IllegalArgumentException on wrong lengths, non-finite potentials or \( \varepsilon \le 0 \)
     */
    public void absorb(double[] f, double[] g, double eps) {
        Arguments.finite("f", f);
        Arguments.finite("g", g);
        Arguments.length("f", f.length, n);
        Arguments.length("g", g.length, m);
        Arguments.positive("eps", eps);
        kernel.build(f, g, eps, false);
        built = true;
    }

    /** \( \max(\max_i|f_i - \bar f_i|, \max_j|g_j - \bar g_j|)/\varepsilon \); infinite before the first absorb. */
    public double drift(double[] f, double[] g) {
        if (!built) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(f[i] - kernel.fBar[i]));
        }
        for (int j = 0; j < m; j++) {
            max = Math.max(max, Math.abs(g[j] - kernel.gBar[j]));
        }
        return max / kernel.eps;
    }

    /** The \( \varepsilon \) of the last {@link #absorb}. */
    public double epsilon() {
        return kernel.eps;
    }

    /**
     * \( \mathrm{out}_i = \log\sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) \) at the absorbed \( \varepsilon \), or
     * {@code false} (with {@code out} partly written) when a scaling or a sum leaves the safe range; \( -\infty \)
     * entries of {@code h} or {@code w} are allowed.
     */
    public boolean rowLogSums(double[] h, double[] w, double[] out) {
        if (!built) {
            return false;
        }
        double inv = 1.0 / kernel.eps;
        for (int j = 0; j < m; j++) {
            double v = Math.exp((w[j] - kernel.gBar[j]) * inv);
            if (!(v <= Ground.HIGH)) {
                return false;
            }
            scaledCols[j] = v;
        }
        kernel.rowSums(scaledCols, out);
        for (int i = 0; i < n; i++) {
            double s = out[i];
            if (!(s >= Ground.LOW && s <= Ground.HIGH)) {
                return false;
            }
            out[i] = (h[i] - kernel.fBar[i]) * inv + Math.log(s);
        }
        return true;
    }

    /** \( \mathrm{out}_j = \log\sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) \); see {@link #rowLogSums}. */
    public boolean colLogSums(double[] h, double[] w, double[] out) {
        if (!built) {
            return false;
        }
        double inv = 1.0 / kernel.eps;
        for (int i = 0; i < n; i++) {
            double v = Math.exp((h[i] - kernel.fBar[i]) * inv);
            if (!(v <= Ground.HIGH)) {
                return false;
            }
            scaledRows[i] = v;
        }
        kernel.colSums(scaledRows, out);
        for (int j = 0; j < m; j++) {
            double s = out[j];
            if (!(s >= Ground.LOW && s <= Ground.HIGH)) {
                return false;
            }
            out[j] = (w[j] - kernel.gBar[j]) * inv + Math.log(s);
        }
        return true;
    }
}
