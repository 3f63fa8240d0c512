package org.measureflow.ot.sliced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

class SlicedWassersteinTest {

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {1.0, 2.0, 3.0})
    void inOneDimensionEqualsTheWassersteinDistance(double p) {
        SplittableRandom rng = new SplittableRandom(1);
        ParticleMeasure x = RandomInputs.measure1d(rng, 40);
        ParticleMeasure y = RandomInputs.measure1d(rng, 25);
        SlicedResult r = SlicedWasserstein.options().p(p).directions(7).build().compute(x, y);
        double w = OneDimensionalOt.cost(x, y, p);
        // every direction is +1 or -1 and W_p is invariant under x -> -x; only the rounding of the merged
        // cumulative weights (taken from the other end for -1) differs
        assertEquals(w, r.powerP(), 1e-13 * w);
        assertEquals(Math.pow(w, 1 / p), r.distance(), 1e-13 * Math.pow(w, 1 / p));
    }

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {1.0, 2.0, 2.5})
    void uniformEqualSizeShortcutAgreesWithTheWeightedQuantileFormula(double p) {
        SplittableRandom rng = new SplittableRandom(6);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 50, 3);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 50, 3);
        // the same clouds with explicit (uniform) weights take the general north-west-corner path
        double[] w = new double[50];
        java.util.Arrays.fill(w, 1.0);
        ParticleMeasure xw = ParticleMeasure.fromFlat(x.flatPoints(), 3, w);
        ParticleMeasure yw = ParticleMeasure.fromFlat(y.flatPoints(), 3, w);
        SlicedWasserstein sw = SlicedWasserstein.options().p(p).directions(20).build();
        assertTrue(x.isUniform() && !xw.isUniform());
        // same coupling (sorted atoms, mass 1/n each); only the summation order of the masses differs
        assertArrayEquals(sw.compute(xw, yw).values(), sw.compute(x, y).values(), 1e-12);
    }

    /** \( F(\theta) = W_p^p(\theta\sharp\mu, \theta\sharp\nu) \) at angle \( \varphi \) in the plane. */
    private static double slice(ParticleMeasure x, ParticleMeasure y, double phi) {
        double[] theta = {Math.cos(phi), Math.sin(phi)};
        return SlicedWasserstein.options().parallel(false).build().compute(x, y, theta).powerP();
    }

    @Test
    void monteCarloErrorDecaysLikeOneOverSqrtDirectionsAroundTheExactIntegral() {
        SplittableRandom rng = new SplittableRandom(2);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 60, 2);
        ParticleMeasure y = ParticleMeasure.fromFlat(shifted(RandomInputs.gaussianVector(rng, 100), 0.8), 2);
        // the exact SW_2^2 over the circle: F(phi) = F(phi + pi) is continuous and piecewise smooth, so the midpoint
        // rule with K = 8000 nodes on [0, pi) is accurate far below the Monte-Carlo errors tested (O(K^-2))
        int k = 8_000;
        double mean = 0;
        double second = 0;
        for (int q = 0; q < k; q++) {
            double v = slice(x, y, Math.PI * (q + 0.5) / k);
            mean += v / k;
            second += v * v / k;
        }
        double sd = Math.sqrt(second - mean * mean);
        for (int l : new int[] {16, 256, 4096}) {
            SlicedResult r = SlicedWasserstein.options().directions(l).seed(17).build().compute(x, y);
            // central limit theorem: |error| <= 4 sd / sqrt(L) except with probability 6e-5 (fixed seed)
            assertEquals(mean, r.powerP(), 4 * sd / Math.sqrt(l), "L = " + l);
            if (l == 4096) {
                // the reported standard error estimates sd / sqrt(L); its relative error is about 1/sqrt(2L)
                assertEquals(sd / Math.sqrt(l), r.standardError(), 0.1 * sd / Math.sqrt(l));
            }
        }
    }

    /**
     * \( E_\theta[(\theta\cdot(m_0 - m_1))^2 + (\sqrt{\theta^\top S_0\theta} - \sqrt{\theta^\top S_1\theta})^2] \), the
     * SW_2^2 of two Gaussians in the plane (closed forms B9 on each line), by the midpoint rule on the half circle
     * (smooth periodic integrand: exact to rounding with 4000 nodes).
     */
    private static double gaussianSliced(double[] m0, DMatrixRMaj s0, double[] m1, DMatrixRMaj s1) {
        int k = 4000;
        double exact = 0;
        for (int q = 0; q < k; q++) {
            double phi = Math.PI * (q + 0.5) / k;
            double c = Math.cos(phi);
            double s = Math.sin(phi);
            double dm = c * (m0[0] - m1[0]) + s * (m0[1] - m1[1]);
            double v0 = c * c * s0.get(0, 0) + 2 * c * s * s0.get(0, 1) + s * s * s0.get(1, 1);
            double v1 = c * c * s1.get(0, 0) + 2 * c * s * s1.get(0, 1) + s * s * s1.get(1, 1);
            double ds = Math.sqrt(v0) - Math.sqrt(v1);
            exact += (dm * dm + ds * ds) / k;
        }
        return exact;
    }

    @Test
    void matchesTheProjectedGaussianClosedFormForLargeSamples() {
        double[] m0 = {0, 0};
        double[] m1 = {1, -0.5};
        DMatrixRMaj s0 = new DMatrixRMaj(new double[][] {{1, 0.3}, {0.3, 0.5}});
        DMatrixRMaj s1 = new DMatrixRMaj(new double[][] {{0.4, -0.1}, {-0.1, 1.5}});
        int n = 4000;
        ParticleMeasure x = GaussianMeasure.of(m0, s0).sample(n, new SplittableRandom(3));
        ParticleMeasure y = GaussianMeasure.of(m1, s1).sample(n, new SplittableRandom(4));
        SlicedResult r = SlicedWasserstein.options().directions(400).seed(5).build().compute(x, y);
        // On each line, with the samples' own projected means and standard deviations m, s:
        // W2^2(empirical) = (m0 - m1)^2 + (s0 - s1)^2 + s0 s1 W2^2(standardised empirical measures) >= the Gaussian
        // formula, and the excess has mean ~ loglog(n)/n per sample (Bobkov-Ledoux), below 4 s0 s1 log(n)/n. So, with
        // the closed form at the sample moments, 0 <= SW - formula <= that bias, up to 4 Monte-Carlo standard errors.
        double atSampleMoments = gaussianSliced(x.mean(), x.covariance(), y.mean(), y.covariance());
        double maxVar = Math.max(Math.max(s0.get(0, 0), s0.get(1, 1)), Math.max(s1.get(0, 0), s1.get(1, 1)));
        double bias = 4 * 2 * maxVar * Math.log(n) / n;
        double mc = 4 * r.standardError();
        assertTrue(r.powerP() >= atSampleMoments - mc, r.powerP() + " vs " + atSampleMoments);
        assertTrue(r.powerP() <= atSampleMoments + bias + mc, r.powerP() + " vs " + atSampleMoments);
        // and the population closed form, within the sampling error of the moments: the projected means and
        // standard deviations move by about sd sqrt(2/n), moving each slice by 2(|dm| + |ds|) times that
        double exact = gaussianSliced(m0, s0, m1, s1);
        double sampling = 4 * 2 * 2 * Math.sqrt(maxVar) * Math.sqrt(2 * maxVar / n);
        assertEquals(exact, r.powerP(), mc + bias + sampling);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void isSymmetricNonNegativeAndZeroOnlyBetweenEqualMeasures(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 5 + rng.nextInt(30), d);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 5 + rng.nextInt(30), d);
            SlicedWasserstein sw = SlicedWasserstein.options().directions(50).seed(rng.nextLong()).build();
            SlicedResult xy = sw.compute(x, y);
            SlicedResult yx = sw.compute(y, x);
            // the 1-D coupling of (y, x) is the transpose of that of (x, y): same value up to the merge's rounding
            assertEquals(xy.powerP(), yx.powerP(), 1e-12 * xy.powerP());
            assertTrue(xy.powerP() > 0);
            assertEquals(0.0, sw.compute(x, x).powerP(), 0.0);
            // SW_2^2 <= W_2^2 <= ... each projection is 1-Lipschitz: every slice is at most E|x - y|^2 under a x b
            double bound = 0;
            for (int i = 0; i < x.size(); i++) {
                for (int j = 0; j < y.size(); j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double diff = x.coordinate(i, k) - y.coordinate(j, k);
                        s += diff * diff;
                    }
                    bound += x.weight(i) * y.weight(j) * s;
                }
            }
            for (double v : xy.values()) {
                assertTrue(v <= bound * (1 + 1e-12), "slice " + v + " > independent-coupling cost " + bound);
            }
        });
    }

    @Test
    void parallelAndSerialRunsGiveIdenticalBitsAndTheSeedFixesTheResult() {
        SplittableRandom rng = new SplittableRandom(9);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 3000, 3);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 2000, 3);
        SlicedWasserstein.Options o = SlicedWasserstein.options().directions(64).seed(123);
        SlicedResult serial = o.parallel(false).build().compute(x, y);
        SlicedResult parallel = o.parallel(true).build().compute(x, y);
        assertArrayEquals(serial.values(), parallel.values(), 0.0);
        assertEquals(serial.powerP(), parallel.powerP(), 0.0);
        assertEquals(serial.powerP(), o.build().compute(x, y).powerP(), 0.0);
        double[] theta = SlicedWasserstein.directions(64, 3, 123);
        for (int l = 0; l < 64; l++) {
            double norm = 0;
            for (int k = 0; k < 3; k++) {
                norm += theta[3 * l + k] * theta[3 * l + k];
            }
            assertEquals(1.0, norm, 1e-15);
        }
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 1}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{0}});
        Rejections.assertRejected("directions", () -> SlicedWasserstein.options().directions(0));
        Rejections.assertRejected("p", () -> SlicedWasserstein.options().p(0.5));
        Rejections.assertRejected("y", () -> SlicedWasserstein.withDefaults().compute(x, y));
        Rejections.assertRejected("theta", () -> SlicedWasserstein.withDefaults().compute(x, x, new double[] {1}));
        Rejections.assertRejected("count", () -> SlicedWasserstein.directions(0, 2, 1));
    }

    private static double[] shifted(double[] v, double s) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i += 2) {
            out[i] += s;
        }
        return out;
    }
}
