package org.measureflow.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strict reader of numeric text tables (the rules are listed in {@link DataFiles}): one pass over the bytes,
 * line by line, every problem reported with its line.
 */
final class CsvReader {
    private final String name;
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int bufferPosition;
    private int bufferLimit;
    private byte[] line = new byte[256];
    private int lineLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** Comma-separated ({@code ','}) or blank-separated ({@code ' '}), fixed by the first row; 0 before it. */
    private char separator;
    private List<String> header;
    private long headerLine;
    private int columns = -1;
    private long shapeLine;
    private double[] values = new double[1024];
    private long[] lines = new long[64];
    private int rows;
    /** Start and end of each field of the current line, in pairs. */
    private int[] bounds = new int[16];

    private CsvReader(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /** Reads the table of a text file. */
    static Table read(Path file) throws DataFileException {
        try (InputStream in = FileAccess.open(file)) {
            return new CsvReader(file.toString(), in).read();
        } catch (IOException e) {
            throw FileAccess.readError(file.toString(), e);
        }
    }

    private Table read() throws DataFileException {
        long lineNo = 0;
        while (nextLine()) {
            lineNo++;
            String text = decode(lineNo);
            process(text, lineNo);
        }
        return Table.text(name, Arrays.copyOf(values, rows * Math.max(columns, 0)), rows, Math.max(columns, 0),
                header, headerLine, Arrays.copyOf(lines, rows));
    }

    /** Reads the next line's bytes (without the line break and a CR before it); false at the end of the input. */
    private boolean nextLine() throws DataFileException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (bufferPosition == bufferLimit) {
                if (!fill()) {
                    break;
                }
            }
            any = true;
            int start = bufferPosition;
            int end = start;
            while (end < bufferLimit && buffer[end] != '\n') {
                end++;
            }
            append(start, end);
            bufferPosition = end;
            if (end < bufferLimit) {
                bufferPosition++;
                break;
            }
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return any;
    }

    private boolean fill() throws DataFileException {
        try {
            int k = in.read(buffer, 0, buffer.length);
            bufferPosition = 0;
            bufferLimit = Math.max(k, 0);
            return k > 0;
        } catch (IOException e) {
            throw FileAccess.readError(name, e);
        }
    }

    private void append(int start, int end) {
        int n = end - start;
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + n, 2 * line.length));
        }
        System.arraycopy(buffer, start, line, lineLength, n);
        lineLength += n;
    }

    /** The line as text: ASCII directly, anything else through a strict UTF-8 decoder. */
    private String decode(long lineNo) throws DataFileException {
        int from = 0;
        if (lineNo == 1 && lineLength >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF) {
            from = 3;
        }
        boolean ascii = true;
        for (int k = from; k < lineLength; k++) {
            if (line[k] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(line, from, lineLength - from, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, from, lineLength - from);
        CharBuffer chars = CharBuffer.allocate(lineLength - from);
        utf8.reset();
        CoderResult r = utf8.decode(bytes, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            int at = bytes.position();
            throw DataFileException.atLine(name, lineNo, String.format(Locale.ROOT,
                    "not UTF-8 text: the byte 0x%02X at byte %d of the line; save the file as UTF-8",
                    line[at] & 0xFF, at + 1));
        }
        chars.flip();
        return chars.toString();
    }

    private void process(String text, long lineNo) throws DataFileException {
        int start = 0;
        int end = text.length();
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        if (start == end || text.charAt(start) == '#') {
            return;
        }
        if (separator == 0) {
            separator = text.indexOf(',', start) >= 0 ? ',' : ' ';
        }
        int fields = split(text, start, end);
        boolean firstRow = header == null && columns < 0;
        if (firstRow) {
            int numbers = 0;
            for (int f = 0; f < fields; f++) {
                numbers += isDecimal(text, bounds[2 * f], bounds[2 * f + 1]) ? 1 : 0;
            }
            if (numbers == 0) {
                readHeader(text, fields, lineNo);
                return;
            }
        }
        if (columns < 0) {
            columns = fields;
            shapeLine = lineNo;
        } else if (fields != columns) {
            throw DataFileException.atLine(name, lineNo, fields + " value" + (fields == 1 ? "" : "s") + ", expected "
                    + columns + " (as in " + (header != null && shapeLine == headerLine ? "the header on " : "")
                    + "line " + shapeLine + ")" + (separator == ' ' && text.indexOf(',') >= 0 ? "; the first row has "
                    + "no comma, so blanks separate the fields" : ""));
        }
        if (rows == lines.length) {
            lines = Arrays.copyOf(lines, grown(lines.length, rows + 1L, lineNo));
        }
        long needed = (long) (rows + 1) * columns;
        if (needed > values.length) {
            values = Arrays.copyOf(values, grown(values.length, needed, lineNo));
        }
        int at = rows * columns;
        for (int f = 0; f < fields; f++) {
            values[at + f] = number(text, bounds[2 * f], bounds[2 * f + 1], f, lineNo, firstRow);
        }
        lines[rows++] = lineNo;
    }

    private int grown(int length, long needed, long lineNo) throws DataFileException {
        if (needed > Npy.MAX_ENTRIES) {
            throw DataFileException.atLine(name, lineNo, "more than " + Npy.MAX_ENTRIES
                    + " values: too many for one array");
        }
        return (int) Math.min(Npy.MAX_ENTRIES, Math.max(needed, 2L * length));
    }

    private void readHeader(String text, int fields, long lineNo) throws DataFileException {
        List<String> names = new ArrayList<>(fields);
        Map<String, Integer> seen = new HashMap<>();
        for (int f = 0; f < fields; f++) {
            String raw = text.substring(bounds[2 * f], bounds[2 * f + 1]);
            String field = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
                    ? raw.substring(1, raw.length() - 1).strip() : raw;
            if (field.isEmpty()) {
                throw DataFileException.atLine(name, lineNo, "column " + (f + 1) + " of the header has no name"
                        + (f == 0 ? " (an index column? pandas: to_csv(..., index=False))" : ""));
            }
            Integer before = seen.put(field.toLowerCase(Locale.ROOT), f);
            if (before != null) {
                throw DataFileException.atLine(name, lineNo, "the column name " + quote(field) + " appears twice "
                        + "in the header (columns " + (before + 1) + " and " + (f + 1) + "; names are compared "
                        + "ignoring case)");
            }
            names.add(field);
        }
        header = List.copyOf(names);
        headerLine = lineNo;
        columns = fields;
        shapeLine = lineNo;
    }

    /** Finds the fields of {@code text[start, end)} into {@link #bounds}; returns their number. */
    private int split(String text, int start, int end) {
        int count = 0;
        int k = start;
        while (true) {
            int fieldEnd = k;
            if (separator == ',') {
                while (fieldEnd < end && text.charAt(fieldEnd) != ',') {
                    fieldEnd++;
                }
            } else {
                while (fieldEnd < end && !isBlank(text.charAt(fieldEnd))) {
                    fieldEnd++;
                }
            }
            int a = k;
            int b = fieldEnd;
            while (a < b && isBlank(text.charAt(a))) {
                a++;
            }
            while (b > a && isBlank(text.charAt(b - 1))) {
                b--;
            }
            if (2 * count + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, 2 * bounds.length);
            }
            bounds[2 * count] = a;
            bounds[2 * count + 1] = b;
            count++;
            if (fieldEnd >= end) {
                return count;
            }
            k = fieldEnd + 1;
            if (separator == ' ') {
                while (k < end && isBlank(text.charAt(k))) {
                    k++;
                }
            }
        }
    }

    private double number(String text, int start, int end, int column, long lineNo, boolean firstRow)
            throws DataFileException {
        if (start == end) {
            throw DataFileException.atLine(name, lineNo, "column " + (column + 1) + " is empty");
        }
        if (!isDecimal(text, start, end)) {
            throw DataFileException.atLine(name, lineNo, quote(text.substring(start, end))
                    + " is not a decimal number (column " + (column + 1) + "); numbers are written like 12, -0.5 "
                    + "or 1.5e-3" + (firstRow ? ", and a header row holds no number" : ""));
        }
        double v = Double.parseDouble(text.substring(start, end));
        if (Double.isInfinite(v)) {
            throw DataFileException.atLine(name, lineNo, quote(text.substring(start, end))
                    + " is beyond the largest double, 1.7976931348623157E308 (column " + (column + 1) + ")");
        }
        return v;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Whether {@code text[start, end)} is a decimal number: an optional sign, digits with an optional fraction (or a
     * fraction alone), an optional exponent {@code e} or {@code E} with an optional sign and digits. This is the
     * regular expression {@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?}: no Java suffixes ({@code 1d}, {@code 2f}),
     * no hexadecimal ({@code 0x1p3}), no {@code NaN} or {@code Infinity}, no blanks inside.
     */
    static boolean isDecimal(CharSequence text, int start, int end) {
        int k = start;
        if (k < end && (text.charAt(k) == '+' || text.charAt(k) == '-')) {
            k++;
        }
        int digits = 0;
        while (k < end && isDigit(text.charAt(k))) {
            k++;
            digits++;
        }
        if (k < end && text.charAt(k) == '.') {
            k++;
            while (k < end && isDigit(text.charAt(k))) {
                k++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (k < end && (text.charAt(k) == 'e' || text.charAt(k) == 'E')) {
            k++;
            if (k < end && (text.charAt(k) == '+' || text.charAt(k) == '-')) {
                k++;
            }
            int exponent = 0;
            while (k < end && isDigit(text.charAt(k))) {
                k++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return k == end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A field for a message: in quotes, control characters escaped, at most 40 characters. */
    static String quote(String field) {
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(field.length(), 40);
        for (int k = 0; k < shown; k++) {
            char c = field.charAt(k);
            if (c < 0x20 || c == 0x7F) {
                b.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(shown < field.length() ? "...'" : "'").toString();
    }
}
