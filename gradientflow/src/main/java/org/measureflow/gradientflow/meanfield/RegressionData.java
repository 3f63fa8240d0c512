package org.measureflow.gradientflow.meanfield;

import java.util.Arrays;

import org.measureflow.core.Arguments;

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
     * @throws IllegalArgumentException on an empty set, non-finite values or mismatched lengths
     */
    public static RegressionData fromFlat(double[] x, int d, double[] y) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.positive("d", d);
        if (y.length == 0) {
            throw new IllegalArgumentException("y must not be empty");
        }
        Arguments.length("x", x.length, y.length * d);
        Arguments.finite("x", x);
        Arguments.finite("y", y);
        return new RegressionData(x.clone(), y.clone(), d);
    }

    /** The data set with inputs as rows. */
    public static RegressionData of(double[][] x, double[] y) {
        Arguments.notNull("x", x);
        if (x.length == 0) {
            throw new IllegalArgumentException("x must not be empty");
        }
        int d = x[0].length;
        double[] flat = new double[x.length * d];
        for (int k = 0; k < x.length; k++) {
            if (x[k].length != d) {
                throw new IllegalArgumentException("x has ragged rows: row " + k + " has length " + x[k].length
                        + ", expected " + d);
            }
            System.arraycopy(x[k], 0, flat, k * d, d);
        }
        return fromFlat(flat, d, y);
    }

    /** The rows {@code rows} of this data set, in that order (a minibatch). */
    public RegressionData rows(int[] rows) {
        double[] bx = new double[rows.length * d];
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

    /** Input coordinate {@code c} of sample {@code k}. */
    public double input(int k, int c) {
        return x[k * d + c];
    }

    /** Target of sample {@code k}. */
    public double target(int k) {
        return y[k];
    }

    double[] flatInputs() {
        return x;
    }

    double[] flatTargets() {
        return y;
    }

    @Override
    public String toString() {
        return "RegressionData[m=" + m + ", d=" + d + ", y[0..]=" + Arrays.toString(Arrays.copyOf(y, Math.min(3, m)))
                + "]";
    }
}
