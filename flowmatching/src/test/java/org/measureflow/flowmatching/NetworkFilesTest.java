package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.Npy;
import org.measureflow.core.io.NpyArray;
import org.measureflow.core.io.Npz;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.MlpVelocityField;
import org.measureflow.flowmatching.learned.NetworkFiles;
import org.measureflow.testing.DocsCode;
import org.measureflow.testing.Property;

/** Saved networks: the {@code .npz} layout of {@link NetworkFiles}, its checks, and the NumPy function of docs/models.md. */
class NetworkFilesTest {
    /** A velocity field in dimension {@code d} with random widths, activation and (non-zero) parameters. */
    private static MlpVelocityField randomField(SplittableRandom rng, int d) {
        int hidden = 1 + rng.nextInt(3);
        int[] sizes = new int[hidden + 2];
        sizes[0] = d + 1;
        for (int l = 1; l <= hidden; l++) {
            sizes[l] = 1 + rng.nextInt(16);
        }
        sizes[hidden + 1] = d;
        double[] theta = new double[Mlp.parameterCount(sizes)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextGaussian();
        }
        Activation activation = Activation.values()[rng.nextInt(Activation.values().length)];
        return MlpVelocityField.of(Mlp.of(sizes, activation, theta), LinearInterpolant.instance());
    }

    private static double[] points(SplittableRandom rng, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * rng.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void savedAndLoadedModelsGiveBitIdenticalVelocities(long seed, @TempDir Path dir) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            MlpVelocityField field = randomField(rng, d);
            Path file = dir.resolve("field.npz");
            NetworkFiles.write(file, field);
            MlpVelocityField back = NetworkFiles.readVelocityField(file, LinearInterpolant.instance());
            assertArrayEquals(field.network().sizes(), back.network().sizes());
            assertEquals(field.network().activation(), back.network().activation());
            int n = 25;
            double[] x = points(rng, n, d);
            double[] v = new double[d];
            double[] w = new double[d];
            for (int i = 0; i < n; i++) {
                double t = rng.nextDouble();
                field.velocity(t, x, i * d, v, 0);
                back.velocity(t, x, i * d, w, 0);
                for (int c = 0; c < d; c++) {
                    assertEquals(Double.doubleToRawLongBits(v[c]), Double.doubleToRawLongBits(w[c]),
                            "velocity bits at point " + i + ", component " + c);
                }
                assertEquals(Double.doubleToRawLongBits(field.divergence(t, x, i * d)),
                        Double.doubleToRawLongBits(back.divergence(t, x, i * d)), "divergence bits at point " + i);
            }
            // the bare network of the same file, and a bare network's own file
            Mlp network = NetworkFiles.readNetwork(file);
            assertArrayEquals(field.network().parameters(), network.parameters(), 0.0);
            Path bare = dir.resolve("bare.npz");
            NetworkFiles.write(bare, field.network());
            assertArrayEquals(field.network().parameters(), NetworkFiles.readNetwork(bare).parameters(), 0.0);
        });
    }

    @Test
    void aTrainedFieldTravelsBitForBit(@TempDir Path dir) throws IOException {
        // a few steps of the trainer with SiLU: the saved field is the trained one, not a re-initialised network
        MlpVelocityField trained = FlowMatchingTrainer.withDefaults().withSteps(20).withBatchSize(16)
                .withHiddenWidth(12).withHiddenLayers(2).withActivation(Activation.SILU)
                .train(GaussianMeasure.standard(2), PointSampler.of(GaussianMeasure.of(new double[]{2, -1},
                        new double[][]{{0.5, 0.1}, {0.1, 0.3}}).sample(64, new SplittableRandom(5))),
                        new SplittableRandom(6))
                .field();
        Path file = dir.resolve("trained.npz");
        NetworkFiles.write(file, trained);
        MlpVelocityField back = NetworkFiles.readVelocityField(file, trained.interpolant());
        double[] x = points(new SplittableRandom(8), 40, 2);
        double[] v = new double[2 * 40];
        double[] w = new double[2 * 40];
        trained.onParticles().velocities(0.3, x, 40, 2, null, v);
        back.onParticles().velocities(0.3, x, 40, 2, null, w);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(w[i]), "entry " + i);
        }
        assertEquals(Activation.SILU, back.network().activation());
        assertArrayEquals(new int[]{3, 12, 12, 2}, back.network().sizes());
    }

    @Test
    void aFolderOfNpyFilesHoldsTheArraysOfTheArchiveAndReadsBitForBit(@TempDir Path dir) throws IOException {
        MlpVelocityField field = randomField(new SplittableRandom(21), 3);
        Path archive = dir.resolve("field.npz");
        Path folder = dir.resolve("field");
        NetworkFiles.write(archive, field);
        NetworkFiles.writeDirectory(folder, field);
        List<String> names = new ArrayList<>(Npz.names(archive));
        List<String> files = new ArrayList<>();
        try (var listing = Files.list(folder)) {
            listing.forEach(f -> files.add(f.getFileName().toString()));
        }
        assertEquals(names.stream().map(n -> n + ".npy").sorted().toList(), files.stream().sorted().toList());
        for (String name : names) {
            NpyArray a = Npz.read(archive, name);
            NpyArray b = Npy.read(folder.resolve(name + ".npy"));
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(a.data(), b.data(), 0.0, name);
        }
        Files.writeString(folder.resolve("README.txt"), "other files are ignored");
        MlpVelocityField back = NetworkFiles.readVelocityField(folder, LinearInterpolant.instance());
        assertArrayEquals(field.network().parameters(), back.network().parameters(), 0.0);
        double[] x = points(new SplittableRandom(22), 10, 3);
        double[] v = new double[30];
        double[] w = new double[30];
        field.onParticles().velocities(0.7, x, 10, 3, null, v);
        back.onParticles().velocities(0.7, x, 10, 3, null, w);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(w[i]), "entry " + i);
        }
        // rewriting the same network in place is allowed; a network with other arrays would mix two models
        NetworkFiles.writeDirectory(folder, field);
        Mlp smaller = Mlp.of(new int[]{4, 3}, Activation.RELU, randomParameters(new int[]{4, 3}));
        DataFileException stale = assertThrows(DataFileException.class,
                () -> NetworkFiles.writeDirectory(folder, smaller));
        assertTrue(stale.getMessage().startsWith(folder.toString()) && stale.getMessage().contains("layer1.weight"),
                stale.getMessage());
        Files.delete(folder.resolve("layer1.bias.npy"));
        DataFileException missing = assertThrows(DataFileException.class, () -> NetworkFiles.readNetwork(folder));
        assertTrue(missing.getMessage().startsWith(folder.toString())
                && missing.getMessage().contains("no array named 'layer1.bias'; the directory holds"),
                missing.getMessage());
        Files.writeString(folder.resolve("layer1.bias.npy"), "not an npy file");
        DataFileException corrupt = assertThrows(DataFileException.class, () -> NetworkFiles.readNetwork(folder));
        assertTrue(corrupt.getMessage().startsWith(folder.resolve("layer1.bias.npy").toString()),
                corrupt.getMessage());
    }

    /** The arrays of a valid two-layer field file (d = 2, hidden width 3), to be broken one way at a time. */
    private static Map<String, NpyArray> validArrays(Path dir) throws IOException {
        Mlp net = Mlp.of(new int[]{3, 3, 2}, Activation.TANH, randomParameters(new int[]{3, 3, 2}));
        Path file = dir.resolve("valid.npz");
        NetworkFiles.write(file, MlpVelocityField.of(net, LinearInterpolant.instance()));
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String name : Npz.names(file)) {
            arrays.put(name, Npz.read(file, name));
        }
        return arrays;
    }

    private static double[] randomParameters(int[] sizes) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] theta = new double[Mlp.parameterCount(sizes)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextGaussian();
        }
        return theta;
    }

    private static NpyArray text(String word) {
        double[] codes = new double[word.length()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = word.charAt(i);
        }
        return NpyArray.vector(codes);
    }

    /** Writes the valid arrays broken by {@code breaker} and asserts the reader names the file and the problem. */
    private static void assertBroken(Path dir, String name, Consumer<Map<String, NpyArray>> breaker, String problem)
            throws IOException {
        Map<String, NpyArray> arrays = validArrays(dir);
        breaker.accept(arrays);
        Path file = dir.resolve(name + ".npz");
        Npz.write(file, arrays);
        DataFileException e = assertThrows(DataFileException.class,
                () -> NetworkFiles.readVelocityField(file, LinearInterpolant.instance()));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    }

    @Test
    void malformedFilesAreRejectedNamingTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        // the valid file itself reads (so every rejection below is caused by its one change)
        Map<String, NpyArray> valid = validArrays(dir);
        Path ok = dir.resolve("ok.npz");
        Npz.write(ok, valid);
        assertEquals(3, NetworkFiles.readVelocityField(ok, LinearInterpolant.instance()).network().inputSize());

        assertBroken(dir, "missing", a -> a.remove("layer1.bias"), "no array named 'layer1.bias'");
        assertBroken(dir, "noversion", a -> a.remove("format_version"), "no array named 'format_version'");
        assertBroken(dir, "version2", a -> a.put("format_version", NpyArray.vector(new double[]{2})),
                "format_version 2.0 is not supported");
        assertBroken(dir, "shape", a -> a.put("layer1.weight", NpyArray.matrix(new double[8], 2, 4)),
                "layer1.weight has shape (2, 4), expected (2, 3)");
        assertBroken(dir, "biasmatrix", a -> a.put("layer0.bias", NpyArray.matrix(new double[3], 3, 1)),
                "layer0.bias has shape (3, 1), expected (3,)");
        assertBroken(dir, "nan", a -> {
            double[] w = a.get("layer0.weight").data();
            w[4] = Double.NaN;
            a.put("layer0.weight", NpyArray.matrix(w, 3, 3));
        }, "layer0.weight holds NaN at flat index 4");
        assertBroken(dir, "infinite", a -> a.put("layer1.bias", NpyArray.vector(new double[]{0,
                Double.NEGATIVE_INFINITY})), "layer1.bias holds -Infinity");
        assertBroken(dir, "activation", a -> a.put("activation", text("gelu")), "activation 'gelu' is unknown");
        assertBroken(dir, "notext", a -> a.put("activation", NpyArray.vector(new double[]{116.5})),
                "activation[0] is 116.5");
        assertBroken(dir, "embedding", a -> a.put("time_embedding", text("fourier")),
                "time_embedding 'fourier' is unknown");
        assertBroken(dir, "bare", a -> a.put("time_embedding", text("none")), "holds a bare network");
        assertBroken(dir, "width", a -> a.put("layer_sizes", NpyArray.vector(new double[]{3, 2.5, 2})),
                "layer_sizes[1] is 2.5");
        assertBroken(dir, "huge", a -> a.put("layer_sizes", NpyArray.vector(new double[]{3, 1e300, 2})),
                "layer_sizes[1] is 1.0E300");
        assertBroken(dir, "overflow", a -> a.put("layer_sizes", NpyArray.vector(new double[]{3, 1 << 24, 1 << 24,
                2})), "more than an array holds");
        assertBroken(dir, "short", a -> a.put("layer_sizes", NpyArray.vector(new double[]{3})), "at least 2");
        assertBroken(dir, "extra", a -> a.put("layer2.weight", NpyArray.matrix(new double[4], 2, 2)),
                "unexpected array 'layer2.weight'");
        assertBroken(dir, "timewidth", a -> {
            a.put("layer_sizes", NpyArray.vector(new double[]{3, 3, 3}));
            a.put("layer1.weight", NpyArray.matrix(new double[9], 3, 3));
            a.put("layer1.bias", NpyArray.vector(new double[3]));
        }, "time_embedding 'append' needs an input width one more than the output width");

        Path notZip = dir.resolve("text.npz");
        Files.writeString(notZip, "not an archive");
        DataFileException e = assertThrows(DataFileException.class, () -> NetworkFiles.readNetwork(notZip));
        assertTrue(e.getMessage().startsWith(notZip.toString()) && e.getMessage().contains("not a zip archive"),
                e.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> NetworkFiles.readVelocityField(ok, null));
        assertTrue(nul.getMessage().startsWith("interpolant"), nul.getMessage());
    }

    @Test
    void numpyFunctionOfTheDocsAgreesWithJava(@TempDir Path dir) throws Exception {
        DocsCode.assumeNumpy("NetworkFilesTest.numpyFunctionOfTheDocsAgreesWithJava");
        String function = DocsCode.markedBlock("models.md", "numpy-functions", "python");
        double[] times = {0, 0.25, 0.5, 1};
        int n = 12;
        int fields = 0;
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int d = seed == 8 ? 2 : 1 + rng.nextInt(3);
            // the last field has the default trainer's shape (three hidden layers of 64, SiLU)
            MlpVelocityField field = seed == 8
                    ? MlpVelocityField.of(Mlp.initialised(new int[]{3, 64, 64, 64, 2}, Activation.SILU, rng),
                    LinearInterpolant.instance())
                    : randomField(rng, d);
            double[] x = points(rng, n, d);
            // odd seeds: an .npz archive; even seeds: a folder of .npy files
            Path model = dir.resolve("model" + seed + (seed % 2 == 1 ? ".npz" : ""));
            Path pts = dir.resolve("points" + seed + ".npy");
            if (seed % 2 == 1) {
                NetworkFiles.write(model, field);
            } else {
                NetworkFiles.writeDirectory(model, field);
            }
            Npy.write(pts, NpyArray.matrix(x, n, d));
            StringBuilder script = new StringBuilder(function).append("\n");
            script.append("x = np.load(r'").append(pts).append("')\n");
            script.append("for t in (").append(times[0]).append(", ").append(times[1]).append(", ")
                    .append(times[2]).append(", ").append(times[3]).append("):\n");
            script.append("    for v in velocity(r'").append(model).append("', t, x).ravel():\n");
            script.append("        print(repr(float(v)))\n");
            // one point given as a vector gives a vector of the same shape
            script.append("print(velocity(r'").append(model).append("', 0.5, x[0]).shape == x[0].shape)\n");
            List<String> lines = DocsCode.runPython(dir, script.toString());
            assertEquals(times.length * n * d + 1, lines.size(), String.join("\n", lines));
            assertEquals("True", lines.remove(lines.size() - 1));
            double[] v = new double[d];
            int k = 0;
            for (double t : times) {
                for (int i = 0; i < n; i++) {
                    field.velocity(t, x, i * d, v, 0);
                    double scale = 0;
                    for (double vc : v) {
                        scale = Math.max(scale, Math.abs(vc));
                    }
                    for (int c = 0; c < d; c++) {
                        double numpy = Double.parseDouble(lines.get(k++));
                        // NumPy sums W @ a in another order and its tanh/exp may differ by an ulp: about
                        // width * 1e-16 of the point's velocity scale per layer, far below 1e-12
                        assertEquals(v[c], numpy, 1e-12 * scale, "seed " + seed + ", t = " + t + ", point " + i
                                + ", component " + c + " (" + field.network() + ")");
                    }
                }
            }
            fields++;
        }
        assertEquals(8, fields);
    }
}
