package org.measureflow.ot.gaussian;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;

/**
 * Optimal transport between Gaussian measures for the cost \( |x - y|^2 \) (survey Prop. 4.3; docs/closed-forms.md CF-12
 * and docs/closed-forms.md CF-12): the squared Wasserstein distance
 * \[ W_2^2(\mathcal{N}(m_0,\Sigma_0), \mathcal{N}(m_1,\Sigma_1)) = |m_0 - m_1|^2 + \mathcal{B}^2(\Sigma_0,\Sigma_1), \quad
 *    \mathcal{B}^2(\Sigma_0,\Sigma_1) = \operatorname{tr}\Sigma_0 + \operatorname{tr}\Sigma_1
 *    - 2 \operatorname{tr}\big(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2}\big)^{1/2}, \]
 * the linear Monge map \( T(x) = m_1 + A (x - m_0) \),
 * \( A = \Sigma_0^{-1/2}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2}\Sigma_0^{-1/2} \), McCann's displacement
 * interpolation; the Bures barycentre is {@link BuresBarycenter}.
 *
 * <p>Stateless: every method is static. Inputs are validated once ({@link GaussianMeasure} already guarantees SPD
 * covariances), and none is modified.
 *
 * <p><b>Numerics.</b> With the Cholesky factor \( \Sigma_0 = L L^\top \) (held by {@link GaussianMeasure}), the
 * symmetric matrix \( M = L^\top \Sigma_1 L \) is similar to \( \Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2} \), so the trace
 * term is \( \sum_i \sqrt{\lambda_i(M)} \), the sum of the singular values of \( \Sigma_0^{1/2}\Sigma_1^{1/2} \):
 * one \( d^3 \) congruence and one eigenvalue-only symmetric decomposition, no matrix square root. Tiny negative
 * eigenvalues from rounding are clamped to 0. When \( \mathcal{B}^2 \) is small against
 * \( \operatorname{tr}\Sigma_0 + \operatorname{tr}\Sigma_1 \) (nearly equal covariances, where the trace formula
 * cancels), it is recomputed without cancellation as
 * \( \mathcal{B}^2 = \lVert (I - A) L \rVert_F^2 = \lVert L^{-\top}(L^\top L - M^{1/2}) \rVert_F^2 \) (from
 * \( A \Sigma_0 A = \Sigma_1 \)). The result is never negative and never NaN; identical covariances give exactly 0.
 * Covariances whose product is far from 1 (largest entries multiplying to outside \( [2^{-200}, 2^{200}] \)) are
 * rescaled by a power of 4 first and
 * the results scaled back (the distances are homogeneous in the covariances, \( \mathcal B^2(c\Sigma_0, c\Sigma_1) =
 * c\,\mathcal B^2(\Sigma_0, \Sigma_1) \), and the Monge matrix is invariant), so covariances of any magnitude give
 * a finite answer whenever the answer itself is representable.
 * The Monge map is \( A = L^{-\top} M^{1/2} L^{-1} \), symmetric by construction.
 */
public final class BuresWasserstein {
    /** Below this fraction of \( \operatorname{tr}\Sigma_0 + \operatorname{tr}\Sigma_1 \) the cancellation-free form is used. */
    static final double REFINE_BELOW = 1e-4;

    private BuresWasserstein() {
    }

    /**
     * \( W_2^2(\mu, \nu) = |m_0 - m_1|^2 + \operatorname{tr}\Sigma_0 + \operatorname{tr}\Sigma_1
     * - 2 \operatorname{tr}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2} \) (Prop. 4.3).
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, or \( W_2^2 \) overflows
     *                                  double precision ({@link #distance} is then still finite)
     */
    public static double squaredDistance(GaussianMeasure mu, GaussianMeasure nu) {
        checkPair(mu, nu);
        return Arguments.finiteResult("mu and nu", "W_2^2",
                meanDistanceSquared(mu.mean(), nu.mean()) + bures(mu, nu));
    }

    /**
     * \( W_2(\mu, \nu) = \sqrt{W_2^2(\mu, \nu)} \) (Prop. 4.3). Where \( W_2^2 \) leaves the normal double range
     * (means more than about \( 10^{154} \) apart, or everything near \( 10^{-154} \)) lengths are rescaled by a
     * power of two \( 2^{j} \) first (means by \( 2^{-j} \), covariances by \( 4^{-j} \)) and the result scaled back,
     * since \( W_2 \) is homogeneous of degree one in lengths.
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, or \( W_2 \) itself overflows
     */
    public static double distance(GaussianMeasure mu, GaussianMeasure nu) {
        checkPair(mu, nu);
        double w = meanDistanceSquared(mu.mean(), nu.mean()) + bures(mu, nu);
        if (w >= Double.MIN_NORMAL && w < Double.POSITIVE_INFINITY) {
            return Math.sqrt(w);
        }
        double[] m0 = mu.mean();
        double[] m1 = nu.mean();
        double[] s0 = mu.covariance().data;
        double[] s1 = nu.covariance().data;
        double maxMean = 0;
        for (int i = 0; i < m0.length; i++) {
            maxMean = Math.max(maxMean, Math.max(Math.abs(m0[i]), Math.abs(m1[i])));
        }
        int j = Math.max(Math.getExponent(maxMean) + 1,
                Math.floorDiv(Math.getExponent(Math.max(maxAbs(s0), maxAbs(s1))), 2) + 1);
        double scaled = meanDistanceSquared(CovarianceScale.scaled(m0, j), CovarianceScale.scaled(m1, j))
                + (Arrays.equals(s0, s1) ? 0 : bures(CovarianceScale.scaled(mu.choleskyFactor().data, j),
                        CovarianceScale.scaled(s0, 2 * j), CovarianceScale.scaled(s1, 2 * j), mu.dimension()));
        return Arguments.finiteResult("mu and nu", "W_2", Math.scalb(Math.sqrt(scaled), j));
    }

    /**
     * The squared Bures distance \( \mathcal{B}^2(\Sigma_0,\Sigma_1) = \operatorname{tr}\Sigma_0
     * + \operatorname{tr}\Sigma_1 - 2 \operatorname{tr}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2} \), i.e.
     * \( W_2^2 \) between centred Gaussians (Prop. 4.3).
     *
     * @throws IllegalArgumentException if a matrix is not SPD or the sizes differ, or \( \mathcal B^2 \) overflows
     */
    public static double squaredBuresDistance(DMatrixRMaj s0, DMatrixRMaj s1) {
        int d = Arguments.square("s0", s0);
        Arguments.shape("s1", s1, d, d);
        return Arguments.finiteResult("s0 and s1", "the squared Bures distance",
                bures(centred("s0", s0, d), centred("s1", s1, d)));
    }

    /**
     * The optimal (Monge) map from \( \mu \) to \( \nu \): \( T(x) = m_1 + A (x - m_0) \) with the SPD matrix
     * \( A = \Sigma_0^{-1/2}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2}\Sigma_0^{-1/2} \), the unique SPD solution
     * of \( A \Sigma_0 A = \Sigma_1 \) (Prop. 4.3), so \( T_\sharp\mu = \nu \).
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, or the map's offset overflows
     */
    public static AffineMap mongeMap(GaussianMeasure mu, GaussianMeasure nu) {
        checkPair(mu, nu);
        return centredMap("mu and nu", mapMatrix(mu, nu), mu.mean(), nu.mean());
    }

    /**
     * The map \( x \mapsto m_1 + A(x - m_0) \), its offset \( m_1 - A m_0 \) checked against overflow first (naming
     * {@code names}, the measures).
     */
    static AffineMap centredMap(String names, double[] a, double[] m0, double[] m1) {
        int d = m0.length;
        for (int i = 0; i < d; i++) {
            double s = m1[i];
            for (int j = 0; j < d; j++) {
                s -= a[i * d + j] * m0[j];
            }
            Arguments.finiteResult(names, "the map's offset m_1 - A m_0", s);
        }
        return AffineMap.centred(DMatrixRMaj.wrap(d, d, a), m0, m1);
    }

    /**
     * McCann's displacement interpolation (the \( W_2 \) geodesic) at time \( t \in [0, 1] \):
     * \( \mu_t = ((1-t)\mathrm{Id} + t T)_\sharp \mu
     * = \mathcal{N}\big((1-t) m_0 + t m_1,\ ((1-t) I + t A)\, \Sigma_0\, ((1-t) I + t A)\big) \)
     * (Prop. 4.3; docs/closed-forms.md CF-12). It has constant speed: \( W_2(\mu_s, \mu_t) = |t - s|\, W_2(\mu, \nu) \).
     * Returns {@code mu} itself at {@code t = 0} and {@code nu} at {@code t = 1}.
     *
     * @throws IllegalArgumentException if {@code t} is not in [0, 1], or the measures are null or of different
     *                                  dimensions
     */
    public static GaussianMeasure geodesic(GaussianMeasure mu, GaussianMeasure nu, double t) {
        checkPair(mu, nu);
        Arguments.inRange("t", t, 0, 1);
        if (t == 0) {
            return mu;
        }
        if (t == 1) {
            return nu;
        }
        int d = mu.dimension();
        double[] a = mapMatrix(mu, nu);
        double[] interp = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            interp[i] = t * a[i];
        }
        for (int i = 0; i < d; i++) {
            interp[i * d + i] += 1 - t;
        }
        DMatrixRMaj s;
        try {
            s = Spd.congruence(Pair.matrix(interp, d), mu.covariance());
        } catch (IllegalArgumentException e) {
            // both factors are finite and square: the only failure left is an overflow
            throw new IllegalArgumentException("mu and nu: the geodesic's covariance overflows double precision", e);
        }
        double[] m0 = mu.mean();
        double[] m1 = nu.mean();
        double[] m = new double[d];
        for (int i = 0; i < d; i++) {
            m[i] = (1 - t) * m0[i] + t * m1[i];
        }
        return GaussianMeasure.of(m, s);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * \( \mathcal{B}^2(\Sigma_\mu, \Sigma_\nu) \) for validated measures of equal dimension, rescaled by
     * {@link CovarianceScale} when the covariances are far from 1 ({@code +Infinity} only if \( \mathcal B^2 \) itself
     * exceeds the double range).
     */
    static double bures(GaussianMeasure mu, GaussianMeasure nu) {
        int d = mu.dimension();
        double[] s0 = mu.covariance().data;
        double[] s1 = nu.covariance().data;
        if (Arrays.equals(s0, s1)) {
            return 0;
        }
        return bures(mu.choleskyFactor().data, s0, s1, d);
    }

    /**
     * \( \mathcal{B}^2 \) from the Cholesky factor {@code l} of {@code s0} and the two covariances (all flat), on
     * covariances rescaled by {@link CovarianceScale#pairExponent} when their product is far from 1.
     */
    private static double bures(double[] l, double[] s0, double[] s1, int d) {
        int k = CovarianceScale.pairExponent(s0, s1);
        if (k == 0) {
            return buresUnscaled(l, s0, s1, d);
        }
        return Math.scalb(buresUnscaled(CovarianceScale.scaled(l, k), CovarianceScale.scaled(s0, 2 * k),
                CovarianceScale.scaled(s1, 2 * k), d), 2 * k);
    }

    /** \( \mathcal{B}^2 \) as computed, without rescaling. */
    private static double buresUnscaled(double[] l, double[] s0, double[] s1, int d) {
        Pair pair = Pair.of(l, s0, s1, d);
        double[] lambda = pair.squaredSingularValues();
        double traces = FlatMatrices.trace(s0, d) + FlatMatrices.trace(s1, d);
        double rootSum = 0;
        for (double v : lambda) {
            rootSum += Math.sqrt(v);
        }
        double b2 = traces - 2 * rootSum;
        if (b2 > REFINE_BELOW * traces) {
            return b2;
        }
        double refined = buresWithoutCancellation(pair);
        // a Cholesky factor with entries that underflowed in a rescaling cannot be inverted: keep the trace form
        return Double.isFinite(refined) ? refined : Math.max(b2, 0);
    }

    /** \( \lVert L^{-\top}(L^\top L - M^{1/2}) \rVert_F^2 \), exact for \( \mathcal{B}^2 \) and free of cancellation. */
    private static double buresWithoutCancellation(Pair pair) {
        int d = pair.d;
        double[] l = pair.l;
        Pair.Spectrum sp = pair.spectrum();
        double[] root = new double[d];
        for (int i = 0; i < d; i++) {
            root[i] = Math.sqrt(sp.values()[i]);
        }
        double[] x = FlatMatrices.scaledProduct(sp.vectors(), root, sp.vectors(), d);
        // X = L^T L - M^{1/2}
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double g = 0;
                for (int k = Math.max(i, j); k < d; k++) {
                    g += l[k * d + i] * l[k * d + j];
                }
                x[i * d + j] = g - x[i * d + j];
            }
        }
        FlatMatrices.solveLowerTransposedInPlace(l, x, d);
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return sum;
    }

    /**
     * The flat Monge matrix \( A = L^{-\top} M^{1/2} L^{-1} \), which does not change when both covariances are
     * scaled by the same factor (so it is computed on rescaled ones when they are far from 1, see
     * {@link CovarianceScale}).
     */
    static double[] mapMatrix(GaussianMeasure mu, GaussianMeasure nu) {
        Pair pair = Pair.scaled(mu, nu);
        Pair.Spectrum sp = pair.spectrum();
        double[] root = new double[pair.d];
        for (int i = 0; i < pair.d; i++) {
            root[i] = Math.sqrt(sp.values()[i]);
        }
        return pair.sandwichInverse(sp, root);
    }

    static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static double meanDistanceSquared(double[] m0, double[] m1) {
        double s = 0;
        for (int i = 0; i < m0.length; i++) {
            double diff = m0[i] - m1[i];
            s += diff * diff;
        }
        return s;
    }

    static void checkPair(GaussianMeasure mu, GaussianMeasure nu) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("nu", nu);
        Arguments.sameDimension("nu", nu.dimension(), mu.dimension(), "mu");
    }

    /** \( \mathcal{N}(0, S) \), validated once (SPD), with errors naming the argument. */
    static GaussianMeasure centred(String name, DMatrixRMaj s, int d) {
        Arguments.spd(name, s);
        return GaussianMeasure.of(new double[d], s);
    }
}
