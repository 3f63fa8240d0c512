package org.measureflow.transformer.attention;

/**
 * The exponential of the attention weights \( e^{\ell_{ij} + c_j - M_i} \): arguments \( x \le 0 \) (logits
 * shifted by their row maximum), in two passes over a row that JDK 17's C2 compiles well (the first to SIMD code).
 *
 * <p>The method. With \( k = \mathrm{rint}(x/\ln 2) \) and \( r = x - k\ln 2 \), \( |r| \le \tfrac12\ln 2 \),
 * \[ e^x = 2^k e^r, \qquad e^r \approx 1 + r\Bigl(1 + r\bigl(\tfrac12 + r\, q(r)\bigr)\Bigr), \quad
 * q(r) = \sum_{m=0}^{10} \frac{r^m}{(m+3)!}. \]
 * \( k \) is rounded by adding \( 1.5\cdot 2^{52} \) to \( x \log_2 e \); \( r \) is reduced in two steps with
 * \( \ln 2 = \ell_{\mathrm{hi}} + \ell_{\mathrm{lo}} \), \( \ell_{\mathrm{hi}} \) of 42 significant bits, so that
 * \( k \ell_{\mathrm{hi}} \) and \( x - k\ell_{\mathrm{hi}} \) are exact (Cody and Waite). The truncated Taylor
 * series errs by at most \( |r|^{14} e^{|r|}/14! \lt 10^{-17} \) relative; \( q \) is evaluated in pairs of terms
 * (Estrin's scheme), whose rounding is damped by the factor \( r^3 \le 0.042 \), and the last three steps in
 * Horner form with fused multiply-adds. Then \( 2^k \) is built from its exponent bits.
 *
 * <p>Accuracy: for \( -708 \le x \le 0 \) the result is within {@link #RELATIVE_ERROR} of \( e^x \) (tested against
 * {@link Math#exp}). Results below the smallest normal double \( 2^{-1022} \) are flushed: for \( x \lt -708.4 \)
 * the result is 0 or at most \( 2^{-1021} \), an absolute error below \( 2^{-1021} \) on a weight whose row sum is at
 * least 1 (the row maximum has weight \( e^0 \)); \( x = -\infty \) (a key of weight zero) gives exactly 0.
 */
final class AttentionExp {
    /** The relative accuracy for \( -708 \le x \le 0 \): \( 2^{-51} \approx 4.4\cdot 10^{-16} \), two units in the last
     * place. */
    static final double RELATIVE_ERROR = 0x1p-51;

    /** Arguments are clamped below at this value, so that \( k \ge -1076 \) and the exponent bits stay in range. */
    private static final double FLOOR = -745.5;
    private static final double LOG2E = 0x1.71547652b82fep0;
    private static final double ROUND = 0x1.8p52;
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);

    private AttentionExp() {
    }

    /** \( e^x \) for \( x \le 0 \), the two passes on one number (same bits as the row form). */
    static double exp(double x) {
        double[] p = {x};
        double[] t = new double[1];
        reduce(p, 0.0, t, 0, 1);
        return scaleAndSum(p, t, 0, 1);
    }

    /**
     * First pass over {@code [from, to)}, for the arguments {@code x[j] - shift}: {@code x[j]} becomes \( e^{r_j} \)
     * and {@code t[j]} holds \( k_j \) in its low bits. Loads, stores and arithmetic only, every array indexed by
     * {@code j}: C2 compiles it to SIMD code.
     */
    static void reduce(double[] x, double shift, double[] t, int from, int to) {
        for (int j = from; j < to; j++) {
            double c = Math.max(x[j] - shift, FLOOR);
            double shifted = Math.fma(c, LOG2E, ROUND);
            double k = shifted - ROUND;
            // ln 2 = 0x1.62e42fefa3800p-1 (42 bits: k times it is exact) + 0x1.ef35793c76730p-45
            double r = Math.fma(k, -0x1.ef35793c76730p-45, Math.fma(k, -0x1.62e42fefa3800p-1, c));
            double r2 = r * r;
            double r4 = r2 * r2;
            // q(r) = sum_{m <= 10} r^m / (m+3)!, by Estrin's scheme: pairs of terms, then r^2 and r^4
            double q8 = Math.fma(r2, 1.0 / 6227020800.0, Math.fma(r, 1.0 / 479001600, 1.0 / 39916800));
            double q47 = Math.fma(r2, Math.fma(r, 1.0 / 3628800, 1.0 / 362880), Math.fma(r, 1.0 / 40320, 1.0 / 5040));
            double q03 = Math.fma(r2, Math.fma(r, 1.0 / 720, 1.0 / 120), Math.fma(r, 1.0 / 24, 1.0 / 6));
            double q = Math.fma(r4, Math.fma(r4, q8, q47), q03);
            double e = Math.fma(r, Math.fma(r, Math.fma(r, q, 0.5), 1.0), 1.0);
            x[j] = e;
            t[j] = shifted;
        }
    }

    /**
     * Second pass over {@code [from, to)}: {@code p[j]} becomes \( p_j 2^{k_j} \) (0 when \( 2^{k_j} \) is below the
     * smallest normal double); returns the sum of the new values, added in order of {@code j} to one accumulator
     * starting at 0.
     */
    static double scaleAndSum(double[] p, double[] t, int from, int to) {
        double sum = 0;
        for (int j = from; j < to; j++) {
            long biased = Double.doubleToRawLongBits(t[j]) - ROUND_BITS + 1023;
            biased &= ~(biased >> 63); // k below -1023: exponent field 0, the factor is 0
            double v = p[j] * Double.longBitsToDouble(biased << 52);
            p[j] = v;
            sum += v;
        }
        return sum;
    }
}
