package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.flowmatching.field.DenoisingField;
import org.measureflow.flowmatching.field.GaussianFlowMatchingField;
import org.measureflow.flowmatching.field.GaussianMixtureFlowMatchingField;
import org.measureflow.flowmatching.field.Tweedie;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.TestMatrices;

class TweedieTest {
    static GaussianMixtureFlowMatchingField randomMixture(RandomGenerator rng, int d, Interpolant interpolant) {
        int k = 1 + rng.nextInt(4);
        double[] weights = RandomInputs.positiveWeights(rng, k);
        GaussianMeasure[] components = new GaussianMeasure[k];
        for (int j = 0; j < k; j++) {
            double[] mean = RandomInputs.gaussianVector(rng, d);
            for (int c = 0; c < d; c++) {
                mean[c] *= 2;
            }
            components[j] = GaussianMeasure.of(mean, RandomInputs.spd(rng, d, 5, 0.5));
        }
        return GaussianMixtureFlowMatchingField.of(weights, components, interpolant);
    }

    private static Interpolant interpolant(RandomGenerator rng) {
        return rng.nextBoolean() ? LinearInterpolant.instance() : VariancePreservingInterpolant.withDefaults();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void flowMatchingFieldEqualsTheFieldBuiltFromTheScore(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            Interpolant p = interpolant(rng);
            GaussianMixtureFlowMatchingField field = randomMixture(rng, d, p);
            VectorField fromScore = Tweedie.fieldFromScore(field::score, p, d);
            for (int trial = 0; trial < 5; trial++) {
                double t = 0.02 + 0.96 * rng.nextDouble();
                double[] x = RandomInputs.gaussianVector(rng, d);
                double[] v = new double[d];
                double[] w = new double[d];
                field.velocity(t, x, 0, v, 0);
                fromScore.velocity(t, x, 0, w, 0);
                // Two formulas (posterior-weighted component denoisers vs the mixture's score) for one field:
                // they agree to round-off amplified by 1/(alpha_t beta_t) <= ~1e3.
                assertTrue(TestMatrices.maxAbsDiff(v, w) < 1e-9 * (1 + TestMatrices.norm(v)),
                        "t = " + t + ": " + TestMatrices.maxAbsDiff(v, w));
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void mixtureScoreIsTheGradientOfItsLogDensity(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            GaussianMixtureFlowMatchingField field = randomMixture(rng, d, interpolant(rng));
            double t = 0.05 + 0.9 * rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] score = new double[d];
            field.score(t, x, 0, score, 0);
            double h = 1e-5;
            for (int c = 0; c < d; c++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[c] += h;
                xm[c] -= h;
                double fd = (field.logDensity(t, xp) - field.logDensity(t, xm)) / (2 * h);
                // central difference: h^2 |f'''| ~ 1e-10 * 1e2, plus round-off 1e-16 * |log rho| / h.
                assertEquals(fd, score[c], 1e-6 * (1 + Math.abs(fd)), "coordinate " + c);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void denoiserRecoveredFromTheFieldMatchesTheExactOne(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            Interpolant p = interpolant(rng);
            GaussianMixtureFlowMatchingField field = randomMixture(rng, d, p);
            DenoisingField inverted = Tweedie.denoising(field);
            double t = 0.05 + 0.9 * rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] exact = new double[d];
            double[] recovered = new double[d];
            field.denoise(t, x, 0, exact, 0);
            inverted.denoise(t, x, 0, recovered, 0);
            assertTrue(TestMatrices.maxAbsDiff(exact, recovered) < 1e-9 * (1 + TestMatrices.norm(exact)));
            field.score(t, x, 0, exact, 0);
            inverted.score(t, x, 0, recovered, 0);
            assertTrue(TestMatrices.maxAbsDiff(exact, recovered) < 1e-8 * (1 + TestMatrices.norm(exact)));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void oneComponentMixtureIsTheGaussianField(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            GaussianMeasure target = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d),
                    RandomInputs.spd(rng, d, 5, 1));
            GaussianMixtureFlowMatchingField mixture = GaussianMixtureFlowMatchingField.of(new double[]{1},
                    new GaussianMeasure[]{target});
            GaussianFlowMatchingField gaussian = GaussianFlowMatchingField.of(GaussianMeasure.standard(d), target);
            double t = 0.01 + 0.98 * rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] v = new double[d];
            double[] w = new double[d];
            mixture.velocity(t, x, 0, v, 0);
            gaussian.velocity(t, x, 0, w, 0);
            // docs/closed-forms.md CF-9 (Tweedie form) and docs/closed-forms.md CF-8 (Prop. 3.2) give the same affine field for Gaussian data.
            assertTrue(TestMatrices.maxAbsDiff(v, w) < 1e-10 * (1 + TestMatrices.norm(v)));
            assertEquals(gaussian.divergence(t, x, 0), mixture.divergence(t, x, 0), 1e-9);
        });
    }
}
