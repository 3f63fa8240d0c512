package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.sinkhorn.SeparableGibbsKernel;

/**
 * Convolutional entropic Wasserstein barycenters on a regular 1-D or 2-D grid (Solomon, de Goes, Peyr&eacute;, Cuturi,
 * Butscher, Nguyen, Du, Guibas 2015): the barycenter problem of {@link EntropicBarycenter},
 * \[ \min_{p,\ P_k} \sum_k \lambda_k \mathrm{KL}(P_k\mid \xi),\quad P_k^\top\mathbf 1 = b_k,\ P_k\mathbf 1 = p,
 *    \qquad \xi_{cc'} = e^{-|x_c - x_{c'}|^2/\varepsilon}, \]
 * for histograms \( b_k \) on the cells \( x_c \) of one grid, cost \( |x-y|^2 \) (not halved) between cell centres.
 * The Gibbs kernel is never stored: it factors as \( K = K_x\otimes K_y \) and is applied as two one-dimensional
 * passes, in the log domain with line-wise shifts ({@link SeparableGibbsKernel#applyLog(double[], double[])}):
 * \( O(N(n_x + n_y)) \) multiply-adds per application on an \( N = n_x n_y \) grid instead of \( O(N^2) \), fewer
 * when \( \varepsilon \) is small (the kernel's band), and exact for any \( \varepsilon > 0 \) (no underflow of the
 * scalings).
 *
 * <p>Inputs are {@link GridDensity} values on a common grid, each normalised to a probability histogram
 * \( b_{k,c} = \rho_{k,c} / \sum_{c'}\rho_{k,c'} \); the result carries the barycenter histogram and its density
 * \( p_c / |\Delta| \). The iteration and its stopping rule (the coupling residual
 * \( \sum_k\lambda_k\|P_k\mathbf 1 - p\|_1 \), the {@link BarycenterResult#error()}) are those of
 * {@link EntropicBarycenter}.
 *
 * <p>Made by {@link #of(double)}: \( \varepsilon \) is required (absolute, in the units of squared grid distances).
 * Defaults of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9} on the L1 coupling residual;</li>
 * <li>{@code maxIterations = 10000};</li>
 * <li>{@code parallel = true}: chunks may run on the common fork-join pool (identical results either way).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ConvolutionalBarycenter {
    private final double epsilon;
    private final double tolerance;
    private final long maxIterations;
    private final boolean parallel;

    private ConvolutionalBarycenter(double epsilon, double tolerance, long maxIterations, boolean parallel) {
        this.epsilon = epsilon;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.parallel = parallel;
    }

    /**
     * The solver for the given regularisation, with the other defaults of the class documentation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, absolute (units of squared grid distances)
     * @return the solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static ConvolutionalBarycenter of(double epsilon) {
        return new ConvolutionalBarycenter(Arguments.positive("epsilon", epsilon), 1e-9, 10_000, true);
    }

    /**
     * This solver with another regularisation.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public ConvolutionalBarycenter withEpsilon(double epsilon) {
        return new ConvolutionalBarycenter(Arguments.positive("epsilon", epsilon), tolerance, maxIterations,
                parallel);
    }

    /**
     * This solver with another tolerance on the L1 coupling residual.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public ConvolutionalBarycenter withTolerance(double tolerance) {
        return new ConvolutionalBarycenter(epsilon, Arguments.positive("tolerance", tolerance), maxIterations,
                parallel);
    }

    /**
     * This solver with another iteration budget.
     *
     * @param maxIterations {@code > 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public ConvolutionalBarycenter withMaxIterations(long maxIterations) {
        return new ConvolutionalBarycenter(epsilon, tolerance, Arguments.positive("maxIterations", maxIterations),
                parallel);
    }

    /**
     * This solver with parallel chunks allowed (default) or forbidden; the results are the same bits either way.
     *
     * @param parallel whether to use the common fork-join pool for large grids
     * @return a new solver
     */
    public ConvolutionalBarycenter withParallel(boolean parallel) {
        return new ConvolutionalBarycenter(epsilon, tolerance, maxIterations, parallel);
    }

    /** The regularisation \( \varepsilon \) (absolute). */
    public double epsilon() {
        return epsilon;
    }

    /** The tolerance on the L1 coupling residual. */
    public double tolerance() {
        return tolerance;
    }

    /** The iteration budget. */
    public long maxIterations() {
        return maxIterations;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * The entropic barycenter of densities on one grid.
     *
     * @param densities the inputs \( \rho_k \), all on the same grid, each with positive mass
     * @param lambda    weights \( \lambda\in\Sigma_K \) (non-negative, summing to 1)
     * @return the barycenter histogram and density, and how the iteration ended
     * @throws IllegalArgumentException naming the offending argument (empty input, different grids, zero mass,
     *                                  weights)
     */
    public BarycenterResult solve(GridDensity[] densities, double[] lambda) {
        return solve(densities, lambda, IterationObserver.none());
    }

    /**
     * {@link #solve(GridDensity[], double[])} watched by an observer, called after every iteration with the
     * iteration count and the coupling residual; returning {@code false} stops the iteration.
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity[], double[])}, or if {@code observer} is null
     */
    public BarycenterResult solve(GridDensity[] densities, double[] lambda, IterationObserver observer) {
        Arguments.nonEmpty("densities", densities);
        int count = densities.length;
        Arguments.probabilityVector("lambda", lambda, count);
        Arguments.noNulls("densities", densities);
        Arguments.notNull("observer", observer);
        GridDensity.Grid grid = densities[0].grid();
        double[][] b = new double[count][];
        for (int k = 0; k < count; k++) {
            if (!densities[k].grid().equals(grid)) {
                // a rule Arguments cannot state: the inputs must share one grid
                throw new IllegalArgumentException("densities[" + k + "] lies on " + densities[k].grid()
                        + ", expected the grid of densities[0], " + grid);
            }
            b[k] = Histograms.normalised("densities[" + k + "]", densities[k].values());
        }
        double diameter2 = 0;
        for (int axis = 0; axis < grid.dimension(); axis++) {
            double extent = grid.upper(axis) - grid.lower(axis);
            diameter2 += extent * extent;
        }
        Bregman.requireResolvable("the grid of densities[0]", diameter2, epsilon);
        SeparableGibbsKernel kernel = SeparableGibbsKernel.of(grid, epsilon, parallel);
        Bregman.LogDomainProducts ops = new Bregman.LogDomainProducts() {
            @Override
            public void transposed(int k, double[] logu, double[] logvHint, double[] out) {
                kernel.applyLog(logu, out); // K is symmetric
            }

            @Override
            public void direct(int k, double[] logv, double[] loguHint, double[] out) {
                kernel.applyLog(logv, out);
            }
        };
        int n = grid.size();
        Bregman.Outcome o = Bregman.run(ops, b, lambda, n, tolerance, maxIterations, observer);
        double[] p = new double[n];
        double[] rho = new double[n];
        double volume = grid.cellVolume();
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(o.logp()[c]);
            rho[c] = p[c] / volume;
        }
        Arguments.finiteResult("epsilon", "the barycenter's density", rho);
        return new BarycenterResult(p, GridDensity.of(grid, rho),
                Convergence.tested(o.iterations(), o.residual(), tolerance, o.stopped()));
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "ConvolutionalBarycenter[epsilon=" + TextSummary.number(epsilon) + ", tolerance="
                + TextSummary.brief(tolerance) + ", maxIterations=" + maxIterations + ", parallel=" + parallel + "]";
    }
}
