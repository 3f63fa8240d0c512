package org.measureflow.core.field;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * A time-independent vector field on a regular cell-centred {@link Grid} in one, two or three dimensions, stored on
 * the faces between cells (a staggered, or MAC, layout): component \( k \) lives on the faces normal to axis \( k \).
 * This is the layout in which the discrete continuity equation \( \partial_t\rho + \mathrm{div}(\rho v) = 0 \)
 * (survey eq. 2) is a finite-volume balance: the flux \( \rho_f v_f \) through a face leaves one cell and enters its
 * neighbour, so mass is conserved exactly, and the discrete gradient and divergence are adjoint
 * (\( \sum_f \rho_f (\nabla_h\varphi)_f w_f |\Delta| = -\sum_c \varphi_c\, \mathrm{div}_h(\rho w)_c |\Delta| \)),
 * which makes the
 * weighted Helmholtz&ndash;Hodge split of {@code org.measureflow.core.velocity} exactly orthogonal. A cell-centred
 * layout would need averaged fluxes, whose divergence has a checkerboard null space.
 *
 * <p><b>The box is closed.</b> Only the inner faces carry values: the normal component on the boundary of the box
 * is 0 (no flow through it, the boundary condition of the continuity and least-effort problems). Layout: each
 * component is one array over the cells, row-major like {@link Grid} (last axis fastest); entry {@code c} of
 * component {@code k} is the value on the face between cell {@code c} and its upper neighbour \( c + e_k \), at
 * \( x_c + \tfrac{h_k}{2} e_k \). The entries of the cells in the last layer along axis \( k \) stand for the upper
 * boundary face and are always 0.
 *
 * <p><b>Face densities.</b> Fluxes and energies weight a face with the arithmetic mean
 * \( \rho_f = (\rho_c + \rho_{c + e_k})/2 \) of the densities of its two cells. Then
 * \[ \sum_{f} \rho_f v_f^2\, |\Delta| = \sum_c \rho_c\, |v_c|^2\, |\Delta|, \qquad
 * |v_c|^2 = \sum_k \tfrac12\big(v_{k, c - e_k/2}^2 + v_{k, c + e_k/2}^2\big), \]
 * the kinetic energy \( \int \rho |v|^2 \) by the midpoint rule with \( |v_c|^2 \) the mean of the squared face values
 * around cell \( c \) (boundary faces counting 0), and a face between an empty and an occupied cell can still carry
 * mass into the empty one (a harmonic mean would close it).
 *
 * <p><b>Evaluation.</b> {@link #velocity(double, double[], int, double[], int)} interpolates each component
 * multilinearly between its nodes: the face positions along its own axis (including the two boundary faces, where
 * it is 0) and the cell centres along the other axes. Outside the box the field is extended as a constant: the point
 * is first moved to the nearest point of the box (so the normal component is 0 outside the box, and each tangential
 * component keeps its value on the nearest boundary). The interpolation is second-order accurate for smooth fields
 * and does not allocate.
 *
 * <p>Immutable and thread-safe; arrays are copied in and out.
 */
public final class GridVectorField implements VectorField {
    private final Grid grid;
    private final int dim;
    /** Padded to three axes at the front: 1-D (1, 1, n), 2-D (1, nx, ny), 3-D (nx, ny, nz). */
    private final int[] n = new int[3];
    private final int[] stride = new int[3];
    private final double[] lower = new double[3];
    private final double[] step = new double[3];
    /** faces[a]: the component along padded axis a (null for a padded axis of one cell). */
    private final double[][] faces;

    private GridVectorField(Grid grid, double[][] components) {
        this.grid = grid;
        this.dim = grid.dimension();
        int pad = 3 - dim;
        for (int a = 0; a < 3; a++) {
            n[a] = a < pad ? 1 : grid.cells(a - pad);
            lower[a] = a < pad ? 0 : grid.lower(a - pad);
            step[a] = a < pad ? 1 : grid.cellSize(a - pad);
        }
        stride[2] = 1;
        stride[1] = n[2];
        stride[0] = n[1] * n[2];
        faces = new double[3][];
        for (int k = 0; k < dim; k++) {
            faces[k + pad] = components[k];
        }
    }

    /**
     * The field with the given face values (copied).
     *
     * @param grid       the grid
     * @param components {@code d} arrays of {@code grid.size()} finite values; {@code components[k][c]} is the value
     *                   on the face between cell {@code c} and its upper neighbour along axis {@code k}
     * @return the field
     * @throws IllegalArgumentException if an argument is null, the number of components is not the dimension, an
     *                                  array has the wrong length or a non-finite entry, or an entry on the upper
     *                                  boundary layer (no inner face) is not 0
     */
    public static GridVectorField of(Grid grid, double[]... components) {
        Arguments.notNull("grid", grid);
        Arguments.noNulls("components", components);
        int dim = grid.dimension();
        Arguments.length("components", components.length, dim);
        int size = grid.size();
        double[][] copies = new double[dim][];
        for (int k = 0; k < dim; k++) {
            String name = "components[" + k + "]";
            Arguments.length(name, components[k].length, size);
            Arguments.finite(name, components[k]);
            copies[k] = components[k].clone();
        }
        GridVectorField field = new GridVectorField(grid, copies);
        field.requireZeroBoundary(copies);
        return field;
    }

    /** The zero field on {@code grid}. */
    public static GridVectorField zero(Grid grid) {
        Arguments.notNull("grid", grid);
        double[][] zeros = new double[grid.dimension()][grid.size()];
        return new GridVectorField(grid, zeros);
    }

    /**
     * The field \( u_t \) sampled on the inner faces: component \( k \) of {@code field} at time {@code t} at the
     * centre of each face normal to axis \( k \) (the normal component on the boundary of the box is 0).
     *
     * @throws IllegalArgumentException if an argument is null, {@code t} is not finite, or the field returns a
     *                                  non-finite value (named {@code field})
     */
    public static GridVectorField fromField(Grid grid, VectorField field, double t) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("field", field);
        Arguments.finite("t", t);
        GridVectorField out = zero(grid);
        int pad = 3 - out.dim;
        double[] centres = grid.cellCentres();
        double[] x = new double[out.dim];
        double[] v = new double[out.dim];
        for (int k = 0; k < out.dim; k++) {
            int a = k + pad;
            double[] f = out.faces[a];
            for (int c = 0; c < f.length; c++) {
                if (out.index(c, a) == out.n[a] - 1) {
                    continue;
                }
                System.arraycopy(centres, c * out.dim, x, 0, out.dim);
                x[k] += 0.5 * out.step[a];
                field.velocity(t, x, 0, v, 0);
                f[c] = v[k];
            }
            Arguments.finiteResult("field", "component " + k + " of the field on the faces", f);
        }
        return out;
    }

    /**
     * The discrete gradient \( (\nabla_h\varphi)_f = (\varphi_{c + e_k} - \varphi_c)/h_k \) of a potential given at the
     * cell centres, on the inner faces. With these faces, \( -\mathrm{div}_h(\rho\nabla_h\varphi) \) is the
     * finite-volume operator of the least-effort problem (survey eqs. 5&ndash;6) and, for \( \rho = 1 \), the Neumann
     * Laplacian of {@link org.measureflow.core.grid.NeumannPoisson}.
     *
     * @param grid      the grid
     * @param potential one finite value per cell (not modified)
     * @return the gradient field
     * @throws IllegalArgumentException if an argument is null, {@code potential} has the wrong length or a
     *                                  non-finite entry, or a difference quotient overflows
     */
    public static GridVectorField gradient(Grid grid, double[] potential) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("potential", potential);
        Arguments.length("potential", potential.length, grid.size());
        Arguments.finite("potential", potential);
        GridVectorField out = zero(grid);
        for (int a = 3 - out.dim; a < 3; a++) {
            double[] f = out.faces[a];
            int s = out.stride[a];
            double h = out.step[a];
            for (int c = 0; c < f.length; c++) {
                if (out.index(c, a) < out.n[a] - 1) {
                    f[c] = (potential[c + s] - potential[c]) / h;
                }
            }
            Arguments.finiteResult("potential", "the gradient", f);
        }
        return out;
    }

    /** The grid. */
    public Grid grid() {
        return grid;
    }

    /** The dimension {@code d}. */
    public int dimension() {
        return dim;
    }

    /**
     * A copy of component {@code axis}: one value per cell, the value on the face between the cell and its upper
     * neighbour along {@code axis} (0 on the upper boundary layer).
     *
     * @throws IllegalArgumentException unless {@code 0 <= axis < d}
     */
    public double[] component(int axis) {
        Arguments.index("axis", axis, dim);
        return faces[axis + 3 - dim].clone();
    }

    /** The largest magnitude \( \max_{k, f} |v_{k,f}| \) of a face value (0 for the zero field). */
    public double maxComponent() {
        double m = 0;
        for (double[] f : faces) {
            if (f != null) {
                for (double v : f) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        return m;
    }

    /**
     * The sum \( u + v \) face by face.
     *
     * @throws IllegalArgumentException if {@code other} is null, on another grid, or the sum overflows
     */
    public GridVectorField plus(GridVectorField other) {
        return combined(other, 1);
    }

    /**
     * The difference \( u - v \) face by face.
     *
     * @throws IllegalArgumentException if {@code other} is null, on another grid, or the difference overflows
     */
    public GridVectorField minus(GridVectorField other) {
        return combined(other, -1);
    }

    private GridVectorField combined(GridVectorField other, double sign) {
        requireSameGrid("other", other);
        GridVectorField out = zero(grid);
        for (int a = 3 - dim; a < 3; a++) {
            double[] f = out.faces[a];
            for (int c = 0; c < f.length; c++) {
                f[c] = faces[a][c] + sign * other.faces[a][c];
            }
            Arguments.finiteResult("other", sign > 0 ? "the sum" : "the difference", f);
        }
        return out;
    }

    /**
     * The field \( \lambda u \).
     *
     * @throws IllegalArgumentException if {@code factor} is not finite or the product overflows
     */
    public GridVectorField scaled(double factor) {
        Arguments.finite("factor", factor);
        GridVectorField out = zero(grid);
        for (int a = 3 - dim; a < 3; a++) {
            double[] f = out.faces[a];
            for (int c = 0; c < f.length; c++) {
                f[c] = factor * faces[a][c];
            }
            Arguments.finiteResult("factor", "the scaled field", f);
        }
        return out;
    }

    /**
     * The weighted inner product \( \langle u, w\rangle_\rho = \sum_f \rho_f\, u_f w_f\, |\Delta| \) over the inner
     * faces, with the arithmetic face densities \( \rho_f \) (the discrete \( \int \rho\, u\cdot w \)).
     *
     * @throws IllegalArgumentException if an argument is null, on another grid, or the sum overflows
     */
    public double innerProduct(GridVectorField other, GridDensity rho) {
        requireSameGrid("other", other);
        requireSameGrid(rho);
        double[] r = rho.values();
        double sum = 0;
        for (int a = 3 - dim; a < 3; a++) {
            double[] u = faces[a];
            double[] w = other.faces[a];
            int s = stride[a];
            for (int c = 0; c < u.length; c++) {
                if (u[c] != 0 && w[c] != 0) {
                    sum += 0.5 * (r[c] + r[c + s]) * u[c] * w[c];
                }
            }
        }
        return Arguments.finiteResult("rho", "the inner product", sum * grid.cellVolume());
    }

    /**
     * The kinetic energy \( \sum_c \rho_c |v_c|^2 |\Delta| = \sum_f \rho_f v_f^2 |\Delta| \) (see the class
     * comment): the discrete \( \int \rho |v|^2 \) of survey eq. 4.
     *
     * @throws IllegalArgumentException if {@code rho} is null, on another grid, or the energy overflows
     */
    public double kineticEnergy(GridDensity rho) {
        return innerProduct(this, rho);
    }

    /**
     * The finite-volume divergence of the flux \( \rho v \):
     * \( \mathrm{div}_h(\rho v)_c = \sum_k (\rho_{f^+} v_{f^+} - \rho_{f^-} v_{f^-}) / h_k \) over the upper and lower
     * faces \( f^\pm \) of cell \( c \) along each axis, with the arithmetic face densities and no flux through the
     * boundary. The continuity equation reads \( \partial_t\rho_c + \mathrm{div}_h(\rho v)_c = 0 \), and
     * \( \sum_c \mathrm{div}_h(\rho v)_c = 0 \) up to rounding (mass is conserved).
     *
     * @param rho the density, on this field's grid
     * @return one value per cell, row-major
     * @throws IllegalArgumentException if {@code rho} is null, on another grid, or a flux overflows
     */
    public double[] fluxDivergence(GridDensity rho) {
        requireSameGrid(rho);
        double[] r = rho.values();
        double[] out = new double[r.length];
        for (int a = 3 - dim; a < 3; a++) {
            double[] v = faces[a];
            int s = stride[a];
            double h = step[a];
            for (int c = 0; c < v.length; c++) {
                if (v[c] != 0) {
                    double flux = 0.5 * (r[c] + r[c + s]) * v[c] / h;
                    out[c] += flux;
                    out[c + s] -= flux;
                }
            }
        }
        return Arguments.finiteResult("rho", "the flux divergence", out);
    }

    /** Writes the interpolated field at {@code x} (see the class comment); independent of {@code t}. */
    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        for (int k = 0; k < dim; k++) {
            out[outOffset + k] = velocityComponent(k, x, xOffset);
        }
    }

    /**
     * Component {@code axis} of the interpolated field at the point {@code x[xOffset .. xOffset + d - 1]}: the
     * unchecked kernel of {@link #velocity(double, double[], int, double[], int)} (no allocation).
     */
    public double velocityComponent(int axis, double[] x, int xOffset) {
        int pad = 3 - dim;
        int face = axis + pad;
        double[] f = faces[face];
        // continuous node coordinate along each padded axis, clamped to the box: faces along `face`, centres elsewhere
        double s0 = nodeCoordinate(0, face, x, xOffset);
        double s1 = nodeCoordinate(1, face, x, xOffset);
        double s2 = nodeCoordinate(2, face, x, xOffset);
        int i0 = lowerNode(s0, nodes(0, face));
        int i1 = lowerNode(s1, nodes(1, face));
        int i2 = lowerNode(s2, nodes(2, face));
        double w0 = s0 - i0;
        double w1 = s1 - i1;
        double w2 = s2 - i2;
        double sum = 0;
        for (int b0 = 0; b0 < 2; b0++) {
            double c0 = b0 == 0 ? 1 - w0 : w0;
            int j0 = i0 + b0;
            if (c0 == 0 || (face == 0 && (j0 == 0 || j0 == n[0]))) {
                continue;
            }
            int base0 = (face == 0 ? j0 - 1 : j0) * stride[0];
            for (int b1 = 0; b1 < 2; b1++) {
                double c1 = b1 == 0 ? 1 - w1 : w1;
                int j1 = i1 + b1;
                if (c1 == 0 || (face == 1 && (j1 == 0 || j1 == n[1]))) {
                    continue;
                }
                int base1 = base0 + (face == 1 ? j1 - 1 : j1) * stride[1];
                for (int b2 = 0; b2 < 2; b2++) {
                    double c2 = b2 == 0 ? 1 - w2 : w2;
                    int j2 = i2 + b2;
                    if (c2 == 0 || (face == 2 && (j2 == 0 || j2 == n[2]))) {
                        continue;
                    }
                    sum += c0 * c1 * c2 * f[base1 + (face == 2 ? j2 - 1 : j2)];
                }
            }
        }
        return sum;
    }

    /** Number of interpolation nodes along padded axis {@code a} for the component on faces normal to {@code face}. */
    private int nodes(int a, int face) {
        return a == face ? n[a] + 1 : n[a];
    }

    /** The point's coordinate along padded axis {@code a} in node units, clamped to the nodes' range. */
    private double nodeCoordinate(int a, int face, double[] x, int xOffset) {
        int pad = 3 - dim;
        if (a < pad) {
            return 0;
        }
        double s = (x[xOffset + a - pad] - lower[a]) / step[a];
        if (a != face) {
            s -= 0.5;
        }
        return Math.min(Math.max(s, 0), nodes(a, face) - 1);
    }

    /** The lower node of the interpolation interval holding node coordinate {@code s} among {@code count} nodes. */
    private static int lowerNode(double s, int count) {
        return count < 2 ? 0 : Math.min((int) s, count - 2);
    }

    /** The index of cell {@code c} along padded axis {@code a}. */
    private int index(int c, int a) {
        return (c / stride[a]) % n[a];
    }

    private void requireZeroBoundary(double[][] components) {
        int pad = 3 - dim;
        for (int k = 0; k < dim; k++) {
            int a = k + pad;
            double[] f = components[k];
            for (int c = 0; c < f.length; c++) {
                if (f[c] != 0 && index(c, a) == n[a] - 1) {
                    throw new IllegalArgumentException("components[" + k + "][" + c + "] must be 0: cell " + c
                            + " is in the last layer along axis " + k + ", whose upper face is the boundary of the box"
                            + " (no flow through it), got " + f[c]);
                }
            }
        }
    }

    private void requireSameGrid(String name, GridVectorField other) {
        Arguments.notNull(name, other);
        if (!grid.equals(other.grid)) {
            throw new IllegalArgumentException(name + " must be on the grid " + grid + ", got " + other.grid);
        }
    }

    private void requireSameGrid(GridDensity rho) {
        Arguments.notNull("rho", rho);
        if (!grid.equals(rho.grid())) {
            throw new IllegalArgumentException("rho must be on the grid " + grid + ", got " + rho.grid());
        }
    }

    /** One line: the grid and the largest face value. */
    @Override
    public String toString() {
        return "GridVectorField[" + grid + ", maxComponent=" + TextSummary.number(maxComponent()) + "]";
    }
}
