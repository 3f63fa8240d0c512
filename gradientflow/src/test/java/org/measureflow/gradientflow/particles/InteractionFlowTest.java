package org.measureflow.gradientflow.particles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

/** Particle gradient flows of interaction and potential energies (survey eq. 17, docs/closed-forms.md CF-7). */
class InteractionFlowTest {
    @Test
    void quadraticInteractionContractsToTheMeanWithCovarianceDecayingAsExpMinus2t() {
        ParticleMeasure x0 = RandomInputs.weightedPointCloud(new SplittableRandom(3), 100, 3);
        double t = 1.3;
        ParticleMeasure x = ParticleGradientFlow.flow(x0, InteractionEnergy.quadratic(), RungeKutta4.of(0.01), 0, t)
                .measure();
        double[] m0 = x0.mean();
        double[] m = x.mean();
        DMatrixRMaj s0 = x0.covariance();
        DMatrixRMaj s = x.covariance();
        for (int k = 0; k < 3; k++) {
            // the mean is a conserved quantity of the exact flow; RK4 keeps linear invariants to rounding
            assertEquals(m0[k], m[k], 1e-12, "mean " + k);
            for (int l = 0; l < 3; l++) {
                // x_i - m decays as e^{-t} exactly; RK4 with h = 0.01 has relative error ~ h^4 t / 120 ~ 1e-10
                assertEquals(s0.get(k, l) * Math.exp(-2 * t), s.get(k, l), 1e-9, "covariance " + k + l);
            }
        }
    }

    @Test
    void potentialPlusQuadraticInteractionReachesTheClosedFormPath() {
        // v_i = -(x_i - m) - lambda (x_i - b): m(t) = b + e^{-lambda t}(m0 - b), x_i - m decays as e^{-(1+lambda)t},
        // so the flow ends on the equilibrium delta_b
        double lambda = 0.7;
        double[] b = {1.0, -2.0};
        ParticleEnergy energy = InteractionEnergy.quadratic().plus(PotentialEnergy.of(Potential.isotropic(lambda, b)));
        ParticleMeasure x0 = RandomInputs.pointCloud(new SplittableRandom(4), 40, 2);
        double[] m0 = x0.mean();
        for (double t : new double[]{0.5, 12.0}) {
            ParticleMeasure x = ParticleGradientFlow.flow(x0, energy, RungeKutta4.of(0.01), 0, t).measure();
            for (int i = 0; i < x.size(); i++) {
                for (int k = 0; k < 2; k++) {
                    double mk = b[k] + Math.exp(-lambda * t) * (m0[k] - b[k]);
                    double exact = mk + Math.exp(-(1 + lambda) * t) * (x0.coordinate(i, k) - m0[k]);
                    // RK4 on a linear system with rates r <= 1.7, h = 0.01: global error ~ (r h)^4 / 120 * r t |x - b|
                    // ~ 7e-10 * 1.7 * 0.5 * |x - b|, with |x - b| up to ~ 5 for standard normal clouds
                    assertEquals(exact, x.coordinate(i, k), 5e-9, "particle " + i + " at t = " + t);
                }
            }
        }
    }

    @Test
    void implicitStepIsTheBackwardEulerStepForAStiffQuadraticPotential() {
        // V = x^T A x / 2 with A = diag(1000, 1): the proximal point is (I + tau A)^{-1} x0 exactly
        DMatrixRMaj a = new DMatrixRMaj(new double[][]{{1000, 0}, {0, 1}});
        ParticleEnergy energy = PotentialEnergy.of(Potential.quadratic(a, new double[2]));
        ParticleMeasure x0 = RandomInputs.pointCloud(new SplittableRandom(5), 50, 2);
        double tau = 0.1;
        ImplicitStepResult step = ImplicitParticleStep.of(tau).step(x0, energy);
        assertTrue(step.converged(), "converged: " + step);
        for (int i = 0; i < 50; i++) {
            // residual 1e-10 in velocity units: the point is within tau * 1e-10 / (min eigenvalue of I + tau A)
            assertEquals(x0.coordinate(i, 0) / (1 + tau * 1000), step.measure().coordinate(i, 0), 1e-10);
            assertEquals(x0.coordinate(i, 1) / (1 + tau), step.measure().coordinate(i, 1), 1e-10);
        }
        // the explicit Euler step with the same tau would multiply the first coordinate by 1 - 100 = -99
    }

    @Test
    void implicitStepsOfTheQuadraticInteractionContractByOnePlusTau() {
        ParticleMeasure x0 = RandomInputs.weightedPointCloud(new SplittableRandom(6), 80, 2);
        double tau = 0.5;
        ImplicitStepResult step = ImplicitParticleStep.of(tau).step(x0, InteractionEnergy.quadratic());
        double[] m = x0.mean();
        for (int i = 0; i < 80; i++) {
            for (int k = 0; k < 2; k++) {
                // backward Euler on (x - m)' = -(x - m): x1 - m = (x0 - m) / (1 + tau)
                assertEquals(m[k] + (x0.coordinate(i, k) - m[k]) / (1 + tau), step.measure().coordinate(i, k), 1e-9);
            }
        }
    }

    @Test
    void attractionRepulsionParticlesSpreadOverTheUnitDisk() {
        // docs/closed-forms.md CF-17: the steady state of W = |z|^2/2 - log|z| in 2-D is uniform on the unit disk (density 1/pi)
        int n = 400;
        ParticleMeasure x0 = RandomInputs.pointCloud(new SplittableRandom(9), n, 2);
        // RK4 step 0.1: the repulsion's stiffness is ~ 1 / (n r^2) ~ 0.3 at the final spacing r ~ 0.09
        ParticleMeasure x = ParticleGradientFlow.flow(x0, InteractionEnergy.attractionRepulsion(),
                RungeKutta4.of(0.1), 0, 8).measure();
        double maxRadius = 0;
        int inside = 0;
        double[] m = x.mean();
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(x.coordinate(i, 0) - m[0], x.coordinate(i, 1) - m[1]);
            maxRadius = Math.max(maxRadius, r);
            if (r < 0.5) {
                inside++;
            }
        }
        // N = 400 particles fill the disk up to a boundary layer of about one spacing sqrt(pi / N) ~ 0.09
        assertEquals(1.0, maxRadius, 0.1, "outer radius");
        // uniform disk: mass 1/4 within r = 1/2, up to the same boundary-layer effect (~ 0.09 * 2 * 0.5 / 1)
        assertEquals(0.25, inside / (double) n, 0.05, "mass within 1/2");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void particleVelocitiesArePermutationEquivariant(long seed) {
        Property.check(seed, rng -> {
            int n = 30;
            int d = 2;
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, d);
            ParticleEnergy energy = InteractionEnergy.attractionRepulsion()
                    .plus(PotentialEnergy.of(Potential.isotropic(0.5, new double[]{0.3, -0.2})));
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            double[] x = mu.flatPoints();
            double[] w = mu.weights();
            double[] px = new double[n * d];
            double[] pw = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, perm[i] * d, px, i * d, d);
                pw[i] = w[perm[i]];
            }
            double[] v = new double[n * d];
            double[] pv = new double[n * d];
            energy.velocities(x, n, d, w, v);
            energy.velocities(px, n, d, pw, pv);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    // the same terms summed in another order: rounding only
                    assertEquals(v[perm[i] * d + k], pv[i * d + k], 1e-12 * (1 + Math.abs(v[perm[i] * d + k])));
                }
            }
            assertEquals(energy.value(x, n, d, w), energy.value(px, n, d, pw), 1e-12 * (1 + Math.abs(energy.value(
                    x, n, d, w))));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void energyDoesNotIncreaseAlongSmallExplicitSteps(long seed) {
        Property.check(seed, rng -> {
            int n = 40;
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, 2);
            ParticleEnergy energy = InteractionEnergy.attractionRepulsion()
                    .plus(PotentialEnergy.of(Potential.quadratic(RandomInputs.spd(rng, 2), new double[2])));
            double[] x = mu.flatPoints();
            double[] w = mu.weights();
            double[] v = new double[2 * n];
            double f = energy.value(x, n, 2, w);
            for (int step = 0; step < 20; step++) {
                energy.velocities(x, n, 2, w, v);
                double slope = 0;
                for (int i = 0; i < n; i++) {
                    slope += w[i] * (v[2 * i] * v[2 * i] + v[2 * i + 1] * v[2 * i + 1]);
                }
                // dF/dt = -sum_i w_i |v_i|^2 <= 0 (eq. 16); a step h = 1e-4 / (1 + max|v|^2) is far inside the
                // region where the second-order term h^2 |D^2 F| |v|^2 is smaller than h |v|^2
                double h = 1e-4 / (1 + slope / Math.max(1e-300, minWeight(w)));
                for (int k = 0; k < 2 * n; k++) {
                    x[k] += h * v[k];
                }
                double next = energy.value(x, n, 2, w);
                assertTrue(next <= f + 1e-12 * Math.abs(f), "energy increased: " + f + " -> " + next);
                f = next;
            }
        });
    }

    private static double minWeight(double[] w) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : w) {
            m = Math.min(m, x);
        }
        return m;
    }

    @Test
    void parallelVelocitiesEqualTheSerialSumBitForBit() {
        // n = 3000 particles: n * cost is far above the parallel threshold, so Chunks runs the chunks on the pool;
        // each velocity must still be the sum over j in index order, bit for bit
        int n = 3000;
        ParticleMeasure mu = RandomInputs.weightedPointCloud(new SplittableRandom(13), n, 2);
        double[] x = mu.flatPoints();
        double[] w = mu.weights();
        double[] v = new double[2 * n];
        InteractionEnergy.attractionRepulsion().velocities(x, n, 2, w, v);
        var kernel = InteractionEnergy.attractionRepulsion().interactionPotential();
        double[] serial = new double[2];
        for (int i = 0; i < n; i += 97) {
            serial[0] = 0;
            serial[1] = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    kernel.addGradient(x, 2 * i, x, 2 * j, 2, -w[j], serial, 0);
                }
            }
            assertEquals(serial[0], v[2 * i], 0.0, "particle " + i);
            assertEquals(serial[1], v[2 * i + 1], 0.0, "particle " + i);
        }
    }
}
