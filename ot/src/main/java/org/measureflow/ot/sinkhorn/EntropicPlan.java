package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.ot.TransportPlan;

/**
 * The entropic transport plan \( P_{ij} = a_i b_j \exp((f_i + g_j - C_{ij})/\varepsilon) \) of a Sinkhorn solution,
 * held implicitly: it keeps the potentials and a reference to the cost (the {@link org.measureflow.ot.CostMatrix}
 * or the two point clouds), never an {@code n x m} array, and evaluates the plan on demand.
 *
 * <p>Made by {@link SinkhornSolver}, {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn} and
 * {@link LogDomainGibbsKernel#plan(double[], double[], double)}. Immutable. Each operation costs one pass over
 * the {@code n x m} entries (one exponential each), runs over
 * fixed chunks of rows, and gives the same bits in parallel as serially.
 */
public final class EntropicPlan implements TransportPlan {
    private final LogDomainGibbsKernel ground;
    private final double[] h; // f_i + eps log a_i
    private final double[] w; // g_j + eps log b_j
    private final double eps;

    EntropicPlan(LogDomainGibbsKernel ground, double[] h, double[] w, double eps) {
        this.ground = ground;
        this.h = h;
        this.w = w;
        this.eps = eps;
    }

    /** The number of source atoms {@code n}. */
    @Override
    public int sourceSize() {
        return ground.n;
    }

    /** The number of target atoms {@code m}. */
    @Override
    public int targetSize() {
        return ground.m;
    }

    /** The regularisation \( \varepsilon \) of this plan (absolute, cost units). */
    public double epsilon() {
        return eps;
    }

    /** The entry \( P_{ij} = \exp((f_i + \varepsilon\log a_i + g_j + \varepsilon\log b_j - C_{ij})/\varepsilon) \). */
    public double entry(int i, int j) {
        Arguments.index("i", i, ground.n);
        Arguments.index("j", j, ground.m);
        return Math.exp((h[i] + w[j] - ground.costEntry(i, j)) / eps);
    }

    /** The dense plan, row-major, length {@code n * m} (allocates \( nm \) doubles: for moderate sizes). */
    @Override
    public double[] toDense() {
        Arguments.product("n * m", ground.n, ground.m);
        return ground.dense(h, w, eps);
    }

    /** \( (P v)_i = \sum_j P_{ij} v_j \), computed without storing \( P \). */
    @Override
    public double[] apply(double[] v) {
        Arguments.finite("v", v);
        Arguments.length("v", v.length, ground.m);
        double[] out = new double[ground.n];
        ground.apply(h, w, eps, v, out);
        return out;
    }

    /** \( (P^\top u)_j = \sum_i P_{ij} u_i \), computed without storing \( P \). */
    @Override
    public double[] applyTransposed(double[] u) {
        Arguments.finite("u", u);
        Arguments.length("u", u.length, ground.n);
        double[] out = new double[ground.m];
        ground.applyTransposed(h, w, eps, u, out);
        return out;
    }

    /**
     * The barycentric projection (entropic map) of a point-cloud plan,
     * \( T(x_i) = \sum_j P_{ij} y_j / \sum_j P_{ij} \), row-major {@code n * d}. At convergence
     * \( \sum_j P_{ij} = a_i \) up to the marginal error, so this is \( \sum_j P_{ij} y_j / a_i \); the row-sum
     * normalisation keeps it defined for atoms of weight zero (it is then the conditional mean under the kernel).
     *
     * @throws IllegalStateException if the plan was computed from a dense cost matrix (no target points)
     */
    public double[] barycentricMap() {
        int[] all = new int[ground.n];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return map(all);
    }

    /**
     * {@link #barycentricMap()} at some source atoms only, \( T(x_{r_k}) \) for the indices \( r_k \) given,
     * row-major {@code rows.length * d}: \( O(m d) \) per row, for a sample of a large plan (a picture of
     * \( 10^5 \) points, say).
     *
     * @param rows source indices in {@code [0, n)}, in any order, repeats allowed (read, not kept)
     * @return the map at those atoms
     * @throws IllegalArgumentException if {@code rows} is null or an index is out of range
     * @throws IllegalStateException    if the plan was computed from a dense cost matrix (no target points)
     */
    public double[] barycentricMap(int[] rows) {
        Arguments.notNull("rows", rows);
        for (int k = 0; k < rows.length; k++) {
            Arguments.index("rows[" + k + "]", rows[k], ground.n);
        }
        return map(rows.clone());
    }

    private double[] map(int[] rows) {
        if (!(ground instanceof LogDomainGibbsKernel.Cloud cloud)) {
            throw new IllegalStateException("barycentricMap needs point clouds; this plan came from a CostMatrix");
        }
        int m = cloud.m;
        int d = cloud.d;
        double[] ys = cloud.ys;
        double[] out = new double[rows.length * d];
        double inv = 1.0 / eps;
        ground.forEach(rows.length, ground.chunkRows(), (long) m * (3L * d + 20), (c, start, end) -> {
            double[] buf = new double[m];
            double[] acc = new double[d];
            for (int r0 = start; r0 < end; r0++) {
                int i = rows[r0];
                cloud.costRow(i, buf);
                // shift by the row maximum so that rows of weight zero (h_i = -inf) are still defined
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    max = Math.max(max, w[j] - buf[j]);
                }
                java.util.Arrays.fill(acc, 0.0);
                double r = 0;
                for (int j = 0; j < m; j++) {
                    double p = Math.exp((w[j] - buf[j] - max) * inv);
                    r += p;
                    for (int k = 0; k < d; k++) {
                        acc[k] += p * ys[j * d + k];
                    }
                }
                for (int k = 0; k < d; k++) {
                    out[r0 * d + k] = acc[k] / r;
                }
            }
        });
        return out;
    }

    /** One line: the sizes, epsilon and whether the plan is of point clouds or of a cost matrix. */
    @Override
    public String toString() {
        return "EntropicPlan[" + ground.n + "x" + ground.m + ", epsilon=" + TextSummary.number(eps) + ", "
                + (ground instanceof LogDomainGibbsKernel.Cloud ? "point clouds" : "cost matrix")
                + ", held implicitly]";
    }
}
