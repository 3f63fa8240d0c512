package org.measureflow.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.RandomInputs;

/** Rows of independent problems, each with its epsilon, against the same calls on one machine. */
class SinkhornBatchTest {
    private static final StructType PROBLEMS = new StructType().add("id", DataTypes.LongType)
            .add("source", DataTypes.IntegerType).add("target", DataTypes.IntegerType)
            .add("epsilon", DataTypes.DoubleType);
    private static SparkSession spark;
    private static MeasureBatch batch;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        SplittableRandom rng = new SplittableRandom(5);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            clouds.add(RandomInputs.pointCloud(rng, 15 + 3 * k, 2));
        }
        batch = MeasureBatch.ofClouds(clouds);
    }

    @Test
    void everyRowIsTheSingleMachineDivergenceWithItsEpsilon() {
        List<Row> rows = new ArrayList<>();
        double[] eps = {0.05, 0.1, 0.5, 1.0};
        long id = 0;
        for (int s = 0; s < 5; s++) {
            for (int t = 0; t < 5; t++) {
                rows.add(RowFactory.create(id++, s, t, eps[(s + t) % eps.length]));
            }
        }
        Dataset<Row> problems = spark.createDataFrame(rows, PROBLEMS).repartition(3);
        List<BatchProblemResult> results = SinkhornBatch.results(
                SinkhornBatch.withDefaults().solve(spark, batch, problems));
        assertEquals(25, results.size());
        SinkhornSolver base = SinkhornSolver.of(1.0).withParallel(false);
        for (BatchProblemResult r : results) {
            SinkhornDivergenceResult expected = SinkhornDivergence.of(base.withEpsilon(r.epsilon()))
                    .valueAndGradient(batch.cloud((int) r.source()), batch.cloud((int) r.target()));
            assertEquals(r.id(), r.source() * 5 + r.target());
            assertEquals(eps[(int) ((r.source() + r.target()) % eps.length)], r.epsilon());
            assertEquals(Double.doubleToRawLongBits(expected.value()), Double.doubleToRawLongBits(r.value()));
            assertEquals(expected.crossTerm(), r.crossTerm());
            assertEquals(expected.iterations(), r.iterations());
            assertEquals(expected.error(), r.error());
            assertTrue(r.converged(), r.toString());
        }
    }

    @Test
    void aRowOutOfRangeFailsTheJobWithOneLineNamingIt() {
        List<Row> rows = List.of(RowFactory.create(7L, 0, 1, 0.1), RowFactory.create(8L, 0, 9, 0.1));
        Dataset<Row> solved = SinkhornBatch.withDefaults().solve(spark, batch, spark.createDataFrame(rows, PROBLEMS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SinkhornBatch.results(solved));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("row id 8") && e.getMessage().contains("target = 9"), e.getMessage());
    }

    @Test
    void aNonPositiveEpsilonFailsNamingTheRowAndEpsilon() {
        List<Row> rows = List.of(RowFactory.create(3L, 0, 1, -1.0));
        Dataset<Row> solved = SinkhornBatch.withDefaults().solve(spark, batch, spark.createDataFrame(rows, PROBLEMS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SinkhornBatch.results(solved));
        assertTrue(e.getMessage().contains("row id 3") && e.getMessage().contains("epsilon"), e.getMessage());
    }
}
