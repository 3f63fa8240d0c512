package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;

/** {@link KernelExp} against {@link Math#exp}: its documented bound over the whole range, and the special values. */
class KernelExpTest {

    /**
     * The documented bound, as seen through {@link Math#exp} (itself within one ulp of \( e^x \)): relative
     * {@link KernelExp#RELATIVE_ERROR} plus that ulp, and half the smallest subnormal more for a subnormal result.
     */
    private static void assertClose(double x) {
        double e = Math.exp(x);
        double tol = KernelExp.RELATIVE_ERROR * e + Math.ulp(e) + (e < Double.MIN_NORMAL ? Double.MIN_VALUE / 2 : 0);
        double f = KernelExp.exp(x);
        assertTrue(Math.abs(f - e) <= tol, "exp(" + x + ") = " + f + ", Math.exp gives " + e);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void agreesWithMathExpToItsBoundOverTheWholeRange(long seed) {
        Property.check(seed, rng -> {
            for (int s = 0; s < 4000; s++) {
                assertClose(-745 + 1454.78 * rng.nextDouble()); // the whole range of finite non-zero results
                assertClose(2 * rng.nextDouble() - 1); // near 0, where the kernels' exponents live
                assertClose((rng.nextBoolean() ? 1 : -1) * Math.pow(10, -300 * rng.nextDouble())); // tiny |x|
                assertClose(-745.2 + 40 * rng.nextDouble()); // the underflow edge: subnormal and smallest normal results
                assertClose(709.78 - rng.nextDouble()); // the overflow edge
                double k = Math.rint(-1070 + 2094 * rng.nextDouble()); // the range-reduction boundaries (k + 1/2) ln 2
                assertClose(Math.min(709.78, (k + 0.5) * Math.log(2) + (rng.nextDouble() - 0.5) * 1e-9));
            }
        });
    }

    @Test
    void specialValuesAreThoseOfMathExp() {
        assertEquals(0.0, KernelExp.exp(Double.NEGATIVE_INFINITY)); // log-weight of an atom of weight zero
        assertEquals(Double.POSITIVE_INFINITY, KernelExp.exp(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(KernelExp.exp(Double.NaN)));
        assertEquals(1.0, KernelExp.exp(0.0));
        assertEquals(1.0, KernelExp.exp(-0.0));
        for (double x : new double[] {-745.2, -800, -1e4, -Double.MAX_VALUE}) {
            assertEquals(0.0, KernelExp.exp(x), "below the smallest subnormal: " + x);
        }
        for (double x : new double[] {709.79, 710, 1e4, Double.MAX_VALUE}) {
            assertEquals(Double.POSITIVE_INFINITY, KernelExp.exp(x), "beyond Double.MAX_VALUE: " + x);
        }
        assertEquals(Double.MIN_VALUE, KernelExp.exp(-745.0)); // e^-745 = 4.94e-324 rounds to the smallest subnormal
        assertEquals(Math.exp(709.78), KernelExp.exp(709.78), KernelExp.RELATIVE_ERROR * Math.exp(709.78));
    }

    @Test
    void blockStagesGiveTheBitsOfTheScalarForm() {
        SplittableRandom rng = new SplittableRandom(16);
        int len = 1500;
        double[] x = new double[len];
        for (int j = 0; j < len; j++) {
            x[j] = -800 + 1600 * rng.nextDouble();
        }
        x[3] = Double.NEGATIVE_INFINITY;
        x[4] = Double.NaN;
        x[5] = Double.POSITIVE_INFINITY;
        x[6] = -744.9;
        double[] p = x.clone();
        double[] t = new double[len];
        KernelExp.reduce(p, t, 2, len - 1);
        double[] e = p.clone();
        KernelExp.scale(e, t, 2, len - 1);
        double expected = 0.25;
        for (int j = 2; j < len - 1; j++) {
            assertEquals(Double.doubleToRawLongBits(KernelExp.exp(x[j])), Double.doubleToRawLongBits(e[j]), "" + j);
            if (j != 4 && j != 5) {
                expected += KernelExp.exp(x[j]);
            }
        }
        assertEquals(x[0], e[0], 0.0, "outside [from, to) untouched");
        assertEquals(x[len - 1], e[len - 1], 0.0, "outside [from, to) untouched");
        // sum over the finite entries (the NaN at 4 and the infinity at 5 left out), from the accumulator 0.25
        double[] q = x.clone();
        KernelExp.reduce(q, t, 0, len);
        double s = KernelExp.sum(0.25, q, t, 2, 4);
        s = KernelExp.sum(s, q, t, 6, len - 1);
        assertEquals(expected, s, 0.0, "the same terms in the same order");
    }
}
