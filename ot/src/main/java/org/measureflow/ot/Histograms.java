package org.measureflow.ot;

import org.measureflow.core.Arguments;

/**
 * Making the marginals \( a \in \Sigma_n \), \( b \in \Sigma_m \) of a transport problem (survey eq. 10):
 * non-negative, finite, summing to 1. Checking them is {@link Arguments#probabilityVector(String, double[], int)}.
 */
public final class Histograms {
    /**
     * Accepted deviation of \( \sum_i a_i \) from 1: the same number as
     * {@link Arguments#PROBABILITY_SUM_TOLERANCE}, the tolerance of the checks.
     */
    public static final double SUM_TOLERANCE = Arguments.PROBABILITY_SUM_TOLERANCE;

    private Histograms() {
    }

    /**
     * A copy of {@code a} divided by its sum.
     *
     * @param name the argument's name, for the message
     * @param a    non-negative finite entries with a positive finite sum (not modified)
     * @return \( a / \sum_i a_i \)
     * @throws IllegalArgumentException naming {@code name} if {@code a} is null, empty or breaks the rule
     */
    public static double[] normalised(String name, double[] a) {
        double sum = Arguments.weights(name, a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / sum;
        }
        return out;
    }

    /**
     * The uniform histogram \( (1/n, \dots, 1/n) \).
     *
     * @param n the length, {@code > 0}
     * @return a new array
     * @throws IllegalArgumentException if {@code n <= 0}
     */
    public static double[] uniform(int n) {
        Arguments.positive("n", n);
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        return a;
    }
}
