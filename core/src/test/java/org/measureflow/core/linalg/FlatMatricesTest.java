package org.measureflow.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FlatMatricesTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void symmetricEigenvaluesMatchTheReferenceDecomposition(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 41);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(0, 8)), 1.0);
            double[] ours = FlatMatrices.symmetricEigenvalues(s.data.clone(), d);
            Arrays.sort(ours);
            double[] reference = Spd.eigenvalues(s);
            double norm = reference[d - 1];
            for (int i = 0; i < d; i++) {
                // both are backward stable: absolute error a few d * u * ||S||
                assertEquals(reference[i], ours[i], 1e-13 * d * norm, "eigenvalue " + i);
            }
        });
    }

    @Test
    void symmetricEigenvaluesOfAlreadyTridiagonalAndDiagonalMatrices() {
        double[] diag = {3, 0, 0, 0, 1, 0, 0, 0, 2};
        double[] values = FlatMatrices.symmetricEigenvalues(diag, 3);
        Arrays.sort(values);
        assertTrue(Arrays.equals(new double[]{1, 2, 3}, values), Arrays.toString(values));
        // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2
        double[] tri = {2, 1, 0, 1, 2, 1, 0, 1, 2};
        double[] t = FlatMatrices.symmetricEigenvalues(tri, 3);
        Arrays.sort(t);
        assertEquals(2 - Math.sqrt(2), t[0], 1e-15); // rounding of a 3x3 problem
        assertEquals(2, t[1], 1e-15);
        assertEquals(2 + Math.sqrt(2), t[2], 1e-15);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void choleskySolveAndLogDeterminantMatchTheReference(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 13);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(0, 4)), 1.0);
            double[] factor = new double[3 + d * d];
            System.arraycopy(s.data, 0, factor, 3, d * d);
            FlatMatrices.cholesky(factor, 3, d);
            double[] x = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = rng.nextGaussian();
            }
            double[] b = new double[1 + d];
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    b[1 + i] += s.get(i, k) * x[k];
                }
            }
            FlatMatrices.choleskySolve(factor, 3, d, b, 1);
            double cond = Math.pow(10, 4);
            for (int i = 0; i < d; i++) {
                // a backward-stable solve: relative error about cond(S) * d * u
                assertEquals(x[i], b[1 + i], 1e-12 * cond * d * Math.max(1, Math.abs(x[i])), "x[" + i + "]");
            }
            assertEquals(Spd.logDet(s), FlatMatrices.choleskyLogDet(factor, 3, d), 1e-11 * d * Math.max(1,
                    Math.abs(Spd.logDet(s))));
        });
    }
}
