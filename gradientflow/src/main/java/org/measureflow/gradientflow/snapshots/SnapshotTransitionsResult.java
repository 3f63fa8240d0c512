package org.measureflow.gradientflow.snapshots;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.EntropicPlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;

/**
 * The transitions of {@link SnapshotTransitions#fit}: one entropic coupling per interval \( [t_k, t_{k+1}] \), the
 * fitted growth of every cell, and how the solves ended; with them the descendants and ancestors of a set of cells
 * over several intervals and the displacement interpolation at unobserved times (survey &sect;5.4; Schiebinger et
 * al. 2019).
 *
 * <p><b>Mass bookkeeping.</b> Interval \( k \)'s plan in mass units is \( \Pi^k = u_k P^k \), with \( P^k \) the
 * plan of {@code couplings().get(k)} and \( u_k \) = {@code planMasses()[k]}: \( \Pi^k_{ij} \) is the mass at cell
 * \( j \) of snapshot \( k+1 \) descending from cell \( i \) of snapshot \( k \). Cell \( i \) of snapshot \( k \)
 * has mass \( s_i = M_k w_{k,i} \); its row sum is \( r_i = (\Pi^k\mathbf 1)_i = s_i\,\hat q_i \), with
 * \( \hat q_i = \hat g_i^{\Delta t} \) the fitted growth over the interval; \( c = \Pi^{k\top}\mathbf 1 \) are the
 * column sums (the target masses \( M_{k+1}w_{k+1,j} \) when the target is matched exactly).
 * <ul>
 * <li>Descendants, one interval: \( d_j = \sum_i \Pi^k_{ij}\, m_i / s_i \) for a cell mass \( m \) at \( t_k \)
 *     (the fraction \( m_i/s_i \) of cell \( i \) followed); \( \sum_j d_j = \sum_i m_i \hat q_i \), which is
 *     \( \sum_i m_i \) for balanced transitions between snapshots of equal mass.</li>
 * <li>Ancestors, one interval: \( a_i = \frac{s_i}{r_i}\sum_j \Pi^k_{ij}\, m_j / c_j \) for a cell mass \( m \) at
 *     \( t_{k+1} \): the part \( \Pi^k_{ij}/c_j \) of cell \( j \) that comes from cell \( i \), brought back to
 *     \( t_k \) by dividing by the growth \( r_i/s_i \). The whole snapshot \( k+1 \) (\( m = c \)) has the whole
 *     snapshot \( k \) (\( a = s \)) as ancestors.</li>
 * <li>Several intervals compose these linear maps: pushing from \( k \) to \( l \) is pushing through the coupling
 *     \( \Pi^k \operatorname{diag}(1/s^{k+1}) \Pi^{k+1} \cdots \), evaluated as products with the lazy plans (no
 *     \( n \times m \) array). Cells of mass zero carry no followed mass (\( 0/0 = 0 \)).</li>
 * </ul>
 *
 * @param series      the snapshots
 * @param couplings   per interval, the last solve's result (its plan, cost, iterations and convergence; for
 *                    unbalanced transitions its error is the KKT residual of {@link
 *                    org.measureflow.ot.unbalanced.UnbalancedSinkhorn})
 * @param planMasses  per interval, the unit \( u_k \) of the plan: \( M_k \) for unbalanced transitions, \( M_{k+1} \)
 *                    for balanced ones
 * @param growth      per interval \( k \), per cell \( i \) of snapshot \( k \), the fitted growth over the interval
 *                    \( \hat q_i = \hat g_i^{\Delta t} = r_i/s_i \) (expected descendant mass per unit mass; 0 for a
 *                    cell without descendants)
 * @param convergence all solves' iterations summed; the largest error of the last solves of the intervals against the
 *                    solver's tolerance; converged when every interval's last solve converged
 */
public record SnapshotTransitionsResult(SnapshotSeries series, List<SinkhornResult> couplings, double[] planMasses,
        double[][] growth, Convergence convergence) implements IterativeResult {

    /**
     * Validates the record and copies the arrays.
     *
     * @throws IllegalArgumentException on null, or sizes that do not match the series
     */
    public SnapshotTransitionsResult {
        Arguments.notNull("series", series);
        Arguments.notNull("couplings", couplings);
        Arguments.notNull("convergence", convergence);
        couplings = List.copyOf(couplings);
        int intervals = series.size() - 1;
        Arguments.length("couplings", couplings.size(), intervals);
        Arguments.positive("planMasses", planMasses);
        Arguments.length("planMasses", planMasses.length, intervals);
        Arguments.notNull("growth", growth);
        Arguments.length("growth", growth.length, intervals);
        double[][] copy = new double[intervals][];
        for (int k = 0; k < intervals; k++) {
            copy[k] = Arguments.nonNegative("growth[" + k + "]", growth[k]).clone();
            Arguments.length("growth[" + k + "]", copy[k].length, series.snapshot(k).size());
            Arguments.length("couplings[" + k + "] (n)", couplings.get(k).plan().sourceSize(),
                    series.snapshot(k).size());
            Arguments.length("couplings[" + k + "] (m)", couplings.get(k).plan().targetSize(),
                    series.snapshot(k + 1).size());
        }
        planMasses = planMasses.clone();
        growth = copy;
    }

    /** A copy of the plan units \( u_k \). */
    @Override
    public double[] planMasses() {
        return planMasses.clone();
    }

    /** A deep copy of the fitted growth over each interval, \( \hat q_i = \hat g_i^{\Delta t} \). */
    @Override
    public double[][] growth() {
        double[][] out = new double[growth.length][];
        for (int k = 0; k < growth.length; k++) {
            out[k] = growth[k].clone();
        }
        return out;
    }

    /**
     * The fitted growth rates of the cells of snapshot \( k \lt K-1 \) per unit time,
     * \( \hat g_i = \hat q_i^{1/\Delta t} \) (the Waddington-OT convention of the priors; \( \log \hat g_i \) is the
     * exponential rate). 0 for a cell without descendants; {@code +Infinity} only if \( \hat q_i^{1/\Delta t} \)
     * exceeds the double range (a growth beyond \( 10^{308} \) per unit time).
     *
     * @param k the interval, in {@code [0, K-1)}
     * @return one rate per cell of snapshot {@code k}
     * @throws IllegalArgumentException if {@code k} is out of range
     */
    public double[] growthRates(int k) {
        Arguments.index("k", k, growth.length);
        double dt = series.time(k + 1) - series.time(k);
        double[] out = new double[growth[k].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.pow(growth[k][i], 1.0 / dt);
        }
        return out;
    }

    /**
     * The descendants at snapshot {@code toSnapshot} of a set of cells of snapshot {@code fromSnapshot}: for each
     * cell of the later snapshot, the mass descending from the given cell masses (the formulas of the class
     * documentation, composed over the intervals in between; two lazy plan products per interval).
     *
     * @param fromSnapshot the snapshot of the followed cells
     * @param cellMass     one mass per cell of {@code fromSnapshot}, finite and {@code >= 0} (in the units of the
     *                     masses \( M_k \); the whole cell is \( M_k w_i \)); not modified
     * @param toSnapshot   a later snapshot, or {@code fromSnapshot} itself (a copy is returned)
     * @return one mass per cell of {@code toSnapshot}
     * @throws IllegalArgumentException if a snapshot index is out of range or {@code toSnapshot < fromSnapshot}, or
     *                                  {@code cellMass} is null, of the wrong length, negative or not finite
     */
    public double[] descendants(int fromSnapshot, double[] cellMass, int toSnapshot) {
        Arguments.index("fromSnapshot", fromSnapshot, series.size());
        Arguments.inRange("toSnapshot", toSnapshot, fromSnapshot, series.size() - 1);
        double[] m = checkedMass(cellMass, fromSnapshot);
        for (int k = fromSnapshot; k < toSnapshot; k++) {
            double[] s = cellMasses(k);
            double[] u = new double[m.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = ratio(m[i], s[i]);
            }
            m = scaled(couplings.get(k).plan().applyTransposed(u), planMasses[k]);
        }
        return m;
    }

    /**
     * The ancestors at snapshot {@code toSnapshot} of a set of cells of snapshot {@code fromSnapshot}: for each cell
     * of the earlier snapshot, the mass whose descendants are the given cell masses (the formulas of the class
     * documentation, composed over the intervals in between; three lazy plan products per interval).
     *
     * @param fromSnapshot the snapshot of the followed cells
     * @param cellMass     one mass per cell of {@code fromSnapshot}, finite and {@code >= 0}; not modified
     * @param toSnapshot   an earlier snapshot, or {@code fromSnapshot} itself (a copy is returned)
     * @return one mass per cell of {@code toSnapshot}
     * @throws IllegalArgumentException if a snapshot index is out of range or {@code toSnapshot > fromSnapshot}, or
     *                                  {@code cellMass} is null, of the wrong length, negative or not finite
     */
    public double[] ancestors(int fromSnapshot, double[] cellMass, int toSnapshot) {
        Arguments.index("fromSnapshot", fromSnapshot, series.size());
        Arguments.inRange("toSnapshot", toSnapshot, 0, fromSnapshot);
        double[] m = checkedMass(cellMass, fromSnapshot);
        for (int k = fromSnapshot - 1; k >= toSnapshot; k--) {
            EntropicPlan plan = couplings.get(k).plan();
            double[] c = scaled(plan.applyTransposed(filled(plan.sourceSize())), planMasses[k]);
            double[] r = scaled(plan.apply(filled(plan.targetSize())), planMasses[k]);
            double[] u = new double[m.length];
            for (int j = 0; j < u.length; j++) {
                u[j] = ratio(m[j], c[j]);
            }
            double[] v = scaled(plan.apply(u), planMasses[k]);
            double[] s = cellMasses(k);
            for (int i = 0; i < v.length; i++) {
                v[i] = ratio(v[i], r[i]) * s[i];
            }
            m = v;
        }
        return m;
    }

    /**
     * A sample of the displacement interpolation at time \( t \in [t_k, t_{k+1}] \) along interval \( k \)'s
     * coupling (McCann 1997; the validation of Waddington-OT): {@code n} pairs \( (i, j) \) are drawn with
     * probability \( P_{ij}/\sum P \), each giving the point \( (1-s)\,x_i + s\,y_j \),
     * \( s = (t-t_k)/(t_{k+1}-t_k) \). It estimates the geodesic between the two snapshots' laws (for the entropic
     * plan, blurred by epsilon). Rows are drawn from the row sums, then for each drawn row its entries are evaluated
     * once (\( O(m d) \) per distinct row, never an \( n \times m \) array). A time equal to an inner snapshot's time
     * uses the interval that starts there.
     *
     * @param t   a time in \( [t_0, t_{K-1}] \)
     * @param n   the number of points, {@code > 0}
     * @param rng the source of randomness (same state, same points)
     * @return the uniform measure on the {@code n} points, ordered by their rows, then by their columns
     * @throws IllegalArgumentException if {@code t} is outside the observed range or not finite, {@code n <= 0}, or
     *                                  {@code rng} is null
     */
    public ParticleMeasure interpolate(double t, int n, RandomGenerator rng) {
        double[] times = series.times();
        Arguments.inRange("t", Arguments.finite("t", t), times[0], times[times.length - 1]);
        Arguments.positive("n", n);
        Arguments.notNull("rng", rng);
        int k = 0;
        while (k < times.length - 2 && t >= times[k + 1]) {
            k++;
        }
        double s = (t - times[k]) / (times[k + 1] - times[k]);
        EntropicPlan plan = couplings.get(k).plan();
        ParticleMeasure x = series.snapshot(k);
        ParticleMeasure y = series.snapshot(k + 1);
        int d = x.dimension();
        int m = y.size();
        int[] rows = new int[n];
        drawSorted(cumulative(plan.apply(filled(m))), n, rng, rows, 0);
        double[] out = new double[Arguments.product("n * d", n, d)];
        double[] entries = new double[m];
        int[] columns = new int[n];
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        for (int p = 0; p < n; ) {
            int i = rows[p];
            int count = 1;
            while (p + count < n && rows[p + count] == i) {
                count++;
            }
            for (int j = 0; j < m; j++) {
                entries[j] = plan.entry(i, j);
            }
            drawSorted(cumulative(entries), count, rng, columns, p);
            for (int end = p + count; p < end; p++) {
                int j = columns[p];
                for (int c = 0; c < d; c++) {
                    out[p * d + c] = (1 - s) * xs[i * d + c] + s * ys[j * d + c];
                }
            }
        }
        return ParticleMeasure.fromFlat(out, d);
    }

    /** In place: the running sums of {@code v} (the last entry is the total). */
    private static double[] cumulative(double[] v) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            v[i] = sum;
        }
        if (!(sum > 0)) {
            // the plan's entries all underflow: an epsilon far below the squared distances
            throw new IllegalStateException("the coupling's entries underflow to 0; use a larger epsilon");
        }
        return v;
    }

    /**
     * {@code count} indices drawn independently with probabilities proportional to the increments of
     * {@code cumulative}, written in increasing order to {@code out[offset ...]}: the uniforms are drawn, sorted and
     * merged with the running sums in one sweep (index {@code i} is the first with {@code cumulative[i] > u}).
     */
    private static void drawSorted(double[] cumulative, int count, RandomGenerator rng, int[] out, int offset) {
        double total = cumulative[cumulative.length - 1];
        double[] u = new double[count];
        for (int p = 0; p < count; p++) {
            u[p] = rng.nextDouble() * total;
        }
        Arrays.sort(u);
        int i = 0;
        for (int p = 0; p < count; p++) {
            while (i < cumulative.length - 1 && !(cumulative[i] > u[p])) {
                i++;
            }
            out[offset + p] = i;
        }
    }

    private double[] checkedMass(double[] cellMass, int snapshot) {
        Arguments.nonNegative("cellMass", cellMass);
        Arguments.length("cellMass", cellMass.length, series.snapshot(snapshot).size());
        return cellMass.clone();
    }

    /** \( s_i = M_k w_{k,i} \). */
    private double[] cellMasses(int k) {
        return scaled(series.snapshot(k).weights(), series.mass(k));
    }

    private static double[] scaled(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return v;
    }

    private static double[] filled(int size) {
        double[] v = new double[size];
        Arrays.fill(v, 1.0);
        return v;
    }

    /** \( p/q \) with \( 0/0 = 0 \) (and \( p/0 = 0 \): a cell of no mass carries none). */
    private static double ratio(double p, double q) {
        return q > 0 ? p / q : 0.0;
    }

    /**
     * One line: the number of snapshots, the cost of each interval, the overall convergence, and the first
     * interval's growth.
     */
    @Override
    public String toString() {
        double[] costs = new double[couplings.size()];
        for (int k = 0; k < costs.length; k++) {
            costs[k] = couplings.get(k).cost();
        }
        return "SnapshotTransitionsResult[" + series.size() + " snapshots, d=" + series.dimension() + ", costs="
                + TextSummary.array(costs) + ", " + convergence + ", growth[0]=" + TextSummary.array(growth[0]) + "]";
    }
}
