package org.measureflow.ot;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;

/**
 * A dense ground-cost matrix \( C_{ij} = c(x_i, y_j) \), {@code n x m}, stored row-major in one {@code double[]}:
 * the data of the Kantorovich problem \( \min_{P \in U(a,b)} \langle C, P \rangle \) (survey eq. 10). The default
 * ground cost is \( c(x,y) = |x-y|^2 \), not halved (docs/conventions.md).
 *
 * <p>Immutable; {@link #values()} returns a copy, {@link #get(int, int)} reads one entry. Made by
 * {@link #of(int, int, double[])}, {@link #of(double[][])}, {@link #squaredEuclidean(ParticleMeasure, ParticleMeasure)}
 * or {@link #euclideanPower(ParticleMeasure, ParticleMeasure, double)}.
 */
public final class CostMatrix {
    private final int rows;
    private final int cols;
    private final double[] values;

    private CostMatrix(int rows, int cols, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    /**
     * The cost matrix with the given entries.
     *
     * @param rows   {@code n}, {@code > 0}
     * @param cols   {@code m}, {@code > 0}
     * @param values {@code n * m} finite entries, row-major; copied
     * @return the matrix
     * @throws IllegalArgumentException if a size is not positive, {@code n * m} exceeds the largest array, or
     *                                  {@code values} is null, of the wrong length or not finite
     */
    public static CostMatrix of(int rows, int cols, double[] values) {
        Arguments.positive("rows", rows);
        Arguments.positive("cols", cols);
        int size = Arguments.product("rows * cols", rows, cols);
        Arguments.finite("values", values);
        Arguments.length("values", values.length, size);
        return new CostMatrix(rows, cols, values.clone());
    }

    /**
     * The cost matrix with entries {@code c[i][j]}.
     *
     * @param c a non-empty rectangular array of finite entries; copied
     * @return the matrix
     * @throws IllegalArgumentException if {@code c} is null, empty, ragged or not finite, naming the row
     */
    public static CostMatrix of(double[][] c) {
        Arguments.nonEmpty("c", c);
        Arguments.noNulls("c", c);
        Arguments.nonEmpty("c[0]", c[0]);
        int m = c[0].length;
        double[] flat = new double[Arguments.product("rows * cols", c.length, m)];
        for (int i = 0; i < c.length; i++) {
            Arguments.length("c[" + i + "]", c[i].length, m);
            System.arraycopy(c[i], 0, flat, i * m, m);
        }
        return of(c.length, m, flat);
    }

    /**
     * \( C_{ij} = |x_i - y_j|^2 \) (squared Euclidean distance, not halved) between the atoms of two measures.
     *
     * @throws IllegalArgumentException if a measure is null, the dimensions differ or {@code n * m} exceeds the
     *                                  largest array
     */
    public static CostMatrix squaredEuclidean(ParticleMeasure x, ParticleMeasure y) {
        return euclideanPower(x, y, 2.0);
    }

    /**
     * \( C_{ij} = |x_i - y_j|^p \), {@code p > 0} (the cost of \( W_p^p \)).
     *
     * <p>Points so far apart that a cost overflows double precision are rejected (the squared distance overflows
     * once coordinates differ by about \( 1.3 \cdot 10^{154} \)): a transport problem whose costs are infinite has no
     * meaningful solution. When the bounding box of both clouds guarantees finite costs (the common case) the matrix
     * is not scanned; otherwise it is, after it is filled.
     *
     * @throws IllegalArgumentException if a measure is null, the dimensions differ, {@code p} is not finite and
     *                                  positive, {@code n * m} exceeds the largest array, or a cost overflows
     *                                  (naming {@code x and y})
     */
    public static CostMatrix euclideanPower(ParticleMeasure x, ParticleMeasure y, double p) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.positive("p", p);
        int d = x.dimension();
        Arguments.sameDimension("y", y.dimension(), d, "x");
        int n = x.size();
        int m = y.size();
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        double[] c = new double[Arguments.product("n * m", n, m)];
        boolean squared = p == 2.0;
        Chunks.forEach(n, 64, 3L * m * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double diff = xs[i * d + k] - ys[j * d + k];
                        s += diff * diff;
                    }
                    c[row + j] = squared ? s : Math.pow(s, 0.5 * p);
                }
            }
        });
        if (!costBoundIsFinite(p, x, y)) {
            for (int k = 0; k < c.length; k++) {
                if (!Double.isFinite(c[k])) {
                    throw new IllegalArgumentException("x and y: the cost |x_i - y_j|^" + p + " overflows double "
                            + "precision for i = " + k / m + ", j = " + k % m + " (the points are too far apart; "
                            + "rescale them)");
                }
            }
        }
        return new CostMatrix(n, m, c);
    }

    /**
     * Whether every cost \( |x - y|^p \) between points of the given clouds (of one dimension) is certainly finite:
     * whether \( (\sum_k (\max_k - \min_k)^2)^{p/2} \), the diameter of the bounding box of all the clouds to the
     * power \( p \), is finite. \( O(\text{points} \times d) \); a {@code false} means that some costs may
     * overflow (points about \( 10^{154} \) apart for \( p = 2 \)).
     *
     * @param p      the exponent, {@code > 0}
     * @param clouds point clouds of the same dimension, not null
     * @return whether the bound is finite
     * @throws IllegalArgumentException if {@code p} is not finite and positive, a cloud is null, or the dimensions
     *                                  differ
     */
    public static boolean costBoundIsFinite(double p, ParticleMeasure... clouds) {
        return Double.isFinite(costBound(p, clouds));
    }

    /**
     * The bound \( (\sum_k (\max_k - \min_k)^2)^{p/2} \) of every cost \( |x - y|^p \) between points of the given
     * clouds: the diameter of the bounding box of all the clouds to the power \( p \) ({@code +Infinity} when it
     * overflows). \( O(\text{points} \times d) \).
     *
     * @param p      the exponent, {@code > 0}
     * @param clouds point clouds of the same dimension, not null
     * @return the bound
     * @throws IllegalArgumentException if {@code p} is not finite and positive, a cloud is null, or the dimensions
     *                                  differ
     */
    public static double costBound(double p, ParticleMeasure... clouds) {
        Arguments.positive("p", p);
        Arguments.nonEmpty("clouds", Arguments.noNulls("clouds", clouds));
        int d = clouds[0].dimension();
        double[] lo = new double[d];
        double[] hi = new double[d];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (ParticleMeasure cloud : clouds) {
            Arguments.sameDimension("clouds", cloud.dimension(), d, "clouds[0]");
            for (int i = 0; i < cloud.size(); i++) {
                for (int k = 0; k < d; k++) {
                    double v = cloud.coordinate(i, k);
                    lo[k] = Math.min(lo[k], v);
                    hi[k] = Math.max(hi[k], v);
                }
            }
        }
        double s = 0;
        for (int k = 0; k < d; k++) {
            double spread = hi[k] - lo[k];
            s += spread * spread;
        }
        return Math.pow(s, 0.5 * p);
    }

    /** Number of rows {@code n} (source atoms). */
    public int rows() {
        return rows;
    }

    /** Number of columns {@code m} (target atoms). */
    public int cols() {
        return cols;
    }

    /** Entry \( C_{ij} \). */
    public double get(int i, int j) {
        return values[i * cols + j];
    }

    /** A copy of the entries, row-major. */
    public double[] values() {
        return values.clone();
    }

    /** \( \max_{ij} |C_{ij}| \), the cost's scale. */
    public double maxAbs() {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * One line: the size and the entries, all of them up to 4 x 4 ({@code CostMatrix[2x2, [[0, 1], [1, 0]]]}) and
     * the first ones otherwise ({@code CostMatrix[500x400 [[0.1, 2.3, 1.7, ...], [...], ...]]}).
     */
    @Override
    public String toString() {
        boolean small = rows <= TextSummary.MAX_MATRIX_SIZE && cols <= TextSummary.MAX_MATRIX_SIZE;
        return "CostMatrix[" + (small ? rows + "x" + cols + ", " : "") + TextSummary.matrix(values, rows, cols) + "]";
    }
}
