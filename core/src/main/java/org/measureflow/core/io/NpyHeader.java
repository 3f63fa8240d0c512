package org.measureflow.core.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of an {@code .npy} file: its data type, its order and its shape, parsed strictly from the Python dict
 * literal NumPy writes (for instance {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}), and
 * written the way NumPy writes it. See {@link Npy} for the layout of the whole file.
 */
final class NpyHeader {
    /** The magic string that starts every {@code .npy} file: the byte 0x93, then {@code NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The largest header read, 1 MiB: NumPy writes a few hundred bytes for a 2-D array (and reads at most 10000). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** The start of the data is aligned to this many bytes (NumPy's {@code ARRAY_ALIGN}). */
    static final int ALIGN = 64;
    /** NumPy leaves room for this many digits of the growth axis, so that the header can be rewritten in place. */
    private static final int GROWTH_AXIS_DIGITS = 21;

    /** The element types read: little- and big-endian float64, float32, int64 and int32. */
    enum Type {
        F8_LITTLE("<f8", 8, ByteOrder.LITTLE_ENDIAN), F8_BIG(">f8", 8, ByteOrder.BIG_ENDIAN),
        F4_LITTLE("<f4", 4, ByteOrder.LITTLE_ENDIAN), F4_BIG(">f4", 4, ByteOrder.BIG_ENDIAN),
        I8_LITTLE("<i8", 8, ByteOrder.LITTLE_ENDIAN), I8_BIG(">i8", 8, ByteOrder.BIG_ENDIAN),
        I4_LITTLE("<i4", 4, ByteOrder.LITTLE_ENDIAN), I4_BIG(">i4", 4, ByteOrder.BIG_ENDIAN);

        final String descr;
        final int size;
        final ByteOrder order;

        Type(String descr, int size, ByteOrder order) {
            this.descr = descr;
            this.size = size;
            this.order = order;
        }

        boolean isFloat() {
            return descr.charAt(1) == 'f';
        }

        static Type of(String descr) {
            for (Type t : values()) {
                if (t.descr.equals(descr)) {
                    return t;
                }
            }
            return null;
        }

        static String supported() {
            StringBuilder b = new StringBuilder();
            for (Type t : values()) {
                b.append(b.length() == 0 ? "" : ", ").append('\'').append(t.descr).append('\'');
            }
            return b.toString();
        }
    }

    final Type type;
    final boolean fortranOrder;
    final long[] shape;
    /** The byte offset of the first data byte (the length of magic, version, length field and header). */
    final long dataOffset;
    /** The byte offset of the shape's value in the header, where problems with the shape are reported. */
    final long shapeOffset;

    private NpyHeader(Type type, boolean fortranOrder, long[] shape, long dataOffset, long shapeOffset) {
        this.type = type;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
        this.shapeOffset = shapeOffset;
    }

    /** The shape as Python prints it: {@code ()}, {@code (5,)}, {@code (3, 4)}. */
    static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            b.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    String shapeText() {
        return shapeText(shape);
    }

    /**
     * Parses the header bytes {@code header}, which start at byte {@code base} of the file; every problem is reported
     * with its byte offset in the file.
     */
    static NpyHeader parse(String file, byte[] header, long base) throws DataFileException {
        return new Parser(file, header, base).parse();
    }

    /** A strict reader of the one dict literal NumPy writes: three keys, each once, and nothing else. */
    private static final class Parser {
        private final String file;
        private final byte[] b;
        private final long base;
        private int pos;

        Parser(String file, byte[] header, long base) {
            this.file = file;
            this.b = header;
            this.base = base;
        }

        private DataFileException error(int at, String problem) {
            return DataFileException.atOffset(file, base + at, "header: " + problem);
        }

        private String seen(int at) {
            if (at < 0 || at >= b.length) {
                return "the end of the header";
            }
            int c = b[at] & 0xFF;
            if (c == '\n') {
                return "a line break";
            }
            return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("the byte 0x%02X", c);
        }

        private void spaces() {
            while (pos < b.length && b[pos] == ' ') {
                pos++;
            }
        }

        private void expect(char c, String what) throws DataFileException {
            if (pos >= b.length || b[pos] != c) {
                throw error(pos, "expected " + what + ", found " + seen(pos));
            }
            pos++;
        }

        NpyHeader parse() throws DataFileException {
            if (b.length == 0 || b[b.length - 1] != '\n') {
                throw error(Math.max(0, b.length - 1), "must end with a line break (0x0A), found " + seen(b.length - 1));
            }
            expect('{', "'{' at its start (a Python dict)");
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            int shapeAt = -1;
            spaces();
            while (pos < b.length && b[pos] != '}') {
                int keyAt = pos;
                String key = string("a key in quotes");
                spaces();
                expect(':', "':' after the key '" + key + "'");
                spaces();
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw error(keyAt, "the key 'descr' appears twice");
                        }
                        int at = pos;
                        if (pos < b.length && (b[pos] == '[' || b[pos] == '{')) {
                            throw error(at, "'descr' is a structured (record) data type; only plain arrays of "
                                    + Type.supported() + " are read");
                        }
                        descr = string("the data type in quotes, such as '<f8'");
                        if (Type.of(descr) == null) {
                            throw error(at, "data type '" + descr + "' is not supported; supported are "
                                    + Type.supported() + " (convert in NumPy with a.astype('<f8'))");
                        }
                    }
                    case "fortran_order" -> {
                        if (fortran != null) {
                            throw error(keyAt, "the key 'fortran_order' appears twice");
                        }
                        fortran = bool();
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw error(keyAt, "the key 'shape' appears twice");
                        }
                        shapeAt = pos;
                        shape = tuple();
                    }
                    default -> throw error(keyAt, "unknown key '" + key
                            + "'; an .npy header has exactly 'descr', 'fortran_order' and 'shape'");
                }
                spaces();
                if (pos < b.length && b[pos] == ',') {
                    pos++;
                    spaces();
                } else if (pos < b.length && b[pos] != '}') {
                    throw error(pos, "expected ',' or '}' after the value of '" + key + "', found " + seen(pos));
                }
            }
            int closeAt = pos;
            expect('}', "'}' closing the dict");
            String missing = (descr == null ? " 'descr'" : "") + (fortran == null ? " 'fortran_order'" : "")
                    + (shape == null ? " 'shape'" : "");
            if (!missing.isEmpty()) {
                throw error(closeAt, "the key(s)" + missing + " are missing");
            }
            spaces();
            if (pos != b.length - 1) {
                throw error(pos, "only spaces may follow the dict before the final line break, found " + seen(pos));
            }
            return new NpyHeader(Type.of(descr), fortran, shape, base + b.length, base + shapeAt);
        }

        private String string(String what) throws DataFileException {
            if (pos >= b.length || (b[pos] != '\'' && b[pos] != '"')) {
                throw error(pos, "expected " + what + ", found " + seen(pos));
            }
            byte quote = b[pos++];
            int start = pos;
            while (pos < b.length && b[pos] != quote) {
                int c = b[pos] & 0xFF;
                if (c < 0x20 || c >= 0x7F || c == '\\') {
                    throw error(pos, "unexpected " + seen(pos) + " in a string");
                }
                pos++;
            }
            if (pos >= b.length) {
                throw error(start - 1, "a string is not closed");
            }
            pos++;
            return new String(b, start, pos - 1 - start, StandardCharsets.US_ASCII);
        }

        private boolean bool() throws DataFileException {
            if (word("True")) {
                return true;
            }
            if (word("False")) {
                return false;
            }
            throw error(pos, "'fortran_order' must be True or False, found " + seen(pos));
        }

        private boolean word(String w) {
            int end = pos + w.length();
            if (end > b.length) {
                return false;
            }
            for (int k = 0; k < w.length(); k++) {
                if (b[pos + k] != w.charAt(k)) {
                    return false;
                }
            }
            if (end < b.length && Character.isLetterOrDigit(b[end])) {
                return false;
            }
            pos = end;
            return true;
        }

        /** A tuple of non-negative integers: {@code ()}, {@code (n,)}, {@code (n, m)}, ... */
        private long[] tuple() throws DataFileException {
            int open = pos;
            expect('(', "the shape as a tuple such as (3, 4)");
            List<Long> dims = new ArrayList<>();
            boolean comma = false;
            spaces();
            while (pos < b.length && b[pos] != ')') {
                dims.add(integer());
                spaces();
                comma = pos < b.length && b[pos] == ',';
                if (comma) {
                    pos++;
                    spaces();
                } else if (pos < b.length && b[pos] != ')') {
                    throw error(pos, "expected ',' or ')' in the shape, found " + seen(pos));
                }
            }
            expect(')', "')' closing the shape");
            if (dims.size() == 1 && !comma) {
                throw error(open, "the shape (" + dims.get(0) + ") is a number, not a tuple (NumPy writes ("
                        + dims.get(0) + ",))");
            }
            long[] shape = new long[dims.size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = dims.get(k);
            }
            return shape;
        }

        private long integer() throws DataFileException {
            int start = pos;
            long v = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                int digit = b[pos] - '0';
                if (v > (Long.MAX_VALUE - digit) / 10) {
                    throw error(start, "a dimension of the shape is larger than " + Long.MAX_VALUE);
                }
                v = 10 * v + digit;
                pos++;
            }
            if (pos == start) {
                throw error(pos, "expected a dimension (a whole number >= 0) in the shape, found " + seen(pos));
            }
            if (pos - start > 1 && b[start] == '0') {
                throw error(start, "a dimension with a leading zero is not a Python integer");
            }
            if (pos < b.length && Character.isLetter(b[pos])) {
                throw error(pos, "unexpected " + seen(pos) + " after a dimension of the shape");
            }
            return v;
        }
    }

    /**
     * The bytes NumPy's {@code np.save} writes before the data of an array: magic, version, header length and the
     * header dict (keys sorted, room for the growth axis, padded with spaces so that the data start at a multiple of
     * {@link #ALIGN} bytes, a final line break). Version 1.0 stores the header length in two bytes; a header longer
     * than 65535 bytes needs version 2.0, which stores it in four.
     */
    static byte[] format(String descr, boolean fortranOrder, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': ").append(shapeText(shape)).append(", }");
        if (shape.length > 0) {
            long growth = shape[fortranOrder ? shape.length - 1 : 0];
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_DIGITS - Long.toString(growth).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        int lengthField = 2;
        int total = padded(MAGIC.length + 2 + lengthField + text.length + 1);
        if (total - (MAGIC.length + 2 + lengthField) > 0xFFFF) {
            lengthField = 4;
            total = padded(MAGIC.length + 2 + lengthField + text.length + 1);
        }
        int headerLength = total - (MAGIC.length + 2 + lengthField);
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (lengthField == 2 ? 1 : 2);
        out[7] = 0;
        for (int k = 0; k < lengthField; k++) {
            out[8 + k] = (byte) (headerLength >>> (8 * k));
        }
        int start = MAGIC.length + 2 + lengthField;
        System.arraycopy(text, 0, out, start, text.length);
        for (int k = start + text.length; k < total - 1; k++) {
            out[k] = ' ';
        }
        out[total - 1] = '\n';
        return out;
    }

    /** NumPy pads with 1 to {@link #ALIGN} spaces (never 0): the next multiple of {@code ALIGN} after {@code n - 1}. */
    private static int padded(int lengthWithNewline) {
        return lengthWithNewline + (ALIGN - lengthWithNewline % ALIGN);
    }
}
