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
 * the keys \( \sum_j p_{ij} x_j \), to which \( V \) is applied once at the end since it is linear. Queries go in
 * blocks of four that share every load of a key (the logits from the row-major tokens, the weighted sums from a
 * transposed copy), like a small matrix&ndash;matrix product. The rows are split into fixed chunks
 * ({@link Chunks}) run on both cores for large \( n \). Every query's sums run in a fixed order that does not
 * depend on its block or chunk, so the result has the same bits whatever the number of threads.
 */
public final class SelfAttention {
    /** Number of row chunks for large {@code n} (fixed, so chunk boundaries depend on {@code n} only). */
    private static final int CHUNKS = 64;
    /** Queries processed together, sharing each key load. */
    static final int BLOCK = 4;

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
        double[] transposed = transpose(points, n, d);
        boolean softmax = normalisation == Normalisation.SOFTMAX;
        double uniform = 1.0 / n;
        int rows = rowsPerChunk(n);
        Arguments.product("n (" + BLOCK + " rows of logits per block)", BLOCK, n);
        long costPerRow = (long) heads * n * (3L * d + 20);
        // Over 80 lines on purpose: the block loop below is the hot loop of the module, kept in one lambda with its
        // work arrays allocated once per chunk; splitting it would pass those arrays through calls per block.
        Chunks.forEach(n, rows, costPerRow, (chunk, start, end) -> {
            double[] logits = new double[BLOCK * n];
            double[] queries = new double[BLOCK * d];
            double[] query = new double[d];
            double[] sums = new double[BLOCK * d];
            double[] sum = new double[d];
            double[] totals = new double[BLOCK * d];
            double[] total = new double[d];
            double[] max = new double[BLOCK];
            double[] z = new double[BLOCK];
            int[] visible = new int[BLOCK];
            for (int first = start; first < end; first += BLOCK) {
                int size = Math.min(BLOCK, end - first);
                Arrays.fill(totals, 0.0);
                int visibleMax = 0;
                for (int r = 0; r < size; r++) {
                    visible[r] = causal ? first + r + 1 : n;
                    visibleMax = Math.max(visibleMax, visible[r]);
                }
                for (int h = 0; h < heads; h++) {
                    AttentionHead head = list[h];
                    double[] bias = columnBias == null ? null : columnBias[h];
                    Arrays.fill(queries, 0.0);
                    for (int r = 0; r < size; r++) {
                        head.keyQuery(points, (first + r) * d, query);
                        System.arraycopy(query, 0, queries, r * d, d);
                    }
                    blockLogits(queries, points, n, d, visibleMax, logits);
                    for (int r = 0; r < size; r++) {
                        max[r] = shiftedExponentials(logits, r * n, visible[r], visibleMax, bias);
                        z[r] = sum(logits, r * n, visible[r]);
                    }
                    blockWeightedSums(logits, transposed, n, d, visibleMax, sums);
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
                        System.arraycopy(sums, r * d, sum, 0, d);
                        System.arraycopy(totals, r * d, total, 0, d);
                        head.addValue(sum, scale, total);
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
        Arguments.finiteResult("points", (softmax ? "" : "unnormalised ") + "attention (the output V sum_j A_ij x_j)",
                out);
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

    /**
     * The logits of a block of {@link #BLOCK} queries \( a_0..a_3 \) ({@code queries}, row-major, unused rows zero)
     * against keys \( j < \) {@code visible}: {@code logits[r*n + j]} \( = \langle a_r, x_j\rangle \), each a
     * sequential sum over coordinates. Each key row is loaded once for the four queries, which keeps four
     * independent dependency chains in flight.
     */
    static void blockLogits(double[] queries, double[] points, int n, int d, int visible, double[] logits) {
        int d2 = 2 * d;
        int d3 = 3 * d;
        int n2 = 2 * n;
        int n3 = 3 * n;
        for (int j = 0; j < visible; j++) {
            int row = j * d;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int k = 0; k < d; k++) {
                double xk = points[row + k];
                s0 += queries[k] * xk;
                s1 += queries[d + k] * xk;
                s2 += queries[d2 + k] * xk;
                s3 += queries[d3 + k] * xk;
            }
            logits[j] = s0;
            logits[n + j] = s1;
            logits[n2 + j] = s2;
            logits[n3 + j] = s3;
        }
    }

    /**
     * Adds the biases to the logits {@code logits[offset + j]}, \( j < \) {@code visible}, replaces them by
     * \( e^{\ell_j - M} \) with \( M \) their maximum, zeroes the entries from {@code visible} to
     * {@code visibleMax}, and returns \( M \) (\( -\infty \) if every visible key has weight zero; the row is then
     * left as it is, to be skipped).
     */
    static double shiftedExponentials(double[] logits, int offset, int visible, int visibleMax, double[] bias) {
        double max = Double.NEGATIVE_INFINITY;
        if (bias != null) {
            for (int j = 0; j < visible; j++) {
                double l = logits[offset + j] + bias[j];
                logits[offset + j] = l;
                if (l > max) {
                    max = l;
                }
            }
        } else {
            for (int j = 0; j < visible; j++) {
                double l = logits[offset + j];
                if (l > max) {
                    max = l;
                }
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(logits, offset, offset + visibleMax, 0.0);
            return max;
        }
        for (int j = 0; j < visible; j++) {
            logits[offset + j] = Math.exp(logits[offset + j] - max);
        }
        Arrays.fill(logits, offset + visible, offset + visibleMax, 0.0);
        return max;
    }

    /** \( \sum_{j < count} v_{offset + j} \) with four interleaved partial sums (a fixed order). */
    static double sum(double[] v, int offset, int count) {
        int blocked = count & ~3;
        double z0 = 0;
        double z1 = 0;
        double z2 = 0;
        double z3 = 0;
        for (int j = 0; j < blocked; j += 4) {
            z0 += v[offset + j];
            z1 += v[offset + j + 1];
            z2 += v[offset + j + 2];
            z3 += v[offset + j + 3];
        }
        for (int j = blocked; j < count; j++) {
            z0 += v[offset + j];
        }
        return (z0 + z1) + (z2 + z3);
    }

    /**
     * The weighted sums of the keys for a block of queries: {@code sums[r*d + k]} \( = \sum_{j < visible} p_{rj}
     * x_{jk} \), with the weights \( p_{rj} \) in {@code weights[r*n + j]}, on the transposed keys (each key
     * coordinate loaded once for the four queries; sequential sums over keys).
     */
    static void blockWeightedSums(double[] weights, double[] transposed, int n, int d, int visible, double[] sums) {
        int n2 = 2 * n;
        int n3 = 3 * n;
        for (int k = 0; k < d; k++) {
            int off = k * n;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < visible; j++) {
                double xk = transposed[off + j];
                s0 += weights[j] * xk;
                s1 += weights[n + j] * xk;
                s2 += weights[n2 + j] * xk;
                s3 += weights[n3 + j] * xk;
            }
            sums[k] = s0;
            sums[d + k] = s1;
            sums[2 * d + k] = s2;
            sums[3 * d + k] = s3;
        }
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
