package org.measureflow.core.measure;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The affine map \( T(x) = A x + b \) from \( \mathbb{R}^d \) to \( \mathbb{R}^{k} \), with a {@code k x d} matrix
 * \( A \) and offset \( b \). Many closed forms of the survey are affine maps: the flow map
 * \( x \mapsto e^{tA} x + \int_0^t e^{sA} ds\, b \) of a linear field (docs/closed-forms.md CF-2), the Gaussian Monge map
 * \( T(x) = m_1 + A (x - m_0) \) of Prop. 4.3 (\( b = m_1 - A m_0 \)) and the entropic barycentric map
 * \( x \mapsto \mathbb{E}_\pi[Y \mid X = x] \) (docs/closed-forms.md CF-14). As a {@link PointMap} it pushes particles forward
 * (\( T_\sharp \mu = \sum_i w_i \delta_{T(x_i)} \), survey eq. 1), and {@link #pushForward(GaussianMeasure)} gives
 * the exact image \( \mathcal{N}(A m + b, A \Sigma A^\top) \) of a Gaussian (docs/closed-forms.md CF-1).
 *
 * <p>Immutable and thread-safe: the matrix and offset are copied in and out.
 */
public final class AffineMap implements PointMap {
    private final double[] a; // row-major k x d
    private final double[] b;
    private final int rows;
    private final int cols;

    private AffineMap(double[] a, double[] b, int rows, int cols) {
        this.a = a;
        this.b = b;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * The map \( x \mapsto A x + b \).
     *
     * @param matrix a finite {@code k x d} matrix \( A \) (copied)
     * @param offset a finite vector \( b \) of length {@code k} (copied)
     * @throws IllegalArgumentException if an argument is null, empty, not finite or of the wrong length
     */
    public static AffineMap of(DMatrixRMaj matrix, double[] offset) {
        Arguments.notNull("matrix", matrix);
        if (matrix.numRows == 0 || matrix.numCols == 0) {
            throw new IllegalArgumentException("matrix must be non-empty, got " + matrix.numRows + "x" + matrix.numCols);
        }
        Arguments.finite("matrix", matrix);
        Arguments.finite("offset", offset);
        Arguments.length("offset", offset.length, matrix.numRows);
        double[] flat = new double[matrix.numRows * matrix.numCols];
        System.arraycopy(matrix.data, 0, flat, 0, flat.length);
        return new AffineMap(flat, offset.clone(), matrix.numRows, matrix.numCols);
    }

    /**
     * The map \( x \mapsto m_1 + A (x - m_0) \), that is offset \( b = m_1 - A m_0 \), for a square {@code d x d}
     * matrix \( A \) (copied).
     *
     * @throws IllegalArgumentException if \( A \) is not square and finite, the means have the wrong length, or the
     *                                  offset \( m_1 - A m_0 \) overflows
     */
    public static AffineMap centred(DMatrixRMaj matrix, double[] m0, double[] m1) {
        int d = Arguments.square("matrix", matrix);
        Arguments.finite("matrix", matrix);
        Arguments.finite("m0", m0);
        Arguments.finite("m1", m1);
        Arguments.length("m0", m0.length, d);
        Arguments.length("m1", m1.length, d);
        double[] a = new double[d * d];
        System.arraycopy(matrix.data, 0, a, 0, d * d);
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            double s = m1[i];
            for (int j = 0; j < d; j++) {
                s -= a[i * d + j] * m0[j];
            }
            b[i] = s;
        }
        Arguments.finiteResult("matrix and m0", "the offset m1 - A m0", b);
        return new AffineMap(a, b, d, d);
    }

    /** The input dimension {@code d}. */
    public int sourceDimension() {
        return cols;
    }

    /** The output dimension {@code k}. */
    public int targetDimension() {
        return rows;
    }

    /** A copy of the matrix \( A \). */
    public DMatrixRMaj matrix() {
        return DMatrixRMaj.wrap(rows, cols, a.clone());
    }

    /** A copy of the offset \( b \), so that \( T(x) = A x + b \). */
    public double[] offset() {
        return b.clone();
    }

    /**
     * Writes \( T(x) = A x + b \) into {@code out} ({@code out} may not alias {@code x}).
     *
     * @throws IllegalArgumentException if {@code x} or {@code out} has the wrong length, {@code x} is not finite or
     *                                  \( A x + b \) overflows (then {@code out} holds the overflowed values)
     */
    public void apply(double[] x, double[] out) {
        Arguments.finite("x", x);
        Arguments.notNull("out", out);
        Arguments.length("x", x.length, cols);
        Arguments.length("out", out.length, rows);
        if (x == out) {
            throw new IllegalArgumentException("out must not be the same array as x");
        }
        apply(x, 0, out, 0);
        Arguments.finiteResult("x", "A x + b", out);
    }

    /**
     * \( T(x) = A x + b \) as a new array.
     *
     * @throws IllegalArgumentException if {@code x} has the wrong length or is not finite, or \( A x + b \)
     *                                  overflows
     */
    public double[] apply(double[] x) {
        Arguments.finite("x", x);
        Arguments.length("x", x.length, cols);
        double[] out = new double[rows];
        apply(x, 0, out, 0);
        return Arguments.finiteResult("x", "A x + b", out);
    }

    /**
     * Writes \( T(x) \) for {@code x[xOffset .. xOffset+d-1]} into {@code out[outOffset .. outOffset+k-1]}: the
     * unchecked form for loops over many points (which check their output once, as
     * {@link ParticleMeasure#pushForward(int, PointMap)} does).
     */
    @Override
    public void apply(double[] x, int xOffset, double[] out, int outOffset) {
        if (rows == 2 && cols == 2) {
            // unrolled: the generic loop costs ~8x more per point in 2-D (measured, JDK 17), and 2-D particle flows
            // are the common case
            double x0 = x[xOffset];
            double x1 = x[xOffset + 1];
            out[outOffset] = b[0] + a[0] * x0 + a[1] * x1;
            out[outOffset + 1] = b[1] + a[2] * x0 + a[3] * x1;
            return;
        }
        for (int i = 0; i < rows; i++) {
            double s = b[i];
            int ai = i * cols;
            for (int j = 0; j < cols; j++) {
                s += a[ai + j] * x[xOffset + j];
            }
            out[outOffset + i] = s;
        }
    }

    /**
     * The exact push-forward \( T_\sharp \mathcal{N}(m, \Sigma) = \mathcal{N}(A m + b, A \Sigma A^\top) \)
     * (docs/closed-forms.md CF-1).
     *
     * @throws IllegalArgumentException if the dimensions differ or \( A \Sigma A^\top \) is not positive definite
     */
    public GaussianMeasure pushForward(GaussianMeasure mu) {
        Arguments.notNull("mu", mu);
        if (mu.dimension() != cols) {
            throw new IllegalArgumentException("mu has dimension " + mu.dimension() + ", expected " + cols
                    + " (the map's source dimension)");
        }
        return mu.pushForward(matrix(), b);
    }

    @Override
    public String toString() {
        return "AffineMap[" + rows + "x" + cols + ", matrix=" + TextSummary.matrix(a, rows, cols) + ", offset="
                + TextSummary.array(b) + "]";
    }
}
