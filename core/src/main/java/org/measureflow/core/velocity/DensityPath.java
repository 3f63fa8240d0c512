package org.measureflow.core.velocity;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * A density path \( t \mapsto \rho_t \) given by grid densities \( \rho_0, \dots, \rho_{n-1} \) on one grid at
 * increasing times \( t_0 \lt \dots \lt t_{n-1} \), optionally with their exact time derivatives: the data of the
 * velocity reconstructions of this package (survey &sect;2.1).
 *
 * <p><b>Time derivatives.</b> When the derivatives are not given, \( \partial_t\rho \) is a finite difference:
 * <ul>
 * <li>at a path time, {@link #derivative(int)}: the derivative of the quadratic through three neighbouring times
 *     (centred inside the path, one-sided at its ends), second-order accurate for unequal steps too:
 *     \( \partial_t\rho(t_i) = \sum_{j} \ell_j'(t_i)\, \rho_j + O(\Delta t^2) \) with the Lagrange basis
 *     \( \ell_j \) of those times; a path of two densities has only the first-order difference
 *     \( (\rho_1 - \rho_0)/(t_1 - t_0) \);</li>
 * <li>between two path times, {@link #midpointDerivative(int)}: \( (\rho_{i+1} - \rho_i)/(t_{i+1} - t_i) \), which is
 *     second-order accurate at the midpoint \( t_{i+1/2} \), where the density is
 *     \( (\rho_i + \rho_{i+1})/2 + O(\Delta t^2) \) ({@link #midpointDensity(int)}).</li>
 * </ul>
 * When the derivatives are given (for instance from a closed form), {@link #derivative(int)} returns them; the
 * midpoint quantities are still the finite differences above.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class DensityPath {
    private final double[] times;
    private final GridDensity[] densities;
    private final double[][] derivatives; // null when not given

    private DensityPath(double[] times, GridDensity[] densities, double[][] derivatives) {
        this.times = times;
        this.densities = densities;
        this.derivatives = derivatives;
    }

    /**
     * The path through {@code densities[i]} at {@code times[i]}; derivatives by finite differences.
     *
     * @param times     at least two finite, strictly increasing times
     * @param densities one density per time, all on the grid of the first (finite and non-negative by construction
     *                  of {@link GridDensity})
     * @return the path
     * @throws IllegalArgumentException if an argument or element is null, the lengths differ, there are fewer than
     *                                  two times, a time is not finite or not above the previous one, or a density
     *                                  is on another grid
     */
    public static DensityPath of(double[] times, GridDensity... densities) {
        checkTimesAndDensities(times, densities, 2);
        return new DensityPath(times.clone(), densities.clone(), null);
    }

    /**
     * The path through {@code densities[i]} at {@code times[i]} with the given time derivatives
     * \( \partial_t\rho(t_i) \) (for instance from a closed form). One density and its derivative make a valid path:
     * the data of one reconstruction.
     *
     * @param times       at least one finite time, strictly increasing
     * @param densities   one density per time, all on the grid of the first
     * @param derivatives one array per time, {@code grid.size()} finite values each (row-major like the densities)
     * @return the path
     * @throws IllegalArgumentException as {@link #of(double[], GridDensity...)} (with one time allowed), or if a
     *                                  derivative is null, has the wrong length or a non-finite entry
     */
    public static DensityPath of(double[] times, GridDensity[] densities, double[][] derivatives) {
        checkTimesAndDensities(times, densities, 1);
        Arguments.noNulls("derivatives", derivatives);
        Arguments.length("derivatives", derivatives.length, times.length);
        int size = densities[0].size();
        double[][] copies = new double[derivatives.length][];
        for (int i = 0; i < derivatives.length; i++) {
            String name = "derivatives[" + i + "]";
            Arguments.length(name, derivatives[i].length, size);
            Arguments.finite(name, derivatives[i]);
            copies[i] = derivatives[i].clone();
        }
        return new DensityPath(times.clone(), densities.clone(), copies);
    }

    private static void checkTimesAndDensities(double[] times, GridDensity[] densities, int minimum) {
        Arguments.finite("times", times);
        Arguments.noNulls("densities", densities);
        Arguments.length("densities", densities.length, times.length);
        Arguments.atLeast("times (length)", times.length, minimum);
        for (int i = 1; i < times.length; i++) {
            if (!(times[i] > times[i - 1])) {
                // no Arguments rule for an increasing sequence
                throw new IllegalArgumentException("times must be strictly increasing, got times[" + (i - 1) + "] = "
                        + times[i - 1] + " and times[" + i + "] = " + times[i]);
            }
        }
        Grid grid = densities[0].grid();
        for (int i = 1; i < densities.length; i++) {
            if (!grid.equals(densities[i].grid())) {
                // no Arguments rule compares grids
                throw new IllegalArgumentException("densities[" + i + "] must be on the grid of densities[0] " + grid
                        + ", got " + densities[i].grid());
            }
        }
    }

    /** The grid of every density. */
    public Grid grid() {
        return densities[0].grid();
    }

    /** Number of densities (path times). */
    public int size() {
        return times.length;
    }

    /** A copy of the times. */
    public double[] times() {
        return times.clone();
    }

    /** The time \( t_i \). */
    public double time(int i) {
        return times[Arguments.index("i", i, times.length)];
    }

    /** The density \( \rho_i \) at \( t_i \). */
    public GridDensity density(int i) {
        return densities[Arguments.index("i", i, times.length)];
    }

    /** Whether the derivatives were given ({@link #of(double[], GridDensity[], double[][])}). */
    public boolean hasDerivatives() {
        return derivatives != null;
    }

    /**
     * \( \partial_t\rho(t_i) \): the given derivative, or the second-order three-time finite difference of the class
     * comment (first order for a path of two densities).
     *
     * @return a new array, one value per cell
     * @throws IllegalArgumentException unless {@code 0 <= i < size()}, or if the difference overflows
     */
    public double[] derivative(int i) {
        Arguments.index("i", i, times.length);
        if (derivatives != null) {
            return derivatives[i].clone();
        }
        int n = times.length;
        if (n == 2) {
            return midpointDerivative(0);
        }
        int first = Math.min(Math.max(i - 1, 0), n - 3);
        double[] out = new double[densities[0].size()];
        for (int j = first; j < first + 3; j++) {
            double weight = lagrangeDerivative(j, first, times[i]);
            double[] rho = densities[j].values();
            for (int c = 0; c < out.length; c++) {
                out[c] += weight * rho[c];
            }
        }
        return Arguments.finiteResult("densities", "the finite-difference derivative", out);
    }

    /** \( \ell_j'(t) \) for the Lagrange basis of the three times {@code first .. first + 2}. */
    private double lagrangeDerivative(int j, int first, double t) {
        double denominator = 1;
        double sum = 0;
        for (int k = first; k < first + 3; k++) {
            if (k != j) {
                denominator *= times[j] - times[k];
                sum += t - times[other(j, k, first)];
            }
        }
        return sum / denominator;
    }

    /** The third of the three times {@code first .. first + 2} when {@code j} and {@code k} are the other two. */
    private static int other(int j, int k, int first) {
        return 3 * first + 3 - j - k;
    }

    /** Number of intervals \( [t_i, t_{i+1}] \), {@code size() - 1}. */
    public int intervals() {
        return times.length - 1;
    }

    /** The midpoint \( t_{i+1/2} = (t_i + t_{i+1})/2 \) of interval {@code i}. */
    public double midpointTime(int i) {
        Arguments.index("i", i, intervals());
        return 0.5 * (times[i] + times[i + 1]);
    }

    /**
     * The density \( (\rho_i + \rho_{i+1})/2 \) at the midpoint of interval {@code i} (second-order accurate).
     *
     * @throws IllegalArgumentException unless {@code 0 <= i < intervals()}
     */
    public GridDensity midpointDensity(int i) {
        Arguments.index("i", i, intervals());
        double[] a = densities[i].values();
        double[] b = densities[i + 1].values();
        for (int c = 0; c < a.length; c++) {
            a[c] = 0.5 * a[c] + 0.5 * b[c];
        }
        return GridDensity.of(grid(), a);
    }

    /**
     * The difference quotient \( (\rho_{i+1} - \rho_i)/(t_{i+1} - t_i) \), second-order accurate at the midpoint of
     * interval {@code i}.
     *
     * @return a new array, one value per cell
     * @throws IllegalArgumentException unless {@code 0 <= i < intervals()}, or if the quotient overflows
     */
    public double[] midpointDerivative(int i) {
        Arguments.index("i", i, intervals());
        double[] a = densities[i].values();
        double[] b = densities[i + 1].values();
        double dt = times[i + 1] - times[i];
        for (int c = 0; c < a.length; c++) {
            a[c] = (b[c] - a[c]) / dt;
        }
        return Arguments.finiteResult("times", "the difference quotient", a);
    }

    // The reconstruction nodes of the path solves: the path times when the derivatives are given, else the interval
    // midpoints (where the finite differences are centred); weights of the time quadrature over [t_0, t_{n-1}].

    int nodeCount() {
        return derivatives != null ? times.length : times.length - 1;
    }

    double nodeTime(int j) {
        return derivatives != null ? times[j] : midpointTime(j);
    }

    GridDensity nodeDensity(int j) {
        return derivatives != null ? densities[j] : midpointDensity(j);
    }

    double[] nodeDerivative(int j) {
        return derivatives != null ? derivatives[j].clone() : midpointDerivative(j);
    }

    /** Trapezoid weights over the path times, or the interval lengths (midpoint rule). */
    double nodeWeight(int j) {
        if (derivatives == null) {
            return times[j + 1] - times[j];
        }
        double left = j > 0 ? times[j] - times[j - 1] : 0;
        double right = j < times.length - 1 ? times[j + 1] - times[j] : 0;
        return 0.5 * (left + right);
    }

    /** One line: the number of densities, the time range, the grid and whether derivatives were given. */
    @Override
    public String toString() {
        return "DensityPath[" + times.length + " densities, t in [" + TextSummary.number(times[0]) + ", "
                + TextSummary.number(times[times.length - 1]) + "], " + grid()
                + (derivatives != null ? ", derivatives given" : "") + "]";
    }
}
