package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;

/**
 * The Gibbs kernel \( K_{ij} = e^{-C_{ij}/\varepsilon} \) of a ground cost, applied in the log domain: the fused
 * log-sum-exp operations that {@link SinkhornSolver} runs internally, opened to the other scaling algorithms of
 * the {@code ot} module (unbalanced transport, barycenters). Every operation works on plans written as
 * \[ P_{ij} = \exp\bigl((h_i + w_j - C_{ij})/\varepsilon\bigr) \]
 * for "log-weights" \( h \in [-\infty, \infty)^n \), \( w \in [-\infty,\infty)^m \) (for instance
 * \( h_i = f_i + \varepsilon\log a_i \)); an entry \( -\infty \) is an atom of weight zero.
 *
 * <p>Two grounds: a dense {@link CostMatrix} (read in place) or two point clouds with \( C_{ij} = |x_i - y_j|^2 \)
 * computed on the fly (memory \( O((n+m)d) \)). Each sum is accumulated by one thread in a fixed order over fixed
 * chunks of rows ({@link org.measureflow.core.parallel.Chunks}), so parallel and serial runs give identical bits.
 * The sums are robust: one pass shifted by \( h_i \) (resp. \( w_j \)), and a max-shifted second pass for any row
 * or column whose shifted sum leaves \( [10^{-280}, 10^{280}] \); no NaN or overflow for any \( \varepsilon > 0 \).
 *
 * <p>Immutable; the arrays passed in are read, never kept, and only the {@code out} arguments are written.
 */
public final class LogKernel {
    private final Ground ground;
    private final double scale;

    private LogKernel(Ground ground, double scale) {
        this.ground = ground;
        this.scale = scale;
    }

    /**
     * The kernel of a dense cost matrix (kept by reference; {@link CostMatrix} is immutable).
     *
     * @param c        the {@code n x m} cost
     * @param parallel whether chunks may run on the common fork-join pool (same bits either way)
     * @throws IllegalArgumentException if {@code c} is null
     */
    public static LogKernel of(CostMatrix c, boolean parallel) {
        Arguments.notNull("c", c);
        return new LogKernel(new Ground.Dense(c, parallel), c.maxAbs());
    }

    /**
     * The kernel of the squared Euclidean cost \( C_{ij} = |x_i - y_j|^2 \) (not halved) between the atoms of two
     * point clouds, computed on the fly; the weights of the measures are not used.
     *
     * @throws IllegalArgumentException if a measure is null or the dimensions differ
     */
    public static LogKernel of(ParticleMeasure x, ParticleMeasure y, boolean parallel) {
        Ground.Cloud cloud = SinkhornSolver.cloud(x, y, parallel);
        return new LogKernel(cloud, SinkhornSolver.maxCostBound(cloud.xs, cloud.ys, cloud.d));
    }

    /** Number of rows {@code n}. */
    public int rows() {
        return ground.n;
    }

    /** Number of columns {@code m}. */
    public int cols() {
        return ground.m;
    }

    /**
     * The cost's range: \( \max_{ij}|C_{ij}| \) for a dense cost, the squared diameter of a bounding box of both
     * clouds (an upper bound of \( \max_{ij} C_{ij} \)) for point clouds.
     */
    public double costScale() {
        return scale;
    }

    /** The entry \( C_{ij} \). */
    public double cost(int i, int j) {
        return ground.cost(i, j);
    }

    /**
     * Row log-sums \( \mathrm{out}_i = \log\sum_j \exp((h_i + w_j - C_{ij})/\varepsilon) = \log (P\mathbf 1)_i \).
     *
     * @param h   length {@code n}; entries finite or \( -\infty \)
     * @param w   length {@code m}; entries finite or \( -\infty \), not all \( -\infty \)
     * @param eps \( \varepsilon > 0 \)
     * @param out length {@code n}, overwritten
     */
    public void rowLogSums(double[] h, double[] w, double eps, double[] out) {
        ground.rowLogSums(h, w, eps, out);
    }

    /**
     * Column log-sums \( \mathrm{out}_j = \log\sum_i \exp((h_i + w_j - C_{ij})/\varepsilon) = \log (P^\top\mathbf 1)_j \);
     * arguments as in {@link #rowLogSums}, with {@code out} of length {@code m}.
     */
    public void colLogSums(double[] h, double[] w, double eps, double[] out) {
        ground.colLogSums(h, w, eps, out);
    }

    /**
     * One exact pass over the plan: writes its row sums \( P\mathbf 1 \) into {@code rows} and column sums
     * \( P^\top\mathbf 1 \) into {@code cols}, and returns the transport cost \( \langle P, C\rangle \) (column sums
     * and cost are combined from per-chunk partials in chunk order).
     */
    public double statistics(double[] h, double[] w, double eps, double[] rows, double[] cols) {
        return ground.statistics(h, w, eps, rows, cols);
    }

    /**
     * The plan \( P_{ij} = \exp((h_i + w_j - C_{ij})/\varepsilon) \) as an {@link EntropicPlan} (evaluated on
     * demand; {@code h} and {@code w} are copied).
     */
    public EntropicPlan plan(double[] h, double[] w, double eps) {
        Arguments.length("h", h.length, ground.n);
        Arguments.length("w", w.length, ground.m);
        Arguments.positive("eps", eps);
        return new EntropicPlan(ground, h.clone(), w.clone(), eps);
    }
}
