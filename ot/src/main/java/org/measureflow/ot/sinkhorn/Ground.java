package org.measureflow.ot.sinkhorn;

import org.measureflow.core.parallel.Chunks;
import org.measureflow.ot.CostMatrix;

/**
 * The ground cost \( C_{ij} \) of one transport problem, seen through the fused log-domain operations Sinkhorn
 * needs. Every operation works on plans written in "log-weight" form
 * \( P_{ij} = \exp((h_i + w_j - C_{ij})/\varepsilon) \), where \( h_i = f_i + \varepsilon \log a_i \) and
 * \( w_j = g_j + \varepsilon \log b_j \) absorb the marginals into the potentials.
 *
 * <p>Rows are processed in fixed chunks (the chunk layout depends only on the sizes), each row or column
 * independently and in a fixed order, so parallel and serial runs give the same bits.
 */
abstract class Ground {
    /** A stale-shift sum inside this range is accurate; outside it the two-pass (max-shifted) sum is used. */
    static final double LOW = 1e-280;
    static final double HIGH = 1e280;

    final int n;
    final int m;
    final boolean parallel;

    Ground(int n, int m, boolean parallel) {
        this.n = n;
        this.m = m;
        this.parallel = parallel;
    }

    /** \( C_{ij} \). */
    abstract double cost(int i, int j);

    /** Writes \( C_{ij} \), {@code j = 0..m-1}, into {@code out}. */
    abstract void costRow(int i, double[] out);

    /** Flops per entry, for the parallelism decision. */
    abstract int flopsPerEntry();

    /**
     * \( \mathrm{out}_i = \log \sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) \), robust: one pass shifted by
     * \( h_i \) (accurate when the potentials are near a fixed point), and a max-shifted second pass when that sum
     * leaves {@code [LOW, HIGH]}.
     */
    abstract void rowLogSums(double[] h, double[] w, double eps, double[] out);

    /** \( \mathrm{out}_j = \log \sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) \), robust like {@link #rowLogSums}. */
    abstract void colLogSums(double[] h, double[] w, double eps, double[] out);

    /** Rows per chunk: a function of {@code n} only, at most ~64 chunks. */
    final int chunkRows() {
        return Math.max(16, (n + 63) / 64);
    }

    /** Runs {@code body} over fixed chunks of {@code [0, count)}, in parallel when allowed and worthwhile. */
    final void forEach(int count, int chunk, long costPerRow, Chunks.Body body) {
        if (parallel) {
            Chunks.forEach(count, chunk, costPerRow, body);
        } else {
            int chunks = Chunks.count(count, chunk);
            for (int c = 0; c < chunks; c++) {
                body.run(c, c * chunk, Math.min(count, (c + 1) * chunk));
            }
        }
    }

    /**
     * One pass over the plan: row sums {@code rows[i]}, column sums {@code cols[j]}; returns
     * \( \langle P, C\rangle \). Column sums and the cost are combined from per-chunk partials in chunk order.
     */
    final double statistics(double[] h, double[] w, double eps, double[] rows, double[] cols) {
        int chunk = chunkRows();
        int chunks = Chunks.count(n, chunk);
        double[] colPartial = new double[chunks * m];
        double[] costPartial = new double[chunks];
        double inv = 1.0 / eps;
        forEach(n, chunk, (long) m * (flopsPerEntry() + 20), (c, start, end) -> {
            double[] buf = new double[m];
            int base = c * m;
            double cost = 0;
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double r = 0;
                double rc = 0;
                for (int j = 0; j < m; j++) {
                    double p = Math.exp((hi + w[j] - buf[j]) * inv);
                    r += p;
                    rc += p * buf[j];
                    colPartial[base + j] += p;
                }
                rows[i] = r;
                cost += rc;
            }
            costPartial[c] = cost;
        });
        double total = 0;
        java.util.Arrays.fill(cols, 0.0);
        for (int c = 0; c < chunks; c++) {
            total += costPartial[c];
            int base = c * m;
            for (int j = 0; j < m; j++) {
                cols[j] += colPartial[base + j];
            }
        }
        return total;
    }

    /** \( (P v)_i \), each row independently. */
    final void apply(double[] h, double[] w, double eps, double[] v, double[] out) {
        double inv = 1.0 / eps;
        forEach(n, chunkRows(), (long) m * (flopsPerEntry() + 20), (c, start, end) -> {
            double[] buf = new double[m];
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += Math.exp((hi + w[j] - buf[j]) * inv) * v[j];
                }
                out[i] = s;
            }
        });
    }

    /** \( (P^\top u)_j \), combined from per-chunk partials in chunk order. */
    final void applyTransposed(double[] h, double[] w, double eps, double[] u, double[] out) {
        int chunk = chunkRows();
        int chunks = Chunks.count(n, chunk);
        double[] partial = new double[chunks * m];
        double inv = 1.0 / eps;
        forEach(n, chunk, (long) m * (flopsPerEntry() + 20), (c, start, end) -> {
            double[] buf = new double[m];
            int base = c * m;
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double ui = u[i];
                for (int j = 0; j < m; j++) {
                    partial[base + j] += Math.exp((hi + w[j] - buf[j]) * inv) * ui;
                }
            }
        });
        java.util.Arrays.fill(out, 0.0);
        for (int c = 0; c < chunks; c++) {
            int base = c * m;
            for (int j = 0; j < m; j++) {
                out[j] += partial[base + j];
            }
        }
    }

    /** The dense plan, row-major. */
    final double[] dense(double[] h, double[] w, double eps) {
        double[] p = new double[n * m];
        double inv = 1.0 / eps;
        forEach(n, chunkRows(), (long) m * (flopsPerEntry() + 20), (c, start, end) -> {
            double[] buf = new double[m];
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    p[row + j] = Math.exp((hi + w[j] - buf[j]) * inv);
                }
            }
        });
        return p;
    }

    /** Finishes a log-sum-exp whose stale-shift sum {@code s} left the safe range: two passes over a cost row. */
    static double twoPass(double hi, double[] w, double[] costs, double inv) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < costs.length; j++) {
            max = Math.max(max, w[j] - costs[j]);
        }
        double s = 0;
        for (int j = 0; j < costs.length; j++) {
            s += Math.exp((w[j] - costs[j] - max) * inv);
        }
        return (hi + max) * inv + Math.log(s);
    }

    /** A dense cost matrix, read in place (never copied). */
    static final class Dense extends Ground {
        final CostMatrix c;

        Dense(CostMatrix c, boolean parallel) {
            super(c.rows(), c.cols(), parallel);
            this.c = c;
        }

        @Override
        double cost(int i, int j) {
            return c.get(i, j);
        }

        @Override
        void costRow(int i, double[] out) {
            for (int j = 0; j < m; j++) {
                out[j] = c.get(i, j);
            }
        }

        @Override
        int flopsPerEntry() {
            return 1;
        }

        @Override
        void rowLogSums(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            forEach(n, chunkRows(), 20L * m, (chunk, start, end) -> {
                double[] buf = null;
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += Math.exp((hi + w[j] - c.get(i, j)) * inv);
                    }
                    if (s >= LOW && s <= HIGH) {
                        out[i] = Math.log(s);
                    } else {
                        if (buf == null) {
                            buf = new double[m];
                        }
                        costRow(i, buf);
                        out[i] = twoPass(hi, w, buf, inv);
                    }
                }
            });
        }

        @Override
        void colLogSums(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            int width = 512;
            forEach(m, width, 20L * n, (chunk, start, end) -> {
                for (int j = start; j < end; j++) {
                    out[j] = 0;
                }
                for (int i = 0; i < n; i++) {
                    double hi = h[i];
                    for (int j = start; j < end; j++) {
                        out[j] += Math.exp((hi + w[j] - c.get(i, j)) * inv);
                    }
                }
                double[] col = null;
                double[] hh = null;
                for (int j = start; j < end; j++) {
                    double s = out[j];
                    if (s >= LOW && s <= HIGH) {
                        out[j] = Math.log(s);
                    } else {
                        if (col == null) {
                            col = new double[n];
                        }
                        for (int i = 0; i < n; i++) {
                            col[i] = c.get(i, j);
                        }
                        // log sum_i exp((w_j + h_i - C_ij)/eps), max-shifted.
                        out[j] = twoPass(w[j], h, col, inv);
                    }
                }
            });
        }
    }

    /** Squared Euclidean cost between two point clouds, computed on the fly (memory O((n + m) d)). */
    static final class Cloud extends Ground {
        final double[] xs;
        final double[] ys;
        final int d;
        private Cloud transposed;

        Cloud(double[] xs, double[] ys, int d, boolean parallel) {
            super(xs.length / d, ys.length / d, parallel);
            this.xs = xs;
            this.ys = ys;
            this.d = d;
        }

        Cloud transposed() {
            if (transposed == null) {
                transposed = new Cloud(ys, xs, d, parallel);
                transposed.transposed = this;
            }
            return transposed;
        }

        @Override
        double cost(int i, int j) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double diff = xs[i * d + k] - ys[j * d + k];
                s += diff * diff;
            }
            return s;
        }

        @Override
        void costRow(int i, double[] out) {
            int xi = i * d;
            if (d == 2) {
                double x0 = xs[xi];
                double x1 = xs[xi + 1];
                for (int j = 0; j < m; j++) {
                    double d0 = x0 - ys[2 * j];
                    double d1 = x1 - ys[2 * j + 1];
                    out[j] = d0 * d0 + d1 * d1;
                }
                return;
            }
            for (int j = 0; j < m; j++) {
                int yj = j * d;
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = xs[xi + k] - ys[yj + k];
                    s += diff * diff;
                }
                out[j] = s;
            }
        }

        @Override
        int flopsPerEntry() {
            return 3 * d;
        }

        @Override
        void rowLogSums(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            forEach(n, chunkRows(), (20L + 3L * d) * m, (chunk, start, end) -> {
                double[] buf = null;
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = d == 2 ? sum2(i, hi, w, inv) : sumD(i, hi, w, inv);
                    if (s >= LOW && s <= HIGH) {
                        out[i] = Math.log(s);
                    } else {
                        if (buf == null) {
                            buf = new double[m];
                        }
                        costRow(i, buf);
                        out[i] = twoPass(hi, w, buf, inv);
                    }
                }
            });
        }

        private double sum2(int i, double hi, double[] w, double inv) {
            double x0 = xs[2 * i];
            double x1 = xs[2 * i + 1];
            double s = 0;
            for (int j = 0; j < m; j++) {
                double d0 = x0 - ys[2 * j];
                double d1 = x1 - ys[2 * j + 1];
                s += Math.exp((hi + w[j] - (d0 * d0 + d1 * d1)) * inv);
            }
            return s;
        }

        private double sumD(int i, double hi, double[] w, double inv) {
            int xi = i * d;
            double s = 0;
            for (int j = 0; j < m; j++) {
                int yj = j * d;
                double c = 0;
                for (int k = 0; k < d; k++) {
                    double diff = xs[xi + k] - ys[yj + k];
                    c += diff * diff;
                }
                s += Math.exp((hi + w[j] - c) * inv);
            }
            return s;
        }

        @Override
        void colLogSums(double[] h, double[] w, double eps, double[] out) {
            transposed().rowLogSums(w, h, eps, out);
        }

        /**
         * {@code out[i*d+k] += coef * sum_j P_ij (x_ik - y_jk)} for the plan {@code exp((h_i + w_j - C_ij)/eps)}:
         * the envelope gradient of the transport cost with respect to the source points, up to the factor 2 of
         * \( \nabla_x |x-y|^2 \).
         */
        void addPlanDisplacement(double[] h, double[] w, double eps, double coef, double[] out) {
            double inv = 1.0 / eps;
            forEach(n, chunkRows(), (long) m * (3L * d + 20), (c, start, end) -> {
                double[] buf = new double[m];
                double[] acc = new double[d];
                for (int i = start; i < end; i++) {
                    costRow(i, buf);
                    double hi = h[i];
                    java.util.Arrays.fill(acc, 0.0);
                    double r = 0;
                    for (int j = 0; j < m; j++) {
                        double p = Math.exp((hi + w[j] - buf[j]) * inv);
                        r += p;
                        for (int k = 0; k < d; k++) {
                            acc[k] += p * ys[j * d + k];
                        }
                    }
                    for (int k = 0; k < d; k++) {
                        out[i * d + k] += coef * (r * xs[i * d + k] - acc[k]);
                    }
                }
            });
        }
    }
}
