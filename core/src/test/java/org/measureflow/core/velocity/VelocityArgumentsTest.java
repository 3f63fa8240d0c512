package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * Bad input is rejected by name; settings are checked; the observer sees every iteration and can stop the run;
 * serial and parallel runs give the same bits; callers' arrays are not modified.
 */
class VelocityArgumentsTest {
    private static final Grid GRID = Grid.of2d(-3, 3, 32, -3, 3, 24);
    private static final GaussianPaths PATH = new GaussianPaths(new double[]{0.2, 0},
            new double[][]{{0.6, 0.1}, {0.1, 0.4}}, new double[]{0.3, 0.1}, new double[][]{{0.2, 0}, {0, -0.1}});

    @Test
    void badInputIsRejectedByName() {
        GridDensity rho = PATH.density(GRID);
        double[] rate = PATH.derivative(GRID);
        GridDensity otherGrid = GridDensity.fromFunction(Grid.of2d(-3, 3, 32, -3, 3, 25), p -> 1);
        LeastEffort le = LeastEffort.withDefaults();
        DacorognaMoser dm = DacorognaMoser.withDefaults();
        assertRejected("derivative", () -> le.solve(rho, new double[5]));
        assertRejected("derivative", () -> dm.solve(rho, new double[5]));
        double[] nan = rate.clone();
        nan[17] = Double.NaN;
        assertRejected("derivative", () -> le.solve(rho, nan));
        assertRejected("derivative", () -> dm.solve(rho, nan));
        double[] infinite = rate.clone();
        infinite[3] = Double.NEGATIVE_INFINITY;
        assertRejected("derivative", () -> le.solve(rho, infinite));
        assertRejected("rho", () -> le.solve(null, rate));
        assertRejected("rho", () -> dm.solve(GridDensity.of(GRID, new double[GRID.size()]), rate));
        assertRejected("observer", () -> le.solve(rho, rate, null));
        assertRejected("u", () -> le.split(rho, GridVectorField.zero(otherGrid.grid())));
        assertRejected("u", () -> le.split(rho, null));
        assertRejected("path", () -> le.solve((DensityPath) null));
        assertRejected("tolerance", () -> le.withTolerance(0));
        assertRejected("tolerance", () -> le.withTolerance(Double.NaN));
        assertRejected("maxIterations", () -> le.withMaxIterations(0));
        assertRejected("densityFloor", () -> le.withDensityFloor(0));
        assertRejected("densityFloor", () -> le.withDensityFloor(1.5));
        assertRejected("densityFloor", () -> dm.withDensityFloor(-1));
        // a derivative that is huge against a tiny density: the velocity overflows and the derivative is named
        GridDensity tiny = GridDensity.fromFunction(GRID, p -> 1e-300 * (1 + p[0] * p[0]));
        double[] huge = rate.clone();
        for (int c = 0; c < huge.length; c++) {
            huge[c] *= 1e300;
        }
        assertRejected("derivative", () -> dm.solve(tiny, huge));
        assertRejected("derivative", () -> le.solve(tiny, huge));
    }

    @Test
    void settingsAreKeptAndTheReceiverDoesNotChange() {
        LeastEffort le = LeastEffort.withDefaults();
        LeastEffort other = le.withTolerance(1e-6).withMaxIterations(7).withDensityFloor(1e-4).withParallel(false);
        assertEquals(LeastEffort.DEFAULT_TOLERANCE, le.tolerance());
        assertEquals(1e-6, other.tolerance());
        assertEquals(7, other.maxIterations());
        assertEquals(1e-4, other.densityFloor());
        assertFalse(other.parallel());
        assertEquals(1e-3, DacorognaMoser.withDefaults().withDensityFloor(1e-3).densityFloor());
    }

    @Test
    void theObserverSeesEveryIterationAndCanStop() {
        GridDensity rho = PATH.density(GRID);
        double[] rate = PATH.derivative(GRID);
        double[] copy = rate.clone();
        List<IterationStatus> seen = new ArrayList<>();
        LeastEffortResult full = LeastEffort.withDefaults().solve(rho, rate, s -> seen.add(s));
        assertArrayEquals(copy, rate, "the derivative is not modified");
        assertEquals(full.iterations(), seen.size());
        assertEquals(full.error(), seen.get(seen.size() - 1).error());
        LeastEffortResult stopped = LeastEffort.withDefaults().solve(rho, rate, s -> s.iteration() < 3);
        assertEquals(3, stopped.iterations());
        assertEquals(Termination.STOPPED, stopped.termination());
        assertTrue(stopped.toString().contains("NOT CONVERGED"), stopped.toString());
        LeastEffortResult limited = LeastEffort.withDefaults().withMaxIterations(2).solve(rho, rate);
        assertEquals(Termination.ITERATION_LIMIT, limited.termination());
        assertTrue(limited.error() > limited.tolerance());
    }

    @Test
    void aStaticDensityHasTheZeroField() {
        GridDensity rho = PATH.density(GRID);
        LeastEffortResult le = LeastEffort.withDefaults().solve(rho, new double[GRID.size()]);
        assertTrue(le.converged());
        assertEquals(0, le.iterations());
        assertEquals(0, le.field().maxComponent());
        assertEquals(0, DacorognaMoser.withDefaults().solve(rho, new double[GRID.size()]).field().maxComponent());
    }

    @Test
    void serialAndParallelRunsGiveTheSameBits() {
        Grid grid = Grid.of2d(-4, 4, 256, -4, 4, 256); // large enough for the parallel chunks
        GridDensity rho = PATH.density(grid);
        double[] rate = PATH.derivative(grid);
        LeastEffortResult parallel = LeastEffort.withDefaults().solve(rho, rate);
        LeastEffortResult serial = LeastEffort.withDefaults().withParallel(false).solve(rho, rate);
        assertEquals(parallel.iterations(), serial.iterations());
        assertEquals(parallel.error(), serial.error());
        assertArrayEquals(parallel.potential(), serial.potential());
        assertArrayEquals(parallel.field().component(0), serial.field().component(0));
        assertEquals(parallel.kineticEnergy(), serial.kineticEnergy());
    }

    @Test
    void pathSolvesReportEveryNodeAndTheTotalIterations() {
        GridDensity[] densities = new GridDensity[4];
        double[] times = {0, 0.1, 0.25, 0.4};
        for (int i = 0; i < 4; i++) {
            double t = times[i];
            GaussianPaths at = new GaussianPaths(new double[]{0.2 + 0.3 * t, 0.1 * t},
                    new double[][]{{0.6 + 0.2 * t, 0.1}, {0.1, 0.4 - 0.1 * t}}, PATH.mDot, PATH.sDot);
            densities[i] = at.density(GRID);
        }
        DensityPath path = DensityPath.of(times, densities);
        LeastEffortPathResult result = LeastEffort.withDefaults().solve(path);
        assertEquals(3, result.nodes().size());
        assertEquals(result.nodes().stream().mapToLong(LeastEffortResult::iterations).sum(), result.iterations());
        assertArrayEquals(new double[]{0.05, 0.175, 0.325}, result.field().times(), 1e-15);
        double action = 0;
        for (int j = 0; j < 3; j++) {
            action += (times[j + 1] - times[j]) * result.nodes().get(j).kineticEnergy();
        }
        assertEquals(action, result.action(), 1e-15 * action);
        LeastEffortPathResult stopped = LeastEffort.withDefaults().solve(path, s -> s.iteration() < 5);
        assertEquals(1, stopped.nodes().size(), "a stop ends the path");
        assertEquals(Termination.STOPPED, stopped.termination());
        DacorognaMoserPathResult dm = DacorognaMoser.withDefaults().solve(path);
        assertEquals(3, dm.nodes().size());
        assertTrue(dm.action() > result.action());
    }
}
