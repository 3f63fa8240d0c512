package org.measureflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Every rule of {@link Arguments}: the value passes through when it holds, and the message names the argument. */
class ArgumentsTest {
    @Test
    void scalarRulesReturnTheValueOrNameTheArgument() {
        assertEquals(2.5, Arguments.positive("x", 2.5));
        assertRejected("x", () -> Arguments.positive("x", 0.0));
        assertRejected("x", () -> Arguments.positive("x", Double.POSITIVE_INFINITY));
        assertRejected("n", () -> Arguments.positive("n", 0L));
        assertEquals(0L, Arguments.nonNegative("n", 0L));
        assertRejected("n", () -> Arguments.nonNegative("n", -1));
        assertEquals(3, Arguments.atLeast("k", 3, 3));
        assertRejected("k", () -> Arguments.atLeast("k", 2, 3));
        assertRejected("k", () -> Arguments.atLeast("k", 2L, 3L));
        assertRejected("t", () -> Arguments.atLeast("t", Double.NaN, 0.0));
        assertRejected("k", () -> Arguments.atMost("k", 4, 3));
        assertRejected("t", () -> Arguments.atMost("t", Double.NEGATIVE_INFINITY, 0.0));
        assertEquals(1.0, Arguments.inRange("p", 1.0, 0, 1));
        assertRejected("p", () -> Arguments.inRange("p", Double.NaN, 0, 1));
        assertRejected("q", () -> Arguments.inOpenRange("q", 1.0, 0, 1));
        assertRejected("q", () -> Arguments.inRange("q", 5, 0, 4));
        assertEquals(0, Arguments.index("i", 0, 1));
        assertRejected("i", () -> Arguments.index("i", 1, 1));
        assertRejected("i", () -> Arguments.index("i", -1, 1));
    }

    @Test
    void arrayAndCollectionRulesNameTheOffendingEntry() {
        double[] ok = {1, 2};
        assertSame(ok, Arguments.finite("v", ok));
        IllegalArgumentException e = assertRejected("v[1]", () -> Arguments.finite("v", new double[] {0, Double.NaN}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertRejected("w[0]", () -> Arguments.nonNegative("w", new double[] {-1}));
        assertRejected("w[0]", () -> Arguments.positive("w", new double[] {0}));
        assertRejected("v", () -> Arguments.nonEmpty("v", new double[0]));
        assertRejected("list", () -> Arguments.nonEmpty("list", List.of()));
        assertRejected("names[1]", () -> Arguments.noNulls("names", new String[] {"a", null}));
        assertRejected("y", () -> Arguments.sameDimension("y", 3, 2, "x"));
        assertEquals(2, Arguments.sameDimension("y", 2, 2, "x"));
    }

    @Test
    void probabilityVectorsSumToOneWithinTheStatedTolerance() {
        double[] p = {0.25, 0.75};
        assertSame(p, Arguments.probabilityVector("a", p, 2));
        // 1 + 5e-10 is inside the 1e-9 tolerance; 1 + 2e-9 is not
        Arguments.probabilityVector("a", new double[] {0.5, 0.5 + 5e-10}, 2);
        assertRejected("a", () -> Arguments.probabilityVector("a", new double[] {0.5, 0.5 + 2e-9}, 2));
        assertRejected("a", () -> Arguments.probabilityVector("a", p, 3));
        assertRejected("a[1]", () -> Arguments.probabilityVector("a", new double[] {1.5, -0.5}, 2));
        assertEquals(3.0, Arguments.weights("w", new double[] {1, 2}));
        assertRejected("w", () -> Arguments.weights("w", new double[] {0, 0}));
        assertRejected("w", () -> Arguments.weights("w", new double[] {1e308, 1e308}));
    }

    @Test
    void matrixRulesCheckShapeSymmetryAndDefiniteness() {
        DMatrixRMaj spd = new DMatrixRMaj(new double[][] {{2, 1}, {1, 2}});
        assertSame(spd, Arguments.spd("s", spd));
        assertRejected("s", () -> Arguments.spd("s", new DMatrixRMaj(new double[][] {{1, 2}, {2, 1}})));
        assertRejected("s", () -> Arguments.symmetric("s", new DMatrixRMaj(new double[][] {{1, 2}, {0, 1}})));
        assertRejected("s", () -> Arguments.square("s", new DMatrixRMaj(2, 3)));
        assertRejected("s", () -> Arguments.shape("s", spd, 3, 3));
        assertRejected("s(1,0)", () -> Arguments.finite("s", new DMatrixRMaj(new double[][] {{1, 0}, {Double.NaN, 1}})));
        double[] before = spd.data.clone();
        Arguments.spd("s", spd);
        assertEquals(before[1], spd.data[1], 0, "the matrix is not modified");
    }

    @Test
    void sizeProductsThatOverflowAnArrayAreRejectedWithTheirFactors() {
        assertEquals(12, Arguments.product("n * m", 3, 4));
        IllegalArgumentException e = assertRejected("n * m", () -> Arguments.product("n * m", 65536, 65537));
        assertTrue(e.getMessage().contains("65536 * 65537"), e.getMessage());
        assertRejected("n * m factor 1", () -> Arguments.product("n * m", 2, -1));
    }
}
