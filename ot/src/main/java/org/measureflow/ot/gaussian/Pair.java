package org.measureflow.ot.gaussian;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.measure.GaussianMeasure;

/**
 * Package-private spectral data shared by the Gaussian closed forms of this package. With the Cholesky factor
 * \( \Sigma_0 = L L^\top \) of the source covariance, the symmetric matrix \( M = L^\top \Sigma_1 L \) is similar to
 * \( \Sigma_0 \Sigma_1 \) and to \( \Sigma_0^{1/2} \Sigma_1 \Sigma_0^{1/2} \), so its eigenvalues are the squared
 * singular values \( \sigma_i^2 \) of \( \Sigma_0^{1/2} \Sigma_1^{1/2} \), and every spectral function
 * \( h(\Sigma_0 \Sigma_1) = L\, h(M)\, L^{-1} \). One Cholesky factor (already held by {@link GaussianMeasure}) and one
 * symmetric eigendecomposition give the Bures distance, the Monge map and the entropic plan.
 */
final class Pair {
    final int d;
    final double[] l;      // lower Cholesky factor of S0, flat
    final double[] s0;     // S0, flat
    final double[] s1;     // S1, flat
    final double[] m;      // L^T S1 L, flat (kept intact)

    private Pair(int d, double[] l, double[] s0, double[] s1) {
        this.d = d;
        this.l = l;
        this.s0 = s0;
        this.s1 = s1;
        this.m = FlatMatrices.congruenceLowerTransposed(l, s1, d);
    }

    static Pair of(GaussianMeasure mu, GaussianMeasure nu) {
        int d = mu.dimension();
        return new Pair(d, mu.choleskyFactor().data, mu.covariance().data, nu.covariance().data);
    }

    /**
     * {@link #of(GaussianMeasure, GaussianMeasure)} on covariances rescaled by {@link CovarianceScale} (the pair of
     * \( 4^{-k}\Sigma_0, 4^{-k}\Sigma_1 \)) when they are far from 1; every quantity of the pair is then in units
     * of \( 4^{-k} \) times a covariance, except the similarity-invariant matrices (the Monge and entropic map
     * matrices), which do not change.
     */
    static Pair scaled(GaussianMeasure mu, GaussianMeasure nu) {
        return scaled(mu, nu, exponent(mu, nu));
    }

    /** The pair of \( 4^{-k}\Sigma_0, 4^{-k}\Sigma_1 \); {@code k = 0} is {@link #of(GaussianMeasure, GaussianMeasure)}. */
    static Pair scaled(GaussianMeasure mu, GaussianMeasure nu, int k) {
        if (k == 0) {
            return of(mu, nu);
        }
        return new Pair(mu.dimension(), CovarianceScale.scaled(mu.choleskyFactor().data, k),
                CovarianceScale.scaled(mu.covariance().data, 2 * k), CovarianceScale.scaled(nu.covariance().data, 2 * k));
    }

    /** The {@link CovarianceScale#pairExponent} of the two covariances. */
    static int exponent(GaussianMeasure mu, GaussianMeasure nu) {
        return CovarianceScale.pairExponent(mu.covariance().data, nu.covariance().data);
    }

    /** From owned flat copies: the lower Cholesky factor of {@code s0}, and the two covariances. */
    static Pair of(double[] l, double[] s0, double[] s1, int d) {
        return new Pair(d, l, s0, s1);
    }

    /** The eigenvalues \( \sigma_i^2 \) of \( M \) (unsorted), clamped at 0 against rounding. */
    double[] squaredSingularValues() {
        double[] lambda = FlatMatrices.symmetricEigenvalues(m.clone(), d);
        for (int i = 0; i < d; i++) {
            lambda[i] = Math.max(lambda[i], 0);
        }
        return lambda;
    }

    /** Eigendecomposition of \( M \): eigenvalues (clamped at 0) and flat eigenvectors (columns). */
    Spectrum spectrum() {
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        FlatMatrices.symmetricEigen(m, d, values, vectors);
        for (int i = 0; i < d; i++) {
            values[i] = Math.max(values[i], 0);
        }
        return new Spectrum(values, vectors);
    }

    /**
     * The symmetric matrix \( L^{-\top} h(M) L^{-1} = W \,\mathrm{diag}(h)\, W^\top \), \( W = L^{-\top} V \): with
     * \( h(\lambda) = \sqrt\lambda \) it is the Monge map \( A \) of Prop. 4.3.
     */
    double[] sandwichInverse(Spectrum sp, double[] h) {
        double[] w = sp.vectors.clone();
        FlatMatrices.solveLowerTransposedInPlace(l, w, d);
        double[] out = FlatMatrices.scaledProduct(w, h, w, d);
        FlatMatrices.symmetrise(out, d);
        return out;
    }

    /** The (non-symmetric) matrix \( L\, h(M)\, L^{-1} = (L V) \,\mathrm{diag}(h)\, (L^{-\top} V)^\top = h(\Sigma_0\Sigma_1) \). */
    double[] similarity(Spectrum sp, double[] h) {
        double[] p = FlatMatrices.multLower(l, sp.vectors, d);
        double[] q = sp.vectors.clone();
        FlatMatrices.solveLowerTransposedInPlace(l, q, d);
        return FlatMatrices.scaledProduct(p, h, q, d);
    }

    static DMatrixRMaj matrix(double[] flat, int d) {
        return DMatrixRMaj.wrap(d, d, flat);
    }

    /** Eigenvalues and column eigenvectors of \( M \). */
    record Spectrum(double[] values, double[] vectors) {
    }
}
