package org.measureflow.ot.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.testing.Rejections;

/**
 * {@link BenamouBrenier}: the discrete dynamic energy converges to the closed-form \( W_2^2 \) between Gaussians, the
 * path passes through McCann's midpoint, mass is conserved, and a translated bump in 2-D costs its squared shift.
 */
class BenamouBrenierTest {
    // 1-D Gaussians well inside [0, 1]: rho0 is cut at 7 sd, rho1 at 5 sd (tail mass < 1e-6, W2 changes < 1e-6)
    static final double M0 = 0.35;
    static final double S0 = 0.05;
    static final double M1 = 0.65;
    static final double S1 = 0.07;

    static GridDensity gaussian(int cells, double m, double s) {
        return GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, cells),
                x -> Math.exp(-0.5 * (x[0] - m) * (x[0] - m) / (s * s))).normalised();
    }

    @Test
    void kineticEnergyConvergesToW2SquaredAndTheMidpointToMcCannsUnderRefinement() {
        // docs/closed-forms.md CF-12 in 1-D: W2^2 = (m0 - m1)^2 + (s0 - s1)^2, McCann midpoint N((m0+m1)/2, ((s0+s1)/2)^2)
        double w2 = (M0 - M1) * (M0 - M1) + (S0 - S1) * (S0 - S1);
        int[] sizes = {16, 32, 64};
        double[] energyError = new double[sizes.length];
        double[] midpointError = new double[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            int n = sizes[k];
            BenamouBrenierResult r = BenamouBrenier.of(n).withTolerance(5e-6).withMaxIterations(8000)
                    .solve(gaussian(n, M0, S0), gaussian(n, M1, S1));
            assertTrue(r.converged(), "n = " + n + ": " + r);
            energyError[k] = Math.abs(r.kineticEnergy() - w2);
            GridDensity mid = gaussian(n, 0.5 * (M0 + M1), 0.5 * (S0 + S1));
            double[] v = r.densityValues(n / 2);
            double l1 = 0;
            for (int i = 0; i < n; i++) {
                l1 += Math.abs(v[i] - mid.value(i)) / n;
            }
            midpointError[k] = l1;
            // the continuity equation holds exactly on the staggered grid: the mass is 1 at every time up to rounding
            for (int l = 0; l <= n; l++) {
                assertEquals(1, r.mass(l), 1e-12, "mass at t = " + r.time(l));
            }
        }
        for (int k = 1; k < sizes.length; k++) {
            // the scheme is at least first order in h = dt: halving both must at least halve the energy error
            assertTrue(energyError[k] <= 0.5 * energyError[k - 1],
                    "energy error " + energyError[k] + " after " + energyError[k - 1]);
            assertTrue(midpointError[k] < midpointError[k - 1],
                    "midpoint L1 error " + midpointError[k] + " after " + midpointError[k - 1]);
        }
        // 64 cells resolve each Gaussian by >= 3 cells per sd: the energy within 0.1 % and the midpoint within 1 % (L1)
        assertTrue(energyError[2] <= 1e-3 * w2, "energy error " + energyError[2]);
        assertTrue(midpointError[2] <= 1e-2, "midpoint L1 error " + midpointError[2]);
    }

    @Test
    void endDensitiesAreReproducedAndEqualEndsCostNothing() {
        GridDensity rho = gaussian(24, 0.5, 0.1);
        BenamouBrenierResult r = BenamouBrenier.of(8).solve(rho, rho);
        // the projection onto the continuity constraint sets the end slices to the data exactly
        double[] first = r.densityValues(0);
        double[] last = r.densityValues(8);
        for (int i = 0; i < 24; i++) {
            assertEquals(rho.value(i), first[i], 0.0);
            assertEquals(rho.value(i), last[i], 0.0);
        }
        // the constant path (m = 0) is feasible with energy 0 and the energy is >= 0: the start is the fixed point
        assertEquals(0, r.kineticEnergy(), 1e-12);
        assertTrue(r.converged());
    }

    @Test
    void translatedBumpIn2dCostsItsSquaredShift() {
        GridDensity.Grid g = GridDensity.Grid.of2d(0, 1, 32, 0, 1, 32);
        double s = 0.08;
        double[] a = {0.35, 0.4};
        double[] b = {0.6, 0.55};
        GridDensity rho0 = GridDensity.fromFunction(g,
                x -> Math.exp(-((x[0] - a[0]) * (x[0] - a[0]) + (x[1] - a[1]) * (x[1] - a[1])) / (2 * s * s)));
        GridDensity rho1 = GridDensity.fromFunction(g,
                x -> Math.exp(-((x[0] - b[0]) * (x[0] - b[0]) + (x[1] - b[1]) * (x[1] - b[1])) / (2 * s * s)));
        BenamouBrenierResult r = BenamouBrenier.of(16).withTolerance(1e-4).solve(rho0, rho1);
        assertTrue(r.converged(), r.toString());
        double shift2 = (b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1]);
        // a translation's W2^2 is the squared shift; at h = 1/32 the 1-D study above has a relative energy error
        // below 1e-3, and the tolerance 1e-4 on the residual adds about as much: allow 1 %
        assertEquals(shift2, r.kineticEnergy(), 1e-2 * shift2);
        // the path is the translation: the mean at t = 1/2 is the midpoint of the centres (to a tenth of a cell)
        double[] mean = r.densityAt(8).mean();
        assertEquals(0.5 * (a[0] + b[0]), mean[0], 0.1 / 32);
        assertEquals(0.5 * (a[1] + b[1]), mean[1], 0.1 / 32);
        for (int l = 0; l <= 16; l++) {
            assertEquals(1, r.mass(l), 1e-12, "mass at t = " + r.time(l));
        }
    }

    @Test
    void aSeparable2dProblemHasTheEnergyOfIts1dFactor() {
        // rho(x, y) = f(x) g(y) moving along x only: summing any feasible 2-D path over y gives a feasible 1-D path
        // (the y-fluxes cancel) of no larger energy (|sum m|^2 / sum rho <= sum |m|^2 / rho), and f(x, t) g(y) is
        // feasible in 2-D: the two discrete minima are equal. Non-square, non-power-of-two grids (matrix DCTs).
        int nx = 24;
        int ny = 10;
        int steps = 12;
        GridDensity f0 = GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, nx),
                x -> Math.exp(-0.5 * Math.pow((x[0] - 0.35) / 0.08, 2)));
        GridDensity f1 = GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, nx),
                x -> Math.exp(-0.5 * Math.pow((x[0] - 0.6) / 0.1, 2)));
        GridDensity.Grid g2 = GridDensity.Grid.of2d(0, 1, nx, 0, 0.5, ny);
        GridDensity r0 = GridDensity.fromFunction(g2, x -> f0.value(g2.cellIndex(x, 0) / ny) * (1.2 + Math.sin(6 * x[1])));
        GridDensity r1 = GridDensity.fromFunction(g2, x -> f1.value(g2.cellIndex(x, 0) / ny) * (1.2 + Math.sin(6 * x[1])));
        BenamouBrenier solver = BenamouBrenier.of(steps).withTolerance(1e-5);
        BenamouBrenierResult one = solver.solve(f0, f1);
        BenamouBrenierResult two = solver.solve(r0, r1);
        assertTrue(one.converged() && two.converged());
        // equal minima; each solve stops at a residual of 1e-5 (measured energy gap 8e-6 relative)
        assertEquals(one.kineticEnergy(), two.kineticEnergy(), 1e-4 * one.kineticEnergy());
    }

    @Test
    void theObserverSeesEveryIterationAndCanStopIt() {
        GridDensity rho0 = gaussian(16, M0, S0);
        GridDensity rho1 = gaussian(16, M1, S1);
        BenamouBrenier solver = BenamouBrenier.of(8);
        BenamouBrenierResult full = solver.solve(rho0, rho1);
        assertTrue(full.converged() && full.iterations() > 10, full.toString());
        List<IterationStatus> seen = new ArrayList<>();
        BenamouBrenierResult watched = solver.solve(rho0, rho1, s -> seen.add(s));
        assertEquals(full.iterations(), seen.size());
        // the last status carries the residual the result reports, and watching does not change the bits
        assertEquals(full.error(), seen.get(seen.size() - 1).error(), 0);
        assertTrue(full.error() <= full.tolerance());
        assertArrayEquals(full.density(), watched.density(), 0);
        BenamouBrenierResult stopped = solver.solve(rho0, rho1, s -> s.iteration() < 10);
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(10, stopped.iterations());
        assertEquals(seen.get(9).error(), stopped.error(), 0);
        assertTrue(stopped.toString().contains("NOT CONVERGED: stopped by the observer after 10 iterations"),
                stopped.toString());
        BenamouBrenierResult limited = solver.withMaxIterations(10).solve(rho0, rho1);
        assertEquals(Termination.ITERATION_LIMIT, limited.termination());
        // a limit of 10 and a stop after 10 are the same 10 iterations
        assertArrayEquals(stopped.density(), limited.density(), 0);
    }

    @Test
    void withersReturnNewSolversAndKeepTheOtherSettings() {
        BenamouBrenier base = BenamouBrenier.of(6);
        BenamouBrenier changed = base.withMaxIterations(50).withTolerance(1e-3).withGamma(0.5).withRelaxation(1.2)
                .withTimeSteps(9);
        assertEquals(6, base.timeSteps());
        assertEquals(BenamouBrenier.DEFAULT_MAX_ITERATIONS, base.maxIterations());
        assertEquals(BenamouBrenier.DEFAULT_TOLERANCE, base.tolerance(), 0);
        assertTrue(Double.isNaN(base.gamma()));
        assertEquals(BenamouBrenier.DEFAULT_RELAXATION, base.relaxation(), 0);
        assertEquals(9, changed.timeSteps());
        assertEquals(50, changed.maxIterations());
        assertEquals(1e-3, changed.tolerance(), 0);
        assertEquals(0.5, changed.gamma(), 0);
        assertEquals(1.2, changed.relaxation(), 0);
        assertEquals("BenamouBrenier[timeSteps=6, maxIterations=5000, tolerance=1.0E-5, gamma=automatic, "
                + "relaxation=1.8]", base.toString());
        GridDensity rho = gaussian(8, 0.5, 0.1);
        String text = base.solve(rho, rho).toString();
        assertTrue(text.startsWith("BenamouBrenierResult[Grid[[0.0, 1.0]/8], timeSteps=6, kineticEnergy="), text);
        assertTrue(text.contains("converged in "), text);
    }

    @Test
    void rejectsBadArguments() {
        GridDensity a = gaussian(8, 0.5, 0.1);
        GridDensity other = GridDensity.fromFunction(GridDensity.Grid.of1d(0, 2, 8), x -> 1);
        Rejections.assertRejected("rho1", () -> BenamouBrenier.of(4).solve(a, other));
        Rejections.assertRejected("timeSteps", () -> BenamouBrenier.of(1));
        Rejections.assertRejected("timeSteps", () -> BenamouBrenier.of(4).withTimeSteps(1));
        Rejections.assertRejected("relaxation", () -> BenamouBrenier.of(4).withRelaxation(2));
        Rejections.assertRejected("gamma", () -> BenamouBrenier.of(4).withGamma(-1));
    }
}
