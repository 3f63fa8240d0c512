package org.measureflow.core.measure;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The values \( \rho_c \) of a density on a regular cell-centred grid in one, two or three dimensions: the Eulerian view of
 * a measure, \( \rho(t, x) \) in the continuity equation \( \partial_t \rho + \mathrm{div}(\rho v) = 0 \)
 * (survey eq. 2). The density is read as piecewise constant on the cells, so integrals are midpoint sums
 * \( \int f \rho \approx \sum_c f(x_c)\, \rho_c\, |\Delta| \) over the cell centres \( x_c \) with cell volume
 * \( |\Delta| \); for smooth integrands the error is \( O(h^2) \).
 *
 * <p>Layout: {@link Grid} describes the box \( \prod_k [lo_k, hi_k] \) cut into
 * \( n_0 \times \dots \times n_{d-1} \) cells of size \( h_k = (hi_k - lo_k)/n_k \), with centres
 * \( x_i = lo + (i + 1/2) h \). Values are stored row-major (the last axis fastest): in 2-D the value of cell
 * {@code (i, j)} ({@code i} along x, {@code j} along y) is at index {@code i * ny + j}, in 3-D cell {@code (i, j, k)}
 * is at {@code (i * ny + j) * nz + k}. Immutable: arrays are copied in and out. Values are finite and non-negative; the total
 * mass \( \sum_c \rho_c |\Delta| \) need not be 1 (see {@link #normalised()}).
 *
 * <p>From particles to the grid (the Lagrangian view to the Eulerian one): {@link #histogram} (each particle in its
 * cell), {@link #cloudInCell} (multilinear weights on the neighbouring centres, mass exact, first moment exact away
 * from the walls) and {@link #kernelDensity} (a Gaussian kernel density estimate, computed as a cloud-in-cell deposit
 * smoothed by a separable convolution that reflects at the walls). Back to particles: {@link #toParticleMeasure()}
 * (weighted cell centres) and {@link #sample(int, RandomGenerator)} (independent draws from the piecewise-constant
 * density). All of them work in 1, 2 and 3 dimensions.
 */
public final class GridDensity {
    private final Grid grid;
    private final double[] values;

    private GridDensity(Grid grid, double[] values) {
        this.grid = grid;
        this.values = values;
    }

    /**
     * A density of finite non-negative values whose mass is finite too: the sum of the values, and the mass
     * \( \sum_c \rho_c |\Delta| \), must not overflow (the message names {@code name}, the argument the values
     * came from).
     */
    private static GridDensity withFiniteMass(String name, Grid grid, double[] values) {
        GridDensity density = new GridDensity(grid, values);
        Arguments.finiteResult(name, "the mass sum_c rho_c |cell|", density.mass());
        return density;
    }

    /**
     * A regular cell-centred grid on a box in dimension 1, 2 or 3. Immutable.
     */
    public static final class Grid {
        private final double[] lower;
        private final double[] upper;
        private final int[] cells;
        private final double[] step;

        private Grid(double[] lower, double[] upper, int[] cells) {
            for (int k = 0; k < cells.length; k++) {
                String axis = axisName(k, cells.length);
                Arguments.finite("lo" + axis, lower[k]);
                Arguments.finite("hi" + axis, upper[k]);
                if (!(lower[k] < upper[k])) {
                    throw new IllegalArgumentException("lo" + axis + " must be < hi" + axis + ", got lo = "
                            + lower[k] + ", hi = " + upper[k]);
                }
                Arguments.positive("cells" + axis, cells[k]);
            }
            // checked product: in 3-D three int counts can overflow a long (2^30 cubed wrapped to 0)
            Arguments.product("cells (the number of cells)", cells);
            this.lower = lower;
            this.upper = upper;
            this.cells = cells;
            this.step = new double[cells.length];
            double volume = 1;
            for (int k = 0; k < cells.length; k++) {
                step[k] = (upper[k] - lower[k]) / cells[k];
                volume *= step[k];
                String axis = axisName(k, cells.length);
                if (!(step[k] >= Double.MIN_NORMAL) || step[k] == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("hi" + axis + ": the cell size (hi - lo) / cells = ("
                            + upper[k] + " - " + lower[k] + ") / " + cells[k] + " = " + step[k]
                            + " leaves the normal double range");
                }
            }
            if (!(volume >= Double.MIN_NORMAL) || volume == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("hi: the cell volume " + Arrays.toString(step).replace(", ", " * ")
                        + " = " + volume + " leaves the normal double range");
            }
        }

        private static String axisName(int k, int dimension) {
            return dimension == 1 ? "" : " (" + "xyz".charAt(k) + ")";
        }

        /**
         * The 1-D grid on \( [lo, hi] \) with {@code cells} cells.
         *
         * @throws IllegalArgumentException unless {@code lo < hi} are finite and {@code cells >= 1}, or if the cell
         *                                  size \( (hi - lo)/cells \) leaves the normal double range
         */
        public static Grid of1d(double lo, double hi, int cells) {
            return new Grid(new double[]{lo}, new double[]{hi}, new int[]{cells});
        }

        /**
         * The 2-D grid on \( [xlo, xhi] \times [ylo, yhi] \) with {@code nx * ny} cells.
         *
         * @throws IllegalArgumentException unless each {@code lo < hi} is finite and each count is {@code >= 1}, or if
         *                                  a cell size or the cell area leaves the normal double range, or
         *                                  {@code nx * ny} exceeds the largest array
         */
        public static Grid of2d(double xlo, double xhi, int nx, double ylo, double yhi, int ny) {
            return new Grid(new double[]{xlo, ylo}, new double[]{xhi, yhi}, new int[]{nx, ny});
        }

        /**
         * The 3-D grid on \( [xlo, xhi] \times [ylo, yhi] \times [zlo, zhi] \) with {@code nx * ny * nz} cells.
         *
         * @throws IllegalArgumentException unless each {@code lo < hi} is finite and each count is {@code >= 1}, or if
         *                                  a cell size or the cell volume leaves the normal double range, or
         *                                  {@code nx * ny * nz} exceeds the largest array
         */
        public static Grid of3d(double xlo, double xhi, int nx, double ylo, double yhi, int ny, double zlo, double zhi,
                int nz) {
            return new Grid(new double[]{xlo, ylo, zlo}, new double[]{xhi, yhi, zhi}, new int[]{nx, ny, nz});
        }

        /** Dimension (1, 2 or 3). */
        public int dimension() {
            return cells.length;
        }

        /** Lower edge \( lo_k \) of the box along {@code axis}. */
        public double lower(int axis) {
            return lower[axis];
        }

        /** Upper edge \( hi_k \) of the box along {@code axis}. */
        public double upper(int axis) {
            return upper[axis];
        }

        /** Number of cells \( n_k \) along {@code axis}. */
        public int cells(int axis) {
            return cells[axis];
        }

        /** Cell size \( h_k = (hi_k - lo_k)/n_k \) along {@code axis}. */
        public double cellSize(int axis) {
            return step[axis];
        }

        /** Cell volume \( |\Delta| = \prod_k h_k \) (a length in 1-D, an area in 2-D, a volume in 3-D). */
        public double cellVolume() {
            double v = 1;
            for (double h : step) {
                v *= h;
            }
            return v;
        }

        /** Total number of cells \( \prod_k n_k \) (checked against overflow when the grid is made). */
        public int size() {
            int s = 1;
            for (int c : cells) {
                s *= c;
            }
            return s;
        }

        /** Centre \( lo_k + (i + 1/2) h_k \) of cell {@code i} along {@code axis}. */
        public double centre(int axis, int i) {
            return lower[axis] + (i + 0.5) * step[axis];
        }

        /** The cell centres, flat and row-major: cell {@code c} occupies {@code [c*dim, c*dim + dim)}. */
        public double[] cellCentres() {
            int dim = cells.length;
            int size = size();
            double[] out = new double[Arguments.product("cells (cells * dimension)", size, dim)];
            // the stride of axis a in the flat index is the product of the cell counts of the later axes
            int stride = 1;
            for (int a = dim - 1; a >= 0; a--) {
                int n = cells[a];
                for (int c = 0; c < size; c++) {
                    out[c * dim + a] = centre(a, (c / stride) % n);
                }
                stride *= n;
            }
            return out;
        }

        /**
         * The flat row-major index of the cell with the per-axis indices {@code index} (one per axis).
         *
         * @throws IllegalArgumentException if {@code index} has the wrong length or an entry is outside the grid
         */
        public int flatIndex(int... index) {
            Arguments.notNull("index", index);
            Arguments.length("index", index.length, cells.length);
            int flat = 0;
            for (int k = 0; k < cells.length; k++) {
                if (index[k] < 0 || index[k] >= cells[k]) {
                    throw new IllegalArgumentException("index: cell " + Arrays.toString(index) + " is outside the "
                            + Arrays.toString(cells).replace(", ", " x ") + " grid");
                }
                flat = flat * cells[k] + index[k];
            }
            return flat;
        }

        /**
         * The flat index of the cell holding the point {@code x[offset .. offset + dim - 1]}, or {@code -1} if the
         * point lies outside the closed box. A point on an inner cell face belongs to the upper cell; a point on
         * the upper edge of the box belongs to the last cell.
         */
        public int cellIndex(double[] x, int offset) {
            int index = 0;
            for (int k = 0; k < cells.length; k++) {
                double v = x[offset + k];
                if (!(v >= lower[k] && v <= upper[k])) {
                    return -1;
                }
                int i = (int) Math.floor((v - lower[k]) / step[k]);
                i = Math.min(Math.max(i, 0), cells[k] - 1);
                index = index * cells[k] + i;
            }
            return index;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Grid g && Arrays.equals(lower, g.lower) && Arrays.equals(upper, g.upper)
                    && Arrays.equals(cells, g.cells);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(lower) + Arrays.hashCode(upper)) + Arrays.hashCode(cells);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Grid[");
            for (int k = 0; k < cells.length; k++) {
                if (k > 0) {
                    s.append(" x ");
                }
                s.append('[').append(lower[k]).append(", ").append(upper[k]).append("]/").append(cells[k]);
            }
            return s.append(']').toString();
        }
    }

    /**
     * A density on {@code grid} with the given cell values (copied).
     *
     * @param grid   the grid
     * @param values one finite non-negative value per cell, row-major ({@code i * ny + j} in 2-D)
     * @return the density
     * @throws IllegalArgumentException if {@code values} has the wrong length or holds a negative or non-finite
     *                                  entry, or the mass \( \sum_c \rho_c |\Delta| \) overflows
     */
    public static GridDensity of(Grid grid, double[] values) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("values", values);
        Arguments.length("values", values.length, grid.size());
        for (int c = 0; c < values.length; c++) {
            double v = values[c];
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("values[" + c + "] must be finite and >= 0, got " + v);
            }
        }
        return withFiniteMass("values", grid, values.clone());
    }

    /**
     * A density on the 1-D grid of {@code cells} cells on \( [lo, hi] \).
     *
     * @param lo     lower end of the interval
     * @param hi     upper end, {@code hi > lo}
     * @param cells  number of cells, {@code >= 1}
     * @param values {@code cells} finite non-negative values
     * @return the density
     * @throws IllegalArgumentException on an invalid grid or invalid values
     */
    public static GridDensity of1d(double lo, double hi, int cells, double[] values) {
        return of(Grid.of1d(lo, hi, cells), values);
    }

    /**
     * A density on the 2-D grid of {@code nx * ny} cells on \( [xlo, xhi] \times [ylo, yhi] \).
     *
     * @param xlo    lower end along x
     * @param xhi    upper end along x, {@code xhi > xlo}
     * @param nx     number of cells along x, {@code >= 1}
     * @param ylo    lower end along y
     * @param yhi    upper end along y, {@code yhi > ylo}
     * @param ny     number of cells along y, {@code >= 1}
     * @param values {@code nx * ny} finite non-negative values, row-major: cell {@code (i, j)} at {@code i * ny + j}
     * @return the density
     * @throws IllegalArgumentException on an invalid grid or invalid values
     */
    public static GridDensity of2d(double xlo, double xhi, int nx, double ylo, double yhi, int ny, double[] values) {
        return of(Grid.of2d(xlo, xhi, nx, ylo, yhi, ny), values);
    }

    /**
     * A density on the 3-D grid of {@code nx * ny * nz} cells on
     * \( [xlo, xhi] \times [ylo, yhi] \times [zlo, zhi] \).
     *
     * @param values {@code nx * ny * nz} finite non-negative values, row-major: cell {@code (i, j, k)} at
     *               {@code (i * ny + j) * nz + k}
     * @return the density
     * @throws IllegalArgumentException on an invalid grid or invalid values
     */
    public static GridDensity of3d(double xlo, double xhi, int nx, double ylo, double yhi, int ny, double zlo,
            double zhi, int nz, double[] values) {
        return of(Grid.of3d(xlo, xhi, nx, ylo, yhi, ny, zlo, zhi, nz), values);
    }

    /**
     * The density \( \rho_c = f(x_c) \) sampled at the cell centres. The point passed to {@code f} is a buffer
     * reused from cell to cell: {@code f} must not keep it.
     *
     * @throws IllegalArgumentException if {@code f} returns a negative or non-finite value (the cell is named), or
     *                                  the mass overflows
     */
    public static GridDensity fromFunction(Grid grid, ToDoubleFunction<double[]> f) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("f", f);
        int dim = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] values = new double[grid.size()];
        double[] x = new double[dim];
        for (int c = 0; c < values.length; c++) {
            System.arraycopy(centres, c * dim, x, 0, dim);
            double v = f.applyAsDouble(x);
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("f must be finite and >= 0, got " + v + " at cell " + c
                        + " centred at " + Arrays.toString(Arrays.copyOfRange(centres, c * dim, c * dim + dim)));
            }
            values[c] = v;
        }
        return withFiniteMass("f", grid, values);
    }

    /**
     * The histogram density of a particle measure: \( \rho_c = \frac{1}{|\Delta|} \sum_{i : x_i \in c} w_i \).
     * Particles outside the closed box are dropped, so the result's {@link #mass()} is the weight inside the box
     * (1 when nothing is dropped). Cell membership follows {@link Grid#cellIndex(double[], int)}.
     *
     * @throws IllegalArgumentException if the dimensions of {@code mu} and {@code grid} differ
     */
    public static GridDensity histogram(ParticleMeasure mu, Grid grid) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("grid", grid);
        int dim = grid.dimension();
        Arguments.length("mu (dimension)", mu.dimension(), dim);
        double[] values = new double[grid.size()];
        double[] x = new double[dim];
        int n = mu.size();
        for (int i = 0; i < n; i++) {
            mu.copyPoint(i, x, 0);
            int c = grid.cellIndex(x, 0);
            if (c >= 0) {
                values[c] += mu.weight(i);
            }
        }
        double inv = 1.0 / grid.cellVolume();
        for (int c = 0; c < values.length; c++) {
            values[c] *= inv;
        }
        return new GridDensity(grid, values);
    }

    /**
     * The cloud-in-cell (multilinear) deposit of a particle measure on the cell centres:
     * \[ \rho_c = \frac{1}{|\Delta|} \sum_i w_i \prod_k \omega_k(x_{i,k}, c_k), \qquad
     * \omega_k(x, c) = \max\Bigl(0,\; 1 - \frac{|x - x_{c}|}{h_k}\Bigr), \]
     * so each particle splits its weight among the \( 2^d \) centres around it (the linear interpolation weights,
     * the transpose of interpolating a grid function at \( x_i \)).
     *
     * <p><b>Mass</b> is exact: every particle inside the closed box hands out all of its weight. Between a wall and
     * the outermost centre, the weight that would go to a ghost cell beyond the wall is kept in the boundary cell (the
     * deposit of the particle and of its mirror image, folded back). Particles outside the box are dropped, as in
     * {@link #histogram}; {@link #mass()} then reports the weight inside the box (1 when nothing is dropped).
     *
     * <p><b>First moment</b>: along each axis \( \sum_c \omega(x, c)\, x_c = x \) for a particle between the
     * outermost centres, so when every particle lies in \( \prod_k [lo_k + h_k/2, hi_k - h_k/2] \) the deposit's
     * {@link #mean()} equals the particles' mean (to round-off). Its {@link #covariance()} is then the particles'
     * covariance plus \( \mathrm{diag}_k \sum_i w_i f_{ik}(1 - f_{ik}) h_k^2 \le h_k^2/4 \), \( f_{ik} \) the
     * fractional position of particle \( i \) between its centres along axis \( k \).
     *
     * <p>Cost: one pass over the particles, \( 2^d \) cells each.
     *
     * @param mu   the particles (dimension of {@code grid})
     * @param grid the grid
     * @return the deposited density, mass = weight of the particles inside the box
     * @throws IllegalArgumentException if an argument is null or the dimensions of {@code mu} and {@code grid} differ
     */
    public static GridDensity cloudInCell(ParticleMeasure mu, Grid grid) {
        checkParticlesOnGrid(mu, grid);
        return fromMasses("mu", grid, CloudInCell.masses(mu, grid));
    }

    /**
     * The Gaussian kernel density estimate of a particle measure with the same bandwidth \( b \) (in the data's
     * units) along every axis; see {@link #kernelDensity(ParticleMeasure, Grid, double[])}. The bandwidth has no
     * scale-free default, so it is required; {@link #kernelDensityScott(ParticleMeasure, Grid)} chooses one from the
     * data by Scott's rule.
     *
     * @param bandwidth the kernel's standard deviation \( b \gt 0 \), finite
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, or {@code bandwidth} is not
     *                                  finite and positive
     */
    public static GridDensity kernelDensity(ParticleMeasure mu, Grid grid, double bandwidth) {
        checkParticlesOnGrid(mu, grid);
        Arguments.positive("bandwidth", bandwidth);
        double[] b = new double[grid.dimension()];
        Arrays.fill(b, bandwidth);
        return kernelDensityUnchecked(mu, grid, b);
    }

    /**
     * The Gaussian kernel density estimate of a particle measure on the cell centres, with the kernel reflected at
     * the walls of the box:
     * \[ \hat\rho(x) = \sum_{i : x_i \in \text{box}} w_i \prod_{k} \sum_{y \in R_k(x_{i,k})}
     * \varphi_{b_k}(x_k - y), \qquad \varphi_b(z) = \frac{e^{-z^2/(2b^2)}}{\sqrt{2\pi}\, b}, \]
     * where \( R_k(x) = \{x + 2mL_k,\; 2lo_k - x + 2mL_k : m \in \mathbb{Z}\} \) are the mirror images of
     * \( x \) across the walls (\( L_k = hi_k - lo_k \)).
     *
     * <p><b>Mass.</b> The reflection keeps every particle's kernel inside the box (no mass leaves it, and
     * \( \partial_n \hat\rho = 0 \) on the walls, the no-flux condition of the continuity equation, survey
     * eq. 2). So the result's {@link #mass()} is the weight of the particles inside the closed box, exactly (to
     * round-off), as for {@link #cloudInCell}; particles outside the box are dropped. Near a wall the estimate
     * differs from the plain sum of Gaussians (which would leak mass through the wall); choose a box wider than the
     * data by \( 8b \) to get the plain estimate.
     *
     * <p><b>Method.</b> The particles are deposited by {@link #cloudInCell} (masses \( m_c \)), then smoothed along
     * each axis by the discrete Gaussian \( g_o \propto e^{-o^2 h_k^2/(2 b_k^2)} \), \( |o| \le
     * \lfloor 8 b_k/h_k \rfloor \), normalised to \( \sum_o g_o = 1 \) and reflected at the walls:
     * \( \rho_c = \frac{1}{|\Delta|} \sum_{c'} m_{c'} \prod_k G^{(k)}_{c_k c'_k} \) with
     * \( G^{(k)}_{ij} = \sum_{o : \mathrm{fold}(j + o) = i} g_o \), where \( \mathrm{fold} \) maps an index
     * beyond a wall to its mirror cell (\( -1-j \mapsto j \), \( n_k + j \mapsto n_k - 1 - j \), repeated with
     * period \( 2n_k \)). This costs one pass
     * over the particles plus \( \sum_k (2\lfloor 8 b_k/h_k \rfloor + 1) \) multiply-adds per cell (at most
     * \( 2n_k + 1 \), and one average when \( b_k \gt 8L_k/\pi \), where the reflected kernel is flat to
     * \( 3\cdot10^{-14} \)). Exact evaluation, one Gaussian per particle and cell in reach, costs
     * \( \prod_k (2\lfloor 8b_k/h_k \rfloor + 1) \) per particle: it would be cheaper only below about
     * \( 2 \cdot \) cells \( / (16 b/h) \) particles in 2-D (a few thousand on \( 256^2 \) with \( b = 2h \)),
     * where the binned estimate takes milliseconds anyway; this method always bins, so its answer does not jump
     * with the number of particles.
     *
     * <p><b>Accuracy.</b> At a centre \( x_c \) the result differs from \( \hat\rho(x_c) \) by the linear
     * interpolation error of the deposit,
     * \[ |\rho_c - \hat\rho(x_c)| \le M P \Bigl( \sum_k \frac{h_k^2}{8 b_k^2} + 2\cdot 10^{-8} \Bigr),
     * \qquad P = \frac{(2\pi)^{-d/2}}{\prod_k b_k}, \]
     * \( M \) the mass inside the box and \( P \) the kernel's peak, for bandwidths \( b_k \ge h_k \) and kernels
     * narrower than the box (\( 16 b_k \le L_k \)); the bound doubles for each axis along which particles lie within
     * \( 8 b_k \) of a wall (a particle and its mirror image both count). The \( 2\cdot10^{-8} \) bounds
     * the normalisation of the discrete kernel (relative \( 2e^{-2\pi^2 b^2/h^2} \le 6\cdot10^{-9} \) per axis)
     * and the truncation at 8 bandwidths (at most \( e^{-32} \) of the peak per axis). Bandwidths below a cell are
     * allowed: the estimate then tends to the deposit itself (below \( h/8 \) it is the deposit), with the mass
     * still exact.
     *
     * @param mu         the particles (dimension of {@code grid})
     * @param grid       the grid
     * @param bandwidths the kernel's standard deviation \( b_k \gt 0 \) along each axis, in the data's units
     * @return the estimate; mass = weight of the particles inside the box
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, {@code bandwidths} has the wrong
     *                                  length, or a bandwidth is not finite and positive
     */
    public static GridDensity kernelDensity(ParticleMeasure mu, Grid grid, double[] bandwidths) {
        checkParticlesOnGrid(mu, grid);
        Arguments.notNull("bandwidths", bandwidths);
        Arguments.length("bandwidths", bandwidths.length, grid.dimension());
        for (int k = 0; k < bandwidths.length; k++) {
            Arguments.positive("bandwidths[" + k + "]", bandwidths[k]);
        }
        return kernelDensityUnchecked(mu, grid, bandwidths.clone());
    }

    /**
     * The kernel density estimate {@link #kernelDensity(ParticleMeasure, Grid, double[])} with the bandwidths of
     * {@link #scottBandwidths(ParticleMeasure)} (Scott's rule of thumb, per axis).
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions differ, or {@code mu} has no spread
     *                                  along some axis
     */
    public static GridDensity kernelDensityScott(ParticleMeasure mu, Grid grid) {
        checkParticlesOnGrid(mu, grid);
        return kernelDensityUnchecked(mu, grid, scottBandwidths(mu));
    }

    /**
     * Scott's rule of thumb for a Gaussian kernel, per axis: \( b_k = \sigma_k\, n_{\mathrm{eff}}^{-1/(d+4)} \), with
     * \( \sigma_k^2 = \sum_i w_i (x_{i,k} - m_k)^2 \) the measure's variance along axis \( k \) and
     * \( n_{\mathrm{eff}} = 1/\sum_i w_i^2 \) the effective number of particles (\( n \) for equal weights). It
     * minimises the asymptotic mean integrated squared error when the data are Gaussian with a diagonal covariance;
     * it over-smooths multimodal data. All particles count, also those outside a grid's box.
     *
     * @param mu the particles
     * @return one bandwidth per axis, in the data's units
     * @throws IllegalArgumentException if {@code mu} is null or its variance along some axis is 0 (or its covariance
     *                                  overflows)
     */
    public static double[] scottBandwidths(ParticleMeasure mu) {
        Arguments.notNull("mu", mu);
        int d = mu.dimension();
        DMatrixRMaj cov = mu.covariance();
        double squares = 0;
        for (int i = 0; i < mu.size(); i++) {
            double w = mu.weight(i);
            squares += w * w;
        }
        double factor = Math.pow(1 / squares, -1.0 / (d + 4));
        double[] b = new double[d];
        for (int k = 0; k < d; k++) {
            double variance = cov.get(k, k);
            if (!(variance > 0)) {
                throw new IllegalArgumentException("mu: Scott's rule needs spread along every axis, the variance "
                        + "along axis " + k + " is " + variance);
            }
            // >= sqrt(Double.MIN_VALUE) * (2^31)^(-1/5) > 0: no underflow
            b[k] = Math.sqrt(variance) * factor;
        }
        return b;
    }

    private static GridDensity kernelDensityUnchecked(ParticleMeasure mu, Grid grid, double[] bandwidths) {
        double[] masses = CloudInCell.masses(mu, grid);
        return fromMasses("mu", grid, ReflectedGaussianConvolution.smooth(masses, grid, bandwidths));
    }

    private static void checkParticlesOnGrid(ParticleMeasure mu, Grid grid) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("grid", grid);
        Arguments.sameDimension("mu", mu.dimension(), grid.dimension(), "grid");
    }

    /** The density \( m_c / |\Delta| \) of cell masses (owned by the new density). */
    private static GridDensity fromMasses(String name, Grid grid, double[] masses) {
        double inv = 1.0 / grid.cellVolume();
        for (int c = 0; c < masses.length; c++) {
            masses[c] *= inv;
        }
        return withFiniteMass(name, grid, masses);
    }

    /**
     * {@code n} independent draws from the piecewise-constant reading of this density (normalised): a cell is drawn
     * with probability \( \rho_c / \sum_{c'} \rho_{c'} \) (one {@code nextDouble} and a binary search in the
     * cumulative table), then a point uniform in the cell (one {@code nextDouble} per axis, the last axis first). The
     * draws get equal weights \( 1/n \). Their law has the mean {@link #mean()} and the covariance
     * {@link #covariance()} \( + \mathrm{diag}_k(h_k^2/12) \) (the within-cell variance). The same generator state
     * gives the same points: these are the draws of {@link PointSampler#of(GridDensity)}.
     *
     * @param n   number of points, {@code >= 1}
     * @param rng the source of randomness
     * @return the uniform particle measure of the draws
     * @throws IllegalArgumentException if {@code n < 1}, {@code rng} is null, the density has zero mass, or
     *                                  {@code n * d} exceeds the largest array
     */
    public ParticleMeasure sample(int n, RandomGenerator rng) {
        Arguments.positive("n", n);
        Arguments.notNull("rng", rng);
        requirePositiveMass();
        return PointSampler.of(this).sample(n, rng);
    }

    /** The grid. */
    public Grid grid() {
        return grid;
    }

    /** Dimension (1, 2 or 3). */
    public int dimension() {
        return grid.dimension();
    }

    /** Number of cells. */
    public int size() {
        return values.length;
    }

    /** Cell volume \( |\Delta| \). */
    public double cellVolume() {
        return grid.cellVolume();
    }

    /** A copy of the cell values, row-major. */
    public double[] values() {
        return values.clone();
    }

    /** The value of cell {@code i} of a 1-D density, or of flat cell index {@code i} in 2-D and 3-D. */
    public double value(int i) {
        return values[i];
    }

    /** The value of cell {@code (i, j)} of a 2-D density ({@code i} along x). */
    public double value(int i, int j) {
        if (grid.dimension() != 2) {
            throw new IllegalArgumentException("value(i, j) needs a 2-D density, this one has dimension "
                    + grid.dimension());
        }
        if (i < 0 || i >= grid.cells[0] || j < 0 || j >= grid.cells[1]) {
            throw new IllegalArgumentException("cell (" + i + ", " + j + ") is outside the " + grid.cells[0] + " x "
                    + grid.cells[1] + " grid");
        }
        return values[i * grid.cells[1] + j];
    }

    /** The value of cell {@code (i, j, k)} of a 3-D density ({@code i} along x, {@code j} along y). */
    public double value(int i, int j, int k) {
        if (grid.dimension() != 3) {
            throw new IllegalArgumentException("value(i, j, k) needs a 3-D density, this one has dimension "
                    + grid.dimension());
        }
        return values[grid.flatIndex(i, j, k)];
    }

    /** The cell centres, flat and row-major ({@link Grid#cellCentres()}). */
    public double[] cellCentres() {
        return grid.cellCentres();
    }

    /** The total mass \( \sum_c \rho_c |\Delta| \) (midpoint rule for \( \int \rho \)). */
    public double mass() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s * grid.cellVolume();
    }

    /**
     * The density divided by its mass, so that the new mass is 1.
     *
     * @throws IllegalArgumentException if the mass is 0
     */
    public GridDensity normalised() {
        double m = requirePositiveMass();
        double[] out = new double[values.length];
        for (int c = 0; c < values.length; c++) {
            out[c] = values[c] / m;
        }
        return withFiniteMass("the density", grid, Arguments.finiteResult("the density", "a normalised value", out));
    }

    /**
     * The mean \( \frac{1}{M} \sum_c x_c \rho_c |\Delta| \) of the normalised density (midpoint rule for
     * \( \int x \rho / \int \rho \)).
     *
     * @throws IllegalArgumentException if the mass is 0
     */
    public double[] mean() {
        requirePositiveMass();
        int dim = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] mean = new double[dim];
        double total = 0;
        for (int c = 0; c < values.length; c++) {
            double v = values[c];
            total += v;
            for (int k = 0; k < dim; k++) {
                mean[k] += v * centres[c * dim + k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] /= total;
        }
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                return scaledMean(centres, total);
            }
        }
        return mean;
    }

    /**
     * \( \sum_c (\rho_c / \sum_{c'} \rho_{c'}) x_c \), a convex combination of the centres: finite where the
     * running sums of {@link #mean()} overflowed (centres and values near the largest double).
     */
    private double[] scaledMean(double[] centres, double total) {
        int dim = grid.dimension();
        double[] mean = new double[dim];
        for (int c = 0; c < values.length; c++) {
            double w = 0.5 * (values[c] / total);
            for (int k = 0; k < dim; k++) {
                mean[k] += w * centres[c * dim + k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] *= 2;
        }
        return mean;
    }

    /**
     * The covariance \( \frac{1}{M} \sum_c (x_c - m)(x_c - m)^\top \rho_c |\Delta| \) of the normalised density
     * (midpoint rule), computed in two passes. This is the covariance of the cell-centre measure of
     * {@link #toParticleMeasure()}; it omits the within-cell variance \( h_k^2/12 \) of the piecewise-constant
     * reading, which is the \( O(h^2) \) midpoint-rule error.
     *
     * @throws IllegalArgumentException if the mass is 0
     */
    public DMatrixRMaj covariance() {
        double[] mean = mean();
        int dim = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] acc = new double[dim * dim];
        double total = 0;
        for (int c = 0; c < values.length; c++) {
            double v = values[c];
            total += v;
            for (int a = 0; a < dim; a++) {
                double da = v * (centres[c * dim + a] - mean[a]);
                for (int b = a; b < dim; b++) {
                    acc[a * dim + b] += da * (centres[c * dim + b] - mean[b]);
                }
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                double s = acc[a * dim + b] / total;
                cov.unsafe_set(a, b, s);
                cov.unsafe_set(b, a, s);
            }
        }
        Arguments.finiteResult("grid", "the covariance", cov.data);
        return cov;
    }

    /**
     * The particle measure \( \sum_c \frac{\rho_c}{\sum_{c'} \rho_{c'}} \delta_{x_c} \) on the cell centres (the
     * Lagrangian view of this density; empty cells get weight 0).
     *
     * @throws IllegalArgumentException if the mass is 0
     */
    public ParticleMeasure toParticleMeasure() {
        requirePositiveMass();
        return ParticleMeasure.fromFlat(grid.cellCentres(), grid.dimension(), values);
    }

    private double requirePositiveMass() {
        double m = mass();
        if (!(m > 0)) {
            throw new IllegalArgumentException("the density must have positive mass, got " + m);
        }
        return m;
    }

    @Override
    public String toString() {
        double m = mass();
        return "GridDensity[" + grid + ", mass=" + TextSummary.number(m)
                + (m > 0 ? ", mean=" + TextSummary.array(mean()) : "") + "]";
    }
}
