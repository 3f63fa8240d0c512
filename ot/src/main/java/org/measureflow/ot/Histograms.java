package org.measureflow.ot;

import org.measureflow.core.Arguments;

/**
 * Validation of the marginals \( a \in \Sigma_n \), \( b \in \Sigma_m \) of a transport problem (survey eq. 10):
 * non-negative, finite, summing to 1.
 */
public final class Histograms {
    /** Accepted deviation of \( \sum_i a_i \) from 1 (relative rounding of typical inputs). */
    public static final double SUM_TOLERANCE = 1e-9;

    private Histograms() {
    }

    /**
     * Checks that {@code a} has length {@code n}, non-negative finite entries and sum 1 within
     * {@link #SUM_TOLERANCE}; returns it (not copied).
     *
     * @throws IllegalArgumentException naming {@code name} otherwise
     */
    public static double[] requireProbability(String name, double[] a, int n) {
        Arguments.notNull(name, a);
        Arguments.length(name, a.length, n);
        double sum = Arguments.weights(name, a);
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(name + " must sum to 1 (within " + SUM_TOLERANCE + "), got " + sum
                    + "; use Histograms.normalised to rescale");
        }
        return a;
    }

    /** A copy of {@code a} divided by its sum (non-negative finite entries with a positive sum). */
    public static double[] normalised(String name, double[] a) {
        double sum = Arguments.weights(name, a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / sum;
        }
        return out;
    }

    /** The uniform histogram \( (1/n, \dots, 1/n) \). */
    public static double[] uniform(int n) {
        Arguments.positive("n", n);
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        return a;
    }
}
