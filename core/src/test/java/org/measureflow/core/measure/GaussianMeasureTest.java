package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;
import static org.measureflow.testing.TestMatrices.frob;
import static org.measureflow.testing.TestMatrices.frobDiff;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.testing.TestMatrices.transpose;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class GaussianMeasureTest {

    private static GaussianMeasure randomGaussian(SplittableRandom rng, int d) {
        return GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d, 10, 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void sampleMomentsMatchWithinFiveStandardErrors(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            GaussianMeasure g = randomGaussian(rng, d);
            int n = 200_000;
            ParticleMeasure sample = g.sample(n, rng);
            double[] m = g.mean();
            DMatrixRMaj s = g.covariance();
            double[] mHat = sample.mean();
            DMatrixRMaj sHat = sample.covariance();
            for (int k = 0; k < d; k++) {
                // standard error of a sample mean: sqrt(S_kk / n)
                double se = Math.sqrt(s.get(k, k) / n);
                assertEquals(m[k], mHat[k], 5 * se, "mean " + k);
            }
            for (int k = 0; k < d; k++) {
                for (int l = 0; l < d; l++) {
                    // Var of x_k x_l for a Gaussian: S_kk S_ll + S_kl^2 (Isserlis); the 1/n bias S_kl/n is negligible
                    double se = Math.sqrt((s.get(k, k) * s.get(l, l) + s.get(k, l) * s.get(k, l)) / n);
                    assertEquals(s.get(k, l), sHat.get(k, l), 5 * se + Math.abs(s.get(k, l)) / n, "cov " + k + l);
                }
            }
        });
    }

    @Test
    void sameSeedGivesSameSamples() {
        GaussianMeasure g = randomGaussian(new SplittableRandom(5), 3);
        double[] first = g.sample(1000, new SplittableRandom(42)).flatPoints();
        double[] second = g.sample(1000, new SplittableRandom(42)).flatPoints();
        double[] other = g.sample(1000, new SplittableRandom(43)).flatPoints();
        assertArrayEquals(first, second, 0);
        assertTrue(Math.abs(first[0] - other[0]) > 0, "a different seed gives different samples");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void logDensityEqualsExplicitFormula(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            GaussianMeasure g = randomGaussian(rng, d);
            double[] x = RandomInputs.gaussianVector(rng, d);
            DMatrixRMaj s = g.covariance();
            DMatrixRMaj inv = s.copy();
            assertTrue(CommonOps_DDRM.invert(inv));
            double det = CommonOps_DDRM.det(s);
            double[] m = g.mean();
            double q = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    q += (x[a] - m[a]) * inv.get(a, b) * (x[b] - m[b]);
                }
            }
            double expected = -0.5 * (q + d * Math.log(2 * Math.PI) + Math.log(det));
            // condition number 10: the quadratic form and log det are each accurate to ~10 d u relative
            assertEquals(expected, g.logDensity(x), 1e-12 * (1 + Math.abs(expected)));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void scoreEqualsCentralDifferenceGradientOfLogDensity(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            GaussianMeasure g = randomGaussian(rng, d);
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] score = new double[d];
            g.score(x, score);
            double h = 1e-4;
            double value = Math.abs(g.logDensity(x));
            for (int k = 0; k < d; k++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[k] += h;
                xm[k] -= h;
                double fd = (g.logDensity(xp) - g.logDensity(xm)) / (2 * h);
                // truncation error h^2/6 |f'''| is 0 (log rho is quadratic); rounding ~ 4 u |log rho| / h
                double tol = h * h + 64 * U * (1 + value) / h;
                assertEquals(fd, score[k], tol, "coordinate " + k);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void pushForwardByAffineMapIsExact(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            int dOut = rng.nextInt(1, d + 1); // full row rank with probability 1
            GaussianMeasure g = randomGaussian(rng, d);
            DMatrixRMaj a = RandomInputs.gaussianMatrix(rng, dOut, d);
            double[] b = RandomInputs.gaussianVector(rng, dOut);
            GaussianMeasure image = g.pushForward(a, b);
            double[] expectedMean = mult(a, g.mean());
            for (int i = 0; i < dOut; i++) {
                expectedMean[i] += b[i];
            }
            DMatrixRMaj expectedCov = mult(a, g.covariance(), transpose(a));
            // both are a few inner products of length d: error ~ d u times the magnitudes involved
            double magnitude = org.measureflow.testing.TestMatrices.norm(b) + frob(a) * org.measureflow.testing.TestMatrices.norm(g.mean());
            assertArrayEquals(expectedMean, image.mean(), 16 * d * U * magnitude);
            assertTrue(frobDiff(expectedCov, image.covariance()) < 16 * d * U * frob(a) * frob(a) * frob(g.covariance()));
            assertEquals(dOut, image.dimension());
        });
    }

    @Test
    void rankDeficientPushForwardThrows() {
        GaussianMeasure g = GaussianMeasure.standard(2);
        DMatrixRMaj rank1 = new DMatrixRMaj(new double[][]{{1, 2}, {2, 4}});
        assertThrowsNaming("a", () -> g.pushForward(rank1, new double[2]));
        assertThrowsNaming("b", () -> g.pushForward(CommonOps_DDRM.identity(2), new double[3]));
        assertThrowsNaming("a", () -> g.pushForward(new DMatrixRMaj(2, 3), new double[2]));
    }

    @Test
    void invalidCovarianceOrMeanThrowsNamingTheArgument() {
        double[] m = {0, 0};
        assertThrowsNaming("covariance", () -> GaussianMeasure.of(m, new DMatrixRMaj(new double[][]{{1, 0.5}, {0, 1}})));
        assertThrowsNaming("covariance", () -> GaussianMeasure.of(m, new DMatrixRMaj(new double[][]{{1, 2}, {2, 1}})));
        assertThrowsNaming("covariance", () -> GaussianMeasure.of(m, new DMatrixRMaj(new double[][]{{0, 0}, {0, 1}})));
        assertThrowsNaming("covariance", () -> GaussianMeasure.of(m, CommonOps_DDRM.identity(3)));
        assertThrowsNaming("covariance", () -> GaussianMeasure.of(m,
                new DMatrixRMaj(new double[][]{{1, Double.NaN}, {Double.NaN, 1}})));
        assertThrowsNaming("mean", () -> GaussianMeasure.of(new double[]{0, Double.NaN}, CommonOps_DDRM.identity(2)));
        assertThrowsNaming("mean", () -> GaussianMeasure.of(new double[0], new DMatrixRMaj(0, 0)));
        assertThrowsNaming("sd", () -> GaussianMeasure.of1d(0, 0));
        GaussianMeasure g = GaussianMeasure.standard(2);
        assertThrowsNaming("x", () -> g.logDensity(new double[3]));
        assertThrowsNaming("n", () -> g.sample(0, new SplittableRandom(1)));
    }

    @Test
    void accessorsReturnCopiesAndInputsAreCopied() {
        double[] m = {1, 2};
        DMatrixRMaj s = new DMatrixRMaj(new double[][]{{2, 0.5}, {0.5, 1}});
        GaussianMeasure g = GaussianMeasure.of(m, s);
        m[0] = 99;
        s.set(0, 0, 99);
        g.mean()[1] = 99;
        g.covariance().set(1, 1, 99);
        assertArrayEquals(new double[]{1, 2}, g.mean(), 0);
        assertArrayEquals(new double[]{2, 0.5, 0.5, 1}, g.covariance().data, 0);
        // log det [[2, .5], [.5, 1]] = log 1.75
        assertEquals(Math.log(1.75), g.logDeterminant(), 4 * U);
    }

    private static void assertThrowsNaming(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
