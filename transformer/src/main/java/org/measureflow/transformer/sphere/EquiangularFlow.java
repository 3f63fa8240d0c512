package org.measureflow.transformer.sphere;

import org.measureflow.core.Arguments;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.transformer.attention.Normalisation;

/**
 * The equiangular solution of the clustering dynamics on the sphere (docs/closed-forms.md CF-18; Geshkovski et al.): with
 * \( Q = \beta I \), \( K = V = I \) and \( n \) tokens of uniform weights,
 * \( \dot x_i = P_{x_i}\big(\sum_j e^{\beta\langle x_i, x_j\rangle} x_j / Z_i\big) \), a configuration with
 * \( \langle x_i, x_j\rangle = \rho \) for all \( i \ne j \) stays equiangular, and its cosine solves
 * \[ \dot\rho = \frac{2 e^{\beta\rho} (1-\rho)(1+(n-1)\rho)}{e^\beta + (n-1) e^{\beta\rho}} \quad
 * (Z_i = \sum_k e^{\beta\langle x_i,x_k\rangle}, \text{ softmax}), \qquad
 * \dot\rho = \frac2n e^{\beta\rho} (1-\rho)(1+(n-1)\rho) \quad (Z_i = n, \text{ unnormalised}). \]
 * Both have the stable equilibrium \( \rho = 1 \) (one cluster) and the unstable one \( \rho = -1/(n-1) \).
 */
public final class EquiangularFlow {
    private EquiangularFlow() {
    }

    /**
     * The right-hand side \( \dot\rho \) above.
     *
     * @param rho           the cosine \( \rho \), finite
     * @param n             the number of tokens, {@code >= 2}
     * @param beta          the inverse temperature \( \beta \), finite
     * @param normalisation softmax (\( Z_i = \sum_k e^{\beta\langle x_i,x_k\rangle} \)) or unnormalised
     *                      (\( Z_i = n \))
     * @return \( \dot\rho \)
     * @throws IllegalArgumentException if {@code n < 2}, {@code rho} or {@code beta} is not finite,
     *                                  {@code normalisation} is null, or the rate overflows (unnormalised, large
     *                                  \( \beta\rho \))
     */
    public static double rate(double rho, int n, double beta, Normalisation normalisation) {
        Arguments.finite("rho", rho);
        Arguments.finite("beta", beta);
        Arguments.notNull("normalisation", normalisation);
        Arguments.atLeast("n", n, 2);
        return Arguments.finiteResult("beta", "the rate", unchecked(rho, n, beta,
                normalisation == Normalisation.SOFTMAX));
    }

    private static double unchecked(double rho, int n, double beta, boolean softmax) {
        double common = 2 * (1 - rho) * (1 + (n - 1) * rho);
        if (common == 0) {
            return 0; // a fixed point, even where the exponential below overflows
        }
        if (softmax) {
            // e^{beta rho} / (e^beta + (n-1) e^{beta rho}) = 1 / (e^{beta (1 - rho)} + n - 1), without overflow
            return common / (Math.exp(beta * (1 - rho)) + (n - 1));
        }
        return common * Math.exp(beta * rho) / n;
    }

    /**
     * \( \rho(t) \) from \( \rho(0) = \rho_0 \), integrated by {@code integrator}.
     *
     * @param rho0          the initial cosine, finite
     * @param n             the number of tokens, {@code >= 2}
     * @param beta          the inverse temperature, finite
     * @param normalisation softmax or unnormalised
     * @param t             the time, finite and {@code >= 0}
     * @param integrator    the ODE method
     * @return \( \rho(t) \)
     * @throws IllegalArgumentException on invalid arguments or a negative or non-finite {@code t}, or (naming
     *                                  {@code integrator}) if the integrator fails: the flow stays in
     *                                  \( [-1/(n-1), 1] \), so an overflowing state means a step too large for
     *                                  this \( \beta \)
     */
    public static double solve(double rho0, int n, double beta, Normalisation normalisation, double t,
                               OdeIntegrator integrator) {
        rate(rho0, n, beta, normalisation);
        Arguments.nonNegative("t", t);
        Arguments.notNull("integrator", integrator);
        boolean softmax = normalisation == Normalisation.SOFTMAX;
        double[] y = {rho0};
        try {
            integrator.integrate(OdeSystem.of(1, (s, r, dr) -> dr[0] = unchecked(r[0], n, beta, softmax)), 0, y, t);
        } catch (IllegalStateException e) {
            // the integrator's own failure (an overflowing state, an underflowing step): for this bounded flow,
            // \rho in [-1/(n-1), 1], it means that the method is unstable at this beta
            throw new IllegalArgumentException("integrator: " + e.getMessage() + " (beta = " + beta + ")", e);
        }
        return y[0];
    }
}
