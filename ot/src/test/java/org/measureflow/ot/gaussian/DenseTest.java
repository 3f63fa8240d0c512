package org.measureflow.ot.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.linalg.Spd;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DenseTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void symmetricEigenvaluesMatchTheReferenceDecomposition(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 41);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(0, 8)), 1.0);
            double[] ours = Dense.symmetricEigenvalues(s.data.clone(), d);
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
        double[] values = Dense.symmetricEigenvalues(diag, 3);
        Arrays.sort(values);
        assertTrue(Arrays.equals(new double[]{1, 2, 3}, values), Arrays.toString(values));
        // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2
        double[] tri = {2, 1, 0, 1, 2, 1, 0, 1, 2};
        double[] t = Dense.symmetricEigenvalues(tri, 3);
        Arrays.sort(t);
        assertEquals(2 - Math.sqrt(2), t[0], 1e-15); // rounding of a 3x3 problem
        assertEquals(2, t[1], 1e-15);
        assertEquals(2 + Math.sqrt(2), t[2], 1e-15);
    }
}
