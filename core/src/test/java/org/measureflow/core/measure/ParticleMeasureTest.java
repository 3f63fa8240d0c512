package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class ParticleMeasureTest {

    private static void assertThrowsNaming(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }

    private static double[] eigenvalues(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, false, true);
        assertTrue(eig.decompose(s.copy()));
        double[] values = new double[s.numRows];
        for (int i = 0; i < values.length; i++) {
            values[i] = eig.getEigenvalue(i).real;
        }
        return values;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void weightsAreNormalisedWhateverPositiveWeightsAreGiven(long seed) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(1, 200);
            double[] raw = new double[n];
            double scale = Math.pow(10, rng.nextInt(-200, 200)); // the normalisation must not depend on the scale
            for (int i = 0; i < n; i++) {
                raw[i] = scale * rng.nextDouble(0.001, 1);
            }
            double[] before = raw.clone();
            ParticleMeasure mu = ParticleMeasure.fromFlat(RandomInputs.gaussianVector(rng, 2 * n), 2, raw);
            double sum = 0;
            for (double w : mu.weights()) {
                sum += w;
            }
            // n divisions each rounding by u/2, summed with n roundings
            assertEquals(1.0, sum, 1e-12);
            assertArrayEquals(before, raw, 0, "the caller's weights are not modified");
            for (int i = 0; i < n; i++) {
                assertEquals(mu.weights()[i], mu.weight(i), 0);
                assertTrue(mu.weight(i) > 0);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void identityPushForwardIsTheIdentityBitForBit(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 5);
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, rng.nextInt(1, 300), d);
            ParticleMeasure same = mu.pushForward((x, xo, out, oo) -> System.arraycopy(x, xo, out, oo, d));
            assertArrayEquals(mu.flatPoints(), same.flatPoints(), 0);
            assertArrayEquals(mu.weights(), same.weights(), 0);
            assertArrayEquals(mu.mean(), same.mean(), 0);
            assertArrayEquals(mu.covariance().data, same.covariance().data, 0);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void covarianceIsSymmetricAndPositiveSemiDefinite(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 8);
            // n may be smaller than d: the covariance is then singular, and still PSD
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, rng.nextInt(1, 40), d);
            DMatrixRMaj s = mu.covariance();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(s.get(i, j), s.get(j, i), 0, "symmetric");
                }
            }
            double[] lambda = eigenvalues(s);
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (double l : lambda) {
                max = Math.max(max, l);
                min = Math.min(min, l);
            }
            // a Gram matrix: eigenvalues >= 0 up to the eigensolver's backward error ~ d u ||S||
            assertTrue(min >= -1e-12 * max, "smallest eigenvalue " + min + ", largest " + max);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void meanAndCovarianceAreInvariantUnderPermutationOfParticles(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            int n = rng.nextInt(1, 500);
            double[] points = RandomInputs.gaussianVector(rng, n * d);
            double[] weights = RandomInputs.positiveWeights(rng, n);
            int[] perm = permutation(rng, n);
            double[] pp = new double[n * d];
            double[] pw = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(points, perm[i] * d, pp, i * d, d);
                pw[i] = weights[perm[i]];
            }
            for (boolean uniform : new boolean[]{true, false}) {
                ParticleMeasure mu = ParticleMeasure.fromFlat(points, d, uniform ? null : weights);
                ParticleMeasure nu = ParticleMeasure.fromFlat(pp, d, uniform ? null : pw);
                double[] m1 = mu.mean();
                double[] m2 = nu.mean();
                DMatrixRMaj s1 = mu.covariance();
                DMatrixRMaj s2 = nu.covariance();
                // reordering a sum of n terms changes it by at most ~n u times the sum of magnitudes; with
                // standard normal points that sum is O(1), so 1e-12 absolute/relative is ~50 n u for n < 500
                double sTrace = 0;
                for (int k = 0; k < d; k++) {
                    assertEquals(m1[k], m2[k], 1e-12 * (1 + Math.abs(m1[k])), "mean");
                    sTrace += s1.get(k, k);
                }
                for (int k = 0; k < d * d; k++) {
                    assertEquals(s1.data[k], s2.data[k], 1e-12 * sTrace, "covariance");
                }
            }
        });
    }

    private static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void uniformAndExplicitEqualWeightsGiveTheSameMoments(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            int n = rng.nextInt(1, 1000);
            double[] points = RandomInputs.gaussianVector(rng, n * d);
            double[] equal = new double[n];
            java.util.Arrays.fill(equal, rng.nextDouble(0.1, 10));
            ParticleMeasure uniform = ParticleMeasure.fromFlat(points, d);
            ParticleMeasure explicit = ParticleMeasure.fromFlat(points, d, equal);
            assertTrue(uniform.isUniform());
            assertFalse(explicit.isUniform());
            // (sum x_i)/n vs sum (1/n) x_i: both round each of n terms, difference <= ~2 n u max|x|
            double tol = 4 * n * U * 10;
            assertArrayEquals(uniform.mean(), explicit.mean(), tol);
            assertArrayEquals(uniform.covariance().data, explicit.covariance().data, tol * 10);
        });
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        double[][] good = {{0, 1}, {2, 3}};
        assertThrowsNaming("points", () -> ParticleMeasure.of(new double[][]{{0, Double.NaN}, {1, 1}}));
        assertThrowsNaming("points", () -> ParticleMeasure.fromFlat(new double[]{0, Double.POSITIVE_INFINITY}, 1));
        assertThrowsNaming("weights", () -> ParticleMeasure.of(good, new double[]{1, -1}));
        assertThrowsNaming("weights", () -> ParticleMeasure.of(good, new double[]{1, Double.NaN}));
        assertThrowsNaming("weights", () -> ParticleMeasure.of(good, new double[]{1, 2, 3}));
        assertThrowsNaming("weights", () -> ParticleMeasure.of(good, new double[]{0, 0}));
        assertThrowsNaming("points[1]", () -> ParticleMeasure.of(new double[][]{{0, 1}, {2}}));
        assertThrowsNaming("points", () -> ParticleMeasure.of(new double[0][]));
        assertThrowsNaming("points", () -> ParticleMeasure.fromFlat(new double[0], 2));
        assertThrowsNaming("points[0]", () -> ParticleMeasure.of(new double[][]{{}}));
        assertThrowsNaming("points", () -> ParticleMeasure.of(null));
        assertThrowsNaming("flat", () -> ParticleMeasure.fromFlat(new double[]{1, 2, 3}, 2));
        assertThrowsNaming("d", () -> ParticleMeasure.fromFlat(new double[]{1, 2}, 0));
        ParticleMeasure mu = ParticleMeasure.of(good);
        // dimension mismatch: 3 coordinates for n = 2 particles is not a multiple of n
        assertThrowsNaming("flat", () -> mu.withFlatPoints(new double[]{1, 2, 3}));
        assertThrowsNaming("flat", () -> mu.withFlatPoints(new double[0]));
        assertThrowsNaming("points", () -> mu.withFlatPoints(new double[]{1, 2, 3, Double.NaN}));
    }

    @Test
    void meanOfAMillionParticlesEqualsSerialChunkedSumBitForBit() {
        // n = 10^6 in d = 2 exceeds the parallel threshold; ParticleMeasure sums 4096-row chunks (each chunk's
        // partial sum accumulated in row order) and adds the partial sums in chunk order, then divides by n when
        // the weights are uniform. The same arithmetic done serially here must give the same bits. (Chunks runs
        // the chunks in parallel only when the common pool has parallelism >= 2, i.e. on 3 or more cores, or with
        // -Djava.util.concurrent.ForkJoinPool.common.parallelism=N; the expected bits are the same either way.)
        int n = 1_000_000;
        int d = 2;
        int chunk = 4096;
        SplittableRandom rng = new SplittableRandom(123);
        double[] points = RandomInputs.gaussianVector(rng, n * d);
        double[] rawWeights = RandomInputs.positiveWeights(rng, n);
        for (boolean uniform : new boolean[]{true, false}) {
            ParticleMeasure mu = ParticleMeasure.fromFlat(points, d, uniform ? null : rawWeights);
            double[] w = mu.weights();
            double[] expected = new double[d];
            for (int start = 0; start < n; start += chunk) {
                double[] partial = new double[d];
                for (int i = start; i < Math.min(n, start + chunk); i++) {
                    double wi = uniform ? 1.0 : w[i];
                    for (int k = 0; k < d; k++) {
                        partial[k] += wi * points[i * d + k];
                    }
                }
                for (int k = 0; k < d; k++) {
                    expected[k] += partial[k];
                }
            }
            if (uniform) {
                for (int k = 0; k < d; k++) {
                    expected[k] /= n;
                }
            }
            assertArrayEquals(expected, mu.mean(), 0, uniform ? "uniform" : "weighted");
            // and repeated calls agree bit for bit
            assertArrayEquals(mu.mean(), mu.mean(), 0);
            assertArrayEquals(mu.covariance().data, mu.covariance().data, 0);
        }
    }

    @Test
    void accessorsReturnCopies() {
        double[] flat = {0, 1, 2, 3};
        ParticleMeasure mu = ParticleMeasure.fromFlat(flat, 2, new double[]{1, 3});
        flat[0] = 99;
        assertEquals(0, mu.coordinate(0, 0), 0, "input copied");
        mu.flatPoints()[0] = 99;
        mu.weights()[0] = 99;
        mu.point(0)[0] = 99;
        assertEquals(0, mu.coordinate(0, 0), 0);
        assertEquals(0.25, mu.weight(0), 0);
        assertArrayEquals(new double[]{1.5, 2.5}, mu.mean(), 1e-15);
    }
}
