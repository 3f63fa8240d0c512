package org.measureflow.ot.gaussian;

/**
 * Package-private: the exact rescaling that keeps the Gaussian closed forms of this package inside the double range.
 * They are homogeneous in the covariances: with every covariance multiplied by \( c > 0 \) (means by \( \sqrt c \),
 * \( \varepsilon \) by \( c \)), \( \mathcal B^2 \), \( W_2^2 \), \( \mathrm{OT}_\varepsilon \), the transport cost,
 * the cross-covariance and the barycentre's covariance are multiplied by \( c \), and the Monge and entropic map
 * matrices do not change. The products of the method (\( L^\top \Sigma_1 L \) is a product of two covariances, and
 * the eigensolvers square its entries) overflow for covariances near \( 10^{154} \) and underflow near
 * \( 10^{-154} \); so covariances whose largest entry is far from 1 are scaled by \( c = 4^{-k} \), a power of two,
 * which is exact (entries that underflow are negligible next to the largest one), and the result is scaled back.
 * Moderate covariances are used as they are (a pair whose largest entries multiply to within
 * \( [2^{-200}, 2^{200}] \), a set whose largest entry is within \( [2^{-100}, 2^{100}] \)), so ordinary inputs give
 * the same bits as without this class.
 */
final class CovarianceScale {
    /** Largest entries with binary exponents in {@code [-LIMIT, LIMIT]} are left alone. */
    static final int LIMIT = 100;

    private CovarianceScale() {
    }

    /**
     * For many covariances that enter products with a mean of themselves (the barycentre): 0 when the largest entry
     * in magnitude over all {@code matrices} has a binary exponent in {@code [-LIMIT, LIMIT]}; otherwise the {@code k}
     * with \( 4^{-k} \max|S| \in [1, 4) \).
     */
    static int exponent(double[]... matrices) {
        int e = Math.getExponent(maxAbs(matrices));
        return Math.abs(e) <= LIMIT ? 0 : Math.floorDiv(e, 2);
    }

    /**
     * For a pair whose product \( L^\top \Sigma_1 L \) is formed: 0 when the binary exponents of the largest entries
     * add up to at most {@code 2 LIMIT} in magnitude (then the product is moderate, whatever each factor's size);
     * otherwise the {@code k} with \( 4^{-2k} \max|\Sigma_0| \max|\Sigma_1| \in [1, 16) \), which centres the product
     * and keeps each scaled covariance within \( 2^{\pm 1024} \) of the other's reciprocal.
     */
    static int pairExponent(double[] s0, double[] s1) {
        int e = Math.getExponent(maxAbs(s0)) + Math.getExponent(maxAbs(s1));
        return Math.abs(e) <= 2 * LIMIT ? 0 : Math.floorDiv(e, 4);
    }

    private static double maxAbs(double[]... matrices) {
        double max = 0;
        for (double[] m : matrices) {
            for (double v : m) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    /** A new array: every entry times \( 2^{-e} \) (exact unless it underflows). */
    static double[] scaled(double[] values, int e) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.scalb(values[i], -e);
        }
        return out;
    }

    /**
     * \( \varepsilon \cdot 4^{-k} \), kept inside \( [2^{-1022}, 2^{1020}] \): an epsilon that leaves the range
     * after scaling is negligible (or overwhelming) next to the covariances, and the closed forms are continuous in it.
     */
    static double epsilon(double epsilon, int k) {
        return Math.min(Math.max(Math.scalb(epsilon, -2 * k), Double.MIN_NORMAL), Math.scalb(1.0, 1020));
    }
}
