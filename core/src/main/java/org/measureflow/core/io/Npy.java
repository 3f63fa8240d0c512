package org.measureflow.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.measureflow.core.Arguments;

/**
 * Reads and writes NumPy's {@code .npy} files: one array, as {@code np.save} writes it and {@code np.load} reads it.
 *
 * <p><b>The format.</b> An {@code .npy} file is
 * <ol>
 * <li>the six bytes {@code \x93NUMPY} (the byte 0x93, then the letters {@code NUMPY});</li>
 * <li>two bytes, the major and minor format version: 1.0, 2.0 or 3.0;</li>
 * <li>the length {@code H} of the header, an unsigned little-endian integer of two bytes (version 1.0) or four
 *     bytes (2.0 and 3.0);</li>
 * <li>{@code H} bytes of header: the text of a Python dict literal with exactly the keys {@code 'descr'} (the data
 *     type, such as {@code '<f8'}: byte order {@code <} little- or {@code >} big-endian, kind {@code f} float or
 *     {@code i} signed integer, size in bytes), {@code 'fortran_order'} ({@code True} when the data are stored
 *     column by column, {@code False} for row by row) and {@code 'shape'} (a tuple such as {@code (3, 4)} or
 *     {@code (5,)}), followed by spaces and ending with a line break {@code \n}, so that the data start at a
 *     multiple of 64 bytes (of 16 in files of old NumPy versions); the text is Latin-1 in versions 1.0 and 2.0, UTF-8
 *     in 3.0;</li>
 * <li>the data: the entries one after the other without gaps, in C order (the last index varies fastest) or in
 *     Fortran order (the first index varies fastest), \( \prod_k \mathrm{shape}_k \) entries of the data type's
 *     size.</li>
 * </ol>
 *
 * <p><b>Reading</b> ({@link #read(Path)}) accepts versions 1.0, 2.0 and 3.0; the types {@code '<f8'}, {@code '>f8'}
 * (float64), {@code '<f4'}, {@code '>f4'} (float32, widened exactly to double), {@code '<i8'}, {@code '>i8'},
 * {@code '<i4'}, {@code '>i4'} (int64 and int32, for index arrays; an int64 beyond \( 2^{53} \) in magnitude, which
 * no double holds exactly, is an error); both orders; 1-D and 2-D shapes (a 0-d or a 3-D or higher array is an
 * error). The header is parsed strictly: each of the three keys exactly once and nothing else, the values of the
 * kinds above, spaces only between the tokens and as padding. The size of the data the shape needs is computed
 * without overflow and compared with the file's length before anything is allocated, so a header that claims more
 * entries than the file holds (or fewer: extra bytes at the end) is an error. NaN and infinities are read as they
 * are: an {@code .npy} file is a container, and the readers of {@link DataFiles} that make measures and matrices
 * reject them.
 *
 * <p><b>Writing</b> ({@link #write(Path, NpyArray)}) produces the bytes {@code np.save} produces for a C-ordered
 * little-endian float64 array: version 1.0 (2.0 only if the header were longer than 65535 bytes, which never happens
 * for one or two dimensions), the keys in the order {@code descr, fortran_order, shape}, NumPy's room for the
 * growing axis, padding to 64 bytes. The file is written atomically (see {@link DataFiles}).
 *
 * <p>Every problem is a {@link DataFileException} whose message is {@code file: offset N: problem}, with {@code N} the
 * byte offset of the problem.
 */
public final class Npy {
    /** The most entries a Java array holds. */
    static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;
    /** Bytes read or written at a time: a multiple of every item size. */
    private static final int CHUNK = 1 << 16;
    /** The largest magnitude of an integer that every double can hold exactly: \( 2^{53} \). */
    private static final long EXACT_INTEGER = 1L << 53;

    private Npy() {
    }

    /**
     * Reads a 1-D or 2-D array from an {@code .npy} file.
     *
     * @param file the file
     * @return the array, row-major, float32 and integer entries converted to double
     * @throws DataFileException if the file is missing or unreadable, or is not an {@code .npy} file of a supported
     *                           type and shape, or its length does not match its header
     */
    public static NpyArray read(Path file) throws DataFileException {
        return table(file).toArray();
    }

    /**
     * Writes {@code array} to an {@code .npy} file as little-endian float64 in C order, atomically.
     *
     * @param file  the file (replaced if it exists)
     * @param array the array; a vector is written with shape {@code (n,)}, a matrix with {@code (rows, cols)}
     * @throws DataFileException if the file cannot be written (then it is left as it was)
     */
    public static void write(Path file, NpyArray array) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("array", array);
        FileAccess.writeAtomically(file, out -> writeDoubles(out, array.shared(), shape(array)));
    }

    static long[] shape(NpyArray array) {
        return array.dimensions() == 1 ? new long[]{array.rows()} : new long[]{array.rows(), array.cols()};
    }

    /** Reads the array of an {@code .npy} file with what is needed to report problems with its entries. */
    static Table table(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        long length = FileAccess.size(file);
        try (InputStream in = FileAccess.open(file)) {
            return read(file.toString(), in, length);
        } catch (IOException e) {
            throw FileAccess.readError(file.toString(), e);
        }
    }

    /**
     * Reads an array from {@code in}, which holds the whole {@code .npy} content.
     *
     * @param name   the name used in messages
     * @param length the number of bytes {@code in} holds, if known (the length of a file), or -1: then the array
     *               grows as the data arrive, so that a header claiming more than there is allocates no more than
     *               twice what there is
     */
    static Table read(String name, InputStream in, long length) throws DataFileException {
        Input input = new Input(name, in);
        NpyHeader h = header(input, length);
        int dims = h.shape.length;
        if (dims == 0) {
            throw DataFileException.atOffset(name, h.shapeOffset, "a 0-d array (shape ()) holds one number; "
                    + "1-D and 2-D arrays are read (np.save('f.npy', np.atleast_1d(x)))");
        }
        if (dims > 2) {
            throw DataFileException.atOffset(name, h.shapeOffset, "a " + dims + "-D array of shape " + h.shapeText()
                    + "; 1-D and 2-D arrays are read (reshape it in NumPy, e.g. a.reshape(len(a), -1))");
        }
        long count;
        long bytes;
        long end;
        try {
            count = dims == 1 ? h.shape[0] : Math.multiplyExact(h.shape[0], h.shape[1]);
            bytes = Math.multiplyExact(count, (long) h.type.size);
            end = Math.addExact(h.dataOffset, bytes);
        } catch (ArithmeticException e) {
            throw DataFileException.atOffset(name, h.shapeOffset, "the shape " + h.shapeText() + " of '"
                    + h.type.descr + "' entries needs more bytes than a long can count");
        }
        if (length >= 0 && length != end) {
            throw lengthMismatch(name, h, length, bytes, end);
        }
        for (long dim : h.shape) {
            if (dim > MAX_ENTRIES || count > MAX_ENTRIES) {
                throw DataFileException.atOffset(name, h.shapeOffset, "the shape " + h.shapeText()
                        + " is too large: a Java array holds at most " + MAX_ENTRIES + " entries");
            }
        }
        int rows = (int) h.shape[0];
        int cols = dims == 1 ? 1 : (int) h.shape[1];
        double[] data = new double[(int) (length >= 0 ? count : Math.min(count, CHUNK))];
        data = readData(input, h, (int) count, data);
        if (input.readByte() >= 0) {
            throw DataFileException.atOffset(name, end, "extra data after the last entry of the shape "
                    + h.shapeText() + " of '" + h.type.descr + "'");
        }
        if (h.fortranOrder && dims == 2) {
            data = fromColumnMajor(data, rows, cols);
        }
        return Table.npy(name, data, rows, cols, dims, h.dataOffset, h.type.size, h.fortranOrder);
    }

    private static DataFileException lengthMismatch(String name, NpyHeader h, long length, long bytes, long end) {
        String needs = "the shape " + h.shapeText() + " of '" + h.type.descr + "' needs " + bytes
                + " bytes of data from offset " + h.dataOffset;
        if (length < end) {
            return DataFileException.atOffset(name, length, "the file is truncated: " + needs + ", but the file ends "
                    + "here after " + (length - h.dataOffset) + " of them");
        }
        return DataFileException.atOffset(name, end, (length - end) + " bytes of extra data after the last entry ("
                + needs + ")");
    }

    /** Magic, version, header length and header, checked in this order. */
    private static NpyHeader header(Input input, long length) throws DataFileException {
        String name = input.name;
        byte[] start = new byte[8];
        int got = input.readFully(start, 0, 8);
        if (got == 0) {
            throw DataFileException.atOffset(name, 0, "not an .npy file: the file is empty");
        }
        for (int k = 0; k < Math.min(got, NpyHeader.MAGIC.length); k++) {
            if (start[k] != NpyHeader.MAGIC[k]) {
                throw DataFileException.atOffset(name, 0, "not an .npy file: it must start with the bytes \\x93NUMPY"
                        + hint(start, got));
            }
        }
        if (got < 8) {
            throw DataFileException.atOffset(name, got, "the file is truncated: it ends inside the magic string "
                    + "and version, after " + got + " bytes");
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw DataFileException.atOffset(name, 6, "format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        int fieldBytes = major == 1 ? 2 : 4;
        byte[] field = new byte[fieldBytes];
        got = input.readFully(field, 0, fieldBytes);
        if (got < fieldBytes) {
            throw DataFileException.atOffset(name, 8 + got, "the file is truncated: it ends inside the header length");
        }
        long headerLength = 0;
        for (int k = fieldBytes - 1; k >= 0; k--) {
            headerLength = (headerLength << 8) | (field[k] & 0xFF);
        }
        long headerStart = 8 + fieldBytes;
        if (headerLength > NpyHeader.MAX_HEADER_BYTES) {
            throw DataFileException.atOffset(name, 8, "the header length " + headerLength + " is larger than "
                    + NpyHeader.MAX_HEADER_BYTES + " bytes (NumPy writes a few hundred)");
        }
        if (length >= 0 && headerStart + headerLength > length) {
            throw DataFileException.atOffset(name, 8, "the header length " + headerLength + " runs past the end of "
                    + "the file (" + length + " bytes): the file is truncated or this is not a header length");
        }
        byte[] header = new byte[(int) headerLength];
        got = input.readFully(header, 0, header.length);
        if (got < header.length) {
            throw DataFileException.atOffset(name, headerStart + got, "the file is truncated: it ends inside the "
                    + "header of " + headerLength + " bytes");
        }
        return NpyHeader.parse(name, header, headerStart);
    }

    /** What a file that is not an {@code .npy} file looks like, for the message. */
    private static String hint(byte[] start, int got) {
        if (got >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            return "; this is a zip archive (an .npz file? name it .npz)";
        }
        for (int k = 0; k < got; k++) {
            int c = start[k] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20)) {
                return "";
            }
        }
        return "; it looks like text (a CSV file? name it .csv)";
    }

    /** Reads {@code count} entries in file order, converting them to double; {@code data} grows as needed. */
    private static double[] readData(Input input, NpyHeader h, int count, double[] data) throws DataFileException {
        NpyHeader.Type type = h.type;
        byte[] buffer = new byte[CHUNK];
        ByteBuffer bytes = ByteBuffer.wrap(buffer).order(type.order);
        long total = (long) count * type.size;
        long readBytes = 0;
        int done = 0;
        while (readBytes < total) {
            int want = (int) Math.min(CHUNK, total - readBytes);
            int got = input.readFully(buffer, 0, want);
            int items = got / type.size;
            if (done + items > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, Math.max(done + items, 2L * data.length)));
            }
            bytes.clear();
            decode(input.name, h, bytes, items, data, done);
            done += items;
            readBytes += got;
            if (got < want) {
                throw DataFileException.atOffset(input.name, h.dataOffset + readBytes, "the data are truncated: "
                        + done + " of the " + count + " entries of the shape " + h.shapeText() + " of '" + type.descr
                        + "' are there");
            }
        }
        return data;
    }

    private static void decode(String name, NpyHeader h, ByteBuffer bytes, int items, double[] data, int at)
            throws DataFileException {
        switch (h.type) {
            case F8_LITTLE, F8_BIG -> bytes.asDoubleBuffer().get(data, at, items);
            case F4_LITTLE, F4_BIG -> {
                FloatBuffer f = bytes.asFloatBuffer();
                for (int k = 0; k < items; k++) {
                    data[at + k] = f.get(k);
                }
            }
            case I4_LITTLE, I4_BIG -> {
                IntBuffer v = bytes.asIntBuffer();
                for (int k = 0; k < items; k++) {
                    data[at + k] = v.get(k);
                }
            }
            case I8_LITTLE, I8_BIG -> {
                LongBuffer v = bytes.asLongBuffer();
                for (int k = 0; k < items; k++) {
                    long x = v.get(k);
                    if (x > EXACT_INTEGER || x < -EXACT_INTEGER) {
                        throw DataFileException.atOffset(name, h.dataOffset + 8L * (at + k), "the int64 entry " + x
                                + " has no exact double (its magnitude exceeds 2^53)");
                    }
                    data[at + k] = x;
                }
            }
        }
    }

    /** The row-major copy of a {@code rows x cols} matrix stored column by column. */
    private static double[] fromColumnMajor(double[] columnMajor, int rows, int cols) {
        double[] rowMajor = new double[columnMajor.length];
        for (int j = 0; j < cols; j++) {
            int from = j * rows;
            for (int i = 0; i < rows; i++) {
                rowMajor[i * cols + j] = columnMajor[from + i];
            }
        }
        return rowMajor;
    }

    /** Writes an {@code .npy} array of little-endian float64 in C order: header, then the data. */
    static void writeDoubles(OutputStream out, double[] data, long[] shape) throws IOException {
        out.write(NpyHeader.format("<f8", false, shape));
        byte[] buffer = new byte[CHUNK];
        DoubleBuffer doubles = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        int per = CHUNK / Double.BYTES;
        for (int k = 0; k < data.length; k += per) {
            int n = Math.min(per, data.length - k);
            doubles.clear();
            doubles.put(data, k, n);
            out.write(buffer, 0, n * Double.BYTES);
        }
    }

    /** Writes a 1-D {@code .npy} array of little-endian int64 (NumPy's default integer type). */
    static void writeIndices(OutputStream out, int[] values) throws IOException {
        out.write(NpyHeader.format("<i8", false, new long[]{values.length}));
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (!bytes.hasRemaining()) {
                out.write(bytes.array(), 0, bytes.position());
                bytes.clear();
            }
            bytes.putLong(v);
        }
        out.write(bytes.array(), 0, bytes.position());
    }

    /** Writes a 0-d {@code .npy} array of ASCII bytes ({@code np.array(b'coo')}, type {@code '|S3'}). */
    static void writeBytes(OutputStream out, String ascii) throws IOException {
        byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
        out.write(NpyHeader.format("|S" + text.length, false, new long[0]));
        out.write(text);
    }

    /** A stream with its position, whose read failures are one-line errors at that position. */
    private static final class Input {
        final String name;
        private final InputStream in;
        private long position;

        Input(String name, InputStream in) {
            this.name = name;
            this.in = in;
        }

        /** Reads up to {@code n} bytes, fewer only at the end of the stream; returns how many were read. */
        int readFully(byte[] into, int offset, int n) throws DataFileException {
            int total = 0;
            try {
                while (total < n) {
                    int k = in.read(into, offset + total, n - total);
                    if (k < 0) {
                        break;
                    }
                    total += k;
                }
            } catch (IOException e) {
                throw DataFileException.atOffset(name, position + total, "cannot read ("
                        + FileAccess.describe(e) + ")");
            }
            position += total;
            return total;
        }

        /** The next byte, or -1 at the end of the stream. */
        int readByte() throws DataFileException {
            byte[] one = new byte[1];
            return readFully(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
        }
    }
}
