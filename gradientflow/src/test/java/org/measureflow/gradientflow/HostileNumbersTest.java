package org.measureflow.gradientflow;

import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.gradientflow.diagnostics.FlowDiagnostics;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.particles.ImplicitParticleStep;
import org.measureflow.gradientflow.particles.Langevin;
import org.measureflow.gradientflow.particles.ParticleGradientFlow;

/**
 * The case of issue 14 that {@code gradientflow} handles: particles near 1e160, whose energies overflow (the command
 * line printed infinite energies), are rejected by the public entry points naming the measure.
 */
class HostileNumbersTest {
    /** Two particles 2e160 apart: their squared distance, and every quadratic energy, overflows. */
    private static final ParticleMeasure FAR = ParticleMeasure.fromFlat(new double[]{-1e160, 0, 1e160, 0}, 2);

    @Test
    void energiesThatOverflowAreRejectedNamingTheMeasure() {
        assertRejected("mu", () -> InteractionEnergy.quadratic().value(FAR));
        assertRejected("mu", () -> PotentialEnergy.of(Potential.isotropic(1, new double[2])).value(FAR));
        assertRejected("mu", () -> FlowDiagnostics.of(FAR, InteractionEnergy.quadratic(), null));
    }

    @Test
    void flowsFromParticlesWhoseEnergyOverflowsAreRejectedNamingTheMeasure() {
        InteractionEnergy energy = InteractionEnergy.quadratic();
        assertRejected("mu", () -> ParticleGradientFlow.flow(FAR, energy, RungeKutta4.of(0.1), 0, 1));
        assertRejected("mu", () -> Langevin.simulate(FAR, energy, 1, EulerMaruyama.of(0.1), 0, 1,
                new SplittableRandom(1)));
        assertRejected("mu", () -> ImplicitParticleStep.of(0.1).step(FAR, energy));
    }

    @Test
    void anExplicitStepTooLargeForTheEnergyIsReportedNamingTheIntegrator() {
        // x' = -1000 x with Euler steps of 1: |1 - 1000|^k overflows long before t = 500
        ParticleMeasure mu = ParticleMeasure.fromFlat(new double[]{1, 1}, 2);
        PotentialEnergy stiff = PotentialEnergy.of(Potential.isotropic(1000, new double[2]));
        assertRejected("integrator", () -> ParticleGradientFlow.flow(mu, stiff,
                org.measureflow.core.ode.Euler.of(1), 0, 500));
    }
}
