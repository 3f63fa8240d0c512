package org.measureflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The pieces of the one-line summaries: exact scalars, short errors, arrays and matrices by value or truncated. */
class TextSummaryTest {
    @Test
    void scalarsKeepEveryDigitAndErrorsThree() {
        assertEquals(0.1 + 0.2, Double.parseDouble(TextSummary.number(0.1 + 0.2)), 0, "round trip");
        assertEquals("4.1e-10", TextSummary.brief(4.1e-10));
        assertEquals("0.00132", TextSummary.brief(0.0013245));
        assertEquals("17.5", TextSummary.brief(17.5));
        assertEquals("0", TextSummary.brief(0));
        assertEquals("NaN", TextSummary.brief(Double.NaN));
        assertEquals("1e+09", TextSummary.brief(1e9));
        assertEquals("-0.333333", TextSummary.entry(-1.0 / 3));
    }

    @Test
    void smallArraysShowEveryEntryAndLargeOnesTheirEnds() {
        assertEquals("[1, -2, 0.5]", TextSummary.array(new double[] {1, -2, 0.5}));
        double[] big = new double[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i;
        }
        assertEquals("[0, 1, 2, ..., 998, 999] (1000 entries)", TextSummary.array(big));
        assertEquals("[3, 4]", TextSummary.array(new int[] {3, 4}));
        assertEquals("null", TextSummary.array((double[]) null));
    }

    @Test
    void smallMatricesShowEveryEntryAndLargeOnesTheirShape() {
        assertEquals("[[1, 0], [0, 1]]", TextSummary.matrix(new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}})));
        String large = TextSummary.matrix(new double[50], 10, 5);
        assertTrue(large.startsWith("10x5 [[0, 0, 0, ...], [0, 0, 0, ...], ...]"), large);
    }
}
