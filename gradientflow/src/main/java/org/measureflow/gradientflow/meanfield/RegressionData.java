package org.measureflow.gradientflow.meanfield;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * A regression data set \( (x_k, y_k)_{k=1}^m \), \( x_k \in \mathbb{R}^d \), \( y_k \in \mathbb{R} \), with the
 * empirical risk \( R(f) = \frac{1}{2m}\sum_k (f(x_k) - y_k)^2 \) of survey eq. 19. Inputs are stored flat and
 * row-major; immutable (arrays are copied in and out).
 */
public final class RegressionData {
    private final double[] x;
    private final double[] y;
    private final int m;
    private final int d;

    private RegressionData(double[] x, double[] y, int d) {
        this.x = x;
        this.y = y;
        this.m = y.length;
        this.d = d;
    }

    /**
     * The data set with inputs {@code x} (m x d, flat row-major) and targets {@code y} (length m).
     *
     * @param x the inputs, \( m d \) numbers, row-major
     * @param d the input dimension, {@code > 0}
     * @param y the targets, \( m \ge 1 \) numbers
     * @return the data set (the arrays are copied)
     * @throws IllegalArgumentException on an empty set, non-finite values or mismatched lengths
     */
    public static RegressionData fromFlat(double[] x, int d, double[] y) {
        Arguments.notNull("x", x);
        Arguments.nonEmpty("y", y);
        Arguments.positive("d", d);
        Arguments.length("x", x.length, Arguments.product("m * d", y.length, d));
        Arguments.finite("x", x);
        Arguments.finite("y", y);
        return new RegressionData(x.clone(), y.clone(), d);
    }

    /**
     * The data set with inputs as rows.
     *
     * @param x the inputs, one row of length \( d \) per sample
     * @param y the targets, one per row
     * @return the data set (the arrays are copied)
     * @throws IllegalArgumentException on an empty set, ragged rows, non-finite values or mismatched lengths
     */
    public static RegressionData of(double[][] x, double[] y) {
        Arguments.noNulls("x", Arguments.nonEmpty("x", x));
        int d = x[0].length;
        double[] flat = new double[Arguments.product("m * d", x.length, d)];
        for (int k = 0; k < x.length; k++) {
            Arguments.length("x[" + k + "]", x[k].length, d);
            System.arraycopy(x[k], 0, flat, k * d, d);
        }
        return fromFlat(flat, d, y);
    }

    /**
     * The rows {@code rows} of this data set, in that order (a minibatch; rows may repeat).
     *
     * @param rows the row indices, each in {@code [0, m)}, at least one
     * @return the data set of those rows
     * @throws IllegalArgumentException if {@code rows} is null or empty or an index is out of range
     */
    public RegressionData rows(int[] rows) {
        Arguments.notNull("rows", rows);
        Arguments.positive("rows (length)", rows.length);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] < 0 || rows[r] >= m) {
                Arguments.index("rows[" + r + "]", rows[r], m); // throws; the name is built only then
            }
        }
        double[] bx = new double[Arguments.product("rows (length * d)", rows.length, d)];
        double[] by = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(x, rows[r] * d, bx, r * d, d);
            by[r] = y[rows[r]];
        }
        return new RegressionData(bx, by, d);
    }

    /** Number of samples \( m \). */
    public int size() {
        return m;
    }

    /** Input dimension \( d \). */
    public int dimension() {
        return d;
    }

    /** A copy of the flat inputs. */
    public double[] inputs() {
        return x.clone();
    }

    /** A copy of the targets. */
    public double[] targets() {
        return y.clone();
    }

    /**
     * Input coordinate {@code c} of sample {@code k}.
     *
     * @param k the sample, in {@code [0, m)}
     * @param c the coordinate, in {@code [0, d)}
     * @return \( (x_k)_c \)
     * @throws IllegalArgumentException if an index is out of range
     */
    public double input(int k, int c) {
        Arguments.index("k", k, m);
        Arguments.index("c", c, d);
        return x[k * d + c];
    }

    /**
     * Target of sample {@code k}.
     *
     * @param k the sample, in {@code [0, m)}
     * @return \( y_k \)
     * @throws IllegalArgumentException if {@code k} is out of range
     */
    public double target(int k) {
        Arguments.index("k", k, m);
        return y[k];
    }

    double[] flatInputs() {
        return x;
    }

    double[] flatTargets() {
        return y;
    }

    /** One line: {@code RegressionData[m=300, d=2, y=[0.31, 1.2, 0, ..., 0.57, 2.1] (300 entries)]}. */
    @Override
    public String toString() {
        return "RegressionData[m=" + m + ", d=" + d + ", y=" + TextSummary.array(y) + "]";
    }
}
