package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.core.measure.PointSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.flowmatching.sampling.PathStraightness;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class CouplingTest {
    private static double cost(double[] x0, double[] x1, int[] pi, int d) {
        double s = 0;
        for (int i = 0; i < pi.length; i++) {
            for (int c = 0; c < d; c++) {
                double r = x0[i * d + c] - x1[pi[i] * d + c];
                s += r * r;
            }
        }
        return s;
    }

    private static double bruteForceMinimum(double[] x0, double[] x1, int n, int d) {
        return bruteForceTwoBest(x0, x1, n, d)[0];
    }

    /** The smallest and the second smallest (distinct, up to 1e-12) costs over all permutations. */
    private static double[] bruteForceTwoBest(double[] x0, double[] x1, int n, int d) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        while (true) {
            double c = cost(x0, x1, perm, d);
            if (c < best - 1e-12) {
                second = best;
                best = c;
            } else if (c > best + 1e-12 && c < second) {
                second = c;
            }
            int i = n - 2;
            while (i >= 0 && perm[i] > perm[i + 1]) {
                i--;
            }
            if (i < 0) {
                return new double[]{best, second};
            }
            int j = n - 1;
            while (perm[j] < perm[i]) {
                j--;
            }
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
            for (int a = i + 1, b = n - 1; a < b; a++, b--) {
                tmp = perm[a];
                perm[a] = perm[b];
                perm[b] = tmp;
            }
        }
    }

    private static boolean isPermutation(int[] pi) {
        boolean[] seen = new boolean[pi.length];
        for (int j : pi) {
            if (j < 0 || j >= pi.length || seen[j]) {
                return false;
            }
            seen[j] = true;
        }
        return true;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void exactOtCouplingIsTheOptimalPermutation(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(6);
            int d = 1 + rng.nextInt(3);
            double[] x0 = RandomInputs.pointCloud(rng, n, d).flatPoints();
            double[] x1 = RandomInputs.pointCloud(rng, n, d).flatPoints();
            int[] pi = Coupling.exactOt().pair(x0, x1, n, d, rng);
            assertTrue(isPermutation(pi));
            double best = bruteForceMinimum(x0, x1, n, d);
            assertEquals(best, cost(x0, x1, pi, d), 1e-12 * (1 + best));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void sinkhornCouplingTendsToTheExactOneAsEpsilonVanishes(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(6);
            double[] x0 = RandomInputs.pointCloud(rng, n, 2).flatPoints();
            double[] x1 = RandomInputs.pointCloud(rng, n, 2).flatPoints();
            double[] two = bruteForceTwoBest(x0, x1, n, 2);
            double best = two[0];
            // As eps -> 0 the entropic plan tends to the unique optimal permutation, and its entries off that
            // permutation decay like exp(-c/eps) with c of the order of the cost gap; eps = gap/60 makes them
            // negligible, so the row-wise draw returns the optimal pairing.
            double eps = Math.min(1e-2, (two[1] - two[0]) / 60);
            int[] pi = Coupling.sinkhorn(SinkhornSolver.of(eps).withTolerance(1e-6)).pair(x0, x1, n, 2, rng);
            assertEquals(best, cost(x0, x1, pi, 2), 1e-9 * (1 + best));
        });
    }

    @Test
    void independentCouplingKeepsTheDrawnPairs() {
        int[] pi = Coupling.independent().pair(new double[8], new double[8], 4, 2, new SplittableRandom(1));
        assertArrayEquals(new int[]{0, 1, 2, 3}, pi);
        assertRejected("solver", () -> Coupling.sinkhorn(null));
    }

    @Test
    void straightnessOfTheIsotropicGaussianFlowMatchesItsClosedForm() {
        // N(0, I) -> N(m, 4 I): x_t = m_t + s(t) z, s(t) = sqrt((1-t)^2 + 4 t^2), so
        // S = d (int_0^1 s'(t)^2 dt - (s(1) - s(0))^2), computed here by a fine midpoint rule.
        int d = 2;
        var field = org.measureflow.flowmatching.field.GaussianFlowMatchingField.of(GaussianMeasure.standard(d),
                GaussianMeasure.of(new double[]{1, -2}, org.measureflow.testing.TestMatrices.diag(4, 4)));
        int m = 200_000;
        double integral = 0;
        for (int k = 0; k < m; k++) {
            double t = (k + 0.5) / m;
            double s = Math.sqrt((1 - t) * (1 - t) + 4 * t * t);
            double ds = (-(1 - t) + 4 * t) / s;
            integral += ds * ds / m;
        }
        ParticleMeasure latent = GaussianMeasure.standard(d).sample(20_000, new SplittableRandom(6));
        double z2 = 0;
        for (int i = 0; i < latent.size(); i++) {
            z2 += (latent.coordinate(i, 0) * latent.coordinate(i, 0) + latent.coordinate(i, 1) * latent
                    .coordinate(i, 1)) / latent.size();
        }
        double expected = z2 * (integral - 1);
        double measured = PathStraightness.of(field, latent, RungeKutta4.of(0.01), 0, 1, 64);
        // Midpoint rule with 64 slices: relative error ~ (1/64)^2 |s'''| / 24 < 1e-3; z2 uses the same samples.
        assertEquals(expected, measured, 2e-3 * expected);
    }

    @Test
    void minibatchOtCouplingGivesStraighterPathsThanIndependentCoupling() {
        // Latent N(0, I); data: two well-separated Gaussian blobs, where independent pairs cross a lot.
        PointSampler latent = PointSampler.of(GaussianMeasure.standard(2));
        SplittableRandom dataRng = new SplittableRandom(12);
        double[] blobs = new double[2 * 2000];
        for (int i = 0; i < 2000; i++) {
            blobs[2 * i] = (i % 2 == 0 ? 3 : -3) + 0.3 * dataRng.nextGaussian();
            blobs[2 * i + 1] = 0.3 * dataRng.nextGaussian();
        }
        PointSampler data = PointSampler.of(ParticleMeasure.fromFlat(blobs, 2));
        FlowMatchingTrainer base = FlowMatchingTrainer.withDefaults().withSteps(600).withBatchSize(128)
                .withHiddenWidth(32);
        TrainingResult independent = base.withCoupling(Coupling.independent()).train(latent, data,
                new SplittableRandom(3));
        TrainingResult ot = base.withCoupling(Coupling.exactOt()).train(latent, data, new SplittableRandom(3));
        ParticleMeasure starts = GaussianMeasure.standard(2).sample(400, new SplittableRandom(21));
        double sIndependent = PathStraightness.of(independent.field(), starts, RungeKutta4.of(0.05), 0, 1, 16);
        double sOt = PathStraightness.of(ot.field(), starts, RungeKutta4.of(0.05), 0, 1, 16);
        System.out.printf("straightness: independent %.4f, exact OT %.4f%n", sIndependent, sOt);
        // Independent pairs between the latent and two blobs 6 apart make the learned paths bend (the field must
        // split the mass mid-way); OT pairs are nearly straight. A factor 2 margin on the measured ~order gap.
        assertTrue(sOt < 0.5 * sIndependent, "OT " + sOt + " vs independent " + sIndependent);
    }
}
