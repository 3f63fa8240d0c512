package org.measureflow.spark;

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.measureflow.core.TextSummary;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.DataFiles;

/**
 * The command {@code ./mflow-spark} (or {@code spark-submit --class org.measureflow.spark.PairwiseCommand
 * spark/target/mflow-spark.jar ...}): the pairwise matrix of a {@link PairMethod} between the point clouds of a
 * folder ({@code .npy}, {@code .npz} or CSV files, one cloud per file) or of a Parquet table, on Spark.
 *
 * <pre>
 * mflow-spark --input DIR [--glob '*.{npy,csv}'] | --parquet TABLE [--id COLUMN]
 *             [--method exact-w2|sinkhorn|sliced-w2|bures-w2] [--epsilon E] [--directions L] [--seed S]
 *             [--block-size B] [--master local[*]] [--out PAIRS.parquet] [--matrix FILE.csv|FILE.npy]
 * </pre>
 *
 * <p>It prints one summary line and the matrix (its corner when \( K \gt 4 \)); {@code --out} writes the
 * \( K(K-1)/2 \) entries with their diagnostics to Parquet ({@link PairwiseMatrix#schema()}), {@code --matrix} the
 * \( K \times K \) matrix. Exit status as {@code mflow}: 0 success; 1 internal error; 2 bad input (options, files,
 * a measure or pair that a solver rejects), one line {@code mflow-spark: <problem>} naming the file, measure or
 * option; 3 a solve did not converge (the summary is printed, no file is written). Never a stack trace, unless
 * {@code --debug} or {@code MFLOW_DEBUG=1}. Spark's own logging is off unless {@code --debug}. Run in a JVM that
 * already has a Spark session (a test, a notebook), it uses that session and leaves it running.
 */
public final class PairwiseCommand {
    private static final String USAGE = String.join("\n",
            "usage: mflow-spark --input DIR [--glob PATTERN] | --parquet TABLE [--id COLUMN] [options]",
            "  --input DIR          a folder of point clouds, one per file (.npy, .npz, .csv, .txt, .tsv)",
            "  --glob PATTERN       which files of the folder (default '*.{npy,npz,csv}')",
            "  --parquet TABLE      a Parquet table with one row per point instead",
            "  --id COLUMN          its column naming each row's measure (default: one measure per file)",
            "  --method M           exact-w2 (default), sinkhorn, sliced-w2 or bures-w2",
            "  --epsilon E          the regularisation of sinkhorn (required for it), squared length units",
            "  --directions L       directions of sliced-w2 (default 100), drawn with --seed (default 1)",
            "  --block-size B       measures per block (default: automatic, 4 tasks per core)",
            "  --master URL         Spark master (default local[*]; spark-submit's when launched by it)",
            "  --out PATH           write the entries (i, j, value, diagnostics) to this Parquet folder",
            "  --matrix FILE        write the K x K matrix (.csv or .npy)",
            "  --debug              Spark's warnings and the stack trace of an internal error",
            "exit status: 0 success, 1 internal error, 2 bad input, 3 a solve did not converge");

    private PairwiseCommand() {
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the options (see the class description)
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command; never throws and never exits.
     *
     * @param args the options
     * @param out  where the summary goes
     * @param err  where the one-line problems go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = "1".equals(System.getenv("MFLOW_DEBUG")) || List.of(args).contains("--debug");
        quietLogging(debug);
        try {
            return execute(options(args), out, err);
        } catch (IllegalArgumentException e) {
            err.println("mflow-spark: " + SparkErrors.firstLine(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return 2;
        } catch (Throwable t) {
            err.println("mflow-spark: internal error: " + t.getClass().getSimpleName() + ": " + SparkErrors.firstLine(
                    String.valueOf(t.getMessage())) + (debug ? "" : " (--debug or MFLOW_DEBUG=1 for the stack trace)"));
            if (debug) {
                t.printStackTrace(err);
            }
            return 1;
        }
    }

    private static int execute(Map<String, String> o, PrintStream out, PrintStream err) {
        if (o.containsKey("help")) {
            out.println(USAGE);
            return 0;
        }
        String master = o.get("master");
        if (master == null && System.getProperty("spark.master") == null) {
            master = "local[*]";
        }
        String outPath = o.get("out");
        if (outPath != null && Files.exists(Path.of(outPath))) {
            throw new IllegalArgumentException("--out: " + outPath + " exists; give a new folder");
        }
        Path matrixFile = o.containsKey("matrix") ? Path.of(o.get("matrix")) : null;
        if (matrixFile != null) {
            Path parent = matrixFile.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("--matrix: the folder " + parent + " does not exist");
            }
        }
        int blockSize = o.containsKey("block-size") ? integer(o, "block-size", 1) : PairwiseMatrix.AUTOMATIC;
        MeasureBatch files = null;
        if (o.containsKey("input")) {
            if (o.containsKey("parquet")) {
                throw new IllegalArgumentException("--input and --parquet: give one of them");
            }
            files = MeasureBatch.readFolder(Path.of(o.get("input")), o.getOrDefault("glob", "*.{npy,npz,csv}"));
        } else if (!o.containsKey("parquet")) {
            throw new IllegalArgumentException("--input or --parquet is required (--help for the usage)");
        }
        SparkSession.Builder builder = SparkSession.builder().appName("mflow-spark");
        if (master != null) {
            builder = builder.master(master);
            if (master.startsWith("local")) {
                builder = builder.config("spark.ui.enabled", "false");
            }
        }
        boolean existed = SparkSession.getDefaultSession().isDefined();
        SparkSession spark;
        try {
            spark = builder.getOrCreate();
        } catch (Exception e) { // SparkException is checked, thrown undeclared
            throw new IllegalArgumentException("--master " + master + ": cannot start Spark: " + SparkErrors.firstLine(e),
                    e);
        }
        try {
            MeasureBatch batch = files != null ? files : MeasureBatch.readParquet(spark, o.get("parquet"), o.get("id"));
            PairMethod method = method(o, batch.dimension());
            PairwiseMatrix matrix = PairwiseMatrix.of(method).withBlockSize(blockSize);
            long start = System.nanoTime();
            Dataset<Row> entries = matrix.entries(spark, batch).cache();
            PairwiseResult r = collect(entries, batch, matrix, spark);
            double seconds = (System.nanoTime() - start) * 1e-9;
            int k = batch.size();
            long pairs = (long) k * (k - 1) / 2;
            out.println("mflow-spark: " + method.name() + ", K = " + k + " measures in dimension " + batch.dimension()
                    + ", " + pairs + " pairs, blocks of " + r.blockSize() + " (" + r.tasks() + " tasks) on "
                    + spark.sparkContext().master() + ", " + String.format(Locale.ROOT, "%.2f", seconds) + " s, "
                    + r.unconverged() + " not converged, largest error " + TextSummary.number(r.largestError()));
            out.println(TextSummary.matrix(r.matrix(), k, k) + "  (rows and columns: "
                    + String.join(", ", batch.names().subList(0, Math.min(k, 4))) + (k > 4 ? ", ..." : "") + ")");
            if (r.unconverged() > 0) {
                err.println("mflow-spark: " + r.unconverged() + " of " + pairs + " solves did not converge; "
                        + "no file written (raise the solver's budget or epsilon)");
                return 3;
            }
            if (matrixFile != null) {
                DataFiles.writeMatrix(matrixFile, r.matrix(), k, k);
                out.println("mflow-spark: wrote the matrix to " + matrixFile);
            }
            if (outPath != null) {
                try {
                    entries.write().parquet(outPath);
                } catch (Exception e) { // AnalysisException is checked, thrown undeclared
                    throw new IllegalArgumentException("--out: cannot write " + outPath + ": "
                            + SparkErrors.firstLine(e), e);
                }
                out.println("mflow-spark: wrote " + pairs + " entries to " + outPath);
            }
            return 0;
        } catch (DataFileException e) {
            throw new IllegalArgumentException("--matrix: " + e.getMessage(), e);
        } finally {
            if (!existed) {
                spark.stop();
            }
        }
    }

    /** Runs the cached entries once and fills the matrix from them. */
    private static PairwiseResult collect(Dataset<Row> entries, MeasureBatch batch, PairwiseMatrix matrix,
            SparkSession spark) {
        List<Row> rows;
        try {
            rows = entries.collectAsList();
        } catch (Exception e) { // SparkException is checked, thrown undeclared
            throw SparkErrors.rethrown(e);
        }
        int k = batch.size();
        double[] d = new double[Math.multiplyExact(k, k)];
        long iterations = 0;
        long unconverged = 0;
        double largest = 0;
        for (Row row : rows) {
            int i = row.getInt(0);
            int j = row.getInt(1);
            d[i * k + j] = row.getDouble(4);
            d[j * k + i] = row.getDouble(4);
            iterations += row.getLong(5);
            unconverged += row.getBoolean(6) ? 0 : 1;
            largest = Math.max(largest, row.getDouble(7));
        }
        int b = matrix.blockSizeFor(k, Math.max(1, spark.sparkContext().defaultParallelism()));
        int g = (k + b - 1) / b;
        return new PairwiseResult(matrix.method().name(), batch.names(), d, b, PairwiseMatrix.tasks(g).size(),
                iterations, unconverged, largest);
    }

    private static PairMethod method(Map<String, String> o, int d) {
        String m = o.getOrDefault("method", "exact-w2");
        switch (m) {
            case "exact-w2":
                return PairMethod.exactW2();
            case "sinkhorn":
                if (!o.containsKey("epsilon")) {
                    throw new IllegalArgumentException("--epsilon is required with --method sinkhorn (squared length "
                            + "units; it has no scale-free default)");
                }
                return PairMethod.sinkhornDivergence(real(o, "epsilon"));
            case "sliced-w2":
                int directions = o.containsKey("directions") ? integer(o, "directions", 1) : 100;
                long seed = o.containsKey("seed") ? seed(o.get("seed")) : 1L;
                return PairMethod.slicedW2(directions, d, new SplittableRandom(seed));
            case "bures-w2":
                return PairMethod.buresW2();
            default:
                throw new IllegalArgumentException("--method: unknown method '" + m
                        + "' (exact-w2, sinkhorn, sliced-w2 or bures-w2)");
        }
    }

    private static final List<String> VALUED = List.of("input", "glob", "parquet", "id", "method", "epsilon",
            "directions", "seed", "block-size", "master", "out", "matrix");
    private static final List<String> FLAGS = List.of("help", "debug");

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        for (int a = 0; a < rest.size(); a++) {
            String arg = rest.get(a);
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            String value = null;
            if (name != null && name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            }
            if (name == null || !(VALUED.contains(name) || FLAGS.contains(name) || name.equals("h"))) {
                throw new IllegalArgumentException("unknown option '" + arg + "' (--help for the usage)");
            }
            if (name.equals("h")) {
                name = "help";
            }
            if (FLAGS.contains(name)) {
                o.put(name, "true");
                continue;
            }
            if (value == null) {
                if (a + 1 >= rest.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = rest.get(++a);
            }
            if (o.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        return o;
    }

    private static int integer(Map<String, String> o, String name, int min) {
        try {
            int v = Integer.parseInt(o.get(name));
            if (v < min) {
                throw new IllegalArgumentException("--" + name + " must be >= " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not an integer: '" + o.get(name) + "'", e);
        }
    }

    private static long seed(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed: not an integer: '" + s + "'", e);
        }
    }

    private static double real(Map<String, String> o, String name) {
        String s = o.get(name);
        if (!s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("--" + name + ": not a decimal number: '" + s + "'");
        }
        return Double.parseDouble(s);
    }

    /** Spark's logging off (errors of other libraries only) unless a configuration is given or --debug. */
    private static void quietLogging(boolean debug) {
        if (debug || System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        URL config = PairwiseCommand.class.getResource("mflow-spark-log4j2.properties");
        if (config != null) {
            System.setProperty("log4j2.configurationFile", config.toString());
        }
    }
}
