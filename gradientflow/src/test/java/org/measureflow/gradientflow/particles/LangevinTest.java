package org.measureflow.gradientflow.particles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.testing.Rejections;

/**
 * Langevin particles with a quadratic interaction: the McKean&ndash;Vlasov equation
 * \( \partial_t\rho = D\Delta\rho + \mathrm{div}(\rho\nabla(W*\rho)) \), \( W = |x|^2/2 \), keeps the mean and
 * has \( S' = 2D - 2S \) (docs/closed-forms.md CF-7 with G = 1).
 */
class LangevinTest {
    @Test
    void interactingLangevinParticlesFollowTheMcKeanVlasovClosure() {
        int n = 1000;
        double d = 0.3;
        double s0 = 1.5;
        double t = 1.0;
        double h = 0.02;
        ParticleMeasure x0 = GaussianMeasure.of1d(2.0, Math.sqrt(s0)).sample(n, new SplittableRandom(17));
        ParticleMeasure x = Langevin.simulate(x0, InteractionEnergy.quadratic(), d, EulerMaruyama.of(h), 0, t, new SplittableRandom(18))
                .measure();
        double exact = d + (s0 - d) * Math.exp(-2 * t);
        double m = x0.mean()[0];
        // the drift -(x_i - m_n) keeps the empirical mean; the noise moves it by sqrt(2 D t / n) (5 sd below)
        assertEquals(m, x.mean()[0], 5 * Math.sqrt(2 * d * t / n));
        // variance: 5 standard errors sqrt(2/n) S of a sample variance, plus the Euler-Maruyama bias O(h) and the
        // O(1/n) self-interaction bias
        double s = x.covariance().get(0, 0);
        assertEquals(exact, s, 5 * Math.sqrt(2.0 / n) * exact + h + 1.0 / n);
    }

    @Test
    void sameSeedGivesTheSameParticles() {
        ParticleMeasure x0 = GaussianMeasure.of1d(0, 1).sample(200, new SplittableRandom(1));
        double[] a = Langevin.simulate(x0, InteractionEnergy.attractionRepulsion(), 0.5, EulerMaruyama.of(0.01), 0, 0.2,
                new SplittableRandom(2)).measure().flatPoints();
        double[] b = Langevin.simulate(x0, InteractionEnergy.attractionRepulsion(), 0.5, EulerMaruyama.of(0.01), 0, 0.2,
                new SplittableRandom(2)).measure().flatPoints();
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void negativeDiffusionIsRejected() {
        ParticleMeasure x0 = GaussianMeasure.of1d(0, 1).sample(10, new SplittableRandom(1));
        Rejections.assertRejected("diffusion", () -> Langevin.simulate(x0, InteractionEnergy.quadratic(), -1,
                EulerMaruyama.of(0.1), 0, 1, new SplittableRandom(2)));
    }
}
