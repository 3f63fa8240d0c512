package org.measureflow.ot.barycenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.gaussian.BuresBarycenter;
import org.measureflow.ot.gaussian.BuresBarycenterResult;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

class FreeSupportBarycenterTest {

    @Test
    void inOneDimensionTheBarycenterAveragesTheSortedSamples() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 40;
        double[][] sorted = new double[3][];
        ParticleMeasure[] mu = new ParticleMeasure[3];
        for (int k = 0; k < 3; k++) {
            double[] v = RandomInputs.gaussianVector(rng, n);
            for (int i = 0; i < n; i++) {
                v[i] = 2 * k + (k + 1) * v[i];
            }
            mu[k] = ParticleMeasure.fromFlat(v, 1);
            sorted[k] = v.clone();
            Arrays.sort(sorted[k]);
        }
        double[] lambda = {0.2, 0.5, 0.3};
        FreeSupportBarycenterResult r = FreeSupportBarycenter.withDefaults()
                .solve(mu, lambda, ParticleMeasure.fromFlat(RandomInputs.gaussianVector(rng, n), 1));
        // 1-D, uniform n-point measures: the optimal plans are the sorting permutations (docs/closed-forms.md CF-11), so the barycenter's
        // quantile function is the lambda-average of the quantile functions, reached after one update
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                expected[i] += lambda[k] * sorted[k][i];
            }
        }
        double[] got = r.barycenter().flatPoints();
        Arrays.sort(got);
        assertTrue(r.converged());
        assertTrue(r.iterations() <= 3, "iterations " + r.iterations());
        assertArrayEquals(expected, got, 1e-12);
        // the objective: sum_k lambda_k W2^2(bar, mu_k) = sum_k lambda_k mean_i (q_i - q^k_i)^2 at the fixed point
        double cost = 0;
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                cost += lambda[k] * Math.pow(expected[i] - sorted[k][i], 2) / n;
            }
        }
        assertEquals(cost, r.cost(), 1e-12);
    }

    @Test
    void barycenterOfGaussianSamplesMatchesTheBuresBarycenter() {
        DMatrixRMaj[] covs = {
            new DMatrixRMaj(new double[][] {{1.0, 0.3}, {0.3, 0.5}}),
            new DMatrixRMaj(new double[][] {{0.4, -0.2}, {-0.2, 1.2}}),
            new DMatrixRMaj(new double[][] {{2.0, 0.0}, {0.0, 0.3}})};
        double[][] means = {{0, 0}, {2, 1}, {-1, 2}};
        double[] lambda = {0.5, 0.3, 0.2};
        int n = 400;
        GaussianMeasure[] gaussians = new GaussianMeasure[3];
        ParticleMeasure[] samples = new ParticleMeasure[3];
        for (int k = 0; k < 3; k++) {
            gaussians[k] = GaussianMeasure.of(means[k], covs[k]);
            samples[k] = gaussians[k].sample(n, new SplittableRandom(10 + k));
        }
        FreeSupportBarycenterResult r = FreeSupportBarycenter.withDefaults().withTolerance(1e-10)
                .solve(samples, lambda, GaussianMeasure.standard(2).sample(n, new SplittableRandom(99)));
        assertTrue(r.converged(), "converged, displacement " + r.error());
        // the mean is exactly the lambda-average of the sample means (each T_k pushes the barycenter onto mu_k)
        double[] mean = r.barycenter().mean();
        for (int q = 0; q < 2; q++) {
            double expected = 0;
            for (int k = 0; k < 3; k++) {
                expected += lambda[k] * samples[k].mean()[q];
            }
            assertEquals(expected, mean[q], 1e-12);
        }
        // the Bures barycenter of the populations (docs/closed-forms.md CF-12 fixed point) against the Gaussian with the barycenter's
        // moments: the sample covariances are off by about |S| sqrt(2/n) = 0.07 |S| per entry, so the Bures distance
        // of the moments is O(sqrt(tr S) * 0.07); 0.1 (a squared-distance unit of the data) is about three times that
        BuresBarycenterResult bures = BuresBarycenter.withDefaults().solve(gaussians, lambda);
        GaussianMeasure fitted = GaussianMeasure.of(mean, r.barycenter().covariance());
        double w2 = BuresWasserstein.squaredDistance(fitted, bures.barycenter());
        assertTrue(w2 < 0.1 * 0.1, "W2^2 between the fitted barycenter and the Bures barycenter: " + w2);
        // and closer to the Bures barycenter of the samples' own Gaussians (sampling error of the moments removed;
        // what remains is the discrete, non-Gaussian part, O(n^-1/2) in W2 for d = 2)
        GaussianMeasure[] empirical = new GaussianMeasure[3];
        for (int k = 0; k < 3; k++) {
            empirical[k] = GaussianMeasure.of(samples[k].mean(), samples[k].covariance());
        }
        double w2Empirical = BuresWasserstein.squaredDistance(fitted, BuresBarycenter.withDefaults().solve(empirical, lambda)
                .barycenter());
        assertTrue(w2Empirical < 0.05 * 0.05, "W2^2 to the empirical Bures barycenter: " + w2Empirical);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void exactIterationsNeverIncreaseTheObjectiveAndEntropicOnesKeepTheMean(long seed) {
        Property.check(seed, rng -> {
            int count = 2 + rng.nextInt(2);
            ParticleMeasure[] mu = new ParticleMeasure[count];
            for (int k = 0; k < count; k++) {
                mu[k] = RandomInputs.weightedPointCloud(rng, 10 + rng.nextInt(15), 2);
            }
            double[] lambda = Histograms.normalised("lambda", RandomInputs.positiveWeights(rng, count));
            ParticleMeasure init = RandomInputs.weightedPointCloud(rng, 12, 2);
            double previous = Double.POSITIVE_INFINITY;
            for (int it = 1; it <= 5; it++) {
                FreeSupportBarycenterResult r = FreeSupportBarycenter.withDefaults().withMaxIterations(it)
                        .solve(mu, lambda, init);
                // the update minimises a quadratic majorant of F, tight at the current points (exact plans)
                assertTrue(r.cost() <= previous + 1e-12, "iteration " + it + ": " + r.cost() + " > " + previous);
                previous = r.cost();
            }
            FreeSupportBarycenterResult e = FreeSupportBarycenter.entropic(SinkhornSolver.of(0.1).withTolerance(1e-11))
                    .withMaxIterations(3).solve(mu, lambda, init);
            // barycentric maps of couplings with marginal error 1e-11 keep sum_i w_i T_k(x_i) = mean(mu_k)
            double[] mean = e.barycenter().mean();
            for (int q = 0; q < 2; q++) {
                double expected = 0;
                for (int k = 0; k < count; k++) {
                    expected += lambda[k] * mu[k].mean()[q];
                }
                assertEquals(expected, mean[q], 1e-9);
            }
        });
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        ParticleMeasure a = ParticleMeasure.of(new double[][] {{0, 1}, {1, 0}});
        ParticleMeasure b = ParticleMeasure.of(new double[][] {{0}, {1}});
        FreeSupportBarycenter s = FreeSupportBarycenter.withDefaults();
        Rejections.assertRejected("measures[1]", () -> s.solve(new ParticleMeasure[] {a, b}, new double[] {0.5, 0.5}, a));
        Rejections.assertRejected("lambda", () -> s.solve(new ParticleMeasure[] {a, a}, new double[] {0.5, 0.4}, a));
        Rejections.assertRejected("measures", () -> s.solve(new ParticleMeasure[0], new double[0], a));
        Rejections.assertRejected("tolerance", () -> FreeSupportBarycenter.withDefaults().withTolerance(0));
    }
}
