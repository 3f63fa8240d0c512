package org.measureflow.gradientflow.particles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.Heun;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;

/** The deterministic KDE-score particle method against the heat flow \( S(t) = S_0 + 2Dt \) (docs/closed-forms.md CF-4). */
class ScoreParticleFieldTest {
    private static double relativeGrowthError(int n, double h, double t) {
        ParticleMeasure x0 = GaussianMeasure.of1d(0, Math.sqrt(0.5)).sample(n, new SplittableRandom(3));
        ParticleMeasure x = Heun.of(0.02).advect(x0, ScoreParticleField.heat(1, h), 0, t).measure();
        double growth = x.covariance().get(0, 0) - x0.covariance().get(0, 0);
        return Math.abs(growth - 2 * t) / (2 * t);
    }

    @Test
    void varianceGrowsAtTheHeatRateUpToTheKernelBiases() {
        double h = 0.1;
        double t = 0.5;
        // Heun with step 0.02: second order on the collective motion (rate ~ D / S ~ 1), error ~ 1e-4
        double coarse = relativeGrowthError(100, h, t);
        double fine = relativeGrowthError(400, h, t);
        // two biases: the KDE of N(0, S) is N(0, S + h^2), slowing the growth by h^2/S <= 0.02, and the
        // finite-sample score, whose self-term weight ~ 1/(n h sqrt(2 pi) rho) damps the motion: O(1/(n h))
        assertTrue(coarse < h * h / 0.5 + 2 / (100 * h), "n = 100: relative error " + coarse);
        assertTrue(fine < h * h / 0.5 + 2 / (400 * h), "n = 400: relative error " + fine);
        assertTrue(fine < coarse, "more particles, smaller error: " + coarse + " -> " + fine);
    }

    @Test
    void withAQuadraticPotentialTheStationaryCloudHasTheGibbsVariance() {
        // Fokker-Planck with V = lambda x^2 / 2, D = 1: equilibrium N(0, 1/lambda). A Gaussian cloud N(0, S) has
        // the KDE N(0, S + h^2), and -grad log rho_h - lambda x vanishes in law when S + h^2 = 1/lambda: the
        // cloud settles at S = 1/lambda - h^2, up to the finite-n bias
        double lambda = 2;
        double h = 0.1;
        int n = 300;
        ParticleMeasure x0 = GaussianMeasure.of1d(1, 0.3).sample(n, new SplittableRandom(4));
        ScoreParticleField field = ScoreParticleField.fokkerPlanck(1, h,
                PotentialEnergy.of(Potential.isotropic(lambda, new double[1])));
        ParticleMeasure x = Heun.of(0.02).advect(x0, field, 0, 2.5).measure();
        // mean: relaxes as e^{-lambda t} ~ 7e-3 (the score has zero mean for a symmetric cloud)
        assertEquals(0.0, x.mean()[0], 0.02);
        // variance: 1/lambda - h^2 within the finite-n bias 2/(n h) (relative) of the previous test
        assertEquals(1 / lambda - h * h, x.covariance().get(0, 0), (1 / lambda) * 2 / (n * h));
    }
}
