package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;

/**
 * The accelerated JKO step (over-relaxed scalings, warm-started cell Newton solves, both cores) against the plain
 * scaling iteration and against itself on one core.
 */
class JkoAccelerationTest {
    private static GridDensity gaussian(int n) {
        GridDensity.Grid grid = GridDensity.Grid.of2d(-4, 4, n, -4, 4, n);
        return GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - 0.5) * (x[0] - 0.5)
                - (x[1] + 0.3) * (x[1] + 0.3) / 1.6)).normalised();
    }

    private static final GridEnergy POROUS = InternalEnergy.porousMedium(2);
    private static final GridEnergy FOKKER_PLANCK = InternalEnergy.entropy()
            .plus(PotentialEnergy.of(Potential.isotropic(1, new double[2])));

    @Test
    void serialAndParallelStepsGiveTheSameBits() {
        // 96^2 cells: several chunks of the cell sweeps and of the kernel passes, run on both cores
        GridDensity rho = gaussian(96);
        for (GridEnergy f : new GridEnergy[] {POROUS, FOKKER_PLANCK}) {
            EntropicJko jko = EntropicJko.of(0.05, JkoEpsilon.gridAdapted());
            JkoResult parallel = jko.flow(rho, f, 2);
            JkoResult serial = jko.withParallel(false).flow(rho, f, 2);
            assertEquals(parallel.iterations(), serial.iterations(), f.toString());
            for (int k = 1; k <= 2; k++) {
                assertArrayEquals(parallel.density(k).values(), serial.density(k).values(), 0.0, f + " step " + k);
            }
        }
    }

    @Test
    void theAcceleratedStepIsThePlainStepToTheStoppingTolerance() {
        // 48^2: over-relaxation alone; 128^2: with the multiscale start (from 64^2) too
        for (int cells : new int[] {48, 128}) {
            agreeWithThePlainStep(gaussian(cells));
        }
    }

    private static void agreeWithThePlainStep(GridDensity rho) {
        double tol = 1e-12;
        for (GridEnergy f : new GridEnergy[] {POROUS, FOKKER_PLANCK}) {
            EntropicJko jko = EntropicJko.of(0.05, JkoEpsilon.gridAdapted()).withTolerance(tol)
                    .withMaxIterations(100_000);
            List<Double> errors = new ArrayList<>();
            JkoStepResult plain = jko.withOverRelaxation(false).withMultiscale(false)
                    .step(rho, f, s -> errors.add(s.error()));
            JkoStepResult fast = jko.step(rho, f);
            assertTrue(plain.converged() && fast.converged(), plain + " / " + fast);
            assertTrue(fast.iterations() < plain.iterations(), fast.iterations() + " vs " + plain.iterations());
            // the plain iteration's linear rate over its last 10 iterations
            int k = errors.size() - 1;
            double rate = Math.pow(errors.get(k) / errors.get(k - 10), 0.1);
            assertTrue(rate < 0.999, "rate " + rate);
            // at a linear rate rho an iterate whose residual is <= tol lies within tol / (1 - rho) (L1, mass units)
            // of the common fixed point; two of them within twice that (densities: divide by the cell volume)
            double bound = 2 * tol / (1 - rate) / rho.grid().cellVolume();
            double l1 = 0;
            for (int c = 0; c < rho.size(); c++) {
                l1 += Math.abs(plain.density().value(c) - fast.density().value(c));
            }
            assertTrue(l1 <= bound, f + ": L1 difference " + l1 + " above " + bound);
            assertEquals(rho.mass(), fast.density().mass(), 1e-12, "the returned plan has the exact first marginal");
        }
    }
}
