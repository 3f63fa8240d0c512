package org.measureflow.transformer.attention;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * One attention head: query, key and value matrices \( Q, K, V \in \mathbb{R}^{d \times d} \) (survey eq. 26).
 * The head's logit between a query token \( x \) and a key token \( y \) is
 * \( \ell(x, y) = \langle Q x, K y\rangle = x^\top Q^\top K y \), and its output for a token measure \( \mu \) is
 * \( V \int e^{\ell(x,y)} y\, d\mu(y) / \int e^{\ell(x,y)} d\mu(y) \).
 *
 * <p>An inverse temperature \( \beta \) multiplies the logits; it is folded into \( Q \) (replace \( Q \) by
 * \( \beta Q \)), as in docs/closed-forms.md CF-16. The product \( K^\top Q \) is precomputed once, so that the logit of \( x \)
 * against every key costs one matrix&ndash;vector product \( a = K^\top Q x \) and then one dot product
 * \( \langle a, y\rangle \) per key.
 *
 * <p>Made by {@link #of(DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)} (the three matrices are required: they have no
 * default), {@link #identity(int, double)} or {@link #scalar(double, double, double)}; changed by
 * {@link #withQuery(DMatrixRMaj)}, {@link #withKey(DMatrixRMaj)} and {@link #withValue(DMatrixRMaj)}. Immutable and
 * thread-safe; the matrices are copied in and out. Every factory and wither rejects non-finite entries (so a
 * non-finite \( \beta \) too), naming the argument, and matrices whose product \( K^\top Q \) overflows (naming
 * {@code query and key}).
 */
public final class AttentionHead {
    private final int d;
    private final double[] query;
    private final double[] key;
    private final double[] value;
    private final double[] keyQuery; // K^T Q, row-major
    private final double keyQueryNorm;

    private AttentionHead(int d, double[] query, double[] key, double[] value) {
        this.d = d;
        this.query = query;
        this.key = key;
        this.value = value;
        this.keyQuery = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += key[k * d + r] * query[k * d + c];
                }
                keyQuery[r * d + c] = s;
            }
        }
        Arguments.finiteResult("query and key", "K^T Q", keyQuery);
        double max = 0;
        for (double v : keyQuery) {
            max = Math.max(max, Math.abs(v));
        }
        double f = 0;
        for (double v : keyQuery) {
            f += max == 0 ? 0 : (v / max) * (v / max);
        }
        this.keyQueryNorm = max * Math.sqrt(f); // scaled: finite whenever the entries are (up to a factor d)
    }

    /**
     * The Frobenius norm \( \lVert K^\top Q \rVert_F \), which bounds the logits:
     * \( |\ell(x, y)| \le \lVert K^\top Q\rVert_F |x||y| \).
     */
    double keyQueryNorm() {
        return keyQueryNorm;
    }

    /**
     * The head \( (Q, K, V) \).
     *
     * @param query the query matrix \( Q \), {@code d x d}, finite
     * @param key   the key matrix \( K \), {@code d x d}, finite
     * @param value the value matrix \( V \), {@code d x d}, finite
     * @throws IllegalArgumentException if a matrix is null, not square, of another size than {@code query}, or
     *                                  holds a non-finite entry
     */
    public static AttentionHead of(DMatrixRMaj query, DMatrixRMaj key, DMatrixRMaj value) {
        int d = Arguments.square("query", query);
        Arguments.shape("key", key, d, d);
        Arguments.shape("value", value, d, d);
        Arguments.finite("query", query);
        Arguments.finite("key", key);
        Arguments.finite("value", value);
        return new AttentionHead(d, flat(query), flat(key), flat(value));
    }

    /**
     * The head \( Q = \beta I \), \( K = V = I \) of the clustering studies on the sphere (Geshkovski et al.; spec
     * docs/closed-forms.md CF-16(d)): logits \( \beta \langle x, y\rangle \), output \( \int e^{\beta\langle x,y\rangle} y\,d\mu /
     * \int e^{\beta \langle x,y\rangle} d\mu \).
     *
     * @param d    dimension, {@code > 0}
     * @param beta inverse temperature, finite
     */
    public static AttentionHead identity(int d, double beta) {
        Arguments.positive("d", d);
        Arguments.finite("beta", beta);
        int size = Arguments.product("d * d", d, d);
        double[] q = new double[size];
        double[] i = new double[size];
        for (int k = 0; k < d; k++) {
            q[k * d + k] = beta;
            i[k * d + k] = 1;
        }
        return new AttentionHead(d, q, i.clone(), i);
    }

    /**
     * The one-dimensional head with scalar weights \( q, k, v \) (docs/closed-forms.md CF-16): logit \( q k\, x y \), output
     * \( v \int e^{qkxy} y\,d\mu / \int e^{qkxy} d\mu \).
     */
    public static AttentionHead scalar(double q, double k, double v) {
        Arguments.finite("q", q);
        Arguments.finite("k", k);
        Arguments.finite("v", v);
        return new AttentionHead(1, new double[]{q}, new double[]{k}, new double[]{v});
    }

    /**
     * This head with another query matrix.
     *
     * @param query \( Q \), {@code d x d}, finite
     * @return a new head (this one is unchanged)
     * @throws IllegalArgumentException if {@code query} is null, not {@code d x d} or holds a non-finite entry
     */
    public AttentionHead withQuery(DMatrixRMaj query) {
        return new AttentionHead(d, checked("query", query), key, value);
    }

    /**
     * This head with another key matrix.
     *
     * @param key \( K \), {@code d x d}, finite
     * @return a new head (this one is unchanged)
     * @throws IllegalArgumentException if {@code key} is null, not {@code d x d} or holds a non-finite entry
     */
    public AttentionHead withKey(DMatrixRMaj key) {
        return new AttentionHead(d, query, checked("key", key), value);
    }

    /**
     * This head with another value matrix.
     *
     * @param value \( V \), {@code d x d}, finite
     * @return a new head (this one is unchanged)
     * @throws IllegalArgumentException if {@code value} is null, not {@code d x d} or holds a non-finite entry
     */
    public AttentionHead withValue(DMatrixRMaj value) {
        return new AttentionHead(d, query, key, checked("value", value));
    }

    private double[] checked(String name, DMatrixRMaj m) {
        Arguments.shape(name, m, d, d);
        Arguments.finite(name, m);
        return flat(m);
    }

    private static double[] flat(DMatrixRMaj m) {
        int d = m.numRows;
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r * d + c] = m.get(r, c);
            }
        }
        return out;
    }

    private static DMatrixRMaj matrix(int d, double[] flat) {
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        System.arraycopy(flat, 0, m.data, 0, d * d);
        return m;
    }

    /** The dimension \( d \) of the tokens. */
    public int dimension() {
        return d;
    }

    /** A copy of the query matrix \( Q \). */
    public DMatrixRMaj query() {
        return matrix(d, query);
    }

    /** A copy of the key matrix \( K \). */
    public DMatrixRMaj key() {
        return matrix(d, key);
    }

    /** A copy of the value matrix \( V \). */
    public DMatrixRMaj value() {
        return matrix(d, value);
    }

    /** A copy of \( K^\top Q \), the matrix of the bilinear form \( \ell(x, y) = y^\top (K^\top Q) x \). */
    public DMatrixRMaj keyTransposeQuery() {
        return matrix(d, keyQuery);
    }

    /**
     * The logit \( \ell(x, y) = \langle Q x, K y\rangle \).
     *
     * @throws IllegalArgumentException if a point is null, not finite or does not have length {@code d}, or the logit
     *                                  overflows
     */
    public double logit(double[] x, double[] y) {
        Arguments.length("x", Arguments.finite("x", x).length, d);
        Arguments.length("y", Arguments.finite("y", y).length, d);
        double s = 0;
        for (int r = 0; r < d; r++) {
            double a = 0;
            for (int c = 0; c < d; c++) {
                a += keyQuery[r * d + c] * x[c];
            }
            s += a * y[r];
        }
        return Arguments.finiteResult("x and y", "the logit <Q x, K y>", s);
    }

    /** Writes \( a = K^\top Q x \) for the point at {@code x[offset..]} into {@code out[0..d)}; no checks. */
    void keyQuery(double[] x, int offset, double[] out) {
        for (int r = 0; r < d; r++) {
            double s = 0;
            int row = r * d;
            for (int c = 0; c < d; c++) {
                s += keyQuery[row + c] * x[offset + c];
            }
            out[r] = s;
        }
    }

    /** Adds \( \text{scale} \cdot V y \) to {@code out[0..d)}; no checks. */
    void addValue(double[] y, double scale, double[] out) {
        for (int r = 0; r < d; r++) {
            double s = 0;
            int row = r * d;
            for (int c = 0; c < d; c++) {
                s += value[row + c] * y[c];
            }
            out[r] += scale * s;
        }
    }

    /**
     * One line: the dimension and the three matrices (by value up to 4 x 4, by shape and first entries beyond),
     * e.g. {@code AttentionHead[d=2, query=[[2, 0], [0, 2]], key=[[1, 0], [0, 1]], value=[[1, 0], [0, 1]]]}.
     */
    @Override
    public String toString() {
        return "AttentionHead[d=" + d + ", query=" + TextSummary.matrix(query, d, d) + ", key="
                + TextSummary.matrix(key, d, d) + ", value=" + TextSummary.matrix(value, d, d) + "]";
    }
}
