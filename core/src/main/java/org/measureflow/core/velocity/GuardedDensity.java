package org.measureflow.core.velocity;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;

/**
 * A density with the floor of the reconstructions applied, scaled to a maximum of 1: \( \tilde\rho_c / \max\rho \)
 * with \( \tilde\rho_c = \max(\rho_c, \varepsilon \max\rho) \), and the compatible source
 * \( b = \partial_t\rho - \gamma\rho \), \( \gamma = \sum_c \partial_t\rho_c / \sum_c \rho_c \), scaled to a largest
 * entry of order 1. Working in these units keeps every intermediate far inside the double range whatever the
 * units of the density and its derivative.
 */
final class GuardedDensity {
    final GridDensity rho;
    /** \( \max_c \rho_c \gt 0 \). */
    final double max;
    /** The absolute floor \( \varepsilon \max\rho \). */
    final double floor;
    /** Cells with \( \rho_c \lt \) the floor. */
    final int floored;
    /** \( \tilde\rho_c / \max\rho \in [\varepsilon, 1] \). */
    final double[] scaled;

    private GuardedDensity(GridDensity rho, double max, double floor, int floored, double[] scaled) {
        this.rho = rho;
        this.max = max;
        this.floor = floor;
        this.floored = floored;
        this.scaled = scaled;
    }

    /**
     * @throws IllegalArgumentException if {@code rho} is null or has no positive value (named {@code rho})
     */
    static GuardedDensity of(GridDensity rho, double relativeFloor) {
        Arguments.notNull("rho", rho);
        double[] v = rho.values();
        double max = 0;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (!(max > 0)) {
            throw new IllegalArgumentException("rho must have a positive value (a velocity moves mass), got all 0");
        }
        double floor = relativeFloor * max;
        int floored = 0;
        for (int c = 0; c < v.length; c++) {
            if (v[c] < floor) {
                floored++;
            }
            v[c] = Math.max(v[c] / max, relativeFloor);
        }
        return new GuardedDensity(rho, max, floor, floored, v);
    }

    /**
     * The compatible source for {@code derivative} (checked by the caller): \( \hat b = b / D \),
     * \( D = \max_c |\partial_t\rho_c| \), with its mean removed; the scale \( D / \max\rho \) of the solution
     * \( \varphi \) of \( -\mathrm{div}(\tilde\rho\nabla\varphi) = b \) relative to that of the scaled problem; and
     * \( \gamma \).
     *
     * @throws IllegalArgumentException naming {@code derivative} if the scale or \( \gamma \) overflows
     */
    Source source(double[] derivative) {
        int size = derivative.length;
        double d = 0;
        for (double x : derivative) {
            d = Math.max(d, Math.abs(x));
        }
        double[] b = new double[size];
        if (d == 0) {
            return new Source(b, 0, 0);
        }
        double sumDerivative = 0;
        double sumRho = 0;
        for (int c = 0; c < size; c++) {
            sumDerivative += derivative[c] / d;
            sumRho += rho.value(c) / max;
        }
        double rate = sumDerivative / sumRho; // gamma in the scaled units
        for (int c = 0; c < size; c++) {
            b[c] = derivative[c] / d - rate * (rho.value(c) / max);
        }
        removeMean(b);
        double scale = Arguments.finiteResult("derivative", "the velocity scale max |d_t rho| / max rho", d / max);
        double growth = Arguments.finiteResult("derivative", "the growth rate sum d_t rho / sum rho", rate * scale);
        return new Source(b, scale, growth);
    }

    /** Removes the mean of {@code b} (the rounding left by a compatible source). */
    static void removeMean(double[] b) {
        double mean = 0;
        for (double x : b) {
            mean += x;
        }
        mean /= b.length;
        for (int c = 0; c < b.length; c++) {
            b[c] -= mean;
        }
    }

    /**
     * @param b      the scaled mean-zero source
     * @param scale  the factor from the scaled solution to the solution in the caller's units
     * @param growth \( \gamma \), in the caller's units (1 / time)
     */
    record Source(double[] b, double scale, double growth) {
    }
}
