package org.measureflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;

/** The two forms of saved arrays and the shared checks of model layouts ({@link SavedArrays}). */
class SavedArraysTest {
    private static Map<String, NpyArray> arrays() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("format_version", NpyArray.vector(new double[]{1}));
        arrays.put("activation", SavedArrays.text("silu"));
        arrays.put("sizes", NpyArray.vector(new double[]{2, 3}));
        arrays.put("layer0.w", NpyArray.matrix(new double[]{1, 2, 3, 4, 5, 6}, 3, 2));
        arrays.put("layer1.w", NpyArray.matrix(new double[]{-1, 0.5, 7}, 1, 3));
        return arrays;
    }

    @Test
    void bothFormsHoldTheSameArraysAndPassTheSameChecks(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("m.npz");
        Path folder = dir.resolve("m");
        SavedArrays.writeArchive(archive, arrays());
        SavedArrays.writeDirectory(folder, arrays());
        for (Path path : List.of(archive, folder)) {
            SavedArrays saved = SavedArrays.open(path);
            assertEquals(Files.isDirectory(path), saved.isDirectory());
            assertEquals(Set.copyOf(arrays().keySet()), Set.copyOf(saved.names()));
            saved.requireVersion(1);
            assertEquals(Activation.SILU, saved.activation("activation"));
            assertArrayEquals(new int[]{2, 3}, saved.wholeNumbers("sizes", 1, 10));
            saved.requireOnly(Set.of("format_version", "activation", "sizes"), 2, List.of(".w"), "two layers");
            double[] into = new double[9];
            assertEquals(6, saved.copyFinite("layer0.w", 3, 2, into, 0));
            assertEquals(9, saved.copyFinite("layer1.w", 1, 3, into, 6));
            assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6, -1, 0.5, 7}, into, 0.0);
            // the checks name the path and the array
            assertProblem(path, () -> saved.requireVersion(2), "format_version 1.0 is not supported");
            assertProblem(path, () -> saved.wholeNumbers("sizes", 3, 10), "sizes[0] is 2.0");
            assertProblem(path, () -> saved.choice("activation", List.of("relu")), "activation 'silu' is unknown");
            assertProblem(path, () -> saved.word("sizes"), "sizes[0] is 2.0, not the code of");
            assertProblem(path, () -> saved.scalar("sizes"), "sizes has shape (2,), expected (1,)");
            assertProblem(path, () -> saved.vector("layer0.w"), "layer0.w has shape (3, 2), expected a vector");
            assertProblem(path, () -> saved.copyFinite("layer0.w", 2, 3, into, 0),
                    "layer0.w has shape (3, 2), expected (2, 3)");
            assertProblem(path, () -> saved.requireOnly(Set.of("format_version", "activation", "sizes"), 1,
                    List.of(".w"), "one layer"), "unexpected array 'layer1.w' (one layer)");
            assertProblem(path, () -> saved.array("bias"), "no array named 'bias'");
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void assertProblem(Path path, Check check, String problem) {
        DataFileException e = assertThrows(DataFileException.class, check::run);
        assertTrue(e.getMessage().startsWith(path + ": ") && e.getMessage().contains(problem),
                "expected '" + path + ": ... " + problem + "', got: " + e.getMessage());
    }

    @Test
    void aFolderKeepsOtherFilesButRefusesNpyFilesOfAnotherModel(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("m");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("notes.txt"), "kept");
        SavedArrays.writeDirectory(folder, arrays());
        SavedArrays.writeDirectory(folder, arrays()); // the same arrays again: allowed
        assertEquals("kept", Files.readString(folder.resolve("notes.txt")));
        Map<String, NpyArray> fewer = arrays();
        fewer.remove("layer1.w");
        assertProblem(folder, () -> SavedArrays.writeDirectory(folder, fewer), "[layer1.w]");
        assertTrue(Files.exists(folder.resolve("layer1.w.npy")), "nothing is deleted");
    }

    @Test
    void textArraysHoldLowerCaseWordsOnly() {
        assertArrayEquals(new double[]{'t', 'w', 'o', '_', '2'}, SavedArrays.text("two_2").data(), 0.0);
        assertRejected("word", () -> SavedArrays.text("Tanh"));
        assertRejected("word", () -> SavedArrays.text(""));
        assertRejected("word", () -> SavedArrays.text("x".repeat(65)));
        assertRejected("arrays", () -> SavedArrays.writeDirectory(Path.of("unused"), Map.of()));
        assertRejected("arrays", () -> SavedArrays.writeDirectory(Path.of("unused"),
                Map.of("a/b", NpyArray.vector(new double[1]))));
        assertRejected("path", () -> SavedArrays.open(null));
    }

    @Test
    void normalisedWeightsAreKeptBitForBitWhereNormalisingAgainMovesThem() {
        // fromFlat divides by the sum, whose rounding can move a weight by an ulp; fromFlatNormalised keeps them.
        // Over 200 random weight vectors, some must move (else fromFlatNormalised would not be needed) and none
        // may move through fromFlatNormalised.
        int moved = 0;
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int n = 2 + rng.nextInt(30);
            double[] raw = new double[n];
            for (int i = 0; i < n; i++) {
                raw[i] = rng.nextDouble();
            }
            double[] points = new double[n];
            double[] w = ParticleMeasure.fromFlat(points, 1, raw).weights();
            double[] kept = ParticleMeasure.fromFlatNormalised(points, 1, w).weights();
            double[] again = ParticleMeasure.fromFlat(points, 1, w).weights();
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(kept[i]), "seed " + seed);
            }
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(w[i]) != Double.doubleToRawLongBits(again[i])) {
                    moved++;
                    break;
                }
            }
        }
        assertTrue(moved > 0, "no weight vector moved when normalised again");
        assertRejected("weights", () -> ParticleMeasure.fromFlatNormalised(new double[2], 1, new double[]{0.5, 0.6}));
        assertRejected("weights", () -> ParticleMeasure.fromFlatNormalised(new double[2], 1,
                new double[]{1.5, -0.5}));
        assertRejected("weights", () -> ParticleMeasure.fromFlatNormalised(new double[2], 1, new double[]{1}));
    }
}
