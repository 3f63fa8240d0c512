package org.measureflow.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * Reads and writes point clouds as CSV: one point per row, values separated by commas (or, for a line without
 * commas, by blanks), blank lines and lines starting with {@code #} ignored, UTF-8 text (a byte-order mark is
 * skipped).
 *
 * <p><b>Strict reading.</b> The first row is a header only if none of its fields is a number; a row mixing numbers
 * and other text is a data row with a bad value (so a typo such as {@code 1,2x} in the first row is an error on
 * line 1, never a silently dropped row). Header names must be distinct (compared without case and quotes) and
 * non-empty. Values are decimal numbers only, {@code [+-]digits[.digits][e[+-]digits]}: Java literals such as
 * {@code 1d}, {@code 2f}, {@code 0x1p3}, {@code NaN} or {@code Infinity} are rejected. A header column named
 * {@code weight} (any case) holds the weights; without a header the last column does when {@code weighted} is
 * asked for. Weights must be {@code >= 0} with a positive sum that does not overflow; they are normalised.
 * Coordinates must not exceed {@link #MAX_COORDINATE} in magnitude, so that squared distances
 * \( |x - y|^2 \le 4 d \max|x_c|^2 \) stay finite in double precision.
 *
 * <p>Every problem is reported as a {@link CsvFormatException} whose one-line message names the file, the line
 * (when there is one) and the problem; valid input never loses a row.
 */
public final class PointCsv {
    /**
     * Largest magnitude of a coordinate read, \( 10^{150} \): then \( |x - y|^2 \le 4 d \cdot 10^{300} \) is finite
     * for every dimension up to \( 4 \cdot 10^7 \).
     */
    public static final double MAX_COORDINATE = 1e150;
    /** Largest file read, 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;
    /** A decimal number: optional sign, digits with an optional fraction, optional decimal exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    private PointCsv() {
    }

    /**
     * Reads the points of {@code file}.
     *
     * @param file     the CSV file
     * @param weighted without a header, whether the last column holds weights
     * @return the measure (uniform weights when there is no weight column)
     * @throws CsvFormatException on a missing, unreadable, empty or malformed file
     */
    public static ParticleMeasure read(Path file, boolean weighted) throws CsvFormatException {
        return new Reader(file.toString(), bytes(file), weighted).read();
    }

    /** Whether {@code field} (already stripped) is a decimal number in the accepted syntax. */
    static boolean isDecimal(String field) {
        return DECIMAL.matcher(field).matches();
    }

    private static byte[] bytes(Path file) throws CsvFormatException {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new CsvFormatException(name + ": is a directory, not a CSV file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s: %d bytes; at most %d (1 GiB) are read",
                        name, size, MAX_BYTES));
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CsvFormatException(name + ": no such file");
        } catch (IOException e) {
            throw new CsvFormatException(name + ": cannot read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** One pass over the bytes of a file: lines, header, values, weights. */
    private static final class Reader {
        private final String name;
        private final byte[] bytes;
        private final boolean weighted;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private int columns = -1;
        private int weightColumn = -1;
        private String shapeSource;
        private int firstContentLine = -1;
        private double[] values = new double[1024];
        private int rows;
        private double weightSum;

        Reader(String name, byte[] bytes, boolean weighted) {
            this.name = name;
            this.bytes = bytes;
            this.weighted = weighted;
        }

        ParticleMeasure read() throws CsvFormatException {
            int lineNo = 0;
            int start = 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                lineNo++;
                line(decode(start, end, lineNo), lineNo);
                start = end + 1;
            }
            return measure();
        }

        /** The text of bytes [start, end), a trailing CR dropped, or an error naming the line and the byte. */
        private String decode(int start, int end, int lineNo) throws CsvFormatException {
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            ByteBuffer in = ByteBuffer.wrap(bytes, start, stop - start);
            CharBuffer out = CharBuffer.allocate(stop - start);
            utf8.reset();
            CoderResult r = utf8.decode(in, out, true);
            if (!r.isError()) {
                r = utf8.flush(out);
            }
            if (r.isError()) {
                int at = in.position();
                throw new CsvFormatException(String.format(Locale.ROOT,
                        "%s:%d: not UTF-8 text (byte 0x%02X at byte %d of the line); save the file as UTF-8", name,
                        lineNo, bytes[at] & 0xFF, at - start + 1));
            }
            out.flip();
            return out.toString();
        }

        private void line(String text, int lineNo) throws CsvFormatException {
            String line = text.strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                return;
            }
            String[] fields = line.indexOf(',') >= 0 ? line.split(",", -1) : line.split("\\s+");
            for (int c = 0; c < fields.length; c++) {
                fields[c] = fields[c].strip();
            }
            if (firstContentLine < 0) {
                firstContentLine = lineNo;
                if (noNumber(fields)) {
                    header(fields, lineNo);
                    return;
                }
            }
            if (columns < 0) {
                columns = fields.length;
                shapeSource = "line " + lineNo;
                if (weighted) {
                    weightColumn = columns - 1;
                }
            }
            if (fields.length != columns) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: %d values, expected %d (as in %s)",
                        name, lineNo, fields.length, columns, shapeSource));
            }
            if ((long) (rows + 1) * columns > Integer.MAX_VALUE - 8) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: more than %d values in the file",
                        name, lineNo, Integer.MAX_VALUE - 8));
            }
            if ((rows + 1) * columns > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max((long) (rows + 1) * columns, 2L * values.length)));
            }
            for (int c = 0; c < columns; c++) {
                values[rows * columns + c] = value(fields, c, lineNo);
            }
            rows++;
        }

        /** The value of field {@code c}, checked: decimal syntax, finite, in range, a weight {@code >= 0}. */
        private double value(String[] fields, int c, int lineNo) throws CsvFormatException {
            String f = fields[c];
            if (f.isEmpty()) {
                throw error(lineNo, "empty value (column %d)", c + 1);
            }
            if (!isDecimal(f)) {
                String hint = lineNo == firstContentLine ? "; a header row would have no numeric field" : "";
                throw error(lineNo, "'%s' is not a decimal number (column %d)%s", shorten(f), c + 1, hint);
            }
            double v = Double.parseDouble(f);
            if (!Double.isFinite(v)) {
                throw error(lineNo, "'%s' is beyond the range of double precision (column %d)", shorten(f), c + 1);
            }
            if (c == weightColumn) {
                if (v < 0) {
                    throw error(lineNo, "negative weight %s", shorten(f));
                }
                weightSum += v;
                if (!Double.isFinite(weightSum)) {
                    throw error(lineNo, "the weights (column %d) sum to more than %s, the largest double, by this "
                            + "line; rescale them", c + 1, Double.MAX_VALUE);
                }
            } else if (Math.abs(v) > MAX_COORDINATE) {
                throw error(lineNo, "coordinate %s (column %d) exceeds %s in magnitude: squared distances would "
                        + "overflow double precision; rescale the data", shorten(f), c + 1, "1e150");
            }
            return v;
        }

        private void header(String[] fields, int lineNo) throws CsvFormatException {
            columns = fields.length;
            shapeSource = "the header";
            String[] names = new String[fields.length];
            for (int c = 0; c < fields.length; c++) {
                names[c] = fields[c].replace("\"", "").strip().toLowerCase(Locale.ROOT);
                if (names[c].isEmpty()) {
                    throw error(lineNo, "header column %d has no name", c + 1);
                }
                for (int k = 0; k < c; k++) {
                    if (names[k].equals(names[c])) {
                        throw error(lineNo, "duplicate column name '%s' (columns %d and %d)", shorten(fields[c]),
                                k + 1, c + 1);
                    }
                }
                if (names[c].equals("weight")) {
                    weightColumn = c;
                }
            }
        }

        private ParticleMeasure measure() throws CsvFormatException {
            if (rows == 0) {
                throw new CsvFormatException(name + ": no points (the file is empty or holds only a header)");
            }
            int d = columns - (weightColumn >= 0 ? 1 : 0);
            if (d < 1) {
                throw new CsvFormatException(name + ": no coordinate columns (only a weight column)");
            }
            double[] flat = new double[rows * d];
            double[] w = weightColumn >= 0 ? new double[rows] : null;
            for (int i = 0; i < rows; i++) {
                int k = 0;
                for (int c = 0; c < columns; c++) {
                    if (c == weightColumn) {
                        w[i] = values[i * columns + c];
                    } else {
                        flat[i * d + k++] = values[i * columns + c];
                    }
                }
            }
            if (w == null) {
                return ParticleMeasure.fromFlat(flat, d);
            }
            if (!(weightSum > 0)) {
                throw new CsvFormatException(name + ": the weights sum to " + weightSum + ", not to a positive number");
            }
            return ParticleMeasure.fromFlat(flat, d, w);
        }

        private CsvFormatException error(int lineNo, String format, Object... args) {
            return new CsvFormatException(name + ":" + lineNo + ": " + String.format(Locale.ROOT, format, args));
        }
    }

    private static boolean noNumber(String[] fields) {
        for (String f : fields) {
            if (isDecimal(f)) {
                return false;
            }
        }
        return true;
    }

    /** A field for a message: at most 40 characters, control characters shown as {@code \\uXXXX}. */
    private static String shorten(String field) {
        String s = field.length() <= 40 ? field : field.substring(0, 37) + "...";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch)) {
                b.append(String.format(Locale.ROOT, "\\u%04X", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** Writes the points with a header {@code x1,...,xd}, one point per row, full precision. */
    public static void write(Path file, ParticleMeasure points) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            int d = points.dimension();
            StringBuilder header = new StringBuilder();
            for (int c = 0; c < d; c++) {
                header.append(c == 0 ? "" : ",").append('x').append(c + 1);
            }
            out.println(header);
            for (int i = 0; i < points.size(); i++) {
                StringBuilder row = new StringBuilder();
                for (int c = 0; c < d; c++) {
                    row.append(c == 0 ? "" : ",").append(points.coordinate(i, c));
                }
                out.println(row);
            }
            if (out.checkError()) {
                throw new IOException("write error on " + file);
            }
        }
    }
}
