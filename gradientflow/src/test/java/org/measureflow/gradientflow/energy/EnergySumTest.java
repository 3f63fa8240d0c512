package org.measureflow.gradientflow.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/**
 * The one sum of energies: a sum is a grid, particle or measure energy exactly when its terms allow it, it is
 * flattened, and its value, first variation and velocities are the sums of the terms'.
 */
class EnergySumTest {
    private static final GridDensity.Grid GRID = GridDensity.Grid.of2d(-2, 2, 9, -1.5, 1.5, 7);

    /** A particle-only energy (no grid methods), like a network risk: here \( \sum_i w_i |x_i|^4 \). */
    private static final ParticleEnergy QUARTIC = new ParticleEnergy() {
        @Override
        public double value(double[] points, int n, int d, double[] weights) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    r2 += points[i * d + k] * points[i * d + k];
                }
                s += (weights == null ? 1.0 / n : weights[i]) * r2 * r2;
            }
            return s;
        }

        @Override
        public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
            for (int i = 0; i < n; i++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    r2 += points[i * d + k] * points[i * d + k];
                }
                for (int k = 0; k < d; k++) {
                    out[i * d + k] -= 4 * r2 * points[i * d + k];
                }
            }
        }
    };

    @Test
    void sumsKeepTheMostPreciseTypeTheirTermsAllow() {
        PotentialEnergy potential = PotentialEnergy.of(Potential.isotropic(1.5, new double[]{0.1, -0.2}));
        InteractionEnergy interaction = InteractionEnergy.quadratic();
        MeasureEnergy both = potential.plus(interaction);
        GridEnergy withEntropy = both.plus(InternalEnergy.entropy(0.3));
        ParticleEnergy withQuartic = both.plus(QUARTIC);
        assertFalse(withEntropy instanceof ParticleEnergy, "an entropy is not defined on particles");
        assertFalse(withQuartic instanceof GridEnergy, "a particle-only term has no grid methods");
        assertEquals(3, withEntropy.terms().size(), "flattened: " + withEntropy);
        assertEquals(2, both.terms().size());
        assertTrue(GridEnergy.sum(InternalEnergy.entropy()) instanceof InternalEnergy, "a single term is itself");
        Rejections.assertRejected("energies", () -> GridEnergy.sum());
        Rejections.assertRejected("energies", () -> ParticleEnergy.sum(QUARTIC, null));
        Rejections.assertRejected("energies", () -> both.plus((MeasureEnergy) null));
    }

    @Test
    void theSumOfValuesVelocitiesAndFirstVariationsIsTheSumOfTheTerms() {
        PotentialEnergy potential = PotentialEnergy.of(Potential.isotropic(1.5, new double[]{0.1, -0.2}));
        InteractionEnergy interaction = InteractionEnergy.quadratic();
        ParticleEnergy sum = ParticleEnergy.sum(potential, interaction, QUARTIC);
        ParticleMeasure mu = RandomInputs.weightedPointCloud(new SplittableRandom(3), 40, 2);
        double[] x = mu.flatPoints();
        double[] w = mu.weights();
        // the terms are added in the order given: the same bits
        assertEquals(potential.value(mu) + interaction.value(mu) + QUARTIC.value(mu), sum.value(mu), 0.0);
        double[] v = new double[x.length];
        double[] expected = new double[x.length];
        sum.velocities(x, 40, 2, w, v);
        potential.addVelocities(x, 40, 2, w, expected);
        interaction.addVelocities(x, 40, 2, w, expected);
        QUARTIC.addVelocities(x, 40, 2, w, expected);
        // accumulated term by term in the same order: the same bits
        for (int k = 0; k < x.length; k++) {
            assertEquals(expected[k], v[k], 0.0);
        }
        GridDensity rho = GridDensity.fromFunction(GRID, p -> 0.2 + Math.exp(-p[0] * p[0] - p[1] * p[1]));
        GridEnergy grid = InternalEnergy.entropy(0.4).plus(potential).plus(interaction);
        double[] fv = grid.firstVariation(rho);
        double[] a = InternalEnergy.entropy(0.4).firstVariation(rho);
        double[] b = potential.firstVariation(rho);
        double[] c = interaction.firstVariation(rho);
        for (int k = 0; k < fv.length; k++) {
            assertEquals(a[k] + b[k] + c[k], fv[k], 0.0, "cell " + k);
        }
        assertEquals(InternalEnergy.entropy(0.4).value(rho) + potential.value(rho) + interaction.value(rho),
                grid.value(rho), 0.0);
    }

    @Test
    void sumsAndEnergiesReadAsOneLine() {
        GridEnergy sum = InternalEnergy.entropy(0.5).plus(InteractionEnergy.quadratic());
        assertEquals("EnergySum[InternalEnergy[0.5 rho log rho] + InteractionEnergy[|x-y|^2/2]]", sum.toString());
    }
}
