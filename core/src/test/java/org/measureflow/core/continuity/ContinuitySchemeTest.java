package org.measureflow.core.continuity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.ode.Step;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.testing.Property;

/**
 * The {@link ContinuitySolver} computes the scheme of its package description: one step equals the scheme written
 * out from its definition, cell by cell; lines of a 3-D grid evolve like 1-D grids; the CFL bound has its
 * formula; backward runs are forward runs of \( -v \); the observer sees every step.
 */
class ContinuitySchemeTest {
    /** Rounding: the reference sums the same terms in another order; relative to the largest value. */
    private static final double ROUNDING = 1e-13;

    // ------------------------------------------------------------------------ the scheme written from its definition

    /** Multi-index of flat cell c (row-major, last axis fastest). */
    private static int[] index(Grid g, int c) {
        int d = g.dimension();
        int[] idx = new int[d];
        for (int a = d - 1; a >= 0; a--) {
            idx[a] = c % g.cells(a);
            c /= g.cells(a);
        }
        return idx;
    }

    /** The cell next to idx along axis a at offset delta, wrapped on a torus, or -1 outside a closed box. */
    private static int neighbour(Grid g, int[] idx, int a, int delta, boolean periodic) {
        int[] nb = idx.clone();
        nb[a] += delta;
        int n = g.cells(a);
        if (nb[a] < 0 || nb[a] >= n) {
            if (!periodic) {
                return -1;
            }
            nb[a] = Math.floorMod(nb[a], n);
        }
        return g.flatIndex(nb);
    }

    private static double limiter(double backward, double forward, boolean central) {
        if (backward * forward <= 0) {
            return 0;
        }
        double s = Math.signum(backward);
        double m = Math.min(Math.abs(backward), Math.abs(forward));
        return central ? s * Math.min(2 * m, Math.abs(backward + forward) / 2) : s * m;
    }

    /** The limited slope of cell idx along axis a; 0 on the boundary cells of a closed box. */
    private static double slope(Grid g, double[] rho, int[] idx, int a, boolean periodic, boolean central) {
        int below = neighbour(g, idx, a, -1, periodic);
        int above = neighbour(g, idx, a, 1, periodic);
        if (below < 0 || above < 0) {
            return 0;
        }
        double r = rho[g.flatIndex(idx)];
        return limiter(r - rho[below], rho[above] - r, central);
    }

    /** The flux through the lower face of cell idx along axis a (0 on the boundary of a closed box). */
    private static double lowerFlux(Grid g, double[] rho, VectorField v, double t, int[] idx, int a, boolean periodic,
                                    boolean central) {
        int below = neighbour(g, idx, a, -1, periodic);
        if (below < 0 || g.cells(a) == 1) {
            return 0;
        }
        double[] x = new double[g.dimension()];
        for (int k = 0; k < x.length; k++) {
            x[k] = g.centre(k, idx[k]);
        }
        x[a] = g.lower(a) + idx[a] * g.cellSize(a);
        double[] u = new double[x.length];
        v.velocity(t, x, u);
        int[] belowIdx = index(g, below);
        if (u[a] > 0) {
            return u[a] * (rho[below] + 0.5 * slope(g, rho, belowIdx, a, periodic, central));
        }
        return u[a] * (rho[g.flatIndex(idx)] - 0.5 * slope(g, rho, idx, a, periodic, central));
    }

    /** rho - dt * D(rho; t), D the sum over axes of (upper flux - lower flux) / h. */
    private static double[] euler(Grid g, double[] rho, VectorField v, double t, double dt, boolean periodic,
                                  boolean central) {
        double[] out = new double[rho.length];
        for (int c = 0; c < rho.length; c++) {
            int[] idx = index(g, c);
            double div = 0;
            for (int a = 0; a < g.dimension(); a++) {
                int above = neighbour(g, idx, a, 1, periodic);
                double upper = above < 0 || g.cells(a) == 1 ? 0
                        : lowerFlux(g, rho, v, t, index(g, above), a, periodic, central);
                div += (upper - lowerFlux(g, rho, v, t, idx, a, periodic, central)) / g.cellSize(a);
            }
            out[c] = rho[c] - dt * div;
        }
        return out;
    }

    /** SSP-RK2: rho1 = E(rho; t), rho' = rho / 2 + E(rho1; t + dt) / 2. */
    private static double[] referenceStep(Grid g, double[] rho, VectorField v, double t, double dt, boolean periodic,
                                          boolean central) {
        double[] stage = euler(g, rho, v, t, dt, periodic, central);
        double[] end = euler(g, stage, v, t + dt, dt, periodic, central);
        double[] out = new double[rho.length];
        for (int c = 0; c < rho.length; c++) {
            out[c] = 0.5 * rho[c] + 0.5 * end[c];
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void oneStepIsTheSchemeWrittenOutFromItsDefinition(long seed) {
        Property.check(seed, rng -> {
            for (int dim = 1; dim <= 3; dim++) {
                ContinuityFixtures.Case problem = ContinuityFixtures.draw(rng, dim, dim == 3 ? 6 : 12);
                for (ContinuitySolver solver : ContinuityFixtures.schemes()) {
                    double t = rng.nextDouble();
                    double dt = 0.5 * Math.min(solver.cflBound(problem.grid(), problem.field(), t), 0.1);
                    double[] expected = referenceStep(problem.grid(), problem.density().values(), problem.field(), t,
                            dt, solver.boundary() == Boundary.PERIODIC,
                            solver.limiter() == SlopeLimiter.MONOTONIZED_CENTRAL);
                    double[] actual = solver.step(problem.density(), problem.field(), t, dt).values();
                    assertArrayEquals(expected, actual, ROUNDING * ContinuityFixtures.max(expected), solver + " on "
                            + problem.grid());
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------- lines and axes

    /**
     * A 3-D density that varies along one axis only, under a field along that axis that depends only on that
     * coordinate, evolves on every line like the 1-D problem: a check of the strides and the wrap of each axis. The
     * cross-section factor is a power of two per line, which the scheme carries exactly.
     */
    @Test
    void linesOfA3dGridEvolveLikeA1dGridAlongEveryAxis() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 13;
        double[] profile = ContinuityFixtures.roughDensity(rng, Grid.of1d(-1, 1, n)).values();
        VectorField v1 = (t, x, xo, out, oo) -> out[oo] = Math.sin(3 * x[xo] + t) - 0.3;
        for (Boundary boundary : Boundary.values()) {
            ContinuitySolver solver = ContinuitySolver.withDefaults().withBoundary(boundary);
            double[] line = solver.advect(GridDensity.of1d(-1, 1, n, profile), v1, 0, 0.4).density().values();
            for (int axis = 0; axis < 3; axis++) {
                int a = axis;
                int[] cells = {3, 4, 2};
                cells[a] = n;
                double[] lo = {0, 5, -2};
                double[] hi = {1, 6, -1};
                lo[a] = -1;
                hi[a] = 1;
                Grid g = Grid.of3d(lo[0], hi[0], cells[0], lo[1], hi[1], cells[1], lo[2], hi[2], cells[2]);
                double[] values = new double[g.size()];
                for (int c = 0; c < values.length; c++) {
                    int[] idx = index(g, c);
                    values[c] = profile[idx[a]] * Math.scalb(1.0, idx[(a + 1) % 3] - idx[(a + 2) % 3]);
                }
                VectorField v3 = (t, x, xo, out, oo) -> {
                    out[oo] = 0;
                    out[oo + 1] = 0;
                    out[oo + 2] = 0;
                    out[oo + a] = Math.sin(3 * x[xo + a] + t) - 0.3;
                };
                double[] result = solver.advect(GridDensity.of(g, values), v3, 0, 0.4).density().values();
                for (int c = 0; c < values.length; c++) {
                    int[] idx = index(g, c);
                    double expected = line[idx[a]] * Math.scalb(1.0, idx[(a + 1) % 3] - idx[(a + 2) % 3]);
                    assertEquals(expected, result[c], 0.0, boundary + ", axis " + a + ", cell " + c);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the bound

    /**
     * v(x) = (x, -2y) on [-1, 1] x [0, 2]: the largest |v_x| on an inner x-face is 1 - h_x (the boundary faces at
     * +-1 carry no flux in a closed box) and on a torus 1 (the face at x = -1); |v_y| peaks at the top inner face
     * y = 2 - h_y, and on a torus at the face y = 0, where v_y = 0, so its maximum is at y = 2 - h_y as well.
     */
    @Test
    void theCflBoundIsHalfOverTheSumOfTheLargestFaceSpeedsOverTheCellSizes() {
        Grid g = Grid.of2d(-1, 1, 8, 0, 2, 10);
        double hx = 0.25;
        double hy = 0.2;
        VectorField v = (t, x, xo, out, oo) -> {
            out[oo] = x[xo];
            out[oo + 1] = -2 * x[xo + 1];
        };
        double closed = 0.5 / ((1 - hx) / hx + 2 * (2 - hy) / hy);
        double torus = 0.5 / (1 / hx + 2 * (2 - hy) / hy);
        assertEquals(closed, ContinuitySolver.withDefaults().cflBound(g, v, 0.0), 1e-15 * closed);
        assertEquals(torus, ContinuitySolver.withDefaults().withBoundary(Boundary.PERIODIC).cflBound(g, v, 0.0),
                1e-15 * torus);
        assertEquals(Double.POSITIVE_INFINITY, ContinuitySolver.withDefaults().cflBound(g, (t, x, xo, out, oo) -> {
            out[oo] = 0;
            out[oo + 1] = 0;
        }, 0.0));
    }

    /**
     * A time-independent field gives N = ceil(T / (0.9 B)) equal steps: each at most 0.9 B, the last ending at t1, and
     * the reported bound is B.
     */
    @Test
    void advectTakesEqualStepsUnderTheCourantNumberTimesTheBound() {
        Grid g = Grid.of1d(0, 1, 50);
        VectorField v = (t, x, xo, out, oo) -> out[oo] = 1 + x[xo];
        ContinuitySolver solver = ContinuitySolver.withDefaults().withBoundary(Boundary.PERIODIC);
        double bound = solver.cflBound(g, v, 0);
        GridDensity rho0 = GridDensity.fromFunction(g, x -> 1 + Math.sin(2 * Math.PI * x[0]));
        List<double[]> steps = new ArrayList<>();
        ContinuityResult r = solver.advect(rho0, v, 0.25, 1.25, step -> steps.add(new double[]{step.index(),
            step.startTime(), step.endTime()}) || true);
        long expected = (long) Math.ceil(1.0 / (0.9 * bound));
        assertEquals(expected, r.steps());
        assertEquals(bound, r.cflBound(), 0.0);
        assertTrue(r.largestStep() <= 0.9 * bound * (1 + 1e-9), r.toString());
        assertEquals(1.25, r.finalTime(), 0.0);
        assertEquals(1.25, steps.get(steps.size() - 1)[2], 0.0);
        for (int k = 0; k < steps.size(); k++) {
            assertEquals(k, steps.get(k)[0], 0.0);
            assertEquals(1.0 / expected, steps.get(k)[2] - steps.get(k)[1], 1e-12);
        }
    }

    // ------------------------------------------------------------------------------------------ time and observer

    /** Backwards from t0 to t1 < t0 is forwards with -v: the same steps, the same values to rounding of the times. */
    @Test
    void aBackwardRunIsAForwardRunOfTheReversedField() {
        ContinuityFixtures.Case problem = ContinuityFixtures.draw(new SplittableRandom(3), 2, 20);
        GridDensity rho0 = problem.density();
        VectorField v = problem.field();
        VectorField reversed = (t, x, xo, out, oo) -> {
            v.velocity(1 - t, x, xo, out, oo);
            out[oo] = -out[oo];
            out[oo + 1] = -out[oo + 1];
        };
        ContinuityResult backward = ContinuitySolver.withDefaults().advect(rho0, v, 1, 0);
        ContinuityResult forward = ContinuitySolver.withDefaults().advect(rho0, reversed, 0, 1);
        assertEquals(forward.steps(), backward.steps());
        assertEquals(0.0, backward.finalTime(), 0.0);
        double[] f = forward.density().values();
        // the field is smooth in t, so the rounding of the stage times (1e-16) moves values by about that much
        assertArrayEquals(f, backward.density().values(), 1e-12 * ContinuityFixtures.max(f));
    }

    @Test
    void theObserverSeesEveryStepInterpolatesLinearlyAndCanStopTheRun() {
        ContinuityFixtures.Case problem = ContinuityFixtures.draw(new SplittableRandom(4), 2, 16);
        GridDensity rho0 = problem.density();
        VectorField v = problem.field();
        ContinuitySolver solver = ContinuitySolver.withDefaults();
        ContinuityResult full = solver.advect(rho0, v, 0, 0.3);
        // [0] the initial values, [1] the end of step 1, [2] the midpoint interpolant of step 2, [3] its end
        double[][] seen = new double[4][];
        double[] times = new double[3];
        StepObserver observer = new StepObserver() {
            @Override
            public void init(double t0, double[] y0, double t1) {
                times[0] = t0;
                times[1] = t1;
                seen[0] = y0.clone();
            }

            @Override
            public boolean handleStep(Step step) {
                if (step.index() == 1) {
                    seen[1] = step.state().clone();
                }
                if (step.index() == 2) {
                    seen[2] = new double[step.state().length];
                    step.interpolate(0.5 * (step.startTime() + step.endTime()), seen[2]);
                    seen[3] = step.state().clone();
                    return false;
                }
                return true;
            }

            @Override
            public void finish(double t, double[] y) {
                times[2] = t;
            }
        };
        ContinuityResult stopped = solver.advect(rho0, v, 0, 0.3, observer);
        assertTrue(stopped.stoppedEarly());
        assertFalse(full.stoppedEarly());
        assertTrue(full.steps() > 3);
        assertEquals(3, stopped.steps());
        assertTrue(stopped.finalTime() > 0 && stopped.finalTime() < 0.3);
        assertEquals(stopped.finalTime(), times[2], 0.0);
        assertTrue(stopped.toString().contains("STOPPED EARLY"), stopped.toString());
        assertArrayEquals(rho0.values(), seen[0], 0.0);
        assertArrayEquals(new double[]{0.0, 0.3}, new double[]{times[0], times[1]}, 0.0);
        assertArrayEquals(seen[3], stopped.density().values(), 0.0);
        double[] mean = new double[seen[1].length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = 0.5 * (seen[1][c] + seen[3][c]);
        }
        assertArrayEquals(mean, seen[2], 1e-15 * ContinuityFixtures.max(mean),
                "the midpoint interpolant is the mean of the ends");
    }

    @Test
    void noTimeNoStepAndNoFieldNoChange() {
        GridDensity rho0 = GridDensity.of1d(0, 1, 4, new double[]{0, 1, 2, 0.5});
        VectorField still = (t, x, xo, out, oo) -> out[oo] = 0;
        VectorField moving = (t, x, xo, out, oo) -> out[oo] = 1;
        ContinuitySolver solver = ContinuitySolver.withDefaults();
        ContinuityResult none = solver.advect(rho0, moving, 0.5, 0.5);
        assertEquals(0, none.steps());
        assertEquals(0.0, none.largestStep(), 0.0);
        assertArrayEquals(rho0.values(), none.density().values(), 0.0);
        ContinuityResult still1 = solver.advect(rho0, still, 0, 10);
        assertEquals(1, still1.steps());
        assertEquals(Double.POSITIVE_INFINITY, still1.cflBound());
        assertArrayEquals(rho0.values(), still1.density().values(), 0.0);
        assertSame(rho0, solver.step(rho0, moving, 0, 0.0));
    }
}
