package org.measureflow.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;

/** The strict CSV reader on the well-formed variants of the hostile corpus: what it accepts, it reads exactly. */
class PointCsvTest {
    private static Path file(String name) {
        return HostileInputTest.hostile(name);
    }

    @Test
    void everyDecimalSyntaxIsReadToTheSameDoubleAsJava() throws Exception {
        ParticleMeasure m = PointCsv.read(file("number-syntax-variants.csv"), false);
        // the literals of the file, parsed by Java: the reader must not lose or alter a bit
        double[] expected = {1e-3, 0.25, 0.5, 1.0, -0.25, -1.0, 1, 0.75, -2.0, 0.15, 0.125, -1};
        assertArrayEquals(expected, m.flatPoints(), 0.0);
    }

    @Test
    void lineEndingsSeparatorsQuotesAndBlanksDoNotChangeThePoints() throws Exception {
        // the three variants hold the same 12 points, written from the same doubles (x = -1.4 + ((7i) mod 12)/4)
        double[] reference = new double[24];
        for (int i = 0; i < 12; i++) {
            reference[2 * i] = ((i * 7) % 12) / 4.0 - 1.4;
            reference[2 * i + 1] = ((i * 5) % 12) / 4.0 - 1.3;
        }
        for (String variant : new String[]{"crlf-line-endings.csv", "quoted-header-with-blanks.csv",
            "tab-separated.csv"}) {
            ParticleMeasure m = PointCsv.read(file(variant), false);
            assertEquals(2, m.dimension(), variant);
            // the files hold Python's shortest repr of the same doubles, which parses back to them exactly
            assertArrayEquals(reference, m.flatPoints(), 0.0, variant);
        }
    }

    @Test
    void anUppercaseWeightHeaderHoldsTheWeights() throws Exception {
        ParticleMeasure m = PointCsv.read(file("uppercase-weight-header.csv"), false);
        assertEquals(2, m.dimension());
        assertFalse(m.isUniform());
        // weights 1, 2, 3 repeated four times: total 24, normalised
        assertEquals(1.0 / 24, m.weight(0), 1e-17);
        assertEquals(3.0 / 24, m.weight(2), 1e-17);
    }

    @Test
    void theDecimalSyntaxRejectsJavaLiteralsAndAcceptsPlainNumbers() {
        for (String bad : new String[]{"1d", "2f", "0x1p3", "0x10", "NaN", "Infinity", "-Infinity", "1e", ".", "+",
            "1_000", "1,5", " 1", "1e+", "--1", "0b1", "1L"}) {
            assertFalse(PointCsv.isDecimal(bad), bad);
        }
        for (String good : new String[]{"0", "-0", "+1", "1.", ".5", "1e9", "1E-9", "-2.5e+10", "007"}) {
            assertTrue(PointCsv.isDecimal(good), good);
        }
    }

    @Test
    void aFirstRowWithOneNumberIsDataNotAHeader() {
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> PointCsv.read(file("typo-first-row.csv"), false));
        assertTrue(e.getMessage().endsWith("typo-first-row.csv:1: '2x' is not a decimal number (column 2); numbers "
                + "are written like 12, -0.5 or 1.5e-3, and a header row holds no number"), e.getMessage());
    }
}
