package org.measureflow.flowmatching.interpolant;

import org.measureflow.core.Arguments;

/**
 * The variance-preserving (VP) schedule of diffusion models, written as an interpolant (survey section 3,
 * "connection with diffusion models": flow matching with a Gaussian latent is a diffusion model up to an exponential
 * change of time).
 *
 * <p>The noising process is the Ornstein&ndash;Uhlenbeck SDE \( dY_s = -\tfrac12 b(s) Y_s\,ds + \sqrt{b(s)}\,dW_s \),
 * \( Y_0 \) = data, with the linear rate \( b(s) = b_{\min} + s (b_{\max} - b_{\min}) \) of Ho et al. and Song et al.
 * Its solution is \( Y_s = e^{-B(s)/2} Y_0 + \sqrt{1 - e^{-B(s)}}\, Z \), \( B(s) = \int_0^s b \), \( Z \sim
 * \mathcal N(0, I) \). Running it backwards, \( s = 1 - t \), gives the interpolant
 * \[ \beta_t = e^{-B(1-t)/2}, \qquad \alpha_t = \sqrt{1 - \beta_t^2}, \qquad
 * \dot\beta_t = \tfrac12 b(1-t)\,\beta_t, \qquad \dot\alpha_t = -\beta_t \dot\beta_t / \alpha_t , \]
 * so \( \alpha_t^2 + \beta_t^2 = 1 \): a standard latent and unit-variance data keep unit variance along the path.
 * The horizon is finite, so at \( t = 0 \) a trace of data remains: \( \beta_0 = e^{-B(1)/2} \) (about
 * \( 6.6 \cdot 10^{-3} \) for the defaults \( b_{\min} = 0.1, b_{\max} = 20 \)). At \( t = 1 \), \( \dot\alpha \)
 * is infinite, as the \( 1/(1-t) \) of the linear field.
 *
 * <p>The reverse-time SDE of this diffusion has the drift \( v_t + \tfrac12 g_t^2 \nabla\log\rho_t \) with
 * \( g_t^2 = b(1 - t) \) ({@link #diffusionSquared(double)}); see
 * {@link org.measureflow.flowmatching.sampling.DiffusionSampler}.
 */
public final class VariancePreservingInterpolant implements Interpolant {
    /** Default smallest noise rate \( b_{\min} \). */
    public static final double DEFAULT_RATE_MIN = 0.1;
    /** Default largest noise rate \( b_{\max} \). */
    public static final double DEFAULT_RATE_MAX = 20;

    private final double rateMin;
    private final double rateMax;

    private VariancePreservingInterpolant(double rateMin, double rateMax) {
        this.rateMin = rateMin;
        this.rateMax = rateMax;
    }

    /** The schedule with \( b_{\min} = 0.1 \), \( b_{\max} = 20 \). */
    public static VariancePreservingInterpolant withDefaults() {
        return new VariancePreservingInterpolant(DEFAULT_RATE_MIN, DEFAULT_RATE_MAX);
    }

    /**
     * The schedule with the linear noise rate from {@code rateMin} (at the data end) to {@code rateMax} (at the
     * latent end).
     *
     * @throws IllegalArgumentException unless {@code 0 &lt; rateMin <= rateMax}, both finite
     */
    public static VariancePreservingInterpolant of(double rateMin, double rateMax) {
        Arguments.positive("rateMin", rateMin);
        Arguments.positive("rateMax", rateMax);
        Arguments.atLeast("rateMax", rateMax, rateMin);
        return new VariancePreservingInterpolant(rateMin, rateMax);
    }

    /** \( b(s) \) at diffusion time \( s = 1 - t \). */
    private double rate(double s) {
        return rateMin + s * (rateMax - rateMin);
    }

    /** \( B(s) = \int_0^s b = b_{\min} s + (b_{\max} - b_{\min}) s^2 / 2 \). */
    private double integratedRate(double s) {
        return rateMin * s + 0.5 * (rateMax - rateMin) * s * s;
    }

    @Override
    public double beta(double t) {
        return Math.exp(-0.5 * integratedRate(1 - t));
    }

    @Override
    public double alpha(double t) {
        // sqrt(1 - e^{-B}) via expm1 keeps full relative precision near t = 1, where B is tiny.
        return Math.sqrt(-Math.expm1(-integratedRate(1 - t)));
    }

    @Override
    public double betaDot(double t) {
        return 0.5 * rate(1 - t) * beta(t);
    }

    @Override
    public double alphaDot(double t) {
        double a = alpha(t);
        return -beta(t) * betaDot(t) / a;
    }

    /**
     * The squared diffusion coefficient \( g_t^2 = b(1 - t) \) of the forward noising SDE at diffusion time
     * \( 1 - t \): the noise level of the reverse-time SDE that has this interpolant's marginals.
     */
    public double diffusionSquared(double t) {
        return rate(1 - t);
    }

    /** \( b_{\min} \). */
    public double rateMin() {
        return rateMin;
    }

    /** \( b_{\max} \). */
    public double rateMax() {
        return rateMax;
    }

    @Override
    public String toString() {
        return "VariancePreservingInterpolant[rateMin=" + rateMin + ", rateMax=" + rateMax + "]";
    }
}
