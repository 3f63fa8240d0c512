package org.measureflow.ot.sinkhorn;

/**
 * A fast exponential for the Gibbs kernels' inner loops: \( e^x \) to within {@link #RELATIVE_ERROR} (about two
 * units in the last place) of the correctly rounded value, over the whole range of {@code double}, without JVM flags
 * and in a form the JIT compiler vectorises.
 *
 * <p>The method. With \( k = \mathrm{rint}(x/\ln 2) \) and \( r = x - k\ln 2 \), \( |r| \le \tfrac12\ln 2 \approx
 * 0.3466 \),
 * \[ e^x = 2^k\, e^r, \qquad e^r \approx \sum_{q=0}^{13} \frac{r^q}{q!}. \]
 * <ul>
 * <li>Range reduction: \( k \) is rounded to nearest by adding and subtracting \( 1.5\cdot 2^{52} \) to
 * \( x\log_2 e \) (one fused multiply-add), and \( r = (x - k\,\ell_{\mathrm{hi}}) - k\,\ell_{\mathrm{lo}} \) with
 * \( \ln 2 = \ell_{\mathrm{hi}} + \ell_{\mathrm{lo}} \), \( \ell_{\mathrm{hi}} \) of 42 significant bits (Cody and
 * Waite): \( k\ell_{\mathrm{hi}} \) is exact for \( |k| \lt 2^{11} \) and so is \( x - k\ell_{\mathrm{hi}} \), so
 * \( r \) carries one rounding, at most \( 2^{-55} \) absolute.</li>
 * <li>The polynomial: the Taylor polynomial of degree 13, in Horner form with fused multiply-adds; its truncation
 * error is at most \( \frac{|r|^{14}}{14!}\,e^{|r|} \le 6\cdot 10^{-18} e^r \) on \( |r| \le \tfrac12\ln 2 \), and
 * the rounding of the last two Horner steps dominates (below one and a half units in the last place).</li>
 * <li>Reconstruction: \( 2^k \) is built from its exponent bits, as the product of \( 2^{\lfloor k/2\rfloor} \) and
 * \( 2^{k - \lfloor k/2\rfloor} \), both normal numbers, so \( k \) from \( -2020 \) to \( 2020 \) is covered: a
 * result in the subnormal range is rounded once (a gradual underflow as in {@link Math#exp}), a result beyond
 * {@link Double#MAX_VALUE} is \( +\infty \).</li>
 * <li>The whole range, branch-free: \( x \) is first clamped to \( [-1400, 1400] \) with {@link Math#max} and
 * {@link Math#min}, so \( x = -\infty \) (the log-weight of an atom of weight zero) gives exactly \( 0 \), every
 * \( x \lt -745.14 \) gives \( 0 \), every \( x \gt 709.79 \) gives \( +\infty \), and {@code NaN} gives {@code NaN}, as
 * {@link Math#exp}.</li>
 * </ul>
 *
 * <p>Accuracy (tested against {@link Math#exp} on seeded points of \( [-745, 709.78] \)): for results at least
 * {@link Double#MIN_NORMAL}, \( |\mathrm{exp}(x) - e^x| \le \) {@link #RELATIVE_ERROR} \( \cdot e^x \); for
 * subnormal results the one rounding of the reconstruction adds at most half the smallest subnormal,
 * \( 2^{-1075} \), absolute. The results are not the bits of {@link Math#exp} (which rounds differently in about one
 * case out of several), so sums over a kernel agree with the {@code Math.exp} path to about \( 4\cdot 10^{-16} \)
 * relative, far inside the \( 10^{-12} \) the solvers' tests allow.
 *
 * <p>Speed: {@link #exp(double)} alone is a straight-line body of about 25 floating-point operations. The kernels
 * call the two package-private stages over blocks of a row: {@code reduce} (clamping, range reduction and
 * polynomial, with only array loads and stores, which C2 compiles to SIMD code) and {@code sum} or {@code scale}
 * (the exponent bits, scalar). Every stage does the same operations in the same order as {@link #exp(double)}, so
 * the block and the scalar forms give identical bits.
 */
public final class KernelExp {
    /**
     * The documented relative accuracy of {@link #exp(double)} for results of at least {@link Double#MIN_NORMAL}:
     * \( 2^{-51} \approx 4.4\cdot 10^{-16} \) (two units in the last place; the tests check it against
     * {@link Math#exp}, itself within one unit in the last place).
     */
    public static final double RELATIVE_ERROR = 0x1p-51;

    /** \( x \) is clamped to \( [-\mathrm{CLAMP}, \mathrm{CLAMP}] \): then \( |k| \le 2020 \). */
    static final double CLAMP = 1400;
    /** \( \log_2 e \). */
    private static final double LOG2E = 0x1.71547652b82fep0;
    /** \( 1.5\cdot 2^{52} \): adding it rounds to an integer, whose bits are the low bits of the sum. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** \( \ln 2 \) rounded to 42 significant bits, so that \( k\,\ell_{\mathrm{hi}} \) is exact for \( |k| \lt 2^{11} \). */
    private static final double LN2_HI = 0x1.62e42fefa3800p-1;
    /** \( \ln 2 - \ell_{\mathrm{hi}} \), rounded. */
    private static final double LN2_LO = 0x1.ef35793c76730p-45;
    // 1/q!, q = 2..13 (the terms of degree 0 and 1 have coefficient 1)
    private static final double C2 = 1.0 / 2;
    private static final double C3 = 1.0 / 6;
    private static final double C4 = 1.0 / 24;
    private static final double C5 = 1.0 / 120;
    private static final double C6 = 1.0 / 720;
    private static final double C7 = 1.0 / 5040;
    private static final double C8 = 1.0 / 40320;
    private static final double C9 = 1.0 / 362880;
    private static final double C10 = 1.0 / 3628800;
    private static final double C11 = 1.0 / 39916800;
    private static final double C12 = 1.0 / 479001600;
    private static final double C13 = 1.0 / 6227020800.0;

    private KernelExp() {
    }

    /**
     * \( e^x \) to within {@link #RELATIVE_ERROR} relative (plus \( 2^{-1075} \) absolute for subnormal results):
     * \( 2^k P_{13}(r) \) with \( x = k\ln 2 + r \), \( |r| \le \tfrac12 \ln 2 \) (see the class comment).
     * \( e^{-\infty} = 0 \), \( e^{+\infty} = +\infty \), {@code NaN} gives {@code NaN}, underflow gives 0 and
     * overflow \( +\infty \), as {@link Math#exp}.
     *
     * @param x any double
     * @return \( e^x \)
     */
    public static double exp(double x) {
        double c = Math.max(-CLAMP, Math.min(CLAMP, x));
        double t = Math.fma(c, LOG2E, SHIFTER);
        return pow2(polynomial(c, t), t);
    }

    /** \( P_{13}(r) \) for \( r = c - k\ln 2 \), \( k \) the integer in the low bits of {@code t}. */
    private static double polynomial(double c, double t) {
        double kd = t - SHIFTER;
        double r = Math.fma(kd, -LN2_HI, c);
        r = Math.fma(kd, -LN2_LO, r);
        double p = Math.fma(r, C13, C12);
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1.0);
        return Math.fma(p, r, 1.0);
    }

    /** \( p \cdot 2^{k} \) for the integer \( |k| \le 2020 \) in the low bits of {@code t}, as two normal factors. */
    private static double pow2(double p, double t) {
        long k = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        long k1 = k >> 1;
        return p * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k - k1 + 1023) << 52);
    }

    /**
     * First stage over a block: {@code x[j]} becomes \( P_{13}(r_j) \) and {@code t[j]} the shifted value holding
     * \( k_j \), for {@code j} in {@code [from, to)}. Only loads, stores and arithmetic: C2 vectorises this loop.
     */
    static void reduce(double[] x, double[] t, int from, int to) {
        for (int j = from; j < to; j++) {
            double c = Math.max(-CLAMP, Math.min(CLAMP, x[j]));
            double tj = Math.fma(c, LOG2E, SHIFTER);
            x[j] = polynomial(c, tj);
            t[j] = tj;
        }
    }

    /**
     * Second stage, summing: \( s + \sum_{j} p_j 2^{k_j} \) over {@code [from, to)} after {@link #reduce}, added in
     * order of {@code j} to one accumulator that starts at {@code s} (so blocks of a row continue one sum).
     */
    static double sum(double s, double[] p, double[] t, int from, int to) {
        double acc = s;
        for (int j = from; j < to; j++) {
            acc += pow2(p[j], t[j]);
        }
        return acc;
    }

    /** Second stage, in place: {@code p[j]} becomes \( p_j 2^{k_j} = e^{x_j} \) for {@code j} in {@code [from, to)}. */
    static void scale(double[] p, double[] t, int from, int to) {
        for (int j = from; j < to; j++) {
            p[j] = pow2(p[j], t[j]);
        }
    }
}
