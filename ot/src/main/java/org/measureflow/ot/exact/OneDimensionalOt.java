package org.measureflow.ot.exact;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.Histograms;

/**
 * Exact optimal transport on the real line (docs/closed-forms.md CF-11 / item 11): for a convex cost \( |x-y|^p \),
 * \( p \ge 1 \),
 * \[ W_p^p(\mu, \nu) = \int_0^1 \bigl|F_\mu^{-1}(s) - F_\nu^{-1}(s)\bigr|^p \, ds , \]
 * attained by the monotone (quantile) coupling \( (F_\mu^{-1}, F_\nu^{-1})_\sharp \mathrm{Leb}_{[0,1]} \): the
 * solution of the Kantorovich problem (survey eq. 10) for 1-D data. Both measures are sorted and their cumulative
 * weights merged by the north-west corner rule on the sorted atoms, in \( O((n+m)\log(n+m)) \); the coupling has
 * at most \( n+m-1 \) entries.
 *
 * <p>For \( p &lt; 1 \) the cost is concave in \( |x-y| \) and the monotone coupling is in general not optimal, so
 * \( p &lt; 1 \) is rejected. Ties between atoms are broken by index, so the result is deterministic. The weights
 * must sum to 1 within {@link Arguments#PROBABILITY_SUM_TOLERANCE}; the last atoms absorb the rounding imbalance.
 *
 * <p>Names: {@code cost} is the optimal transport cost \( W_p^p \) (for the cost \( |x-y|^p \)), {@code distance}
 * the metric \( W_p = (W_p^p)^{1/p} \). Stateless: every method is static; inputs are never modified.
 */
public final class OneDimensionalOt {
    private OneDimensionalOt() {
    }

    /**
     * \( W_p^p(\mu,\nu) = \int_0^1 |F_\mu^{-1} - F_\nu^{-1}|^p \) between two weighted 1-D measures.
     *
     * @throws IllegalArgumentException if a measure is null or not 1-dimensional, or {@code p} is not finite and
     *                                  {@code >= 1}
     */
    public static double cost(ParticleMeasure x, ParticleMeasure y, double p) {
        requireOneDimensional(x, y);
        return cost(x.flatPoints(), x.weights(), y.flatPoints(), y.weights(), p);
    }

    /**
     * \( W_p(\mu,\nu) = (W_p^p)^{1/p} \); see {@link #cost(ParticleMeasure, ParticleMeasure, double)}. Always finite:
     * computed with rescaling where \( W_p^p \) leaves the double range (see
     * {@link #distance(double[], double[], double[], double[], double)}).
     */
    public static double distance(ParticleMeasure x, ParticleMeasure y, double p) {
        requireOneDimensional(x, y);
        return distance(x.flatPoints(), x.weights(), y.flatPoints(), y.weights(), p);
    }

    /**
     * \( W_p^p \) between \( \sum_i a_i \delta_{x_i} \) and \( \sum_j b_j \delta_{y_j} \).
     *
     * @param x atoms of the source (finite)
     * @param a source weights, same length as {@code x}, non-negative, summing to 1
     * @param y atoms of the target (finite)
     * @param b target weights, same length as {@code y}, non-negative, summing to 1
     * @param p exponent, finite and {@code >= 1}
     * @throws IllegalArgumentException naming the offending argument, or if \( W_p^p \) overflows double precision
     *                                  (large {@code p}, or atoms more than about \( 10^{154} \) apart for
     *                                  \( p = 2 \)): {@link #distance(double[], double[], double[], double[], double)}
     *                                  is then still finite
     */
    public static double cost(double[] x, double[] a, double[] y, double[] b, double p) {
        requireExponent(p);
        Merge merge = new Merge(x, a, y, b);
        double sum = powerSum(merge, x, y, p);
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException((p > 2 ? "p" : "x and y") + ": W_p^p = "
                    + rescaledDistance(merge, x, y, p) + "^" + p + " overflows double precision (p = " + p
                    + "); distance(...) gives W_p itself");
        }
        return sum;
    }

    /**
     * \( W_p = (W_p^p)^{1/p} \); see {@link #cost(double[], double[], double[], double[], double)}.
     *
     * <p>Always finite and accurate: where \( W_p^p \) leaves the normal double range (large {@code p}, or atoms
     * very far apart or very close), the largest gap \( M = \max_k |x_{i_k} - y_{j_k}| \) of the coupling is factored
     * out, \( W_p = M \bigl(\sum_k P_k (|x_{i_k} - y_{j_k}|/M)^p\bigr)^{1/p} \), where every term is at most its mass.
     * Otherwise the value is \( (W_p^p)^{1/p} \) as computed by {@code cost}.
     *
     * @throws IllegalArgumentException naming the offending argument
     */
    public static double distance(double[] x, double[] a, double[] y, double[] b, double p) {
        requireExponent(p);
        Merge merge = new Merge(x, a, y, b);
        double sum = powerSum(merge, x, y, p);
        if (Double.isFinite(sum) && sum >= Double.MIN_NORMAL) {
            return root(sum, p);
        }
        return rescaledDistance(merge, x, y, p);
    }

    /** \( \sum_k P_k |x_{i_k} - y_{j_k}|^p \) over the monotone coupling, in coupling order. */
    private static double powerSum(Merge merge, double[] x, double[] y, double p) {
        boolean square = p == 2.0;
        boolean linear = p == 1.0;
        double sum = 0;
        for (int k = 0; k < merge.count; k++) {
            double d = Math.abs(x[merge.rows[k]] - y[merge.cols[k]]);
            sum += merge.masses[k] * (square ? d * d : linear ? d : Math.pow(d, p));
        }
        return sum;
    }

    /**
     * \( M (\sum_k P_k (d_k / M)^p)^{1/p} \) with \( M = \max_k d_k \): no term exceeds its mass, so nothing
     * overflows; the gaps themselves are halved first so that \( |x - y| \) cannot overflow either.
     */
    private static double rescaledDistance(Merge merge, double[] x, double[] y, double p) {
        double max = 0;
        for (int k = 0; k < merge.count; k++) {
            max = Math.max(max, Math.abs(0.5 * x[merge.rows[k]] - 0.5 * y[merge.cols[k]]));
        }
        if (max == 0) {
            return 0;
        }
        double sum = 0;
        for (int k = 0; k < merge.count; k++) {
            double ratio = Math.abs(0.5 * x[merge.rows[k]] - 0.5 * y[merge.cols[k]]) / max;
            sum += merge.masses[k] * Math.pow(ratio, p);
        }
        return 2 * max * root(sum, p);
    }

    /**
     * \( W_p^p \) between the uniform measures \( \frac1n \sum_i \delta_{x_i} \) and
     * \( \frac1m \sum_j \delta_{y_j} \); see {@link #cost(double[], double[], double[], double[], double)}.
     */
    public static double cost(double[] x, double[] y, double p) {
        return cost(x, uniform("x", x), y, uniform("y", y), p);
    }

    /**
     * \( W_p = (W_p^p)^{1/p} \) between uniform measures; see {@link #cost(double[], double[], double)} and, for the
     * rescaling that keeps it finite, {@link #distance(double[], double[], double[], double[], double)}.
     */
    public static double distance(double[] x, double[] y, double p) {
        return distance(x, uniform("x", x), y, uniform("y", y), p);
    }

    private static double[] uniform(String name, double[] atoms) {
        return Histograms.uniform(Arguments.nonEmpty(name, atoms).length);
    }

    /**
     * The monotone coupling of two weighted 1-D measures, optimal for every convex cost of \( x - y \), as a sparse
     * plan in the original (unsorted) indices: at most \( n+m-1 \) entries of positive mass.
     *
     * @throws IllegalArgumentException if a measure is null or not 1-dimensional
     */
    public static SparsePlan monotonePlan(ParticleMeasure x, ParticleMeasure y) {
        requireOneDimensional(x, y);
        return monotonePlan(x.flatPoints(), x.weights(), y.flatPoints(), y.weights());
    }

    /**
     * The monotone coupling of \( \sum_i a_i \delta_{x_i} \) and \( \sum_j b_j \delta_{y_j} \); see
     * {@link #monotonePlan(ParticleMeasure, ParticleMeasure)}.
     *
     * @throws IllegalArgumentException naming the offending argument
     */
    public static SparsePlan monotonePlan(double[] x, double[] a, double[] y, double[] b) {
        Merge merge = new Merge(x, a, y, b);
        return new SparsePlan(x.length, y.length, Arrays.copyOf(merge.rows, merge.count),
                Arrays.copyOf(merge.cols, merge.count), Arrays.copyOf(merge.masses, merge.count));
    }

    private static double root(double value, double p) {
        return p == 1.0 ? value : p == 2.0 ? Math.sqrt(value) : Math.pow(value, 1.0 / p);
    }

    /** The monotone coupling is optimal only for convex costs: \( p \ge 1 \). */
    private static void requireExponent(double p) {
        Arguments.atLeast("p", p, 1.0);
    }

    private static void requireOneDimensional(ParticleMeasure x, ParticleMeasure y) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.sameDimension("x", x.dimension(), 1, "the line");
        Arguments.sameDimension("y", y.dimension(), 1, "the line");
    }

    /** North-west corner rule on the sorted atoms; entries of zero mass are skipped. */
    private static final class Merge {
        final int[] rows;
        final int[] cols;
        final double[] masses;
        int count;

        Merge(double[] x, double[] a, double[] y, double[] b) {
            Arguments.nonEmpty("x", Arguments.finite("x", x));
            Arguments.nonEmpty("y", Arguments.finite("y", y));
            Arguments.probabilityVector("a", a, x.length);
            Arguments.probabilityVector("b", b, y.length);
            int n = x.length;
            int m = y.length;
            int[] sx = sortedOrder(x);
            int[] sy = sortedOrder(y);
            rows = new int[n + m - 1];
            cols = new int[n + m - 1];
            masses = new double[n + m - 1];
            int i = 0;
            int j = 0;
            double ra = a[sx[0]];
            double rb = b[sy[0]];
            while (true) {
                double mass = Math.min(ra, rb);
                if (mass > 0) {
                    rows[count] = sx[i];
                    cols[count] = sy[j];
                    masses[count] = mass;
                    count++;
                }
                if (i == n - 1 && j == m - 1) {
                    break;
                }
                // advance the side that is used up; at the end of one side, the other one takes the remainder
                boolean advanceSource = j == m - 1 || (i < n - 1 && ra <= rb);
                if (advanceSource) {
                    rb -= ra;
                    i++;
                    ra = a[sx[i]];
                    rb = Math.max(rb, 0); // negative only at the last target, by the rounding imbalance
                } else {
                    ra -= rb;
                    j++;
                    rb = b[sy[j]];
                    ra = Math.max(ra, 0); // negative only at the last source, by the rounding imbalance
                }
            }
        }
    }

    /** Indices of {@code values} in increasing order of value, ties by index (stable merge sort). */
    static int[] sortedOrder(double[] values) {
        int n = values.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                if (values[idx[mid - 1]] <= values[idx[mid]]) {
                    continue; // already in order
                }
                int l = lo;
                int r = mid;
                int t = lo;
                while (l < mid && r < hi) {
                    tmp[t++] = values[idx[r]] < values[idx[l]] ? idx[r++] : idx[l++];
                }
                while (l < mid) {
                    tmp[t++] = idx[l++];
                }
                while (r < hi) {
                    tmp[t++] = idx[r++];
                }
                System.arraycopy(tmp, lo, idx, lo, hi - lo);
            }
        }
        return idx;
    }
}
