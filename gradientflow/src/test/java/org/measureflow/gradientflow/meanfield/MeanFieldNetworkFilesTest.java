package org.measureflow.gradientflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.measureflow.core.io.SavedArrays;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.testing.DocsCode;
import org.measureflow.testing.Property;

/**
 * Saved mean-field networks: the layouts of {@link MeanFieldNetworkFiles} in both forms (archive, folder of
 * {@code .npy} files), bit-identical round trips, the checks of hostile files, and the NumPy functions of
 * docs/models.md.
 */
class MeanFieldNetworkFilesTest {
    private static double[] gaussian(SplittableRandom rng, int n, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = sd * rng.nextGaussian();
        }
        return x;
    }

    private static Activation activation(SplittableRandom rng) {
        return Activation.values()[rng.nextInt(Activation.values().length)];
    }

    /** A two-layer network with random sizes, activation, scaling and (in the mean-field scaling, often) masses. */
    private static TwoLayerNetwork randomTwoLayer(SplittableRandom rng, int d) {
        int n = 1 + rng.nextInt(40);
        double[] theta = gaussian(rng, n * (d + 2), 1);
        Scaling scaling = rng.nextBoolean() ? Scaling.MEAN_FIELD : Scaling.LAZY;
        ParticleMeasure neurons = scaling == Scaling.MEAN_FIELD && rng.nextBoolean()
                ? ParticleMeasure.fromFlat(theta, d + 2, Arrays.stream(gaussian(rng, n, 1)).map(Math::abs).toArray())
                : ParticleMeasure.fromFlat(theta, d + 2);
        return TwoLayerNetwork.of(neurons, activation(rng), scaling);
    }

    /** A residual network with random sizes and activation, parameters of size about 1/sqrt(h) (bounded flows). */
    private static ResidualNetwork randomResidual(SplittableRandom rng, int d) {
        int h = 1 + rng.nextInt(12);
        int layers = 1 + rng.nextInt(20);
        double[] theta = gaussian(rng, layers * ResidualNetwork.layerSize(d, h), 1 / Math.sqrt(h));
        return ResidualNetwork.of(d, h, layers, activation(rng), theta);
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    what + " bits at " + i);
        }
    }

    private static void assertSameTwoLayer(TwoLayerNetwork net, TwoLayerNetwork back, RegressionData data) {
        assertEquals(net.activation(), back.activation());
        assertEquals(net.scaling(), back.scaling());
        assertSameBits(net.neurons().flatPoints(), back.neurons().flatPoints(), "neurons");
        assertSameBits(net.neurons().weights(), back.neurons().weights(), "masses");
        assertSameBits(net.outputs(data), back.outputs(data), "outputs");
        assertSameBits(net.riskGradient(data), back.riskGradient(data), "risk gradient");
    }

    private static void assertSameResidual(ResidualNetwork net, ResidualNetwork back, double[] z, double[] y, int m) {
        assertEquals(net.toString(), back.toString());
        assertSameBits(net.parameters(), back.parameters(), "parameters");
        int d = net.dimension();
        for (int k = 0; k < m; k++) {
            double[] x = Arrays.copyOfRange(z, k * d, k * d + d);
            assertSameBits(net.apply(x), back.apply(x), "x_L of input " + k);
        }
        double[] g = new double[net.parameters().length];
        double[] gBack = new double[g.length];
        assertEquals(Double.doubleToRawLongBits(net.lossAndGradient(z, y, m, g)),
                Double.doubleToRawLongBits(back.lossAndGradient(z, y, m, gBack)), "loss bits");
        assertSameBits(g, gBack, "loss gradient");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void savedAndLoadedNetworksGiveBitIdenticalOutputsInBothForms(long seed, @TempDir Path dir) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            int m = 15;
            double[] inputs = gaussian(rng, m * d, 2);
            RegressionData data = RegressionData.fromFlat(inputs, d, gaussian(rng, m, 1));
            TwoLayerNetwork two = randomTwoLayer(rng, d);
            MeanFieldNetworkFiles.write(dir.resolve("two.npz"), two);
            MeanFieldNetworkFiles.writeDirectory(dir.resolve("two"), two);
            assertSameTwoLayer(two, MeanFieldNetworkFiles.readTwoLayer(dir.resolve("two.npz")), data);
            assertSameTwoLayer(two, MeanFieldNetworkFiles.readTwoLayer(dir.resolve("two")), data);

            ResidualNetwork res = randomResidual(rng, d);
            double[] targets = gaussian(rng, m * d, 1);
            MeanFieldNetworkFiles.write(dir.resolve("res.npz"), res);
            MeanFieldNetworkFiles.writeDirectory(dir.resolve("res"), res);
            assertSameResidual(res, MeanFieldNetworkFiles.readResidual(dir.resolve("res.npz")), inputs, targets, m);
            assertSameResidual(res, MeanFieldNetworkFiles.readResidual(dir.resolve("res")), inputs, targets, m);
        });
    }

    @Test
    void trainedNetworksTravelBitForBit(@TempDir Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(31);
        int m = 40;
        double[] x = gaussian(rng, 2 * m, 1);
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
            y[k] = Math.tanh(x[2 * k] - x[2 * k + 1]);
        }
        RegressionData data = RegressionData.fromFlat(x, 2, y);
        // non-uniform masses: the trained neurons keep them, and the file must give them back unchanged
        ParticleMeasure start = ParticleMeasure.fromFlat(gaussian(rng, 30 * 4, 1), 4,
                Arrays.stream(gaussian(rng, 30, 1)).map(v -> 0.1 + Math.abs(v)).toArray());
        TwoLayerNetwork initial = TwoLayerNetwork.of(start, Activation.SILU, Scaling.MEAN_FIELD);
        MeanFieldResult result = MeanFieldTrainer.of(0.2).withSteps(50).withBatchSize(10).train(initial, data, rng);
        TwoLayerNetwork trained = TwoLayerNetwork.of(result.neurons(), initial.activation(), initial.scaling());
        MeanFieldNetworkFiles.write(dir.resolve("trained.npz"), trained);
        TwoLayerNetwork back = MeanFieldNetworkFiles.readTwoLayer(dir.resolve("trained.npz"));
        assertTrue(!back.neurons().isUniform());
        assertSameTwoLayer(trained, back, data);
        assertEquals(Double.doubleToRawLongBits(result.finalRisk()), Double.doubleToRawLongBits(back.risk(data)),
                "the recorded final risk is the risk of the network read back");

        double[] target = gaussian(rng, 2 * m, 1);
        ResidualNetwork path = ResidualNetwork.of(2, 5, 8, Activation.TANH, gaussian(rng,
                8 * ResidualNetwork.layerSize(2, 5), 0.3));
        ResidualTrainingResult fit = path.train(x, target, m, 0.05, 30);
        MeanFieldNetworkFiles.writeDirectory(dir.resolve("residual"), fit.network());
        ResidualNetwork again = MeanFieldNetworkFiles.readResidual(dir.resolve("residual"));
        assertSameResidual(fit.network(), again, x, target, m);
        double[] g = new double[again.parameters().length];
        assertEquals(Double.doubleToRawLongBits(fit.finalLoss()),
                Double.doubleToRawLongBits(again.lossAndGradient(x, target, m, g)));
    }

    @Test
    void numpyFunctionsOfTheDocsAgreeWithJava(@TempDir Path dir) throws Exception {
        DocsCode.assumeNumpy("MeanFieldNetworkFilesTest.numpyFunctionsOfTheDocsAgreeWithJava");
        String functions = DocsCode.markedBlock("models.md", "numpy-functions", "python");
        int n = 10;
        int checked = 0;
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom rng = new SplittableRandom(100 + seed);
            int d = 1 + rng.nextInt(3);
            double[] x = gaussian(rng, n * d, 2);
            TwoLayerNetwork two = randomTwoLayer(rng, d);
            ResidualNetwork res = randomResidual(rng, d);
            // odd seeds: archives; even seeds: folders of .npy files
            boolean archive = seed % 2 == 1;
            Path twoPath = dir.resolve("two" + seed + (archive ? ".npz" : ""));
            Path resPath = dir.resolve("res" + seed + (archive ? ".npz" : ""));
            if (archive) {
                MeanFieldNetworkFiles.write(twoPath, two);
                MeanFieldNetworkFiles.write(resPath, res);
            } else {
                MeanFieldNetworkFiles.writeDirectory(twoPath, two);
                MeanFieldNetworkFiles.writeDirectory(resPath, res);
            }
            Path pts = dir.resolve("points" + seed + ".npy");
            Npy.write(pts, NpyArray.matrix(x, n, d));
            String script = functions + "\nx = np.load(r'" + pts + "')\n"
                    + "for v in two_layer_output(r'" + twoPath + "', x):\n    print(repr(float(v)))\n"
                    + "for v in residual_output(r'" + resPath + "', x).ravel():\n    print(repr(float(v)))\n";
            List<String> lines = DocsCode.runPython(dir, script);
            assertEquals(n + n * d, lines.size(), String.join("\n", lines));
            double[] f = two.outputs(RegressionData.fromFlat(x, d, new double[n]));
            ParticleMeasure neurons = two.neurons();
            for (int k = 0; k < n; k++) {
                // NumPy sums the N terms c_i a_i sigma(z_i) in another order: the rounding is at most about
                // N * 2^-53 of the sum of their magnitudes, far below 1e-12 of it
                double magnitude = 0;
                for (int i = 0; i < neurons.size(); i++) {
                    double[] t = neurons.point(i);
                    double z = t[d + 1];
                    for (int c = 0; c < d; c++) {
                        z += t[1 + c] * x[k * d + c];
                    }
                    double factor = two.scaling() == Scaling.LAZY ? 1 / Math.sqrt(neurons.size()) : neurons.weight(i);
                    magnitude += Math.abs(factor * t[0] * two.activation().value(z));
                }
                assertEquals(f[k], Double.parseDouble(lines.get(k)), 1e-12 * magnitude, "two-layer, seed " + seed
                        + ", input " + k + " (" + two + ")");
            }
            for (int k = 0; k < n; k++) {
                double[] input = Arrays.copyOfRange(x, k * d, k * d + d);
                double[] out = res.apply(input);
                double scale = 1;
                for (int c = 0; c < d; c++) {
                    scale = Math.max(scale, Math.max(Math.abs(input[c]), Math.abs(out[c])));
                }
                for (int c = 0; c < d; c++) {
                    // L <= 20 layers of sums of h <= 12 terms, each rounding about 2^-53 of the state's size
                    // (bounded flows: parameters of size 1/sqrt(h)): far below 1e-12 of it
                    assertEquals(out[c], Double.parseDouble(lines.get(n + k * d + c)), 1e-12 * scale, "residual, seed "
                            + seed + ", input " + k + ", component " + c + " (" + res + ")");
                }
            }
            checked++;
        }
        assertEquals(8, checked);
    }

    /** The arrays of a valid file of each kind (d = 2), to be broken one way at a time. */
    private static Map<String, NpyArray> validArrays(Path dir, boolean twoLayer) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        Path file = dir.resolve("valid.npz");
        if (twoLayer) {
            MeanFieldNetworkFiles.write(file, TwoLayerNetwork.of(ParticleMeasure.fromFlat(gaussian(rng, 12, 1), 4),
                    Activation.TANH, Scaling.MEAN_FIELD));
        } else {
            MeanFieldNetworkFiles.write(file, ResidualNetwork.of(2, 3, 2, Activation.RELU,
                    gaussian(rng, 2 * ResidualNetwork.layerSize(2, 3), 0.5)));
        }
        SavedArrays saved = SavedArrays.open(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String name : saved.names()) {
            arrays.put(name, saved.array(name));
        }
        return arrays;
    }

    /** Writes the valid arrays broken by {@code breaker} (as an archive and as a folder) and checks the message. */
    private static void assertBroken(Path dir, boolean twoLayer, String name, Consumer<Map<String, NpyArray>> breaker,
                                     String problem) throws IOException {
        Map<String, NpyArray> arrays = validArrays(dir, twoLayer);
        breaker.accept(arrays);
        Path archive = dir.resolve(name + ".npz");
        Path folder = dir.resolve(name);
        SavedArrays.writeArchive(archive, arrays);
        SavedArrays.writeDirectory(folder, arrays);
        for (Path file : List.of(archive, folder)) {
            DataFileException e = assertThrows(DataFileException.class, () -> {
                if (twoLayer) {
                    MeanFieldNetworkFiles.readTwoLayer(file);
                } else {
                    MeanFieldNetworkFiles.readResidual(file);
                }
            });
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
        }
    }

    private static NpyArray nanAt(NpyArray a, int index, double value) {
        double[] data = a.data();
        data[index] = value;
        return a.dimensions() == 1 ? NpyArray.vector(data) : NpyArray.matrix(data, a.rows(), a.cols());
    }

    @Test
    void malformedTwoLayerFilesAreRejectedNamingTheFileAndTheArray(@TempDir Path dir) throws IOException {
        // the valid arrays themselves read (so every rejection below is caused by its one change)
        Path ok = dir.resolve("ok.npz");
        SavedArrays.writeArchive(ok, validArrays(dir, true));
        assertEquals(2, MeanFieldNetworkFiles.readTwoLayer(ok).inputDimension());

        assertBroken(dir, true, "missing", a -> a.remove("b"), "no array named 'b'");
        assertBroken(dir, true, "nomasses", a -> a.remove("masses"), "no array named 'masses'");
        assertBroken(dir, true, "version", a -> a.put("format_version", NpyArray.vector(new double[]{2})),
                "format_version 2.0 is not supported");
        assertBroken(dir, true, "kind", a -> a.put("network", SavedArrays.text("residual")),
                "network is 'residual', expected 'two_layer'");
        assertBroken(dir, true, "unknownkind", a -> a.put("network", SavedArrays.text("mlp")),
                "network 'mlp' is unknown");
        assertBroken(dir, true, "scaling", a -> a.put("scaling", SavedArrays.text("ntk")), "scaling 'ntk' is unknown");
        assertBroken(dir, true, "activation", a -> a.put("activation", SavedArrays.text("gelu")),
                "activation 'gelu' is unknown");
        assertBroken(dir, true, "wshape", a -> a.put("w", NpyArray.matrix(new double[8], 4, 2)),
                "a has shape (3,), expected (4,): N is the number of rows of w");
        assertBroken(dir, true, "wvector", a -> a.put("w", NpyArray.vector(new double[6])),
                "w has shape (6,), expected (N, d)");
        assertBroken(dir, true, "ashape", a -> a.put("a", NpyArray.vector(new double[4])),
                "a has shape (4,), expected (3,)");
        assertBroken(dir, true, "nan", a -> a.put("w", nanAt(a.get("w"), 3, Double.NaN)), "w holds NaN at flat index 3");
        assertBroken(dir, true, "infinite", a -> a.put("a", nanAt(a.get("a"), 0, Double.POSITIVE_INFINITY)),
                "a holds Infinity at flat index 0");
        assertBroken(dir, true, "negative", a -> a.put("masses", NpyArray.vector(new double[]{0.5, 0.75, -0.25})),
                "masses are not a probability vector");
        assertBroken(dir, true, "unnormalised", a -> a.put("masses", NpyArray.vector(new double[]{1, 1, 1})),
                "masses are not a probability vector");
        assertBroken(dir, true, "lazy", a -> {
            a.put("scaling", SavedArrays.text("lazy"));
            a.put("masses", NpyArray.vector(new double[]{0.5, 0.25, 0.25}));
        }, "which the lazy scaling needs");
        assertBroken(dir, true, "extra", a -> a.put("layer0.w", NpyArray.matrix(new double[4], 2, 2)),
                "unexpected array 'layer0.w'");
    }

    @Test
    void malformedResidualFilesAreRejectedNamingTheFileAndTheArray(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.npz");
        SavedArrays.writeArchive(ok, validArrays(dir, false));
        assertEquals(2, MeanFieldNetworkFiles.readResidual(ok).layers());

        assertBroken(dir, false, "missing", a -> a.remove("layer1.u"), "no array named 'layer1.u'");
        assertBroken(dir, false, "kind", a -> a.put("network", SavedArrays.text("two_layer")),
                "network is 'two_layer', expected 'residual'");
        assertBroken(dir, false, "sizes", a -> a.put("sizes", NpyArray.vector(new double[]{2, 3})),
                "sizes has 2 entries, expected 3");
        assertBroken(dir, false, "fraction", a -> a.put("sizes", NpyArray.vector(new double[]{2, 3.5, 2})),
                "sizes[1] is 3.5");
        assertBroken(dir, false, "zero", a -> a.put("sizes", NpyArray.vector(new double[]{2, 3, 0})),
                "sizes[2] is 0.0");
        assertBroken(dir, false, "overflow", a -> a.put("sizes", NpyArray.vector(new double[]{1 << 24, 1 << 24, 2})),
                "more than an array holds");
        assertBroken(dir, false, "deeper", a -> a.put("sizes", NpyArray.vector(new double[]{2, 3, 3})),
                "no array named 'layer2.w'");
        assertBroken(dir, false, "shallower", a -> a.put("sizes", NpyArray.vector(new double[]{2, 3, 1})),
                "(sizes declare 1 layers)");
        assertBroken(dir, false, "ushape", a -> a.put("layer0.u", NpyArray.matrix(new double[6], 3, 2)),
                "layer0.u has shape (3, 2), expected (2, 3)");
        assertBroken(dir, false, "nan", a -> a.put("layer1.b", nanAt(a.get("layer1.b"), 2, Double.NaN)),
                "layer1.b holds NaN at flat index 2");
        assertBroken(dir, false, "leadingzero", a -> a.put("layer01.w", a.get("layer1.w")),
                "unexpected array 'layer01.w'");
    }

    @Test
    void corruptFilesAreRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        TwoLayerNetwork net = randomTwoLayer(new SplittableRandom(3), 2);
        Path archive = dir.resolve("net.npz");
        MeanFieldNetworkFiles.write(archive, net);
        byte[] bytes = Files.readAllBytes(archive);

        Path truncated = dir.resolve("truncated.npz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        DataFileException e = assertThrows(DataFileException.class,
                () -> MeanFieldNetworkFiles.readTwoLayer(truncated));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("not a zip archive"),
                e.getMessage());

        Path missing = dir.resolve("missing.npz");
        e = assertThrows(DataFileException.class, () -> MeanFieldNetworkFiles.readResidual(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());

        // a folder whose a.npy has another data type (complex), is cut short, or is not an .npy file
        Path folder = dir.resolve("net");
        MeanFieldNetworkFiles.writeDirectory(folder, net);
        Path a = folder.resolve("a.npy");
        int n = net.neurons().size();
        Files.write(a, npy("<c16", "(" + n + ",)", 16 * n));
        e = assertThrows(DataFileException.class, () -> MeanFieldNetworkFiles.readTwoLayer(folder));
        assertTrue(e.getMessage().startsWith(a.toString()) && e.getMessage().contains("'<c16' is not supported"),
                e.getMessage());
        Files.write(a, npy("<U4", "()", 16));
        e = assertThrows(DataFileException.class, () -> MeanFieldNetworkFiles.readTwoLayer(folder));
        assertTrue(e.getMessage().startsWith(a.toString()) && e.getMessage().contains("'<U4'"), e.getMessage());
        byte[] valid = npy("<f8", "(" + n + ",)", 8 * n);
        Files.write(a, Arrays.copyOf(valid, valid.length - 4));
        e = assertThrows(DataFileException.class, () -> MeanFieldNetworkFiles.readTwoLayer(folder));
        assertTrue(e.getMessage().startsWith(a.toString()), e.getMessage());
        Files.writeString(a, "a,b\n1,2\n");
        e = assertThrows(DataFileException.class, () -> MeanFieldNetworkFiles.readTwoLayer(folder));
        assertTrue(e.getMessage().startsWith(a.toString()), e.getMessage());
    }

    /** The bytes of an {@code .npy} file of version 1.0 with the given type and shape and {@code data} zero bytes. */
    private static byte[] npy(String descr, String shape, int data) {
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + shape + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + text.length + data];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length & 0xFF);
        out[9] = (byte) (text.length >> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    @Test
    void badArgumentsAreRejectedByName(@TempDir Path dir) {
        TwoLayerNetwork net = randomTwoLayer(new SplittableRandom(5), 2);
        assertRejected("file", () -> MeanFieldNetworkFiles.write(null, net));
        assertRejected("network",
                () -> MeanFieldNetworkFiles.write(dir.resolve("x.npz"), (TwoLayerNetwork) null));
        assertRejected("directory",
                () -> MeanFieldNetworkFiles.writeDirectory(null, net));
        assertRejected("file", () -> MeanFieldNetworkFiles.readResidual(null));
        assertRejected("file", () -> MeanFieldNetworkFiles.readTwoLayer(null));
    }
}
