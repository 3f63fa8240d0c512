package org.measureflow.ot.dynamic;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GridDensity;

/**
 * The dynamic (Benamou&ndash;Brenier) formulation of optimal transport (survey eq. 11), solved on a staggered
 * space&ndash;time grid by Douglas&ndash;Rachford proximal splitting (Papadakis, Peyr&eacute; &amp; Oudet, SIAM J.
 * Imaging Sci. 2014):
 * \[ W_2^2(\rho_0, \rho_1) = \min_{(\rho, m)} \int_0^1\!\!\int_D \frac{|m(t,x)|^2}{\rho(t,x)}\,dx\,dt
 * \quad\text{s.t.}\quad \partial_t\rho + \mathrm{div}\, m = 0,\ \rho(0) = \rho_0,\ \rho(1) = \rho_1,\
 * m\cdot n = 0 \text{ on } \partial D, \]
 * with \( m = \rho v \). With the kinetic energy \( \int\!\!\int |m|^2/\rho \) (no factor 1/2) and \( t \in [0,1] \)
 * the minimum is \( W_2^2 \) for the project's cost \( |x-y|^2 \); the solver minimises the same problem written as
 * \( \sum_c |m_c|^2 / (2\rho_c) \), which has the same minimisers.
 *
 * <p><b>Discretisation.</b> Staggered variables \( U = (\rho, m) \): \( \rho \) on the time nodes \( l/P \) and the
 * cell centres, \( m_x \) on the mid-times and the x-faces (\( m_y \) on the y-faces in 2-D), so that the continuity
 * equation is the exact discrete divergence \( A U = 0 \) (the set \( \mathcal C \), which also fixes the end
 * densities and zero boundary flux). Cell-centred variables \( V = (\bar\rho, \bar m) \) carry the energy
 * \( J(V) = \sum_c f(\bar\rho_c, \bar m_c) \), \( f(\rho, m) = |m|^2/(2\rho) \) for \( \rho &gt; 0 \), \( f(0,0) = 0 \),
 * \( +\infty \) otherwise; they are tied to \( U \) by the midpoint interpolation \( V = \mathcal I U \).
 *
 * <p><b>Splitting.</b> Douglas&ndash;Rachford on \( G_1(U, V) = \iota_{\mathcal C}(U) + J(V) \) and
 * \( G_2(U,V) = \iota_{V = \mathcal I U} \): \( x_k = \mathrm{prox}_{G_2}(z_k) \),
 * \( y_k = \mathrm{prox}_{\gamma G_1}(2x_k - z_k) \), \( z_{k+1} = z_k + \alpha (y_k - x_k) \). The three maps:
 * <ul>
 * <li>\( \mathrm{prox}_{\gamma f} \) per cell (PPO Prop. 1): \( \rho^\star \) is the largest real root of
 *     \( (\rho - \tilde\rho)(\rho+\gamma)^2 - \tfrac{\gamma}{2}|\tilde m|^2 = 0 \) and
 *     \( m^\star = \rho^\star \tilde m/(\rho^\star + \gamma) \) if \( \rho^\star &gt; 0 \), else \( (0, 0) \); the root is
 *     found by Newton's method started above it, where the cubic is convex and increasing (monotone
 *     convergence).</li>
 * <li>The projection onto \( \mathcal C \): \( U - A^*(AA^*)^{-1} A U \), where \( AA^* = -\Delta \) is the
 *     space&ndash;time Laplacian with Neumann conditions on cell-centred unknowns. It is solved exactly by an
 *     orthonormal DCT-II in each space direction (our own: through a complex FFT, \( O(n\log n) \) per line, when
 *     the number of cells is a power of two, else as an \( n \times n \) matrix, \( O(n^2) \)) followed, for each
 *     spatial frequency, by a tridiagonal (Thomas) solve in time; the zero frequency is integrated directly.</li>
 * <li>The projection onto \( V = \mathcal I U \): \( (\mathrm{Id} + \mathcal I^*\mathcal I) U = U_0 + \mathcal I^* V_0 \),
 *     a constant tridiagonal system along each line, factorised once.</li>
 * </ul>
 * The iteration stops when the relative fixed-point residual \( \|y_k - x_k\|/\|x_k\| \) (both the staggered and
 * the centred parts; {@link BenamouBrenierResult#error()}) falls below the tolerance (the energy settles well before
 * the shape of the path: ask for a smaller tolerance when the intermediate densities matter); the returned \( U \) is
 * the projected one (continuity exact), the energy is that of the centred \( V \).
 *
 * <p>The parts are package-private classes along the method's seams: {@code StaggeredGrid} and
 * {@code SplittingState} (the space&ndash;time unknowns and the vector operations), {@code ContinuityProjection}
 * (the DCT/tridiagonal Poisson solver), {@code ProximalMaps} (the graph projection and the energy prox); this class
 * runs the Douglas&ndash;Rachford loop.
 *
 * <p>Configuration: {@link #of(int)} with the number of time steps \( P \), which is required (it sets the accuracy
 * of the time discretisation and has no default that suits every problem); then, with their defaults:
 * <ul>
 * <li>at most {@value #DEFAULT_MAX_ITERATIONS} iterations ({@link #withMaxIterations(long)});</li>
 * <li>tolerance {@value #DEFAULT_TOLERANCE} on the relative fixed-point residual ({@link #withTolerance(double)});</li>
 * <li>proximal step \( \gamma \) automatic ({@code NaN}: \( \max_c \max(\rho_0, \rho_1) / 4 \) after normalisation to
 *     mass 1, relative to the data's density scale) ({@link #withGamma(double)});</li>
 * <li>relaxation \( \alpha = \) {@value #DEFAULT_RELAXATION} ({@link #withRelaxation(double)}).</li>
 * </ul>
 *
 * <p>Cost per iteration: \( O(P\, n_x n_y \log(n_x n_y)) \) for the transforms on power-of-two grids
 * (\( O(P\, n_x n_y (n_x + n_y)) \) otherwise), \( O(P\, n_x n_y) \) for the rest.
 * Single-threaded and deterministic; immutable and thread-safe.
 */
public final class BenamouBrenier {
    /** Default limit on Douglas&ndash;Rachford iterations: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 5000;
    /** Default tolerance on the relative fixed-point residual: {@value}. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Default relaxation \( \alpha \) of the Douglas&ndash;Rachford update: {@value}. */
    public static final double DEFAULT_RELAXATION = 1.8;
    /** The shortest grid side accepted, {@value}: see {@link #solve(GridDensity, GridDensity)}. */
    static final double MIN_EXTENT = 1e-50;
    /** The longest grid side accepted, {@value}. */
    static final double MAX_EXTENT = 1e50;
    /**
     * The automatic proximal step as a fraction of \( \max_c \max(\rho_0, \rho_1) \). Measured on 1-D Gaussians
     * (sd 0.05 and 0.07 on [0, 1], 16 to 64 cells): at 0.0013 and 0.006 times the maximum the iteration stalls
     * (small residual, energy 30 % and 2 % too high at 32 cells), at 0.1 the energy is right but the path converges
     * slowly (midpoint error 6 times larger after 3000 iterations), 0.25 to 1.25 converge, 0.25 in the fewest
     * iterations.
     */
    static final double AUTO_GAMMA = 0.25;

    private final int timeSteps;
    private final long maxIterations;
    private final double tolerance;
    private final double gamma;
    private final double relaxation;

    private BenamouBrenier(int timeSteps, long maxIterations, double tolerance, double gamma, double relaxation) {
        this.timeSteps = timeSteps;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.gamma = gamma;
        this.relaxation = relaxation;
    }

    /**
     * The solver with \( P \) = {@code timeSteps} time steps \( \Delta t = 1/P \) and the defaults listed in the class
     * documentation.
     *
     * @param timeSteps \( P \ge 2 \)
     * @return the solver
     * @throws IllegalArgumentException if {@code timeSteps < 2}
     */
    public static BenamouBrenier of(int timeSteps) {
        return new BenamouBrenier(Arguments.atLeast("timeSteps", timeSteps, 2), DEFAULT_MAX_ITERATIONS,
                DEFAULT_TOLERANCE, Double.NaN, DEFAULT_RELAXATION);
    }

    /**
     * This solver with another number of time steps.
     *
     * @param timeSteps \( P \ge 2 \)
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code timeSteps < 2}
     */
    public BenamouBrenier withTimeSteps(int timeSteps) {
        return new BenamouBrenier(Arguments.atLeast("timeSteps", timeSteps, 2), maxIterations, tolerance, gamma,
                relaxation);
    }

    /**
     * This solver with another limit on Douglas&ndash;Rachford iterations; reaching it is reported, not thrown.
     *
     * @param maxIterations {@code >= 1}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code maxIterations < 1}
     */
    public BenamouBrenier withMaxIterations(long maxIterations) {
        return new BenamouBrenier(timeSteps, Arguments.positive("maxIterations", maxIterations), tolerance, gamma,
                relaxation);
    }

    /**
     * This solver with another tolerance: it stops when the relative fixed-point residual
     * \( \|y_k - x_k\| / \|x_k\| \) (both the staggered and the centred parts) is at most this.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public BenamouBrenier withTolerance(double tolerance) {
        return new BenamouBrenier(timeSteps, maxIterations, Arguments.positive("tolerance", tolerance), gamma,
                relaxation);
    }

    /**
     * This solver with another proximal step \( \gamma \), in density units.
     *
     * @param gamma finite and {@code > 0}, or {@code NaN} for the automatic \( \max_c \max(\rho_0, \rho_1)/4 \) after
     *              normalisation to mass 1 (the fastest of the fractions tried)
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code gamma} is neither {@code NaN} nor finite and positive
     */
    public BenamouBrenier withGamma(double gamma) {
        if (!Double.isNaN(gamma)) {
            Arguments.positive("gamma", gamma);
        }
        return new BenamouBrenier(timeSteps, maxIterations, tolerance, gamma, relaxation);
    }

    /**
     * This solver with another relaxation \( \alpha \) of the Douglas&ndash;Rachford update
     * \( z_{k+1} = z_k + \alpha (y_k - x_k) \).
     *
     * @param relaxation in {@code (0, 2)}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code relaxation} is not in {@code (0, 2)}
     */
    public BenamouBrenier withRelaxation(double relaxation) {
        return new BenamouBrenier(timeSteps, maxIterations, tolerance, gamma,
                Arguments.inOpenRange("relaxation", relaxation, 0, 2));
    }

    /** The number of time steps \( P \). */
    public int timeSteps() {
        return timeSteps;
    }

    /** The limit on iterations. */
    public long maxIterations() {
        return maxIterations;
    }

    /** The tolerance on the relative fixed-point residual. */
    public double tolerance() {
        return tolerance;
    }

    /** The proximal step ({@code NaN}: automatic). */
    public double gamma() {
        return gamma;
    }

    /** The relaxation \( \alpha \). */
    public double relaxation() {
        return relaxation;
    }

    /**
     * Solves the dynamic problem between two densities on the same 1-D or 2-D grid (the box is the domain \( D \)),
     * each normalised to mass 1.
     *
     * @param rho0 the density at \( t = 0 \)
     * @param rho1 the density at \( t = 1 \), on the same grid
     * @return the density path, the momentum, the kinetic energy and how the iteration ended
     * @throws IllegalArgumentException if an argument is null, the grids differ, a density has zero mass, or a side
     *                                  of the grid is outside \( [10^{-50}, 10^{50}] \) (the densities, momenta and
     *                                  energy scale with powers of it; rescale the domain)
     */
    public BenamouBrenierResult solve(GridDensity rho0, GridDensity rho1) {
        return solve(rho0, rho1, IterationObserver.none());
    }

    /**
     * {@link #solve(GridDensity, GridDensity)} watched by an observer, called after every iteration with the count and
     * the relative fixed-point residual; returning {@code false} stops the iteration (the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED} unless that iteration met the tolerance).
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, GridDensity)}, or if {@code observer} is null
     */
    public BenamouBrenierResult solve(GridDensity rho0, GridDensity rho1, IterationObserver observer) {
        Arguments.notNull("rho0", rho0);
        Arguments.notNull("rho1", rho1);
        if (!rho0.grid().equals(rho1.grid())) {
            // no Arguments rule compares grids
            throw new IllegalArgumentException("rho1 must be on the grid of rho0 " + rho0.grid() + ", got "
                    + rho1.grid());
        }
        Arguments.positive("rho0 (mass)", rho0.mass());
        Arguments.positive("rho1 (mass)", rho1.mass());
        Arguments.notNull("observer", observer);
        GridDensity.Grid grid = rho0.grid();
        for (int axis = 0; axis < grid.dimension(); axis++) {
            double extent = grid.upper(axis) - grid.lower(axis);
            if (!(extent >= MIN_EXTENT && extent <= MAX_EXTENT)) {
                // the normalised densities scale as extent^-d, the momenta as extent^(1-d), the energy as extent^2
                throw new IllegalArgumentException("rho0: the grid's side " + extent + " is outside [" + MIN_EXTENT
                        + ", " + MAX_EXTENT + "], where densities, momenta and the kinetic energy stay far inside "
                        + "the double range; rescale the domain (the kinetic energy scales with its squared length)");
            }
        }
        return run(rho0.normalised(), rho1.normalised(), observer);
    }

    @Override
    public String toString() {
        return "BenamouBrenier[timeSteps=" + timeSteps + ", maxIterations=" + maxIterations + ", tolerance="
                + tolerance + ", gamma=" + (Double.isNaN(gamma) ? "automatic" : Double.toString(gamma))
                + ", relaxation=" + relaxation + "]";
    }

    /**
     * The Douglas&ndash;Rachford loop: \( x = \mathrm{prox}_{G_2}(z) \), \( y = \mathrm{prox}_{\gamma G_1}(2x - z) \),
     * \( z \leftarrow z + \alpha (y - x) \), from the linear interpolation of the densities with no momentum.
     */
    private BenamouBrenierResult run(GridDensity rho0, GridDensity rho1, IterationObserver observer) {
        StaggeredGrid g = new StaggeredGrid(rho0.grid(), timeSteps);
        double[] r0 = rho0.values();
        double[] r1 = rho1.values();
        double max = 0;
        for (int c = 0; c < r0.length; c++) {
            max = Math.max(max, Math.max(r0[c], r1[c]));
        }
        ProximalMaps prox = new ProximalMaps(g, Double.isNaN(gamma) ? AUTO_GAMMA * max : gamma);
        ContinuityProjection continuity = new ContinuityProjection(g, r0, r1);
        SplittingState z = new SplittingState(g);
        int cells = g.nx * g.ny;
        for (int l = 0; l <= g.p; l++) {
            double t = (double) l / g.p;
            for (int c = 0; c < cells; c++) {
                z.r[l * cells + c] = (1 - t) * r0[c] + t * r1[c];
            }
        }
        g.interpolate(z.r, z.mx, z.my, z.cr, z.cmx, z.cmy);
        SplittingState x = new SplittingState(g);
        SplittingState y = new SplittingState(g);
        long iter = 0;
        double residual = Double.POSITIVE_INFINITY;
        boolean stopped = false;
        while (iter < maxIterations) {
            prox.projectGraph(z, x);
            y.reflect(x, z, g.twoD);
            continuity.project(y.r, y.mx, y.my);
            prox.proxEnergy(y.cr, y.cmx, y.cmy);
            z.relax(y, x, relaxation, g.twoD);
            iter++;
            residual = SplittingState.relativeDistance(y, x);
            boolean goOn = observer.observe(new IterationStatus(iter, residual, Double.NaN));
            if (residual <= tolerance) {
                break;
            }
            if (!goOn) {
                stopped = true;
                break;
            }
        }
        return result(g, y, Convergence.tested(iter, residual, tolerance, stopped));
    }

    /** The result from the last \( y \): its staggered path, and the kinetic energy of its centred variables. */
    private static BenamouBrenierResult result(StaggeredGrid g, SplittingState y, Convergence convergence) {
        double energy = 0;
        for (int c = 0; c < g.nc; c++) {
            double m2 = y.cmx[c] * y.cmx[c] + y.cmy[c] * y.cmy[c];
            if (y.cr[c] > 0) {
                energy += m2 / y.cr[c];
            }
        }
        energy *= g.dt * g.hx * g.hy;
        return new BenamouBrenierResult(g.grid, g.p, y.r, y.mx, g.grid.dimension() == 2 ? y.my : new double[0],
                energy, convergence);
    }
}
