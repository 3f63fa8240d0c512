package org.measureflow.ot;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;

/**
 * A dense ground-cost matrix \( C_{ij} = c(x_i, y_j) \), {@code n x m}, stored row-major in one {@code double[]}:
 * the data of the Kantorovich problem \( \min_{P \in U(a,b)} \langle C, P \rangle \) (survey eq. 10). The default
 * ground cost is \( c(x,y) = |x-y|^2 \), not halved (closed-forms conventions).
 *
 * <p>Immutable; {@link #values()} returns a copy, {@link #get(int, int)} reads one entry.
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
     * @param rows   {@code n}
     * @param cols   {@code m}
     * @param values {@code n * m} finite entries, row-major; copied
     */
    public static CostMatrix of(int rows, int cols, double[] values) {
        Arguments.positive("rows", rows);
        Arguments.positive("cols", cols);
        Arguments.finite("values", values);
        Arguments.length("values", values.length, rows * cols);
        return new CostMatrix(rows, cols, values.clone());
    }

    /** The cost matrix with entries {@code c[i][j]} (a rectangular, finite array). */
    public static CostMatrix of(double[][] c) {
        Arguments.notNull("c", c);
        if (c.length == 0 || c[0] == null || c[0].length == 0) {
            throw new IllegalArgumentException("c must be a non-empty matrix");
        }
        int m = c[0].length;
        double[] flat = new double[c.length * m];
        for (int i = 0; i < c.length; i++) {
            Arguments.notNull("c[" + i + "]", c[i]);
            if (c[i].length != m) {
                throw new IllegalArgumentException("c[" + i + "] has length " + c[i].length + ", expected " + m);
            }
            System.arraycopy(c[i], 0, flat, i * m, m);
        }
        return of(c.length, m, flat);
    }

    /** \( C_{ij} = |x_i - y_j|^2 \) (squared Euclidean distance, not halved). */
    public static CostMatrix squaredEuclidean(ParticleMeasure x, ParticleMeasure y) {
        return euclideanPower(x, y, 2.0);
    }

    /** \( C_{ij} = |x_i - y_j|^p \), {@code p > 0} (the cost of \( W_p^p \)). */
    public static CostMatrix euclideanPower(ParticleMeasure x, ParticleMeasure y, double p) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.positive("p", p);
        int d = x.dimension();
        if (y.dimension() != d) {
            throw new IllegalArgumentException("y has dimension " + y.dimension() + ", expected " + d
                    + " (the dimension of x)");
        }
        int n = x.size();
        int m = y.size();
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        double[] c = new double[n * m];
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
        return new CostMatrix(n, m, c);
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
}
