package org.measureflow.spark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.measureflow.core.Arguments;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.DataFiles;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * \( K \) named measures of one dimension \( d \), checked on the driver before any of them is shipped: the input
 * of {@link PairwiseMatrix} and {@link SinkhornBatch}. Either point clouds
 * \( \mu_k = \sum_i a^k_i \delta_{x^k_i} \) (of possibly different sizes \( n_k \)) or Gaussians
 * \( \mathcal N(m_k, \Sigma_k) \).
 *
 * <p>Every rule is checked when the batch is made, so that a bad measure stops the job before it starts, with an
 * {@link IllegalArgumentException} naming the measure by index and name ({@code measures[7] ('cells-t3.csv')}) and
 * the problem: a null measure or name, a dimension other than the first measure's, an empty file, a non-finite
 * coordinate or weight (files: the readers of {@link DataFiles} name the line or byte offset too).
 *
 * <p>Sources: lists of measures in memory ({@link #ofClouds}, {@link #ofGaussians}); one file per cloud
 * ({@code .npy}, {@code .npz}, {@code .csv}, {@code .txt}, {@code .tsv}, read by {@link DataFiles#readPoints(Path)})
 * with {@link #readFiles} and {@link #readFolder}; a Parquet table with one row per point
 * ({@link #readParquet}).
 *
 * <p>Executors rebuild each cloud from its points and normalised weights with
 * {@link ParticleMeasure#fromFlat(double[], int, double[])}; the batch holds the clouds rebuilt the same way
 * ({@link #cloud(int)}), so that the driver and the executors see the same bits. (Uniform clouds are rebuilt exactly;
 * normalising weights that already sum to 1 may move a weight by an ulp.) Immutable.
 */
public final class MeasureBatch {
    private final List<String> names;
    private final List<ParticleMeasure> clouds; // null for Gaussians
    private final List<GaussianMeasure> gaussians; // null for clouds
    private final int d;

    private MeasureBatch(List<String> names, List<ParticleMeasure> clouds, List<GaussianMeasure> gaussians, int d) {
        this.names = Collections.unmodifiableList(names);
        this.clouds = clouds == null ? null : Collections.unmodifiableList(clouds);
        this.gaussians = gaussians == null ? null : Collections.unmodifiableList(gaussians);
        this.d = d;
    }

    /**
     * The clouds named {@code measure 0}, {@code measure 1}, ... in list order.
     *
     * @param clouds \( K \ge 1 \) point clouds of one dimension
     * @return the batch
     * @throws IllegalArgumentException if {@code clouds} is null or empty, holds a null, or the dimensions differ
     */
    public static MeasureBatch ofClouds(List<ParticleMeasure> clouds) {
        Arguments.nonEmpty("clouds", Arguments.notNull("clouds", clouds));
        return ofClouds(defaultNames(clouds.size()), clouds);
    }

    /**
     * Named clouds.
     *
     * @param names  one name per cloud (used in messages and in the {@code source} and {@code target} columns)
     * @param clouds \( K \ge 1 \) point clouds of one dimension
     * @return the batch
     * @throws IllegalArgumentException if a list is null, empty or holds a null, the sizes differ, or the
     *                                  dimensions differ (naming the first cloud that differs)
     */
    public static MeasureBatch ofClouds(List<String> names, List<ParticleMeasure> clouds) {
        List<String> n = checkedNames(names, clouds, "clouds");
        List<ParticleMeasure> rebuilt = new ArrayList<>(clouds.size());
        int d = clouds.get(0).dimension();
        for (int k = 0; k < clouds.size(); k++) {
            ParticleMeasure m = clouds.get(k);
            checkDimension("clouds", k, n, m.dimension(), d);
            rebuilt.add(rebuilt(m));
        }
        return new MeasureBatch(n, rebuilt, null, d);
    }

    /**
     * Named Gaussians (for {@link PairMethod#buresW2()}).
     *
     * @param names     one name per Gaussian
     * @param gaussians \( K \ge 1 \) Gaussians of one dimension
     * @return the batch
     * @throws IllegalArgumentException if a list is null, empty or holds a null, the sizes differ, or the
     *                                  dimensions differ
     */
    public static MeasureBatch ofGaussians(List<String> names, List<GaussianMeasure> gaussians) {
        List<String> n = checkedNames(names, gaussians, "gaussians");
        int d = gaussians.get(0).dimension();
        for (int k = 0; k < gaussians.size(); k++) {
            checkDimension("gaussians", k, n, gaussians.get(k).dimension(), d);
        }
        return new MeasureBatch(n, null, new ArrayList<>(gaussians), d);
    }

    /**
     * One cloud per file, named by the file name, read by {@link DataFiles#readPoints(Path)} (the format by
     * extension: {@code .npy}, {@code .npz}, {@code .csv}, {@code .txt}, {@code .tsv}).
     *
     * @param files \( K \ge 1 \) files
     * @return the batch
     * @throws IllegalArgumentException if the list is null or empty, a file cannot be read or breaks its format's
     *                                  rules (empty, a non-finite coordinate, ...: one line naming the file and
     *                                  the line or offset), or the dimensions differ
     */
    public static MeasureBatch readFiles(List<Path> files) {
        Arguments.nonEmpty("files", Arguments.notNull("files", files));
        List<String> names = new ArrayList<>(files.size());
        List<ParticleMeasure> clouds = new ArrayList<>(files.size());
        for (int k = 0; k < files.size(); k++) {
            Path f = Arguments.notNull("files[" + k + "]", files.get(k));
            names.add(f.getFileName() == null ? f.toString() : f.getFileName().toString());
            try {
                clouds.add(DataFiles.readPoints(f));
            } catch (DataFileException e) {
                throw new IllegalArgumentException("files[" + k + "] ('" + names.get(k) + "'): " + e.getMessage(), e);
            }
        }
        return ofClouds(names, clouds);
    }

    /**
     * The files of a folder whose names match a glob ({@code *.npy}, {@code cells-*.csv},
     * {@code *.{npy,csv}}), in the order of their names, read as by {@link #readFiles}.
     *
     * @param folder the folder
     * @param glob   the pattern of {@link java.nio.file.FileSystem#getPathMatcher} without the {@code glob:} prefix
     * @return the batch
     * @throws IllegalArgumentException if the folder cannot be listed, no file matches, or as {@link #readFiles}
     */
    public static MeasureBatch readFolder(Path folder, String glob) {
        Arguments.notNull("folder", folder);
        Arguments.notNull("glob", glob);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, glob)) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("folder: cannot list " + folder + " with the pattern '" + glob + "': "
                    + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("folder: no file in " + folder + " matches '" + glob + "'");
        }
        files.sort(null);
        return readFiles(files);
    }

    /**
     * Clouds from a Parquet table with one row per point: the measure's name in {@code idColumn} (any type, read as
     * text), the coordinates in every other numeric column (in the table's column order), and optional weights in a
     * column named {@code weight}. A column named {@code point} orders the points of each measure; without one
     * they keep the order in which Spark reads the rows (one file per table keeps the file's order). The measures
     * are sorted by name. With {@code idColumn} null, each file of the table is one measure, named by its path.
     * The table is collected to the driver (the measures must fit there anyway: every one is checked before the
     * job starts).
     *
     * @param spark    the session
     * @param path     the table (a file or a folder of Parquet files)
     * @param idColumn the column naming the measure of each row, or {@code null} for one measure per file
     * @return the batch
     * @throws IllegalArgumentException if the table cannot be read, has no coordinate column, the id column is
     *                                  missing or null in a row, or a measure breaks a rule (a non-finite
     *                                  coordinate: naming the measure, the point and the coordinate)
     */
    public static MeasureBatch readParquet(SparkSession spark, String path, String idColumn) {
        Arguments.notNull("spark", spark);
        Arguments.notNull("path", path);
        Dataset<Row> table;
        try {
            table = spark.read().parquet(path);
        } catch (Exception e) { // AnalysisException is checked, thrown undeclared
            throw new IllegalArgumentException("path: cannot read the Parquet table " + path + ": "
                    + SparkErrors.firstLine(e), e);
        }
        String id = idColumn;
        if (id == null) {
            id = "__measure_file";
            table = table.withColumn(id, functions.input_file_name());
        } else if (!List.of(table.columns()).contains(id)) {
            throw new IllegalArgumentException("idColumn: the table " + path + " has no column '" + id
                    + "' (its columns: " + String.join(", ", table.columns()) + ")");
        }
        List<String> coords = new ArrayList<>();
        boolean weighted = false;
        boolean ordered = false;
        for (StructField f : table.schema().fields()) {
            String name = f.name();
            if (name.equals(id)) {
                continue;
            }
            if (name.equalsIgnoreCase("weight")) {
                weighted = true;
            } else if (name.equalsIgnoreCase("point")) {
                ordered = true;
            } else if (f.dataType() instanceof NumericType) {
                coords.add(name);
            }
        }
        if (coords.isEmpty()) {
            throw new IllegalArgumentException("path: the table " + path + " has no numeric coordinate column");
        }
        List<Column> select = new ArrayList<>();
        select.add(functions.col(id).cast(DataTypes.StringType));
        for (String c : coords) {
            select.add(functions.col(c).cast(DataTypes.DoubleType));
        }
        select.add(weighted ? functions.col("weight").cast(DataTypes.DoubleType) : functions.lit(1.0));
        Dataset<Row> rows = table;
        if (ordered) {
            rows = rows.orderBy(functions.col(id), functions.col("point"));
        }
        List<Row> collected = rows.select(select.toArray(new Column[0])).collectAsList();
        return fromRows(collected, coords.size(), weighted, path);
    }

    private static MeasureBatch fromRows(List<Row> rows, int d, boolean weighted, String path) {
        Map<String, double[][]> grouped = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.isNullAt(0)) {
                throw new IllegalArgumentException("path: a row of " + path + " has no measure id");
            }
            counts.merge(r.getString(0), 1, Integer::sum);
        }
        List<String> names = new ArrayList<>(counts.keySet());
        names.sort(null);
        for (String name : names) {
            int n = counts.get(name);
            grouped.put(name, new double[][]{new double[Arguments.product("points of " + name, n, d)],
                    new double[n], new double[1]});
        }
        for (Row r : rows) {
            double[][] g = grouped.get(r.getString(0));
            int i = (int) g[2][0];
            for (int k = 0; k < d; k++) {
                g[0][i * d + k] = r.isNullAt(1 + k) ? Double.NaN : r.getDouble(1 + k);
            }
            g[1][i] = r.isNullAt(1 + d) ? Double.NaN : r.getDouble(1 + d);
            g[2][0] = i + 1;
        }
        List<ParticleMeasure> clouds = new ArrayList<>(names.size());
        for (int k = 0; k < names.size(); k++) {
            double[][] g = grouped.get(names.get(k));
            try {
                clouds.add(ParticleMeasure.fromFlat(g[0], d, weighted ? g[1] : null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label(k, names.get(k)) + " of " + path + ": " + e.getMessage(), e);
            }
        }
        return ofClouds(names, clouds);
    }

    /** The number \( K \) of measures. */
    public int size() {
        return names.size();
    }

    /** The dimension \( d \) shared by all measures. */
    public int dimension() {
        return d;
    }

    /** Whether the measures are Gaussians (otherwise point clouds). */
    public boolean gaussian() {
        return gaussians != null;
    }

    /** The names of the measures, in order (unmodifiable). */
    public List<String> names() {
        return names;
    }

    /**
     * The cloud {@code k}, as the executors rebuild it.
     *
     * @throws IllegalArgumentException if {@code k} is out of range or the batch holds Gaussians
     */
    public ParticleMeasure cloud(int k) {
        Arguments.index("k", k, size());
        if (clouds == null) {
            throw new IllegalArgumentException("k: this batch holds Gaussians, not clouds");
        }
        return clouds.get(k);
    }

    /**
     * The Gaussian {@code k}.
     *
     * @throws IllegalArgumentException if {@code k} is out of range or the batch holds clouds
     */
    public GaussianMeasure gaussianMeasure(int k) {
        Arguments.index("k", k, size());
        if (gaussians == null) {
            throw new IllegalArgumentException("k: this batch holds clouds, not Gaussians");
        }
        return gaussians.get(k);
    }

    /** One line: the kind, \( K \), \( d \) and the first names. */
    @Override
    public String toString() {
        long points = 0;
        if (clouds != null) {
            for (ParticleMeasure m : clouds) {
                points += m.size();
            }
        }
        List<String> shown = names.subList(0, Math.min(4, names.size()));
        return "MeasureBatch[" + (gaussian() ? "Gaussians" : "clouds") + ", K=" + size() + ", d=" + d
                + (clouds == null ? "" : ", points=" + points) + ", names=" + shown
                + (names.size() > shown.size() ? " ..." : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** The measure {@code k} as it travels to an executor. */
    ShippedMeasure shipped(int k) {
        return clouds != null ? ShippedMeasure.cloud(k, names.get(k), clouds.get(k))
                : ShippedMeasure.gaussian(k, names.get(k), gaussians.get(k));
    }

    /** The cloud as an executor rebuilds it from its points and weights. */
    static ParticleMeasure rebuilt(ParticleMeasure m) {
        return ParticleMeasure.fromFlat(m.flatPoints(), m.dimension(), m.isUniform() ? null : m.weights());
    }

    static String label(int k, String name) {
        return "measures[" + k + "] ('" + name + "')";
    }

    private static List<String> defaultNames(int k) {
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add("measure " + i);
        }
        return names;
    }

    private static List<String> checkedNames(List<String> names, List<?> measures, String what) {
        Arguments.notNull("names", names);
        Arguments.nonEmpty(what, Arguments.notNull(what, measures));
        Arguments.length("names", names.size(), measures.size());
        for (int k = 0; k < measures.size(); k++) {
            Arguments.notNull("names[" + k + "]", names.get(k));
            if (measures.get(k) == null) {
                throw new IllegalArgumentException(what + "[" + k + "] ('" + names.get(k) + "') must not be null");
            }
        }
        return new ArrayList<>(names);
    }

    private static void checkDimension(String what, int k, List<String> names, int dk, int d) {
        if (dk != d) {
            throw new IllegalArgumentException(what + "[" + k + "] ('" + names.get(k) + "') has dimension " + dk
                    + ", expected " + d + " (the dimension of " + what + "[0] ('" + names.get(0) + "'))");
        }
    }
}
