package org.measureflow.flowmatching.interpolant;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The piecewise-linear interpolant across \( K \ge 2 \) snapshots observed at knots
 * \( \tau_0 \lt \tau_1 \lt \dots \lt \tau_{K-1} \) (multi-marginal flow matching, Tong et al. 2023; survey section 5.4):
 * on the segment \( [\tau_k, \tau_{k+1}] \), with \( s = (\tau - \tau_k)/(\tau_{k+1} - \tau_k) \in [0, 1] \),
 * \[ X_\tau = (1 - s)\,X_k + s\,X_{k+1}, \qquad \dot X_\tau = \frac{X_{k+1} - X_k}{\tau_{k+1} - \tau_k}, \]
 * where \( (X_k, X_{k+1}) \) is a pair drawn from a coupling of the snapshots \( k \) and \( k + 1 \). The path
 * passes through every snapshot (\( X_{\tau_k} = X_k \)) and runs at constant speed on each segment; its velocity
 * jumps at the inner knots. With two knots \( 0, 1 \) it is the {@link LinearInterpolant}.
 *
 * <p>It does not implement {@link Interpolant}: that type joins one latent to one data point and is positive in its
 * latent coefficient before \( t = 1 \), whereas this path joins a different pair on each segment. Immutable; made
 * by {@link #of(double[])}.
 */
public final class PiecewiseLinearInterpolant {
    private final double[] knots;

    private PiecewiseLinearInterpolant(double[] knots) {
        this.knots = knots;
    }

    /**
     * The interpolant with the given knots.
     *
     * @param knots the times \( \tau_0 \lt \dots \lt \tau_{K-1} \) of the snapshots, finite, at least two, strictly
     *              increasing (copied)
     * @return the interpolant
     * @throws IllegalArgumentException if {@code knots} is null, has fewer than two entries, an entry that is not
     *                                  finite, or is not strictly increasing
     */
    public static PiecewiseLinearInterpolant of(double[] knots) {
        Arguments.finite("knots", knots);
        Arguments.atLeast("knots (count)", knots.length, 2);
        increasing("knots", knots);
        return new PiecewiseLinearInterpolant(knots.clone());
    }

    /**
     * Rejects a sequence that is not strictly increasing (a rule {@code Arguments} cannot state), naming the first
     * offending pair.
     *
     * @param name   the argument's name
     * @param values the sequence
     * @throws IllegalArgumentException if some {@code values[k] <= values[k-1]}
     */
    static void increasing(String name, double[] values) {
        for (int k = 1; k < values.length; k++) {
            if (!(values[k] > values[k - 1])) {
                throw new IllegalArgumentException(name + " must be strictly increasing, got " + name + "[" + (k - 1)
                        + "] = " + values[k - 1] + " and " + name + "[" + k + "] = " + values[k]);
            }
        }
    }

    /** @return the knots \( \tau_0, \dots, \tau_{K-1} \), a copy */
    public double[] knots() {
        return knots.clone();
    }

    /** @return the number of segments \( K - 1 \) */
    public int segments() {
        return knots.length - 1;
    }

    /**
     * The segment \( k \) with \( \tau \in [\tau_k, \tau_{k+1}) \); the last segment is closed, so
     * \( \tau_{K-1} \) is in segment \( K - 2 \).
     *
     * @param tau a time in \( [\tau_0, \tau_{K-1}] \)
     * @return the index \( k \in \{0, \dots, K-2\} \)
     * @throws IllegalArgumentException if {@code tau} is outside \( [\tau_0, \tau_{K-1}] \)
     */
    public int segment(double tau) {
        Arguments.inRange("tau", tau, knots[0], knots[knots.length - 1]);
        int k = 0;
        while (k < knots.length - 2 && tau >= knots[k + 1]) {
            k++;
        }
        return k;
    }

    /**
     * Writes \( x_\tau = (1 - s) x_k + s x_{k+1} \), \( s = (\tau - \tau_k)/(\tau_{k+1} - \tau_k) \), for
     * \( k = \) {@link #segment(double) segment(tau)}.
     *
     * @param tau   a time in \( [\tau_0, \tau_{K-1}] \)
     * @param start points \( x_k \) of snapshot \( k \), flat row-major
     * @param end   their partners \( x_{k+1} \) in snapshot \( k + 1 \), same layout
     * @param out   receives \( x_\tau \), the length of {@code start}; may not alias the inputs
     * @throws IllegalArgumentException if {@code tau} is outside the knots, or an array is null or of another length
     */
    public void interpolate(double tau, double[] start, double[] end, double[] out) {
        int k = segment(tau);
        checkPoints(start, end, out);
        double s = (tau - knots[k]) / (knots[k + 1] - knots[k]);
        for (int i = 0; i < out.length; i++) {
            out[i] = (1 - s) * start[i] + s * end[i];
        }
    }

    /**
     * Writes the conditional velocity \( (x_{k+1} - x_k)/(\tau_{k+1} - \tau_k) \) on the segment of {@code tau},
     * the regression target of multi-marginal flow matching.
     *
     * @param tau   a time in \( [\tau_0, \tau_{K-1}] \)
     * @param start points \( x_k \), flat row-major
     * @param end   their partners \( x_{k+1} \), same layout
     * @param out   receives the velocities, the length of {@code start}
     * @throws IllegalArgumentException if {@code tau} is outside the knots, or an array is null or of another length
     */
    public void velocity(double tau, double[] start, double[] end, double[] out) {
        int k = segment(tau);
        checkPoints(start, end, out);
        double rate = 1 / (knots[k + 1] - knots[k]);
        for (int i = 0; i < out.length; i++) {
            out[i] = rate * (end[i] - start[i]);
        }
    }

    private static void checkPoints(double[] start, double[] end, double[] out) {
        Arguments.notNull("start", start);
        Arguments.length("end", Arguments.notNull("end", end).length, start.length);
        Arguments.length("out", Arguments.notNull("out", out).length, start.length);
    }

    /** One line: {@code PiecewiseLinearInterpolant[knots=[0, 0.5, 1]]}. */
    @Override
    public String toString() {
        return "PiecewiseLinearInterpolant[knots=" + TextSummary.array(knots) + "]";
    }
}
