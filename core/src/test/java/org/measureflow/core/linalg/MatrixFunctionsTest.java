package org.measureflow.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;
import static org.measureflow.testing.TestMatrices.diag;
import static org.measureflow.testing.TestMatrices.frob;
import static org.measureflow.testing.TestMatrices.frobDiff;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.testing.TestMatrices.plus;
import static org.measureflow.testing.TestMatrices.relErr;
import static org.measureflow.testing.TestMatrices.rotation;
import static org.measureflow.testing.TestMatrices.scaled;
import static org.measureflow.testing.TestMatrices.transpose;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class MatrixFunctionsTest {

    /** A random d x d Gaussian matrix rescaled to 1-norm {@code norm}. */
    private static DMatrixRMaj randomWithNorm(SplittableRandom rng, int d, double norm) {
        DMatrixRMaj a = RandomInputs.gaussianMatrix(rng, d, d);
        CommonOps_DDRM.scale(norm / MatrixFunctions.norm1(a), a);
        return a;
    }

    /** A random stable matrix: Gaussian entries / sqrt(d) (spectral radius about 1) shifted by -2 I. */
    private static DMatrixRMaj randomStable(SplittableRandom rng, int d) {
        DMatrixRMaj a = RandomInputs.gaussianMatrix(rng, d, d);
        CommonOps_DDRM.scale(1 / Math.sqrt(d), a);
        for (int i = 0; i < d; i++) {
            a.add(i, i, -3.0); // the circular law puts the eigenvalues of G/sqrt(d) in a disc of radius ~1-2
        }
        return a;
    }

    /** Test-local Taylor series \( \sum_{k=0}^{K} A^k/k! \), summed until the terms no longer change the sum. */
    private static DMatrixRMaj taylorExp(DMatrixRMaj a) {
        int d = a.numRows;
        DMatrixRMaj sum = CommonOps_DDRM.identity(d);
        DMatrixRMaj term = CommonOps_DDRM.identity(d);
        for (int k = 1; k < 200; k++) {
            term = scaled(1.0 / k, mult(term, a));
            CommonOps_DDRM.addEquals(sum, term);
            if (frob(term) <= 1e-18 * frob(sum)) {
                break;
            }
        }
        return sum;
    }

    @Test
    void padeCoefficientsMatchTheFactorialFormula() {
        for (int m : new int[]{1, 3, 5, 7, 9, 13}) {
            double[] b = MatrixFunctions.padeCoefficients(m);
            for (int k = 0; k <= m; k++) {
                // b_k = (2m-k)! m! / ((2m)! k! (m-k)!) in exact integer arithmetic, then rounded once
                BigDecimal num = new BigDecimal(factorial(2 * m - k).multiply(factorial(m)));
                BigDecimal den = new BigDecimal(factorial(2 * m).multiply(factorial(k)).multiply(factorial(m - k)));
                double exact = num.divide(den, MathContext.DECIMAL128).doubleValue();
                // the recurrence multiplies k rounded ratios: at most ~2k ulps
                assertEquals(exact, b[k], 2 * (k + 1) * Math.ulp(exact), "m=" + m + " k=" + k);
            }
        }
        // the [1/1] approximant is (1 + x/2)/(1 - x/2)
        assertArrayEquals(new double[]{1, 0.5}, MatrixFunctions.padeCoefficients(1), 0);
    }

    private static BigInteger factorial(int n) {
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            f = f.multiply(BigInteger.valueOf(i));
        }
        return f;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expOfDiagonalIsDiagonalOfExponentials(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            double[] lambda = new double[d];
            for (int i = 0; i < d; i++) {
                lambda[i] = rng.nextDouble(-30, 30);
            }
            DMatrixRMaj e = MatrixFunctions.exp(diag(lambda));
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    if (i != j) {
                        assertEquals(0.0, e.get(i, j), 0.0, "off-diagonal stays exactly zero");
                    }
                }
                double exact = Math.exp(lambda[i]);
                // relative condition of e^x is |x|; squaring s <= 3 times and the Pade solve add a few ulps each
                double tol = 64 * (1 + Math.abs(lambda[i])) * U;
                assertEquals(exact, e.get(i, i), tol * exact, "lambda = " + lambda[i]);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(doubles = {-7.5, -1, 0.3, 1, 2.5, 9})
    void expOfNilpotentJordanBlockIsTruncatedSeries(double t) {
        // N has ones on the superdiagonal of a 4x4 matrix, N^4 = 0: exp(tN) = I + tN + t^2 N^2/2 + t^3 N^3/6
        int d = 4;
        DMatrixRMaj n = new DMatrixRMaj(d, d);
        for (int i = 0; i + 1 < d; i++) {
            n.set(i, i + 1, 1);
        }
        DMatrixRMaj e = MatrixFunctions.exp(scaled(t, n));
        double[] coefficient = {1, t, t * t / 2, t * t * t / 6};
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double exact = j >= i ? coefficient[j - i] : 0;
                // entries are polynomials in t; 1-norm <= |t| so the forward error is ~ (1+|t|)^3 ulps of the largest entry
                double tol = 64 * U * Math.pow(1 + Math.abs(t), 3);
                assertEquals(exact, e.get(i, j), tol, "entry " + i + "," + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3, -0.4, 0.01, 0.7, 2})
    void expOfShiftedJordanBlockIsScaledSeries(double t) {
        // exp(t (lambda I + N)) = e^{t lambda} (I + tN + t^2 N^2 / 2) for the 3x3 Jordan block
        double lambda = -1.3;
        DMatrixRMaj j = new DMatrixRMaj(new double[][]{{lambda, 1, 0}, {0, lambda, 1}, {0, 0, lambda}});
        DMatrixRMaj e = MatrixFunctions.exp(scaled(t, j));
        double s = Math.exp(t * lambda);
        DMatrixRMaj exact = new DMatrixRMaj(new double[][]{{s, s * t, s * t * t / 2}, {0, s, s * t}, {0, 0, s}});
        // ||tJ||_1 <= 7.9: a few squarings, each adding a few ulps times the condition (~ ||tJ||)
        assertTrue(relErr(e, exact) < 256 * (1 + Math.abs(t) * 2.3) * U, "relative error " + relErr(e, exact));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-50, -13, -Math.PI, -0.5, 0.001, 1, Math.PI / 2, 6, 25, 50})
    void expOfRotationGeneratorIsRotation(double theta) {
        DMatrixRMaj j = new DMatrixRMaj(new double[][]{{0, -1}, {1, 0}});
        DMatrixRMaj e = MatrixFunctions.exp(scaled(theta, j));
        // exp is conditioned like ||theta J||_2 = |theta| on this normal matrix; ||R||_F = sqrt 2
        double tol = 64 * (1 + Math.abs(theta)) * U;
        assertTrue(relErr(e, rotation(theta)) < tol, "theta " + theta + ": relative error " + relErr(e, rotation(theta)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expOfTwoByTwoWithKnownEigendecompositionIsExact(long seed) {
        Property.check(seed, rng -> {
            // A = P diag(l1, l2) P^{-1} with P = [[1, 1], [0, 1]], so A = [[l1, l2 - l1], [0, l2]] (non-normal)
            double l1 = rng.nextDouble(-6, 6);
            double l2 = rng.nextDouble(-6, 6);
            DMatrixRMaj a = new DMatrixRMaj(new double[][]{{l1, l2 - l1}, {0, l2}});
            DMatrixRMaj e = MatrixFunctions.exp(a);
            double e1 = Math.exp(l1);
            double e2 = Math.exp(l2);
            // P diag(e1, e2) P^{-1} = [[e1, e2 - e1], [0, e2]]
            DMatrixRMaj exact = new DMatrixRMaj(new double[][]{{e1, e2 - e1}, {0, e2}});
            // ||A||_1 <= 24: condition bounded by ~ ||A|| times the eigenvector condition (P has condition 2.6)
            double tol = 256 * (1 + MatrixFunctions.norm1(a)) * U;
            assertTrue(relErr(e, exact) < tol, "relative error " + relErr(e, exact) + " > " + tol);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expTimesExpOfNegativeIsIdentity(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 9);
            DMatrixRMaj a = randomWithNorm(rng, d, rng.nextDouble(0.001, 8));
            DMatrixRMaj e = MatrixFunctions.exp(a);
            DMatrixRMaj f = MatrixFunctions.exp(scaled(-1, a));
            double err = frobDiff(mult(e, f), CommonOps_DDRM.identity(d));
            // each factor has relative error ~ (1 + ||A||) u; the product error is bounded by that times ||e^A|| ||e^-A||
            double tol = 64 * d * (1 + MatrixFunctions.norm1(a)) * U * frob(e) * frob(f);
            assertTrue(err < tol, "error " + err + " > " + tol);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expOfSumOfTimesIsProductOfExps(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 9);
            DMatrixRMaj a = randomWithNorm(rng, d, 1);
            double s = rng.nextDouble(-4, 4);
            double t = rng.nextDouble(-4, 4);
            DMatrixRMaj lhs = MatrixFunctions.exp(scaled(s + t, a));
            DMatrixRMaj es = MatrixFunctions.exp(scaled(s, a));
            DMatrixRMaj et = MatrixFunctions.exp(scaled(t, a));
            double err = frobDiff(lhs, mult(es, et));
            // (s + t) A rounds differently from sA and tA; each exponential has relative error ~ (1 + |time|) u
            double tol = 64 * d * (1 + Math.abs(s) + Math.abs(t)) * U * frob(es) * frob(et);
            assertTrue(err < tol, "error " + err + " > " + tol);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void expOfLargeNormSymmetricMatrixMatchesSpectralFormula(long seed) {
        Property.check(seed, rng -> {
            // A = Q diag(lambda) Q^T with |lambda| up to 50, so ||A||_2 = 50 and exp(A) = Q diag(e^lambda) Q^T.
            // For a normal matrix the relative condition number of exp is ||A||_2 = 50 (Van Loan 1977), so the
            // forward error is ~50 u times a modest factor from the ~5 squarings and the d-term inner products:
            // 50 * 1.1e-16 * 64 * 3 ~ 1e-12.
            int d = rng.nextInt(2, 7);
            DMatrixRMaj q = RandomInputs.orthogonal(rng, d);
            double[] lambda = new double[d];
            double[] el = new double[d];
            for (int i = 0; i < d; i++) {
                lambda[i] = i == 0 ? 50 : rng.nextDouble(-50, 50);
                el[i] = Math.exp(lambda[i]);
            }
            DMatrixRMaj a = mult(q, diag(lambda), transpose(q));
            DMatrixRMaj exact = mult(q, diag(el), transpose(q));
            double err = relErr(MatrixFunctions.exp(a), exact);
            assertTrue(err < 1e-12, "relative error " + err);
        });
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2, -0.5, 0, 0.5, 1})
    void expOfLargeRotationDilationIsScaledRotation(double a) {
        // M = a I + w J with w = 50: exp(M) = e^a R(w), normal with ||M||_2 = sqrt(a^2 + w^2) ~ 50
        double w = 50;
        DMatrixRMaj m = new DMatrixRMaj(new double[][]{{a, -w}, {w, a}});
        DMatrixRMaj exact = scaled(Math.exp(a), rotation(w));
        double err = relErr(MatrixFunctions.exp(m), exact);
        // condition ~ ||M||_2 = 50; Math.cos/sin(50) are correctly rounded to 1 ulp
        assertTrue(err < 64 * 51 * U, "relative error " + err);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expAgreesWithTaylorSeriesOnSmallNormMatrices(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 8);
            // norms spanning the thresholds of the degrees 3, 5, 7, 9 and 13 (0.015, 0.25, 0.95, 2.1, 5.4)
            double[] norms = {0.005, 0.1, 0.6, 1.5, 3.0, 5.0};
            double norm = norms[rng.nextInt(norms.length)];
            DMatrixRMaj a = randomWithNorm(rng, d, norm);
            DMatrixRMaj expected = taylorExp(a);
            DMatrixRMaj e = MatrixFunctions.exp(a);
            // the Taylor sum's rounding error is <= (#terms + d) u sum ||A||^k/k! = ~60 u e^{||A||}; expm's own
            // forward error is ~ (1 + ||A||) u ||e^A||
            double tol = 64 * U * (Math.exp(norm) + (1 + norm) * frob(expected)) * Math.sqrt(d);
            double err = frobDiff(e, expected);
            assertTrue(err < tol, "norm " + norm + ": error " + err + " > " + tol);
        });
    }

    @Test
    void expOfZeroIsIdentityAndInputIsNotModified() {
        DMatrixRMaj zero = new DMatrixRMaj(3, 3);
        assertArrayEquals(CommonOps_DDRM.identity(3).data, MatrixFunctions.exp(zero).data, 0);
        DMatrixRMaj a = new DMatrixRMaj(new double[][]{{1, 2}, {-3, 4}});
        DMatrixRMaj copy = a.copy();
        MatrixFunctions.exp(a);
        MatrixFunctions.expIntegral(a, 0.7);
        MatrixFunctions.solveSylvester(a, a, a);
        MatrixFunctions.solveLyapunov(a, a);
        assertArrayEquals(copy.data, a.data, 0);
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.exp(new DMatrixRMaj(2, 3)));
        assertTrue(e.getMessage().startsWith("a "), e.getMessage());
        DMatrixRMaj nan = new DMatrixRMaj(new double[][]{{1, Double.NaN}, {0, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.exp(nan));
        assertTrue(e.getMessage().contains("a(0,1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.exp(diag(1000)));
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.expIntegral(diag(1), Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().startsWith("t "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.solveSylvester(diag(1, 2), diag(1), new DMatrixRMaj(2, 2)));
        assertTrue(e.getMessage().startsWith("c "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.solveLyapunov(diag(1, 2), new DMatrixRMaj(3, 3)));
        assertTrue(e.getMessage().startsWith("c "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.solveSylvester(new DMatrixRMaj(2, 1), diag(1), new DMatrixRMaj(2, 1)));
        assertTrue(e.getMessage().startsWith("a "), e.getMessage());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void sylvesterResidualIsSmallOnRandomStableMatrices(long seed) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(1, 9);
            int m = rng.nextInt(1, 9);
            DMatrixRMaj a = randomStable(rng, n);
            DMatrixRMaj b = randomStable(rng, m);
            DMatrixRMaj c = RandomInputs.gaussianMatrix(rng, n, m);
            DMatrixRMaj x = MatrixFunctions.solveSylvester(a, b, c);
            DMatrixRMaj residual = plus(mult(a, x), 1, mult(x, b));
            CommonOps_DDRM.subtractEquals(residual, c);
            // LU with partial pivoting is backward stable: ||r|| <~ nm u ||K|| ||x|| with ||K|| <= ||A|| + ||B||
            double tol = 64 * n * m * U * ((frob(a) + frob(b)) * frob(x) + frob(c));
            assertTrue(frob(residual) < tol, "residual " + frob(residual) + " > " + tol);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void lyapunovResidualIsSmallAndSolutionSymmetric(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 11);
            DMatrixRMaj a = randomStable(rng, d);
            DMatrixRMaj c = RandomInputs.spd(rng, d);
            CommonOps_DDRM.scale(-1, c);
            DMatrixRMaj x = MatrixFunctions.solveLyapunov(a, c);
            DMatrixRMaj residual = plus(mult(a, x), 1, mult(x, transpose(a)));
            CommonOps_DDRM.subtractEquals(residual, c);
            double tol = 64 * d * d * U * (2 * frob(a) * frob(x) + frob(c));
            assertTrue(frob(residual) < tol, "residual " + frob(residual) + " > " + tol);
            assertArrayEquals(x.data, transpose(x).data, 0, "symmetrised exactly");
            // stable A and C = -Q with Q SPD: X = int e^{sA} Q e^{sA^T} ds is SPD
            assertTrue(Spd.isSpd(x), "the stationary covariance is SPD");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void ornsteinUhlenbeckStationaryCovarianceOfSymmetricDriftIsInverse(long seed) {
        Property.check(seed, rng -> {
            // docs/closed-forms.md CF-3: B S + S B^T = 2 I has S = B^{-1} for symmetric B; in Lyapunov form A = -B, C = -2I
            int d = rng.nextInt(1, 21);
            DMatrixRMaj b = RandomInputs.spd(rng, d, 100, 1);
            DMatrixRMaj c = CommonOps_DDRM.identity(d);
            CommonOps_DDRM.scale(2, c);
            DMatrixRMaj s = MatrixFunctions.solveLyapunov(b, c);
            DMatrixRMaj inverse = b.copy();
            CommonOps_DDRM.invert(inverse);
            // relative error <= cond(Kronecker system) * d^2 u; cond <= cond(B) = 100
            double tol = 100 * 64 * d * d * U;
            assertTrue(relErr(s, inverse) < tol, "relative error " + relErr(s, inverse) + " > " + tol);
        });
    }

    @Test
    void singularSylvesterAndLyapunovEquationsThrow() {
        // A has eigenvalue 1 and -B has eigenvalue 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.solveSylvester(diag(1, 2), diag(-1, 3), diag(1, 1)));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
        // a non-diagonal pair with a shared eigenvalue: A = S diag(2, 5) S^-1, B = -T diag(5, 7) T^-1
        DMatrixRMaj a = new DMatrixRMaj(new double[][]{{2, 3}, {0, 5}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][]{{-5, 0}, {1, -7}});
        assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.solveSylvester(a, b, diag(1, 1)));
        // rotation generator: eigenvalues +-i, so A and -A share them
        DMatrixRMaj j = new DMatrixRMaj(new double[][]{{0, -1}, {1, 0}});
        e = assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.solveLyapunov(j, diag(1, 1)));
        assertTrue(e.getMessage().startsWith("a"), e.getMessage());
        // zero eigenvalue
        assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.solveLyapunov(diag(0, -1), diag(1, 1)));
    }

    @Test
    void badlyScaledButNonsingularLyapunovEquationIsSolved() {
        // A = -diag(1e-8, 1e8): A X + X A^T = C has X_ij = -C_ij / (1e-8 or 1e8 sums), exactly representable scales
        double[] lambda = {1e-8, 1e8};
        DMatrixRMaj a = diag(-lambda[0], -lambda[1]);
        DMatrixRMaj c = new DMatrixRMaj(new double[][]{{1, 2}, {2, 3}});
        DMatrixRMaj x = MatrixFunctions.solveLyapunov(a, c);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double exact = -c.get(i, j) / (lambda[i] + lambda[j]);
                // one division per entry after row equilibration: a few ulps
                assertEquals(exact, x.get(i, j), 8 * Math.ulp(exact), "entry " + i + j);
            }
        }
    }

    @Test
    void lyapunovOfTwentyDimensionalSystemIsFast() {
        // O(d^6) = 6.4e7 flops at d = 20: well under a second
        SplittableRandom rng = new SplittableRandom(20);
        DMatrixRMaj a = randomStable(rng, 20);
        DMatrixRMaj c = scaled(-1, RandomInputs.spd(rng, 20));
        long start = System.nanoTime();
        DMatrixRMaj x = MatrixFunctions.solveLyapunov(a, c);
        double seconds = (System.nanoTime() - start) * 1e-9;
        DMatrixRMaj residual = plus(mult(a, x), 1, mult(x, transpose(a)));
        CommonOps_DDRM.subtractEquals(residual, c);
        assertTrue(frob(residual) < 64 * 400 * U * (2 * frob(a) * frob(x) + frob(c)), "residual " + frob(residual));
        assertTrue(seconds < 5, "took " + seconds + " s");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expIntegralOfDiagonalMatrixIsScalarFormula(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            double[] lambda = new double[d];
            for (int i = 0; i < d; i++) {
                lambda[i] = i == 0 ? 0 : rng.nextDouble(-5, 5); // include a zero eigenvalue: Psi = t there
            }
            double t = rng.nextDouble(-3, 3);
            MatrixFunctions.ExpIntegral e = MatrixFunctions.expIntegral(diag(lambda), t);
            for (int i = 0; i < d; i++) {
                double phi = Math.exp(t * lambda[i]);
                double psi = lambda[i] == 0 ? t : Math.expm1(t * lambda[i]) / lambda[i];
                // condition ~ ||tA|| of the 2d x 2d block, a few squarings
                double tol = 128 * (1 + Math.abs(t) * (1 + Math.abs(lambda[i]))) * U;
                assertEquals(phi, e.exp().get(i, i), tol * phi, "Phi");
                assertEquals(psi, e.integral().get(i, i), tol * Math.max(Math.abs(psi), Math.abs(t) * phi), "Psi");
                for (int j = 0; j < d; j++) {
                    if (i != j) {
                        assertEquals(0, e.exp().get(i, j), 0);
                        assertEquals(0, e.integral().get(i, j), 0);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void expIntegralMatchesQuadratureAndSatisfiesItsDefiningIdentity(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            DMatrixRMaj a = randomWithNorm(rng, d, rng.nextDouble(0.1, 3));
            double t = rng.nextDouble(-1.5, 1.5);
            MatrixFunctions.ExpIntegral e = MatrixFunctions.expIntegral(a, t);
            // Phi is exp(tA)
            DMatrixRMaj direct = MatrixFunctions.exp(scaled(t, a));
            assertTrue(frobDiff(e.exp(), direct) < 256 * d * (1 + 3 * Math.abs(t)) * U * frob(direct), "Phi");
            // A Psi = Phi - I holds for every A (differentiate under the integral)
            DMatrixRMaj lhs = mult(a, e.integral());
            DMatrixRMaj rhs = plus(e.exp(), -1, CommonOps_DDRM.identity(d));
            double scale = frob(a) * frob(e.integral()) + frob(e.exp()) + 1;
            assertTrue(frobDiff(lhs, rhs) < 256 * d * (1 + 3 * Math.abs(t)) * U * scale, "A Psi = Phi - I");
            // composite Simpson rule with K intervals: error <= |t| h^4 max||A^4 e^{sA}|| / 180, h = |t|/K
            int k = 64;
            DMatrixRMaj simpson = new DMatrixRMaj(d, d);
            for (int i = 0; i <= k; i++) {
                double w = (i == 0 || i == k) ? 1 : (i % 2 == 1 ? 4 : 2);
                CommonOps_DDRM.addEquals(simpson, w * t / (3 * k), MatrixFunctions.exp(scaled(t * i / k, a)));
            }
            double normA = MatrixFunctions.norm1(a);
            double h = Math.abs(t) / k;
            double bound = Math.abs(t) * Math.pow(h, 4) * Math.pow(normA, 4) * Math.exp(normA * Math.abs(t)) / 180
                    * Math.sqrt(d);
            double err = frobDiff(e.integral(), simpson);
            assertTrue(err < bound + 1e-13 * frob(simpson), "Simpson error " + err + " > " + bound);
        });
    }
}
