package org.measureflow.ot.sinkhorn;

import java.util.Arrays;

import org.measureflow.core.parallel.Chunks;

/**
 * The Gibbs kernel of two point clouds (\( C_{ij} = |x_i - y_j|^2 \)) restricted to the pairs of grid cells whose
 * share of the plan can matter: the sparse stabilised scaling of Schmitzer (2019, "Stabilized sparse scaling
 * algorithms for entropy regularized transport problems") with the cell-pair (block) structure that GeomLoss uses
 * on GPUs (Feydy et al. 2019). Each cell \( A \) of the source gets a linear bound of the log-weights of its
 * points, \( h_i \le v_A + p_A\cdot(x_i - c_A) \) (least-squares slope, largest residual added; {@link CellFit}),
 * each target cell \( B \) likewise \( w_j \le v_B + q_B\cdot(y_j - c_B) \), and the plan's mass on
 * \( A \times B \), \( \sum_{i\in A, j\in B} e^{(h_i + w_j - C_{ij})/\varepsilon} \), is bounded by
 * {@link #pairBound}: the bound uses the bounding boxes of the cells ({@link PointCells}) and stays tight along
 * the transport map, where the slopes of the two potentials cancel. A pair is kept when its bound, computed at the
 * log-weights \( \bar h, \bar w \) of the last build, is above a cut chosen so that the dropped pairs hold at most
 * \( \tfrac12\delta e^{-2\mu} \) together (\( \delta \) the neglected-mass budget, \( \mu \) = {@link #MARGIN});
 * within a kept pair, a point skips a cell whose point-to-cell bound is below \( \delta a_k / (4K) \) (a quarter
 * of the budget per side, \( K \) the kept cells of its cell), and every other entry is computed exactly. As long
 * as \( \max_i(h_i - \bar h_i) + \max_j(w_j - \bar w_j) \le 2\mu\varepsilon \) (checked on every call,
 * \( O(n+m) \)), the dropped pairs hold at most \( \delta/2 \); when the log-weights move further, or epsilon
 * changes, the kept pairs are chosen again (re-truncation). {@link #neglectedMass} evaluates all these bounds at
 * given log-weights.
 *
 * <p>Each operation costs the number of entries of the kept pairs, \( O(n K) \) for \( K \) neighbours within a
 * few \( \sqrt{\varepsilon \log(1/\delta)} \) of the transport map, instead of \( O(nm) \). Rows (columns) are
 * processed in fixed chunks of the cell order, each sum by one thread in a fixed order: serial and parallel runs
 * give the same bits.
 *
 * <p>Not immutable: the kept pairs and work arrays change with the calls. Owned by one solve; package-private.
 */
final class TruncatedGibbsKernel extends LogDomainGibbsKernel {
    /**
     * How far (in units of epsilon) the log-weights may move on each side before the kept pairs are chosen again;
     * the threshold keeps pairs down to \( e^{-2\mu} \) below the budget so the bound holds in between.
     */
    static final double MARGIN = 1;
    /** Bins of the histogram of pair bounds (in units of epsilon, see {@link #cutoff}). */
    static final int BINS = 160;
    /** Width of a bin of that histogram. */
    static final double BIN = 0.25;
    /** The wished cell side as a fraction of \( \sqrt\varepsilon \). */
    static final double CELL_SIDE = 0.5;
    /** The largest number of non-empty cells of one cloud (the pair bounds cost \( N_A N_B \) per build). */
    static final int MAX_CELLS = 6000;

    final Cloud full;
    final PointCells rowCells;
    final PointCells colCells;
    private final double neglectTarget;
    private double builtEps = Double.NaN;
    private final double[] hBar;
    private final double[] wBar;
    private int[] rowPairStart;
    private int[] rowPairs;
    private int[] colPairStart;
    private int[] colPairs;
    private long keptEntries;
    private long builds;
    private long lastEntries;
    private final double[] hs;
    private final double[] ws;
    private final double[] vs;
    private final double[] outRows;
    private final double[] outCols;
    private final double[] costRows;
    /** Per-chunk buffers of the row and column passes (allocated on first use, reused by every pass). */
    private final Work[] rowWork;
    private final Work[] colWork;
    private final long[] rowEntryCounts;
    private final long[] colEntryCounts;
    /** Logarithms of the weights, in cell order. */
    private final double[] logA;
    private final double[] logB;
    private final CellFit rowFit;
    private final CellFit colFit;

    /**
     * The truncated kernel of a point-cloud ground.
     *
     * @param full          the full kernel (its clouds are grouped into cells)
     * @param a             the source weights (the thresholds are relative to them; read, not kept)
     * @param b             the target weights
     * @param epsilon       the regularisation the cells are sized for
     * @param neglectTarget \( \delta > 0 \), the mass the dropped entries may hold
     */
    TruncatedGibbsKernel(Cloud full, double[] a, double[] b, double epsilon, double neglectTarget) {
        super(full.n, full.m, full.parallel);
        this.full = full;
        double side = CELL_SIDE * Math.sqrt(epsilon);
        this.rowCells = new PointCells(full.xs, full.d, side, cellLimit(full.n));
        this.colCells = new PointCells(full.ys, full.d, side, cellLimit(full.m));
        this.neglectTarget = neglectTarget;
        this.hBar = new double[n];
        this.wBar = new double[m];
        this.hs = new double[n];
        this.ws = new double[m];
        this.vs = new double[Math.max(n, m)];
        this.outRows = new double[n];
        this.outCols = new double[m];
        this.costRows = new double[n];
        this.rowWork = new Work[Chunks.count(n, chunkOf(n))];
        this.colWork = new Work[Chunks.count(m, chunkOf(m))];
        this.rowEntryCounts = new long[rowWork.length];
        this.colEntryCounts = new long[colWork.length];
        this.logA = new double[n];
        this.logB = new double[m];
        permute(rowCells, SinkhornSolver.logs(a), logA);
        permute(colCells, SinkhornSolver.logs(b), logB);
        this.rowFit = new CellFit(rowCells);
        this.colFit = new CellFit(colCells);
    }

    /** At most {@link #MAX_CELLS} cells and at least about 8 points per cell on average. */
    private static int cellLimit(int size) {
        return Math.max(1, Math.min(MAX_CELLS, size / 8));
    }

    @Override
    double costEntry(int i, int j) {
        return full.costEntry(i, j);
    }

    @Override
    void costRow(int i, double[] out) {
        full.costRow(i, out);
    }

    @Override
    int flopsPerEntry() {
        return 3 * full.d;
    }

    @Override
    public double costScale() {
        return full.costScale();
    }

    // ---------------------------------------------------------------- the kept pairs

    /**
     * Chooses the kept pairs again if epsilon changed or the log-weights moved too far. A pair bound
     * \( H_A + W_B - d_{AB}^2 \) grows by at most \( \max_i(h_i - \bar h_i) + \max_j(w_j - \bar w_j) \), which a
     * shift \( (h + t, w - t) \) of the potentials (the same plan) leaves unchanged.
     */
    private void ensure(double[] h, double[] w, double eps) {
        if (eps != builtEps || !(growth(h, hBar) + growth(w, wBar) <= 2 * MARGIN * eps)) {
            build(h, w, eps);
        }
    }

    /** \( \max_i (v_i - \bar v_i) \) over the finite entries; infinite if an entry became finite or NaN. */
    private static double growth(double[] now, double[] then) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < now.length; i++) {
            double a = now[i];
            double b = then[i];
            if (a != b) {
                double diff = a - b;
                if (!(diff <= max)) {
                    max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                }
            }
        }
        return max == Double.NEGATIVE_INFINITY ? 0 : max;
    }

    private void build(double[] h, double[] w, double eps) {
        builds++;
        builtEps = eps;
        System.arraycopy(h, 0, hBar, 0, n);
        System.arraycopy(w, 0, wBar, 0, m);
        fitBoth(h, w);
        int na = rowCells.count;
        int nb = colCells.count;
        double inv = 1.0 / eps;
        int chunk = Math.max(1, (na + 63) / 64);
        int chunks = Chunks.count(na, chunk);
        double keep = cutoff(na, nb, inv, chunk, chunks); // the cell pairs get half of the budget
        int[][] lists = new int[chunks][];
        int[] sizes = new int[chunks];
        int[] perRow = new int[na + 1];
        forEach(na, chunk, 12L * nb, (c, first, end) -> {
            int[] list = new int[Math.max(16, (end - first) * 8)];
            int size = 0;
            for (int a = first; a < end; a++) {
                int before = size;
                if (rowFit.value[a] != Double.NEGATIVE_INFINITY) {
                    for (int b = 0; b < nb; b++) {
                        if (pairBound(a, b, inv) > keep) {
                            if (size == list.length) {
                                list = Arrays.copyOf(list, 2 * size);
                            }
                            list[size++] = b;
                        }
                    }
                }
                perRow[a + 1] = size - before;
            }
            lists[c] = list;
            sizes[c] = size;
        });
        int total = 0;
        for (int c = 0; c < chunks; c++) {
            total = Math.addExact(total, sizes[c]);
        }
        rowPairStart = new int[na + 1];
        for (int a = 0; a < na; a++) {
            rowPairStart[a + 1] = rowPairStart[a] + perRow[a + 1];
        }
        rowPairs = new int[total];
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            System.arraycopy(lists[c], 0, rowPairs, at, sizes[c]);
            at += sizes[c];
        }
        // the transposed structure: for each target cell, its kept source cells in increasing order
        colPairStart = new int[nb + 1];
        for (int p = 0; p < total; p++) {
            colPairStart[rowPairs[p] + 1]++;
        }
        for (int b = 0; b < nb; b++) {
            colPairStart[b + 1] += colPairStart[b];
        }
        colPairs = new int[total];
        int[] next = Arrays.copyOf(colPairStart, nb);
        long entries = 0;
        for (int a = 0; a < na; a++) {
            int sizeA = rowCells.start[a + 1] - rowCells.start[a];
            for (int p = rowPairStart[a]; p < rowPairStart[a + 1]; p++) {
                int b = rowPairs[p];
                colPairs[next[b]++] = a;
                entries += (long) sizeA * (colCells.start[b + 1] - colCells.start[b]);
            }
        }
        keptEntries = entries;
    }

    /**
     * The largest exponent \( c \) such that the pairs with bound \( e^{u_{AB}} \le e^{c} \) (\( u_{AB} = (H_A + W_B -
     * d_{AB}^2)/\varepsilon \)) hold at most \( \delta e^{-2\mu} \) together: a histogram of the bounds in bins of
     * width {@link #BIN} below \( \log(\delta e^{-2\mu}) \) (no single pair above it may be dropped), each bin
     * summing its \( e^{u} \); bins are dropped from the bottom while the running sum stays within the budget.
     */
    private double cutoff(int na, int nb, double inv, int chunk, int chunks) {
        double budget = Math.log(neglectTarget / 2) - 2 * MARGIN;
        double bottom = budget - BINS * BIN;
        double[][] histograms = new double[chunks][BINS + 1];
        forEach(na, chunk, 12L * nb, (c, first, end) -> {
            double[] hist = histograms[c];
            for (int a = first; a < end; a++) {
                if (rowFit.value[a] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int b = 0; b < nb; b++) {
                    double u = pairBound(a, b, inv);
                    if (u <= budget) {
                        // bin 0 collects everything below the histogram's range
                        int bin = u <= bottom ? 0 : 1 + Math.min(BINS - 1, (int) ((u - bottom) / BIN));
                        hist[bin] += Math.exp(u);
                    }
                }
            }
        });
        double total = 0;
        double cut = Double.NEGATIVE_INFINITY; // keep every pair if even the lowest bin exceeds the budget
        for (int bin = 0; bin <= BINS; bin++) {
            double s = 0;
            for (int c = 0; c < chunks; c++) {
                s += histograms[c][bin];
            }
            if (total + s > Math.exp(budget)) {
                break;
            }
            total += s;
            cut = bottom + bin * BIN;
        }
        return cut;
    }

    /** Both clouds' cell fits ({@link CellFit}) to the log-weights {@code h}, {@code w} (original order). */
    private void fitBoth(double[] h, double[] w) {
        permute(rowCells, h, hs);
        permute(colCells, w, ws);
        rowFit.fit(hs);
        colFit.fit(ws);
    }

    /**
     * The logarithm of an upper bound of the plan's mass on the cells \( A \times B \) from the linear bounds of
     * both fits, \( h_i \le v_A + p_A\cdot(x_i - c_A) \), \( w_j \le v_B + q_B\cdot(y_j - c_B) \):
     * \[ \frac{1}{\varepsilon}\Big(v_A + v_B + \tfrac14|q_B|^2 - p_A\cdot c_A - q_B\cdot c_B
     *    + \max_{x\in\mathrm{box}_A}(p_A + q_B)\cdot x - \mathrm{dist}^2(\mathrm{box}_A + q_B/2, \mathrm{box}_B)\Big)
     *    + \log|A| + \log|B|, \]
     * from \( q\cdot(y - c) - |x - y|^2 \le \tfrac14|q|^2 + q\cdot(x - c) - \mathrm{dist}^2(x + q/2,
     * \mathrm{box}_B) \), maximised term by term over \( x \in \mathrm{box}_A \). Near the transport map
     * \( p_A \approx 2(x - T(x)) \) and \( q_B \approx 2(T(x) - x) \) cancel, so the bound is tight there. The
     * fits must be current ({@link #fitBoth}).
     */
    private double pairBound(int a, int b, double inv) {
        double va = rowFit.value[a];
        double vb = colFit.value[b];
        if (va == Double.NEGATIVE_INFINITY || vb == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        int d = rowCells.d;
        double bound = va + vb;
        double dist = 0;
        int pa = a * d;
        int pb = b * d;
        for (int k = 0; k < d; k++) {
            double p = rowFit.slope[pa + k];
            double q = colFit.slope[pb + k];
            double lo = rowCells.lo[pa + k];
            double hi = rowCells.hi[pa + k];
            bound += q * q / 4 - p * rowFit.centre[pa + k] - q * colFit.centre[pb + k]
                    + (p + q > 0 ? (p + q) * hi : (p + q) * lo);
            double gap = Math.max(colCells.lo[pb + k] - (hi + q / 2), (lo + q / 2) - colCells.hi[pb + k]);
            if (gap > 0) {
                dist += gap * gap;
            }
        }
        return (bound - dist) * inv + rowFit.logCount[a] + colFit.logCount[b];
    }

    /**
     * An upper bound of the plan's mass on the dropped pairs at log-weights {@code (h, w)}: the sum of the pair
     * bounds of the class documentation over the pairs that are not kept (one pass over all pairs of cells).
     */
    double neglectedMass(double[] h, double[] w, double eps) {
        ensure(h, w, eps);
        // the pairs were dropped on their bounds at (hBar, wBar); the plan at (h, w) exceeds those by at most the
        // growth factor (the argument of the class documentation), which keeps the report consistent with the cut
        double growth = growth(h, hBar) + growth(w, wBar);
        fitBoth(hBar, wBar);
        int na = rowCells.count;
        int nb = colCells.count;
        double inv = 1.0 / eps;
        double shift = growth * inv;
        int chunk = Math.max(1, (na + 63) / 64);
        double[] partial = new double[Chunks.count(na, chunk)];
        forEach(na, chunk, 12L * nb, (c, first, end) -> {
            double s = 0;
            for (int a = first; a < end; a++) {
                if (rowFit.value[a] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                int p = rowPairStart[a];
                int last = rowPairStart[a + 1];
                for (int b = 0; b < nb; b++) {
                    if (p < last && rowPairs[p] == b) {
                        p++;
                        continue;
                    }
                    s += Math.exp(pairBound(a, b, inv) + shift);
                }
            }
            partial[c] = s;
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        permute(rowCells, h, hs);
        permute(colCells, w, ws);
        colFit.fit(ws);
        total += skippedMass(rowCells, rowPairStart, rowPairs, hs, logA, colFit, eps);
        rowFit.fit(hs);
        total += skippedMass(colCells, colPairStart, colPairs, ws, logB, rowFit, eps);
        return total;
    }

    // ---------------------------------------------------------------- sums over the kept pairs

    /** Copies {@code v} (original order) into {@code out} in the cell order of {@code cells}. */
    private static void permute(PointCells cells, double[] v, double[] out) {
        int[] order = cells.order;
        for (int k = 0; k < order.length; k++) {
            out[k] = v[order[k]];
        }
    }

    /** Writes {@code sorted} (cell order of {@code cells}) into {@code out} in the original order. */
    private static void unpermute(PointCells cells, double[] sorted, double[] out) {
        int[] order = cells.order;
        for (int k = 0; k < order.length; k++) {
            out[order[k]] = sorted[k];
        }
    }

    /**
     * For every point {@code k} of {@code p} (cell order): {@code sums[k]} = \( \sum_l e^{(hp_k + wq_l - C_{kl})/
     * \varepsilon} v_l \) over the points {@code l} of the kept cells of {@code q} ({@code v == null}: \( v = 1 \)),
     * and, when {@code costs} is not null, {@code costs[k]} = the same sum with \( C_{kl} \) for \( v_l \). With
     * {@code log} set, the sums (of \( v = 1 \)) are returned as logarithms, a sum outside \( [10^{-280}, 10^{280}]
     * \) being recomputed max-shifted. A kept cell whose point bound ({@link CellFit#logMass}) is below
     * \( \delta a_k / (4 K) \) (\( K \) the kept cells of the point's cell) is skipped for that point.
     */
    private void pass(PointCells p, PointCells q, int[] pairStart, int[] pairs, double[] hp, double[] wq,
            double[] logWeight, CellFit fit, double eps, double[] v, boolean log, double[] sums, double[] costs) {
        double inv = 1.0 / eps;
        int d = p.d;
        Work[] work = p == rowCells ? rowWork : colWork;
        long[] entryCounts = p == rowCells ? rowEntryCounts : colEntryCounts;
        double logShare = Math.log(neglectTarget / 4);
        forEach(p.size, chunkOf(p.size), 20L * 64, (c, first, end) -> {
            // exponents of up to BLOCK entries, exponentiated by KernelExp's two stages, then added in order
            if (work[c] == null) {
                work[c] = new Work(); // once per chunk and side, kept for the next passes
            }
            double[] e = work[c].e;
            double[] t = work[c].t;
            double[] cb = work[c].cb;
            double[] vb = work[c].vb;
            boolean plain = v == null && costs == null;
            double[] acc = work[c].acc;
            for (int k = first; k < end; k++) {
                double hk = hp[k];
                int cell = p.cellOf[k];
                int from = pairStart[cell];
                int to = pairStart[cell + 1];
                double threshold = logShare + logWeight[k] - Math.log(Math.max(1, to - from));
                acc[0] = 0;
                acc[1] = 0;
                int len = 0;
                long computed = 0;
                for (int pe = from; pe < to; pe++) {
                    int b = pairs[pe];
                    if (fit.logMass(b, p.points, k, hk, inv) <= threshold) {
                        continue;
                    }
                    int lo = q.start[b];
                    int hi = q.start[b + 1];
                    computed += hi - lo;
                    if (len + (hi - lo) > BLOCK) {
                        flush(e, t, cb, vb, len, plain, acc);
                        len = 0;
                    }
                    for (int l0 = lo; l0 < hi; l0 += BLOCK) {
                        // a cell larger than a block (clustered data) is taken in pieces
                        int l1 = Math.min(hi, l0 + BLOCK);
                        fill(p, q, k, l0, l1, hk, wq, inv, v, plain, e, cb, vb, len);
                        len += l1 - l0;
                        if (l1 < hi) {
                            flush(e, t, cb, vb, len, plain, acc);
                            len = 0;
                        }
                    }
                }
                flush(e, t, cb, vb, len, plain, acc);
                double s = acc[0];
                if (log) {
                    sums[k] = s >= LOW && s <= HIGH ? Math.log(s) : shiftedLogSum(p, q, pairStart, pairs, k, hk, wq,
                            inv);
                } else {
                    sums[k] = s;
                }
                if (costs != null) {
                    costs[k] = acc[1];
                }
                entryCounts[c] += computed;
            }
        });
        long total = 0;
        for (int c = 0; c < entryCounts.length; c++) {
            total += entryCounts[c];
            entryCounts[c] = 0;
        }
        lastEntries = total;
    }

    /** The buffers of one chunk of a pass: exponents, their reduced form, costs, weights, and two sums. */
    private static final class Work {
        final double[] e = new double[BLOCK];
        final double[] t = new double[BLOCK];
        final double[] cb = new double[BLOCK];
        final double[] vb = new double[BLOCK];
        final double[] acc = new double[2];
    }

    /**
     * Writes the exponents \( (h_k + w_l - C_{kl})/\varepsilon \) of points {@code l} in {@code [lo, hi)} of
     * {@code q} into {@code e} from {@code at} on, and unless {@code plain} their costs and weights {@code v}.
     */
    private static void fill(PointCells p, PointCells q, int k, int lo, int hi, double hk, double[] wq, double inv,
            double[] v, boolean plain, double[] e, double[] cb, double[] vb, int at) {
        double[] qp = q.points;
        int d = p.d;
        if (d == 2 && plain) {
            double x0 = p.points[2 * k];
            double x1 = p.points[2 * k + 1];
            for (int l = lo, o = at; l < hi; l++, o++) {
                double d0 = x0 - qp[2 * l];
                double d1 = x1 - qp[2 * l + 1];
                e[o] = (hk + wq[l] - (d0 * d0 + d1 * d1)) * inv;
            }
            return;
        }
        for (int l = lo, o = at; l < hi; l++, o++) {
            double cost = distanceSquared(p, k, q, l);
            e[o] = (hk + wq[l] - cost) * inv;
            if (!plain) {
                cb[o] = cost;
                vb[o] = v == null ? 1 : v[l];
            }
        }
    }

    /**
     * Adds \( \sum_q e^{x_q} v_q \) to {@code acc[0]} and \( \sum_q e^{x_q} c_q \) to {@code acc[1]} for the
     * {@code len} buffered exponents, in order ({@code plain}: \( v = 1 \) and no cost sum).
     */
    private static void flush(double[] e, double[] t, double[] cb, double[] vb, int len, boolean plain,
            double[] acc) {
        if (len == 0) {
            return;
        }
        KernelExp.reduce(e, t, 0, len);
        if (plain) {
            acc[0] = KernelExp.sum(acc[0], e, t, 0, len);
            return;
        }
        KernelExp.scale(e, t, 0, len);
        double s = acc[0];
        double sc = acc[1];
        for (int q = 0; q < len; q++) {
            s += e[q] * vb[q];
            sc += e[q] * cb[q];
        }
        acc[0] = s;
        acc[1] = sc;
    }

    /**
     * The mass bound of the cells a pass of {@link #pass} skips for single points (the cells are kept for the
     * point's cell, but their point bound is below the threshold), summed over all points of {@code p}.
     */
    private double skippedMass(PointCells p, int[] pairStart, int[] pairs, double[] hp, double[] logWeight,
            CellFit fit, double eps) {
        double inv = 1.0 / eps;
        double logShare = Math.log(neglectTarget / 4);
        int chunk = chunkOf(p.size);
        double[] partial = new double[Chunks.count(p.size, chunk)];
        forEach(p.size, chunk, 20L * 64, (c, first, end) -> {
            double total = 0;
            for (int k = first; k < end; k++) {
                int cell = p.cellOf[k];
                int from = pairStart[cell];
                int to = pairStart[cell + 1];
                double threshold = logShare + logWeight[k] - Math.log(Math.max(1, to - from));
                for (int e = from; e < to; e++) {
                    double bound = fit.logMass(pairs[e], p.points, k, hp[k], inv);
                    if (bound <= threshold) {
                        total += Math.exp(bound);
                    }
                }
            }
            partial[c] = total;
        });
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        return total;
    }

    /** \( \log\sum_l e^{(h_k + w_l - C_{kl})/\varepsilon} \) over the kept cells, shifted by the largest exponent. */
    private static double shiftedLogSum(PointCells p, PointCells q, int[] pairStart, int[] pairs, int k, double hk,
            double[] wq, double inv) {
        int cell = p.cellOf[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int e = pairStart[cell]; e < pairStart[cell + 1]; e++) {
            int b = pairs[e];
            for (int l = q.start[b]; l < q.start[b + 1]; l++) {
                max = Math.max(max, wq[l] - distanceSquared(p, k, q, l));
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY; // no kept pair with mass: the row's log-sum is -infinity
        }
        double s = 0;
        for (int e = pairStart[cell]; e < pairStart[cell + 1]; e++) {
            int b = pairs[e];
            for (int l = q.start[b]; l < q.start[b + 1]; l++) {
                s += KernelExp.exp((wq[l] - distanceSquared(p, k, q, l) - max) * inv);
            }
        }
        return (hk + max) * inv + Math.log(s);
    }

    private static double distanceSquared(PointCells p, int k, PointCells q, int l) {
        int d = p.d;
        double s = 0;
        for (int a = 0; a < d; a++) {
            double diff = p.points[k * d + a] - q.points[l * d + a];
            s += diff * diff;
        }
        return s;
    }

    /** Rows per chunk of a pass: a function of the size only. */
    private static int chunkOf(int size) {
        return Math.max(16, (size + 63) / 64);
    }

    /** Row sums into {@code out}; with {@code costs}, the cost-weighted row sums stay in {@link #costRows}. */
    private void rowPass(double[] h, double[] w, double eps, double[] v, boolean log, double[] out, boolean costs) {
        ensure(h, w, eps);
        permute(rowCells, h, hs);
        permute(colCells, w, ws);
        colFit.fit(ws);
        double[] vSorted = null;
        if (v != null) {
            permute(colCells, v, vs);
            vSorted = vs;
        }
        pass(rowCells, colCells, rowPairStart, rowPairs, hs, ws, logA, colFit, eps, vSorted, log, outRows,
                costs ? costRows : null);
        unpermute(rowCells, outRows, out);
    }

    private void colPass(double[] h, double[] w, double eps, double[] u, boolean log, double[] out) {
        ensure(h, w, eps);
        permute(rowCells, h, hs);
        permute(colCells, w, ws);
        rowFit.fit(hs);
        double[] uSorted = null;
        if (u != null) {
            permute(rowCells, u, vs);
            uSorted = vs;
        }
        pass(colCells, rowCells, colPairStart, colPairs, ws, hs, logB, rowFit, eps, uSorted, log, outCols, null);
        unpermute(colCells, outCols, out);
    }

    /**
     * A linear bound of log-weights on each cell of a cloud: \( v_l \le v_B + q_B\cdot(y_l - c_B) + r_B \) for the
     * points \( y_l \) of cell \( B \) (centroid \( c_B \), least-squares slope \( q_B \) in dimension at most 3,
     * zero otherwise, \( r_B \) the largest residual). For a point \( x \) with log-weight \( h \) it bounds the
     * mass of the cell's entries,
     * \[ \sum_{l\in B} e^{(h + v_l - |x - y_l|^2)/\varepsilon} \le |B| \exp\frac{h + v_B + r_B + |q_B|^2/4
     *    + q_B\cdot(x - c_B) - \mathrm{dist}^2(x + q_B/2, \mathrm{box}_B)}{\varepsilon}, \]
     * from \( q\cdot(y - c) - |x - y|^2 = -|y - x - q/2|^2 + |q|^2/4 + q\cdot(x - c) \): the potentials' slope
     * across a cell (twice the displacement, several units) no longer loosens the bound, only their curvature does.
     */
    static final class CellFit {
        private final PointCells cells;
        private final int d;
        private final double[] centre;
        private final double[] slope;
        private final double[] value;
        private final double[] logCount;
        /** \( v_B + |q_B|^2/4 - q_B\cdot c_B \) (\( -\infty \) for a cell without mass). */
        private final double[] constant;
        /** The cell's box shifted by \( -q_B/2 \). */
        private final double[] low;
        private final double[] high;
        private final double[] m;

        CellFit(PointCells cells) {
            this.cells = cells;
            this.d = cells.d;
            int count = cells.count;
            this.centre = new double[count * d];
            this.slope = new double[count * d];
            this.value = new double[count];
            this.logCount = new double[count];
            this.constant = new double[count];
            this.low = new double[count * d];
            this.high = new double[count * d];
            this.m = new double[12];
            for (int c = 0; c < count; c++) {
                int size = cells.start[c + 1] - cells.start[c];
                logCount[c] = Math.log(size);
                for (int k = cells.start[c]; k < cells.start[c + 1]; k++) {
                    for (int a = 0; a < d; a++) {
                        centre[c * d + a] += cells.points[k * d + a] / size;
                    }
                }
            }
        }

        /** Fits every cell to the log-weights {@code v} (cell order); entries \( -\infty \) carry no mass. */
        void fit(double[] v) {
            int k = d <= 3 ? d : 0;
            for (int c = 0; c < cells.count; c++) {
                int lo = cells.start[c];
                int hi = cells.start[c + 1];
                double mean = 0;
                int finite = 0;
                for (int l = lo; l < hi; l++) {
                    if (v[l] != Double.NEGATIVE_INFINITY) {
                        mean += v[l];
                        finite++;
                    }
                }
                java.util.Arrays.fill(slope, c * d, c * d + d, 0.0);
                if (finite == 0) {
                    value[c] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                mean /= finite;
                if (k > 0 && finite > k) {
                    leastSquares(c, v, lo, hi, mean, k);
                }
                double resid = Double.NEGATIVE_INFINITY;
                for (int l = lo; l < hi; l++) {
                    if (v[l] != Double.NEGATIVE_INFINITY) {
                        double pred = mean;
                        for (int a = 0; a < k; a++) {
                            pred += slope[c * d + a] * (cells.points[l * d + a] - centre[c * d + a]);
                        }
                        resid = Math.max(resid, v[l] - pred);
                    }
                }
                value[c] = mean + resid;
            }
            for (int c = 0; c < cells.count; c++) {
                double constant0 = value[c];
                for (int a = 0; a < d; a++) {
                    double q = slope[c * d + a];
                    constant0 += q * q / 4 - q * centre[c * d + a];
                    low[c * d + a] = cells.lo[c * d + a] - q / 2;
                    high[c * d + a] = cells.hi[c * d + a] - q / 2;
                }
                constant[c] = constant0;
            }
        }

        /** The slope of cell {@code c}: normal equations in {@code k <= 3} unknowns, solved by Cramer's rule. */
        private void leastSquares(int c, double[] v, int lo, int hi, double mean, int k) {
            java.util.Arrays.fill(m, 0.0);
            for (int l = lo; l < hi; l++) {
                if (v[l] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                double r = v[l] - mean;
                for (int a = 0; a < k; a++) {
                    double da = cells.points[l * d + a] - centre[c * d + a];
                    m[9 + a] += da * r;
                    for (int b = 0; b < k; b++) {
                        m[a * 3 + b] += da * (cells.points[l * d + b] - centre[c * d + b]);
                    }
                }
            }
            double det = determinant(k, m, -1);
            double diagonal = 1;
            for (int a = 0; a < k; a++) {
                diagonal *= m[a * 4];
            }
            // det <= product of the diagonal (Hadamard); a small ratio means points near a lower-dimensional set,
            // whose slope would be huge and the bound absurdly loose: no slope then (the bound stays valid)
            if (!(det > 1e-2 * diagonal) || !Double.isFinite(det)) {
                return;
            }
            for (int a = 0; a < k; a++) {
                double q = determinant(k, m, a) / det;
                slope[c * d + a] = Double.isFinite(q) ? q : 0;
            }
        }

        /** The determinant of the {@code k x k} matrix in {@code m} with column {@code replace} set to the right side. */
        private static double determinant(int k, double[] m, int replace) {
            double[] e = new double[9];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    e[a * 3 + b] = b == replace ? m[9 + a] : m[a * 3 + b];
                }
            }
            if (k == 1) {
                return e[0];
            }
            if (k == 2) {
                return e[0] * e[4] - e[1] * e[3];
            }
            return e[0] * (e[4] * e[8] - e[5] * e[7]) - e[1] * (e[3] * e[8] - e[5] * e[6])
                    + e[2] * (e[3] * e[7] - e[4] * e[6]);
        }

        /**
         * The logarithm of the bound of the class documentation for point {@code k} of {@code points} (flat),
         * from the per-cell constants of {@link #fit}: \( (h + K_B + q_B\cdot x - \mathrm{dist}^2(x, \mathrm{box}_B
         * - q_B/2))/\varepsilon + \log|B| \) with \( K_B = v_B + |q_B|^2/4 - q_B\cdot c_B \).
         */
        double logMass(int c, double[] points, int k, double h, double inv) {
            double bound = h + constant[c];
            double dist = 0;
            int base = c * d;
            int at = k * d;
            for (int a = 0; a < d; a++) {
                double x = points[at + a];
                bound += slope[base + a] * x;
                double gap = Math.max(low[base + a] - x, x - high[base + a]);
                dist += gap > 0 ? gap * gap : 0;
            }
            // -infinity for a cell without mass or a point of weight zero (h = -infinity)
            return (bound - dist) * inv + logCount[c];
        }
    }

    @Override
    void rowLogSumExp(double[] h, double[] w, double eps, double[] out) {
        rowPass(h, w, eps, null, true, out, false);
    }

    @Override
    void colLogSumExp(double[] h, double[] w, double eps, double[] out) {
        colPass(h, w, eps, null, true, out);
    }

    @Override
    void planTimes(double[] h, double[] w, double eps, double[] v, double[] out) {
        rowPass(h, w, eps, v, false, out, false);
    }

    @Override
    void planTransposedTimes(double[] h, double[] w, double eps, double[] u, double[] out) {
        colPass(h, w, eps, u, false, out);
    }

    /** Row sums, column sums and \( \langle P, C\rangle \) over the kept pairs. */
    @Override
    double planStatistics(double[] h, double[] w, double eps, double[] rows, double[] cols) {
        rowPass(h, w, eps, null, false, rows, true);
        colPass(h, w, eps, null, false, cols);
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += costRows[k]; // in cell order, as before
        }
        return total;
    }

    /** One line: sizes, cells, kept pairs and entries. */
    @Override
    public String toString() {
        return "TruncatedGibbsKernel[" + n + "x" + m + ", dimension " + full.d + ", cells " + rowCells.count + " x "
                + colCells.count + ", entries of kept cell pairs " + keptEntries + ", entries of the last pass " + lastEntries
                + ", builds " + builds + "]";
    }
}
