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
        SlicedWassersteinResult r = SlicedWasserstein.withDefaults().withP(p).withDirections(7)
                .distance(x, y, new SplittableRandom(0));
        double w = OneDimensionalOt.cost(x, y, p);
        // every direction is +1 or -1 and W_p is invariant under x -> -x; only the rounding of the merged
        // cumulative weights (taken from the other end for -1) differs
        assertEquals(w, r.cost(), 1e-13 * w);
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
        SlicedWasserstein sw = SlicedWasserstein.withDefaults().withP(p).withDirections(20);
        assertTrue(x.isUniform() && !xw.isUniform());
        // same coupling (sorted atoms, mass 1/n each); only the summation order of the masses differs
        assertArrayEquals(sw.distance(xw, yw, new SplittableRandom(0)).costs(),
                sw.distance(x, y, new SplittableRandom(0)).costs(), 1e-12);
    }

    /** \( F(\theta) = W_p^p(\theta\sharp\mu, \theta\sharp\nu) \) at angle \( \varphi \) in the plane. */
    private static double slice(ParticleMeasure x, ParticleMeasure y, double phi) {
        double[] theta = {Math.cos(phi), Math.sin(phi)};
        return SlicedWasserstein.withDefaults().withParallel(false).distance(x, y, theta).cost();
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
            SlicedWassersteinResult r = SlicedWasserstein.withDefaults().withDirections(l)
                    .distance(x, y, new SplittableRandom(17));
            // central limit theorem: |error| <= 4 sd / sqrt(L) except with probability 6e-5 (fixed seed)
            assertEquals(mean, r.cost(), 4 * sd / Math.sqrt(l), "L = " + l);
            if (l == 4096) {
                // the reported standard error estimates sd / sqrt(L); its relative error is about 1/sqrt(2L)
                assertEquals(sd / Math.sqrt(l), r.standardError(), 0.1 * sd / Math.sqrt(l));
            }
        }
    }

    /**
     * \( E_\theta[(\theta\cdot(m_0 - m_1))^2 + (\sqrt{\theta^\top S_0\theta} - \sqrt{\theta^\top S_1\theta})^2] \), the
     * SW_2^2 of two Gaussians in the plane (docs/closed-forms.md CF-11 on each line), by the midpoint rule on the half circle
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
        SlicedWassersteinResult r = SlicedWasserstein.withDefaults().withDirections(400)
                .distance(x, y, new SplittableRandom(5));
        // On each line, with the samples' own projected means and standard deviations m, s:
        // W2^2(empirical) = (m0 - m1)^2 + (s0 - s1)^2 + s0 s1 W2^2(standardised empirical measures) >= the Gaussian
        // formula, and the excess has mean ~ loglog(n)/n per sample (Bobkov-Ledoux), below 4 s0 s1 log(n)/n. So, with
        // the closed form at the sample moments, 0 <= SW - formula <= that bias, up to 4 Monte-Carlo standard errors.
        double atSampleMoments = gaussianSliced(x.mean(), x.covariance(), y.mean(), y.covariance());
        double maxVar = Math.max(Math.max(s0.get(0, 0), s0.get(1, 1)), Math.max(s1.get(0, 0), s1.get(1, 1)));
        double bias = 4 * 2 * maxVar * Math.log(n) / n;
        double mc = 4 * r.standardError();
        assertTrue(r.cost() >= atSampleMoments - mc, r.cost() + " vs " + atSampleMoments);
        assertTrue(r.cost() <= atSampleMoments + bias + mc, r.cost() + " vs " + atSampleMoments);
        // and the population closed form, within the sampling error of the moments: the projected means and
        // standard deviations move by about sd sqrt(2/n), moving each slice by 2(|dm| + |ds|) times that
        double exact = gaussianSliced(m0, s0, m1, s1);
        double sampling = 4 * 2 * 2 * Math.sqrt(maxVar) * Math.sqrt(2 * maxVar / n);
        assertEquals(exact, r.cost(), mc + bias + sampling);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void isSymmetricNonNegativeAndZeroOnlyBetweenEqualMeasures(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 5 + rng.nextInt(30), d);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 5 + rng.nextInt(30), d);
            SlicedWasserstein sw = SlicedWasserstein.withDefaults().withDirections(50);
            long directionSeed = rng.nextLong();
            SlicedWassersteinResult xy = sw.distance(x, y, new SplittableRandom(directionSeed));
            SlicedWassersteinResult yx = sw.distance(y, x, new SplittableRandom(directionSeed));
            // the 1-D coupling of (y, x) is the transpose of that of (x, y): same value up to the merge's rounding
            assertEquals(xy.cost(), yx.cost(), 1e-12 * xy.cost());
            assertTrue(xy.cost() > 0);
            assertEquals(0.0, sw.distance(x, x, new SplittableRandom(directionSeed)).cost(), 0.0);
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
            for (double v : xy.costs()) {
                assertTrue(v <= bound * (1 + 1e-12), "slice " + v + " > independent-coupling cost " + bound);
            }
        });
    }

    @Test
    void parallelAndSerialRunsGiveIdenticalBitsAndTheSeedFixesTheResult() {
        SplittableRandom rng = new SplittableRandom(9);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 3000, 3);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 2000, 3);
        SlicedWasserstein o = SlicedWasserstein.withDefaults().withDirections(64);
        SlicedWassersteinResult serial = o.withParallel(false).distance(x, y, new SplittableRandom(123));
        SlicedWassersteinResult parallel = o.withParallel(true).distance(x, y, new SplittableRandom(123));
        assertArrayEquals(serial.costs(), parallel.costs(), 0.0);
        assertEquals(serial.cost(), parallel.cost(), 0.0);
        assertEquals(serial.cost(), o.distance(x, y, new SplittableRandom(123)).cost(), 0.0);
        double[] theta = SlicedWasserstein.randomDirections(64, 3, new SplittableRandom(123));
        for (int l = 0; l < 64; l++) {
            double norm = 0;
            for (int k = 0; k < 3; k++) {
                norm += theta[3 * l + k] * theta[3 * l + k];
            }
            assertEquals(1.0, norm, 1e-15);
        }
    }

    @Test
    void theGeneratorArgumentFixesTheDirectionsAndTheResult() {
        SplittableRandom rng = new SplittableRandom(12);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 40, 3);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 30, 3);
        SlicedWasserstein sw = SlicedWasserstein.withDefaults().withDirections(16);
        SlicedWassersteinResult a = sw.distance(x, y, new SplittableRandom(99));
        SlicedWassersteinResult b = sw.distance(x, y, new SplittableRandom(99));
        assertArrayEquals(a.costs(), b.costs(), 0.0);
        // drawing from the generator is exactly randomDirections(L, d, rng) followed by the given-directions form
        double[] theta = SlicedWasserstein.randomDirections(16, 3, new SplittableRandom(99));
        assertArrayEquals(a.costs(), sw.distance(x, y, theta).costs(), 0.0);
        SplittableRandom shared = new SplittableRandom(99);
        SlicedWassersteinResult first = sw.distance(x, y, shared);
        SlicedWassersteinResult second = sw.distance(x, y, shared);
        assertArrayEquals(a.costs(), first.costs(), 0.0);
        // the generator moved on: the second call draws other directions
        assertTrue(first.cost() != second.cost());
    }

    @Test
    void withersKeepTheOtherSettingsAndSummariesAreOneLine() {
        SlicedWasserstein defaults = SlicedWasserstein.withDefaults();
        SlicedWasserstein changed = defaults.withDirections(3).withP(1.5).withParallel(false);
        assertEquals(SlicedWasserstein.DEFAULT_DIRECTIONS, defaults.directions());
        assertEquals(SlicedWasserstein.DEFAULT_P, defaults.p(), 0);
        assertTrue(defaults.parallel());
        assertEquals(3, changed.directions());
        assertEquals(1.5, changed.p(), 0);
        assertTrue(!changed.parallel());
        assertEquals(3, changed.withP(2).directions());
        assertEquals("SlicedWasserstein[directions=3, p=1.5, parallel=false]", changed.toString());
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 0}, {1, 0}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{0, 1}, {1, 1}});
        SlicedWassersteinResult r = changed.withP(2).distance(x, y, new double[] {0, 1});
        // along (0, 1) every point moves by 1: W_2^2 = 1 on that line
        assertEquals("SlicedWassersteinResult[directions=1, distance=1.0, cost=1.0 +- 0, costs=[1]]", r.toString());
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 1}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{0}});
        Rejections.assertRejected("directions", () -> SlicedWasserstein.withDefaults().withDirections(0));
        Rejections.assertRejected("p", () -> SlicedWasserstein.withDefaults().withP(0.5));
        Rejections.assertRejected("y", () -> SlicedWasserstein.withDefaults().distance(x, y, new SplittableRandom(0)));
        Rejections.assertRejected("theta", () -> SlicedWasserstein.withDefaults().distance(x, x, new double[] {1}));
        Rejections.assertRejected("count", () -> SlicedWasserstein.randomDirections(0, 2, new SplittableRandom(1)));
        Rejections.assertRejected("rng", () -> SlicedWasserstein.withDefaults().distance(x, x, (SplittableRandom) null));
    }

    private static double[] shifted(double[] v, double s) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i += 2) {
            out[i] += s;
        }
        return out;
    }
}
