package org.measureflow.core.continuity;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.ode.StepObserver;

/**
 * The continuity equation \( \partial_t \rho + \mathrm{div}(\rho\, v_t) = 0 \) (survey eq. 2) on a grid density, for
 * any {@link VectorField}: the Eulerian counterpart of advecting particles with an
 * {@link org.measureflow.core.ode.OdeIntegrator} (eq. 1). A conservative finite-volume scheme in flux form: MUSCL
 * reconstruction with a {@link SlopeLimiter}, upwind fluxes with the normal velocity at each face centre, and
 * SSP-RK2 (Heun) time steps under a CFL bound that the solver computes; second order on smooth data, positive, and
 * mass-conserving to round-off. The scheme, the bound \( \Delta t \le \tfrac12 / \sum_k \max |v_k|/h_k \) and its
 * proof are in the {@linkplain org.measureflow.core.continuity package description}.
 *
 * <pre>{@code
 * ContinuityResult r = ContinuitySolver.withDefaults()
 *         .withBoundary(Boundary.PERIODIC)
 *         .advect(rho0, v, 0.0, 1.0);
 * GridDensity rho1 = r.density();
 * }</pre>
 *
 * <p>Defaults:
 * <ul>
 * <li>{@code boundary = }{@link Boundary#NO_FLUX} (a closed box);</li>
 * <li>{@code limiter = }{@link SlopeLimiter#MONOTONIZED_CENTRAL};</li>
 * <li>{@code courantNumber = 0.9}: {@link #advect} takes steps of at most 0.9 times the CFL bound;</li>
 * <li>{@code maxSteps = 1,000,000}: a run that would need more steps is refused;</li>
 * <li>{@code parallel = true}: the passes over the cells run on all cores, in fixed chunks (the same bits as
 *     serially).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; the work arrays of one call are allocated at its start and nothing is allocated per
 * step. Inputs are never modified.
 */
public final class ContinuitySolver {
    /**
     * The constant \( C = 1/2 \) of the CFL bound \( \Delta t \le C / \sum_k \max_{\text{faces}} |v_k| / h_k \) under
     * which the scheme keeps densities non-negative (proved in the package description; the bound is attained by
     * a forward Euler stage, so no larger constant works for every field and density).
     */
    public static final double CFL_CONSTANT = 0.5;

    private static final ContinuitySolver DEFAULTS = new ContinuitySolver(Boundary.NO_FLUX,
            SlopeLimiter.MONOTONIZED_CENTRAL, 0.9, 1_000_000L, true);

    private final Boundary boundary;
    private final SlopeLimiter limiter;
    private final double courantNumber;
    private final long maxSteps;
    private final boolean parallel;

    private ContinuitySolver(Boundary boundary, SlopeLimiter limiter, double courantNumber, long maxSteps,
                             boolean parallel) {
        this.boundary = boundary;
        this.limiter = limiter;
        this.courantNumber = courantNumber;
        this.maxSteps = maxSteps;
        this.parallel = parallel;
    }

    /**
     * The solver with the defaults listed in the class description.
     *
     * @return the solver
     */
    public static ContinuitySolver withDefaults() {
        return DEFAULTS;
    }

    /**
     * This solver with another boundary condition.
     *
     * @param boundary {@link Boundary#NO_FLUX} or {@link Boundary#PERIODIC}
     * @return a new solver
     * @throws IllegalArgumentException if {@code boundary} is null
     */
    public ContinuitySolver withBoundary(Boundary boundary) {
        Arguments.notNull("boundary", boundary);
        return new ContinuitySolver(boundary, limiter, courantNumber, maxSteps, parallel);
    }

    /** The boundary condition. */
    public Boundary boundary() {
        return boundary;
    }

    /**
     * This solver with another slope limiter.
     *
     * @param limiter the limiter of the MUSCL reconstruction
     * @return a new solver
     * @throws IllegalArgumentException if {@code limiter} is null
     */
    public ContinuitySolver withLimiter(SlopeLimiter limiter) {
        Arguments.notNull("limiter", limiter);
        return new ContinuitySolver(boundary, limiter, courantNumber, maxSteps, parallel);
    }

    /** The slope limiter. */
    public SlopeLimiter limiter() {
        return limiter;
    }

    /**
     * This solver with another Courant number: {@link #advect} takes steps \( |\Delta t_n| \le \) {@code courantNumber}
     * times the CFL bound of the step. With 1 the steps reach the bound itself (positivity then holds exactly, up
     * to one rounding unit that the scheme sets to 0); below 1 every cell keeps at least the fraction
     * {@code 1 - courantNumber} of its mass through each stage.
     *
     * @param courantNumber a fraction in \( (0, 1] \)
     * @return a new solver
     * @throws IllegalArgumentException unless \( 0 \lt \) {@code courantNumber} \( \le 1 \)
     */
    public ContinuitySolver withCourantNumber(double courantNumber) {
        Arguments.positive("courantNumber", courantNumber);
        Arguments.atMost("courantNumber", courantNumber, 1.0);
        return new ContinuitySolver(boundary, limiter, courantNumber, maxSteps, parallel);
    }

    /** The Courant number: the fraction of the CFL bound that {@link #advect} steps take at most. */
    public double courantNumber() {
        return courantNumber;
    }

    /**
     * This solver with another limit on the steps of one {@link #advect} call. A run is refused (with an
     * {@link IllegalArgumentException} naming {@code maxSteps}) as soon as the steps it still needs at the current
     * bound exceed what is left of the limit, so a field far too fast for the grid fails at once, not after hours.
     *
     * @param maxSteps the most steps, {@code >= 1}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxSteps < 1}
     */
    public ContinuitySolver withMaxSteps(long maxSteps) {
        Arguments.positive("maxSteps", maxSteps);
        return new ContinuitySolver(boundary, limiter, courantNumber, maxSteps, parallel);
    }

    /** The most steps of one {@link #advect} call. */
    public long maxSteps() {
        return maxSteps;
    }

    /**
     * This solver running its passes on all cores ({@code true}) or on the calling thread only; the cells are cut
     * into the same fixed chunks either way, so the results are the same bits.
     *
     * @param parallel whether to use the common fork-join pool
     * @return a new solver
     */
    public ContinuitySolver withParallel(boolean parallel) {
        return new ContinuitySolver(boundary, limiter, courantNumber, maxSteps, parallel);
    }

    /** Whether the passes run on all cores. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * The CFL bound at time {@code t}: \( C / S(t) \) with \( C = \) {@link #CFL_CONSTANT} and the Courant rate
     * \( S(t) = \sum_k \max_{\text{faces}} |v_k(t, x_f)| / h_k \), the maximum over the centres \( x_f \) of the faces
     * normal to axis \( k \) that carry flux (the inner faces in a closed box, all faces on a torus). A step from
     * \( t \) to \( t + \Delta t \) needs \( |\Delta t| \) at most the smaller of the bounds at \( t \) and
     * \( t + \Delta t \) (the two stage times); for a time-independent field they are equal.
     *
     * @param grid the grid
     * @param v    the velocity field, of the grid's dimension
     * @param t    the time
     * @return the bound, {@code +Infinity} when the field vanishes on every face that carries flux
     * @throws IllegalArgumentException if an argument is null, {@code t} is not finite, or the field has another
     *                                  dimension or a non-finite normal velocity at a face (naming {@code v})
     */
    public double cflBound(GridDensity.Grid grid, VectorField v, double t) {
        Arguments.notNull("grid", grid);
        checkField(v, grid.dimension(), "the grid");
        Arguments.finite("t", t);
        ContinuityRun run = new ContinuityRun(grid, v, boundary, limiter, parallel, 1.0);
        return ContinuityRun.bound(run.courantRate(t));
    }

    /**
     * Transports {@code rho0} along {@code v} from {@code t0} to {@code t1} (forwards, or backwards when
     * {@code t1 < t0}); see {@link #advect(GridDensity, VectorField, double, double, StepObserver)}.
     *
     * @param rho0 the density at {@code t0}
     * @param v    the velocity field, of the grid's dimension
     * @param t0   the initial time
     * @param t1   the final time
     * @return the density at {@code t1} and the record of the steps
     * @throws IllegalArgumentException as {@link #advect(GridDensity, VectorField, double, double, StepObserver)}
     */
    public ContinuityResult advect(GridDensity rho0, VectorField v, double t0, double t1) {
        return advect(rho0, v, t0, t1, StepObserver.none());
    }

    /**
     * Transports {@code rho0} along {@code v} from {@code t0} to {@code t1}: the solution at {@code t1} of
     * \( \partial_t \rho + \mathrm{div}(\rho v_t) = 0 \), \( \rho(t_0) = \rho_0 \) (survey eq. 2), with the boundary of
     * {@link #boundary()}. Backwards in time (\( t_1 \lt t_0 \)) this is the same scheme with the field \( -v \)
     * and the clock running down.
     *
     * <p>Steps: at time \( t_n \), with \( B(t) = \) {@link #cflBound cflBound(grid, v, t)}, the remaining interval
     * is cut into \( N = \lceil |t_1 - t_n| / (\sigma B(t_n)) - 10^{-9} \rceil \) equal parts (\( \sigma \) the
     * Courant number) and one of them is taken, if it also satisfies \( |\Delta t| \le \sigma B(t_n + \Delta t) \);
     * otherwise the step is shortened to \( \sigma \) times the smaller bound and tried again. For a
     * time-independent field this gives \( N \) equal steps, the last ending exactly at {@code t1}. The face
     * velocities at the end of a step serve as the start of the next, so each step evaluates the field once per
     * face.
     *
     * <p>The observer sees each step: {@link org.measureflow.core.ode.Step#state()} is the density at the end of
     * the step (cell values, row-major), {@link org.measureflow.core.ode.Step#interpolate} the linear interpolation
     * between its two ends (positive and of the same mass); returning {@code false} stops the run after that step
     * (the result then has {@code stoppedEarly} set and the time reached).
     *
     * @param rho0     the density at {@code t0}
     * @param v        the velocity field, of the grid's dimension (evaluated at face centres, on several threads)
     * @param t0       the initial time
     * @param t1       the final time
     * @param observer watches the steps and may stop early
     * @return the density at {@code t1} (or where the observer stopped) and the record of the steps
     * @throws IllegalArgumentException if an argument is null, a time or {@code t1 - t0} is not finite, {@code v}
     *                                  has another dimension than the grid or a non-finite normal velocity at a
     *                                  face, or the run needs more than {@link #maxSteps()} steps (naming
     *                                  {@code maxSteps}), or the transported density leaves the double range
     *                                  (naming {@code rho0})
     */
    public ContinuityResult advect(GridDensity rho0, VectorField v, double t0, double t1, StepObserver observer) {
        Arguments.notNull("rho0", rho0);
        checkField(v, rho0.dimension(), "rho0");
        Arguments.finite("t0", t0);
        Arguments.finite("t1", t1);
        Arguments.finiteResult("t1", "the interval t1 - t0", t1 - t0);
        Arguments.notNull("observer", observer);
        ContinuityRun run = new ContinuityRun(rho0.grid(), v, boundary, limiter, parallel, t1 < t0 ? -1.0 : 1.0);
        run.load(rho0.values());
        run.advect(t0, t1, courantNumber, maxSteps, observer, rho0.values());
        GridDensity density = finalDensity("rho0", rho0, run.finalValues);
        double m0 = rho0.mass();
        double drift = m0 == 0 ? 0.0 : (density.mass() - m0) / m0;
        return new ContinuityResult(density, run.finalTime, run.steps, run.smallestBound, run.largestStep, drift,
                run.stopped);
    }

    /**
     * One checked SSP-RK2 step of the scheme from {@code t} to {@code t + dt} (backwards when {@code dt < 0}), with
     * the field at the two stage times \( t \) and \( t + \Delta t \). Unlike {@link #advect}, the step is the
     * caller's: it may reach the CFL bound itself (the Courant number does not apply) but not exceed it.
     *
     * @param rho the density at {@code t}
     * @param v   the velocity field, of the grid's dimension
     * @param t   the time at the start of the step
     * @param dt  the step, \( |\Delta t| \le \min(B(t), B(t + \Delta t)) \) with \( B \) = {@link #cflBound}
     * @return the density at {@code t + dt}
     * @throws IllegalArgumentException if an argument is null, {@code t} or {@code t + dt} is not finite,
     *                                  {@code v} has another dimension or a non-finite normal velocity at a face,
     *                                  or \( |\Delta t| \) exceeds the CFL bound (the message names {@code dt} and
     *                                  gives the bound)
     */
    public GridDensity step(GridDensity rho, VectorField v, double t, double dt) {
        Arguments.notNull("rho", rho);
        checkField(v, rho.dimension(), "rho");
        Arguments.finite("t", t);
        Arguments.finite("dt", dt);
        Arguments.finiteResult("dt", "the end time t + dt", t + dt);
        if (dt == 0) {
            return rho;
        }
        ContinuityRun run = new ContinuityRun(rho.grid(), v, boundary, limiter, parallel, dt < 0 ? -1.0 : 1.0);
        run.load(rho.values());
        run.step(t, dt);
        return finalDensity("rho", rho, run.values());
    }

    private static void checkField(VectorField v, int dimension, String reference) {
        Arguments.notNull("v", v);
        if (v instanceof LinearField linear) {
            Arguments.sameDimension("v", linear.dimension(), dimension, reference);
        }
    }

    /**
     * The density of the transported values, which overflow only if the initial ones were near the double limit (the
     * message then names {@code name}, the argument they came from).
     */
    private static GridDensity finalDensity(String name, GridDensity initial, double[] values) {
        Arguments.finiteResult(name, "the transported density", values);
        double sum = 0;
        for (double x : values) {
            sum += x;
        }
        Arguments.finiteResult(name, "the mass of the transported density", sum * initial.cellVolume());
        return GridDensity.of(initial.grid(), values);
    }

    @Override
    public String toString() {
        return "ContinuitySolver[boundary=" + boundary + ", limiter=" + limiter + ", courantNumber=" + courantNumber
                + ", maxSteps=" + maxSteps + ", parallel=" + parallel + "]";
    }
}
