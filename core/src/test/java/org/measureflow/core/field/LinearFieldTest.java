package org.measureflow.core.field;

import org.measureflow.core.measure.AffineMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;
import static org.measureflow.testing.TestMatrices.diag;
import static org.measureflow.testing.TestMatrices.frob;
import static org.measureflow.testing.TestMatrices.frobDiff;
import static org.measureflow.testing.TestMatrices.maxAbsDiff;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.testing.TestMatrices.norm;
import static org.measureflow.testing.TestMatrices.plus;
import static org.measureflow.testing.TestMatrices.relErr;
import static org.measureflow.testing.TestMatrices.rotation;
import static org.measureflow.testing.TestMatrices.scaled;
import static org.measureflow.testing.TestMatrices.transpose;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.linalg.MatrixFunctions;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class LinearFieldTest {

    /** A random field with ||A||_1 = norm. */
    private static LinearField randomField(SplittableRandom rng, int d, double norm) {
        DMatrixRMaj a = RandomInputs.gaussianMatrix(rng, d, d);
        double n1 = 0;
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += Math.abs(a.get(i, j));
            }
            n1 = Math.max(n1, s);
        }
        CommonOps_DDRM.scale(norm / n1, a);
        return LinearField.of(a, RandomInputs.gaussianVector(rng, d));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void velocityIsAffineAndHonoursOffsets(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            LinearField field = randomField(rng, d, 2);
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] expected = mult(field.a(), x);
            double[] b = field.b();
            for (int i = 0; i < d; i++) {
                expected[i] += b[i];
            }
            double[] padded = new double[d + 3];
            System.arraycopy(x, 0, padded, 3, d);
            double[] out = new double[d + 5];
            field.velocity(0.7, padded, 3, out, 5);
            double[] alone = new double[d];
            field.velocity(-2, x, alone);
            // the same d-term inner products, possibly in another order
            double tol = 4 * d * U * (norm(b) + frob(field.a()) * norm(x));
            for (int i = 0; i < d; i++) {
                assertEquals(expected[i], out[5 + i], tol);
                assertEquals(out[5 + i], alone[i], 0, "the field does not depend on t");
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void flowMapOfDiagonalFieldIsExact(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            double[] lambda = new double[d];
            for (int i = 0; i < d; i++) {
                lambda[i] = i == 0 ? 0 : rng.nextDouble(-4, 4);
            }
            double[] b = RandomInputs.gaussianVector(rng, d);
            double t = rng.nextDouble(-2, 2);
            AffineMap map = LinearField.of(diag(lambda), b).flowMap(t);
            for (int i = 0; i < d; i++) {
                // x_i(t) = e^{t l} x_i + (e^{t l} - 1)/l b_i, with the limit t b_i at l = 0
                double phi = Math.exp(t * lambda[i]);
                double psi = lambda[i] == 0 ? t : Math.expm1(t * lambda[i]) / lambda[i];
                double tol = 128 * (1 + Math.abs(t) * (1 + Math.abs(lambda[i]))) * U;
                assertEquals(phi, map.matrix().get(i, i), tol * phi);
                assertEquals(psi * b[i], map.offset()[i], tol * Math.abs(b[i]) * Math.max(Math.abs(psi), Math.abs(t) * phi));
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void flowMapOfRotationDilationIsScaledRotation(long seed) {
        Property.check(seed, rng -> {
            // A = a I + w J: exp(tA) = e^{at} R(wt) and Psi(t) b = A^{-1}(exp(tA) - I) b, A^{-1} = (a I - w J)/(a^2 + w^2)
            double a = rng.nextDouble(-1.5, 1.5);
            double w = rng.nextDouble(0.2, 6);
            double t = rng.nextDouble(-2, 2);
            DMatrixRMaj j = new DMatrixRMaj(new double[][]{{0, -1}, {1, 0}});
            DMatrixRMaj matrix = plus(scaled(a, CommonOps_DDRM.identity(2)), w, j);
            double[] b = RandomInputs.gaussianVector(rng, 2);
            AffineMap map = LinearField.of(matrix, b).flowMap(t);
            DMatrixRMaj phi = scaled(Math.exp(a * t), rotation(w * t));
            DMatrixRMaj inverse = scaled(1 / (a * a + w * w), plus(scaled(a, CommonOps_DDRM.identity(2)), -w, j));
            double[] offset = mult(mult(inverse, plus(phi, -1, CommonOps_DDRM.identity(2))), b);
            // the exponential of a normal matrix is conditioned like |t| ||A||_2 = |t| sqrt(a^2 + w^2)
            double cond = 1 + Math.abs(t) * Math.hypot(a, w);
            assertTrue(relErr(map.matrix(), phi) < 128 * cond * U, "exp(tA): " + relErr(map.matrix(), phi));
            // the reference offset divides by |A|: (Phi - I) cancels near t = 0, so compare absolutely
            double tol = 128 * cond * U * (frob(phi) + 1) * norm(b) * frob(inverse);
            assertTrue(maxAbsDiff(map.offset(), offset) < tol, "offset: " + maxAbsDiff(map.offset(), offset));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void flowMapIsASemigroupAndStartsAtTheIdentity(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            LinearField field = randomField(rng, d, rng.nextDouble(0.1, 3));
            AffineMap zero = field.flowMap(0);
            assertArrayEquals(CommonOps_DDRM.identity(d).data, zero.matrix().data, 0);
            assertArrayEquals(new double[d], zero.offset(), 0);
            double s = rng.nextDouble(-1, 1);
            double t = rng.nextDouble(-1, 1);
            AffineMap fs = field.flowMap(s);
            AffineMap ft = field.flowMap(t);
            AffineMap fst = field.flowMap(s + t);
            // Phi(s + t) = Phi(t) Phi(s) and c(s + t) = Phi(t) c(s) + c(t)
            DMatrixRMaj composed = mult(ft.matrix(), fs.matrix());
            double scale = frob(ft.matrix()) * frob(fs.matrix());
            double tol = 256 * d * 7 * U * scale; // each map has relative error ~ (1 + 2|t| ||A||) u, ||A|| <= 3
            assertTrue(frobDiff(fst.matrix(), composed) < tol, "matrix");
            double[] offset = ft.apply(fs.offset());
            assertTrue(maxAbsDiff(fst.offset(), offset) < tol * (1 + norm(fs.offset()) + norm(ft.offset())), "offset");
            // and the backward flow inverts the forward one
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] back = field.flowMap(-t).apply(ft.apply(x));
            assertTrue(maxAbsDiff(back, x) < tol * (1 + norm(x) + norm(ft.offset())), "inverse");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void gaussianFlowIsPushForwardByFlowMapAndSolvesMomentEquations(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 5);
            double normA = rng.nextDouble(0.1, 2);
            LinearField field = randomField(rng, d, normA);
            GaussianMeasure mu = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d));
            double t = rng.nextDouble(0, 1.5);
            GaussianMeasure flowed = field.flow(mu, t);
            // consistency: the same as pushing the Gaussian forward by the flow map
            AffineMap map = field.flowMap(t);
            GaussianMeasure pushed = mu.pushForward(map.matrix(), map.offset());
            assertArrayEquals(pushed.mean(), flowed.mean(), 0);
            assertArrayEquals(pushed.covariance().data, flowed.covariance().data, 0);
            // and the closed form N(Phi m + Psi b, Phi S Phi^T) of docs/closed-forms.md CF-2
            MatrixFunctions.ExpIntegral e = MatrixFunctions.expIntegral(field.a(), t);
            double[] mean = mult(e.exp(), mu.mean());
            double[] psiB = mult(e.integral(), field.b());
            for (int i = 0; i < d; i++) {
                mean[i] += psiB[i];
            }
            DMatrixRMaj cov = mult(e.exp(), mu.covariance(), transpose(e.exp()));
            assertTrue(maxAbsDiff(mean, flowed.mean()) < 64 * d * U * (1 + norm(mean)) * Math.exp(normA * t));
            assertTrue(relErr(flowed.covariance(), cov) < 64 * d * U * Math.exp(2 * normA * t));
            // the moments solve m' = A m + b and S' = A S + S A^T: central differences in t with step h have
            // truncation error h^2/6 |third derivative| <= h^2/6 ||A||^3 (||S|| or |m| + |b|) e^{2||A||(t+h)}
            // (1-norm bounds, up to a factor d) and rounding error ~ 4 u |value| / h
            double h = 1e-3;
            GaussianMeasure plus = field.flow(mu, t + h);
            GaussianMeasure minus = field.flow(mu, t - h);
            DMatrixRMaj dS = scaled(1 / (2 * h), plus(plus.covariance(), -1, minus.covariance()));
            DMatrixRMaj s = flowed.covariance();
            DMatrixRMaj rhs = plus(mult(field.a(), s), 1, mult(s, transpose(field.a())));
            double grow = Math.exp(2 * normA * (t + h));
            double tolS = d * (h * h / 6 * 8 * Math.pow(normA, 3) * frob(mu.covariance()) * grow
                    + 64 * U * frob(s) / h);
            assertTrue(frobDiff(dS, rhs) < tolS, "S' = A S + S A^T: " + frobDiff(dS, rhs) + " > " + tolS);
            double[] mp = plus.mean();
            double[] mm = minus.mean();
            double[] m = flowed.mean();
            double[] am = mult(field.a(), m);
            double[] b = field.b();
            double tolM = d * (h * h / 6 * Math.pow(normA, 2) * (normA * norm(mu.mean()) + norm(b)) * grow
                    + 64 * U * (1 + norm(m)) / h);
            for (int i = 0; i < d; i++) {
                assertEquals(am[i] + b[i], (mp[i] - mm[i]) / (2 * h), tolM, "m' = A m + b");
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void particleFlowMovesEveryParticleByTheExactAffineMap(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 5);
            LinearField field = randomField(rng, d, rng.nextDouble(0.1, 2));
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, rng.nextInt(1, 200), d);
            double t = rng.nextDouble(-1, 1);
            ParticleMeasure moved = field.flow(mu, t);
            AffineMap map = field.flowMap(t);
            assertArrayEquals(mu.weights(), moved.weights(), 0, "weights travel with the particles");
            for (int i = 0; i < mu.size(); i++) {
                assertArrayEquals(map.apply(mu.point(i)), moved.point(i), 0);
            }
            // moments of an affine image: mean -> Phi m + c, covariance -> Phi S Phi^T
            double[] mean = map.apply(mu.mean());
            DMatrixRMaj phi = map.matrix();
            DMatrixRMaj cov = mult(phi, mu.covariance(), transpose(phi));
            // reassociating sums of n terms: error ~ n u times the magnitudes (standard normal points)
            double tol = 64 * mu.size() * U * (1 + frob(phi)) * (1 + norm(map.offset()));
            assertTrue(maxAbsDiff(mean, moved.mean()) < tol, "mean");
            assertTrue(frobDiff(cov, moved.covariance()) < tol * (1 + frob(phi)) * 10, "covariance");
        });
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        assertThrowsNaming("a", () -> LinearField.of(new DMatrixRMaj(2, 3), new double[2]));
        assertThrowsNaming("a", () -> LinearField.of(new DMatrixRMaj(new double[][]{{Double.NaN}}), new double[1]));
        assertThrowsNaming("b", () -> LinearField.of(diag(1, 2), new double[3]));
        assertThrowsNaming("b", () -> LinearField.of(diag(1, 2), new double[]{0, Double.NaN}));
        assertThrowsNaming("b", () -> LinearField.of(diag(1, 2), null));
        LinearField field = LinearField.of(diag(1, 2));
        assertThrowsNaming("t", () -> field.flowMap(Double.NaN));
        assertThrowsNaming("mu", () -> field.flow(GaussianMeasure.standard(3), 1));
        assertThrowsNaming("mu", () -> field.flow(ParticleMeasure.fromFlat(new double[]{1, 2, 3}, 1), 1));
        assertThrowsNaming("a", () -> LinearField.of(diag(1000, 1)).flowMap(1));
    }

    @Test
    void componentsAreCopiedInAndOut() {
        DMatrixRMaj a = diag(1, 2);
        double[] b = {3, 4};
        LinearField field = LinearField.of(a, b);
        a.set(0, 0, 99);
        b[0] = 99;
        field.a().set(1, 1, 99);
        field.b()[1] = 99;
        assertArrayEquals(new double[]{1, 0, 0, 2}, field.a().data, 0);
        assertArrayEquals(new double[]{3, 4}, field.b(), 0);
        assertEquals(2, field.dimension());
        AffineMap map = field.flowMap(0.5);
        map.matrix().set(0, 0, 99);
        map.offset()[0] = 99;
        assertEquals(Math.exp(0.5), map.matrix().get(0, 0), 4 * Math.ulp(Math.exp(0.5)));
    }

    private static void assertThrowsNaming(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
