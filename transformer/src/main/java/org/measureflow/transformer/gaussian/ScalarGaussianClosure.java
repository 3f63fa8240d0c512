package org.measureflow.transformer.gaussian;

import org.measureflow.core.Arguments;

/**
 * The closed-form solution of the one-dimensional Gaussian closure of softmax attention (docs/closed-forms.md CF-16; survey Thm.
 * 7.1): with scalar weights \( q, k, v \) and \( \mu_0 = \mathcal N(m_0, s_0) \), the variance solves the Riccati
 * law \( \dot s = 2 v k q s^2 \) and the mean \( \dot m = v (1 + k q s) m \), so that
 * \[ s(t) = \frac{s_0}{1 - 2 v k q s_0 t}, \qquad m(t) = m_0 e^{v t} (1 - 2 v k q s_0 t)^{-1/2}, \]
 * which blow up at \( t^* = 1/(2 v k q s_0) \) when \( vkq > 0 \). The reference for
 * {@link GaussianAttentionClosure} in \( d = 1 \).
 */
public final class ScalarGaussianClosure {
    private ScalarGaussianClosure() {
    }

    /**
     * The blow-up time \( t^* = 1/(2 v k q s_0) \), or \( +\infty \) when \( v k q \le 0 \) (the variance then stays
     * bounded: it collapses like \( 1/(2|vkq| t) \) if \( vkq &lt; 0 \)).
     *
     * @param q  the query weight, finite
     * @param k  the key weight, finite
     * @param v  the value weight, finite
     * @param s0 the initial variance, finite and {@code > 0}
     * @return \( t^* \)
     * @throws IllegalArgumentException if a weight is not finite or \( s_0 \le 0 \)
     */
    public static double blowUpTime(double q, double k, double v, double s0) {
        double c = rate(q, k, v, s0);
        return c > 0 ? 1.0 / (2 * c * s0) : Double.POSITIVE_INFINITY;
    }

    /**
     * The variance \( s(t) = s_0 / (1 - 2 v k q s_0 t) \), for \( 0 \le t &lt; t^* \).
     *
     * @param q  the query weight, finite
     * @param k  the key weight, finite
     * @param v  the value weight, finite
     * @param s0 the initial variance, finite and {@code > 0}
     * @param t  the time, {@code 0 <= t <} {@link #blowUpTime}
     * @return \( s(t) \)
     * @throws IllegalArgumentException on invalid weights or a time outside \( [0, t^*) \)
     */
    public static double variance(double q, double k, double v, double s0, double t) {
        return s0 / denominator(q, k, v, s0, t);
    }

    /**
     * The mean \( m(t) = m_0 e^{v t} (1 - 2 v k q s_0 t)^{-1/2} \), for \( 0 \le t &lt; t^* \).
     *
     * @param q  the query weight, finite
     * @param k  the key weight, finite
     * @param v  the value weight, finite
     * @param m0 the initial mean, finite
     * @param s0 the initial variance, finite and {@code > 0}
     * @param t  the time, {@code 0 <= t <} {@link #blowUpTime}
     * @return \( m(t) \)
     * @throws IllegalArgumentException on invalid weights or a time outside \( [0, t^*) \)
     */
    public static double mean(double q, double k, double v, double m0, double s0, double t) {
        Arguments.finite("m0", m0);
        return Arguments.finiteResult("t", "the mean m(t)", m0 * Math.exp(v * t) / Math.sqrt(denominator(q, k, v, s0,
                t)));
    }

    private static double rate(double q, double k, double v, double s0) {
        Arguments.finite("q", q);
        Arguments.finite("k", k);
        Arguments.finite("v", v);
        Arguments.positive("s0", s0);
        if (q == 0 || k == 0 || v == 0) {
            return 0; // exactly, even where the product of the other two overflows
        }
        return Arguments.finiteResult("q, k and v", "the product v k q", v * k * q);
    }

    private static double denominator(double q, double k, double v, double s0, double t) {
        double c = rate(q, k, v, s0);
        Arguments.nonNegative("t", t);
        double den = 1 - 2 * c * s0 * t;
        if (!(den > 0)) {
            // a bound computed from the other arguments, strict: beyond it the variance is infinite
            throw new IllegalArgumentException("t must be < the blow-up time " + blowUpTime(q, k, v, s0)
                    + " (the variance is infinite from there), got " + t);
        }
        return den;
    }
}
