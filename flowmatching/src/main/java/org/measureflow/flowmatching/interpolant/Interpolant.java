package org.measureflow.flowmatching.interpolant;

/**
 * A stochastic interpolant \( X_t = \alpha_t X_0 + \beta_t X_1 \), \( t \in [0, 1] \), between a latent sample
 * \( X_0 \) (coefficient \( \alpha \)) and a data sample \( X_1 \) (coefficient \( \beta \)) (survey section 3.1,
 * the interpolation behind eq. 7). Its velocity along one pair is
 * \( \dot X_t = \dot\alpha_t X_0 + \dot\beta_t X_1 \), and the flow-matching field is the conditional expectation of
 * that velocity given \( X_t \) (Prop. 3.1). Implementations are immutable.
 *
 * <p>Two facts every implementation provides: \( \alpha_1 = 0 \) and \( \beta_1 = 1 \) (the path ends on the data),
 * and \( \alpha_t > 0 \) for \( t &lt; 1 \). At \( t = 0 \) the path starts on the latent (\( \alpha_0 = 1,
 * \beta_0 = 0 \)) for the linear interpolant, and only approximately for a diffusion schedule, whose horizon is
 * finite.
 */
public interface Interpolant {
    /** Latent coefficient \( \alpha_t \). */
    double alpha(double t);

    /** Data coefficient \( \beta_t \). */
    double beta(double t);

    /** Time derivative \( \dot\alpha_t \). */
    double alphaDot(double t);

    /** Time derivative \( \dot\beta_t \). */
    double betaDot(double t);

    /**
     * Writes \( x_t = \alpha_t x_0 + \beta_t x_1 \) for {@code n} points of dimension {@code d}.
     *
     * @param t   time in \( [0, 1] \)
     * @param x0  latent points, flat row-major, length at least {@code n*d}
     * @param x1  data points, same layout
     * @param out receives \( x_t \); may not alias {@code x0} or {@code x1}
     */
    default void interpolate(double t, double[] x0, double[] x1, double[] out) {
        double a = alpha(t);
        double b = beta(t);
        for (int i = 0; i < out.length; i++) {
            out[i] = a * x0[i] + b * x1[i];
        }
    }

    /** Writes the conditional velocity \( \dot\alpha_t x_0 + \dot\beta_t x_1 \), the regression target of eq. 8. */
    default void velocity(double t, double[] x0, double[] x1, double[] out) {
        double a = alphaDot(t);
        double b = betaDot(t);
        for (int i = 0; i < out.length; i++) {
            out[i] = a * x0[i] + b * x1[i];
        }
    }
}
