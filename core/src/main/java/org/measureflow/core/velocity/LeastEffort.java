package org.measureflow.core.velocity;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * The least-effort velocity of a density path (survey eqs. 4&ndash;6): among all fields that move \( \rho \) as
 * \( \partial_t\rho + \mathrm{div}(\rho v) = 0 \), the one of least kinetic energy \( \int\rho|v|^2 \), which is a
 * gradient \( v = \nabla\varphi \) with \( -\mathrm{div}(\rho\nabla\varphi) = \partial_t\rho \); and, with the same
 * elliptic solve, the weighted Helmholtz&ndash;Hodge split of any field ({@link #split}).
 *
 * <p><b>Discretisation.</b> On the cell-centred grid, \( \varphi \) lives on the cells and \( v = \nabla_h\varphi \) on
 * the inner faces ({@link GridVectorField}), with no flux through the boundary of the box. The equation is the
 * finite-volume balance \( -\mathrm{div}_h(\tilde\rho_f\nabla_h\varphi) = b \) with arithmetic face densities
 * \( \tilde\rho_f = (\tilde\rho_c + \tilde\rho_{c'})/2 \); with these faces the kinetic energy of a face field is
 * \( \sum_c\rho_c|v_c|^2|\Delta| \) (see {@link GridVectorField}), and the discrete field is the exact minimiser of
 * it (weighted by \( \tilde\rho \)) under the discrete continuity equation (the discrete eqs. 4&ndash;6), so it has no
 * more energy than any other field that reproduces \( \partial_t\rho \) on the same faces, Dacorogna&ndash;Moser's
 * included. The scheme is second-order accurate in the cell size for smooth densities.
 * <ul>
 * <li><b>Floor.</b> The weights are \( \tilde\rho_c = \max(\rho_c, \varepsilon\max\rho) \): where the density
 *     vanishes the weighted operator would lose its connection between cells (and a density spreading into empty
 *     cells could not be reached); the result reports the floor and the number of floored cells.</li>
 * <li><b>Compatibility.</b> No field can change the mass, so the source is
 *     \( b = \partial_t\rho - \gamma\rho \) with \( \gamma = \sum_c\partial_t\rho_c/\sum_c\rho_c \): a change of
 *     mass (a path of unnormalised densities, mass leaving the box) is taken as a uniform growth and reported.</li>
 * <li><b>Solver.</b> Conjugate gradients preconditioned by the exact Neumann Poisson solver
 *     ({@link org.measureflow.core.grid.NeumannPoisson}) scaled by \( \tilde\rho^{-1/2} \) on both sides,
 *     \( M^{-1} = P\tilde D^{-1/2} L^{+}\tilde D^{-1/2}P \); the iteration count does not grow with the grid and
 *     hardly with the range of the density (70 to 90 iterations for a relative residual of \( 10^{-10} \) on
 *     anisotropic Gaussians over 6 standard deviations, 64<sup>2</sup> to 256<sup>2</sup> cells; fewer for smoother
 *     densities), where a preconditioner scaled by one mean density had not reached \( 10^{-5} \) after 3000. It
 *     stops at the relative residual \( \|b - A\varphi\|_2/\|b\|_2 \le \) the tolerance, recomputed from
 *     \( \varphi \).</li>
 * </ul>
 *
 * <p>Configuration ({@link #withDefaults()}), with the defaults:
 * <ul>
 * <li>tolerance {@value #DEFAULT_TOLERANCE} on the relative residual ({@link #withTolerance(double)});</li>
 * <li>at most {@value #DEFAULT_MAX_ITERATIONS} conjugate-gradient iterations per solve
 *     ({@link #withMaxIterations(long)});</li>
 * <li>density floor \( \varepsilon = \) {@value #DEFAULT_DENSITY_FLOOR} relative to the largest density
 *     ({@link #withDensityFloor(double)});</li>
 * <li>parallel chunks allowed ({@link #withParallel(boolean)}; the bits are the same either way).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class LeastEffort {
    /** Default tolerance on the relative residual: {@value}. */
    public static final double DEFAULT_TOLERANCE = 1e-10;
    /** Default limit on conjugate-gradient iterations per solve: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 2000;
    /** Default density floor relative to the largest density: {@value}. */
    public static final double DEFAULT_DENSITY_FLOOR = 1e-8;

    private final double tolerance;
    private final long maxIterations;
    private final double densityFloor;
    private final boolean parallel;

    private LeastEffort(double tolerance, long maxIterations, double densityFloor, boolean parallel) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.densityFloor = densityFloor;
        this.parallel = parallel;
    }

    /** The solver with the defaults of the class documentation. */
    public static LeastEffort withDefaults() {
        return new LeastEffort(DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, DEFAULT_DENSITY_FLOOR, true);
    }

    /**
     * This solver with another tolerance on the relative residual \( \|b - A\varphi\|_2/\|b\|_2 \).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public LeastEffort withTolerance(double tolerance) {
        return new LeastEffort(Arguments.positive("tolerance", tolerance), maxIterations, densityFloor, parallel);
    }

    /**
     * This solver with another limit on conjugate-gradient iterations per solve; reaching it is reported, not thrown.
     *
     * @param maxIterations {@code >= 1}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code maxIterations < 1}
     */
    public LeastEffort withMaxIterations(long maxIterations) {
        return new LeastEffort(tolerance, Arguments.positive("maxIterations", maxIterations), densityFloor, parallel);
    }

    /**
     * This solver with another density floor \( \varepsilon \): the weights are
     * \( \max(\rho_c, \varepsilon\max_c\rho_c) \).
     *
     * @param densityFloor in {@code (0, 1]}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code densityFloor} is not in {@code (0, 1]}
     */
    public LeastEffort withDensityFloor(double densityFloor) {
        return new LeastEffort(tolerance, maxIterations, checkFloor(densityFloor), parallel);
    }

    static double checkFloor(double densityFloor) {
        Arguments.positive("densityFloor", densityFloor);
        return Arguments.atMost("densityFloor", densityFloor, 1.0);
    }

    /**
     * This solver with parallel chunks allowed ({@code true}) or not; the bits are the same either way.
     *
     * @return a new solver; this one is unchanged
     */
    public LeastEffort withParallel(boolean parallel) {
        return new LeastEffort(tolerance, maxIterations, densityFloor, parallel);
    }

    /** The tolerance on the relative residual. */
    public double tolerance() {
        return tolerance;
    }

    /** The limit on iterations per solve. */
    public long maxIterations() {
        return maxIterations;
    }

    /** The density floor relative to the largest density. */
    public double densityFloor() {
        return densityFloor;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * The least-effort field of a density \( \rho \) changing at the rate \( \partial_t\rho \).
     *
     * @param rho        the density (with a positive value)
     * @param derivative \( \partial_t\rho \), one finite value per cell of {@code rho}'s grid, row-major (not
     *                   modified)
     * @return the field, its potential and kinetic energy, and how the iteration ended
     * @throws IllegalArgumentException if an argument is null, {@code rho} is zero everywhere, {@code derivative}
     *                                  has the wrong length or a non-finite entry, or the velocity overflows (named
     *                                  {@code derivative}), or the grid's cells are too small for the Laplacian
     *                                  (named {@code grid})
     */
    public LeastEffortResult solve(GridDensity rho, double[] derivative) {
        return solve(rho, derivative, IterationObserver.none());
    }

    /**
     * {@link #solve(GridDensity, double[])} watched by an observer, called after every conjugate-gradient iteration
     * with the count and the relative residual; returning {@code false} stops the iteration.
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, double[])}, or if {@code observer} is null
     */
    public LeastEffortResult solve(GridDensity rho, double[] derivative, IterationObserver observer) {
        Arguments.notNull("rho", rho);
        checkDerivative(rho, derivative);
        Arguments.notNull("observer", observer);
        return solveNode(rho, derivative, observer, 0, Double.NaN);
    }

    static void checkDerivative(GridDensity rho, double[] derivative) {
        Arguments.notNull("derivative", derivative);
        Arguments.length("derivative", derivative.length, rho.size());
        Arguments.finite("derivative", derivative);
    }

    private LeastEffortResult solveNode(GridDensity rho, double[] derivative, IterationObserver observer, long offset,
            double fractionDone) {
        GuardedDensity guarded = GuardedDensity.of(rho, densityFloor);
        GuardedDensity.Source source = guarded.source(derivative);
        WeightedPoisson solver = new WeightedPoisson(rho.grid(), guarded.scaled, parallel);
        Convergence convergence = solver.solve(source.b(), tolerance, maxIterations, observer, offset, fractionDone);
        double[] phi = scaledCopy(solver.solution(), source.scale(), "derivative");
        GridVectorField field = named("derivative", () -> GridVectorField.gradient(rho.grid(), phi));
        return new LeastEffortResult(field, phi, energy(field, rho, "derivative"), source.growth(), guarded.floor,
                guarded.floored, convergence);
    }

    /**
     * The least-effort fields along a path: one solve per reconstruction node (the interval midpoints with the
     * finite-difference rates of {@link DensityPath#midpointDerivative(int)}, or the path times when the path's
     * derivatives were given), joined linearly in time by a {@link PathField}.
     *
     * @throws IllegalArgumentException if {@code path} is null, or as {@link #solve(GridDensity, double[])} at a node
     */
    public LeastEffortPathResult solve(DensityPath path) {
        return solve(path, IterationObserver.none());
    }

    /**
     * {@link #solve(DensityPath)} watched by an observer, called after every iteration of every node with the total
     * count so far, the node's relative residual and the fraction of nodes done; returning {@code false} stops the run
     * (the result then holds the nodes solved so far).
     *
     * @throws IllegalArgumentException as {@link #solve(DensityPath)}, or if {@code observer} is null
     */
    public LeastEffortPathResult solve(DensityPath path, IterationObserver observer) {
        Arguments.notNull("path", path);
        Arguments.notNull("observer", observer);
        int count = path.nodeCount();
        boolean[] stop = {false};
        IterationObserver watching = status -> {
            boolean go = observer.observe(status);
            stop[0] |= !go;
            return go;
        };
        List<LeastEffortResult> nodes = new ArrayList<>();
        List<GridVectorField> fields = new ArrayList<>();
        double[] times = new double[count];
        long iterations = 0;
        double error = 0;
        double action = 0;
        Termination failure = null;
        for (int j = 0; j < count && !stop[0]; j++) {
            LeastEffortResult node = solveNode(path.nodeDensity(j), path.nodeDerivative(j), watching, iterations,
                    (double) j / count);
            nodes.add(node);
            fields.add(node.field());
            times[j] = path.nodeTime(j);
            iterations += node.iterations();
            error = Math.max(error, node.error());
            action += path.nodeWeight(j) * node.kineticEnergy();
            if (failure == null && !node.converged()) {
                failure = node.termination();
            }
        }
        Arguments.finiteResult("path", "the action", action);
        Convergence convergence = new Convergence(iterations, error, tolerance,
                failure == null ? Termination.CONVERGED : failure);
        PathField field = PathField.of(java.util.Arrays.copyOf(times, nodes.size()), fields);
        return new LeastEffortPathResult(field, nodes, action, convergence);
    }

    /**
     * The weighted Helmholtz&ndash;Hodge split \( u = \nabla_h\varphi + w \) of a field given on the faces, with
     * \( \mathrm{div}_h(\tilde\rho\, w) = 0 \): \( \varphi \) solves the least-effort equation with the source
     * \( -\mathrm{div}_h(\tilde\rho\, u) \) (the rate at which \( u \) would change \( \tilde\rho \)).
     *
     * @param rho the density (with a positive value)
     * @param u   the field, on {@code rho}'s grid
     * @return both parts, the potential, the three kinetic energies and how the iteration ended
     * @throws IllegalArgumentException if an argument is null, the grids differ, {@code rho} is zero everywhere, or
     *                                  a flux or the potential overflows (named {@code u})
     */
    public HodgeSplitResult split(GridDensity rho, GridVectorField u) {
        return split(rho, u, IterationObserver.none());
    }

    /**
     * {@link #split(GridDensity, GridVectorField)} watched by an observer, called after every conjugate-gradient
     * iteration with the count and the relative residual; returning {@code false} stops the iteration.
     *
     * @throws IllegalArgumentException as {@link #split(GridDensity, GridVectorField)}, or if {@code observer} is null
     */
    public HodgeSplitResult split(GridDensity rho, GridVectorField u, IterationObserver observer) {
        Arguments.notNull("rho", rho);
        Arguments.notNull("u", u);
        Arguments.notNull("observer", observer);
        Grid grid = rho.grid();
        if (!grid.equals(u.grid())) {
            // no Arguments rule compares grids
            throw new IllegalArgumentException("u must be on the grid of rho " + grid + ", got " + u.grid());
        }
        GuardedDensity guarded = GuardedDensity.of(rho, densityFloor);
        // the source in the units of the scaled weights: -div(rho~ u) / max rho
        double[] b = named("u", () -> u.fluxDivergence(GridDensity.of(grid, guarded.scaled)));
        double scale = 0;
        for (int c = 0; c < b.length; c++) {
            b[c] = -b[c];
            scale = Math.max(scale, Math.abs(b[c]));
        }
        if (scale > 0) {
            for (int c = 0; c < b.length; c++) {
                b[c] /= scale;
            }
            GuardedDensity.removeMean(b);
        }
        WeightedPoisson solver = new WeightedPoisson(grid, guarded.scaled, parallel);
        Convergence convergence = solver.solve(b, tolerance, maxIterations, observer, 0, Double.NaN);
        double[] phi = scaledCopy(solver.solution(), scale, "u");
        GridVectorField gradient = named("u", () -> GridVectorField.gradient(grid, phi));
        GridVectorField fluxFree = named("u", () -> u.minus(gradient));
        return new HodgeSplitResult(gradient, fluxFree, phi, energy(u, rho, "u"), energy(gradient, rho, "u"),
                energy(fluxFree, rho, "u"), guarded.floor, guarded.floored, convergence);
    }

    /** {@code factor * values}, checked finite (naming {@code name}). */
    static double[] scaledCopy(double[] values, double factor, String name) {
        double[] out = new double[values.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = factor * values[c];
        }
        return Arguments.finiteResult(name, "the potential", out);
    }

    /** The kinetic energy of {@code field} in {@code rho}, an overflow named {@code name}. */
    static double energy(GridVectorField field, GridDensity rho, String name) {
        return named(name, () -> field.kineticEnergy(rho));
    }

    /**
     * Runs a step whose inputs were checked, so that an {@link IllegalArgumentException} it throws can only be an
     * overflow; the message is given the name of the caller's argument that made it.
     */
    static <T> T named(String name, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LeastEffort[tolerance=" + tolerance + ", maxIterations=" + maxIterations + ", densityFloor="
                + densityFloor + ", parallel=" + parallel + "]";
    }
}
