package org.measureflow.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Independent entropic problems given as rows, one Sinkhorn divergence per row with its own \( \varepsilon \): a
 * parameter sweep, or a chosen list of pairs. For the row \( (s, t, \varepsilon) \) over the clouds of a
 * {@link MeasureBatch},
 * \[ S_\varepsilon(\mu_s, \mu_t) = \mathrm{OT}_\varepsilon(\mu_s,\mu_t) - \tfrac12\mathrm{OT}_\varepsilon(\mu_s,\mu_s)
 *    - \tfrac12\mathrm{OT}_\varepsilon(\mu_t,\mu_t), \qquad \mathrm{OT}_\varepsilon(a,b) = \min_{P\in U(a,b)}
 *    \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b) \]
 * (survey &sect;4, eq. 10 with entropic regularisation; {@link SinkhornDivergence}), squared Euclidean cost, with the
 * three terms and how the three solves ended.
 *
 * <p><b>Input</b>: a dataset with the columns {@code source} and {@code target} (integral indices into the batch),
 * {@code epsilon} (double), and optionally {@code id} (integral; without it, Spark's
 * {@code monotonically_increasing_id()} numbers the rows). <b>Output</b>: one row per problem, columns of
 * {@link #schema()}; {@link #results(Dataset)} collects them as {@link BatchProblemResult} records. (Spark 4.2's
 * bean encoder does not map records, and beans would need {@code getX}/{@code setX}: the dataset is a DataFrame of a
 * fixed schema, typed on the driver.) A row whose index is out of range or whose epsilon the solver rejects fails the
 * job with one line naming the row's id.
 *
 * <p>Each row is solved by {@code SinkhornDivergence.of(solver.withEpsilon(epsilon))} for the solver the
 * {@link Recipe} makes (once per task), so every setting but epsilon is the recipe's. The batch's clouds are
 * broadcast once (each executor fetches them once). Defaults ({@link #withDefaults()}): the solver
 * {@code SinkhornSolver.of(1).withParallel(false)} (its epsilon is replaced by each row's). Immutable.
 */
public final class SinkhornBatch {
    private final Recipe<SinkhornSolver> solver;

    private SinkhornBatch(Recipe<SinkhornSolver> solver) {
        this.solver = solver;
    }

    /** The batch with the default solver: every setting of {@link SinkhornSolver} at its default, serial. */
    public static SinkhornBatch withDefaults() {
        return new SinkhornBatch(() -> SinkhornSolver.of(1.0).withParallel(false));
    }

    /**
     * The batch with the solver the recipe makes (its epsilon is replaced by each row's).
     *
     * @param solver makes the configured solver on each executor
     * @return the batch
     * @throws IllegalArgumentException if {@code solver} is null or makes null
     */
    public static SinkhornBatch of(Recipe<SinkhornSolver> solver) {
        Arguments.notNull("solver", solver);
        if (solver.make() == null) {
            throw new IllegalArgumentException("solver: the recipe made null");
        }
        return new SinkhornBatch(solver);
    }

    /**
     * The columns of the output: {@code id}, {@code source}, {@code target} (long), {@code epsilon},
     * {@code value} (\( S_\varepsilon \)), {@code crossTerm}, {@code selfSource}, {@code selfTarget} (double),
     * {@code iterations} (long, of the three solves), {@code converged} (boolean), {@code error} (the largest L1
     * marginal error of the three plans), {@code tolerance} (double) and {@code termination} (text).
     *
     * @return the schema
     */
    public static StructType schema() {
        return new StructType()
                .add("id", DataTypes.LongType, false)
                .add("source", DataTypes.LongType, false)
                .add("target", DataTypes.LongType, false)
                .add("epsilon", DataTypes.DoubleType, false)
                .add("value", DataTypes.DoubleType, false)
                .add("crossTerm", DataTypes.DoubleType, false)
                .add("selfSource", DataTypes.DoubleType, false)
                .add("selfTarget", DataTypes.DoubleType, false)
                .add("iterations", DataTypes.LongType, false)
                .add("converged", DataTypes.BooleanType, false)
                .add("error", DataTypes.DoubleType, false)
                .add("tolerance", DataTypes.DoubleType, false)
                .add("termination", DataTypes.StringType, false);
    }

    /**
     * Solves every row (lazily: the dataset is computed by the action that uses it).
     *
     * @param spark    the session
     * @param batch    the clouds the rows index
     * @param problems the rows: {@code source}, {@code target}, {@code epsilon}, optional {@code id}
     * @return one row per problem, {@link #schema()}
     * @throws IllegalArgumentException if an argument is null, the batch holds Gaussians, or a column is missing
     */
    public Dataset<Row> solve(SparkSession spark, MeasureBatch batch, Dataset<Row> problems) {
        Arguments.notNull("spark", spark);
        Arguments.notNull("batch", batch);
        Arguments.notNull("problems", problems);
        if (batch.gaussian()) {
            throw new IllegalArgumentException("batch: Sinkhorn problems need point clouds; the batch holds Gaussians");
        }
        List<String> columns = List.of(problems.columns());
        for (String c : List.of("source", "target", "epsilon")) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("problems: no column '" + c + "' (the columns: "
                        + String.join(", ", columns) + ")");
            }
        }
        Column id = columns.contains("id") ? functions.col("id").cast(DataTypes.LongType)
                : functions.monotonically_increasing_id();
        Dataset<Row> typed = problems.select(id, functions.col("source").cast(DataTypes.LongType),
                functions.col("target").cast(DataTypes.LongType), functions.col("epsilon").cast(DataTypes.DoubleType));
        ShippedMeasure[] shipped = new ShippedMeasure[batch.size()];
        for (int k = 0; k < shipped.length; k++) {
            shipped[k] = batch.shipped(k);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ShippedMeasure[]> measures = jsc.broadcast(shipped);
        JavaRDD<Row> rows = typed.javaRDD().mapPartitions(new Solve(solver, measures));
        return spark.createDataFrame(rows, schema());
    }

    /**
     * Runs {@code solved} (the output of {@link #solve}) and collects its rows as records, in id order.
     *
     * @param solved the output of {@link #solve}
     * @return one record per problem
     * @throws IllegalArgumentException if {@code solved} is null or a row failed (one line naming it)
     */
    public static List<BatchProblemResult> results(Dataset<Row> solved) {
        Arguments.notNull("solved", solved);
        List<Row> rows;
        try {
            rows = solved.orderBy("id").collectAsList();
        } catch (Exception e) { // SparkException and AnalysisException are checked, thrown undeclared
            throw SparkErrors.rethrown(e);
        }
        List<BatchProblemResult> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Convergence c = new Convergence(r.getLong(8), r.getDouble(10), r.getDouble(11),
                    Termination.valueOf(r.getString(12)));
            out.add(new BatchProblemResult(r.getLong(0), r.getLong(1), r.getLong(2), r.getDouble(3), r.getDouble(4),
                    r.getDouble(5), r.getDouble(6), r.getDouble(7), c));
        }
        return out;
    }

    /** One line: the solver's settings as the recipe makes them. */
    @Override
    public String toString() {
        return "SinkhornBatch[" + solver.make() + "]";
    }

    /** The task: each row of a partition, with one solver and the clouds rebuilt once each. */
    private static final class Solve implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Recipe<SinkhornSolver> recipe;
        private final Broadcast<ShippedMeasure[]> measures;

        Solve(Recipe<SinkhornSolver> recipe, Broadcast<ShippedMeasure[]> measures) {
            this.recipe = recipe;
            this.measures = measures;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            SinkhornSolver base = recipe.make();
            ShippedMeasure[] shipped = measures.value();
            ParticleMeasure[] clouds = new ParticleMeasure[shipped.length];
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                long id = r.getLong(0);
                try {
                    long s = index("source", r, 1, shipped.length);
                    long t = index("target", r, 2, shipped.length);
                    double eps = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
                    ParticleMeasure x = cloud(clouds, shipped, (int) s);
                    ParticleMeasure y = cloud(clouds, shipped, (int) t);
                    SinkhornDivergenceResult d = SinkhornDivergence.of(base.withEpsilon(eps)).valueAndGradient(x, y);
                    Convergence c = d.convergence();
                    out.add(RowFactory.create(id, s, t, eps, d.value(), d.crossTerm(), d.selfSource(),
                            d.selfTarget(), c.iterations(), c.converged(), c.error(), c.tolerance(),
                            c.termination().name()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("problems row id " + id + ": " + e.getMessage());
                }
            }
            return out.iterator();
        }

        private static long index(String name, Row r, int column, int k) {
            if (r.isNullAt(column)) {
                throw new IllegalArgumentException(name + " is missing");
            }
            long v = r.getLong(column);
            if (v < 0 || v >= k) {
                throw new IllegalArgumentException(name + " = " + v + " is not a measure index in [0, " + k + ")");
            }
            return v;
        }

        private static ParticleMeasure cloud(ParticleMeasure[] clouds, ShippedMeasure[] shipped, int k) {
            if (clouds[k] == null) {
                clouds[k] = shipped[k].toCloud();
            }
            return clouds[k];
        }
    }
}
