package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.MlpSquaredErrorGradient;
import org.measureflow.flowmatching.learned.MlpVelocityField;
import org.measureflow.testing.Property;

class MlpTest {
    private static double loss(Mlp net, double[] inputs, double[] targets, int rows) {
        double s = 0;
        for (int i = 0; i < rows; i++) {
            double[] in = new double[net.inputSize()];
            System.arraycopy(inputs, i * in.length, in, 0, in.length);
            double[] out = net.apply(in);
            for (int o = 0; o < out.length; o++) {
                double e = out[o] - targets[i * out.length + o];
                s += e * e;
            }
        }
        return s / rows;
    }

    /** {@code n} standard normal numbers drawn in order from {@code rng}. */
    private static double[] gaussians(java.util.random.RandomGenerator rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void gradientMatchesFiniteDifferences(long seed) {
        Property.check(seed, rng -> {
            Activation act = rng.nextBoolean() ? Activation.TANH : Activation.SILU;
            int[] sizes = {3, 2 + rng.nextInt(6), 2 + rng.nextInt(6), 2};
            Mlp net = Mlp.initialised(sizes, act, rng);
            int rows = 1 + rng.nextInt(70);
            double[] inputs = gaussians(rng, rows * 3);
            double[] targets = gaussians(rng, rows * 2);
            double[] grad = new double[net.parameterCount()];
            double value = MlpSquaredErrorGradient.of(net, rows).lossAndGradient(inputs, targets, rows, grad);
            assertEquals(loss(net, inputs, targets, rows), value, 1e-13 * (1 + value), "loss");
            double[] theta = net.parameters();
            double h = 1e-5;
            double scale = 0;
            for (double g : grad) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int p = 0; p < theta.length; p++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[p] += h;
                minus[p] -= h;
                double fd = (loss(net.withParameters(plus), inputs, targets, rows)
                        - loss(net.withParameters(minus), inputs, targets, rows)) / (2 * h);
                // Central differences: truncation h^2 |L'''| / 6 ~ 1e-11 and round-off 1e-16 |L| / h ~ 1e-11,
                // so 1e-6 relative to the gradient's scale is met with a margin.
                assertEquals(fd, grad[p], 1e-6 * scale, "parameter " + p);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void pullBackOfTheLossDerivativeIsTheLossGradient(long seed) {
        Property.check(seed, rng -> {
            int[] sizes = {3, 2 + rng.nextInt(6), 2 + rng.nextInt(6), 2};
            Mlp net = Mlp.initialised(sizes, Activation.SILU, rng);
            int rows = 1 + rng.nextInt(70);
            double[] inputs = gaussians(rng, rows * 3);
            double[] targets = gaussians(rng, rows * 2);
            double[] expected = new double[net.parameterCount()];
            MlpSquaredErrorGradient gradient = MlpSquaredErrorGradient.of(net, rows);
            gradient.lossAndGradient(inputs, targets, rows, expected);
            double[] outputGradient = new double[rows * 2];
            for (int i = 0; i < rows; i++) {
                double[] out = net.apply(java.util.Arrays.copyOfRange(inputs, 3 * i, 3 * i + 3));
                for (int o = 0; o < 2; o++) {
                    outputGradient[2 * i + o] = 2.0 / rows * (out[o] - targets[2 * i + o]);
                }
            }
            double[] pulled = new double[net.parameterCount()];
            gradient.pullBack(inputs, outputGradient, rows, pulled);
            // the same backpropagation from output deltas that differ by the rounding of apply vs the batch pass
            double scale = 0;
            for (double g : expected) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int p = 0; p < expected.length; p++) {
                assertEquals(expected[p], pulled[p], 1e-12 * scale, "parameter " + p);
            }
        });
    }

    @Test
    void reluGradientMatchesFiniteDifferencesAwayFromKinks() {
        SplittableRandom rng = new SplittableRandom(5);
        Mlp net = Mlp.initialised(new int[]{2, 8, 1}, Activation.RELU, rng);
        double[] inputs = {0.3, -1.2, 1.5, 0.4, -0.7, 0.9};
        double[] targets = {0.1, -0.3, 0.6};
        double[] grad = new double[net.parameterCount()];
        MlpSquaredErrorGradient.of(net, 3).lossAndGradient(inputs, targets, 3, grad);
        double[] theta = net.parameters();
        double h = 1e-7;
        for (int p = 0; p < theta.length; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            double fd = (loss(net.withParameters(plus), inputs, targets, 3)
                    - loss(net.withParameters(minus), inputs, targets, 3)) / (2 * h);
            // Piecewise quadratic in theta: exact up to round-off 1e-16 / h unless a kink lies within h.
            assertEquals(fd, grad[p], 1e-7, "parameter " + p);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void divergenceMatchesFiniteDifferencesOfTheOutput(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            Mlp net = Mlp.initialised(new int[]{d + 1, 16, 16, d}, Activation.SILU, rng);
            MlpVelocityField field = MlpVelocityField.of(net, LinearInterpolant.instance());
            double t = rng.nextDouble();
            double[] x = new double[d];
            for (int c = 0; c < d; c++) {
                x[c] = rng.nextGaussian();
            }
            double h = 1e-5;
            double fd = 0;
            double[] vp = new double[d];
            double[] vm = new double[d];
            for (int c = 0; c < d; c++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[c] += h;
                xm[c] -= h;
                field.velocity(t, xp, 0, vp, 0);
                field.velocity(t, xm, 0, vm, 0);
                fd += (vp[c] - vm[c]) / (2 * h);
            }
            assertEquals(fd, field.divergence(t, x, 0), 1e-8 * (1 + Math.abs(fd)));
        });
    }

    @Test
    void lossAndGradientGiveTheSameBitsWhateverTheThreads() {
        SplittableRandom rng = new SplittableRandom(9);
        Mlp net = Mlp.initialised(new int[]{3, 64, 64, 2}, Activation.SILU, rng);
        int rows = 1024;
        double[] inputs = new double[rows * 3];
        double[] targets = new double[rows * 2];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rng.nextGaussian();
        }
        double[] g1 = new double[net.parameterCount()];
        double[] g2 = new double[net.parameterCount()];
        double l1 = MlpSquaredErrorGradient.of(net, rows).lossAndGradient(inputs, targets, rows, g1);
        double l2 = java.util.concurrent.ForkJoinPool.commonPool().submit(
                () -> MlpSquaredErrorGradient.of(net, rows).lossAndGradient(inputs, targets, rows, g2)).join();
        assertEquals(l1, l2, 0.0);
        assertArrayEquals(g1, g2, 0.0);
    }

    @Test
    void savedNetworksLoadBitForBit(@TempDir Path dir) throws IOException {
        Mlp net = Mlp.initialised(new int[]{3, 5, 2}, Activation.TANH, new SplittableRandom(2));
        MlpVelocityField field = MlpVelocityField.of(net, LinearInterpolant.instance());
        Path file = dir.resolve("field.bin");
        field.save(file);
        MlpVelocityField loaded = MlpVelocityField.load(file, LinearInterpolant.instance());
        assertArrayEquals(net.parameters(), loaded.network().parameters(), 0.0);
        assertArrayEquals(net.sizes(), loaded.network().sizes());
        assertEquals(Activation.TANH, loaded.network().activation());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[]{1, 2, 3, 4, 5});
        assertThrows(IOException.class, () -> Mlp.read(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void badShapesAreRejected() {
        assertRejected("sizes", () -> Mlp.initialised(new int[]{3}, Activation.TANH, new SplittableRandom(1)));
        assertRejected("sizes", () -> Mlp.initialised(new int[]{3, 0, 2}, Activation.TANH, new SplittableRandom(1)));
        assertRejected("parameters", () -> Mlp.of(new int[]{1, 1}, Activation.TANH, new double[3]));
        assertRejected("parameters", () -> Mlp.of(new int[]{1, 1}, Activation.TANH, new double[]{Double.NaN, 0}));
        Mlp net = Mlp.initialised(new int[]{3, 4, 3}, Activation.TANH, new SplittableRandom(1));
        assertRejected("network", () -> MlpVelocityField.of(net, LinearInterpolant.instance()));
        Mlp ok = Mlp.initialised(new int[]{3, 4, 2}, Activation.TANH, new SplittableRandom(1));
        MlpSquaredErrorGradient loss = MlpSquaredErrorGradient.of(ok, 2);
        assertRejected("inputs", () -> loss.lossAndGradient(new double[5], new double[4], 2,
                new double[ok.parameterCount()]));
        assertRejected("rows", () -> loss.lossAndGradient(new double[9], new double[6], 3,
                new double[ok.parameterCount()]));
        assertTrue(ok.toString().contains("26"));
    }
}
