package org.measureflow.transformer.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.transformer.attention.AttentionFixtures.bruteForce;
import static org.measureflow.transformer.attention.AttentionFixtures.maxAbs;
import static org.measureflow.transformer.attention.AttentionFixtures.maxDiff;
import static org.measureflow.transformer.attention.AttentionFixtures.randomHead;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.transformer.sphere.Sphere;

/** The tiled kernel of {@link SelfAttention} against the definition, and its bits against its blocking. */
class TiledAttentionTest {
    /**
     * Sums of at most a few hundred O(1) terms with O(1) logits, and exponentials within 2 ulp: the kernel and the
     * definition differ by about 1e-14 of the largest output; 1e-12 leaves a margin of a hundred.
     */
    private static final double RELATIVE = 1e-12;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void tiledKernelEqualsTheDefinitionForAnyBlocking(long seed) {
        Property.check(seed, rng -> {
            int heads = 1 + rng.nextInt(3);
            int d = 1 + rng.nextInt(9); // every remainder of the four-coordinate passes
            int n = 1 + rng.nextInt(90);
            AttentionHead[] list = new AttentionHead[heads];
            for (int h = 0; h < heads; h++) {
                list[h] = randomHead(rng, d, 1.0);
            }
            Attention layer = Attention.of(list);
            boolean onSphere = d >= 2 && rng.nextBoolean(); // the sphere S^{d-1} needs d >= 2
            ParticleMeasure tokens = onSphere ? Sphere.uniform(n, d, rng) : RandomInputs.weightedPointCloud(rng, n, d);
            double[] x = tokens.flatPoints();
            double[] w = rng.nextBoolean() ? null : RandomInputs.positiveWeights(rng, n);
            double[][] bias = bias(w, heads);
            SelfAttention.Tiling tiling = randomTiling(rng, n);
            for (Normalisation norm : Normalisation.values()) {
                for (boolean causal : new boolean[]{false, true}) {
                    double[] out = new double[n * d];
                    SelfAttention.evaluate(layer, x, n, d, bias, causal, norm, onSphere, out, tiling);
                    double[] expected = bruteForce(layer, x, n, d, w, causal, norm, onSphere);
                    assertTrue(maxDiff(out, expected) <= RELATIVE * maxAbs(expected),
                            tiling + " " + norm + " causal=" + causal + " sphere=" + onSphere + ": error "
                                    + maxDiff(out, expected) + " of " + maxAbs(expected));
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void bitsDoNotDependOnBlockingChunksOrThreads(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(400);
            int d = 1 + rng.nextInt(10);
            Attention layer = Attention.of(randomHead(rng, d, 1.5), randomHead(rng, d, 1.5));
            double[] x = RandomInputs.pointCloud(rng, n, d).flatPoints();
            double[] w = RandomInputs.positiveWeights(rng, n);
            for (int j = 0; j < n; j += 1 + rng.nextInt(5)) {
                w[j] = 0; // keys of weight zero: bias -infinity, and with a causal mask some rows see none at all
            }
            double[][] bias = bias(w, 2);
            boolean causal = rng.nextBoolean();
            boolean tangent = rng.nextBoolean();
            Normalisation norm = rng.nextBoolean() ? Normalisation.SOFTMAX : Normalisation.UNNORMALISED;
            double[] reference = new double[n * d];
            // one query per block, one key per tile, one row per chunk, one thread: no sharing of any kind
            SelfAttention.evaluate(layer, x, n, d, bias, causal, norm, tangent, reference,
                    new SelfAttention.Tiling(1, 1, 1, false));
            double[] out = new double[n * d];
            SelfAttention.evaluate(layer, x, n, d, bias, causal, norm, tangent, out);
            assertArrayEquals(reference, out, "the default blocking, both cores");
            for (int trial = 0; trial < 6; trial++) {
                SelfAttention.Tiling tiling = randomTiling(rng, n);
                Arrays.fill(out, Double.NaN);
                SelfAttention.evaluate(layer, x, n, d, bias, causal, norm, tangent, out, tiling);
                assertArrayEquals(reference, out, tiling.toString());
            }
        });
    }

    @Test
    void largeInputsGiveTheSameBitsSeriallyAndOnBothCores() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 1100; // five key tiles of 256 and 62 chunks: the parallel path of Chunks
        int d = 6;
        Attention layer = Attention.of(randomHead(rng, d, 1.0), randomHead(rng, d, 1.0));
        double[] x = RandomInputs.pointCloud(rng, n, d).flatPoints();
        for (boolean causal : new boolean[]{false, true}) {
            double[] parallel = new double[n * d];
            double[] serial = new double[n * d];
            SelfAttention.evaluate(layer, x, n, d, null, causal, Normalisation.SOFTMAX, false, parallel);
            SelfAttention.evaluate(layer, x, n, d, null, causal, Normalisation.SOFTMAX, false, serial,
                    new SelfAttention.Tiling(3, 97, 17, false));
            assertArrayEquals(serial, parallel);
            // and against the definition, with the default blocking
            double[] expected = bruteForce(layer, x, n, d, null, causal, Normalisation.SOFTMAX, false);
            assertTrue(maxDiff(parallel, expected) <= RELATIVE * maxAbs(expected),
                    "error " + maxDiff(parallel, expected));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void exponentialIsWithinItsDocumentedBound(long seed) {
        Property.check(seed, rng -> {
            for (int i = 0; i < 20_000; i++) {
                double x = i % 2 == 0 ? -708 * rng.nextDouble() : -10 * rng.nextDouble();
                double exact = Math.exp(x); // itself within one ulp of e^x
                double got = AttentionExp.exp(x);
                assertTrue(Math.abs(got - exact) <= AttentionExp.RELATIVE_ERROR * exact + Math.ulp(exact),
                        "exp(" + x + ") = " + got + ", Math.exp " + exact);
            }
            for (int i = 0; i < 1000; i++) {
                double x = -708.4 - 100 * rng.nextDouble();
                double got = AttentionExp.exp(x);
                // flushed below the smallest normal: 0, or a value below 2^-1021
                assertTrue(got >= 0 && got <= 0x1p-1021, "exp(" + x + ") = " + got);
            }
        });
    }

    @Test
    void exponentialIsExactAtZeroAndZeroAtMinusInfinity() {
        assertEquals(1.0, AttentionExp.exp(0.0), 0.0);
        assertEquals(1.0, AttentionExp.exp(-0.0), 0.0);
        assertEquals(0.0, AttentionExp.exp(Double.NEGATIVE_INFINITY), 0.0);
        // a row maximum with the others far below: the row sum is exactly the 1 of its maximum
        assertEquals(0.0, AttentionExp.exp(-1e300), 0.0);
    }

    /** Random blockings, including degenerate ones (one query, one key, one row per chunk). */
    private static SelfAttention.Tiling randomTiling(RandomGenerator rng, int n) {
        int queryBlock = 1 + rng.nextInt(12);
        int keyBlock = rng.nextInt(4) == 0 ? 1 + rng.nextInt(5) : 1 + rng.nextInt(n + 40);
        int chunkRows = rng.nextBoolean() ? 0 : 1 + rng.nextInt(n + 5);
        return new SelfAttention.Tiling(queryBlock, keyBlock, chunkRows, rng.nextBoolean());
    }

    /** The log-weights as the biases of every head, or null for uniform weights. */
    private static double[][] bias(double[] w, int heads) {
        if (w == null) {
            return null;
        }
        double[] log = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            log[j] = Math.log(w[j]);
        }
        double[][] bias = new double[heads][];
        Arrays.fill(bias, log);
        return bias;
    }
}
