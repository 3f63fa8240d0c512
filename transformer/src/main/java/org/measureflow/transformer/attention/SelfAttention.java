package org.measureflow.transformer.attention;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.parallel.Chunks;

/**
 * Self-attention of all tokens at once (every token attends to every token of the same set, or to those before it
 * under a causal mask), computed stably, in parallel and without an \( n \times n \) matrix: for tokens \( x_1..x_n \in \mathbb{R}^d \),
 * heads \( (Q_h, K_h, V_h) \), logits \( \ell^h_{ij} = \langle Q_h x_i, K_h x_j\rangle \) and per-key biases
 * \( c^h_j \) (the log-weights \( \log w_j \) of the token measure, survey eq. 27, or a Sinkhorn potential),
 * \[ v_i = \sum_h V_h \frac{\sum_{j \in J(i)} e^{\ell^h_{ij} + c^h_j} x_j}{\sum_{j \in J(i)} e^{\ell^h_{ij} + c^h_j}}
 * \quad\text{(softmax)}, \qquad
 * v_i = \sum_h V_h \sum_{j \in J(i)} e^{\ell^h_{ij} + c^h_j} x_j \quad\text{(unnormalised)}, \]
 * where \( J(i) = \{1..n\} \), or \( \{1..i\} \) with a causal mask. Without biases the weights are uniform,
 * \( c_j = -\log n \).
 *
 * <p><b>Stability.</b> Each row is shifted by its largest exponent \( M_i = \max_j (\ell_{ij} + c_j) \) before
 * exponentiation (log-sum-exp), so no exponential overflows and the softmax is exactly invariant, up to rounding,
 * to a constant added to a row of logits. The unnormalised form multiplies by \( e^{M_i} \) at the end and throws
 * {@link IllegalArgumentException} naming {@code points} if that overflows (the exact value is then beyond double
 * range). A row whose keys all have weight zero (possible only with a causal mask and zero weights) contributes
 * nothing. Before any work, tokens and heads whose logits could overflow are rejected: the bound
 * \( \max_h \lVert K_h^\top Q_h \rVert_F \max_i |x_i|^2 + \max_{h,j} |c^h_j| \) must stay below half the largest
 * double (\( O(nd + Hd^2) \) next to the \( O(Hn^2 d) \) work); every output is checked to be finite at the end.
 *
 * <p><b>Cost.</b> \( O(H (n^2 d + n d^2)) \) time and \( O(n d) \) memory: no \( n \times n \) matrix is stored.
 * For a query \( x_i \) the head computes \( a = K^\top Q x_i \) once; the logits against all keys are then
 * dot products \( \langle a, x_j\rangle \) of length \( d \); one exponential per key; and the weighted sum of
 * the keys \( \sum_j p_{ij} x_j \), to which \( V \) is applied once at the end since it is linear. The kernel is
 * tiled in the manner of FlashAttention (Dao et al., 2022): blocks of up to 64 queries against tiles of 128 keys,
 * the logits of a pair of queries computed together over a tile of keys (the tokens stored by columns, so that the
 * inner loop is contiguous and JDK 17 compiles it to SIMD instructions), the exponentials in two passes over a row
 * ({@code AttentionExp}, about \( 2^{-51} \) relative), and the weighted sums with the tile's weights transposed, so
 * that their inner loop runs over the queries of the block (SIMD again). Each thread keeps the logits of its block
 * of queries (at most 64 rows of \( n \)), the transposed tile and \( d \) sums per query; the \( d \times n \)
 * columns are shared: \( O(n d) \) memory in all, never \( n^2 \). The rows are split into fixed chunks
 * ({@link Chunks}) run on both cores for large \( n \).
 *
 * <p><b>Bits.</b> Unlike an online softmax, which rescales its running sums each time a larger logit arrives (so
 * that the rounding depends on where the key tiles begin), each row is shifted by its exact maximum, found before
 * any exponential; every logit is a sum over the coordinates in their order, and every sum over keys (the
 * normalisation \( \sum_j p_{ij} \) and the weighted sums) takes the keys in index order, whatever the tile or the
 * pass that holds them. So the result has the same bits whatever the number of threads, the chunks and the blocking,
 * and the softmax normalisation is exact up to the rounding of one sum per row.
 */
public final class SelfAttention {
    /** Number of row chunks for large {@code n} (fixed, so chunk boundaries depend on {@code n} only). */
    private static final int CHUNKS = 64;

    private SelfAttention() {
    }

    /**
     * Writes the attention output \( v_i \) of every token into {@code out} (see the class description).
     *
     * @param attention     the heads, of dimension {@code d}
     * @param points        the {@code n * d} token coordinates, row-major (not modified)
     * @param n             number of tokens, {@code > 0}
     * @param d             dimension
     * @param columnBias    {@code null} for uniform weights, or one array of {@code n} biases \( c^h_j \) per head
     *                      (entries may be \( -\infty \), for zero weights; the same array may serve several heads)
     * @param causal        whether query \( i \) sees only keys \( j \le i \)
     * @param normalisation softmax or unnormalised
     * @param tangent       whether to project each output on the tangent space of the sphere at its token,
     *                      \( v_i \leftarrow v_i - \langle v_i, x_i\rangle x_i / |x_i|^2 \) (survey &sect;7; spec
     *                      docs/closed-forms.md CF-16(d), \( P_x = I - x x^\top \) on the unit sphere)
     * @param out           receives the {@code n * d} outputs, row-major; must not be {@code points}
     * @throws IllegalArgumentException on a size mismatch, a null argument, a non-finite coordinate, a bias that is
     *                                  {@code NaN} or \( +\infty \), logits that could overflow, or an output that
     *                                  overflows (naming {@code points})
     */
    public static void evaluate(Attention attention, double[] points, int n, int d, double[][] columnBias,
                                boolean causal, Normalisation normalisation, boolean tangent, double[] out) {
        evaluate(attention, points, n, d, columnBias, causal, normalisation, tangent, out, Tiling.DEFAULT);
    }

    /** {@link #evaluate(Attention, double[], int, int, double[][], boolean, Normalisation, boolean, double[])} with
     * the given blocking (for tests: the bits do not depend on it). */
    static void evaluate(Attention attention, double[] points, int n, int d, double[][] columnBias, boolean causal,
                         Normalisation normalisation, boolean tangent, double[] out, Tiling tiling) {
        check(attention, points, n, d);
        Arguments.notNull("normalisation", normalisation);
        Arguments.notNull("out", out);
        Arguments.length("out", out.length, points.length);
        if (out == points) {
            // aliasing is a rule Arguments cannot state: the outputs would overwrite tokens still to be read
            throw new IllegalArgumentException("out must not be the points array (outputs would overwrite the tokens"
                    + " while they are read)");
        }
        int heads = attention.size();
        if (columnBias != null) {
            Arguments.length("columnBias", columnBias.length, heads);
            for (int h = 0; h < heads; h++) {
                Arguments.notNull("columnBias[" + h + "]", columnBias[h]);
                Arguments.length("columnBias[" + h + "]", columnBias[h].length, n);
            }
        }
        AttentionHead[] list = attention.heads().toArray(new AttentionHead[0]);
        requireFiniteLogits(list, points, n, d, columnBias);
        tiled(list, points, n, d, columnBias, causal, normalisation == Normalisation.SOFTMAX, tangent, out,
                Arguments.notNull("tiling", tiling));
        Arguments.finiteResult("points", (normalisation == Normalisation.SOFTMAX ? "" : "unnormalised ")
                + "attention (the output V sum_j A_ij x_j)", out);
    }

    /**
     * The blocking of the tiled kernel: {@code queryBlock} queries share each tile of keys, key tiles hold
     * {@code keyBlock} keys, rows are cut into chunks of {@code chunkRows} (0: {@link #rowsPerChunk}), run on both
     * cores when {@code parallel}. Package-private so that the tests can check that no choice changes a bit.
     */
    record Tiling(int queryBlock, int keyBlock, int chunkRows, boolean parallel) {
        /** The blocking {@link #evaluate} uses: 64 queries (or a chunk, if shorter) against tiles of 128 keys, both
         * cores. */
        static final Tiling DEFAULT = new Tiling(64, 128, 0, true);

        Tiling {
            Arguments.positive("queryBlock", queryBlock);
            Arguments.positive("keyBlock", keyBlock);
            Arguments.nonNegative("chunkRows", chunkRows);
        }
    }

    /**
     * The tiled kernel behind {@link #evaluate}, arguments checked. For each block of queries and each head:
     * (1) the logits, key tile by key tile, each one a sum over the coordinates in their order, from the transposed
     * tokens (the inner loop runs over the keys of the tile: contiguous, and compiled to SIMD code); (2) per query
     * the exact maximum \( M_i \) over all its visible keys, the weights \( e^{\ell_{ij} + c_j - M_i} \) and their
     * sum ({@link AttentionExp}); (3) the weighted sums of the tokens, key tile by key tile, the tile's weights
     * transposed so that the inner loop runs over the queries, each query's sum taking the keys in index order.
     * Since the maximum is exact (not a running one) and every query's sums run in an order fixed by the key
     * indices, neither the blocking nor the chunks nor the threads change a bit.
     */
    static void tiled(AttentionHead[] heads, double[] points, int n, int d, double[][] columnBias, boolean causal,
                      boolean softmax, boolean tangent, double[] out, Tiling tiling) {
        double[][] columns = columns(points, n, d);
        double uniform = 1.0 / n;
        int block = tiling.queryBlock();
        int keyBlock = tiling.keyBlock();
        int chunkRows = tiling.chunkRows() == 0 ? rowsPerChunk(n) : tiling.chunkRows();
        Arguments.product("n (" + Math.min(block, n) + " rows of logits per block)", Math.min(block, n), n);
        long costPerRow = tiling.parallel() ? (long) heads.length * n * (4L * d + 20) : 0;
        // Over 80 lines on purpose: the block loop below is the hot loop of the module, kept in one lambda with its
        // work arrays allocated once per chunk; splitting it would pass those arrays through calls per block.
        Chunks.forEach(n, chunkRows, costPerRow, (chunk, start, end) -> {
            int rows = Math.min(block, end - start); // a block never holds more queries than its chunk
            double[][] weights = new double[rows][n];
            double[][] mixes = new double[d][rows];
            double[][] tile = new double[Math.min(keyBlock, n)][rows];
            double[] mix = new double[d];
            double[] reduced = new double[n];
            double[] queries = new double[rows * d];
            double[] totals = new double[rows * d];
            double[] total = new double[d];
            double[] max = new double[rows];
            double[] z = new double[rows];
            int[] visible = new int[rows];
            for (int first = start; first < end; first += rows) {
                int size = Math.min(rows, end - first);
                Arrays.fill(totals, 0.0);
                int visibleMax = 0;
                for (int r = 0; r < size; r++) {
                    visible[r] = causal ? first + r + 1 : n;
                    visibleMax = Math.max(visibleMax, visible[r]);
                }
                for (int h = 0; h < heads.length; h++) {
                    AttentionHead head = heads[h];
                    double[] bias = columnBias == null ? null : columnBias[h];
                    for (int r = 0; r < size; r++) {
                        head.keyQuery(points, (first + r) * d, total);
                        System.arraycopy(total, 0, queries, r * d, d);
                    }
                    // (1) logits, tile by tile, two queries at a time (each on the keys it sees)
                    for (int from = 0; from < visibleMax; from += keyBlock) {
                        for (int r = 0; r < size; r += 2) {
                            boolean pair = r + 1 < size;
                            tileLogits(queries, r * d, d, columns, weights[r], pair ? weights[r + 1] : null, from,
                                    Math.min(visible[r], from + keyBlock));
                            if (pair && visible[r + 1] > visible[r]) { // causal: the second query sees one more key
                                tileLogits(queries, (r + 1) * d, d, columns, weights[r + 1], null,
                                        Math.max(from, visible[r]), Math.min(visible[r + 1], from + keyBlock));
                            }
                        }
                    }
                    // (2) exact row maxima, weights e^{l + c - M} and their sums, in key order
                    for (int r = 0; r < size; r++) {
                        max[r] = biasedMax(weights[r], visible[r], bias);
                        if (max[r] != Double.NEGATIVE_INFINITY) {
                            AttentionExp.reduce(weights[r], max[r], reduced, 0, visible[r]);
                            z[r] = AttentionExp.scaleAndSum(weights[r], reduced, 0, visible[r]);
                        } else {
                            Arrays.fill(weights[r], 0, visible[r], 0.0); // weight zero: the row adds nothing
                        }
                    }
                    // (3) weighted sums of the tokens, tile by tile, each query's keys in index order
                    for (double[] m : mixes) {
                        Arrays.fill(m, 0.0);
                    }
                    for (int from = 0; from < visibleMax; from += keyBlock) {
                        mixTile(columns, d, weights, tile, mixes, visible, size, from,
                                Math.min(visibleMax, from + keyBlock));
                    }
                    for (int r = 0; r < size; r++) {
                        if (max[r] == Double.NEGATIVE_INFINITY) {
                            continue; // no visible key has positive weight
                        }
                        double scale;
                        if (softmax) {
                            scale = 1.0 / z[r];
                        } else {
                            scale = Math.exp(max[r]) * (bias == null ? uniform : 1.0);
                            if (!Double.isFinite(scale)) {
                                throw new IllegalArgumentException("points: unnormalised attention overflows double "
                                        + "precision for token " + (first + r) + " (largest exponent " + max[r]
                                        + "); use softmax, or smaller tokens or logits");
                            }
                        }
                        for (int k = 0; k < d; k++) {
                            mix[k] = mixes[k][r];
                        }
                        System.arraycopy(totals, r * d, total, 0, d);
                        head.addValue(mix, scale, total);
                        System.arraycopy(total, 0, totals, r * d, d);
                    }
                }
                for (int r = 0; r < size; r++) {
                    System.arraycopy(totals, r * d, total, 0, d);
                    if (tangent) {
                        project(points, (first + r) * d, d, total);
                    }
                    System.arraycopy(total, 0, out, (first + r) * d, d);
                }
            }
        });
    }

    /**
     * Step (3) of {@link #tiled} on the keys {@code [from, to)} of a tile: the weights of the {@code size} queries
     * transposed into {@code tile} (zero on the keys a query does not see), then {@link #tileMix}.
     */
    private static void mixTile(double[][] columns, int d, double[][] weights, double[][] tile, double[][] mixes,
                                int[] visible, int size, int from, int to) {
        for (int r = 0; r < size; r++) {
            double[] w = weights[r];
            int seen = Math.min(visible[r], to);
            for (int j = from; j < seen; j++) {
                tile[j - from][r] = w[j];
            }
            for (int j = Math.max(from, seen); j < to; j++) {
                tile[j - from][r] = 0.0;
            }
        }
        tileMix(columns, d, tile, mixes, size, from, to);
    }

    /**
     * Rejects tokens, heads and biases whose logits \( \ell_{ij} + c_j \) could overflow: the bound
     * \( \max_h \lVert K_h^\top Q_h\rVert_F \max_i |x_i|^2 + \max |c| \) (over finite biases) must stay below
     * {@code Double.MAX_VALUE / 2}, so that the row shifts \( \ell_{ij} - M_i \) are finite too. Biases may be
     * \( -\infty \) (zero weight), never {@code NaN} or \( +\infty \).
     */
    private static void requireFiniteLogits(AttentionHead[] heads, double[] points, int n, int d, double[][] biases) {
        double maxSquare = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += points[i * d + k] * points[i * d + k];
            }
            maxSquare = Math.max(maxSquare, s);
        }
        double norm = 0;
        for (AttentionHead head : heads) {
            norm = Math.max(norm, head.keyQueryNorm());
        }
        double maxBias = 0;
        if (biases != null) {
            for (int h = 0; h < biases.length; h++) {
                for (int j = 0; j < biases[h].length; j++) {
                    double c = biases[h][j];
                    if (Double.isNaN(c) || c == Double.POSITIVE_INFINITY) {
                        throw new IllegalArgumentException("columnBias[" + h + "][" + j
                                + "] must be finite or -Infinity (a zero weight), got " + c);
                    }
                    if (c > Double.NEGATIVE_INFINITY) {
                        maxBias = Math.max(maxBias, Math.abs(c));
                    }
                }
            }
        }
        double bound = norm * maxSquare + maxBias;
        if (!(bound <= 0.5 * Double.MAX_VALUE)) {
            throw new IllegalArgumentException("points: the attention logits <Q x_i, K x_j> + c_j can reach |K^T Q| "
                    + "max|x|^2 + max|c| = " + bound + ", beyond double precision; rescale the tokens or the heads");
        }
    }

    /**
     * The logits \( \ell_{ij} = \langle Q x_i, K x_j\rangle \) of one head as a dense row-major {@code n x n}
     * matrix (for inspection, plots and the Sinkhorn scaling of {@code sinkformer}); \( O(n^2) \) memory.
     *
     * @throws IllegalArgumentException on a size mismatch, a null argument, or logits that could overflow
     */
    public static double[] logits(AttentionHead head, double[] points, int n, int d) {
        check(Attention.of(Arguments.notNull("head", head)), points, n, d);
        requireFiniteLogits(new AttentionHead[]{head}, points, n, d, null);
        double[] transposed = transpose(points, n, d);
        double[] out = new double[Arguments.product("n * n", n, n)];
        Chunks.forEach(n, rowsPerChunk(n), 3L * n * d, (chunk, start, end) -> {
            double[] query = new double[d];
            double[] row = new double[n];
            for (int i = start; i < end; i++) {
                head.keyQuery(points, i * d, query);
                rowLogits(query, transposed, n, d, n, null, row);
                System.arraycopy(row, 0, out, i * n, n);
            }
        });
        return out;
    }

    /**
     * The attention matrix of one head as a dense row-major {@code n x n} matrix:
     * \( A_{ij} = e^{\ell_{ij} + c_j} / \sum_{k \in J(i)} e^{\ell_{ik} + c_k} \) (softmax; rows sum to 1) or
     * \( A_{ij} = e^{\ell_{ij} + c_j} \) (unnormalised), with \( A_{ij} = 0 \) for \( j \notin J(i) \), so that
     * the head's output is \( V \sum_j A_{ij} x_j \). \( O(n^2) \) memory.
     *
     * @param columnBias the biases \( c_j \) ({@code n} entries), or {@code null} for uniform weights
     *                   \( c_j = -\log n \)
     * @throws IllegalArgumentException on a size mismatch, a null argument, logits that could overflow, or an
     *                                  (unnormalised) entry that overflows
     */
    public static double[] matrix(AttentionHead head, double[] points, int n, int d, double[] columnBias,
                                  boolean causal, Normalisation normalisation) {
        check(Attention.of(Arguments.notNull("head", head)), points, n, d);
        Arguments.notNull("normalisation", normalisation);
        if (columnBias != null) {
            Arguments.length("columnBias", columnBias.length, n);
        }
        requireFiniteLogits(new AttentionHead[]{head}, points, n, d, columnBias == null ? null
                : new double[][]{columnBias});
        double[] transposed = transpose(points, n, d);
        double[] out = new double[Arguments.product("n * n", n, n)];
        boolean softmax = normalisation == Normalisation.SOFTMAX;
        Chunks.forEach(n, rowsPerChunk(n), 3L * n * d, (chunk, start, end) -> {
            double[] query = new double[d];
            double[] row = new double[n];
            for (int i = start; i < end; i++) {
                int visible = causal ? i + 1 : n;
                head.keyQuery(points, i * d, query);
                double max = rowLogits(query, transposed, n, d, visible, columnBias, row);
                if (max == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                double z = 0;
                for (int j = 0; j < visible; j++) {
                    double p = Math.exp(row[j] - max);
                    row[j] = p;
                    z += p;
                }
                double scale = softmax ? 1.0 / z : Math.exp(max) * (columnBias == null ? 1.0 / n : 1.0);
                for (int j = 0; j < visible; j++) {
                    out[i * n + j] = row[j] * scale;
                }
            }
        });
        return Arguments.finiteResult("points", "the attention matrix", out);
    }

    private static void check(Attention attention, double[] points, int n, int d) {
        Arguments.notNull("attention", attention);
        Arguments.notNull("points", points);
        Arguments.positive("n", n);
        Arguments.positive("d", d);
        Arguments.sameDimension("d", d, attention.dimension(), "the attention layer");
        Arguments.length("points", points.length, Arguments.product("n * d", n, d));
        Arguments.finite("points", points); // O(n d) next to the O(n^2 d) work: no NaN passes silently
    }

    /** Rows per chunk: about {@link #CHUNKS} chunks, at least one row each. */
    static int rowsPerChunk(int n) {
        return Math.max(1, (n + CHUNKS - 1) / CHUNKS);
    }

    /** The {@code d x n} transpose of the row-major {@code n x d} points. */
    static double[] transpose(double[] points, int n, int d) {
        double[] t = new double[n * d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int k = 0; k < d; k++) {
                t[k * n + i] = points[row + k];
            }
        }
        return t;
    }

    /** The columns of the row-major {@code n x d} points: {@code columns[k][j]} \( = x_{jk} \). */
    static double[][] columns(double[] points, int n, int d) {
        double[][] columns = new double[d][n];
        for (int j = 0; j < n; j++) {
            int row = j * d;
            for (int k = 0; k < d; k++) {
                columns[k][j] = points[row + k];
            }
        }
        return columns;
    }

    /**
     * The logits of one or two queries \( a, b \) ({@code queries[offset..offset+d)} and, if {@code second} is not
     * null, the next {@code d} entries) against the keys {@code from <= j < to}: {@code first[j]} \( = \sum_k a_k
     * x_{jk} \) and {@code second[j]} \( = \sum_k b_k x_{jk} \), each sum taken over \( k = 0, 1, \dots \) in
     * order (two coordinates per pass, added left to right: the same order). The inner loop runs over the keys of the
     * tile, every array indexed by the key (the form JDK 17's C2 compiles to SIMD code), and the two queries share
     * each load of a key coordinate.
     */
    static void tileLogits(double[] queries, int offset, int d, double[][] columns, double[] first, double[] second,
                           int from, int to) {
        if (to <= from) {
            return;
        }
        Arrays.fill(first, from, to, 0.0);
        if (second == null) {
            for (int k = 0; k < d; k++) {
                double a = queries[offset + k];
                double[] c = columns[k];
                for (int j = from; j < to; j++) {
                    first[j] = first[j] + a * c[j];
                }
            }
            return;
        }
        Arrays.fill(second, from, to, 0.0);
        int k = 0;
        for (; k + 4 <= d; k += 4) {
            int b = offset + d + k;
            double a0 = queries[offset + k];
            double a1 = queries[offset + k + 1];
            double a2 = queries[offset + k + 2];
            double a3 = queries[offset + k + 3];
            double b0 = queries[b];
            double b1 = queries[b + 1];
            double b2 = queries[b + 2];
            double b3 = queries[b + 3];
            double[] c0 = columns[k];
            double[] c1 = columns[k + 1];
            double[] c2 = columns[k + 2];
            double[] c3 = columns[k + 3];
            for (int j = from; j < to; j++) {
                double x0 = c0[j];
                double x1 = c1[j];
                double x2 = c2[j];
                double x3 = c3[j];
                first[j] = first[j] + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
                second[j] = second[j] + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
            }
        }
        for (; k < d; k++) {
            double a = queries[offset + k];
            double b = queries[offset + d + k];
            double[] c = columns[k];
            for (int j = from; j < to; j++) {
                double x = c[j];
                first[j] = first[j] + a * x;
                second[j] = second[j] + b * x;
            }
        }
    }

    /**
     * Adds the weighted tokens of a block of queries over the keys {@code from <= j < to} of a tile:
     * {@code mixes[k][r]} \( \mathrel{+}= \sum_j p_{rj} x_{jk} \) for {@code r < size}, with the weights transposed,
     * {@code tile[j - from][r]} \( = p_{rj} \) (zero where key \( j \) is masked for query \( r \)). Each sum takes
     * the keys in index order (four per pass, added left to right: the same order), so that a query's sums over
     * consecutive tiles are one sum in key order; the inner loop runs over the queries of the block, every array
     * indexed by the query (the form JDK 17's C2 compiles to SIMD code).
     */
    static void tileMix(double[][] columns, int d, double[][] tile, double[][] mixes, int size, int from, int to) {
        int count = to - from;
        for (int k = 0; k < d; k++) {
            double[] c = columns[k];
            double[] m = mixes[k];
            int t = 0;
            for (; t + 4 <= count; t += 4) {
                double x0 = c[from + t];
                double x1 = c[from + t + 1];
                double x2 = c[from + t + 2];
                double x3 = c[from + t + 3];
                double[] p0 = tile[t];
                double[] p1 = tile[t + 1];
                double[] p2 = tile[t + 2];
                double[] p3 = tile[t + 3];
                for (int r = 0; r < size; r++) {
                    m[r] = m[r] + x0 * p0[r] + x1 * p1[r] + x2 * p2[r] + x3 * p3[r];
                }
            }
            for (; t < count; t++) {
                double x = c[from + t];
                double[] p = tile[t];
                for (int r = 0; r < size; r++) {
                    m[r] = m[r] + x * p[r];
                }
            }
        }
    }

    /**
     * Adds the biases to the logits {@code logits[j]}, \( j \lt \) {@code visible} (if {@code bias} is not null), and
     * returns their maximum \( M \) (\( -\infty \) if every visible key has weight zero).
     */
    static double biasedMax(double[] logits, int visible, double[] bias) {
        double max = Double.NEGATIVE_INFINITY;
        if (bias != null) {
            for (int j = 0; j < visible; j++) {
                double l = logits[j] + bias[j];
                logits[j] = l;
                max = Math.max(max, l);
            }
        } else {
            for (int j = 0; j < visible; j++) {
                max = Math.max(max, logits[j]);
            }
        }
        return max;
    }

    /**
     * Writes \( \ell_j = \langle a, x_j\rangle + c_j \) for {@code j < visible} into {@code logits} and returns
     * their maximum.
     */
    static double rowLogits(double[] a, double[] transposed, int n, int d, int visible, double[] bias,
                            double[] logits) {
        double a0 = a[0];
        for (int j = 0; j < visible; j++) {
            logits[j] = a0 * transposed[j];
        }
        for (int k = 1; k < d; k++) {
            double ak = a[k];
            int off = k * n;
            for (int j = 0; j < visible; j++) {
                logits[j] += ak * transposed[off + j];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        if (bias != null) {
            for (int j = 0; j < visible; j++) {
                double l = logits[j] + bias[j];
                logits[j] = l;
                if (l > max) {
                    max = l;
                }
            }
        } else {
            for (int j = 0; j < visible; j++) {
                double l = logits[j];
                if (l > max) {
                    max = l;
                }
            }
        }
        return max;
    }

    /** \( v \leftarrow v - \langle v, x\rangle x / |x|^2 \) for the point at {@code x[offset..]}; nothing at 0. */
    static void project(double[] x, int offset, int d, double[] v) {
        double dot = 0;
        double norm2 = 0;
        for (int k = 0; k < d; k++) {
            double xk = x[offset + k];
            dot += xk * v[k];
            norm2 += xk * xk;
        }
        if (norm2 > 0) {
            double c = dot / norm2;
            for (int k = 0; k < d; k++) {
                v[k] -= c * x[offset + k];
            }
        }
    }
}
