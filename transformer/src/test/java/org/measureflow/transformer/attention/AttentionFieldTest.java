package org.measureflow.transformer.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.transformer.attention.AttentionFixtures.bruteForce;
import static org.measureflow.transformer.attention.AttentionFixtures.maxAbs;
import static org.measureflow.transformer.attention.AttentionFixtures.maxDiff;
import static org.measureflow.transformer.attention.AttentionFixtures.permuteRows;
import static org.measureflow.transformer.attention.AttentionFixtures.randomHead;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.sphere.Sphere;

/** {@link AttentionField} and {@link SelfAttention} against the definition (survey eq. 27) and its symmetries. */
class AttentionFieldTest {
    /** Rounding of sums of n terms of size O(1) with O(1) logits: a few hundred ulps is ample. */
    private static final double ROUNDING = 1e-12;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void everyVariantMatchesTheBruteForceDefinition(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(12);
            int d = 1 + rng.nextInt(4);
            Attention layer = Attention.of(randomHead(rng, d, 1.0), randomHead(rng, d, 1.0));
            ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, d);
            double[] x = tokens.flatPoints();
            double[] w = tokens.weights();
            for (Normalisation norm : Normalisation.values()) {
                for (boolean causal : new boolean[]{false, true}) {
                    for (boolean sphere : new boolean[]{false, true}) {
                        AttentionField field = AttentionField.of(layer).withNormalisation(norm).withCausal(causal)
                                .withSphereProjection(sphere);
                        double[] out = new double[n * d];
                        field.velocities(0.3, x, n, d, w, out);
                        double[] expected = bruteForce(layer, x, n, d, w, causal, norm, sphere);
                        // relative to the output's size: the kernel differs from the definition only by rounding
                        assertTrue(maxDiff(out, expected) <= ROUNDING * (1 + maxAbs(expected)),
                                field + ": error " + maxDiff(out, expected));
                    }
                }
            }
        });
    }

    @Test
    void uniformWeightsAreTheNullWeights() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 9;
        int d = 3;
        AttentionField field = AttentionField.of(randomHead(rng, d, 1.0)).withNormalisation(Normalisation.UNNORMALISED);
        double[] x = RandomInputs.pointCloud(rng, n, d).flatPoints();
        double[] uniform = new double[n];
        java.util.Arrays.fill(uniform, 1.0 / n);
        double[] a = new double[n * d];
        double[] b = new double[n * d];
        field.velocities(0, x, n, d, null, a);
        field.velocities(0, x, n, d, uniform, b);
        // log(1/n) bias against the 1/n factor: two roundings apart
        assertTrue(maxDiff(a, b) <= ROUNDING * (1 + maxAbs(a)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void oneLayerIsPermutationEquivariant(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(30);
            int d = 1 + rng.nextInt(5);
            AttentionField field = AttentionField.of(Attention.of(randomHead(rng, d, 1.5), randomHead(rng, d, 1.5)));
            ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, d);
            int[] perm = AttentionFixtures.permutation(rng, n);
            double[] x = tokens.flatPoints();
            double[] w = tokens.weights();
            double[] wp = new double[n];
            for (int i = 0; i < n; i++) {
                wp[i] = w[perm[i]];
            }
            double[] out = new double[n * d];
            double[] outPermuted = new double[n * d];
            field.velocities(0, x, n, d, w, out);
            field.velocities(0, permuteRows(x, perm, d), n, d, wp, outPermuted);
            // the same sums in another order: rounding only
            assertTrue(maxDiff(permuteRows(out, perm, d), outPermuted) <= ROUNDING * (1 + maxAbs(out)));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void theFlowIsPermutationEquivariant(long seed) {
        Property.check(seed, rng -> {
            int n = 3 + rng.nextInt(20);
            int d = 2 + rng.nextInt(3);
            AttentionField field = AttentionField.of(randomHead(rng, d, 1.0));
            ParticleMeasure tokens = RandomInputs.pointCloud(rng, n, d);
            int[] perm = AttentionFixtures.permutation(rng, n);
            ParticleMeasure permuted = tokens.withFlatPoints(permuteRows(tokens.flatPoints(), perm, d));
            RungeKutta4 rk4 = RungeKutta4.of(0.1);
            double[] a = rk4.advect(tokens, field, 0, 1).measure().flatPoints();
            double[] b = rk4.advect(permuted, field, 0, 1).measure().flatPoints();
            // 40 evaluations, each equivariant up to rounding; the flow over depth 1 amplifies it by O(1)
            assertTrue(maxDiff(permuteRows(a, perm, d), b) <= 1e-11 * (1 + maxAbs(a)),
                    "error " + maxDiff(permuteRows(a, perm, d), b));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void softmaxOutputIsInvariantToAConstantAddedToAllLogits(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(15);
            int d = 1 + rng.nextInt(3);
            AttentionHead head = randomHead(rng, d, 1.0);
            // an extra coordinate equal to 1 on every token, with Q' = diag(Q, c), K' = diag(K, 1), V' = diag(V, 0),
            // adds exactly c to every logit and leaves the first d output coordinates unchanged
            double c = 1000.0; // e^{1000} overflows: only a max-shifted softmax survives this
            AttentionHead augmented = AttentionHead.of(pad(head.query(), c), pad(head.key(), 1), pad(head.value(), 0));
            double[] x = RandomInputs.pointCloud(rng, n, d).flatPoints();
            double[] xa = new double[n * (d + 1)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * d, xa, i * (d + 1), d);
                xa[i * (d + 1) + d] = 1.0;
            }
            for (boolean causal : new boolean[]{false, true}) {
                double[] out = new double[n * d];
                double[] outAugmented = new double[n * (d + 1)];
                AttentionField.of(head).withCausal(causal).velocities(0, x, n, d, null, out);
                AttentionField.of(augmented).withCausal(causal).velocities(0, xa, n, d + 1, null, outAugmented);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < d; k++) {
                        // logits of size O(1) are shifted by 1000, so they lose ~1000 ulp(1) = 2e-13 each
                        assertEquals(out[i * d + k], outAugmented[i * (d + 1) + k], 1e-11 * (1 + maxAbs(out)));
                    }
                    assertEquals(0.0, outAugmented[i * (d + 1) + d], 0.0);
                }
            }
        });
    }

    private static DMatrixRMaj pad(DMatrixRMaj m, double corner) {
        int d = m.numRows;
        DMatrixRMaj p = new DMatrixRMaj(d + 1, d + 1);
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                p.set(r, c, m.get(r, c));
            }
        }
        p.set(d, d, corner);
        return p;
    }

    @Test
    void coldTemperatureGivesHardmaxWithoutOverflow() {
        // beta = 1e4 on the sphere: each token's largest logit is with itself (cosine 1), every other weight is
        // below e^{-1e4 * (1 - max cosine)} = 0 in double precision, so the softmax output is the token itself
        ParticleMeasure tokens = Sphere.uniform(20, 3, new SplittableRandom(5));
        AttentionField field = AttentionField.of(AttentionHead.identity(3, 1e4));
        double[] out = field.velocities(0, tokens);
        assertArrayEquals(tokens.flatPoints(), out, 1e-15);
    }

    @Test
    void denseMatrixRowsSumToOneAndReproduceTheField() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 15;
        int d = 3;
        AttentionHead head = randomHead(rng, d, 1.0);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, d);
        for (boolean causal : new boolean[]{false, true}) {
            AttentionField field = AttentionField.of(head).withCausal(causal);
            double[] a = field.attentionMatrix(0, tokens, 0);
            double[] x = tokens.flatPoints();
            double[] expected = field.velocities(0, tokens);
            DMatrixRMaj v = head.value();
            for (int i = 0; i < n; i++) {
                double row = 0;
                double[] mix = new double[d];
                for (int j = 0; j < n; j++) {
                    row += a[i * n + j];
                    if (causal && j > i) {
                        assertEquals(0.0, a[i * n + j], 0.0, "masked entry");
                    }
                    for (int k = 0; k < d; k++) {
                        mix[k] += a[i * n + j] * x[j * d + k];
                    }
                }
                assertEquals(1.0, row, ROUNDING);
                for (int r = 0; r < d; r++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += v.get(r, k) * mix[k];
                    }
                    assertEquals(expected[i * d + r], s, ROUNDING * (1 + maxAbs(expected)));
                }
            }
        }
    }

    @Test
    void depthScheduleGivesEachLayerItsSliceOfDepth() {
        SplittableRandom rng = new SplittableRandom(2);
        Attention first = Attention.of(randomHead(rng, 2, 1.0));
        Attention second = Attention.of(randomHead(rng, 2, 1.0));
        AttentionSchedule schedule = AttentionSchedule.layers(1.0, List.of(first, second));
        assertTrue(schedule.at(0.0) == first && schedule.at(0.49) == first);
        assertTrue(schedule.at(0.5) == second && schedule.at(1.0) == second && schedule.at(7) == second);
        ParticleMeasure tokens = RandomInputs.pointCloud(rng, 6, 2);
        assertArrayEquals(AttentionField.of(second).velocities(0, tokens),
                AttentionField.of(schedule).velocities(0.75, tokens), 0.0);
    }

    @Test
    void largeInputsRunInParallelWithReproducibleBits() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 700;
        int d = 4;
        AttentionField field = AttentionField.of(randomHead(rng, d, 1.0)).withCausal(true);
        ParticleMeasure tokens = RandomInputs.pointCloud(rng, n, d);
        double[] a = field.velocities(0, tokens);
        double[] b = field.velocities(0, tokens);
        assertArrayEquals(a, b, 0.0);
        // rows are independent and each row's sums run in a fixed order, whatever its block of four queries or its
        // chunk: the first 50 causal tokens alone (other chunks, one thread) give exactly the same bits
        ParticleMeasure prefix = ParticleMeasure.fromFlat(java.util.Arrays.copyOf(tokens.flatPoints(), 50 * d), d);
        double[] c = field.velocities(0, prefix);
        assertArrayEquals(java.util.Arrays.copyOf(a, 50 * d), c, 0.0);
    }

    @Test
    void withersKeepTheOtherSettingsAndLeaveTheOriginalUnchanged() {
        AttentionHead head = AttentionHead.identity(2, 3);
        AttentionField base = AttentionField.of(head);
        AttentionField changed = base.withCausal(true).withNormalisation(Normalisation.UNNORMALISED)
                .withSphereProjection(true);
        assertTrue(changed.causal() && changed.sphereProjection());
        assertEquals(Normalisation.UNNORMALISED, changed.normalisation());
        assertTrue(!changed.withCausal(false).causal() && changed.withCausal(false).sphereProjection()
                && changed.withCausal(false).normalisation() == Normalisation.UNNORMALISED);
        assertTrue(!base.causal() && !base.sphereProjection() && base.normalisation() == Normalisation.SOFTMAX);
        assertTrue(changed.schedule() == base.schedule() && changed.dimension() == 2);
        assertEquals("AttentionField[d=2, normalisation=UNNORMALISED, causal=true, sphereProjection=true, "
                + "schedule=constant Attention[d=2, heads=1]]", changed.toString());

        DMatrixRMaj q = new DMatrixRMaj(new double[][]{{1, 2}, {3, 4}});
        AttentionHead withQuery = head.withQuery(q);
        assertArrayEquals(q.data, withQuery.query().data, 0.0);
        assertArrayEquals(head.key().data, withQuery.key().data, 0.0);
        assertArrayEquals(head.value().data, withQuery.value().data, 0.0);
        assertArrayEquals(new double[]{3, 0, 0, 3}, head.query().data, 0.0, "the original keeps its query");
        // K^T Q follows the new query: K = I, so it is Q itself
        assertArrayEquals(q.data, withQuery.keyTransposeQuery().data, 0.0);
        assertArrayEquals(new double[]{1, 2, 3, 4}, head.withKey(q).key().data, 0.0);
        assertArrayEquals(new double[]{1, 2, 3, 4}, head.withValue(q).value().data, 0.0);
        assertEquals("AttentionHead[d=2, query=[[1, 2], [3, 4]], key=[[1, 0], [0, 1]], value=[[1, 0], [0, 1]]]",
                withQuery.toString());
        Rejections.assertRejected("query", () -> head.withQuery(new DMatrixRMaj(3, 3)));
        Rejections.assertRejected("value", () -> head.withValue(new DMatrixRMaj(new double[][]{{1, 0},
                {0, Double.NaN}})));
    }

    @Test
    void schedulesDescribeThemselves() {
        Attention layer = Attention.of(AttentionHead.identity(2, 1), AttentionHead.identity(2, 2));
        assertEquals("constant Attention[d=2, heads=2]", AttentionSchedule.constant(layer).toString());
        assertEquals("3 layers over depth 1.5 (Attention[d=2, heads=2] first)",
                AttentionSchedule.layers(1.5, List.of(layer, layer, layer)).toString());
    }

    @Test
    void rejectsBadInput() {
        AttentionHead head = AttentionHead.identity(2, 1);
        Rejections.assertRejected("key", () -> AttentionHead.of(new DMatrixRMaj(2, 2), new DMatrixRMaj(3, 3),
                new DMatrixRMaj(2, 2)));
        Rejections.assertRejected("heads[1]", () -> Attention.of(head, AttentionHead.identity(3, 1)));
        Rejections.assertRejected("heads", () -> Attention.of());
        Rejections.assertRejected("heads[0]", () -> Attention.of((AttentionHead) null));
        Rejections.assertRejected("h", () -> Attention.of(head).head(1));
        Rejections.assertRejected("layers[1]", () -> AttentionSchedule.layers(1, List.of(Attention.of(head),
                Attention.of(AttentionHead.identity(3, 1)))));
        Rejections.assertRejected("d", () -> AttentionField.of(head).attentionMatrix(0,
                ParticleMeasure.of(new double[][]{{1, 0, 0}}), 0));
        Rejections.assertRejected("d", () -> AttentionField.of(head).velocities(0, new double[6], 2, 3, null,
                new double[6]));
        Rejections.assertRejected("out", () -> SelfAttention.evaluate(Attention.of(head), new double[4], 2, 2,
                null, false, Normalisation.SOFTMAX, false, new double[3]));
        Rejections.assertRejected("beta", () -> AttentionHead.identity(2, Double.NaN));
        Rejections.assertRejected("depth", () -> AttentionSchedule.layers(0, List.of(Attention.of(head))));
        // e^1000 is beyond double range: the overflow is bad input (issue 14), named, not an IllegalStateException
        Rejections.assertRejected("points", () -> AttentionField.of(AttentionHead.identity(1, 1000))
                .withNormalisation(Normalisation.UNNORMALISED)
                .velocities(0, new double[]{1, 1}, 2, 1, null, new double[2]));
    }
}
