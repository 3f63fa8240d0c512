package org.measureflow.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The pairwise matrix \( D_{ij} = \delta(\mu_i, \mu_j) \) of a {@link PairMethod} \( \delta \) between the \( K \)
 * measures of a {@link MeasureBatch}, computed on Spark: the \( K(K-1)/2 \) pairs \( i \lt j \) of the upper
 * triangle, each once; \( D \) is symmetric by construction and its diagonal is 0 (every method is 0 on equal
 * measures), neither computed.
 *
 * <p><b>Blocks.</b> The indices are cut into \( g = \lceil K/b \rceil \) blocks of \( b \) consecutive measures
 * (the block size). A task computes all pairs between two blocks \( r \lt s \) (\( b^2 \) pairs), or the pairs inside
 * two diagonal blocks \( r \) and \( g-1-r \) (\( 2\cdot b(b-1)/2 \) pairs, so that every task has about \( b^2 \)
 * pairs): \( \approx g^2/2 \) balanced tasks. Each block is one Spark broadcast, fetched by an executor once and
 * shared by all its tasks, so a measure travels to an executor once per block, not once per pair, and the driver
 * holds each measure once. The automatic block size ({@link #AUTOMATIC}, the default) aims at
 * {@value #TASKS_PER_CORE} tasks per core of the session's default parallelism \( p \):
 * \( g = \lceil\sqrt{2 \cdot \text{TASKS\_PER\_CORE} \cdot p}\,\rceil \), \( b = \lceil K/g \rceil \)
 * ({@link #blockSizeFor}). See {@code docs/spark.md} for sizing on a cluster.
 *
 * <p><b>Same bits.</b> Each pair is one call of the single-machine solver, in one thread, on measures rebuilt as the
 * batch rebuilds them: the values are the bits of the plain double loop
 * {@code for i < j: delta(batch.cloud(i), batch.cloud(j))}, whatever the master, the block size and the retries (a
 * retried task recomputes its pairs; Spark keeps the results of exactly one successful attempt per task, and
 * {@link #compute} checks that every pair arrived exactly once).
 *
 * <p><b>Failures.</b> A pair that the solver rejects (a singular covariance for {@link PairMethod#buresW2()}, an
 * epsilon too small for the clouds' range) fails the job; {@link #compute} and {@link #write} throw an
 * {@link IllegalArgumentException} with one line naming the pair, the two measures and the problem, not Spark's
 * executor stack trace. Bad measures are caught earlier, when the {@link MeasureBatch} is made.
 *
 * <p>Defaults ({@link #of(PairMethod)}): block size {@link #AUTOMATIC}. Immutable and thread-safe.
 */
public final class PairwiseMatrix {
    /** The block size chosen from \( K \) and the session's default parallelism ({@link #blockSizeFor}). */
    public static final int AUTOMATIC = 0;
    /** Tasks per core aimed at by the automatic block size: room for the scheduler to even out slow tasks. */
    public static final int TASKS_PER_CORE = 4;
    /** The most entries \( K^2 \) of a matrix {@link #compute} collects: \( 2^{27} \) (1 GiB of doubles). */
    public static final long MAX_COLLECTED_ENTRIES = 1L << 27;

    private final PairMethod method;
    private final int blockSize;

    private PairwiseMatrix(PairMethod method, int blockSize) {
        this.method = method;
        this.blockSize = blockSize;
    }

    /**
     * The matrix of {@code method}, with the automatic block size.
     *
     * @param method the distance or divergence of each pair
     * @return the configured matrix
     * @throws IllegalArgumentException if {@code method} is null
     */
    public static PairwiseMatrix of(PairMethod method) {
        return new PairwiseMatrix(Arguments.notNull("method", method), AUTOMATIC);
    }

    /**
     * This matrix with another block size.
     *
     * @param blockSize measures per block \( b \ge 1 \), or {@link #AUTOMATIC}
     * @return a new configured matrix
     * @throws IllegalArgumentException if {@code blockSize} is negative
     */
    public PairwiseMatrix withBlockSize(int blockSize) {
        return new PairwiseMatrix(method, Arguments.nonNegative("blockSize", blockSize));
    }

    /** The method of each pair. */
    public PairMethod method() {
        return method;
    }

    /** Measures per block, or {@link #AUTOMATIC}. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * The block size used for \( K \) measures on \( p \) cores: the configured one, or the automatic
     * \( b = \lceil K / g\rceil \), \( g = \min(K, \lceil\sqrt{2 \cdot \text{TASKS\_PER\_CORE} \cdot p}\,\rceil) \).
     *
     * @param k           the number of measures, {@code >= 1}
     * @param parallelism the number of cores, {@code >= 1}
     * @return \( b \ge 1 \)
     * @throws IllegalArgumentException if {@code k} or {@code parallelism} is not positive
     */
    public int blockSizeFor(int k, int parallelism) {
        Arguments.positive("k", k);
        Arguments.positive("parallelism", parallelism);
        if (blockSize != AUTOMATIC) {
            return Math.min(blockSize, k);
        }
        long g = Math.min(k, (long) Math.ceil(Math.sqrt(2.0 * TASKS_PER_CORE * parallelism)));
        return (int) ((k + g - 1) / g);
    }

    /**
     * The columns of {@link #entries}: {@code i}, {@code j} (int, \( i \lt j \)), {@code source}, {@code target}
     * (the measures' names), {@code value} (double), {@code iterations} (long), {@code converged} (boolean),
     * {@code error}, {@code tolerance} (double: the solver's error and the tolerance it was tested against) and
     * {@code termination} (the name of the {@link org.measureflow.core.iteration.Termination}).
     *
     * @return the schema
     */
    public static StructType schema() {
        return new StructType()
                .add("i", DataTypes.IntegerType, false)
                .add("j", DataTypes.IntegerType, false)
                .add("source", DataTypes.StringType, false)
                .add("target", DataTypes.StringType, false)
                .add("value", DataTypes.DoubleType, false)
                .add("iterations", DataTypes.LongType, false)
                .add("converged", DataTypes.BooleanType, false)
                .add("error", DataTypes.DoubleType, false)
                .add("tolerance", DataTypes.DoubleType, false)
                .add("termination", DataTypes.StringType, false);
    }

    /**
     * The \( K(K-1)/2 \) entries \( i \lt j \) as a lazy dataset of {@link #schema()} rows, for matrices too large
     * to collect: filter, aggregate or write it. Errors surface in the action that runs it, as Spark's
     * exceptions; {@link #write} unwraps them.
     *
     * @param spark the session
     * @param batch the measures
     * @return the dataset (not yet computed)
     * @throws IllegalArgumentException if an argument is null or the method does not fit the batch
     */
    public Dataset<Row> entries(SparkSession spark, MeasureBatch batch) {
        Job job = job(spark, batch);
        List<String> names = new ArrayList<>(batch.names());
        JavaRDD<Row> rows = job.pairs.map(v -> v.toRow(names.get(v.i()), names.get(v.j())));
        return spark.createDataFrame(rows, schema());
    }

    /**
     * Computes the entries and writes them to Parquet ({@link #schema()} columns).
     *
     * @param spark the session
     * @param batch the measures
     * @param path  the output folder; it must not exist
     * @return the number of entries written, \( K(K-1)/2 \)
     * @throws IllegalArgumentException if an argument is null, the method does not fit the batch, a pair is
     *                                  rejected (one line naming it), or the output cannot be written
     */
    public long write(SparkSession spark, MeasureBatch batch, String path) {
        Arguments.notNull("path", path);
        Dataset<Row> entries = entries(spark, batch);
        try {
            entries.write().parquet(path);
        } catch (Exception e) { // SparkException and AnalysisException are checked, thrown undeclared
            RuntimeException r = SparkErrors.rethrown(e);
            if (r instanceof IllegalArgumentException) {
                throw r;
            }
            throw new IllegalArgumentException("path: cannot write " + path + ": " + SparkErrors.firstLine(e), e);
        }
        long k = batch.size();
        return k * (k - 1) / 2;
    }

    /**
     * Computes every pair and collects the \( K \times K \) matrix to the driver.
     *
     * @param spark the session
     * @param batch the measures
     * @return the matrix and the diagnostics of the solves
     * @throws IllegalArgumentException if an argument is null, the method does not fit the batch,
     *                                  \( K^2 \gt \) {@link #MAX_COLLECTED_ENTRIES}, or a pair is rejected (one line
     *                                  naming it)
     */
    public PairwiseResult compute(SparkSession spark, MeasureBatch batch) {
        Arguments.notNull("batch", batch);
        int k = batch.size();
        long entries = Math.multiplyExact((long) k, (long) k);
        if (entries > MAX_COLLECTED_ENTRIES) {
            throw new IllegalArgumentException("batch: K = " + k + " measures make a matrix of " + entries
                    + " entries, more than the " + MAX_COLLECTED_ENTRIES + " that compute collects; use entries(...) "
                    + "or write(...)");
        }
        Job job = job(spark, batch);
        List<PairValue> values;
        try {
            values = job.pairs.collect();
        } catch (Exception e) { // SparkException and AnalysisException are checked, thrown undeclared
            throw SparkErrors.rethrown(e);
        } finally {
            job.release();
        }
        double[] matrix = new double[(int) entries];
        boolean[] seen = new boolean[(int) entries];
        long iterations = 0;
        long unconverged = 0;
        double largestError = 0;
        for (PairValue v : values) {
            int at = v.i() * k + v.j();
            if (v.i() >= v.j() || seen[at]) {
                throw new IllegalStateException("pair (" + v.i() + ", " + v.j() + ") arrived twice or off the upper "
                        + "triangle (a bug in measureflow-spark)");
            }
            seen[at] = true;
            matrix[at] = v.value();
            matrix[v.j() * k + v.i()] = v.value();
            iterations += v.iterations();
            unconverged += v.converged() ? 0 : 1;
            largestError = Math.max(largestError, v.error());
        }
        long expected = (long) k * (k - 1) / 2;
        if (values.size() != expected) {
            throw new IllegalStateException(values.size() + " pairs arrived, expected " + expected
                    + " (a bug in measureflow-spark)");
        }
        return new PairwiseResult(method.name(), batch.names(), matrix, job.blockSize, job.tasks, iterations,
                unconverged, largestError);
    }

    /** One line: the method and the block size. */
    @Override
    public String toString() {
        return "PairwiseMatrix[" + method.name() + ", blockSize="
                + (blockSize == AUTOMATIC ? "automatic" : Integer.toString(blockSize)) + "]";
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** The planned job: the blocks broadcast, the tasks and the (lazy) pairs they compute. */
    private static final class Job {
        final List<Broadcast<ShippedMeasure[]>> blocks;
        final int blockSize;
        final int tasks;
        final JavaRDD<PairValue> pairs;

        Job(List<Broadcast<ShippedMeasure[]>> blocks, int blockSize, int tasks, JavaRDD<PairValue> pairs) {
            this.blocks = blocks;
            this.blockSize = blockSize;
            this.tasks = tasks;
            this.pairs = pairs;
        }

        void release() {
            for (Broadcast<ShippedMeasure[]> b : blocks) {
                b.destroy();
            }
        }
    }

    private Job job(SparkSession spark, MeasureBatch batch) {
        Arguments.notNull("spark", spark);
        Arguments.notNull("batch", batch);
        method.check(batch);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int k = batch.size();
        int b = blockSizeFor(k, Math.max(1, jsc.defaultParallelism()));
        int g = (k + b - 1) / b;
        List<Broadcast<ShippedMeasure[]>> blocks = new ArrayList<>(g);
        for (int r = 0; r < g; r++) {
            int lo = r * b;
            int hi = Math.min(k, lo + b);
            ShippedMeasure[] block = new ShippedMeasure[hi - lo];
            for (int i = lo; i < hi; i++) {
                block[i - lo] = batch.shipped(i);
            }
            blocks.add(jsc.broadcast(block));
        }
        List<int[]> tasks = tasks(g);
        JavaRDD<PairValue> pairs = jsc.parallelize(tasks, Math.max(1, tasks.size()))
                .flatMap(new BlockTask(method, blocks));
        return new Job(blocks, b, tasks.size(), pairs);
    }

    /**
     * The tasks over \( g \) blocks, each a flat list of block pairs {@code r0, s0, r1, s1, ...}: every off-diagonal
     * pair \( r \lt s \) alone, the diagonal blocks two by two (\( r \) with \( g-1-r \)).
     */
    static List<int[]> tasks(int g) {
        List<int[]> tasks = new ArrayList<>();
        for (int r = 0; r < g; r++) {
            for (int s = r + 1; s < g; s++) {
                tasks.add(new int[]{r, s});
            }
        }
        for (int r = 0; r < g - 1 - r; r++) {
            tasks.add(new int[]{r, r, g - 1 - r, g - 1 - r});
        }
        if (g % 2 == 1) {
            tasks.add(new int[]{g / 2, g / 2});
        }
        return tasks;
    }

    /** One task: all pairs of its block pairs, from the blocks' broadcasts. */
    private static final class BlockTask implements FlatMapFunction<int[], PairValue>, Serializable {
        private static final long serialVersionUID = 1L;
        private final PairMethod method;
        private final List<Broadcast<ShippedMeasure[]>> blocks;

        BlockTask(PairMethod method, List<Broadcast<ShippedMeasure[]>> blocks) {
            this.method = method;
            this.blocks = blocks;
        }

        @Override
        public Iterator<PairValue> call(int[] task) {
            Object solver = method.solver();
            List<int[]> pairs = new ArrayList<>();
            for (int t = 0; t < task.length; t += 2) {
                ShippedMeasure[] left = blocks.get(task[t]).value();
                ShippedMeasure[] right = blocks.get(task[t + 1]).value();
                boolean diagonal = task[t] == task[t + 1];
                for (int a = 0; a < left.length; a++) {
                    for (int c = diagonal ? a + 1 : 0; c < right.length; c++) {
                        pairs.add(new int[]{t, a, c});
                    }
                }
            }
            Rebuilt measures = new Rebuilt(blocks, task);
            List<PairValue> out = new ArrayList<>(pairs.size());
            boolean fail = SparkErrors.injectedFailure();
            for (int p = 0; p < pairs.size(); p++) {
                if (fail && p == pairs.size() / 2) {
                    throw new IllegalStateException("injected failure of the first attempt of this task (test hook "
                            + SparkErrors.FAIL_FIRST_ATTEMPT + ")");
                }
                int[] q = pairs.get(p);
                out.add(measures.evaluate(method, solver, q[0], q[1], q[2]));
            }
            return out.iterator();
        }
    }

    /** The measures of one task, rebuilt once each from their blocks. */
    private static final class Rebuilt {
        private final ShippedMeasure[][] shipped;
        private final Object[][] rebuilt;

        Rebuilt(List<Broadcast<ShippedMeasure[]>> blocks, int[] task) {
            shipped = new ShippedMeasure[task.length][];
            rebuilt = new Object[task.length][];
            for (int t = 0; t < task.length; t++) {
                shipped[t] = blocks.get(task[t]).value();
                rebuilt[t] = new Object[shipped[t].length];
            }
        }

        /** Pair {@code t} of the task: measure {@code a} of its left block with measure {@code c} of its right. */
        PairValue evaluate(PairMethod method, Object solver, int t, int a, int c) {
            ShippedMeasure x = shipped[t][a];
            ShippedMeasure y = shipped[t + 1][c];
            Object mx = measure(t, a);
            Object my = measure(t + 1, c);
            try {
                if (x.gaussian) {
                    return method.evaluate(x.index, y.index, (GaussianMeasure) mx, (GaussianMeasure) my);
                }
                return method.evaluate(solver, x.index, y.index, (ParticleMeasure) mx, (ParticleMeasure) my);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pair (" + x.index + ", " + y.index + ") of " + x.label() + " and "
                        + y.label() + ": " + method.name() + ": " + e.getMessage());
            }
        }

        private Object measure(int t, int a) {
            if (rebuilt[t][a] == null) {
                ShippedMeasure m = shipped[t][a];
                rebuilt[t][a] = m.gaussian ? m.toGaussian() : m.toCloud();
            }
            return rebuilt[t][a];
        }
    }
}
