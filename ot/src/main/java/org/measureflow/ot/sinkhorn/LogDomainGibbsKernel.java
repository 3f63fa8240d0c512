package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.ot.CostMatrix;

/**
 * The Gibbs kernel \( K_{ij} = e^{-C_{ij}/\varepsilon} \) of a ground cost, applied in the log domain: the fused
 * log-sum-exp operations of {@link SinkhornSolver}, open to the other scaling algorithms of the {@code ot} module
 * (unbalanced transport, barycenters). Every operation works on plans written as
 * \[ P_{ij} = \exp\bigl((h_i + w_j - C_{ij})/\varepsilon\bigr) \]
 * for "log-weights" \( h \in [-\infty, \infty)^n \), \( w \in [-\infty,\infty)^m \) (for instance
 * \( h_i = f_i + \varepsilon\log a_i \), \( w_j = g_j + \varepsilon \log b_j \), which absorb the marginals into the
 * potentials); an entry \( -\infty \) is an atom of weight zero. The central operation is
 * \[ \mathrm{rowLogSums}(h, w)_i = \log\sum_j e^{(h_i + w_j - C_{ij})/\varepsilon} = \log (P\mathbf 1)_i \]
 * and its transpose, from which a Sinkhorn half-step is \( f_i \leftarrow f_i - \varepsilon\,\mathrm{rowLogSums}_i \).
 *
 * <p>Two grounds: a dense {@link CostMatrix}, read in place ({@link #of(CostMatrix, boolean)}), or two point clouds
 * with \( C_{ij} = |x_i - y_j|^2 \) computed on the fly, memory \( O((n+m)d) \)
 * ({@link #of(ParticleMeasure, ParticleMeasure, boolean)}). The sums are robust: one pass shifted by \( h_i \) (resp.
 * \( w_j \)), accurate when the potentials are near a fixed point, and a max-shifted second pass for any row or
 * column whose shifted sum leaves \( [10^{-280}, 10^{280}] \): no NaN or overflow for any \( \varepsilon > 0 \).
 * Rows are processed in fixed chunks ({@link Chunks}; the layout depends only on the sizes), each row or column sum
 * by one thread in a fixed order, so parallel and serial runs give identical bits.
 *
 * <p>The exponentials are those of {@link KernelExp} (within \( 2^{-51} \) relative of \( e^x \), a few times faster
 * than {@link Math#exp} here): a row is processed in blocks of 1024 entries, whose exponents are computed
 * and range-reduced by vectorised loops and then summed in order of the column index into one accumulator, the order
 * of the former {@code Math.exp} loop; the sums agree with that loop to about \( 10^{-15} \) relative.
 *
 * <p>Immutable and thread-safe; the arrays passed in are read, never kept, and only the {@code out} arguments are
 * written. (The class is abstract only to hold its two grounds; its one other subclass, the truncated kernel of
 * large point clouds used inside {@link SinkhornSolver}, is package-private.)
 */
public abstract sealed class LogDomainGibbsKernel permits LogDomainGibbsKernel.Dense, LogDomainGibbsKernel.Cloud,
        TruncatedGibbsKernel {
    /** A stale-shift sum inside this range is accurate; outside it the two-pass (max-shifted) sum is used. */
    static final double LOW = 1e-280;
    /** Upper end of the range of accurate stale-shift sums. */
    static final double HIGH = 1e280;
    /**
     * The smallest regularisation the entropic solvers accept, relative to the cost's range \( R \): the exponents
     * \( (f_i + g_j - C_{ij})/\varepsilon \) are computed from numbers of size up to \( R \), with rounding errors
     * up to \( 2.2\cdot 10^{-16} R \), so at \( \varepsilon = 10^{-12} R \) every plan entry is already uncertain by
     * \( 2\cdot 10^{-4} \) of itself; below that, double precision no longer resolves the plan.
     */
    public static final double SMALLEST_RELATIVE_EPSILON = 1e-12;
    /**
     * The largest cost range (and regularisation) the entropic solvers accept: potentials of that size are added
     * and subtracted, with \( \varepsilon \) times logarithms of weights (at most 745 in size), without overflow.
     */
    public static final double LARGEST_MAGNITUDE = 1e300;
    /** Columns per block of the column sums of a dense cost (each block is summed over all rows in order). */
    static final int COLUMN_BLOCK = 512;
    /**
     * Entries per block of a row: the exponents of a block are written to a scratch array and exponentiated by the two
     * stages of {@link KernelExp} (the first vectorised), then consumed in order of the column index.
     */
    static final int BLOCK = 1024;

    final int n;
    final int m;
    final boolean parallel;

    LogDomainGibbsKernel(int n, int m, boolean parallel) {
        this.n = n;
        this.m = m;
        this.parallel = parallel;
    }

    /**
     * The kernel of a dense cost matrix (kept by reference; {@link CostMatrix} is immutable).
     *
     * @param c        the {@code n x m} cost
     * @param parallel whether chunks may run on the common fork-join pool (same bits either way)
     * @return the kernel
     * @throws IllegalArgumentException if {@code c} is null
     */
    public static LogDomainGibbsKernel of(CostMatrix c, boolean parallel) {
        return new Dense(Arguments.notNull("c", c), parallel);
    }

    /**
     * The kernel of the squared Euclidean cost \( C_{ij} = |x_i - y_j|^2 \) (not halved) between the atoms of two
     * point clouds, computed on the fly; the weights of the measures are not used.
     *
     * @param x        the source cloud ({@code n} atoms)
     * @param y        the target cloud ({@code m} atoms), same dimension
     * @param parallel whether chunks may run on the common fork-join pool (same bits either way)
     * @return the kernel
     * @throws IllegalArgumentException if a measure is null or the dimensions differ
     */
    public static LogDomainGibbsKernel of(ParticleMeasure x, ParticleMeasure y, boolean parallel) {
        return cloud(x, y, parallel);
    }

    /**
     * The point-cloud ground of two measures, after checking them: same dimension, and squared distances (bounded by
     * the squared diameter of a common bounding box) at most {@link #LARGEST_MAGNITUDE}, otherwise an exception names
     * the cloud with the larger coordinates.
     */
    static Cloud cloud(ParticleMeasure x, ParticleMeasure y, boolean parallel) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.sameDimension("y", y.dimension(), x.dimension(), "x");
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        int d = x.dimension();
        double range = maxCostBound(xs, ys, d);
        if (!(range <= LARGEST_MAGNITUDE)) {
            double mx = maxAbs(xs);
            double my = maxAbs(ys);
            // a rule Arguments cannot state: it concerns the pairs of points of two arguments
            throw new IllegalArgumentException((mx >= my ? "x" : "y") + ": squared distances overflow double "
                    + "precision (coordinates up to " + Math.max(mx, my) + "; the entropic solvers need squared "
                    + "distances up to " + LARGEST_MAGNITUDE + ", got a bound of " + range + ")");
        }
        return new Cloud(xs, ys, d, parallel);
    }

    /**
     * Checks the cost's range \( R \) of a problem and its regularisation: \( R \le 10^{300} \)
     * ({@link #LARGEST_MAGNITUDE}: the potentials, of size up to \( R \), are added and subtracted without overflow)
     * and \( 10^{-12} R \le \varepsilon \le 10^{300} \) ({@link #SMALLEST_RELATIVE_EPSILON}).
     *
     * @param cost    the name of the cost argument, for the message
     * @param range   \( R \ge 0 \), e.g. {@link #costScale()}
     * @param epsilon \( \varepsilon > 0 \)
     * @return {@code epsilon}
     * @throws IllegalArgumentException naming {@code cost} if the range is too large, or {@code epsilon} if it is out
     *                                  of range
     */
    public static double checkedEpsilon(String cost, double range, double epsilon) {
        if (!(range <= LARGEST_MAGNITUDE)) {
            throw new IllegalArgumentException(cost + ": costs up to " + range + " overflow double precision in the "
                    + "potentials (the entropic solvers need costs up to " + LARGEST_MAGNITUDE + ")");
        }
        Arguments.positive("epsilon", epsilon);
        Arguments.atMost("epsilon", epsilon, LARGEST_MAGNITUDE);
        if (epsilon < SMALLEST_RELATIVE_EPSILON * range) {
            // a rule Arguments cannot state: a bound relative to the cost's range
            throw new IllegalArgumentException("epsilon must be at least " + SMALLEST_RELATIVE_EPSILON
                    + " times the cost's range " + range + ", got " + epsilon + ": below that, double precision "
                    + "cannot resolve the plan exp((f_i + g_j - C_ij) / epsilon)");
        }
        return epsilon;
    }

    /**
     * Checks the total masses \( m_a, m_b \) of a (possibly unbalanced) problem against overflow: the plan's mass is
     * at most \( \max(m_a, m_b) \), and the values of the problem multiply it, and \( m_a m_b \), by the cost's range
     * \( R \) and by \( \varepsilon \) and the finite \( \rho \) times logarithms of at most 1500 in size, so
     * \( (m_a + m_b + m_a m_b)(R + 1500(\varepsilon + \rho)) \le 10^{300} \) ({@link #LARGEST_MAGNITUDE}) is required.
     *
     * @param nameA   the name of the source weights or mass, for the message
     * @param nameB   the name of the target weights or mass
     * @param massA   \( m_a > 0 \)
     * @param massB   \( m_b > 0 \)
     * @param range   the cost's range \( R \)
     * @param epsilon \( \varepsilon \)
     * @param rhoA    \( \rho_a \), or {@code +infinity}
     * @param rhoB    \( \rho_b \), or {@code +infinity}
     * @throws IllegalArgumentException naming the larger mass's argument if the bound is exceeded
     */
    public static void checkMasses(String nameA, String nameB, double massA, double massB, double range,
            double epsilon, double rhoA, double rhoB) {
        double rho = Math.max(rhoA == Double.POSITIVE_INFINITY ? 0 : rhoA, rhoB == Double.POSITIVE_INFINITY ? 0 : rhoB);
        double size = (massA + massB + massA * massB) * (range + 1500 * (epsilon + rho));
        if (!(size <= LARGEST_MAGNITUDE)) {
            // a rule Arguments cannot state: it combines both masses with the cost's range, epsilon and rho
            throw new IllegalArgumentException((massA >= massB ? nameA : nameB) + ": masses " + massA + " and "
                    + massB + " with the cost's range " + range + ", epsilon " + epsilon + " and rho " + rho
                    + " give values beyond " + LARGEST_MAGNITUDE + " (the objective would overflow double precision)");
        }
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double e : v) {
            max = Math.max(max, Math.abs(e));
        }
        return max;
    }

    /** An upper bound of \( \max_{ij}|x_i - y_j|^2 \) from one bounding box (cheap: \( O((n+m)d) \)). */
    static double maxCostBound(double[] xs, double[] ys, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = k; i < xs.length; i += d) {
                lo = Math.min(lo, xs[i]);
                hi = Math.max(hi, xs[i]);
            }
            for (int i = k; i < ys.length; i += d) {
                lo = Math.min(lo, ys[i]);
                hi = Math.max(hi, ys[i]);
            }
            s += (hi - lo) * (hi - lo);
        }
        return s;
    }

    /** Number of rows {@code n} (source atoms). */
    public final int rows() {
        return n;
    }

    /** Number of columns {@code m} (target atoms). */
    public final int cols() {
        return m;
    }

    /** Whether chunks may run on the common fork-join pool. */
    public final boolean parallel() {
        return parallel;
    }

    /**
     * The cost's range: \( \max_{ij}|C_{ij}| \) for a dense cost (one pass over the matrix), the squared diameter of
     * a bounding box of both clouds (an upper bound of \( \max_{ij} C_{ij} \), \( O((n+m)d) \)) for point clouds.
     *
     * @return the range, {@code >= 0}
     */
    public abstract double costScale();

    /**
     * The entry \( C_{ij} \).
     *
     * @param i the row, in {@code [0, n)}
     * @param j the column, in {@code [0, m)}
     * @return \( C_{ij} \)
     * @throws IllegalArgumentException if an index is out of range
     */
    public final double cost(int i, int j) {
        Arguments.index("i", i, n);
        Arguments.index("j", j, m);
        return costEntry(i, j);
    }

    /**
     * Row log-sums \( \mathrm{out}_i = \log\sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) = \log (P\mathbf 1)_i \).
     *
     * @param h   length {@code n}; entries finite or \( -\infty \)
     * @param w   length {@code m}; entries finite or \( -\infty \), not all \( -\infty \)
     * @param eps \( \varepsilon > 0 \)
     * @param out length {@code n}, overwritten
     * @throws IllegalArgumentException if an array is null or of the wrong length, or {@code eps} is not finite and
     *                                  positive
     */
    public final void rowLogSums(double[] h, double[] w, double eps, double[] out) {
        check(h, w, eps, out, n);
        rowLogSumExp(h, w, eps, out);
    }

    /**
     * Column log-sums
     * \( \mathrm{out}_j = \log\sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) = \log (P^\top\mathbf 1)_j \); arguments as in {@link #rowLogSums}, with {@code out} of length {@code m}.
     *
     * @param h   length {@code n}; entries finite or \( -\infty \), not all \( -\infty \)
     * @param w   length {@code m}; entries finite or \( -\infty \)
     * @param eps \( \varepsilon > 0 \)
     * @param out length {@code m}, overwritten
     * @throws IllegalArgumentException as {@link #rowLogSums}
     */
    public final void colLogSums(double[] h, double[] w, double eps, double[] out) {
        check(h, w, eps, out, m);
        colLogSumExp(h, w, eps, out);
    }

    /**
     * One exact pass over the plan \( P_{ij} = \exp((h_i + w_j - C_{ij})/\varepsilon) \): writes its row sums
     * \( P\mathbf 1 \) into {@code rows} and column sums \( P^\top\mathbf 1 \) into {@code cols}, and returns the
     * transport cost \( \langle P, C\rangle \) (column sums and cost are combined from per-chunk partials in chunk
     * order).
     *
     * @param h    length {@code n}
     * @param w    length {@code m}
     * @param eps  \( \varepsilon > 0 \)
     * @param rows length {@code n}, overwritten
     * @param cols length {@code m}, overwritten
     * @return \( \langle P, C\rangle \)
     * @throws IllegalArgumentException if an array is null or of the wrong length, or {@code eps} is not finite and
     *                                  positive
     */
    public final double statistics(double[] h, double[] w, double eps, double[] rows, double[] cols) {
        check(h, w, eps, rows, n);
        Arguments.notNull("cols", cols);
        Arguments.length("cols", cols.length, m);
        return planStatistics(h, w, eps, rows, cols);
    }

    /**
     * The plan \( P_{ij} = \exp((h_i + w_j - C_{ij})/\varepsilon) \) as an {@link EntropicPlan}, evaluated on
     * demand ({@code h} and {@code w} are copied).
     *
     * @param h   length {@code n}
     * @param w   length {@code m}
     * @param eps \( \varepsilon > 0 \)
     * @return the plan
     * @throws IllegalArgumentException if an array is null or of the wrong length, or {@code eps} is not finite and
     *                                  positive
     */
    public final EntropicPlan plan(double[] h, double[] w, double eps) {
        Arguments.notNull("h", h);
        Arguments.notNull("w", w);
        Arguments.length("h", h.length, n);
        Arguments.length("w", w.length, m);
        Arguments.positive("eps", eps);
        return new EntropicPlan(this, h.clone(), w.clone(), eps);
    }

    private void check(double[] h, double[] w, double eps, double[] out, int outLength) {
        Arguments.notNull("h", h);
        Arguments.notNull("w", w);
        Arguments.notNull("out", out);
        Arguments.length("h", h.length, n);
        Arguments.length("w", w.length, m);
        Arguments.length("out", out.length, outLength);
        Arguments.positive("eps", eps);
    }

    /** \( C_{ij} \), unchecked. */
    abstract double costEntry(int i, int j);

    /** Writes \( C_{ij} \), {@code j = 0..m-1}, into {@code out}. */
    abstract void costRow(int i, double[] out);

    /** Flops per entry, for the parallelism decision. */
    abstract int flopsPerEntry();

    /**
     * \( \mathrm{out}_i = \log \sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) \), unchecked (the solvers' inner loop),
     * robust: one pass shifted by \( h_i \), and a max-shifted second pass when that sum leaves {@code [LOW, HIGH]}.
     */
    abstract void rowLogSumExp(double[] h, double[] w, double eps, double[] out);

    /** \( \mathrm{out}_j = \log \sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) \), unchecked, robust likewise. */
    abstract void colLogSumExp(double[] h, double[] w, double eps, double[] out);

    /**
     * \( \mathrm{out}_i = \sum_j \exp((h_i + w_j - C_{ij})/\varepsilon)\, v_j \), unchecked and allocation-free (the
     * Hessian products of {@link SemiDualNewton}). Not shifted: the caller keeps every entry of the plan at most
     * about 1 (after an exact column update, \( P_{ij} \le (P^\top\mathbf 1)_j \)).
     */
    abstract void planTimes(double[] h, double[] w, double eps, double[] v, double[] out);

    /** \( \mathrm{out}_j = \sum_i \exp((h_i + w_j - C_{ij})/\varepsilon)\, u_i \), unchecked, as {@link #planTimes}. */
    abstract void planTransposedTimes(double[] h, double[] w, double eps, double[] u, double[] out);

    /** One line: the sizes and the kind of ground. */
    @Override
    public String toString() {
        return "LogDomainGibbsKernel[" + n + "x" + m + ", " + (this instanceof Cloud c
                ? "|x - y|^2 between point clouds in dimension " + c.d : "dense cost matrix") + "]";
    }

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
     * One pass over the plan, unchecked: row sums {@code rows[i]}, column sums {@code cols[j]}; returns
     * \( \langle P, C\rangle \). Column sums and the cost are combined from per-chunk partials in chunk order.
     */
    double planStatistics(double[] h, double[] w, double eps, double[] rows, double[] cols) {
        int chunk = chunkRows();
        int chunks = Chunks.count(n, chunk);
        double[] colPartial = new double[chunks * m];
        double[] costPartial = new double[chunks];
        double inv = 1.0 / eps;
        forEach(n, chunk, (long) m * (flopsPerEntry() + 20), (c, start, end) -> {
            double[] buf = new double[m];
            double[] p = new double[BLOCK];
            double[] t = new double[BLOCK];
            int base = c * m;
            double cost = 0;
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double r = 0;
                double rc = 0;
                for (int jb = 0; jb < m; jb += BLOCK) {
                    int len = Math.min(BLOCK, m - jb);
                    planBlock(hi, w, buf, inv, jb, len, p, t);
                    for (int q = 0; q < len; q++) {
                        double pq = p[q];
                        r += pq;
                        rc += pq * buf[jb + q];
                        colPartial[base + jb + q] += pq;
                    }
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
            double[] p = new double[BLOCK];
            double[] t = new double[BLOCK];
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double s = 0;
                for (int jb = 0; jb < m; jb += BLOCK) {
                    int len = Math.min(BLOCK, m - jb);
                    planBlock(hi, w, buf, inv, jb, len, p, t);
                    for (int q = 0; q < len; q++) {
                        s += p[q] * v[jb + q];
                    }
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
            double[] p = new double[BLOCK];
            double[] t = new double[BLOCK];
            int base = c * m;
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                double ui = u[i];
                for (int jb = 0; jb < m; jb += BLOCK) {
                    int len = Math.min(BLOCK, m - jb);
                    planBlock(hi, w, buf, inv, jb, len, p, t);
                    for (int q = 0; q < len; q++) {
                        partial[base + jb + q] += p[q] * ui;
                    }
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
            double[] e = new double[BLOCK];
            double[] t = new double[BLOCK];
            for (int i = start; i < end; i++) {
                costRow(i, buf);
                double hi = h[i];
                int row = i * m;
                for (int jb = 0; jb < m; jb += BLOCK) {
                    int len = Math.min(BLOCK, m - jb);
                    planBlock(hi, w, buf, inv, jb, len, e, t);
                    System.arraycopy(e, 0, p, row + jb, len);
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
            s += KernelExp.exp((w[j] - costs[j] - max) * inv);
        }
        return (hi + max) * inv + Math.log(s);
    }

    /**
     * The plan entries \( \mathrm{p}_q = \exp((h_i + w_j - C_{ij})/\varepsilon) \), \( j = \mathrm{jb} + q \),
     * \( q < \mathrm{len} \), of one block of a row whose costs are {@code costs}; {@code t} is scratch.
     */
    static void planBlock(double hi, double[] w, double[] costs, double inv, int jb, int len, double[] p,
            double[] t) {
        for (int q = 0; q < len; q++) {
            p[q] = (hi + w[jb + q] - costs[jb + q]) * inv;
        }
        KernelExp.reduce(p, t, 0, len);
        KernelExp.scale(p, t, 0, len);
    }

    /** A dense cost matrix, read in place (never copied). */
    static final class Dense extends LogDomainGibbsKernel {
        final CostMatrix c;

        Dense(CostMatrix c, boolean parallel) {
            super(c.rows(), c.cols(), parallel);
            this.c = c;
        }

        @Override
        double costEntry(int i, int j) {
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
        public double costScale() {
            return c.maxAbs();
        }

        /** {@code p[q] = (h_i + w_j - C_ij) / eps} for {@code j = jb + q}, {@code q < len} (a vectorised loop). */
        void exponents(int i, double hi, double[] w, double inv, int jb, int len, double[] p) {
            for (int q = 0; q < len; q++) {
                p[q] = (hi + w[jb + q] - c.get(i, jb + q)) * inv;
            }
        }

        @Override
        void rowLogSumExp(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            forEach(n, chunkRows(), 20L * m, (chunk, start, end) -> {
                double[] buf = null;
                double[] p = new double[BLOCK];
                double[] t = new double[BLOCK];
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = 0;
                    for (int jb = 0; jb < m; jb += BLOCK) {
                        int len = Math.min(BLOCK, m - jb);
                        exponents(i, hi, w, inv, jb, len, p);
                        KernelExp.reduce(p, t, 0, len);
                        s = KernelExp.sum(s, p, t, 0, len);
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
        void planTimes(double[] h, double[] w, double eps, double[] v, double[] out) {
            double inv = 1.0 / eps;
            forEach(n, chunkRows(), 20L * m, (chunk, start, end) -> {
                double[] p = new double[BLOCK];
                double[] t = new double[BLOCK];
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = 0;
                    for (int jb = 0; jb < m; jb += BLOCK) {
                        int len = Math.min(BLOCK, m - jb);
                        exponents(i, hi, w, inv, jb, len, p);
                        KernelExp.reduce(p, t, 0, len);
                        KernelExp.scale(p, t, 0, len);
                        for (int q = 0; q < len; q++) {
                            s += p[q] * v[jb + q];
                        }
                    }
                    out[i] = s;
                }
            });
        }

        @Override
        void planTransposedTimes(double[] h, double[] w, double eps, double[] u, double[] out) {
            double inv = 1.0 / eps;
            // blocks of columns, each summed over all rows in row order: the bits do not depend on the threads
            forEach(m, COLUMN_BLOCK, 20L * n, (chunk, start, end) -> {
                java.util.Arrays.fill(out, start, end, 0.0);
                double[] p = new double[COLUMN_BLOCK];
                double[] t = new double[COLUMN_BLOCK];
                int len = end - start;
                for (int i = 0; i < n; i++) {
                    double ui = u[i];
                    exponents(i, h[i], w, inv, start, len, p);
                    KernelExp.reduce(p, t, 0, len);
                    KernelExp.scale(p, t, 0, len);
                    for (int q = 0; q < len; q++) {
                        out[start + q] += p[q] * ui;
                    }
                }
            });
        }

        @Override
        void colLogSumExp(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            int width = COLUMN_BLOCK;
            forEach(m, width, 20L * n, (chunk, start, end) -> {
                for (int j = start; j < end; j++) {
                    out[j] = 0;
                }
                double[] p = new double[COLUMN_BLOCK];
                double[] t = new double[COLUMN_BLOCK];
                int len = end - start;
                for (int i = 0; i < n; i++) {
                    exponents(i, h[i], w, inv, start, len, p);
                    KernelExp.reduce(p, t, 0, len);
                    KernelExp.scale(p, t, 0, len);
                    for (int q = 0; q < len; q++) {
                        out[start + q] += p[q];
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

    /**
     * Squared Euclidean cost between two point clouds, computed on the fly (memory O((n + m) d)). The target
     * coordinates are also kept block by block and coordinate by coordinate ({@code yb[b * d + k][q]} is coordinate
     * {@code k} of target {@code b * BLOCK + q}), so that the exponents of a block of a row are computed by
     * unit-stride loops whose arrays all start at the block (the form C2 vectorises).
     */
    static final class Cloud extends LogDomainGibbsKernel {
        final double[] xs;
        final double[] ys;
        final int d;
        /** The target coordinates by block and coordinate: {@code yb[b * d + k][q] = ys[(b * BLOCK + q) * d + k]}. */
        private final double[][] yb;
        private Cloud transposed;

        Cloud(double[] xs, double[] ys, int d, boolean parallel) {
            super(xs.length / d, ys.length / d, parallel);
            this.xs = xs;
            this.ys = ys;
            this.d = d;
            int blocks = Chunks.count(m, BLOCK);
            this.yb = new double[blocks * d][];
            for (int b = 0; b < blocks; b++) {
                int jb = b * BLOCK;
                int len = Math.min(BLOCK, m - jb);
                for (int k = 0; k < d; k++) {
                    double[] coordinate = new double[len];
                    for (int q = 0; q < len; q++) {
                        coordinate[q] = ys[(jb + q) * d + k];
                    }
                    yb[b * d + k] = coordinate;
                }
            }
        }

        Cloud transposed() {
            if (transposed == null) {
                transposed = new Cloud(ys, xs, d, parallel);
                transposed.transposed = this;
            }
            return transposed;
        }

        @Override
        double costEntry(int i, int j) {
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
        public double costScale() {
            return maxCostBound(xs, ys, d);
        }

        @Override
        void rowLogSumExp(double[] h, double[] w, double eps, double[] out) {
            double inv = 1.0 / eps;
            double[][] wb = blocks(w);
            forEach(n, chunkRows(), (20L + 3L * d) * m, (chunk, start, end) -> {
                double[] buf = null;
                double[] p = new double[BLOCK];
                double[] t = new double[BLOCK];
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = rowSum(i, hi, wb, inv, p, t);
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

        /** {@code w} cut into blocks of {@link #BLOCK} entries (the layout of {@link #yb}). */
        static double[][] blocks(double[] w) {
            double[][] wb = new double[Chunks.count(w.length, BLOCK)][];
            for (int b = 0; b < wb.length; b++) {
                int jb = b * BLOCK;
                wb[b] = java.util.Arrays.copyOfRange(w, jb, Math.min(w.length, jb + BLOCK));
            }
            return wb;
        }

        /**
         * \( \sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) \), in order of {@code j}, one block of exponents at a
         * time ({@code wb}: {@code w} by {@link #blocks}; {@code p}, {@code t}: scratch of {@link #BLOCK} entries).
         */
        double rowSum(int i, double hi, double[][] wb, double inv, double[] p, double[] t) {
            double s = 0;
            for (int b = 0; b < wb.length; b++) {
                int len = wb[b].length;
                exponents(i, hi, wb[b], inv, b, p);
                KernelExp.reduce(p, t, 0, len);
                s = KernelExp.sum(s, p, t, 0, len);
            }
            return s;
        }

        /**
         * {@code p[q] = (h_i + w_j - C_ij) / eps} for {@code j = b * BLOCK + q}, {@code q < wb.length}, with
         * \( C_{ij} = \sum_k (x_{ik} - y_{jk})^2 \) summed in order of {@code k} (vectorised loops).
         */
        void exponents(int i, double hi, double[] wb, double inv, int b, double[] p) {
            int xi = i * d;
            int len = wb.length;
            if (d == 2) {
                double x0 = xs[xi];
                double x1 = xs[xi + 1];
                double[] y0 = yb[2 * b];
                double[] y1 = yb[2 * b + 1];
                for (int q = 0; q < len; q++) {
                    double d0 = x0 - y0[q];
                    double d1 = x1 - y1[q];
                    p[q] = (hi + wb[q] - (d0 * d0 + d1 * d1)) * inv;
                }
                return;
            }
            java.util.Arrays.fill(p, 0, len, 0.0);
            for (int k = 0; k < d; k++) {
                double xk = xs[xi + k];
                double[] yk = yb[b * d + k];
                for (int q = 0; q < len; q++) {
                    double diff = xk - yk[q];
                    p[q] += diff * diff;
                }
            }
            for (int q = 0; q < len; q++) {
                p[q] = (hi + wb[q] - p[q]) * inv;
            }
        }

        @Override
        void colLogSumExp(double[] h, double[] w, double eps, double[] out) {
            transposed().rowLogSumExp(w, h, eps, out);
        }

        @Override
        void planTimes(double[] h, double[] w, double eps, double[] v, double[] out) {
            double inv = 1.0 / eps;
            double[][] wb = blocks(w);
            forEach(n, chunkRows(), (20L + 3L * d) * m, (chunk, start, end) -> {
                double[] p = new double[BLOCK];
                double[] t = new double[BLOCK];
                for (int i = start; i < end; i++) {
                    double hi = h[i];
                    double s = 0;
                    for (int jb = 0; jb < m; jb += BLOCK) {
                        int len = Math.min(BLOCK, m - jb);
                        exponents(i, hi, wb[jb / BLOCK], inv, jb / BLOCK, p);
                        KernelExp.reduce(p, t, 0, len);
                        KernelExp.scale(p, t, 0, len);
                        for (int q = 0; q < len; q++) {
                            s += p[q] * v[jb + q];
                        }
                    }
                    out[i] = s;
                }
            });
        }

        @Override
        void planTransposedTimes(double[] h, double[] w, double eps, double[] u, double[] out) {
            transposed().planTimes(w, h, eps, u, out);
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
                double[] e = new double[BLOCK];
                double[] t = new double[BLOCK];
                double[] acc = new double[d];
                for (int i = start; i < end; i++) {
                    costRow(i, buf);
                    double hi = h[i];
                    java.util.Arrays.fill(acc, 0.0);
                    double r = 0;
                    for (int jb = 0; jb < m; jb += BLOCK) {
                        int len = Math.min(BLOCK, m - jb);
                        planBlock(hi, w, buf, inv, jb, len, e, t);
                        for (int q = 0; q < len; q++) {
                            double p = e[q];
                            r += p;
                            int yj = (jb + q) * d;
                            for (int k = 0; k < d; k++) {
                                acc[k] += p * ys[yj + k];
                            }
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
