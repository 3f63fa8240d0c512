package org.measureflow.ot.gaussian;

import org.measureflow.core.Arguments;

/**
 * Settings of the Bures barycentre fixed-point iteration ({@link BuresWasserstein#barycenter}). Immutable; start
 * from {@link #defaults()} and change settings with the withers, e.g.
 * {@code BarycenterOptions.defaults().tolerance(1e-10).maxIterations(200)}.
 *
 * <p>Defaults: {@code tolerance = 1e-12}, {@code maxIterations = 1000}.
 *
 * @param tolerance     the iteration stops once the relative change
 *                      \( \lVert \Sigma_{n+1} - \Sigma_n \rVert_F / \lVert \Sigma_n \rVert_F \) is at most this (> 0)
 * @param maxIterations the largest number of fixed-point steps (> 0); reaching it is reported, not thrown
 */
public record BarycenterOptions(double tolerance, int maxIterations) {
    /** Validates the settings. */
    public BarycenterOptions {
        Arguments.positive("tolerance", tolerance);
        Arguments.positive("maxIterations", maxIterations);
    }

    /** The defaults: tolerance {@code 1e-12}, at most {@code 1000} iterations. */
    public static BarycenterOptions defaults() {
        return new BarycenterOptions(1e-12, 1000);
    }

    /** A copy with the given relative-change tolerance (> 0). */
    public BarycenterOptions tolerance(double value) {
        return new BarycenterOptions(value, maxIterations);
    }

    /** A copy with the given iteration cap (> 0). */
    public BarycenterOptions maxIterations(int value) {
        return new BarycenterOptions(tolerance, value);
    }
}
