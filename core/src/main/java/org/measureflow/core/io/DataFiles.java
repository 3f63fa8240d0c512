package org.measureflow.core.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Reads and writes the data of optimal transport problems: point clouds (optionally weighted), weight vectors, dense
 * matrices (cost matrices, dense plans) and sparse plans, in the format the file's extension names:
 * <ul>
 * <li>{@code .csv}, {@code .txt}, {@code .tsv}: text, read by the strict rules below; written with commas
 *     ({@code .tsv}: tabs), {@code \n} line ends, every number as {@link Double#toString(double)} writes it (which
 *     reads back to the same double);</li>
 * <li>{@code .npy}: one NumPy array, see {@link Npy};</li>
 * <li>{@code .npz}: NumPy arrays by name, see {@link Npz}; the names used are {@code points} and {@code weights} for
 *     a point cloud, {@code weights} for weights, {@code matrix} for a matrix (when reading, an archive holding a
 *     single array may name it anything), and SciPy's COO layout for sparse triples.</li>
 * </ul>
 * The extension is compared ignoring case; any other extension is an error.
 *
 * <p><b>Text rules.</b> UTF-8 text (a leading byte-order mark is skipped; a byte that is not UTF-8 is an error naming
 * its line), one row per line, {@code \n} or {@code \r\n} line ends. Blank lines and lines whose first non-blank
 * character is {@code #} are ignored. Fields are separated by commas, or, if the first row has no comma, by runs of
 * blanks (spaces and tabs); blanks around a field are ignored. The first row is a header only if none of its fields
 * is a number: then its names (surrounding double quotes removed) must be non-empty and distinct, ignoring case. A
 * first row with some numbers and some other text is a data row with a bad field (so {@code 1,2x} is an error on
 * line 1, never a dropped row). Every data row has as many fields as the first row. A number is decimal:
 * {@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?}, so a leading {@code +} is allowed, and Java literals such as
 * {@code 1d}, {@code 2f}, {@code 0x1p3}, and {@code NaN} or {@code Infinity} are not; a number beyond the largest
 * double is an error. In a point file, a column named {@code weight} (any case) holds the weights.
 *
 * <p><b>Values.</b> Coordinates and matrix entries must be finite; weights and masses finite and {@code >= 0}; the
 * weights of a cloud or weight file must have a positive total that does not overflow. These checks apply to
 * {@code .npy} and {@code .npz} data too (those formats can hold NaN; {@link Npy#read(Path)} returns it, these
 * readers reject it), naming the entry and its byte offset.
 *
 * <p><b>Errors.</b> Every problem with a file is a {@link DataFileException} whose one-line message names the file
 * and the line ({@code file:line: problem}), the byte offset ({@code file: offset N: problem}), or neither
 * ({@code file: problem}). Problems with the arguments of a write (a null or non-finite array) are
 * {@link IllegalArgumentException}s naming the argument.
 *
 * <p><b>Writing</b> is atomic: the content goes to a temporary file in the same directory, which is forced to the
 * device and then moved over the target with {@code ATOMIC_MOVE} (or {@code REPLACE_EXISTING} where the file system
 * cannot); a failed write removes the temporary file and leaves the target as it was.
 */
public final class DataFiles {
    private DataFiles() {
    }

    /** The formats, by extension. */
    private enum Kind { TEXT, NPY, NPZ }

    private static Kind kind(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        return switch (FileAccess.extension(file)) {
            case "csv", "txt", "tsv" -> Kind.TEXT;
            case "npy" -> Kind.NPY;
            case "npz" -> Kind.NPZ;
            default -> throw DataFileException.of(file.toString(), "unknown extension: data files end in .csv, "
                    + ".txt, .tsv (text), .npy or .npz (NumPy)");
        };
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /**
     * Reads a point cloud: one point per row. Text: the rows, with weights from a column named {@code weight} if the
     * header has one. {@code .npy}: an array of shape {@code (n, d)} (or {@code (n,)}: points on the line).
     * {@code .npz}: the arrays {@code points} and, if present, {@code weights} (shape {@code (n,)}), or the archive's
     * only array.
     *
     * @param file the file
     * @return the measure, uniform unless weights were read (then normalised by their sum)
     * @throws DataFileException if the file cannot be read, breaks the rules of its format, holds no point, a
     *                           non-finite coordinate, or bad weights (see the class description)
     */
    public static ParticleMeasure readPoints(Path file) throws DataFileException {
        Kind kind = kind(file);
        if (kind == Kind.TEXT) {
            Table t = CsvReader.read(file);
            return points(t, weightColumn(t), null);
        }
        if (kind == Kind.NPY) {
            return points(Npy.table(file), -1, null);
        }
        List<String> names = Npz.names(file);
        if (names.contains("points")) {
            Table weights = names.contains("weights") ? Npz.table(file, "weights") : null;
            return points(Npz.table(file, "points"), -1, weights);
        }
        return points(Npz.table(file, only(file, names, "points")), -1, null);
    }

    /**
     * Reads a point cloud whose weights, where the file does not name them, may stand in its last column: the rule
     * of the {@code mflow} command's {@code --weighted} flag. With {@code lastColumnWeights} false this is
     * {@link #readPoints(Path)}. With it true: a text file with a header takes the weights from its column named
     * {@code weight} and is uniform without one (the header names every column); a text file without a header, an
     * {@code .npy} or {@code .npz} file is read as by {@link #readWeightedPoints(Path)}.
     *
     * @param file              the file
     * @param lastColumnWeights whether a file that does not name its columns holds the weights in the last one
     * @return the measure, weights normalised by their sum
     * @throws DataFileException as {@link #readPoints(Path)} and {@link #readWeightedPoints(Path)}
     */
    public static ParticleMeasure readPoints(Path file, boolean lastColumnWeights) throws DataFileException {
        if (!lastColumnWeights) {
            return readPoints(file);
        }
        if (kind(file) == Kind.TEXT) {
            Table t = CsvReader.read(file);
            int column = weightColumn(t);
            return points(t, column >= 0 || t.header != null ? column : t.cols - 1, null);
        }
        return readWeightedPoints(file);
    }

    /**
     * Reads a weighted point cloud. Text: weights from the column named {@code weight}, or, in a file without a
     * header, from the last column. {@code .npy}: the last column of an {@code (n, d + 1)} array. {@code .npz}: the
     * arrays {@code points} and {@code weights}, or the last column of the archive's only array.
     *
     * @param file the file
     * @return the measure, weights normalised by their sum
     * @throws DataFileException as {@link #readPoints(Path)}, and if there is no weight column (a header without a
     *                           {@code weight} column, a single column, an archive without {@code weights})
     */
    public static ParticleMeasure readWeightedPoints(Path file) throws DataFileException {
        Kind kind = kind(file);
        if (kind == Kind.TEXT) {
            Table t = CsvReader.read(file);
            int column = weightColumn(t);
            if (column < 0 && t.header != null) {
                throw DataFileException.atLine(t.file, t.headerLine, "the header has no column named 'weight', "
                        + "but weights were asked for");
            }
            return points(t, column < 0 ? t.cols - 1 : column, null);
        }
        Table t;
        if (kind == Kind.NPY) {
            t = Npy.table(file);
        } else {
            List<String> names = Npz.names(file);
            if (names.contains("points")) {
                if (!names.contains("weights")) {
                    throw DataFileException.of(file.toString(), "weights were asked for, but the archive has an "
                            + "array 'points' and no array 'weights'");
                }
                return points(Npz.table(file, "points"), -1, Npz.table(file, "weights"));
            }
            t = Npz.table(file, only(file, names, "points"));
        }
        if (t.dimensions != 2 || t.cols < 2) {
            throw DataFileException.of(t.file, "weights were asked for in the last column, but the array of "
                    + t.shapeText() + " has no column besides it");
        }
        return points(t, t.cols - 1, null);
    }

    /**
     * Reads the points of one named array of an {@code .npz} archive, with uniform weights.
     *
     * @param file  the archive
     * @param array the array's name; its shape is {@code (n, d)} or {@code (n,)}
     * @return the uniform measure on its rows
     * @throws DataFileException if the file is not an {@code .npz} archive, has no such array, or the array holds no
     *                           point or a non-finite coordinate
     */
    public static ParticleMeasure readPoints(Path file, String array) throws DataFileException {
        Arguments.notNull("array", array);
        if (kind(file) != Kind.NPZ) {
            throw DataFileException.of(file.toString(), "an array name ('" + array + "') was given, but only .npz "
                    + "archives hold named arrays");
        }
        return points(Npz.table(file, array), -1, null);
    }

    /**
     * Reads a weight vector: non-negative, finite, with a positive total that does not overflow. Text: a single
     * column (header optional), or the column named {@code weight}. {@code .npy}: shape {@code (n,)} or
     * {@code (n, 1)}. {@code .npz}: the array {@code weights}, or the archive's only array.
     *
     * @param file the file
     * @return the weights as read (not normalised)
     * @throws DataFileException if the file cannot be read, breaks its format's rules, is not one column, or holds
     *                           a bad weight
     */
    public static double[] readWeights(Path file) throws DataFileException {
        Kind kind = kind(file);
        Table t;
        int column = 0;
        if (kind == Kind.TEXT) {
            t = CsvReader.read(file);
            int named = weightColumn(t);
            if (named >= 0) {
                column = named;
            } else if (t.cols > 1) {
                throw DataFileException.of(t.file, "weights are one column (or a column named 'weight'), but the "
                        + "file has " + t.cols + " columns");
            }
        } else {
            t = kind == Kind.NPY ? Npy.table(file) : npzArray(file, "weights");
            if (t.cols != 1) {
                throw DataFileException.of(t.file, "weights are an array of shape (n,) or (n, 1), got "
                        + t.shapeText());
            }
        }
        if (t.rows == 0) {
            throw DataFileException.of(t.file, "no weights (" + t.shapeText() + ")");
        }
        return weights(t, column);
    }

    /**
     * Reads a dense matrix (a cost matrix, a dense plan, a linear map), row-major, every entry finite. Text: one row
     * of the matrix per line (a header row is allowed and ignored). {@code .npy}: a 2-D array. {@code .npz}: the array
     * {@code matrix}, or the archive's only array. To wrap a cost matrix:
     * {@code CostMatrix.of(a.rows(), a.cols(), a.data())}.
     *
     * @param file the file
     * @return the matrix, {@code dimensions() == 2}
     * @throws DataFileException if the file cannot be read, breaks its format's rules, is not 2-D, is empty, or holds
     *                           a non-finite entry
     */
    public static NpyArray readMatrix(Path file) throws DataFileException {
        Kind kind = kind(file);
        Table t = kind == Kind.TEXT ? CsvReader.read(file) : kind == Kind.NPY ? Npy.table(file)
                : npzArray(file, "matrix");
        if (t.dimensions != 2) {
            throw DataFileException.of(t.file, "a matrix is a 2-D array, got " + t.shapeText()
                    + " (in NumPy: a.reshape(1, -1) for a row, a.reshape(-1, 1) for a column)");
        }
        if (t.rows == 0 || t.cols == 0) {
            throw DataFileException.of(t.file, "the matrix is empty (" + t.shapeText() + ")");
        }
        for (int r = 0; r < t.rows; r++) {
            for (int c = 0; c < t.cols; c++) {
                double v = t.data[r * t.cols + c];
                if (!Double.isFinite(v)) {
                    throw t.at(r, c, "is " + v + "; matrix entries must be finite");
                }
            }
        }
        return t.toArray();
    }

    /**
     * Reads sparse triples \( (i, j, \mathrm{mass}) \) with 0-based indices. Text: three columns {@code i, j, mass}
     * (a header row is allowed; its names are not checked), indices whole numbers; the shape is then
     * {@code n = max i + 1}, {@code m = max j + 1}. {@code .npz}: SciPy's COO layout, the arrays {@code row},
     * {@code col}, {@code data} and {@code shape} ({@code scipy.sparse.save_npz(f, P.tocoo())}).
     *
     * @param file the file ({@code .npy} holds one array, so it cannot hold triples)
     * @return the triples
     * @throws DataFileException if the file cannot be read, breaks its format's rules, lacks a column or array, or
     *                           holds an index that is not a whole number in range or a mass that is negative or not
     *                           finite
     */
    public static SparseTriples readSparseTriples(Path file) throws DataFileException {
        Kind kind = kind(file);
        if (kind == Kind.NPY) {
            throw DataFileException.of(file.toString(), "an .npy file holds one array; sparse triples are read from "
                    + "text (i,j,mass) or from an .npz archive (scipy.sparse.save_npz of a COO matrix)");
        }
        if (kind == Kind.TEXT) {
            Table t = CsvReader.read(file);
            if (t.cols != 3 && (t.rows > 0 || t.header != null)) {
                String problem = "sparse triples have three columns i, j, mass; this file has " + t.cols;
                throw t.header != null ? DataFileException.atLine(t.file, t.headerLine, problem)
                        : t.atRow(0, problem);
            }
            int[] i = indices(t, 0, Integer.MAX_VALUE, "i");
            int[] j = indices(t, 1, Integer.MAX_VALUE, "j");
            double[] mass = masses(t, 2);
            return new SparseTriples(1 + max(i), 1 + max(j), i, j, mass);
        }
        List<String> names = Npz.names(file);
        for (String required : List.of("row", "col", "data", "shape")) {
            if (!names.contains(required)) {
                throw DataFileException.of(file.toString(), "no array '" + required + "': sparse triples are the "
                        + "arrays row, col, data and shape of scipy.sparse.save_npz(f, P.tocoo()); the archive "
                        + "holds " + names);
            }
        }
        Table shape = Npz.table(file, "shape");
        if (shape.dimensions != 1 || shape.rows != 2) {
            throw DataFileException.of(shape.file, "the shape is an array (n, m), got " + shape.shapeText());
        }
        int[] nm = indices(shape, 0, Integer.MAX_VALUE, "shape");
        Table row = vector(Npz.table(file, "row"));
        Table col = vector(Npz.table(file, "col"));
        Table data = vector(Npz.table(file, "data"));
        if (col.rows != row.rows || data.rows != row.rows) {
            throw DataFileException.of(file.toString(), "the arrays row, col and data have different lengths ("
                    + row.rows + ", " + col.rows + ", " + data.rows + ")");
        }
        return new SparseTriples(nm[0], nm[1], indices(row, 0, nm[0], "row"), indices(col, 0, nm[1], "col"),
                masses(data, 0));
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /**
     * Writes a point cloud. Text: a header {@code x1,...,xd} (and {@code weight} for a non-uniform measure), then one
     * point per line. {@code .npy}: the array of shape {@code (n, d)}, for a uniform measure only. {@code .npz}: the
     * arrays {@code points} and, for a non-uniform measure, {@code weights}. What is written reads back with
     * {@link #readPoints(Path)} to the same doubles.
     *
     * @param file   the file (replaced if it exists)
     * @param points the measure
     * @throws DataFileException if the file cannot be written (then it is left as it was), or a non-uniform measure
     *                           is to be written to {@code .npy}, which holds one array
     */
    public static void writePoints(Path file, ParticleMeasure points) throws DataFileException {
        Kind kind = kind(file);
        Arguments.notNull("points", points);
        int n = points.size();
        int d = points.dimension();
        double[] flat = points.flatPoints();
        double[] weights = points.isUniform() ? null : points.weights();
        if (kind == Kind.NPY) {
            if (weights != null) {
                throw DataFileException.of(file.toString(), "cannot write a weighted measure to .npy, which holds one "
                        + "array: write .csv (with a weight column) or .npz (arrays points and weights)");
            }
            FileAccess.writeAtomically(file, out -> Npy.writeDoubles(out, flat, new long[]{n, d}));
        } else if (kind == Kind.NPZ) {
            Map<String, FileAccess.Body> entries = new LinkedHashMap<>();
            entries.put("points", out -> Npy.writeDoubles(out, flat, new long[]{n, d}));
            if (weights != null) {
                entries.put("weights", out -> Npy.writeDoubles(out, weights, new long[]{n}));
            }
            Npz.writeEntries(file, entries);
        } else {
            String[] header = new String[d + (weights == null ? 0 : 1)];
            for (int c = 0; c < d; c++) {
                header[c] = "x" + (c + 1);
            }
            if (weights != null) {
                header[d] = "weight";
            }
            writeText(file, header, n, header.length, (row, k) -> k < d ? Double.toString(flat[row * d + k])
                    : Double.toString(weights[row]));
        }
    }

    /**
     * Writes a weight vector: text with the header {@code weight} and one weight per line; {@code .npy} of shape
     * {@code (n,)}; {@code .npz} with the array {@code weights}.
     *
     * @param file    the file (replaced if it exists)
     * @param weights finite, {@code >= 0}, with a positive finite total (not modified)
     * @throws IllegalArgumentException if the weights break these rules
     * @throws DataFileException        if the file cannot be written (then it is left as it was)
     */
    public static void writeWeights(Path file, double[] weights) throws DataFileException {
        Kind kind = kind(file);
        Arguments.weights("weights", weights);
        double[] w = weights.clone();
        long[] shape = {w.length};
        if (kind == Kind.NPY) {
            FileAccess.writeAtomically(file, out -> Npy.writeDoubles(out, w, shape));
        } else if (kind == Kind.NPZ) {
            Npz.writeEntries(file, Map.of("weights", (FileAccess.Body) out -> Npy.writeDoubles(out, w, shape)));
        } else {
            writeText(file, new String[]{"weight"}, w.length, 1, (row, k) -> Double.toString(w[row]));
        }
    }

    /**
     * Writes a dense matrix, row-major (a cost matrix, a dense plan from {@code TransportPlan.toDense()}): text
     * without a header, one row per line; {@code .npy} of shape {@code (rows, cols)}; {@code .npz} with the array
     * {@code matrix}.
     *
     * @param file the file (replaced if it exists)
     * @param data the entries, row-major, {@code rows * cols} finite values (not modified)
     * @param rows the number of rows, {@code >= 1}
     * @param cols the number of columns, {@code >= 1}
     * @throws IllegalArgumentException if the sizes or entries break these rules
     * @throws DataFileException        if the file cannot be written (then it is left as it was)
     */
    public static void writeMatrix(Path file, double[] data, int rows, int cols) throws DataFileException {
        Kind kind = kind(file);
        Arguments.positive("rows", rows);
        Arguments.positive("cols", cols);
        Arguments.notNull("data", data);
        Arguments.length("data", data.length, Arguments.product("rows * cols", rows, cols));
        Arguments.finite("data", data);
        double[] copy = data.clone();
        long[] shape = {rows, cols};
        if (kind == Kind.NPY) {
            FileAccess.writeAtomically(file, out -> Npy.writeDoubles(out, copy, shape));
        } else if (kind == Kind.NPZ) {
            Npz.writeEntries(file, Map.of("matrix", (FileAccess.Body) out -> Npy.writeDoubles(out, copy, shape)));
        } else {
            writeText(file, null, rows, cols, (row, k) -> Double.toString(copy[row * cols + k]));
        }
    }

    /**
     * Writes sparse triples. Text: the header {@code i,j,mass}, then one entry per line (the shape is not stored:
     * it reads back as {@code n = max i + 1}, {@code m = max j + 1}). {@code .npz}: SciPy's COO layout (arrays
     * {@code row}, {@code col} as int64, {@code format} = {@code b'coo'}, {@code shape}, {@code data}), which
     * {@code scipy.sparse.load_npz} reads as a COO matrix and {@code np.load} as arrays.
     *
     * @param file     the file (replaced if it exists); not {@code .npy}, which holds one array
     * @param triples  the triples
     * @throws DataFileException if the file is {@code .npy} or cannot be written (then it is left as it was)
     */
    public static void writeSparseTriples(Path file, SparseTriples triples) throws DataFileException {
        Kind kind = kind(file);
        Arguments.notNull("triples", triples);
        int[] i = triples.i();
        int[] j = triples.j();
        double[] mass = triples.mass();
        if (kind == Kind.NPY) {
            throw DataFileException.of(file.toString(), "an .npy file holds one array; write sparse triples to .npz "
                    + "(scipy.sparse COO) or text, or the dense matrix to .npy with writeMatrix");
        }
        if (kind == Kind.NPZ) {
            Map<String, FileAccess.Body> entries = new LinkedHashMap<>();
            entries.put("row", out -> Npy.writeIndices(out, i));
            entries.put("col", out -> Npy.writeIndices(out, j));
            entries.put("format", out -> Npy.writeBytes(out, "coo"));
            entries.put("shape", out -> Npy.writeIndices(out, new int[]{triples.n(), triples.m()}));
            entries.put("data", out -> Npy.writeDoubles(out, mass, new long[]{mass.length}));
            Npz.writeEntries(file, entries);
        } else {
            writeText(file, new String[]{"i", "j", "mass"}, mass.length, 3, (row, k) -> k == 0
                    ? Integer.toString(i[row]) : k == 1 ? Integer.toString(j[row]) : Double.toString(mass[row]));
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The text of cell {@code (row, k)}. */
    private interface Cells {
        String cell(int row, int k);
    }

    /** Writes {@code rows} lines of {@code columns} cells, after the header if it is not null. */
    private static void writeText(Path file, String[] header, int rows, int columns, Cells cells)
            throws DataFileException {
        char separator = FileAccess.extension(file).equals("tsv") ? '\t' : ',';
        FileAccess.writeAtomically(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            if (header != null) {
                w.write(String.join(String.valueOf(separator), header));
                w.write('\n');
            }
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < columns; k++) {
                    if (k > 0) {
                        w.write(separator);
                    }
                    w.write(cells.cell(r, k));
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    /** The column of a text table's header named {@code weight} (any case), or -1. */
    private static int weightColumn(Table t) {
        if (t.header == null) {
            return -1;
        }
        for (int c = 0; c < t.header.size(); c++) {
            if (t.header.get(c).toLowerCase(Locale.ROOT).equals("weight")) {
                return c;
            }
        }
        return -1;
    }

    /** The name of the single array of an archive, or {@code preferred} if it is there. */
    private static String only(Path file, List<String> names, String preferred) throws DataFileException {
        if (names.contains(preferred)) {
            return preferred;
        }
        if (names.size() != 1) {
            throw DataFileException.of(file.toString(), "which array? the archive holds " + names + " and none is "
                    + "named '" + preferred + "'");
        }
        return names.get(0);
    }

    private static Table npzArray(Path file, String preferred) throws DataFileException {
        return Npz.table(file, only(file, Npz.names(file), preferred));
    }

    /**
     * The measure on the rows of {@code t}: coordinates are every column but {@code weightColumn} (-1: none);
     * weights from that column, or from {@code weights} (a separate array), or uniform.
     */
    private static ParticleMeasure points(Table t, int weightColumn, Table weights) throws DataFileException {
        if (t.rows == 0) {
            throw DataFileException.of(t.file, "no points (" + (t.isText() ? "the file is empty or holds only a "
                    + "header" : t.shapeText()) + ")");
        }
        int d = t.cols - (weightColumn >= 0 ? 1 : 0);
        if (d < 1) {
            throw DataFileException.of(t.file, "no coordinates (" + (weightColumn >= 0 ? "only a weight column"
                    : t.shapeText()) + ")");
        }
        double[] flat = new double[Math.multiplyExact(t.rows, d)];
        int k = 0;
        for (int r = 0; r < t.rows; r++) {
            for (int c = 0; c < t.cols; c++) {
                if (c == weightColumn) {
                    continue;
                }
                double v = t.data[r * t.cols + c];
                if (!Double.isFinite(v)) {
                    throw t.at(r, c, "is " + v + "; coordinates must be finite");
                }
                flat[k++] = v;
            }
        }
        double[] w = null;
        if (weightColumn >= 0) {
            w = weights(t, weightColumn);
        } else if (weights != null) {
            if (weights.cols != 1 || weights.rows != t.rows) {
                throw DataFileException.of(weights.file, "the weights have " + weights.shapeText() + ", but there are "
                        + t.rows + " points: shape (" + t.rows + ",) is needed");
            }
            w = weights(weights, 0);
        }
        return ParticleMeasure.fromFlat(flat, d, w);
    }

    /** Column {@code col} of {@code t} as weights: finite, {@code >= 0}, a positive total that does not overflow. */
    private static double[] weights(Table t, int col) throws DataFileException {
        double[] w = new double[t.rows];
        double total = 0;
        for (int r = 0; r < t.rows; r++) {
            double v = t.data[r * t.cols + col];
            if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
                throw t.at(r, col, "the weight " + v + " is not a finite number >= 0");
            }
            total += v;
            if (total == Double.POSITIVE_INFINITY) {
                throw t.at(r, col, "the weights sum past the largest double (1.8e308) here; divide them by a common "
                        + "factor");
            }
            w[r] = v;
        }
        if (!(total > 0)) {
            throw DataFileException.of(t.file, "the weights (" + t.column(col) + ") sum to 0; at least one must be "
                    + "positive");
        }
        return w;
    }

    /** A 1-D array, or an error naming its shape. */
    private static Table vector(Table t) throws DataFileException {
        if (t.dimensions != 1) {
            throw DataFileException.of(t.file, "a 1-D array is needed, got " + t.shapeText());
        }
        return t;
    }

    /** Column {@code col} of {@code t} as whole numbers in {@code [0, bound)}. */
    private static int[] indices(Table t, int col, int bound, String what) throws DataFileException {
        int[] out = new int[t.rows];
        for (int r = 0; r < t.rows; r++) {
            double v = t.data[r * t.cols + col];
            if (!(v >= 0 && v < bound && v == Math.rint(v))) {
                throw t.at(r, col, "the " + what + " " + v + " is not a whole number in [0, " + bound + ")");
            }
            out[r] = (int) v;
        }
        return out;
    }

    /** Column {@code col} of {@code t} as masses: finite and {@code >= 0}. */
    private static double[] masses(Table t, int col) throws DataFileException {
        double[] out = new double[t.rows];
        for (int r = 0; r < t.rows; r++) {
            double v = t.data[r * t.cols + col];
            if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
                throw t.at(r, col, "the mass " + v + " is not a finite number >= 0");
            }
            out[r] = v;
        }
        return out;
    }

    private static int max(int[] values) {
        int m = -1;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
