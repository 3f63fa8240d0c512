package org.measureflow.transformer.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionFixtures;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.Normalisation;
import org.measureflow.transformer.dynamics.TokenFlow;
import org.measureflow.transformer.dynamics.TokenFlowResult;
import org.measureflow.transformer.sphere.Sphere;

/** {@link TokenDiagnostics}: clusters, cosines, the interaction energy and the log-partition functional. */
class TokenDiagnosticsTest {
    @Test
    void clustersAreTheComponentsOfTheCosineGraph() {
        // three tight groups around the axes of R^3, plus one token alone on the diagonal
        double e = 0.01;
        ParticleMeasure tokens = ParticleMeasure.of(new double[][]{
                {1, 0, 0}, {1, e, 0}, {1, 0, e},
                {0, 1, 0}, {e, 1, 0},
                {0, 0, 1}, {0, e, 1}, {e, 0, 1},
                {1, 1, 1}});
        assertEquals(4, TokenDiagnostics.clusterCount(tokens, 0.99));
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 2, 2, 2, 3}, TokenDiagnostics.clusterLabels(tokens, 0.99));
        // cos between an axis and the diagonal is 1/sqrt(3) = 0.577: at threshold 0.5 everything chains together
        assertEquals(1, TokenDiagnostics.clusterCount(tokens, 0.5));
        assertEquals(9, TokenDiagnostics.clusterCount(tokens, 1.0 - 1e-12), "no two tokens coincide");
        // the smallest cosine, against a brute-force minimum
        double min = 1;
        for (int i = 0; i < 9; i++) {
            for (int j = i + 1; j < 9; j++) {
                min = Math.min(min, cos(tokens.point(i), tokens.point(j)));
            }
        }
        assertEquals(min, TokenDiagnostics.minPairwiseCosine(tokens), 1e-15);
        Rejections.assertRejected("cosineThreshold", () -> TokenDiagnostics.clusterCount(tokens, 1.5));
    }

    @Test
    void minPairwiseCosineAgreesWithBruteForceOnALargeCloud() {
        ParticleMeasure tokens = RandomInputs.pointCloud(new SplittableRandom(3), 600, 5);
        double min = 1;
        for (int i = 0; i < 600; i++) {
            for (int j = i + 1; j < 600; j++) {
                min = Math.min(min, cos(tokens.point(i), tokens.point(j)));
            }
        }
        assertEquals(min, TokenDiagnostics.minPairwiseCosine(tokens), 1e-15);
    }

    @Test
    void interactionEnergyIsTheDoubleSum() {
        SplittableRandom rng = new SplittableRandom(4);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, 300, 3);
        double beta = 1.7;
        double s = 0;
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 300; j++) {
                double[] a = tokens.point(i);
                double[] b = tokens.point(j);
                s += tokens.weight(i) * tokens.weight(j) * Math.exp(beta * (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));
            }
        }
        // 90,000 positive terms summed in two orders: relative rounding ~1e-13
        assertEquals(s / (2 * beta), TokenDiagnostics.interactionEnergy(tokens, beta), 1e-12 * s);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void energyIncreasesAlongUnnormalisedAttentionOnTheSphere(long seed) {
        Property.check(seed, rng -> {
            int n = 10 + rng.nextInt(20);
            double beta = 0.5 + 3 * rng.nextDouble();
            ParticleMeasure tokens = Sphere.uniform(n, 3, rng);
            if (rng.nextBoolean()) {
                tokens = ParticleMeasure.fromFlat(tokens.flatPoints(), 3, RandomInputs.positiveWeights(rng, n));
            }
            AttentionField field = AttentionField.of(AttentionHead.identity(3, beta))
                    .withNormalisation(Normalisation.UNNORMALISED).withSphereProjection(true);
            double[] depths = new double[21];
            for (int k = 0; k < depths.length; k++) {
                depths[k] = 0.25 * k;
            }
            TokenFlowResult run = TokenFlow.of(field, RungeKutta4.of(0.05)).integrate(tokens, depths);
            double previous = TokenDiagnostics.interactionEnergy(run.at(0), beta);
            for (int k = 1; k < run.size(); k++) {
                double energy = TokenDiagnostics.interactionEnergy(run.at(k), beta);
                // gradient ascent: dE/dt = sum_i w_i |P v_i|^2 >= 0; RK4's O(h^4) error cannot undo an increase
                // except at rounding level once the tokens have merged (E then stalls at its maximum)
                assertTrue(energy >= previous - 1e-12 * previous, "E went from " + previous + " to " + energy
                        + " at depth " + depths[k]);
                previous = energy;
            }
        });
    }

    @Test
    void energyRateIsTheWeightedSquaredNormOfTheProjectedField() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 15;
        double beta = 2.0;
        ParticleMeasure tokens = ParticleMeasure.fromFlat(Sphere.uniform(n, 3, rng).flatPoints(), 3,
                RandomInputs.positiveWeights(rng, n));
        AttentionField field = AttentionField.of(AttentionHead.identity(3, beta))
                .withNormalisation(Normalisation.UNNORMALISED).withSphereProjection(true);
        double[] v = field.velocities(0, tokens);
        double rate = 0;
        for (int i = 0; i < n; i++) {
            rate += tokens.weight(i) * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
        }
        // centred difference of E along the flow, h = 1e-4 with RK4 steps: O(h^2) ~ 1e-8 relative
        double h = 1e-4;
        RungeKutta4 rk4 = RungeKutta4.of(h);
        double plus = TokenDiagnostics.interactionEnergy(rk4.advect(tokens, field, 0, h).measure(), beta);
        double minus = TokenDiagnostics.interactionEnergy(rk4.advect(tokens, field, 0, -h).measure(), beta);
        assertEquals(rate, (plus - minus) / (2 * h), 1e-6 * rate);
    }

    @Test
    void logPartitionGradientIsTheAttentionFieldWhenValueIsQTransposeK() {
        SplittableRandom rng = new SplittableRandom(6);
        int d = 3;
        AttentionHead random = AttentionFixtures.randomHead(rng, d, 1.0);
        DMatrixRMaj qtk = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(random.query(), random.key(), qtk);
        AttentionHead head = AttentionHead.of(random.query(), random.key(), qtk);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, 40, d);
        double[] v = AttentionField.of(head).velocities(0, tokens);
        double h = 1e-5;
        for (int i = 0; i < 5; i++) {
            double[] x = tokens.point(i);
            for (int k = 0; k < d; k++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[k] += h;
                xm[k] -= h;
                double grad = (TokenDiagnostics.logPartition(head, tokens, xp)
                        - TokenDiagnostics.logPartition(head, tokens, xm)) / (2 * h);
                // centred difference: O(h^2) truncation plus O(1e-16 / h) rounding, both ~1e-10
                assertEquals(v[i * d + k], grad, 1e-8);
            }
        }
    }

    private static double cos(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += a[k] * b[k];
            aa += a[k] * a[k];
            bb += b[k] * b[k];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
