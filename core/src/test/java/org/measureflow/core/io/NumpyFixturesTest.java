package org.measureflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Files written by NumPy 1.24 and SciPy 1.10 themselves ({@code make_fixtures.py} next to them) read bit for bit.
 * The expected values are computed here by the script's formulas (exact integers, one correctly rounded division or
 * square root, then a rounding to float32 where the file holds float32), never printed by the reader under test.
 */
class NumpyFixturesTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NumpyFixturesTest.class.getResource("numpy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code (k - shift) / 7} for {@code k = 0 .. count - 1}: the script's arange-based formula. */
    static double[] sevenths(int count, int shift) {
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            v[k] = (k - shift) / 7.0;
        }
        return v;
    }

    /** M[i, j] = (4 i + j - 5) / 7, row-major 3 x 4. */
    static double[] matrix() {
        return sevenths(12, 5);
    }

    /** v[k] = sqrt(k + 1), k = 0..4. */
    static double[] vector() {
        double[] v = new double[5];
        for (int k = 0; k < 5; k++) {
            v[k] = Math.sqrt(k + 1);
        }
        return v;
    }

    static double[] toFloat32(double[] values) {
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = (float) values[k];
        }
        return out;
    }

    /** Bit-for-bit equality (so -0.0 differs from 0.0), naming the first differing entry. */
    static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Double.doubleToLongBits(expected[k]), Double.doubleToLongBits(actual[k]),
                    "entry " + k + ": expected " + expected[k] + ", got " + actual[k]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f8_le_c", "f8_le_f", "f8_be_c", "f8_be_f", "f8_v2", "f8_v3"})
    void float64MatricesInBothByteOrdersAndBothMemoryOrdersReadExactly(String name) throws IOException {
        NpyArray a = Npy.read(fixture(name + ".npy"));
        assertEquals(2, a.dimensions());
        assertEquals(3, a.rows());
        assertEquals(4, a.cols());
        assertBits(matrix(), a.data());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f4_le_c", "f4_le_f", "f4_be_c", "f4_be_f"})
    void float32MatricesAreWidenedExactly(String name) throws IOException {
        NpyArray a = Npy.read(fixture(name + ".npy"));
        assertEquals(3, a.rows());
        assertEquals(4, a.cols());
        assertBits(toFloat32(matrix()), a.data());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f8_le_1d", "f8_be_1d", "f4_le_1d", "f4_be_1d"})
    void vectorsReadExactly(String name) throws IOException {
        NpyArray a = Npy.read(fixture(name + ".npy"));
        assertEquals(1, a.dimensions());
        assertArrayEquals(new int[]{5}, a.shape());
        assertBits(name.startsWith("f4") ? toFloat32(vector()) : vector(), a.data());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"i8_le_1d", "i8_be_1d", "i4_le_1d", "i4_be_1d"})
    void integerArraysReadAsExactDoubles(String name) throws IOException {
        double[] expected = new double[6];
        for (int k = 0; k < 6; k++) {
            expected[k] = 1000003L * k - 5000000L;
        }
        assertBits(expected, Npy.read(fixture(name + ".npy")).data());
    }

    @Test
    void int64UpToTwoToThe53IsReadAndBeyondIsAnError() throws IOException {
        assertBits(new double[]{-(double) (1L << 53), (double) (1L << 53)},
                Npy.read(fixture("i8_exact_limits.npy")).data());
        DataFileException e = assertThrows(DataFileException.class, () -> Npy.read(fixture("i8_too_large.npy")));
        // the second entry of the data, which start at byte 128 of NumPy's header: 128 + 8
        assertEquals(136, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("9007199254740993"), e.getMessage());
    }

    @Test
    void specialValuesComeBackUnchangedFromTheContainer() throws IOException {
        double[] expected = {0.1, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_NORMAL};
        assertBits(expected, Npy.read(fixture("specials.npy")).data());
    }

    @Test
    void theMeasureReaderRejectsTheNaNOfTheContainerNamingTheEntryAndItsOffset() {
        DataFileException e = assertThrows(DataFileException.class,
                () -> DataFiles.readPoints(fixture("specials.npy")));
        // entry 4 of a 1-D array whose data start at byte 128
        assertEquals(128 + 4 * 8, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("entry 4") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void anEmptyMatrixIsAnArrayButNotAPointCloud() throws IOException {
        NpyArray a = Npy.read(fixture("empty_0x3.npy"));
        assertEquals(0, a.rows());
        assertEquals(3, a.cols());
        DataFileException e = assertThrows(DataFileException.class,
                () -> DataFiles.readPoints(fixture("empty_0x3.npy")));
        assertTrue(e.getMessage().contains("no points"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scalar_0d.npy:0-d", "cube_3d.npy:3-D", "complex.npy:'<c16' is not supported",
        "structured.npy:structured"})
    void shapesAndTypesThatAreNotReadAreNamed(String spec) {
        String[] parts = spec.split(":", 2);
        DataFileException e = assertThrows(DataFileException.class, () -> Npy.read(fixture(parts[0])));
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
        assertTrue(e.getMessage().startsWith(fixture(parts[0]) + ": offset "), e.getMessage());
    }

    @Test
    void ourWriterProducesTheBytesOfNumpysSave() throws IOException {
        Path m = dir.resolve("m.npy");
        Npy.write(m, NpyArray.matrix(matrix(), 3, 4));
        assertArrayEquals(Files.readAllBytes(fixture("f8_le_c.npy")), Files.readAllBytes(m));
        Path v = dir.resolve("v.npy");
        Npy.write(v, NpyArray.vector(vector()));
        assertArrayEquals(Files.readAllBytes(fixture("f8_le_1d.npy")), Files.readAllBytes(v));
    }

    /** P[i, j] = (2 i + j - 3) / 7, shape (5, 2). */
    static double[] cloud() {
        return sevenths(10, 3);
    }

    /** w[k] = (k + 1) / 15. */
    static double[] cloudWeights() {
        double[] w = new double[5];
        for (int k = 0; k < 5; k++) {
            w[k] = (k + 1) / 15.0;
        }
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cloud.npz", "cloud_compressed.npz"})
    void storedAndDeflatedArchivesReadExactly(String name) throws IOException {
        Path file = fixture(name);
        assertEquals(List.of("points", "weights"), Npz.names(file));
        assertBits(cloud(), Npz.read(file, "points").data());
        assertBits(cloudWeights(), Npz.read(file, "weights").data());
        ParticleMeasure mu = DataFiles.readPoints(file);
        assertEquals(5, mu.size());
        assertEquals(2, mu.dimension());
        assertBits(cloud(), mu.flatPoints());
        double[] w = cloudWeights();
        double total = 0;
        for (double x : w) {
            total += x;
        }
        for (int k = 0; k < 5; k++) {
            // the measure normalises by the sum, as ParticleMeasure does
            assertEquals(Double.doubleToLongBits(w[k] / total), Double.doubleToLongBits(mu.weight(k)), "weight " + k);
        }
    }

    @Test
    void anArchiveWithSeveralArraysNeedsAName() throws IOException {
        Path file = fixture("two_arrays.npz");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(file));
        assertTrue(e.getMessage().contains("[x, y]"), e.getMessage());
        assertBits(cloud(), DataFiles.readPoints(file, "x").flatPoints());
        assertBits(matrix(), DataFiles.readPoints(file, "y").flatPoints());
    }

    @Test
    void scipysCooArchiveReadsAsSparseTriples() throws IOException {
        SparseTriples p = DataFiles.readSparseTriples(fixture("plan_coo.npz"));
        assertEquals(4, p.n());
        assertEquals(5, p.m());
        assertArrayEquals(new int[]{0, 1, 3, 2}, p.i());
        assertArrayEquals(new int[]{4, 0, 2, 2}, p.j());
        assertBits(new double[]{0.25, 0.125, 0.5, 0.125}, p.mass());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"savetxt_blank.txt", "savetxt_comma.csv"})
    void textWrittenBySavetxtReadsExactly(String name) throws IOException {
        // '%.18e' has 19 significant digits, more than the 17 that identify a double
        assertBits(cloud(), DataFiles.readPoints(fixture(name)).flatPoints());
    }
}
