package org.measureflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Property;
import org.measureflow.testing.Rejections;
import org.measureflow.testing.Seeds;

/** Round trips through every format, archives, atomic writes and the file-kind rules of the typed entry points. */
class DataFilesTest {
    @TempDir
    Path dir;

    /** Finite doubles of every magnitude and sign, from their bit patterns (so the shortest text is exercised). */
    static double finiteBits(SplittableRandom rng) {
        while (true) {
            double v = Double.longBitsToDouble(rng.nextLong());
            if (Double.isFinite(v)) {
                return v;
            }
        }
    }

    static Stream<Object[]> seedsAndExtensions() {
        List<String> extensions = List.of("csv", "tsv", "txt", "npy", "npz");
        return Seeds.few().boxed().flatMap(seed -> extensions.stream().map(ext -> new Object[]{seed, ext}));
    }

    @ParameterizedTest(name = "seed {0}, .{1}")
    @MethodSource("seedsAndExtensions")
    void pointsWrittenReadBackBitForBit(long seed, String extension) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(1, 30);
            int d = rng.nextInt(1, 5);
            double[] flat = new double[n * d];
            for (int k = 0; k < flat.length; k++) {
                flat[k] = finiteBits(rng);
            }
            // .npy holds one array, so only uniform clouds go there
            boolean weighted = !extension.equals("npy") && rng.nextBoolean();
            double[] w = null;
            if (weighted) {
                w = new double[n];
                for (int k = 0; k < n; k++) {
                    w[k] = rng.nextDouble();
                }
                w[0] += 1;
            }
            ParticleMeasure mu = ParticleMeasure.fromFlat(flat, d, w);
            Path p = dir.resolve("points-" + seed + "." + extension);
            DataFiles.writePoints(p, mu);
            ParticleMeasure back = DataFiles.readPoints(p);
            assertEquals(d, back.dimension());
            NumpyFixturesTest.assertBits(mu.flatPoints(), back.flatPoints());
            assertEquals(mu.isUniform(), back.isUniform());
            if (weighted) {
                // the weights written are the normalised ones; reading divides by their sum again, which may move
                // each by rounding: |w' - w| <= n ulp relative (the sum of n values that add up to 1 within n ulp)
                double[] a = mu.weights();
                double[] b = back.weights();
                for (int k = 0; k < n; k++) {
                    assertEquals(a[k], b[k], 4 * n * Math.ulp(1.0) * Math.max(a[k], Double.MIN_NORMAL), "weight " + k);
                }
            }
        });
    }

    @ParameterizedTest(name = ".{0}")
    @ValueSource(strings = {"csv", "tsv", "npy", "npz"})
    void matricesWrittenReadBackBitForBit(String extension) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        double[] data = new double[6 * 5];
        for (int k = 0; k < data.length; k++) {
            data[k] = finiteBits(rng);
        }
        Path p = dir.resolve("m." + extension);
        DataFiles.writeMatrix(p, data, 6, 5);
        NpyArray back = DataFiles.readMatrix(p);
        assertEquals(6, back.rows());
        assertEquals(5, back.cols());
        NumpyFixturesTest.assertBits(data, back.data());
    }

    @ParameterizedTest(name = ".{0}")
    @ValueSource(strings = {"csv", "npy", "npz"})
    void weightsWrittenReadBackBitForBit(String extension) throws IOException {
        double[] w = {0.1, 0.0, 3e-300, 7.0};
        Path p = dir.resolve("w." + extension);
        DataFiles.writeWeights(p, w);
        NumpyFixturesTest.assertBits(w, DataFiles.readWeights(p));
    }

    @ParameterizedTest(name = ".{0}")
    @ValueSource(strings = {"csv", "npz"})
    void sparseTriplesWrittenReadBack(String extension) throws IOException {
        SparseTriples t = new SparseTriples(4, 6, new int[]{0, 3, 1}, new int[]{5, 0, 2},
                new double[]{0.1, 0.2, 0.7});
        Path p = dir.resolve("plan." + extension);
        DataFiles.writeSparseTriples(p, t);
        SparseTriples back = DataFiles.readSparseTriples(p);
        assertArrayEquals(t.i(), back.i());
        assertArrayEquals(t.j(), back.j());
        NumpyFixturesTest.assertBits(t.mass(), back.mass());
        // text stores no shape: it reads back as (max i + 1, max j + 1), which the entries make (4, 6) here
        assertEquals(4, back.n());
        assertEquals(6, back.m());
        assertArrayEquals(t.toDense(), back.toDense());
    }

    @Test
    void theCooArchiveHasScipysEntries() throws IOException {
        Path p = dir.resolve("plan.npz");
        DataFiles.writeSparseTriples(p, new SparseTriples(2, 3, new int[]{1}, new int[]{2}, new double[]{1}));
        assertEquals(List.of("row", "col", "format", "shape", "data"), Npz.names(p));
        assertArrayEquals(new double[]{2, 3}, Npz.read(p, "shape").data());
    }

    @Test
    void sparseTriplesDoNotGoToNpy() {
        SparseTriples t = new SparseTriples(1, 1, new int[]{0}, new int[]{0}, new double[]{1});
        Path p = dir.resolve("plan.npy");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.writeSparseTriples(p, t));
        assertTrue(e.getMessage().contains(".npz"), e.getMessage());
        assertFalse(Files.exists(p));
    }

    @Test
    void aWeightedCloudDoesNotGoToNpyWhichHoldsOneArray() {
        ParticleMeasure mu = ParticleMeasure.fromFlat(new double[]{0, 1}, 1, new double[]{1, 2});
        Path p = dir.resolve("x.npy");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.writePoints(p, mu));
        assertTrue(e.getMessage().startsWith(p + ": cannot write a weighted measure"), e.getMessage());
        assertFalse(Files.exists(p));
    }

    @Test
    void weightedPointsFromNpyTakeTheLastColumn() throws IOException {
        Path p = dir.resolve("xw.npy");
        Npy.write(p, NpyArray.matrix(new double[]{0, 0, 1, 5, 5, 3}, 2, 3));
        ParticleMeasure mu = DataFiles.readWeightedPoints(p);
        assertEquals(2, mu.dimension());
        assertArrayEquals(new double[]{0.25, 0.75}, mu.weights());
        Path v = dir.resolve("v.npy");
        Npy.write(v, NpyArray.vector(new double[]{1, 2}));
        assertTrue(assertThrows(DataFileException.class, () -> DataFiles.readWeightedPoints(v)).getMessage()
                .contains("no column besides it"));
    }

    @Test
    void aVectorIsACloudOnTheLineButNotAMatrix() throws IOException {
        Path p = dir.resolve("v.npy");
        Npy.write(p, NpyArray.vector(new double[]{3, 1, 2}));
        assertEquals(1, DataFiles.readPoints(p).dimension());
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readMatrix(p));
        assertTrue(e.getMessage().contains("a matrix is a 2-D array, got shape (3,)"), e.getMessage());
    }

    @Test
    void weightsOfAnArrayAreCheckedWithTheirOffset() throws IOException {
        Path p = dir.resolve("w.npy");
        Npy.write(p, NpyArray.vector(new double[]{1e308, 1e308, 1}));
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readWeights(p));
        assertEquals(128 + 8, e.offset(), "the second entry, where the sum overflows: " + e.getMessage());
        assertTrue(e.getMessage().contains("entry 1: the weights sum past the largest double"), e.getMessage());
        Path matrix = dir.resolve("m.npy");
        Npy.write(matrix, NpyArray.matrix(new double[4], 2, 2));
        assertTrue(assertThrows(DataFileException.class, () -> DataFiles.readWeights(matrix)).getMessage()
                .contains("shape (n,) or (n, 1), got shape (2, 2)"));
    }

    @Test
    void anArchiveWithoutTheNamedArrayListsWhatItHolds() throws IOException {
        Path p = dir.resolve("a.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("x", NpyArray.vector(new double[]{1}));
        arrays.put("y", NpyArray.matrix(new double[]{1, 2}, 1, 2));
        Npz.write(p, arrays);
        DataFileException e = assertThrows(DataFileException.class, () -> Npz.read(p, "z"));
        assertEquals(p + ": no array named 'z'; the archive holds [x, y]", e.getMessage());
        NumpyFixturesTest.assertBits(new double[]{1, 2}, Npz.read(p, "y").data());
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "1\n");
        assertThrows(DataFileException.class, () -> DataFiles.readPoints(csv, "x"));
    }

    @Test
    void aTruncatedEntryOfAnArchiveIsNamedWithItsArrayAndOffset() throws IOException {
        byte[] whole = NpyTest.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
                NpyTest.littleEndianDoubles(1, 2, 3, 4));
        Path p = dir.resolve("cut.npz");
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("points.npy"));
            zip.write(whole, 0, whole.length - 12);
            zip.closeEntry();
        }
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(p));
        assertEquals(p + "[points]", e.file());
        assertEquals(whole.length - 12, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("2 of the 4 entries"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAZipIsNotAnArchive() throws IOException {
        Path p = dir.resolve("fake.npz");
        Files.writeString(p, "x,y\n1,2\n");
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readPoints(p));
        assertTrue(e.getMessage().startsWith(p + ": not an .npz file"), e.getMessage());
    }

    @Test
    void anUnknownExtensionIsAnErrorForReadingAndWriting() {
        Path p = dir.resolve("data.dat");
        assertTrue(assertThrows(DataFileException.class, () -> DataFiles.readPoints(p)).getMessage()
                .contains("unknown extension"));
        assertThrows(DataFileException.class, () -> DataFiles.writeMatrix(p, new double[]{1}, 1, 1));
        assertFalse(Files.exists(p));
    }

    @Test
    void extensionsAreComparedIgnoringCase() throws IOException {
        Path p = dir.resolve("DATA.CSV");
        DataFiles.writeMatrix(p, new double[]{1, 2}, 1, 2);
        assertArrayEquals(new double[]{1, 2}, DataFiles.readMatrix(p).data());
    }

    @Test
    void writersRejectBadArgumentsBeforeTouchingTheFile() throws IOException {
        Path p = dir.resolve("good.csv");
        DataFiles.writeMatrix(p, new double[]{1, 2}, 1, 2);
        byte[] before = Files.readAllBytes(p);
        Rejections.assertRejected("data[1]", () -> DataFiles.writeMatrix(p, new double[]{1, Double.NaN}, 1, 2));
        Rejections.assertRejected("data", () -> DataFiles.writeMatrix(p, new double[]{1, 2, 3}, 1, 2));
        Rejections.assertRejected("rows * cols", () -> DataFiles.writeMatrix(p, new double[1], 65536, 65537));
        Rejections.assertRejected("weights", () -> DataFiles.writeWeights(p, new double[]{0, 0}));
        Rejections.assertRejected("weights[0]", () -> DataFiles.writeWeights(p, new double[]{-1, 2}));
        Rejections.assertRejected("j[0]", () -> new SparseTriples(2, 2, new int[]{0}, new int[]{2}, new double[]{1}));
        assertArrayEquals(before, Files.readAllBytes(p));
    }

    @Test
    void writingIntoAMissingDirectoryFailsWithoutCreatingAnything() {
        Path p = dir.resolve("missing").resolve("plan.npy");
        DataFileException e = assertThrows(DataFileException.class,
                () -> DataFiles.writeMatrix(p, new double[]{1}, 1, 1));
        assertTrue(e.getMessage().startsWith(p + ": cannot write: the directory"), e.getMessage());
        assertFalse(Files.exists(p.getParent()));
    }

    @Test
    void aWriteReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("m.npy");
        DataFiles.writeMatrix(p, new double[]{1, 2}, 1, 2);
        DataFiles.writeMatrix(p, new double[]{3, 4, 5}, 3, 1);
        NpyArray back = DataFiles.readMatrix(p);
        assertArrayEquals(new double[]{3, 4, 5}, back.data());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void aWriteOverADirectoryIsRefused() throws IOException {
        Path p = Files.createDirectory(dir.resolve("taken.csv"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> DataFiles.writeMatrix(p, new double[]{1}, 1, 1));
        assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
    }

    @Test
    void textIsWrittenWithAHeaderForPointsAndNoneForMatrices() throws IOException {
        Path points = dir.resolve("p.csv");
        DataFiles.writePoints(points, ParticleMeasure.fromFlat(new double[]{0.5, -1, 1e-5, 2}, 2,
                new double[]{1, 3}));
        assertEquals("x1,x2,weight\n0.5,-1.0,0.25\n1.0E-5,2.0,0.75\n",
                Files.readString(points, StandardCharsets.UTF_8));
        Path matrix = dir.resolve("m.tsv");
        DataFiles.writeMatrix(matrix, new double[]{1, 2, 3, 4}, 2, 2);
        assertEquals("1.0\t2.0\n3.0\t4.0\n", Files.readString(matrix, StandardCharsets.UTF_8));
        Path triples = dir.resolve("t.csv");
        DataFiles.writeSparseTriples(triples, new SparseTriples(2, 2, new int[]{1}, new int[]{0}, new double[]{1}));
        assertEquals("i,j,mass\n1,0,1.0\n", Files.readString(triples, StandardCharsets.UTF_8));
    }

    @Test
    void exceptionMessagesHaveTheThreeDocumentedForms() {
        assertEquals("a.csv:3: bad", DataFileException.atLine("a.csv", 3, "bad").getMessage());
        assertEquals("a.npy: offset 0: bad", DataFileException.atOffset("a.npy", 0, "bad").getMessage());
        assertEquals("a.npz: bad", DataFileException.of("a.npz", "bad").getMessage());
        DataFileException e = DataFileException.atLine("a.csv", 3, "bad");
        assertEquals(3, e.line());
        assertEquals(-1, e.offset());
        assertEquals("bad", e.problem());
        assertThrows(IllegalArgumentException.class, () -> DataFileException.atLine("a.csv", 0, "bad"));
    }

    @Test
    void sparseTriplesCopyTheirArraysAndSumRepeatedPairs() {
        int[] i = {0, 0};
        SparseTriples t = new SparseTriples(1, 2, i, new int[]{1, 1}, new double[]{0.25, 0.5});
        i[0] = 5;
        t.i()[1] = 7;
        assertArrayEquals(new int[]{0, 0}, t.i());
        assertArrayEquals(new double[]{0, 0.75}, t.toDense());
        assertEquals("SparseTriples[n=1, m=2, 2 entries, i=[0, 0], j=[1, 1], mass=[0.25, 0.5]]", t.toString());
    }
}
