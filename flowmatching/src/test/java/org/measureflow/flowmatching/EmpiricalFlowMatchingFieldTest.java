package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.field.EmpiricalFlowMatchingField;
import org.measureflow.flowmatching.field.GaussianMixtureFlowMatchingField;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.flowmatching.sampling.SampleResult;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.TestMatrices;

class EmpiricalFlowMatchingFieldTest {
    /** Eq. 7 by brute force: E[alpha' X0 + beta' X1 | X_t = x] with plain (non-log-space) posterior weights. */
    private static double[] bruteForce(ParticleMeasure data, Interpolant p, double t, double[] x) {
        int d = data.dimension();
        double a = p.alpha(t);
        double b = p.beta(t);
        double z = 0;
        double[] v = new double[d];
        for (int k = 0; k < data.size(); k++) {
            double[] y = data.point(k);
            double dist = 0;
            for (int c = 0; c < d; c++) {
                dist += (x[c] - b * y[c]) * (x[c] - b * y[c]);
            }
            double w = data.weight(k) * Math.exp(-dist / (2 * a * a));
            z += w;
            // Given X1 = y and X_t = x, X0 = (x - b y)/a, so the conditional velocity is a'(x - b y)/a + b' y.
            for (int c = 0; c < d; c++) {
                v[c] += w * (p.alphaDot(t) * (x[c] - b * y[c]) / a + p.betaDot(t) * y[c]);
            }
        }
        for (int c = 0; c < d; c++) {
            v[c] /= z;
        }
        return v;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void fieldMatchesABruteForceEvaluationOfEquation7(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            ParticleMeasure data = RandomInputs.weightedPointCloud(rng, 2 + rng.nextInt(30), d);
            Interpolant p = rng.nextBoolean() ? LinearInterpolant.instance()
                    : VariancePreservingInterpolant.withDefaults();
            EmpiricalFlowMatchingField field = EmpiricalFlowMatchingField.of(data, p);
            double t = 0.8 * rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] v = new double[d];
            field.velocity(t, x, 0, v, 0);
            double[] expected = bruteForce(data, p, t, x);
            assertTrue(TestMatrices.maxAbsDiff(expected, v) < 1e-10 * (1 + TestMatrices.norm(expected)),
                    "t = " + t + ": " + TestMatrices.maxAbsDiff(expected, v));
        });
    }

    @Test
    void fieldStaysFiniteAndExactAsTimeApproachesOne() {
        ParticleMeasure data = ParticleMeasure.of(new double[][]{{0, 0}, {1, 0}, {0, 2}});
        EmpiricalFlowMatchingField field = EmpiricalFlowMatchingField.of(data);
        double[] x = {0.9, 0.05};
        double[] v = new double[2];
        for (double gap : new double[]{1e-2, 1e-4, 1e-8, 1e-12}) {
            double t = 1 - gap;
            field.velocity(t, x, 0, v, 0);
            // Plain exp underflows here (logits ~ -1/gap); the posterior is one-hot on y = (1, 0), so
            // v = (y - x)/(1 - t) up to the neighbours' weights exp(-(|x - t y'|^2 - |x - t y|^2)/(2 gap^2)) = 0.
            assertTrue(Double.isFinite(v[0]) && Double.isFinite(v[1]), "finite at gap " + gap);
            assertEquals((1 - x[0]) / (1 - t), v[0], 1e-9 * Math.abs(v[0]));
            assertEquals((0 - x[1]) / (1 - t), v[1], 1e-9 * Math.abs(v[1]));
        }
        assertRejected("t", () -> field.velocity(1, x, 0, v, 0));
    }

    @Test
    void integratingTheLatentMemorisesTheData() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure data = RandomInputs.pointCloud(rng, 40, 2);
        EmpiricalFlowMatchingField field = EmpiricalFlowMatchingField.of(data);
        ParticleMeasure latent = GaussianMeasure.standard(2).sample(300, rng);
        SampleResult result = FlowSampler.sampleDenoised(field, latent, RungeKutta4.of(0.01), 0.999);
        // At t = 0.999 the posterior width is alpha/beta = 1e-3 while data points are ~0.1 apart, so the denoiser
        // lands on one data point up to weights exp(-gap^2 / 2e-6) of the others: distance < 1e-9.
        double worst = 0;
        ParticleMeasure samples = result.samples();
        for (int i = 0; i < samples.size(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < data.size(); k++) {
                double dist = 0;
                for (int c = 0; c < 2; c++) {
                    double r = samples.coordinate(i, c) - data.coordinate(k, c);
                    dist += r * r;
                }
                best = Math.min(best, Math.sqrt(dist));
            }
            worst = Math.max(worst, best);
        }
        assertTrue(worst < 1e-9, "largest distance to the data: " + worst);
        assertEquals(100 * 4 + 1, result.fieldEvaluations());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void empiricalFieldIsTheLimitOfANarrowMixture(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(2);
            ParticleMeasure data = RandomInputs.weightedPointCloud(rng, 2 + rng.nextInt(5), d);
            GaussianMeasure[] components = new GaussianMeasure[data.size()];
            double[] weights = new double[data.size()];
            double tiny = 1e-12;
            for (int k = 0; k < data.size(); k++) {
                components[k] = GaussianMeasure.of(data.point(k), TestMatrices.scaled(tiny, TestMatrices.diag(
                        java.util.stream.DoubleStream.generate(() -> 1).limit(d).toArray())));
                weights[k] = data.weight(k);
            }
            GaussianMixtureFlowMatchingField mixture = GaussianMixtureFlowMatchingField.of(weights, components);
            EmpiricalFlowMatchingField field = EmpiricalFlowMatchingField.of(data);
            double t = 0.9 * rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] v = new double[d];
            double[] w = new double[d];
            field.velocity(t, x, 0, v, 0);
            mixture.velocity(t, x, 0, w, 0);
            // Components of variance 1e-12 differ from Diracs by O(1e-12) relative.
            assertTrue(TestMatrices.maxAbsDiff(v, w) < 1e-9 * (1 + TestMatrices.norm(v)));
            assertEquals(mixture.divergence(t, x, 0), field.divergence(t, x, 0),
                    1e-8 * (1 + Math.abs(field.divergence(t, x, 0))));
        });
    }
}
