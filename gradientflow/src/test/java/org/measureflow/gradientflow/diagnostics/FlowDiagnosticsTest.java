package org.measureflow.gradientflow.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.testing.RandomInputs;

/** Diagnostics of grid densities and particles against direct computations. */
class FlowDiagnosticsTest {
    @Test
    void gridDiagnosticsGiveMassMomentsAndTheExactW2OfATranslation() {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-5, 5, 200);
        GridDensity rho = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - 0.5) * (x[0] - 0.5)));
        // the same profile moved by 20 cells (1.0) to the left, on the same grid: W2 = 1 exactly up to the tails
        // cut at the box (mass ~ e^{-4.5^2} ~ 2e-9 beyond x = 5 for the first profile)
        GridDensity shifted = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] + 0.5) * (x[0] + 0.5)));
        FlowDiagnostics d = FlowDiagnostics.of(rho, InternalEnergy.entropy(), shifted);
        assertEquals(rho.mass(), d.mass(), 0.0);
        // midpoint sums of a Gaussian are exact to e^{-pi^2/h^2}; the cut tails (~2e-9, at distance 4.5) move the
        // moments by ~ 4.5^2 * 2e-9 at most
        assertEquals(0.5, d.mean()[0], 1e-7);
        assertEquals(0.5 + 0.25, d.secondMoment(), 1e-7);
        assertEquals(1.0, d.w2ToEquilibrium().orElseThrow(), 1e-7);
        assertEquals(InternalEnergy.entropy().value(rho), d.energy(), 0.0);
        assertTrue(FlowDiagnostics.of(GridDensity.fromFunction(GridDensity.Grid.of2d(0, 1, 3, 0, 1, 3), x -> 1),
                InternalEnergy.entropy(), null).w2ToEquilibrium().isEmpty(), "no W2 without an equilibrium");
    }

    @Test
    void particleDiagnosticsUseTheParticleEnergy() {
        ParticleMeasure mu = RandomInputs.weightedPointCloud(new SplittableRandom(2), 30, 1);
        FlowDiagnostics d = FlowDiagnostics.of(mu, InteractionEnergy.quadratic(), mu);
        assertEquals(InteractionEnergy.quadratic().value(mu), d.energy(), 0.0);
        assertEquals(0.0, d.w2ToEquilibrium().orElseThrow(), 0.0);
        double m = mu.mean()[0];
        assertEquals(mu.covariance().get(0, 0) + m * m, d.secondMoment(), 1e-14);
    }

    @Test
    void diagnosticsReadAsOneLine() {
        FlowDiagnostics d = new FlowDiagnostics(-1.25, 1.0, new double[]{0.5, -0.3}, 2.1,
                java.util.OptionalDouble.empty());
        assertEquals("FlowDiagnostics[energy=-1.25, mass=1.0, mean=[0.5, -0.3], secondMoment=2.1, "
                + "w2ToEquilibrium=none]", d.toString());
        FlowDiagnostics w = new FlowDiagnostics(0, 1, new double[]{0}, 1, java.util.OptionalDouble.of(0.125));
        assertTrue(w.toString().endsWith("w2ToEquilibrium=0.125]"), w.toString());
    }
}
