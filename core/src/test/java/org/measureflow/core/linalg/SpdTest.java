package org.measureflow.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;
import static org.measureflow.testing.TestMatrices.frobDiff;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.testing.TestMatrices.relErr;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Seeds;

class SpdTest {

    /** (seed, d) pairs: the few seeds crossed with the dimensions 1, 2, 5, 20, 50. */
    static Stream<Arguments> seedsAndDimensions() {
        return Seeds.few().boxed().flatMap(seed -> LongStream.of(1, 2, 5, 20, 50)
                .mapToObj(d -> Arguments.of(seed, (int) d)));
    }

    @ParameterizedTest(name = "seed {0}, d = {1}")
    @MethodSource("seedsAndDimensions")
    void squareRootSquaredIsTheMatrix(long seed, int d) {
        Property.check(seed, rng -> {
            double condition = Math.pow(10, rng.nextDouble(0, 6)); // condition number up to 1e6
            DMatrixRMaj s = RandomInputs.spd(rng, d, condition, rng.nextDouble(0.01, 100));
            DMatrixRMaj root = Spd.sqrt(s);
            assertTrue(Spd.isSpd(root), "the square root is SPD");
            // backward stable eigensolver: ||R^2 - S|| <~ d u ||S||, independent of the condition number
            double err = relErr(mult(root, root), s);
            assertTrue(err < 1e-10, "relative error " + err);
        });
    }

    @ParameterizedTest(name = "seed {0}, d = {1}")
    @MethodSource("seedsAndDimensions")
    void inverseSquareRootWhitensTheMatrix(long seed, int d) {
        Property.check(seed, rng -> {
            double condition = Math.pow(10, rng.nextDouble(0, 6));
            DMatrixRMaj s = RandomInputs.spd(rng, d, condition, rng.nextDouble(0.01, 100));
            DMatrixRMaj w = Spd.invSqrt(s);
            DMatrixRMaj identity = CommonOps_DDRM.identity(d);
            // eigenvector errors of size d u are amplified by the spread of the eigenvalues: error ~ cond * d u
            double err = frobDiff(mult(w, s, w), identity) / Math.sqrt(d);
            double tol = 64 * condition * d * U;
            assertTrue(err < tol, "error " + err + " > " + tol + " at condition " + condition);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void geometricMeanSolvesRiccatiEquation(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 9);
            DMatrixRMaj a = RandomInputs.spd(rng, d, 100, 1);
            DMatrixRMaj b = RandomInputs.spd(rng, d, 100, 2);
            DMatrixRMaj x = Spd.geometricMean(a, b);
            assertTrue(Spd.isSpd(x));
            DMatrixRMaj aInv = a.copy();
            CommonOps_DDRM.invert(aInv);
            // X A^{-1} X = B; errors scale with cond(A) cond(B) = 1e4 times d u
            double err = relErr(mult(x, aInv, x), b);
            assertTrue(err < 64 * 1e4 * d * U, "relative error " + err);
            // symmetric in its arguments: A # B = B # A
            assertTrue(relErr(Spd.geometricMean(b, a), x) < 64 * 1e4 * d * U);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void logDetEqualsSumOfLogsOfSquaredCholeskyDiagonal(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 30);
            double condition = Math.pow(10, rng.nextDouble(0, 6));
            DMatrixRMaj s = RandomInputs.spd(rng, d, condition, rng.nextDouble(0.1, 10));
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
            assertTrue(chol.decompose(s.copy()));
            DMatrixRMaj l = chol.getT(null);
            double expected = 0;
            double magnitude = 0;
            for (int i = 0; i < d; i++) {
                double li = l.get(i, i);
                expected += Math.log(li * li);
                magnitude += Math.abs(Math.log(li * li));
            }
            // eigenvalues have absolute error ~ d u ||S||, i.e. relative error <= d u cond on each of the d logs;
            // the d logs are summed with rounding u * sum |log|
            double tol = 64 * d * U * (magnitude + d * condition);
            assertEquals(expected, Spd.logDet(s), tol);
        });
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        DMatrixRMaj nonSymmetric = new DMatrixRMaj(new double[][]{{2, 1}, {0, 2}});
        DMatrixRMaj indefinite = new DMatrixRMaj(new double[][]{{1, 2}, {2, 1}});
        DMatrixRMaj nan = new DMatrixRMaj(new double[][]{{1, Double.NaN}, {Double.NaN, 1}});
        DMatrixRMaj rectangular = new DMatrixRMaj(2, 3);
        DMatrixRMaj good = CommonOps_DDRM.identity(2);
        for (DMatrixRMaj bad : new DMatrixRMaj[]{nonSymmetric, indefinite, nan, rectangular}) {
            assertThrowsNaming("s", () -> Spd.sqrt(bad));
            assertThrowsNaming("s", () -> Spd.invSqrt(bad));
            assertThrowsNaming("s", () -> Spd.logDet(bad));
            assertThrowsNaming("covariance", () -> org.measureflow.core.Arguments.spd("covariance", bad));
            assertFalse(Spd.isSpd(bad));
            if (bad != rectangular) {
                assertThrowsNaming("a", () -> Spd.geometricMean(bad, good));
                assertThrowsNaming("b", () -> Spd.geometricMean(good, bad));
            }
        }
        assertThrowsNaming("s", () -> Spd.sqrt(null));
    }

    @Test
    void inputsAreNotModified() {
        DMatrixRMaj s = new DMatrixRMaj(new double[][]{{4, 1}, {1, 3}});
        DMatrixRMaj copy = s.copy();
        Spd.sqrt(s);
        Spd.invSqrt(s);
        Spd.inverse(s);
        Spd.logDet(s);
        Spd.geometricMean(s, s);
        assertArrayEquals(copy.data, s.data, 0);
    }

    private static void assertThrowsNaming(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
