package org.measureflow.core.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.ode.StepObserver;

/** Bad input to the {@link ContinuitySolver} ends in an {@link IllegalArgumentException} naming the argument. */
class ContinuityArgumentsTest {
    private static final Grid GRID = Grid.of2d(-1, 1, 8, -1, 1, 6);
    private static final GridDensity RHO = GridDensity.fromFunction(GRID,
            x -> Math.exp(-4 * (x[0] * x[0] + x[1] * x[1])));
    private static final VectorField ROTATION = (t, x, xo, out, oo) -> {
        out[oo] = -x[xo + 1];
        out[oo + 1] = x[xo];
    };
    private static final ContinuitySolver SOLVER = ContinuitySolver.withDefaults();

    @Test
    void nullsAndNonFiniteTimesAreRejectedByName() {
        assertRejected("rho0", () -> SOLVER.advect(null, ROTATION, 0, 1));
        assertRejected("v", () -> SOLVER.advect(RHO, null, 0, 1));
        assertRejected("t0", () -> SOLVER.advect(RHO, ROTATION, Double.NaN, 1));
        assertRejected("t1", () -> SOLVER.advect(RHO, ROTATION, 0, Double.POSITIVE_INFINITY));
        assertRejected("observer", () -> SOLVER.advect(RHO, ROTATION, 0, 1, null));
        assertRejected("rho", () -> SOLVER.step(null, ROTATION, 0, 0.01));
        assertRejected("v", () -> SOLVER.step(RHO, null, 0, 0.01));
        assertRejected("t", () -> SOLVER.step(RHO, ROTATION, Double.NEGATIVE_INFINITY, 0.01));
        assertRejected("dt", () -> SOLVER.step(RHO, ROTATION, 0, Double.NaN));
        assertRejected("dt", () -> SOLVER.step(RHO, ROTATION, 1e308, 1e308));
        assertRejected("grid", () -> SOLVER.cflBound(null, ROTATION, 0));
        assertRejected("v", () -> SOLVER.cflBound(GRID, null, 0));
        assertRejected("t", () -> SOLVER.cflBound(GRID, ROTATION, Double.NaN));
    }

    /** A density is built through {@link GridDensity}, which refuses negative and non-finite values by name. */
    @Test
    void negativeOrNonFiniteDensitiesNeverReachTheSolver() {
        assertRejected("values", () -> GridDensity.of1d(0, 1, 3, new double[]{1, -1e-300, 2}));
        assertRejected("values", () -> GridDensity.of1d(0, 1, 3, new double[]{1, Double.NaN, 2}));
        assertRejected("values", () -> GridDensity.of1d(0, 1, 3, new double[]{1, Double.POSITIVE_INFINITY, 2}));
    }

    /** A field of another dimension than the grid: known for a LinearField, caught on evaluation otherwise. */
    @Test
    void aFieldThatDoesNotMatchTheGridIsRejectedNamingV() {
        LinearField threeD = LinearField.of(DMatrixRMaj.wrap(3, 3, new double[]{0, 1, 0, -1, 0, 0, 0, 0, 1}));
        IllegalArgumentException e = assertRejected("v", () -> SOLVER.advect(RHO, threeD, 0, 1));
        assertTrue(e.getMessage().contains("dimension 3") && e.getMessage().contains("expected 2"), e.getMessage());
        assertRejected("v", () -> SOLVER.step(RHO, threeD, 0, 0.01));
        assertRejected("v", () -> SOLVER.cflBound(GRID, threeD, 0));
        // reads a third coordinate that a 2-D point does not have
        VectorField reads3 = (t, x, xo, out, oo) -> {
            out[oo] = x[xo + 2];
            out[oo + 1] = 0;
        };
        assertRejected("v", () -> SOLVER.advect(RHO, reads3, 0, 1));
        // writes only the first component: the second is left unwritten
        VectorField writes1 = (t, x, xo, out, oo) -> out[oo] = x[xo];
        assertRejected("v", () -> SOLVER.advect(RHO, writes1, 0, 1));
    }

    @Test
    void nonFiniteOrOverflowingVelocitiesAreRejectedNamingV() {
        VectorField nanAtOrigin = (t, x, xo, out, oo) -> {
            out[oo] = x[xo] > 0.2 && x[xo + 1] > 0.2 ? Double.NaN : 1;
            out[oo + 1] = 1;
        };
        IllegalArgumentException e = assertRejected("v", () -> SOLVER.advect(RHO, nanAtOrigin, 0, 1));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        VectorField late = (t, x, xo, out, oo) -> {
            out[oo] = t > 0.5 ? Double.POSITIVE_INFINITY : 1;
            out[oo + 1] = 0;
        };
        assertRejected("v", () -> SOLVER.advect(RHO, late, 0, 1));
        VectorField huge = (t, x, xo, out, oo) -> {
            out[oo] = 1e308;
            out[oo + 1] = 1e308;
        };
        assertRejected("v", () -> SOLVER.cflBound(Grid.of1d(0, 1e-10, 4), (t, x, xo, out, oo) -> out[oo] = 1e308, 0));
        // finite but far too fast for the grid: refused at once by the step limit
        IllegalArgumentException steps = assertRejected("maxSteps", () -> SOLVER.advect(RHO, (t, x, xo, out, oo) -> {
            out[oo] = 1e200;
            out[oo + 1] = 0;
        }, 0, 1));
        assertTrue(steps.getMessage().contains("1000000"), steps.getMessage());
        assertRejected("maxSteps", () -> SOLVER.withMaxSteps(3).advect(RHO, ROTATION, 0, 1));
        assertRejected("v", () -> SOLVER.advect(RHO, huge, 0, 1));
    }

    /** |dt| above min(B(t), B(t + dt)) is refused, naming dt and giving the bound; at the bound it is taken. */
    @Test
    void aStepAboveTheCflBoundIsRejectedNamingDtAndTheBound() {
        double bound = SOLVER.cflBound(GRID, ROTATION, 0);
        IllegalArgumentException e = assertRejected("dt", () -> SOLVER.step(RHO, ROTATION, 0, 1.001 * bound));
        assertTrue(e.getMessage().contains(Double.toString(bound)), e.getMessage());
        assertRejected("dt", () -> SOLVER.step(RHO, ROTATION, 0, -1.001 * bound));
        assertEquals(RHO.mass(), SOLVER.step(RHO, ROTATION, 0, bound).mass(), 1e-14 * RHO.mass());
        assertEquals(RHO.mass(), SOLVER.step(RHO, ROTATION, 0, -bound).mass(), 1e-14 * RHO.mass());
        // a field that speeds up: the bound at the end of the step decides
        VectorField faster = (t, x, xo, out, oo) -> {
            out[oo] = -(1 + t) * x[xo + 1];
            out[oo + 1] = (1 + t) * x[xo];
        };
        double atStart = SOLVER.cflBound(GRID, faster, 0);
        assertRejected("dt", () -> SOLVER.step(RHO, faster, 0, atStart));
    }

    @Test
    void settingsAreCheckedByName() {
        assertRejected("courantNumber", () -> SOLVER.withCourantNumber(0));
        assertRejected("courantNumber", () -> SOLVER.withCourantNumber(1.5));
        assertRejected("courantNumber", () -> SOLVER.withCourantNumber(Double.NaN));
        assertRejected("maxSteps", () -> SOLVER.withMaxSteps(0));
        assertRejected("boundary", () -> SOLVER.withBoundary(null));
        assertRejected("limiter", () -> SOLVER.withLimiter(null));
        ContinuitySolver s = SOLVER.withCourantNumber(0.5).withMaxSteps(10).withBoundary(Boundary.PERIODIC)
                .withLimiter(SlopeLimiter.MINMOD).withParallel(false);
        assertEquals(0.5, s.courantNumber());
        assertEquals(10, s.maxSteps());
        assertEquals(Boundary.PERIODIC, s.boundary());
        assertEquals(SlopeLimiter.MINMOD, s.limiter());
        assertEquals(false, s.parallel());
        assertEquals(0.9, SOLVER.courantNumber(), "the receiver does not change");
        assertEquals("ContinuitySolver[boundary=PERIODIC, limiter=MINMOD, courantNumber=0.5, maxSteps=10, "
                + "parallel=false]", s.toString());
    }

    @Test
    void theObserversInterpolationChecksItsArguments() {
        StepObserver observer = step -> {
            assertRejected("out", () -> step.interpolate(step.endTime(), new double[3]));
            assertRejected("t", () -> step.interpolate(Double.NaN, new double[GRID.size()]));
            assertRejected("out", () -> step.interpolate(step.endTime(), null));
            return false;
        };
        assertTrue(SOLVER.advect(RHO, ROTATION, 0, 1, observer).stoppedEarly());
    }
}
