package org.measureflow.core.linalg;

import java.util.function.DoubleUnaryOperator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.measureflow.core.Arguments;

/**
 * Functions of symmetric positive-definite (SPD) matrices through the symmetric eigendecomposition
 * \( S = U \,\mathrm{diag}(\lambda)\, U^\top \), \( f(S) = U \,\mathrm{diag}(f(\lambda))\, U^\top \): the square root
 * \( S^{1/2} \) and inverse square root \( S^{-1/2} \) used by every Gaussian closed form of the survey
 * (Bures&ndash;Wasserstein distance and Monge map, Prop. 4.3), the log-determinant, and the matrix geometric mean
 * \( A \# B = A^{1/2} (A^{-1/2} B A^{-1/2})^{1/2} A^{1/2} \), which is the Monge map between centred Gaussians
 * up to conjugation.
 *
 * <p>Inputs are never modified. Each method validates its argument once: square, finite, symmetric up to
 * {@link Arguments#SYMMETRY_TOLERANCE} relative to its largest entry, and positive definite (Cholesky succeeds); otherwise
 * it throws an {@link IllegalArgumentException} naming the argument. Results are symmetrised exactly.
 */
public final class Spd {
    private Spd() {
    }

    /** Whether {@code s} is SPD in the sense of {@link Arguments#spd(String, DMatrixRMaj)}. */
    public static boolean isSpd(DMatrixRMaj s) {
        try {
            Arguments.spd("s", s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The SPD square root \( S^{1/2} \), the unique SPD matrix with \( (S^{1/2})^2 = S \). */
    public static DMatrixRMaj sqrt(DMatrixRMaj s) {
        return apply("s", s, Math::sqrt);
    }

    /** The inverse square root \( S^{-1/2} \). */
    public static DMatrixRMaj invSqrt(DMatrixRMaj s) {
        return apply("s", s, x -> 1.0 / Math.sqrt(x));
    }

    /** The inverse \( S^{-1} \), computed spectrally (symmetric by construction). */
    public static DMatrixRMaj inverse(DMatrixRMaj s) {
        return apply("s", s, x -> 1.0 / x);
    }

    /** \( \log \det S = \sum_i \log \lambda_i \). */
    public static double logDet(DMatrixRMaj s) {
        double sum = 0;
        for (double lambda : eigenvalues(s)) {
            sum += Math.log(lambda);
        }
        return sum;
    }

    /** The eigenvalues of the SPD matrix {@code s}, in increasing order. */
    public static double[] eigenvalues(DMatrixRMaj s) {
        Arguments.spd("s", s);
        return new Eigen("s", s).values;
    }

    /**
     * The geometric mean \( A \# B = A^{1/2} (A^{-1/2} B A^{-1/2})^{1/2} A^{1/2} \), which solves \( X A^{-1} X = B \).
     *
     * <p>It is jointly homogeneous, \( (sA) \# (tB) = \sqrt{st}\, (A \# B) \), so matrices whose entries are far
     * from 1 (largest entry outside \( [2^{-200}, 2^{200}] \), where \( A^{-1/2} B A^{-1/2} \) could leave the double
     * range) are first scaled by powers of 4, which is exact, and the result is scaled back.
     *
     * @throws IllegalArgumentException if a matrix is not SPD or the shapes differ (naming {@code a} or {@code b}),
     *                                  or if the mean itself overflows
     */
    public static DMatrixRMaj geometricMean(DMatrixRMaj a, DMatrixRMaj b) {
        int d = Arguments.square("a", a);
        Arguments.shape("b", b, d, d);
        Arguments.spd("b", b);
        Arguments.spd("a", a);
        int ka = halfExponent(a);
        int kb = halfExponent(b);
        if (ka == 0 && kb == 0) {
            return geometricMeanUnscaled(a, b);
        }
        DMatrixRMaj as = a.copy();
        CommonOps_DDRM.scale(Math.scalb(1.0, -2 * ka), as);
        DMatrixRMaj bs = b.copy();
        CommonOps_DDRM.scale(Math.scalb(1.0, -2 * kb), bs);
        DMatrixRMaj mean = geometricMeanUnscaled(as, bs);
        for (int i = 0; i < mean.getNumElements(); i++) {
            mean.data[i] = Math.scalb(mean.data[i], ka + kb);
        }
        Arguments.finiteResult("a and b", "the geometric mean", mean.data);
        return mean;
    }

    /**
     * 0 when the largest entry of {@code s} is in \( [2^{-200}, 2^{200}] \), otherwise the {@code k} such that
     * \( 4^{-k} s \) has its largest entry in \( [1, 4) \).
     */
    private static int halfExponent(DMatrixRMaj s) {
        double max = 0;
        for (int i = 0; i < s.getNumElements(); i++) {
            max = Math.max(max, Math.abs(s.data[i]));
        }
        int e = Math.getExponent(max);
        return Math.abs(e) <= 200 ? 0 : Math.floorDiv(e, 2);
    }

    /** \( A \# B \) for validated SPD matrices of moderate scale. */
    private static DMatrixRMaj geometricMeanUnscaled(DMatrixRMaj a, DMatrixRMaj b) {
        Eigen ea = new Eigen("a", a);
        DMatrixRMaj aHalf = ea.function(Math::sqrt);
        DMatrixRMaj aInvHalf = ea.function(x -> 1.0 / Math.sqrt(x));
        DMatrixRMaj inner = congruence(aInvHalf, b);
        DMatrixRMaj innerHalf = new Eigen("a and b", inner).function(x -> Math.sqrt(Math.max(x, 0)));
        return congruence(aHalf, innerHalf);
    }

    /**
     * The spectral function \( f(S) = U \,\mathrm{diag}(f(\lambda))\, U^\top \) of the SPD matrix {@code s}.
     *
     * @param name the argument's name for error messages
     */
    public static DMatrixRMaj apply(String name, DMatrixRMaj s, DoubleUnaryOperator f) {
        Arguments.spd(name, s);
        return new Eigen(name, s).function(f);
    }

    /**
     * The congruence \( M S M^\top \) for any {@code k x d} matrix {@code m} and symmetric {@code s}, symmetrised.
     *
     * @throws IllegalArgumentException if a matrix is null or not finite, {@code s} is not square, {@code m} does
     *                                  not have {@code d} columns, or the result overflows
     */
    public static DMatrixRMaj congruence(DMatrixRMaj m, DMatrixRMaj s) {
        int d = Arguments.square("s", s);
        Arguments.shape("m", m, Arguments.notNull("m", m).numRows, d);
        Arguments.finite("s", s);
        Arguments.finite("m", m);
        DMatrixRMaj tmp = new DMatrixRMaj(m.numRows, s.numCols);
        CommonOps_DDRM.mult(m, s, tmp);
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numRows);
        CommonOps_DDRM.multTransB(tmp, m, out);
        symmetriseInPlace(out);
        Arguments.finiteResult("m and s", "M S M^T", out.data);
        return out;
    }

    /**
     * A new matrix \( (S + S^\top)/2 \).
     *
     * @throws IllegalArgumentException if {@code s} is null, not square or not finite
     */
    public static DMatrixRMaj symmetrised(DMatrixRMaj s) {
        Arguments.finite("s", s);
        Arguments.square("s", s);
        DMatrixRMaj out = s.copy();
        symmetriseInPlace(out);
        return out;
    }

    /**
     * Replaces {@code s} by \( (S + S^\top)/2 \).
     *
     * @throws IllegalArgumentException if {@code s} is null or not square
     */
    public static void symmetriseInPlace(DMatrixRMaj s) {
        Arguments.square("s", s);
        int d = s.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (s.unsafe_get(i, j) + s.unsafe_get(j, i));
                s.unsafe_set(i, j, v);
                s.unsafe_set(j, i, v);
            }
        }
    }

    /** Symmetric eigendecomposition with sorted eigenvalues and eigenvectors copied out of EJML's storage. */
    private static final class Eigen {
        final String name;
        final double[] values;
        final DMatrixRMaj vectors; // column k is the eigenvector of values[k]

        Eigen(String name, DMatrixRMaj s) {
            this.name = name;
            int d = s.numRows;
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
            if (!eig.decompose(symmetrised(s))) {
                throw new IllegalArgumentException(name + ": the symmetric eigendecomposition did not converge");
            }
            Integer[] order = new Integer[d];
            double[] raw = new double[d];
            for (int k = 0; k < d; k++) {
                order[k] = k;
                raw[k] = eig.getEigenvalue(k).real;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[x], raw[y]));
            values = new double[d];
            vectors = new DMatrixRMaj(d, d);
            for (int k = 0; k < d; k++) {
                values[k] = raw[order[k]];
                DMatrixRMaj v = eig.getEigenVector(order[k]);
                for (int i = 0; i < d; i++) {
                    vectors.unsafe_set(i, k, v.get(i));
                }
            }
        }

        DMatrixRMaj function(DoubleUnaryOperator f) {
            int d = values.length;
            DMatrixRMaj scaled = vectors.copy();
            for (int k = 0; k < d; k++) {
                double fk = f.applyAsDouble(values[k]);
                if (!Double.isFinite(fk)) {
                    throw new IllegalArgumentException(name + ": the matrix function is not finite at eigenvalue "
                            + values[k]);
                }
                for (int i = 0; i < d; i++) {
                    scaled.unsafe_set(i, k, scaled.unsafe_get(i, k) * fk);
                }
            }
            DMatrixRMaj out = new DMatrixRMaj(d, d);
            CommonOps_DDRM.multTransB(scaled, vectors, out);
            symmetriseInPlace(out);
            return out;
        }
    }
}
