package org.measureflow.flowmatching.field;

/**
 * Cholesky factorisation \( S = L L^\top \) and solves on small row-major {@code double[]} matrices, allocation
 * free, for the per-time work of the closed-form fields (EJML's decompositions are neither allocation free nor
 * thread-safe).
 */
final class FlatCholesky {
    private FlatCholesky() {
    }

    /**
     * Overwrites the lower triangle of the SPD matrix {@code a} (d x d, row-major) with its Cholesky factor
     * \( L \); the strict upper triangle is left as it was.
     *
     * @throws IllegalStateException if a pivot is not positive (the matrix is not numerically SPD)
     */
    static void factor(double[] a, int d) {
        factor(a, 0, d);
    }

    /** {@link #factor(double[], int)} on the matrix stored at {@code a[off .. off + d*d - 1]}. */
    static void factor(double[] m, int off, int d) {
        for (int j = 0; j < d; j++) {
            double diag = m[off + j * d + j];
            for (int k = 0; k < j; k++) {
                diag -= m[off + j * d + k] * m[off + j * d + k];
            }
            if (!(diag > 0)) {
                throw new IllegalStateException("covariance is not positive definite (pivot " + j + " = " + diag + ")");
            }
            double l = Math.sqrt(diag);
            m[off + j * d + j] = l;
            for (int i = j + 1; i < d; i++) {
                double s = m[off + i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= m[off + i * d + k] * m[off + j * d + k];
                }
                m[off + i * d + j] = s / l;
            }
        }
    }

    /** Solves \( L L^\top y = b \) in place on {@code b[off .. off + d - 1]}, with the factor from {@link #factor}. */
    static void solve(double[] l, int d, double[] b, int off) {
        solve(l, 0, d, b, off);
    }

    /** {@link #solve(double[], int, double[], int)} with the factor stored at {@code l[lOff ..]}. */
    static void solve(double[] l, int lOff, int d, double[] b, int off) {
        for (int i = 0; i < d; i++) {
            double s = b[off + i];
            for (int k = 0; k < i; k++) {
                s -= l[lOff + i * d + k] * b[off + k];
            }
            b[off + i] = s / l[lOff + i * d + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            double s = b[off + i];
            for (int k = i + 1; k < d; k++) {
                s -= l[lOff + k * d + i] * b[off + k];
            }
            b[off + i] = s / l[lOff + i * d + i];
        }
    }

    /** \( \log\det S = 2 \sum_i \log L_{ii} \) from the factor. */
    static double logDet(double[] l, int d) {
        return logDet(l, 0, d);
    }

    /** {@link #logDet(double[], int)} with the factor stored at {@code l[lOff ..]}. */
    static double logDet(double[] l, int lOff, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += Math.log(l[lOff + i * d + i]);
        }
        return 2 * s;
    }
}
