package org.measureflow.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.io.DataFiles;

/** The command on the examples' snapshots, and its one-line failures with their exit statuses. */
class PairwiseCommandTest {
    private static final String DATA = Path.of("..", "examples", "data").toString();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SparkTestSession.get(); // the command uses the running session (and leaves it running)
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PairwiseCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExamplesSnapshotsGiveTheLibrarysMatrix() throws Exception {
        Path matrix = dir.resolve("w2.csv");
        Path pairs = dir.resolve("pairs.parquet");
        Run r = run("--input", DATA, "--glob", "cells-*.csv", "--method", "exact-w2", "--master", "local[2]",
                "--matrix", matrix.toString(), "--out", pairs.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("K = 4 measures") && r.out().contains("0 not converged"), r.out());
        double[] expected = PairwiseMatrix.of(PairMethod.exactW2())
                .compute(SparkTestSession.get(), MeasureBatch.readFolder(Path.of(DATA), "cells-*.csv")).matrix();
        double[] written = DataFiles.readMatrix(matrix).data();
        assertEquals(16, written.length);
        for (int e = 0; e < 16; e++) {
            assertEquals(expected[e], written[e], "the CSV writes every double so that it reads back exactly");
        }
        assertEquals(6, SparkTestSession.get().read().parquet(pairs.toString()).count());
        assertFalse(SparkTestSession.get().sparkContext().isStopped(), "the command left the session running");
    }

    private static void assertOneLineFailure(Run r, int status, String... parts) {
        assertEquals(status, r.status(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n") || line.contains("\tat "), "one line, no stack trace: " + r.err());
        assertTrue(line.startsWith("mflow-spark: "), line);
        for (String p : parts) {
            assertTrue(line.contains(p), "'" + p + "' in: " + line);
        }
    }

    @Test
    void badInputIsOneLineWithStatusTwo() throws Exception {
        assertOneLineFailure(run("--input", DATA), 2, "tokens.csv", "dimension 3");
        assertOneLineFailure(run("--input", DATA, "--glob", "cells-*.csv", "--method", "sinkhorn"), 2, "--epsilon");
        assertOneLineFailure(run("--input", DATA, "--glob", "cells-*.csv", "--method", "w3"), 2, "--method", "w3");
        assertOneLineFailure(run("--input", DATA, "--block-size", "x"), 2, "--block-size");
        assertOneLineFailure(run("--frobnicate"), 2, "--frobnicate");
        Files.writeString(dir.resolve("empty.csv"), "");
        assertOneLineFailure(run("--input", dir.toString()), 2, "empty.csv");
        assertOneLineFailure(run("--input", DATA, "--glob", "cells-t[01].csv", "--method", "sinkhorn", "--epsilon",
                "1e-300"), 2, "pair (0, 1)", "cells-t0.csv", "cells-t1.csv", "epsilon");
        assertEquals(0, run("--help").status());
    }
}
