package org.measureflow.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.measureflow.core.measure.ParticleMeasure;

/**
 * Reads and writes point clouds as CSV: one point per row, values separated by commas (or, for a file without
 * commas, by blanks), blank lines and lines starting with {@code #} ignored. The first row may be a header (any
 * row with a field that is not a number); a header column named {@code weight} (any case) holds the weights, and
 * without a header the last column does when {@code weighted} is asked for. Weights must be finite and
 * non-negative with a positive total; they are normalised. Every problem is reported as a
 * {@link CsvFormatException} with the file, the line and the problem; valid input never loses a row.
 */
public final class PointCsv {
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
        String name = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CsvFormatException(name + ": no such file");
        } catch (IOException e) {
            throw new CsvFormatException(name + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        int weightColumn = -1;
        int columns = -1;
        int firstDataLine = -1;
        List<double[]> rows = new ArrayList<>();
        boolean headerSeen = false;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (ln == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = split(line);
            int lineNo = ln + 1;
            if (!headerSeen && rows.isEmpty() && !allNumbers(fields)) {
                headerSeen = true;
                columns = fields.length;
                for (int c = 0; c < fields.length; c++) {
                    if (fields[c].strip().replace("\"", "").equalsIgnoreCase("weight")) {
                        weightColumn = c;
                    }
                }
                continue;
            }
            if (columns < 0) {
                columns = fields.length;
                if (weighted) {
                    weightColumn = columns - 1;
                }
            }
            if (fields.length != columns) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: %d values, expected %d (as in %s)",
                        name, lineNo, fields.length, columns, headerSeen ? "the header" : "line " + firstDataLine));
            }
            if (firstDataLine < 0) {
                firstDataLine = lineNo;
            }
            double[] row = new double[columns];
            for (int c = 0; c < columns; c++) {
                String f = fields[c].strip();
                try {
                    row[c] = Double.parseDouble(f);
                } catch (NumberFormatException e) {
                    throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: '%s' is not a number (column %d)",
                            name, lineNo, f, c + 1));
                }
                if (!Double.isFinite(row[c])) {
                    throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: '%s' is not finite (column %d)",
                            name, lineNo, f, c + 1));
                }
            }
            if (weightColumn >= 0 && row[weightColumn] < 0) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s:%d: negative weight %s", name, lineNo,
                        fields[weightColumn].strip()));
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new CsvFormatException(name + ": no points (the file is empty or holds only a header)");
        }
        int d = columns - (weightColumn >= 0 ? 1 : 0);
        if (d < 1) {
            throw new CsvFormatException(name + ": no coordinate columns (only a weight column)");
        }
        double[] flat = new double[rows.size() * d];
        double[] w = weightColumn >= 0 ? new double[rows.size()] : null;
        double total = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            int k = 0;
            for (int c = 0; c < columns; c++) {
                if (c == weightColumn) {
                    w[i] = row[c];
                    total += row[c];
                } else {
                    flat[i * d + k++] = row[c];
                }
            }
        }
        if (w != null) {
            if (!(total > 0)) {
                throw new CsvFormatException(name + ": the weights sum to " + total + ", not to a positive number");
            }
            return ParticleMeasure.fromFlat(flat, d, w);
        }
        return ParticleMeasure.fromFlat(flat, d);
    }

    private static String[] split(String line) {
        if (line.indexOf(',') >= 0) {
            return line.split(",", -1);
        }
        return line.split("\\s+");
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
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
        }
    }
}
