package org.measureflow.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.DataFiles;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The command line's point files: read and written by {@link DataFiles} of {@code core} (CSV, NumPy {@code .npy},
 * {@code .npz}, chosen by the file's extension; the strict CSV rules are documented there: a header row only if
 * none of its fields is a number, distinct header names, decimal numbers only, a {@code weight} column), with two
 * limits of the command line on top: files up to {@link #MAX_BYTES} and coordinates up to {@link #MAX_COORDINATE}
 * in magnitude, so that squared distances \( |x - y|^2 \le 4 d \max|x_c|^2 \) stay finite in double precision.
 * Every problem is a {@link CsvFormatException} whose one-line message names the file, the line or byte offset
 * when there is one, and the problem.
 */
public final class PointCsv {
    /** Largest magnitude of a coordinate read, \( 10^{150} \): then \( |x - y|^2 \le 4 d \cdot 10^{300} \) is finite. */
    public static final double MAX_COORDINATE = 1e150;
    /** Largest file read, 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    private PointCsv() {
    }

    /**
     * Reads the points of {@code file}.
     *
     * @param file     a {@code .csv} (or {@code .txt}, {@code .tsv}), {@code .npy} or {@code .npz} file
     * @param weighted whether the weights are in the last column of a file without a header (see
     *                 {@link DataFiles#readPoints(Path, boolean)})
     * @return the measure (uniform weights when there is no weight column)
     * @throws CsvFormatException on a missing, unreadable, too large, empty or malformed file, or a coordinate beyond
     *                            {@link #MAX_COORDINATE}
     */
    public static ParticleMeasure read(Path file, boolean weighted) throws CsvFormatException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new CsvFormatException(name + ": is a directory, not a data file");
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw new CsvFormatException(String.format(Locale.ROOT, "%s: %d bytes; at most %d (1 GiB) are read",
                        name, Files.size(file), MAX_BYTES));
            }
        } catch (IOException e) {
            throw new CsvFormatException(name + ": cannot read (" + e.getMessage() + ")");
        }
        ParticleMeasure points;
        try {
            points = DataFiles.readPoints(file, weighted);
        } catch (DataFileException e) {
            throw new CsvFormatException(e.getMessage());
        }
        int d = points.dimension();
        for (int i = 0; i < points.size(); i++) {
            for (int c = 0; c < d; c++) {
                double v = points.coordinate(i, c);
                if (Math.abs(v) > MAX_COORDINATE) {
                    throw new CsvFormatException(String.format(Locale.ROOT, "%s: point %d, coordinate %d is %s: values"
                            + " beyond %s make squared distances overflow double precision; rescale the data", name,
                            i + 1, c + 1, v, "1e150"));
                }
            }
        }
        return points;
    }

    /** Whether {@code field} (already stripped) is a decimal number in the accepted syntax. */
    static boolean isDecimal(String field) {
        return DECIMAL.matcher(field).matches();
    }

    /**
     * Writes the points (CSV with a header {@code x1,...,xd} and full precision, or {@code .npy} / {@code .npz} by the
     * extension), atomically.
     *
     * @param file   the file
     * @param points the points
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, ParticleMeasure points) throws IOException {
        DataFiles.writePoints(file, points);
    }
}
