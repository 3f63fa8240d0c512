package org.measureflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.io.DataFiles;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.RandomInputs;

/** Measures from files and Parquet, Parquet output, and bad input stopped with one line naming the measure. */
class MeasureBatchTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "data");
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    private static void assertOneLine(String message, String... parts) {
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' in: " + message);
        }
    }

    @Test
    void theExamplesSnapshotsAreReadInNameOrder() {
        MeasureBatch b = MeasureBatch.readFolder(EXAMPLES, "cells-*.csv");
        assertEquals(List.of("cells-t0.csv", "cells-t1.csv", "cells-t2.csv", "cells-t3.csv"), b.names());
        assertEquals(2, b.dimension());
        assertEquals(600, b.cloud(3).size());
    }

    @Test
    void npyFilesRoundTripToTheSameBits() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            clouds.add(RandomInputs.pointCloud(rng, 10 + k, 3));
            DataFiles.writePoints(dir.resolve("m" + k + ".npy"), clouds.get(k));
        }
        MeasureBatch b = MeasureBatch.readFolder(dir, "*.npy");
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(clouds.get(k).flatPoints(), b.cloud(k).flatPoints());
        }
    }

    @Test
    void aParquetTableWithAnIdColumnGivesOneCloudPerId() {
        StructType schema = new StructType().add("measure", DataTypes.StringType).add("point", DataTypes.IntegerType)
                .add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        List<Row> rows = List.of(RowFactory.create("b", 1, 5.0, 6.0, 1.0), RowFactory.create("a", 0, 1.0, 2.0, 3.0),
                RowFactory.create("b", 0, 3.0, 4.0, 1.0), RowFactory.create("a", 1, 0.0, 0.0, 1.0));
        String path = dir.resolve("table").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        MeasureBatch b = MeasureBatch.readParquet(spark, path, "measure");
        assertEquals(List.of("a", "b"), b.names());
        assertArrayEquals(new double[]{1, 2, 0, 0}, b.cloud(0).flatPoints());
        assertArrayEquals(new double[]{0.75, 0.25}, b.cloud(0).weights());
        assertArrayEquals(new double[]{3, 4, 5, 6}, b.cloud(1).flatPoints(), "ordered by the point column");
    }

    @Test
    void withoutAnIdColumnEachParquetFileIsOneCloud() throws IOException {
        StructType schema = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
        Path all = Files.createDirectories(dir.resolve("all"));
        for (int m = 0; m < 2; m++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i <= m + 2; i++) {
                rows.add(RowFactory.create((double) m, (double) i));
            }
            Path one = dir.resolve("one" + m);
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(one.toString());
            try (var files = Files.list(one)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".parquet"))::iterator) {
                    Files.move(f, all.resolve("m" + m + ".parquet"));
                }
            }
        }
        MeasureBatch b = MeasureBatch.readParquet(spark, all.toString(), null);
        assertEquals(2, b.size());
        assertTrue(b.names().get(0).endsWith("m0.parquet") && b.names().get(1).endsWith("m1.parquet"), b.names()
                .toString());
        assertArrayEquals(new double[]{0, 0, 0, 1, 0, 2}, b.cloud(0).flatPoints());
        assertEquals(4, b.cloud(1).size());
    }

    @Test
    void nanCoordinatesInParquetAreRejectedNamingTheMeasure() {
        StructType schema = new StructType().add("measure", DataTypes.StringType).add("x", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType);
        List<Row> rows = List.of(RowFactory.create("ok", 1.0, 2.0), RowFactory.create("bad", 1.0, Double.NaN));
        String path = dir.resolve("nan").toString();
        spark.createDataFrame(rows, schema).write().parquet(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeasureBatch.readParquet(spark, path, "measure"));
        assertOneLine(e.getMessage(), "'bad'", "finite", "NaN");
    }

    @Test
    void anEmptyFileIsRejectedNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "1,2\n3,4\n");
        Files.writeString(dir.resolve("b.csv"), "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeasureBatch.readFolder(dir, "*.csv"));
        assertOneLine(e.getMessage(), "files[1]", "b.csv");
    }

    @Test
    void aCloudOfAnotherDimensionIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeasureBatch.readFiles(
                List.of(EXAMPLES.resolve("cells-t0.csv"), EXAMPLES.resolve("tokens.csv"))));
        assertOneLine(e.getMessage(), "[1]", "tokens.csv", "dimension 3", "expected 2", "cells-t0.csv");
    }

    @Test
    void aPairTheSolverRejectsFailsTheJobWithOneLineNamingThePair() {
        // clouds 1e4 apart: a cost range R of about 1e8, and epsilon = 1e-6 below the 1e-12 R that the Sinkhorn
        // solver accepts; only the executor sees the pair, so the job fails there and the driver throws one line
        ParticleMeasure near = ParticleMeasure.of(new double[][]{{0, 0}, {1, 0}, {0, 1}});
        ParticleMeasure far = ParticleMeasure.of(new double[][]{{1e4, 0}, {1e4, 1}});
        MeasureBatch b = MeasureBatch.ofClouds(List.of("near", "far"), List.of(near, far));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairwiseMatrix.of(PairMethod.sinkhornDivergence(1e-6)).compute(spark, b));
        assertOneLine(e.getMessage(), "pair (0, 1)", "'near'", "'far'", "sinkhorn-divergence", "epsilon");
    }

    @Test
    void entriesWrittenToParquetReadBackAsTheMatrix() {
        SplittableRandom rng = new SplittableRandom(11);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            clouds.add(RandomInputs.pointCloud(rng, 8 + k, 2));
        }
        MeasureBatch b = MeasureBatch.ofClouds(clouds);
        PairwiseMatrix m = PairwiseMatrix.of(PairMethod.exactW2()).withBlockSize(2);
        String path = dir.resolve("out").toString();
        assertEquals(15, m.write(spark, b, path));
        double[] d = m.compute(spark, b).matrix();
        Dataset<Row> back = spark.read().parquet(path);
        assertEquals(PairwiseMatrix.schema().fieldNames().length, back.columns().length);
        List<Row> rows = back.collectAsList();
        assertEquals(15, rows.size());
        for (Row r : rows) {
            int i = r.getInt(r.fieldIndex("i"));
            int j = r.getInt(r.fieldIndex("j"));
            assertEquals(d[i * 6 + j], r.getDouble(r.fieldIndex("value")));
            assertEquals("measure " + i, r.getString(r.fieldIndex("source")));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.write(spark, b, path));
        assertOneLine(e.getMessage(), "path", "out");
    }
}
