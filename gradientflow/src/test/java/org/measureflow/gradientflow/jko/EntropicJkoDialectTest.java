package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;

/**
 * {@link EntropicJko} in the API dialect: required tau and epsilon, withers, results with a convergence record, the
 * iteration observer of a step (scaling iterations) and of a flow (one status per JKO step), and warm starts.
 */
class EntropicJkoDialectTest {
    private static final GridDensity.Grid GRID = GridDensity.Grid.of1d(-4, 4, 120);
    private static final GridEnergy ENERGY = InternalEnergy.entropy(0.5)
            .plus(PotentialEnergy.of(Potential.isotropic(1, new double[1])));

    private static GridDensity start() {
        return GridDensity.fromFunction(GRID, x -> Math.exp(-(x[0] - 1) * (x[0] - 1) / 0.5)).normalised();
    }

    @Test
    void withersChangeOneSettingAndLeaveTheOriginalAlone() {
        EntropicJko a = EntropicJko.of(0.05, 0.02);
        EntropicJko b = a.withTolerance(1e-7).withMaxIterations(50).withUpperBound(3).withBlurCompensation(false)
                .withWarmStart(false).withEpsilon(JkoEpsilon.gridAdapted()).withTau(0.1).withOverRelaxation(false)
                .withParallel(false).withMultiscale(false);
        assertEquals(0.05, a.tau());
        assertEquals(JkoEpsilon.absolute(0.02), a.epsilon());
        assertEquals(1e-9, a.tolerance());
        assertEquals(10_000L, a.maxIterations());
        assertEquals(Double.POSITIVE_INFINITY, a.upperBound());
        assertTrue(a.blurCompensation() && a.warmStart() && a.overRelaxation() && a.parallel() && a.multiscale());
        assertEquals(0.1, b.tau());
        assertTrue(b.epsilon().isGridAdapted());
        assertEquals(1e-7, b.tolerance());
        assertEquals(50L, b.maxIterations());
        assertEquals(3.0, b.upperBound());
        assertFalse(b.blurCompensation() || b.warmStart() || b.overRelaxation() || b.parallel() || b.multiscale());
        // grid-adapted: max(2 h^2, tau D) with h = 8/120 and D = 0.5
        double h = 8.0 / 120;
        assertEquals(Math.max(2 * h * h, 0.1 * 0.5), b.epsilon(GRID, ENERGY), 0.0);
        assertEquals(0.02, a.epsilon(GRID, ENERGY), 0.0);
        assertEquals("EntropicJko[tau=0.05, epsilon=0.02, tolerance=1e-09, maxIterations=10000, upperBound=Infinity, "
                + "blurCompensation=true, warmStart=true, overRelaxation=true, parallel=true, "
                + "multiscale=true]", a.toString());
    }

    @Test
    void theStepReportsEveryScalingIterationAndStopsWhenAsked() {
        EntropicJko jko = EntropicJko.of(0.05, 0.02);
        List<IterationStatus> seen = new ArrayList<>();
        JkoStepResult full = jko.step(start(), ENERGY, s -> seen.add(s));
        assertTrue(full.converged(), full.toString());
        assertEquals(full.iterations(), seen.size());
        assertEquals(full.error(), seen.get(seen.size() - 1).error(), 0.0);
        assertTrue(Double.isNaN(seen.get(0).fractionDone()), "a tolerance-driven step cannot tell its progress");
        assertEquals(Termination.CONVERGED, full.termination());
        // the observer only reads: the observed step is the unobserved one
        assertArrayEquals(jko.step(start(), ENERGY).density().values(), full.density().values(), 0.0);

        JkoStepResult stopped = jko.step(start(), ENERGY, s -> s.iteration() < 3);
        assertEquals(3, stopped.iterations());
        assertEquals(Termination.STOPPED, stopped.termination());
        assertFalse(stopped.converged());
        assertTrue(stopped.toString().contains("NOT CONVERGED: stopped by the observer"), stopped.toString());
    }

    @Test
    void theFlowReportsOneStatusPerStepWithTheTimeDone() {
        EntropicJko jko = EntropicJko.of(0.05, 0.02);
        List<IterationStatus> seen = new ArrayList<>();
        JkoResult flow = jko.flow(start(), ENERGY, 4, s -> seen.add(s));
        assertEquals(4, seen.size());
        long iterations = 0;
        double largest = 0;
        for (int k = 0; k < 4; k++) {
            assertEquals(k + 1, seen.get(k).iteration());
            assertEquals((k + 1) / 4.0, seen.get(k).fractionDone(), 0.0);
            assertEquals(flow.steps().get(k).error(), seen.get(k).error(), 0.0);
            iterations += flow.steps().get(k).iterations();
            largest = Math.max(largest, flow.steps().get(k).error());
        }
        assertEquals(iterations, flow.iterations(), "iterations are summed over the steps");
        assertEquals(largest, flow.error(), 0.0, "the error is the largest step error");
        assertEquals(1e-9, flow.tolerance());
        assertEquals(Termination.CONVERGED, flow.termination());
        assertTrue(flow.toString().startsWith("JkoResult[steps=4, tau=0.05, cells=120, final mass="), flow.toString());
        assertTrue(flow.toString().contains("converged in " + iterations + " iterations"), flow.toString());

        JkoResult stopped = jko.flow(start(), ENERGY, 4, s -> s.iteration() < 2);
        assertEquals(2, stopped.steps().size());
        assertEquals(Termination.STOPPED, stopped.termination());
        assertArrayEquals(flow.density(2).values(), stopped.finalDensity().values(), 0.0);
    }

    @Test
    void aFlowWhoseStepsRunOutOfIterationsIsNotConverged() {
        JkoResult flow = EntropicJko.of(0.05, 0.02).withMaxIterations(3).flow(start(), ENERGY, 2);
        assertEquals(Termination.ITERATION_LIMIT, flow.termination());
        assertEquals(6, flow.iterations());
        assertTrue(flow.toString().contains("NOT CONVERGED: iteration limit reached after 6 iterations"),
                flow.toString());
        assertTrue(flow.steps().get(0).toString().contains("NOT CONVERGED"), flow.steps().get(0).toString());
    }

    @Test
    void withoutWarmStartsEveryStepOfTheFlowIsALoneStep() {
        EntropicJko cold = EntropicJko.of(0.05, JkoEpsilon.gridAdapted()).withWarmStart(false);
        JkoResult flow = cold.flow(start(), ENERGY, 3);
        GridDensity rho = start();
        for (int k = 0; k < 3; k++) {
            JkoStepResult s = cold.step(rho, ENERGY);
            // the same plan, the same start b = 1: the same bits and iteration counts
            assertEquals(s.iterations(), flow.steps().get(k).iterations());
            assertArrayEquals(s.density().values(), flow.steps().get(k).density().values(), 0.0);
            rho = s.density();
        }
        JkoResult warm = cold.withWarmStart(true).flow(start(), ENERGY, 3);
        assertTrue(warm.iterations() < flow.iterations(), "warm starts save iterations: " + warm.iterations()
                + " vs " + flow.iterations());
    }

    @Test
    void epsilonReadsAsOneLine() {
        assertEquals("0.25", JkoEpsilon.absolute(0.25).toString());
        assertEquals("max(2 h^2, tau D)", JkoEpsilon.gridAdapted().toString());
        assertFalse(JkoEpsilon.absolute(0.25).isGridAdapted());
    }
}
