package org.measureflow.core.ode;

import java.util.Arrays;

import org.measureflow.core.Arguments;

/**
 * The noise term of an It&ocirc; SDE \( dX_t = b(t, X_t)\,dt + \sigma(t, X_t)\,dW_t \) on a flat state
 * \( X \in \mathbb{R}^N \), for {@link EulerMaruyama}: given Brownian increments \( \Delta W \) over a step, it
 * writes \( \sigma(t, y)\,\Delta W \). The Brownian motion has one independent coordinate per state coordinate, so
 * {@code dw} and {@code out} both have length \( N \). Implementations must not write to {@code y} or
 * {@code dw}, and must not allocate.
 */
@FunctionalInterface
public interface Diffusion {
    /**
     * Writes \( \sigma(t, y)\,\Delta W \) into {@code out}.
     *
     * @param t   time at the start of the step
     * @param y   state at the start of the step (read only)
     * @param dw  independent \( \mathcal N(0, h) \) increments, one per coordinate (read only)
     * @param out receives the noise increment, same length as {@code y}
     */
    void increment(double t, double[] y, double[] dw, double[] out);

    /**
     * Additive isotropic noise \( \sigma(t, y) = \sigma I \): writes \( \sigma\,\Delta W \). With
     * \( \sigma = \sqrt 2 \) and drift \( -\nabla V \) this is the Langevin diffusion whose law solves the
     * Fokker&ndash;Planck equation \( \partial_t \rho = \mathrm{div}(\rho \nabla V) + \Delta \rho \).
     *
     * @param sigma the noise amplitude, finite
     * @throws IllegalArgumentException if {@code sigma} is not finite
     */
    static Diffusion scalar(double sigma) {
        Arguments.finite("sigma", sigma);
        return (t, y, dw, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = sigma * dw[i];
            }
        };
    }

    /**
     * No noise, \( \sigma = 0 \): writes zeros, so {@link EulerMaruyama} reduces to the explicit Euler method (the
     * random generator is still advanced as with any other diffusion).
     */
    static Diffusion none() {
        return (t, y, dw, out) -> Arrays.fill(out, 0.0);
    }
}
