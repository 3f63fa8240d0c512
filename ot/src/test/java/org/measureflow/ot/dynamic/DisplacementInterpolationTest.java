package org.measureflow.ot.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/** {@link DisplacementInterpolation}: constant speed along the geodesic, and McCann's Gaussian geodesic in the limit. */
class DisplacementInterpolationTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void distancesAlongThePathAreProportionalToTime(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 20 + rng.nextInt(20), d);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 20 + rng.nextInt(20), d);
            DisplacementInterpolation path = DisplacementInterpolation.between(x, y);
            double w01 = Math.sqrt(NetworkSimplex.withDefaults().solve(x, y).cost());
            assertEquals(w01 * w01, path.cost(), 1e-12 * (1 + path.cost()));
            double s = rng.nextDouble();
            double t = rng.nextDouble();
            double wst = Math.sqrt(NetworkSimplex.withDefaults().solve(path.at(s), path.at(t)).cost());
            // exact LPs on both sides: equal up to the simplex's tolerance 1e-13 max C and rounding
            assertEquals(Math.abs(t - s) * w01, wst, 1e-9 * (1 + w01), "W2(mu_s, mu_t) at s=" + s + ", t=" + t);
        });
    }

    @Test
    void endpointsAreTheMeasures() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 15, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 12, 2);
        DisplacementInterpolation path = DisplacementInterpolation.between(x, y);
        // mu_0 carries the plan's row sums a_i at x_i, so its moments are those of x (likewise at t = 1)
        assertArrayEquals(x.mean(), path.at(0).mean(), 1e-12);
        assertArrayEquals(y.mean(), path.at(1).mean(), 1e-12);
        assertEquals(0, NetworkSimplex.withDefaults().solve(x, path.at(0)).cost(), 1e-12);
        assertEquals(0, NetworkSimplex.withDefaults().solve(y, path.at(1)).cost(), 1e-12);
    }

    @Test
    void gaussianSamplesFollowMcCannsGeodesic() {
        GaussianMeasure mu = GaussianMeasure.of(new double[] {0, 0}, new DMatrixRMaj(new double[][] {{1, 0}, {0, 2}}));
        GaussianMeasure nu = GaussianMeasure.of(new double[] {1, 0},
                new DMatrixRMaj(new double[][] {{2, 0.5}, {0.5, 1}}));
        int n = 600;
        ParticleMeasure x = mu.sample(n, new SplittableRandom(1));
        ParticleMeasure y = nu.sample(n, new SplittableRandom(2));
        DisplacementInterpolation path = DisplacementInterpolation.between(x, y);
        for (double t : new double[] {0.25, 0.5, 0.75}) {
            GaussianMeasure geo = BuresWasserstein.geodesic(mu, nu, t);
            ParticleMeasure mt = path.at(t);
            // the mean of mu_t is (1-t) mean(x) + t mean(y) exactly; each sample mean is off by ~ sd / sqrt(n)
            double[] m = mt.mean();
            double tolMean = 4 * Math.sqrt(2.0 / n);
            assertEquals(geo.mean()[0], m[0], tolMean, "mean x at t=" + t);
            assertEquals(geo.mean()[1], m[1], tolMean, "mean y at t=" + t);
            // a sample covariance entry has sd ~ sqrt(2/n) |S| (~0.1 here); the empirical plan adds an error of
            // the same order (empirical W2 in 2-D converges like n^{-1/2} up to logs): allow 4 such sds
            DMatrixRMaj s = mt.covariance();
            DMatrixRMaj g = geo.covariance();
            double tolCov = 4 * 2 * Math.sqrt(2.0 / n);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    assertEquals(g.get(a, b), s.get(a, b), tolCov, "cov(" + a + "," + b + ") at t=" + t);
                }
            }
        }
        // and the cost is the sample version of W2^2 (docs/closed-forms.md CF-12): within sampling error
        assertEquals(BuresWasserstein.squaredDistance(mu, nu), path.cost(), 0.3);
    }

    @Test
    void rejectsMismatchedInputs() {
        ParticleMeasure x = ParticleMeasure.fromFlat(new double[] {0, 1}, 1);
        ParticleMeasure y = ParticleMeasure.fromFlat(new double[] {0, 1, 2, 3}, 2);
        Rejections.assertRejected("y", () -> DisplacementInterpolation.between(x, y));
        DisplacementInterpolation p = DisplacementInterpolation.between(x, x);
        Rejections.assertRejected("t", () -> p.at(1.5));
    }
}
