package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.measureflow.testing.Rejections.assertRejected;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class AffineMapTest {
    private static final DMatrixRMaj A = new DMatrixRMaj(new double[][]{{1, 2}, {0, 3}, {-1, 1}});
    private static final double[] B = {0.5, -1, 2};

    @Test
    void appliesAxPlusBWithAndWithoutOffsets() {
        AffineMap t = AffineMap.of(A, B);
        double[] out = new double[3];
        t.apply(new double[]{1, -1}, out);
        // (1*1 + 2*(-1) + .5, 0 - 3 - 1, -1 - 1 + 2): small integers, exact in floating point
        assertArrayEquals(new double[]{-0.5, -4, 0}, out, 0.0);
        double[] flat = {9, 1, -1, 9};
        double[] wide = new double[5];
        t.apply(flat, 1, wide, 2);
        assertArrayEquals(new double[]{0, 0, -0.5, -4, 0}, wide, 0.0);
        assertEquals(2, t.sourceDimension());
        assertEquals(3, t.targetDimension());
    }

    @Test
    void copiesItsInputsAndOutputs() {
        DMatrixRMaj a = A.copy();
        double[] b = B.clone();
        AffineMap t = AffineMap.of(a, b);
        a.set(0, 0, 100);
        b[0] = 100;
        t.matrix().set(0, 0, 100);
        t.offset()[0] = 100;
        assertEquals(1, t.matrix().get(0, 0), 0.0);
        assertEquals(0.5, t.offset()[0], 0.0);
    }

    @Test
    void pushesAGaussianToItsExactImage() {
        AffineMap t = AffineMap.of(new DMatrixRMaj(new double[][]{{2, 0}, {1, 1}}), new double[]{1, 1});
        GaussianMeasure image = t.pushForward(GaussianMeasure.standard(2));
        // N(b, A A^T) with A A^T = [[4, 2], [2, 2]]: exact small integers
        assertArrayEquals(new double[]{1, 1}, image.mean(), 0.0);
        assertArrayEquals(new double[]{4, 2, 2, 2}, image.covariance().data, 0.0);
    }

    @Test
    void rejectsBadArgumentsByName() {
        assertRejected("offset", () -> AffineMap.of(A, new double[2]));
        assertRejected("matrix", () -> AffineMap.of(new DMatrixRMaj(new double[][]{{Double.NaN}}), new double[1]));
        assertRejected("matrix", () -> AffineMap.of(null, B));
        AffineMap t = AffineMap.of(A, B);
        assertRejected("x", () -> t.apply(new double[3], new double[3]));
        assertRejected("out", () -> t.apply(new double[2], new double[2]));
        assertRejected("mu", () -> t.pushForward(GaussianMeasure.standard(3)));
        AffineMap square = AffineMap.of(new DMatrixRMaj(new double[][]{{1, 0}, {0, 1}}), new double[2]);
        double[] x = new double[2];
        assertRejected("out", () -> square.apply(x, x));
    }
}
