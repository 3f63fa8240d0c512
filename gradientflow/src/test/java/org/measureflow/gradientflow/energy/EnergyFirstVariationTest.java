package org.measureflow.gradientflow.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.testing.Rejections;

/**
 * Values and first variations of the energies: \( \frac{d}{ds}F(\rho + s\chi)|_{s=0} = \sum_c
 * \frac{\delta F}{\delta\rho}(x_c)\chi_c|\Delta| \), checked by central differences, and values against direct
 * sums.
 */
class EnergyFirstVariationTest {
    private static final GridDensity.Grid GRID = GridDensity.Grid.of2d(-2, 2, 12, -1.5, 1.5, 10);

    private static GridDensity density() {
        return GridDensity.fromFunction(GRID, x -> 0.2 + Math.exp(-x[0] * x[0] - 2 * x[1] * x[1]));
    }

    private static void checkFirstVariation(GridEnergy energy) {
        GridDensity rho = density();
        double[] chi = new double[rho.size()];
        SplittableRandom rng = new SplittableRandom(11);
        for (int c = 0; c < chi.length; c++) {
            chi[c] = rng.nextDouble(-0.1, 0.1);
        }
        double s = 1e-4;
        double[] plus = rho.values();
        double[] minus = rho.values();
        for (int c = 0; c < chi.length; c++) {
            plus[c] += s * chi[c];
            minus[c] -= s * chi[c];
        }
        double fd = (energy.value(GridDensity.of(GRID, plus)) - energy.value(GridDensity.of(GRID, minus))) / (2 * s);
        double[] dv = energy.firstVariation(rho);
        double exact = 0;
        for (int c = 0; c < chi.length; c++) {
            exact += dv[c] * chi[c] * rho.cellVolume();
        }
        // central difference: error s^2 |F'''| / 6 ~ 1e-8 |F'''|, with F''' = O(1) for these smooth integrands
        assertEquals(exact, fd, 1e-7, energy.toString());
    }

    @Test
    void firstVariationsMatchCentralDifferences() {
        checkFirstVariation(InternalEnergy.entropy(0.7));
        checkFirstVariation(InternalEnergy.porousMedium(2));
        checkFirstVariation(InternalEnergy.porousMedium(3.5, 0.4));
        checkFirstVariation(PotentialEnergy.of(Potential.isotropic(1.3, new double[]{0.2, -0.1})));
        checkFirstVariation(InteractionEnergy.quadratic());
        checkFirstVariation(InteractionEnergy.attractionRepulsion());
        checkFirstVariation(InternalEnergy.entropy().plus(InteractionEnergy.quadratic())
                .plus(PotentialEnergy.of(Potential.isotropic(2, new double[2]))));
    }

    @Test
    void valuesAreTheMidpointSums() {
        GridDensity rho = density();
        double vol = rho.cellVolume();
        double[] centres = rho.cellCentres();
        double ent = 0;
        double pm = 0;
        double pot = 0;
        double inter = 0;
        for (int c = 0; c < rho.size(); c++) {
            double r = rho.value(c);
            ent += r * Math.log(r) * vol;
            pm += r * r * vol;
            double x = centres[2 * c];
            double y = centres[2 * c + 1];
            pot += 0.5 * (x * x + y * y) * r * vol;
            for (int e = 0; e < rho.size(); e++) {
                double dx = x - centres[2 * e];
                double dy = y - centres[2 * e + 1];
                inter += 0.25 * (dx * dx + dy * dy) * r * rho.value(e) * vol * vol;
            }
        }
        // sums of 120 (or 14400) positive terms: relative rounding ~ 1e-13
        assertEquals(ent, InternalEnergy.entropy().value(rho), 1e-12);
        assertEquals(pm, InternalEnergy.porousMedium(2).value(rho), 1e-12);
        assertEquals(pot, PotentialEnergy.of(Potential.isotropic(1, new double[2])).value(rho), 1e-12);
        assertEquals(inter, InteractionEnergy.quadratic().value(rho), 1e-11);
        assertEquals(ent + pm + pot, InternalEnergy.entropy().plus(InternalEnergy.porousMedium(2))
                .plus(PotentialEnergy.of(Potential.isotropic(1, new double[2]))).value(rho), 1e-12);
    }

    @Test
    void particleEnergyOfPotentialAndQuadraticInteractionHasTheClosedForm() {
        // (1/2) sum_ij w_i w_j |x_i - x_j|^2 / 2 = tr Cov / 2; int |x|^2/2 = (|m|^2 + tr Cov)/2
        var mu = org.measureflow.testing.RandomInputs.weightedPointCloud(new SplittableRandom(12), 50, 3);
        double tr = 0;
        double m2 = 0;
        double[] m = mu.mean();
        for (int k = 0; k < 3; k++) {
            tr += mu.covariance().get(k, k);
            m2 += m[k] * m[k];
        }
        assertEquals(tr / 2, InteractionEnergy.quadratic().value(mu), 1e-12);
        assertEquals((m2 + tr) / 2, PotentialEnergy.of(Potential.isotropic(1, new double[3])).value(mu), 1e-12);
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirNames() {
        Rejections.assertRejected("diffusion", () -> InternalEnergy.entropy(-1));
        Rejections.assertRejected("m", () -> InternalEnergy.porousMedium(1.0));
        Rejections.assertRejected("coefficient", () -> InternalEnergy.porousMedium(2, 0));
        Rejections.assertRejected("potential", () -> InteractionEnergy.of(null));
        Rejections.assertRejected("potential", () -> PotentialEnergy.of(null));
        Rejections.assertRejected("b", () -> Potential.quadratic(new org.ejml.data.DMatrixRMaj(2, 2), new double[3]));
        Rejections.assertRejected("d (particle dimension)", () -> PotentialEnergy.of(Potential.isotropic(1,
                new double[2])).value(new double[3], 1, 3, null));
    }
}
