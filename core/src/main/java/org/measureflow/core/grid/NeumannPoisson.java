package org.measureflow.core.grid;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.parallel.Chunks;

/**
 * The Poisson equation \( -\Delta \varphi = f \) on a cell-centred grid in 1, 2 or 3 dimensions with no flux through
 * the boundary (homogeneous Neumann conditions), solved exactly (to round-off) in \( O(N \log N) \) for power-of-two
 * axes. This is the step \( \Delta^{-1} \) of the Dacorogna&ndash;Moser field (survey eq. 3) and the preconditioner of
 * the weighted problem \( -\nabla\cdot(\rho \nabla\varphi) = \partial_t\rho \) of the least-effort field (eqs. 4&ndash;6).
 *
 * <p>Discretisation: the standard finite-volume Laplacian
 * \( (\Delta_h \varphi)_c = \sum_k (\varphi_{c + e_k} - 2\varphi_c + \varphi_{c - e_k}) / h_k^2 \), where a
 * neighbour outside the grid is replaced by \( \varphi_c \) itself (zero flux through the boundary face). It is
 * second-order accurate and diagonalised by the orthonormal DCT-II along each axis ({@link DiscreteCosineTransform})
 * with eigenvalues \( \lambda_{k} = \sum_a (2 - 2\cos(\pi k_a / n_a)) / h_a^2 \). The constant mode has eigenvalue
 * 0: the equation is solvable only when \( \sum_c f_c = 0 \), so the solver removes the mean of \( f \) (the
 * compatible part of the right-hand side) and returns the solution with mean 0.
 *
 * <p>Holds work buffers, so solves on one instance take turns (they are synchronized). Within a solve the
 * transforms of the lines of one axis run in parallel over fixed chunks of lines ({@link Chunks}), each chunk with
 * its own transforms, so results do not depend on the number of threads.
 */
public final class NeumannPoisson {
    private static final int LINES_PER_CHUNK = 64;
    private final Grid grid;
    private final int size;
    private final int[] cells;
    private final double[] inverseEigenvalue;
    private final DiscreteCosineTransform[][] transforms; // [axis][chunk]

    private NeumannPoisson(Grid grid) {
        this.grid = grid;
        int dim = grid.dimension();
        this.size = grid.size();
        this.cells = new int[dim];
        double[][] eigen = new double[dim][];
        transforms = new DiscreteCosineTransform[dim][];
        for (int a = 0; a < dim; a++) {
            int n = grid.cells(a);
            cells[a] = n;
            double h = grid.cellSize(a);
            eigen[a] = new double[n];
            for (int k = 0; k < n; k++) {
                double s = Math.sin(Math.PI * k / (2.0 * n)) / h;
                eigen[a][k] = 4 * s * s;
            }
            int chunks = Chunks.count(size / n, LINES_PER_CHUNK);
            transforms[a] = new DiscreteCosineTransform[chunks];
            for (int c = 0; c < chunks; c++) {
                transforms[a][c] = DiscreteCosineTransform.of(n);
            }
        }
        inverseEigenvalue = new double[size];
        for (int c = 0; c < size; c++) {
            int rest = c;
            double lambda = 0;
            for (int a = dim - 1; a >= 0; a--) {
                lambda += eigen[a][rest % cells[a]];
                rest /= cells[a];
            }
            inverseEigenvalue[c] = c == 0 ? 0 : 1 / lambda;
        }
        Arguments.finiteResult("grid", "the inverse eigenvalues 1 / lambda_k of the Laplacian", inverseEigenvalue);
    }

    /**
     * The solver on {@code grid}.
     *
     * @throws IllegalArgumentException if {@code grid} is null, or its cells are so small that an eigenvalue
     *                                  \( 4/h^2 \) overflows
     */
    public static NeumannPoisson of(Grid grid) {
        Arguments.notNull("grid", grid);
        return new NeumannPoisson(grid);
    }

    /** The grid. */
    public Grid grid() {
        return grid;
    }

    /**
     * The mean-zero \( \varphi \) with \( -\Delta_h \varphi = f - \bar f \), where \( \bar f \) is the mean of
     * {@code f}.
     *
     * @param f one finite value per cell, row-major as in {@link Grid}; not modified
     * @return a new array holding \( \varphi \)
     * @throws IllegalArgumentException if {@code f} has the wrong length or a non-finite entry
     */
    public double[] solve(double[] f) {
        Arguments.notNull("f", f);
        Arguments.length("f", f.length, size);
        Arguments.finite("f", f);
        double[] out = new double[size];
        solve(f, out);
        Arguments.finiteResult("f", "the solution phi", out);
        return out;
    }

    /**
     * Writes the mean-zero \( \varphi \) with \( -\Delta_h \varphi = f - \bar f \) into {@code out}: the allocation-free
     * form for iterative methods (preconditioned conjugate gradients). Unchecked beyond the lengths: the caller
     * passes finite values. {@code out} may be {@code f} itself.
     *
     * @throws IllegalArgumentException if an array is null or has the wrong length
     */
    public synchronized void solve(double[] f, double[] out) {
        Arguments.notNull("f", f);
        Arguments.notNull("out", out);
        Arguments.length("f", f.length, size);
        Arguments.length("out", out.length, size);
        if (out != f) {
            System.arraycopy(f, 0, out, 0, size);
        }
        for (int a = 0; a < cells.length; a++) {
            transformAxis(out, a, false);
        }
        for (int c = 0; c < size; c++) {
            out[c] *= inverseEigenvalue[c];
        }
        for (int a = cells.length - 1; a >= 0; a--) {
            transformAxis(out, a, true);
        }
    }

    /** The DCT-II (or its inverse) of every line of {@code f} along {@code axis}, in place. */
    private void transformAxis(double[] f, int axis, boolean inverse) {
        int n = cells[axis];
        if (n == 1) {
            return;
        }
        int stride = 1;
        for (int a = axis + 1; a < cells.length; a++) {
            stride *= cells[a];
        }
        int inner = stride;
        int lines = size / n;
        DiscreteCosineTransform[] chunkTransforms = transforms[axis];
        Chunks.forEach(lines, LINES_PER_CHUNK, 10L * n * (32 - Integer.numberOfLeadingZeros(n)),
                (chunk, start, end) -> {
                    DiscreteCosineTransform dct = chunkTransforms[chunk];
                    for (int line = start; line < end; line++) {
                        int off = (line / inner) * n * inner + line % inner;
                        if (inverse) {
                            dct.inverse(f, off, inner);
                        } else {
                            dct.forward(f, off, inner);
                        }
                    }
                });
    }

    @Override
    public String toString() {
        return "NeumannPoisson[" + grid + "]";
    }
}
