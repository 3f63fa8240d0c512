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
 * weights merged by the north-west corner rule on the sorted atoms; the coupling has at most \( n+m-1 \) entries.
 * Sorting is a radix sort on primitive keys (\( O(n+m) \)) that carries the weights along, with no
 * index comparisons. With uniform weights (all equal as doubles) and \( n = m \) the merge is skipped:
 * \( W_p^p = \frac1n \sum_k |x_{(k)} - y_{(k)}|^p \) over the sorted atoms \( x_{(1)} \le \dots \le x_{(n)} \),
 * the same terms, in the same order, as the merge (so the same bits).
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
        return cost(x, a, y, b, p, true);
    }

    /** {@link #cost(double[], double[], double[], double[], double)}; {@code paired = false} forces the merge. */
    static double cost(double[] x, double[] a, double[] y, double[] b, double p, boolean paired) {
        requireExponent(p);
        Quantiles quantiles = new Quantiles(x, a, y, b, p, paired);
        if (!Double.isFinite(quantiles.sum)) {
            throw new IllegalArgumentException((p > 2 ? "p" : "x and y") + ": W_p^p = "
                    + quantiles.rescaledDistance(p) + "^" + p + " overflows double precision (p = " + p
                    + "); distance(...) gives W_p itself");
        }
        return quantiles.sum;
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
        return distance(x, a, y, b, p, true);
    }

    /** {@link #distance(double[], double[], double[], double[], double)}; {@code paired = false} forces the merge. */
    static double distance(double[] x, double[] a, double[] y, double[] b, double p, boolean paired) {
        requireExponent(p);
        Quantiles quantiles = new Quantiles(x, a, y, b, p, paired);
        double sum = quantiles.sum;
        if (Double.isFinite(sum) && sum >= Double.MIN_NORMAL) {
            return root(sum, p);
        }
        return quantiles.rescaledDistance(p);
    }

    /** \( |d|^p \) with the products for \( p \in \{1, 2\} \). */
    private static double power(double d, double p) {
        return p == 2.0 ? d * d : p == 1.0 ? d : Math.pow(d, p);
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
        validate(x, a, y, b);
        AtomSort.Sorted sx = AtomSort.sortedWithWeights(x, a);
        AtomSort.Sorted sy = AtomSort.sortedWithWeights(y, b);
        Coupling coupling = Coupling.forMerge(x.length, y.length);
        merge(sx, sy, 1.0, coupling); // records the entries; the sum of |x - y| is not needed here
        int[] rows = new int[coupling.count];
        int[] cols = new int[coupling.count];
        for (int k = 0; k < coupling.count; k++) {
            rows[k] = sx.index[coupling.rows[k]];
            cols[k] = sy.index[coupling.cols[k]];
        }
        return new SparsePlan(x.length, y.length, rows, cols, Arrays.copyOf(coupling.masses, coupling.count));
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

    /** The checks of every weighted entry point, in the order of the arguments. */
    private static void validate(double[] x, double[] a, double[] y, double[] b) {
        Arguments.nonEmpty("x", Arguments.finite("x", x));
        Arguments.nonEmpty("y", Arguments.finite("y", y));
        Arguments.probabilityVector("a", a, x.length);
        Arguments.probabilityVector("b", b, y.length);
    }

    /**
     * True if \( n = m \) and every weight of both sides is the same double \( w \). The north-west corner rule then
     * pairs the \( k \)-th smallest atoms with mass exactly \( w \) each (each step leaves a remainder of exactly 0),
     * so summing \( w |x_{(k)} - y_{(k)}|^p \) over \( k \) repeats its arithmetic term for term.
     */
    private static boolean paired(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        double w = a[0];
        for (int i = 0; i < a.length; i++) {
            if (a[i] != w || b[i] != w) {
                return false;
            }
        }
        return true;
    }

    /**
     * The monotone coupling of two validated measures on their sorted atoms, with
     * \( W_p^p = \sum_k P_k |x_{i_k} - y_{j_k}|^p \) summed in coupling order (increasing \( k \)).
     *
     * <p>Paired path (uniform weights \( w \), equal sizes): both atom arrays are sorted by {@link AtomSort} and the
     * sum is \( \sum_k w |x_{(k)} - y_{(k)}|^p \); no weights are merged and no indices carried. Merge path: the atoms
     * are sorted with their weights carried along ({@link AtomSort#sortedWithWeights}) and the north-west corner rule
     * runs on the sorted arrays, summing as it goes. Both paths perform the same floating-point operations in the same
     * order as merging index-sorted atoms, so they give the same bits.
     */
    private static final class Quantiles {
        final double sum;
        private final AtomSort.Sorted sx;
        private final AtomSort.Sorted sy;
        private final double[] xs;
        private final double[] ys;
        private final double pairMass;

        Quantiles(double[] x, double[] a, double[] y, double[] b, double p, boolean allowPaired) {
            validate(x, a, y, b);
            if (allowPaired && paired(a, b)) {
                sx = null;
                sy = null;
                xs = AtomSort.sortedCopy(x);
                ys = AtomSort.sortedCopy(y);
                pairMass = a[0];
                double s = 0;
                for (int k = 0; k < xs.length; k++) {
                    s += pairMass * power(Math.abs(xs[k] - ys[k]), p);
                }
                sum = s;
            } else {
                sx = AtomSort.sortedWithWeights(x, a);
                sy = AtomSort.sortedWithWeights(y, b);
                xs = sx.values;
                ys = sy.values;
                pairMass = Double.NaN;
                sum = merge(sx, sy, p, null);
            }
        }

        /** The entries of the coupling, as positions in the sorted atom arrays. */
        private Coupling coupling() {
            if (sx != null) {
                Coupling coupling = Coupling.forMerge(xs.length, ys.length);
                merge(sx, sy, 1.0, coupling);
                return coupling;
            }
            Coupling coupling = new Coupling(xs.length);
            for (int k = 0; k < xs.length; k++) {
                coupling.add(k, k, pairMass);
            }
            return coupling;
        }

        /**
         * \( M (\sum_k P_k (d_k / M)^p)^{1/p} \) with \( M = \max_k d_k \): no term exceeds its mass, so nothing
         * overflows; the gaps themselves are halved first so that \( |x - y| \) cannot overflow either.
         */
        double rescaledDistance(double p) {
            Coupling c = coupling();
            double max = 0;
            for (int k = 0; k < c.count; k++) {
                max = Math.max(max, Math.abs(0.5 * xs[c.rows[k]] - 0.5 * ys[c.cols[k]]));
            }
            if (max == 0) {
                return 0;
            }
            double s = 0;
            for (int k = 0; k < c.count; k++) {
                double ratio = Math.abs(0.5 * xs[c.rows[k]] - 0.5 * ys[c.cols[k]]) / max;
                s += c.masses[k] * Math.pow(ratio, p);
            }
            return 2 * max * root(s, p);
        }
    }

    /** Entries \( (i_k, j_k, P_k) \) of a coupling, at most {@code capacity}. */
    private static final class Coupling {
        final int[] rows;
        final int[] cols;
        final double[] masses;
        int count;

        Coupling(int capacity) {
            rows = new int[capacity];
            cols = new int[capacity];
            masses = new double[capacity];
        }

        /** Room for the at most \( n + m - 1 \) entries of a merge; the sum is formed in {@code long}. */
        static Coupling forMerge(int n, int m) {
            long entries = (long) n + m - 1;
            if (entries > Arguments.MAX_ARRAY_LENGTH) {
                throw new IllegalArgumentException("x and y: n + m - 1 = " + n + " + " + m + " - 1 exceeds the "
                        + "largest array (" + Arguments.MAX_ARRAY_LENGTH + " entries)");
            }
            return new Coupling((int) entries);
        }

        void add(int row, int col, double mass) {
            rows[count] = row;
            cols[count] = col;
            masses[count] = mass;
            count++;
        }
    }

    /**
     * North-west corner rule on sorted atoms: returns \( \sum_k P_k |x_{i_k} - y_{j_k}|^p \) in coupling order and,
     * if {@code record} is not null, adds the entries (positions in the sorted arrays) to it. Entries of zero mass are
     * skipped; the last atoms absorb the rounding imbalance of the weights.
     */
    private static double merge(AtomSort.Sorted sx, AtomSort.Sorted sy, double p, Coupling record) {
        double[] xv = sx.values;
        double[] a = sx.weights;
        double[] yv = sy.values;
        double[] b = sy.weights;
        int n = xv.length;
        int m = yv.length;
        int i = 0;
        int j = 0;
        double ra = a[0];
        double rb = b[0];
        double sum = 0;
        while (true) {
            double mass = Math.min(ra, rb);
            if (mass > 0) {
                sum += mass * power(Math.abs(xv[i] - yv[j]), p);
                if (record != null) {
                    record.add(i, j, mass);
                }
            }
            if (i == n - 1 && j == m - 1) {
                return sum;
            }
            // advance the side that is used up; at the end of one side, the other one takes the remainder
            boolean advanceSource = j == m - 1 || (i < n - 1 && ra <= rb);
            if (advanceSource) {
                rb -= ra;
                i++;
                ra = a[i];
                rb = Math.max(rb, 0); // negative only at the last target, by the rounding imbalance
            } else {
                ra -= rb;
                j++;
                rb = b[j];
                ra = Math.max(ra, 0); // negative only at the last source, by the rounding imbalance
            }
        }
    }
}
