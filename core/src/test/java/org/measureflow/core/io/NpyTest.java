package org.measureflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.Rejections;

/** Writing and reading {@code .npy} files, and every way a hostile file is refused with its offset. */
class NpyTest {
    @TempDir
    Path dir;

    /** The bytes of an .npy file: magic, version 1.0, the header padded to 64 bytes, then {@code data}. */
    static byte[] npy(String dict, byte[] data) {
        return npy(1, dict, data);
    }

    /** Where the data start: magic, version, length field and header with its line break, padded to 64 bytes. */
    static int dataOffset(int major, String dict) {
        int length = 8 + (major == 1 ? 2 : 4) + dict.length() + 1;
        return (length + 63) / 64 * 64;
    }

    static byte[] npy(int major, String dict, byte[] data) {
        int field = major == 1 ? 2 : 4;
        int length = 8 + field + dict.length() + 1;
        int padded = dataOffset(major, dict);
        String header = dict + " ".repeat(padded - length) + "\n";
        ByteBuffer b = ByteBuffer.allocate(8 + field + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (field == 2) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    static byte[] littleEndianDoubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private DataFileException refused(byte[] bytes) throws IOException {
        Path p = file("hostile.npy", bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());
        return e;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void writeThenReadGivesTheSameBits(long seed) {
        Property.check(seed, rng -> {
            int rows = rng.nextInt(0, 40);
            int cols = rng.nextInt(1, 6);
            double[] data = new double[rows * cols];
            for (int k = 0; k < data.length; k++) {
                // every bit pattern, NaN payloads excepted (Java may canonicalise them)
                double v = Double.longBitsToDouble(rng.nextLong());
                data[k] = Double.isNaN(v) ? Double.NaN : v;
            }
            NpyArray a = rng.nextBoolean() ? NpyArray.matrix(data, rows, cols) : NpyArray.vector(data);
            Path p = dir.resolve("a" + seed + ".npy");
            Npy.write(p, a);
            NpyArray back = Npy.read(p);
            assertArrayEquals(a.shape(), back.shape());
            NumpyFixturesTest.assertBits(data, back.data());
            assertEquals(0, (Files.size(p) - 8L * data.length) % 64, "the data start at a multiple of 64 bytes");
        });
    }

    @Test
    void theHeaderIsPaddedToSixtyFourBytesAndEndsWithALineBreak() {
        byte[] h = NpyHeader.format("<f8", false, new long[]{1000000, 2});
        assertEquals(0, h.length % 64);
        assertEquals('\n', h[h.length - 1]);
        assertEquals(1, h[6], "version 1.0");
        int length = (h[8] & 0xFF) | (h[9] & 0xFF) << 8;
        assertEquals(h.length - 10, length, "the little-endian u2 header length");
    }

    @Test
    void aHeaderLongerThan65535BytesIsWrittenAsVersion2AndReadBack() throws IOException {
        long[] shape = new long[30000];
        Arrays.fill(shape, 1);
        shape[0] = 3;
        byte[] h = NpyHeader.format("<f8", false, shape);
        assertEquals(2, h[6], "version 2.0");
        assertEquals(0, h.length % 64);
        long length = ByteBuffer.wrap(h, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(h.length - 12, length, "the little-endian u4 header length");
        NpyHeader parsed = NpyHeader.parse("x", Arrays.copyOfRange(h, 12, h.length), 12);
        assertArrayEquals(shape, parsed.shape);
        assertEquals(h.length, parsed.dataOffset);
    }

    @Test
    void aHugeShapeInATinyFileIsAnErrorBeforeAnythingIsAllocated() throws IOException {
        byte[] bytes = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", new byte[36]);
        DataFileException e = refused(bytes);
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("8000000000000 bytes"),
                e.getMessage());
        assertEquals(bytes.length, e.offset(), "where the file ends");
    }

    @Test
    void aShapeWhoseSizeOverflowsALongIsRefused() throws IOException {
        DataFileException e = refused(npy("{'descr': '<f8', 'fortran_order': False, "
                + "'shape': (4294967296, 4294967296), }", new byte[0]));
        assertTrue(e.getMessage().contains("more bytes than a long can count"), e.getMessage());
    }

    @Test
    void aShapeBeyondTheLargestJavaArrayIsRefusedEvenIfTheStreamHadTheBytes() {
        byte[] header = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3000000000,), }", new byte[0]);
        DataFileException e = assertThrows(DataFileException.class,
                () -> Npy.read("s", new java.io.ByteArrayInputStream(header), -1));
        assertTrue(e.getMessage().contains("a Java array holds at most"), e.getMessage());
    }

    @Test
    void truncatedAndExtraDataAreReportedAtTheirOffsets() throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
        int start = dataOffset(1, dict);
        DataFileException truncated = refused(npy(dict, littleEndianDoubles(1, 2, 3)));
        assertEquals(start + 24, truncated.offset());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        DataFileException extra = refused(npy(dict, littleEndianDoubles(1, 2, 3, 4, 5)));
        assertEquals(start + 32, extra.offset());
        assertTrue(extra.getMessage().contains("8 bytes of extra data"), extra.getMessage());
    }

    @Test
    void aStreamThatEndsEarlyIsTruncatedAtTheLastByteRead() {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }";
        byte[] bytes = npy(dict, littleEndianDoubles(1, 2));
        DataFileException e = assertThrows(DataFileException.class,
                () -> Npy.read("s", new java.io.ByteArrayInputStream(bytes), -1));
        assertEquals(dataOffset(1, dict) + 16, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("2 of the 4 entries"), e.getMessage());
    }

    @Test
    void badMagicNamesWhatTheFileLooksLike() throws IOException {
        DataFileException text = refused("x,y\n1,2\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, text.offset());
        assertTrue(text.getMessage().contains("\\x93NUMPY") && text.getMessage().contains("text"), text.getMessage());
        byte[] zip = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
        assertTrue(refused(zip).getMessage().contains("zip archive"));
        assertTrue(refused(new byte[0]).getMessage().contains("empty"));
    }

    @Test
    void aFileThatEndsInsideTheMagicOrTheHeaderIsTruncated() throws IOException {
        assertTrue(refused(Arrays.copyOf(NpyHeader.MAGIC, 4)).getMessage().contains("truncated"));
        byte[] whole = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", littleEndianDoubles(1));
        DataFileException e = refused(Arrays.copyOf(whole, 30));
        assertEquals(8, e.offset(), "the header length points past the end");
    }

    @Test
    void anUnknownVersionIsRefused() throws IOException {
        byte[] bytes = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", littleEndianDoubles(1));
        bytes[6] = 4;
        DataFileException e = refused(bytes);
        assertEquals(6, e.offset());
        assertTrue(e.getMessage().contains("version 4.0"), e.getMessage());
    }

    @Test
    void versionTwoAndThreeHeadersAreRead() throws IOException {
        for (int major = 2; major <= 3; major++) {
            Path p = file("v" + major + ".npy", npy(major, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                    littleEndianDoubles(1.5, -2.5)));
            assertArrayEquals(new double[]{1.5, -2.5}, Npy.read(p).data());
        }
    }

    /** A dict, and a fragment of the message that names its problem; the offset is where the fragment starts. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1, }|unknown key 'extra'|'extra'",
        "{'descr': '<f8', 'fortran_order': False, }|'shape' are missing|}",
        "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }|appears twice|'descr': '<f8', 'f",
        "{'descr': '<f8', 'fortran_order': false, 'shape': (2,), }|True or False|false",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }|not a tuple|(2)",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }|expected a dimension|-2",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }|unexpected 'L'|L,",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (02,), }|leading zero|02",
        "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }|'<u2' is not supported|'<u2'",
        "{'descr': 'float64', 'fortran_order': False, 'shape': (2,), }|'float64' is not supported|'float64'",
        "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (2,), }|structured|[",
        "['descr', '<f8']|'{' at its start|['descr'",
        "{'descr': '<f8' 'fortran_order': False, 'shape': (2,), }|expected ',' or '}'|'fortran",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } x|only spaces may follow|x",
        "{descr: '<f8', 'fortran_order': False, 'shape': (2,), }|a key in quotes|descr:",
    })
    void malformedHeadersAreRefusedAtTheOffsetOfTheProblem(String dict, String problem, String at)
            throws IOException {
        DataFileException e = refused(npy(dict, littleEndianDoubles(1, 2)));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(10 + dict.indexOf(at), e.offset(), e.getMessage());
    }

    @Test
    void aHeaderThatDoesNotEndWithALineBreakIsRefused() throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
        byte[] bytes = npy(dict, littleEndianDoubles(1));
        int last = dataOffset(1, dict) - 1;
        bytes[last] = ' ';
        DataFileException e = refused(bytes);
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        assertEquals(last, e.offset());
    }

    @Test
    void aHeaderLengthBeyondOneMebibyteIsRefusedBeforeReadingIt() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 2).put((byte) 0).putInt(Integer.MAX_VALUE);
        DataFileException e = refused(b.array());
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("header length 2147483647"), e.getMessage());
    }

    @Test
    void fortranOrderIsReturnedRowMajor() throws IOException {
        // the matrix [[1, 2, 3], [4, 5, 6]] stored column by column
        Path p = file("f.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                littleEndianDoubles(1, 4, 2, 5, 3, 6)));
        NpyArray a = Npy.read(p);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, a.data());
        assertEquals(6.0, a.entry(1, 2));
    }

    @Test
    void aNonFiniteEntryOfAFortranArrayIsNamedAtItsOwnOffset() throws IOException {
        // entry (0, 1) is the third value in the file (column 1 starts after the 2 entries of column 0)
        String dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }";
        Path p = file("f.npy", npy(dict, littleEndianDoubles(1, 2, Double.NaN, 4)));
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.readMatrix(p));
        assertEquals(dataOffset(1, dict) + 16, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("entry (0, 1)"), e.getMessage());
    }

    @Test
    void aMissingFileAndADirectoryAreOneLineErrors() {
        DataFileException missing = assertThrows(DataFileException.class, () -> Npy.read(dir.resolve("none.npy")));
        assertEquals(dir.resolve("none.npy") + ": no such file", missing.getMessage());
        DataFileException directory = assertThrows(DataFileException.class, () -> Npy.read(dir));
        assertTrue(directory.getMessage().endsWith("is a directory, not a data file"), directory.getMessage());
    }

    @Test
    void theArrayRecordChecksItsShapeAndCopiesItsData() {
        Rejections.assertRejected("data", () -> NpyArray.matrix(new double[5], 2, 3));
        Rejections.assertRejected("rows * cols", () -> NpyArray.matrix(new double[0], 65536, 65537));
        Rejections.assertRejected("cols", () -> new NpyArray(new double[4], 2, 2, 1));
        double[] data = {1, 2, 3, 4};
        NpyArray a = NpyArray.matrix(data, 2, 2);
        data[0] = 99;
        a.data()[1] = 99;
        assertArrayEquals(new double[]{1, 2, 3, 4}, a.data());
        assertEquals("NpyArray[shape=(2, 2), data=[[1, 2], [3, 4]]]", a.toString());
        assertEquals("NpyArray[shape=(3,), data=[0.5, 1, 1.5]]", NpyArray.vector(new double[]{0.5, 1, 1.5})
                .toString());
    }

    @Test
    void aFailedWriteLeavesTheOldFile() throws IOException {
        Path p = dir.resolve("keep.npy");
        Npy.write(p, NpyArray.vector(new double[]{1, 2}));
        byte[] before = Files.readAllBytes(p);
        assertThrows(IllegalArgumentException.class, () -> FileAccess.writeAtomically(p, out -> {
            out.write(new byte[1000]);
            throw new IllegalArgumentException("stop half-way");
        }));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
