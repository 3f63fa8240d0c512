package org.measureflow.ot.barycenter;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.Histograms;

/**
 * Convolutional entropic Wasserstein barycenters on a regular 1-D or 2-D grid (Solomon, de Goes, Peyr&eacute;, Cuturi,
 * Butscher, Nguyen, Du, Guibas 2015): the barycenter problem of {@link EntropicBarycenter},
 * \[ \min_{p,\ P_k} \sum_k \lambda_k \mathrm{KL}(P_k\mid \xi),\quad P_k^\top\mathbf 1 = b_k,\ P_k\mathbf 1 = p,
 *    \qquad \xi_{cc'} = e^{-|x_c - x_{c'}|^2/\varepsilon}, \]
 * for histograms \( b_k \) on the cells \( x_c \) of one grid, cost \( |x-y|^2 \) (not halved) between cell centres.
 * The Gibbs kernel is never stored: it factors as \( K = K_x\otimes K_y \) and is applied as two one-dimensional
 * passes, in the log domain with line-wise shifts ({@code SeparableGibbsKernel}): \( O(N(n_x + n_y)) \)
 * multiply-adds per application on an \( N = n_x n_y \) grid instead of \( O(N^2) \), fewer when \( \varepsilon \)
 * is small (the kernel's band), and exact for any \( \varepsilon > 0 \) (no underflow of the scalings).
 *
 * <p>Inputs are {@link GridDensity} values on a common grid, each normalised to a probability histogram
 * \( b_{k,c} = \rho_{k,c} / \sum_{c'}\rho_{k,c'} \); the result carries the barycenter histogram and its density
 * \( p_c / |\Delta| \). Iterations, tolerance and stopping rule are those of {@link EntropicBarycenter}.
 */
public final class ConvolutionalBarycenter {
    private final EntropicBarycenter.Options options;

    private ConvolutionalBarycenter(EntropicBarycenter.Options options) {
        this.options = options;
    }

    /** The default options (shared with {@link EntropicBarycenter}); {@link EntropicBarycenter.Options#convolutional()} builds. */
    public static EntropicBarycenter.Options options() {
        return EntropicBarycenter.Options.DEFAULTS;
    }

    /** The solver with the given options. */
    public static ConvolutionalBarycenter of(EntropicBarycenter.Options options) {
        return new ConvolutionalBarycenter(Arguments.notNull("options", options));
    }

    /** This solver's options. */
    public EntropicBarycenter.Options getOptions() {
        return options;
    }

    /**
     * The entropic barycenter of densities on one grid.
     *
     * @param densities the inputs \( \rho_k \), all on the same grid, each with positive mass
     * @param lambda    weights \( \lambda\in\Sigma_K \) (non-negative, summing to 1)
     * @throws IllegalArgumentException naming the offending argument (empty input, different grids, zero mass,
     *                                  weights)
     */
    public BarycenterResult solve(GridDensity[] densities, double[] lambda) {
        Arguments.notNull("densities", densities);
        int count = densities.length;
        if (count == 0) {
            throw new IllegalArgumentException("densities must not be empty");
        }
        Histograms.requireProbability("lambda", lambda, count);
        Arguments.notNull("densities[0]", densities[0]);
        GridDensity.Grid grid = densities[0].grid();
        double[][] b = new double[count][];
        for (int k = 0; k < count; k++) {
            Arguments.notNull("densities[" + k + "]", densities[k]);
            if (!densities[k].grid().equals(grid)) {
                throw new IllegalArgumentException("densities[" + k + "] lies on " + densities[k].grid()
                        + ", expected the grid of densities[0], " + grid);
            }
            b[k] = Histograms.normalised("densities[" + k + "]", densities[k].values());
        }
        int nx = grid.cells(0);
        int ny = grid.dimension() == 2 ? grid.cells(1) : 1;
        double[] xs = new double[nx];
        double[] ys = new double[ny];
        for (int i = 0; i < nx; i++) {
            xs[i] = grid.centre(0, i);
        }
        for (int j = 0; j < ny; j++) {
            ys[j] = grid.dimension() == 2 ? grid.centre(1, j) : 0.0;
        }
        SeparableGibbsKernel kernel = new SeparableGibbsKernel(xs, ys, options.epsilon, options.parallel);
        Bregman.LogKernels ops = new Bregman.LogKernels() {
            @Override
            public void transposed(int k, double[] logu, double[] logvHint, double[] out) {
                kernel.apply(logu, out); // K is symmetric
            }

            @Override
            public void direct(int k, double[] logv, double[] loguHint, double[] out) {
                kernel.apply(logv, out);
            }
        };
        int n = nx * ny;
        Bregman.Outcome o = Bregman.run(ops, b, lambda, n, options.tolerance, options.maxIterations);
        double[] p = new double[n];
        double[] rho = new double[n];
        double volume = grid.cellVolume();
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(o.logp()[c]);
            rho[c] = p[c] / volume;
        }
        return new BarycenterResult(p, GridDensity.of(grid, rho), o.iterations(), o.residual(),
                o.residual() <= options.tolerance);
    }
}
