package org.measureflow.testing;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Small matrix helpers shared by every module's tests (norms, products, diagonal and rotation matrices). */
public final class TestMatrices {
    /** Unit roundoff of double precision, \( 2^{-53} \). */
    public static final double U = Math.ulp(1.0) / 2;

    private TestMatrices() {
    }

    /** Frobenius norm. */
    public static double frob(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i] * m.data[i];
        }
        return Math.sqrt(s);
    }

    /** \( \|x - y\|_F \). */
    public static double frobDiff(DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj d = new DMatrixRMaj(x.numRows, x.numCols);
        CommonOps_DDRM.subtract(x, y, d);
        return frob(d);
    }

    /** \( \|x - y\|_F / \|y\|_F \). */
    public static double relErr(DMatrixRMaj x, DMatrixRMaj y) {
        return frobDiff(x, y) / frob(y);
    }

    /** \( \max_{ij} |x_{ij} - y_{ij}| \). */
    public static double maxAbsDiff(DMatrixRMaj x, DMatrixRMaj y) {
        return maxAbsDiff(x.data, y.data);
    }

    /** \( \max_i |x_i - y_i| \). */
    public static double maxAbsDiff(double[] x, double[] y) {
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    /** Euclidean norm. */
    public static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** The product {@code a * b} as a new matrix. */
    public static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, out);
        return out;
    }

    /** The product {@code a * b * c} as a new matrix. */
    public static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        return mult(mult(a, b), c);
    }

    /** {@code a * x} for a vector. */
    public static double[] mult(DMatrixRMaj a, double[] x) {
        double[] out = new double[a.numRows];
        for (int i = 0; i < a.numRows; i++) {
            double s = 0;
            for (int k = 0; k < a.numCols; k++) {
                s += a.get(i, k) * x[k];
            }
            out[i] = s;
        }
        return out;
    }

    /** The transpose as a new matrix. */
    public static DMatrixRMaj transpose(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    /** The diagonal matrix with diagonal {@code v}. */
    public static DMatrixRMaj diag(double... v) {
        return CommonOps_DDRM.diag(v);
    }

    /** The matrix {@code a + s * b} as a new matrix. */
    public static DMatrixRMaj plus(DMatrixRMaj a, double s, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.add(a, s, b, out);
        return out;
    }

    /** {@code s * a} as a new matrix. */
    public static DMatrixRMaj scaled(double s, DMatrixRMaj a) {
        DMatrixRMaj out = a.copy();
        CommonOps_DDRM.scale(s, out);
        return out;
    }

    /** The 2-D rotation by angle {@code theta}: \( \begin{pmatrix}\cos & -\sin\\ \sin & \cos\end{pmatrix} \). */
    public static DMatrixRMaj rotation(double theta) {
        return new DMatrixRMaj(new double[][]{{Math.cos(theta), -Math.sin(theta)}, {Math.sin(theta), Math.cos(theta)}});
    }

    /** A matrix from rows. */
    public static DMatrixRMaj of(double[][] rows) {
        return new DMatrixRMaj(rows);
    }
}
