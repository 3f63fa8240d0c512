package org.measureflow.core.continuity;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.ode.Step;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.parallel.Chunks;

/**
 * The work of one call of the {@link ContinuitySolver}: the geometry of the grid, the work arrays (allocated once,
 * in the constructor and in {@link #load(double[])}), the passes over the cells, and the {@link Step} view that a
 * {@link StepObserver} sees. The scheme is described in the package documentation.
 *
 * <p>The grid is padded to three axes, the missing leading axes having one cell: padded axis {@code p} is the
 * grid's axis {@code p - (3 - d)}, its cell count {@code count[p]} and flat stride {@code stride[p]} (row-major, the
 * last axis fastest). An axis with one cell has no inner face and is skipped. Cell {@code c} keeps, per axis, the
 * face velocity and the flux at its lower face ({@code i_p - 1/2}); its upper face is the lower face of the next
 * cell, or on the last cell the boundary face (no flux) or the wrapped first face (periodic).
 *
 * <p>Densities are held multiplied by a power of two \( 2^{-e} \) that brings the largest value into
 * \( [1, 2) \): the scheme is positively homogeneous of degree one in \( \rho \) (linear fluxes, limiters with
 * \( s(\lambda a, \lambda b) = \lambda s(a, b) \) for \( \lambda \gt 0 \)), so this changes no digit except near the
 * ends of the double range, where it keeps the face values \( \le 2\rho_c \) and the fluxes from overflowing.
 *
 * <p>The passes run over rows (the cells of the last axis, which share their other indices) in chunks of about
 * {@link #CHUNK_CELLS} cells fixed by the grid. Chunks write disjoint outputs, and the only reduction (the largest
 * face speed per axis) is a maximum, so parallel and serial runs give the same bits. A 1-D grid is one row.
 */
final class ContinuityRun implements Step {
    /** About this many cells (whole rows, at least one) make a chunk of the passes, fixed by the grid alone. */
    static final int CHUNK_CELLS = 2048;
    /** The offset of a face that does not exist (the boundary of a closed box). */
    private static final int NO_FACE = Integer.MIN_VALUE;
    /** The relative slack that keeps an interval of a whole number of steps (up to rounding) from gaining one. */
    private static final double STEP_SLACK = 1e-9;
    /** Shortened retries of a step whose end-time velocities are faster than the start's, before giving up. */
    private static final int MAX_RETRIES = 40;

    private final GridDensity.Grid grid;
    private final VectorField field;
    private final int dimension;
    private final int offset;
    private final int size;
    private final int[] count = new int[3];
    private final int[] stride = new int[3];
    private final double[] lower = new double[3];
    private final double[] cell = new double[3];
    private final double[] inverseCell = new double[3];
    private final boolean[] active = new boolean[3];
    private final boolean periodic;
    private final boolean central;
    private final boolean parallel;
    /** Cells of a row: the cells of the last axis, which share their indices along the other axes. */
    private final int rowLength;
    private final int rows;
    private final int chunkRows;
    /** +1 forwards in time, -1 backwards: the face velocities are stored times this sign. */
    private final double sign;
    private final int chunks;

    // face velocities (times the sign) at the start and at the end of a step, [padded axis][cell]
    private double[][] velocityStart;
    private double[][] velocityEnd;
    private double[][] flux;
    // per chunk: the face point, the velocity there, the largest |u| per padded axis, a failure
    private final double[][] points;
    private final double[][] velocities;
    private final double[] chunkMax;
    private final RuntimeException[] chunkFailure;

    // the scaled densities: the state, the Runge-Kutta stage, the next state
    private double[] current;
    private double[] stage;
    private double[] next;
    private int exponent;
    private double[] view;

    // the arguments of the pass being run (set on the calling thread before the chunks start)
    private double passTime;
    private double[][] passVelocity;
    private double[] passIn;
    private double[] passBase;
    private double[] passOut;
    private double passBaseWeight;
    private double passWeight;
    private double passTau;

    private final Chunks.Body velocityPass = this::velocityChunk;
    private final Chunks.Body fluxPass = this::fluxChunk;
    private final Chunks.Body updatePass = this::updateChunk;

    // the Step view
    private long stepIndex;
    private double stepStartTime;
    private double stepEndTime;
    private double[] stepStart;

    ContinuityRun(GridDensity.Grid grid, VectorField field, Boundary boundary, SlopeLimiter limiter, boolean parallel,
                  double sign) {
        this.grid = grid;
        this.field = field;
        this.dimension = grid.dimension();
        this.offset = 3 - dimension;
        this.size = grid.size();
        this.periodic = boundary == Boundary.PERIODIC;
        this.central = limiter == SlopeLimiter.MONOTONIZED_CENTRAL;
        this.parallel = parallel;
        this.sign = sign;
        Arrays.fill(count, 1);
        for (int a = 0; a < dimension; a++) {
            int p = a + offset;
            count[p] = grid.cells(a);
            lower[p] = grid.lower(a);
            cell[p] = grid.cellSize(a);
            inverseCell[p] = 1 / cell[p]; // finite: the grid's cell sizes are normal doubles
            active[p] = count[p] > 1;
        }
        stride[2] = 1;
        stride[1] = count[2];
        stride[0] = count[1] * count[2];
        this.rowLength = count[2];
        this.rows = count[0] * count[1];
        this.chunkRows = Math.max(1, CHUNK_CELLS / rowLength);
        this.chunks = Chunks.count(rows, chunkRows);
        this.points = new double[chunks][dimension];
        this.velocities = new double[chunks][dimension];
        this.chunkMax = new double[3 * chunks];
        this.chunkFailure = new RuntimeException[chunks];
        this.velocityStart = axisArrays();
    }

    private double[][] axisArrays() {
        double[][] a = new double[3][];
        for (int p = 0; p < 3; p++) {
            if (active[p]) {
                a[p] = new double[size];
            }
        }
        return a;
    }

    /** Allocates the density and flux arrays and loads the (unscaled) values, scaling them by \( 2^{-e} \). */
    void load(double[] values) {
        velocityEnd = axisArrays();
        flux = axisArrays();
        stage = new double[size];
        next = new double[size];
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        exponent = max > 0 ? Math.getExponent(max) : 0;
        current = values;
        for (int c = 0; c < size; c++) {
            current[c] = Math.scalb(values[c], -exponent);
        }
    }

    /** The current density, unscaled, as a new array. */
    double[] values() {
        double[] out = new double[size];
        unscale(current, out);
        return out;
    }

    private void unscale(double[] scaled, double[] out) {
        for (int c = 0; c < size; c++) {
            out[c] = Math.scalb(scaled[c], exponent);
        }
    }

    /** The CFL bound \( C / S \) for the Courant rate \( S \) (infinite when \( S = 0 \)). */
    static double bound(double rate) {
        return rate == 0 ? Double.POSITIVE_INFINITY : ContinuitySolver.CFL_CONSTANT / rate;
    }

    // ---------------------------------------------------------------------------------------------- the passes

    private void forEach(Chunks.Body body, long costPerCell) {
        if (parallel) {
            Chunks.forEach(rows, chunkRows, costPerCell * rowLength, body);
        } else {
            for (int k = 0; k < chunks; k++) {
                body.run(k, k * chunkRows, Math.min(rows, (k + 1) * chunkRows));
            }
        }
    }

    /** The largest \( |u| \) on the faces normal to padded axis {@code p} over the chunks (NaN if one is NaN). */
    private double axisMax(int p) {
        double m = 0;
        for (int k = 0; k < chunks; k++) {
            m = Math.max(m, chunkMax[3 * k + p]); // a NaN propagates through Math.max
        }
        return m;
    }

    /**
     * Evaluates the normal velocities at the face centres at time {@code t} into {@code into} (times the sign of
     * the time direction) and returns the Courant rate \( S(t) = \sum_k \max_{\text{faces}} |v_k| / h_k \) over
     * the faces that carry flux.
     *
     * @throws IllegalArgumentException naming {@code v} if a velocity is not finite, the rate overflows, or the
     *                                  field reads or writes outside the grid's dimension
     */
    double faceVelocities(double t, double[][] into) {
        passTime = t;
        passVelocity = into;
        Arrays.fill(chunkFailure, null);
        forEach(velocityPass, 16L * dimension * dimension);
        for (RuntimeException failure : chunkFailure) {
            if (failure != null) {
                throw new IllegalArgumentException("v: evaluating the field at a point of the " + dimension
                        + "-D grid failed (" + failure + "); is it a field of dimension " + dimension + "?", failure);
            }
        }
        double rate = 0;
        for (int p = 0; p < 3; p++) {
            if (active[p]) {
                rate += axisMax(p) / cell[p];
            }
        }
        if (!Double.isFinite(rate)) {
            throw nonFinite(t, into);
        }
        return rate;
    }

    /** The Courant rate \( S(t) \) alone (the face velocities land in the start array). */
    double courantRate(double t) {
        return faceVelocities(t, velocityStart);
    }

    private IllegalArgumentException nonFinite(double t, double[][] into) {
        double[] x = new double[dimension];
        for (int p = 0; p < 3; p++) {
            for (int c = 0; active[p] && c < size; c++) {
                if (!Double.isFinite(into[p][c])) {
                    int[] index = {c / stride[0], (c / stride[1]) % count[1], c % count[2]};
                    for (int a = 0; a < dimension; a++) {
                        int q = a + offset;
                        x[a] = lower[q] + (index[q] + (q == p ? 0 : 0.5)) * cell[q];
                    }
                    return new IllegalArgumentException("v: the velocity at t = " + t + ", x = "
                            + TextSummary.array(x) + " has the non-finite normal component v_" + (p - offset)
                            + " = " + sign * into[p][c] + " (a field of lower dimension leaves it unwritten)");
                }
            }
        }
        StringBuilder speeds = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            if (active[p]) {
                speeds.append(speeds.length() == 0 ? "" : ", ").append("max |v_").append(p - offset).append("| = ")
                        .append(axisMax(p)).append(" with h_").append(p - offset).append(" = ").append(cell[p]);
            }
        }
        return new IllegalArgumentException("v: the Courant rate sum_k max |v_k| / h_k at t = " + t
                + " overflows double precision (" + speeds + ")");
    }

    private void velocityChunk(int chunk, int from, int to) {
        double[] x = points[chunk];
        double[] out = velocities[chunk];
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        try {
            for (int row = from; row < to; row++) {
                int i0 = row / count[1];
                int i1 = row % count[1];
                int first = row * rowLength;
                for (int i2 = 0; i2 < rowLength; i2++) {
                    for (int a = 0; a < dimension; a++) {
                        int p = a + offset;
                        x[a] = lower[p] + ((p == 0 ? i0 : p == 1 ? i1 : i2) + 0.5) * cell[p];
                    }
                    int c = first + i2;
                    if (active[0]) {
                        m0 = Math.max(m0, faceVelocity(x, out, 0, i0, c));
                    }
                    if (active[1]) {
                        m1 = Math.max(m1, faceVelocity(x, out, 1, i1, c));
                    }
                    if (active[2]) {
                        m2 = Math.max(m2, faceVelocity(x, out, 2, i2, c));
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // thrown on the calling thread after the pass: an exception crossing threads would lose its message
            chunkFailure[chunk] = e;
        }
        chunkMax[3 * chunk] = m0;
        chunkMax[3 * chunk + 1] = m1;
        chunkMax[3 * chunk + 2] = m2;
    }

    /**
     * Stores the normal velocity (times the sign) at the lower face of cell {@code c}, index {@code i} along padded
     * axis {@code p}, whose centre {@code x} is, and returns its magnitude; 0 on the boundary of a closed box.
     */
    private double faceVelocity(double[] x, double[] out, int p, int i, int c) {
        double w = 0;
        if (i > 0 || periodic) {
            int a = p - offset;
            double centre = x[a];
            x[a] = lower[p] + i * cell[p];
            out[a] = Double.NaN; // a field that does not write this component is caught as non-finite
            field.velocity(passTime, x, 0, out, 0);
            x[a] = centre;
            w = sign * out[a];
        }
        passVelocity[p][c] = w;
        return Math.abs(w);
    }

    private void fluxChunk(int chunk, int from, int to) {
        for (int row = from; row < to; row++) {
            int first = row * rowLength;
            if (active[0]) {
                fluxRow(0, row / count[1], first, false);
            }
            if (active[1]) {
                fluxRow(1, row % count[1], first, false);
            }
            if (active[2]) {
                fluxRow(2, 0, first, true);
            }
        }
    }

    /**
     * The fluxes through the lower faces, normal to padded axis {@code p}, of the cells of the row that starts at
     * cell {@code first}: their index along {@code p} is {@code fixed}, or runs along the row ({@code along}, the
     * last axis).
     */
    private void fluxRow(int p, int fixed, int first, boolean along) {
        double[] rho = passIn;
        double[] u = passVelocity[p];
        double[] f = flux[p];
        double tau = passTau;
        double inverse = inverseCell[p];
        int n = count[p];
        int s = stride[p];
        for (int k = 0; k < rowLength; k++) {
            int c = first + k;
            // the face's Courant number: (u tau) (1 / h) in [-1/2, 1/2] cannot overflow, as u tau <= h / 2
            f[c] = faceFlux(rho, u[c] * tau * inverse, c, along ? k : fixed, n, s);
        }
    }

    /**
     * The upwind flux times \( \tau / h \), \( \nu^+ \rho^E_{L} + \nu^- \rho^W_{c} \), through the lower face of cell
     * {@code c} (index {@code i} along an axis of {@code n} cells and stride {@code s}) with the face's Courant
     * number \( \nu = u \tau / h \), where {@code L} is the cell below. Only the upwind cell's slope is computed;
     * each cell's slope always comes from the same three cells (itself and its two neighbours along the axis), and
     * is 0 on the boundary cells of a closed box.
     */
    private double faceFlux(double[] rho, double u, int c, int i, int n, int s) {
        if (u > 0) {
            int left;
            int leftIndex;
            if (i == 0) {
                // only reached on a periodic axis: a closed box has u = 0 on its boundary faces
                left = c + (n - 1) * s;
                leftIndex = n - 1;
            } else {
                left = c - s;
                leftIndex = i - 1;
            }
            double slope;
            if (leftIndex > 0) {
                slope = limit(rho[left] - rho[left - s], rho[c] - rho[left]);
            } else {
                slope = periodic ? limit(rho[left] - rho[left + (n - 1) * s], rho[c] - rho[left]) : 0;
            }
            return u * (rho[left] + 0.5 * slope);
        }
        if (u < 0) {
            int left = i == 0 ? c + (n - 1) * s : c - s;
            double slope;
            if (i < n - 1) {
                slope = limit(rho[c] - rho[left], rho[c + s] - rho[c]);
            } else {
                slope = periodic ? limit(rho[c] - rho[left], rho[c - (n - 1) * s] - rho[c]) : 0;
            }
            return u * (rho[c] - 0.5 * slope);
        }
        return 0;
    }

    /** The limited slope from the backward and forward differences (see {@link SlopeLimiter}). */
    private double limit(double backward, double forward) {
        if (backward > 0 && forward > 0) {
            double m = Math.min(backward, forward);
            return central ? Math.min(2 * m, 0.5 * (backward + forward)) : m;
        }
        if (backward < 0 && forward < 0) {
            double m = Math.max(backward, forward);
            return central ? Math.max(2 * m, 0.5 * (backward + forward)) : m;
        }
        return 0;
    }

    /**
     * The offset from a cell to the lower face of its upper neighbour along padded axis {@code p}, for index
     * {@code i}: the next cell, the wrapped first cell on a torus, or {@link #NO_FACE} on the boundary of a box.
     */
    private int upperFace(int p, int i) {
        int last = count[p] - 1;
        return i < last ? stride[p] : periodic ? -last * stride[p] : NO_FACE;
    }

    private void updateChunk(int chunk, int from, int to) {
        double[] in = passIn;
        double[] base = passBase;
        double[] out = passOut;
        double baseWeight = passBaseWeight;
        double weight = passWeight;
        double[] f0 = flux[0];
        double[] f1 = flux[1];
        double[] f2 = flux[2];
        boolean along = active[2];
        int last = rowLength - 1;
        int wrap = periodic ? -last : NO_FACE;
        for (int row = from; row < to; row++) {
            // the upper faces along the first two axes are at the same offset for the whole row
            int up0 = active[0] ? upperFace(0, row / count[1]) : NO_FACE;
            int up1 = active[1] ? upperFace(1, row % count[1]) : NO_FACE;
            int first = row * rowLength;
            for (int k = 0; k < rowLength; k++) {
                int c = first + k;
                double divergence = 0;
                if (f0 != null) {
                    divergence += (up0 == NO_FACE ? 0 : f0[c + up0]) - f0[c];
                }
                if (f1 != null) {
                    divergence += (up1 == NO_FACE ? 0 : f1[c + up1]) - f1[c];
                }
                if (along) {
                    int up2 = k < last ? 1 : wrap;
                    divergence += (up2 == NO_FACE ? 0 : f2[c + up2]) - f2[c];
                }
                // >= 0 in exact arithmetic under the CFL bound; max(0, .) removes a rounding unit below 0 at the bound
                out[c] = Math.max(0.0, baseWeight * base[c] + weight * (in[c] - divergence));
            }
        }
    }

    /** {@code out = baseWeight * base + weight * (in - tau D(in, u))}: D the flux divergence, tau the step. */
    private void eulerStage(double[][] u, double[] in, double[] base, double baseWeight, double weight,
                            double[] out) {
        passVelocity = u;
        passIn = in;
        forEach(fluxPass, 12L * dimension);
        passBase = base;
        passOut = out;
        passBaseWeight = baseWeight;
        passWeight = weight;
        forEach(updatePass, 4L * dimension);
    }

    /**
     * One SSP-RK2 (Heun) step of length {@code tau = |dt|} from {@link #current} into {@link #next}, with the face
     * velocities of the start in {@link #velocityStart} and of the end in {@link #velocityEnd}:
     * \( \rho^{(1)} = \rho^n - \tau D(\rho^n; t_n) \),
     * \( \rho^{n+1} = \tfrac12 \rho^n + \tfrac12 (\rho^{(1)} - \tau D(\rho^{(1)}; t_n + \Delta t)) \).
     */
    private void rungeKuttaStep(double tau) {
        passTau = tau;
        eulerStage(velocityStart, current, current, 0.0, 1.0, stage);
        eulerStage(velocityEnd, stage, current, 0.5, 0.5, next);
    }

    /** Makes {@link #next} the current state, keeping the old one as the start of the {@link Step} view. */
    private void accept(long index, double startTime, double endTime) {
        double[] old = current;
        current = next;
        next = old;
        stepStart = old;
        stepIndex = index;
        stepStartTime = startTime;
        stepEndTime = endTime;
        double[][] swap = velocityStart;
        velocityStart = velocityEnd;
        velocityEnd = swap;
    }

    // ------------------------------------------------------------------------------------------------ the drivers

    /**
     * One checked step from {@code t} to {@code t + dt} (values loaded, {@code dt != 0}).
     *
     * @throws IllegalArgumentException naming {@code dt} if \( |dt| \) exceeds the CFL bound at the two stage times
     */
    void step(double t, double dt) {
        double tau = Math.abs(dt);
        double rate = Math.max(faceVelocities(t, velocityStart), faceVelocities(t + dt, velocityEnd));
        double bound = bound(rate);
        if (tau > bound) {
            throw new IllegalArgumentException("dt: |dt| = " + tau + " exceeds the CFL bound " + bound
                    + " = 1/2 / max(S(t), S(t + dt)), S = sum_k max |v_k| / h_k = " + rate
                    + " (at t = " + t + " and t + dt = " + (t + dt) + "); take smaller steps");
        }
        rungeKuttaStep(tau);
        accept(0, t, t + dt);
    }

    /** What {@link #advect} measured. */
    long steps;
    double smallestBound;
    double largestStep;
    double finalTime;
    boolean stopped;
    /** The unscaled density at {@link #finalTime}. */
    double[] finalValues;

    /**
     * Steps from {@code t0} to {@code t1} (values loaded) under {@code courant} times the CFL bound; see
     * {@link ContinuitySolver#advect(GridDensity, VectorField, double, double, StepObserver)}.
     */
    void advect(double t0, double t1, double courant, long maxSteps, StepObserver observer, double[] initial) {
        double rateStart = faceVelocities(t0, velocityStart);
        smallestBound = bound(rateStart);
        observer.init(t0, initial, t1);
        double time = t0;
        while (time != t1 && !stopped) {
            double remaining = Math.abs(t1 - time);
            double target = courant * bound(rateStart);
            double needed = Math.max(1, Math.ceil(remaining / target - STEP_SLACK));
            if (needed > maxSteps - steps) {
                throw new IllegalArgumentException("maxSteps: reaching t1 = " + t1 + " from t = " + time
                        + " needs about " + TextSummary.brief(needed) + " more steps under the CFL bound dt <= "
                        + bound(rateStart) + " times the Courant number " + courant + ", more than maxSteps = "
                        + maxSteps + (steps > 0 ? " less the " + steps + " steps taken" : "")
                        + "; raise maxSteps or shorten [t0, t1]");
            }
            double tau = needed == 1 ? remaining : remaining / needed;
            double end = needed == 1 ? t1 : time + sign * tau;
            double rateEnd;
            int retries = 0;
            while (true) {
                rateEnd = faceVelocities(end, velocityEnd);
                double bound = bound(Math.max(rateStart, rateEnd));
                if (tau <= Math.min(bound, courant * bound * (1 + STEP_SLACK))) {
                    smallestBound = Math.min(smallestBound, bound);
                    break;
                }
                if (++retries > MAX_RETRIES) {
                    throw new IllegalArgumentException("v: no step from t = " + time + " meets the CFL bound: the"
                            + " field's speed grows faster than the step shrinks (last try dt = " + tau
                            + ", bound " + bound + ")");
                }
                tau = courant * bound;
                end = time + sign * tau;
            }
            rungeKuttaStep(tau);
            largestStep = Math.max(largestStep, tau);
            accept(steps, time, end);
            steps++;
            rateStart = rateEnd;
            time = end;
            stopped = !observer.handleStep(this);
        }
        finalTime = time;
        finalValues = values();
        observer.finish(time, finalValues.clone());
    }

    // ------------------------------------------------------------------------------------------------ the Step view

    @Override
    public long index() {
        return stepIndex;
    }

    @Override
    public double startTime() {
        return stepStartTime;
    }

    @Override
    public double endTime() {
        return stepEndTime;
    }

    /** The density at the end of the step, unscaled, in a buffer reused from step to step. */
    @Override
    public double[] state() {
        if (view == null) {
            view = new double[size];
        }
        unscale(current, view);
        return view;
    }

    /**
     * The linear interpolation \( (1 - \theta) \rho^n + \theta \rho^{n+1} \),
     * \( \theta = (t - t_n)/(t_{n+1} - t_n) \), of the densities at the ends of the step: first order in time
     * within a step, but positive and of the same mass as both ends.
     */
    @Override
    public void interpolate(double t, double[] out) {
        Arguments.finite("t", t);
        Arguments.notNull("out", out);
        Arguments.length("out", out.length, size);
        double theta = (t - stepStartTime) / (stepEndTime - stepStartTime);
        for (int c = 0; c < size; c++) {
            out[c] = Math.scalb((1 - theta) * stepStart[c] + theta * current[c], exponent);
        }
    }

    @Override
    public String toString() {
        return "ContinuitySolver step " + stepIndex + " [" + stepStartTime + ", " + stepEndTime + "] on " + grid;
    }
}
