package org.measureflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.ParticleMeasure;

/** The strict text rules: what is read, and every malformed file refused with its line. */
class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path bytes(byte[] content) throws IOException {
        Path p = dir.resolve("data.csv");
        Files.write(p, content);
        return p;
    }

    /** Reads {@code text} as points and expects a one-line error on {@code line} containing {@code fragment}. */
    private DataFileException refusedAt(String text, long line, String fragment) throws IOException {
        Path p = csv(text);
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(p));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(p + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        return e;
    }

    @Test
    void aHeaderRowIsOneWithoutAnyNumber() throws IOException {
        ParticleMeasure withHeader = DataFiles.readPoints(csv("x,y\n1,2\n3,4\n"));
        ParticleMeasure without = DataFiles.readPoints(csv("1,2\n3,4\n"));
        assertArrayEquals(new double[]{1, 2, 3, 4}, withHeader.flatPoints());
        assertArrayEquals(new double[]{1, 2, 3, 4}, without.flatPoints(), "no row is taken for a header");
    }

    @Test
    void aFirstRowWithATypoIsAnErrorOnLineOneNotAHeader() throws IOException {
        refusedAt("1,2x\n3,4\n", 1, "'2x' is not a decimal number (column 2)");
        refusedAt("x,1\n3,4\n", 1, "a header row holds no number");
    }

    @Test
    void duplicateColumnNamesAreRefusedIgnoringCase() throws IOException {
        refusedAt("x,y,x\n1,2,3\n", 1, "'x' appears twice");
        refusedAt("x,weight,Weight\n1,2,3\n", 1, "columns 2 and 3");
        refusedAt("\"x\",x\n1,2\n", 1, "appears twice");
    }

    @Test
    void aColumnWithoutANameIsRefusedWithAHintForPandasIndexColumns() throws IOException {
        refusedAt(",x,y\n0,1,2\n", 1, "index=False");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1d", "2f", "2F", "0x1p3", "0x10", "NaN", "nan", "Infinity", "-Infinity", "inf", "1_000",
        "1e", "1e+", ".", "-", "+-1", "1.5.2", "1 2", "e5", "1,5e", "١٢"})
    void onlyDecimalNumbersAreNumbers(String field) throws IOException {
        String text = "x,y\n1,2\n3," + field + "\n";
        if (field.indexOf(',') >= 0) {
            refusedAt("x,y,z\n1,2,3\n3," + field + "\n", 3, "not a decimal number (column 3)");
        } else {
            refusedAt(text, 3, "'" + field + "' is not a decimal number (column 2)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+1", "-.5", "5.", "1e3", "1E-3", "+.5e+2", "007", "-0", "4.9e-324", "1e-400"})
    void decimalAndScientificNumbersAreReadAsJavaParsesThem(String field) throws IOException {
        ParticleMeasure mu = DataFiles.readPoints(csv("x,y\n0," + field + "\n"));
        assertEquals(Double.doubleToLongBits(Double.parseDouble(field)), Double.doubleToLongBits(mu.coordinate(0, 1)));
    }

    @Test
    void aNumberBeyondTheLargestDoubleIsRefused() throws IOException {
        refusedAt("1,2\n3,1e999\n", 2, "beyond the largest double");
    }

    @Test
    void raggedRowsAreRefusedNamingTheLineAndTheRowTheyDifferFrom() throws IOException {
        refusedAt("1,2\n3,4\n5\n", 3, "1 value, expected 2 (as in line 1)");
        refusedAt("x,y\n1,2\n3,4,5\n", 3, "3 values, expected 2 (as in the header on line 1)");
        refusedAt("1,2\n3,4,\n", 2, "3 values");
        refusedAt("1,,2\n", 1, "column 2 is empty");
    }

    @Test
    void blanksSeparateFieldsInAFileWhoseFirstRowHasNoComma() throws IOException {
        ParticleMeasure mu = DataFiles.readPoints(csv("x y\n1 2\n3\t4\n   5    6   \n"));
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, mu.flatPoints());
        refusedAt("1 2\n3,4\n", 2, "1 value, expected 2 (as in line 1); the first row has no comma");
    }

    @Test
    void commentsBlankLinesByteOrderMarkAndCrLfAreAccepted() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "# made by hand\r\nx,y\r\n\r\n  # a comment\r\n1 , 2\r\n\r\n3,4".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        assertArrayEquals(new double[]{1, 2, 3, 4}, DataFiles.readPoints(bytes(all)).flatPoints());
    }

    @Test
    void lineNumbersCountCommentsAndBlankLines() throws IOException {
        refusedAt("# comment\n\nx,y\n\n1,2\n# another\n3,z\n", 7, "'z'");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLine() throws IOException {
        byte[] latin1 = "x,y\n1,2\n3,4\n\u00e9,5\n".getBytes(StandardCharsets.ISO_8859_1);
        Path p = bytes(latin1);
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(p));
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("not UTF-8") && e.getMessage().contains("0xE9"), e.getMessage());
    }

    @Test
    void utf8ColumnNamesAreFine() throws IOException {
        assertEquals(2, DataFiles.readPoints(csv("größe,höhe\n1,2\n")).dimension());
    }

    @Test
    void aColumnNamedWeightHoldsTheWeights() throws IOException {
        ParticleMeasure mu = DataFiles.readPoints(csv("x,WEIGHT,y\n0,1,5\n1,3,6\n"));
        assertEquals(2, mu.dimension());
        assertArrayEquals(new double[]{0, 5, 1, 6}, mu.flatPoints());
        assertArrayEquals(new double[]{0.25, 0.75}, mu.weights());
    }

    @Test
    void weightsThatOverflowAreRefusedNamingTheLineAndTheColumn() throws IOException {
        refusedAt("x,y,weight\n0,0,1e308\n1,1,1e308\n2,2,1\n", 3, "column 3 ('weight')");
        refusedAt("x,weight\n0,1\n1,-2\n", 3, "the weight -2.0 is not a finite number >= 0 (column 2 ('weight'))");
        Path zero = csv("x,weight\n0,0\n1,0\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(zero));
        assertEquals(zero + ": the weights (column 2 ('weight')) sum to 0; at least one must be positive",
                e.getMessage());
    }

    @Test
    void weightedPointsTakeTheLastColumnWithoutAHeaderAndRequireAWeightColumnWithOne() throws IOException {
        ParticleMeasure mu = DataFiles.readWeightedPoints(csv("0,0,1\n1,1,3\n"));
        assertEquals(2, mu.dimension());
        assertArrayEquals(new double[]{0.25, 0.75}, mu.weights());
        Path p = csv("x,y,w\n0,0,1\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readWeightedPoints(p));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no column named 'weight'"), e.getMessage());
        Path single = csv("5\n6\n");
        assertThrows(DataFileException.class, () -> DataFiles.readWeightedPoints(single));
    }

    @Test
    void aFileWithoutDataRowsHasNoPoints() throws IOException {
        Path header = csv("x,y\n# nothing\n\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(header));
        assertTrue(e.getMessage().contains("no points"), e.getMessage());
        Path empty = csv("");
        assertThrows(DataFileException.class, () -> DataFiles.readPoints(empty));
    }

    @Test
    void weightFilesAreOneColumnOrAColumnNamedWeight() throws IOException {
        assertArrayEquals(new double[]{1, 2.5}, DataFiles.readWeights(csv("1\n2.5\n")));
        assertArrayEquals(new double[]{1, 2.5}, DataFiles.readWeights(csv("weight\n1\n2.5\n")));
        assertArrayEquals(new double[]{3, 4}, DataFiles.readWeights(csv("x,weight\n1,3\n2,4\n")));
        Path two = csv("1,2\n3,4\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readWeights(two));
        assertTrue(e.getMessage().contains("2 columns"), e.getMessage());
        Path negative = csv("1\n-1\n");
        assertEquals(2, assertThrows(DataFileException.class, () -> DataFiles.readWeights(negative)).line());
    }

    @Test
    void sparseTriplesHaveWholeIndicesAndNonNegativeMasses() throws IOException {
        SparseTriples t = DataFiles.readSparseTriples(csv("i,j,mass\n0,1,0.5\n2,0,0.5\n"));
        assertEquals(3, t.n());
        assertEquals(2, t.m());
        assertArrayEquals(new int[]{0, 2}, t.i());
        Path fraction = csv("i,j,mass\n0,1.5,0.5\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readSparseTriples(fraction));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("the j 1.5 is not a whole number"), e.getMessage());
        Path negative = csv("0,1,-0.5\n");
        assertEquals(1, assertThrows(DataFileException.class, () -> DataFiles.readSparseTriples(negative)).line());
        Path four = csv("i,j,mass,extra\n0,1,0.5,1\n");
        assertTrue(assertThrows(DataFileException.class, () -> DataFiles.readSparseTriples(four)).getMessage()
                .contains("three columns"));
    }
}
