package org.measureflow.transformer.sinkformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.transformer.attention.AttentionFixtures.maxAbs;
import static org.measureflow.transformer.attention.AttentionFixtures.maxDiff;
import static org.measureflow.transformer.attention.AttentionFixtures.permuteRows;
import static org.measureflow.transformer.attention.AttentionFixtures.randomHead;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.Property;
import org.measureflow.ot.Epsilon;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionFixtures;
import org.measureflow.transformer.diagnostics.TokenDiagnostics;
import org.measureflow.transformer.dynamics.TokenFlow;
import org.measureflow.transformer.dynamics.TokenFlowResult;
import org.measureflow.transformer.gaussian.GaussianAttentionClosure;
import org.measureflow.transformer.sphere.Sphere;

/** {@link SinkformerField}: doubly stochastic attention (Sander et al. 2022) and its Gaussian closure, docs/closed-forms.md CF-16. */
class SinkformerFieldTest {
    /** The Sinkformer of Sander et al. (epsilon = 1), scaled to an L1 marginal error of 1e-10. */
    private static final SinkhornSolver SINKHORN = SinkhornSolver.of(1.0).withTolerance(1e-10);

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void attentionMatricesAreDoublyStochastic(long seed) {
        Property.check(seed, rng -> {
            int n = 5 + rng.nextInt(40);
            int d = 1 + rng.nextInt(4);
            SinkformerField field = SinkformerField.of(randomHead(rng, d, 1.5), SINKHORN);
            SinkhornAttentionResult a = field.attention(0, RandomInputs.pointCloud(rng, n, d), 0);
            assertTrue(a.converged() && a.error() <= 1e-10, "Sinkhorn converged: " + a.error());
            for (double r : a.rowSums()) {
                assertEquals(1.0, r, 1e-13, "row sum"); // rows are normalised explicitly: rounding only
            }
            // column j of A = P/w_i sums to n (P^T 1)_j up to the row errors: |col - 1| <= 2 n * marginal error
            double columnTolerance = 2 * n * a.error() + 1e-13;
            for (double c : a.columnSums()) {
                assertEquals(1.0, c, columnTolerance, "column sum");
            }
        });
    }

    @Test
    void weightedTokensGetWeightedColumnMarginals() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 30;
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, 2);
        SinkhornAttentionResult a = SinkformerField.of(randomHead(rng, 2, 1.0), SINKHORN).attention(0, tokens, 0);
        double[] w = tokens.weights();
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += w[i] * a.get(i, j);
            }
            // sum_i w_i A_ij = (P^T 1)_j up to the row errors: within the L1 marginal error
            assertEquals(w[j], s, 2 * a.error() + 1e-15);
        }
    }

    @Test
    void fieldIsValueTimesAttentionMatrixTimesTokens() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 25;
        int d = 3;
        AttentionHead head = randomHead(rng, d, 1.0);
        SinkformerField field = SinkformerField.of(head, SINKHORN);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, d);
        double[] v = field.velocities(0, tokens);
        SinkhornAttentionResult a = field.attention(0, tokens, 0);
        DMatrixRMaj value = head.value();
        double[] x = tokens.flatPoints();
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < d; r++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < d; k++) {
                        s += value.get(r, k) * a.get(i, j) * x[j * d + k];
                    }
                }
                assertEquals(s, v[i * d + r], 1e-12 * (1 + maxAbs(v)));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void fieldIsPermutationEquivariant(long seed) {
        Property.check(seed, rng -> {
            int n = 3 + rng.nextInt(25);
            int d = 1 + rng.nextInt(3);
            SinkformerField field = SinkformerField.of(Attention.of(randomHead(rng, d, 1.0), randomHead(rng, d, 1.0)),
                    SINKHORN);
            double[] x = RandomInputs.pointCloud(rng, n, d).flatPoints();
            int[] perm = AttentionFixtures.permutation(rng, n);
            double[] out = new double[n * d];
            double[] outPermuted = new double[n * d];
            field.velocities(0, x, n, d, null, out);
            field.velocities(0, permuteRows(x, perm, d), n, d, null, outPermuted);
            // the Sinkhorn iterates are permutation-equivariant too; both stop at marginal error <= 1e-10, which
            // bounds the difference of the two row-normalised plans' outputs by ~1e-10 |V| max|x|
            assertTrue(maxDiff(permuteRows(out, perm, d), outPermuted) <= 1e-9 * (1 + maxAbs(out)));
        });
    }

    @Test
    void identityParametersOnTheSphereMergeAllTokensIntoOneCluster() {
        ParticleMeasure tokens = Sphere.uniform(32, 3, new SplittableRandom(2026));
        SinkformerField field = SinkformerField.of(AttentionHead.identity(3, 1.0), SINKHORN)
                .withSphereProjection(true);
        TokenFlowResult run = TokenFlow.of(field, RungeKutta4.of(0.1)).integrate(tokens, 0, 15);
        assertTrue(TokenDiagnostics.clusterCount(run.at(0), 0.99) > 20, "a generic start: many clusters");
        // observed: min cosine -0.87 at t = 5, 0.998 at t = 10, 1 - 1e-7 at t = 15; the stated time leaves a
        // margin of 10^4 in 1 - cosine, which decays like e^{-2t}-ish near the cluster (docs/closed-forms.md CF-18)
        double minCosine = TokenDiagnostics.minPairwiseCosine(run.last());
        assertTrue(minCosine > 0.999, "min pairwise cosine at t = 15: " + minCosine);
        assertEquals(1, TokenDiagnostics.clusterCount(run.last(), 0.999));
    }

    @Test
    void gaussianTokensFollowTheSinkhornClosureField() {
        SplittableRandom rng = new SplittableRandom(31);
        int n = 2000;
        DMatrixRMaj q = new DMatrixRMaj(new double[][]{{0.8, 0.3}, {-0.2, 0.6}});
        DMatrixRMaj k = new DMatrixRMaj(new double[][]{{0.7, -0.4}, {0.5, 0.9}});
        DMatrixRMaj v = new DMatrixRMaj(new double[][]{{1.0, 0.2}, {-0.3, 0.8}});
        AttentionHead head = AttentionHead.of(q, k, v);
        double[] m = {0.5, -0.3};
        DMatrixRMaj s = new DMatrixRMaj(new double[][]{{1.0, 0.3}, {0.3, 0.6}});
        ParticleMeasure tokens = GaussianMeasure.of(m, s).sample(n, rng);
        double[] field = SinkformerField.of(head, SINKHORN).velocities(0, tokens);
        AffineMap closure = GaussianAttentionClosure.withDefaults()
                .withAttentionWeights(GaussianAttentionClosure.AttentionWeights.SINKHORN)
                .field(Attention.of(head), tokens.mean(), tokens.covariance());
        double err = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double[] g = closure.apply(tokens.point(i));
            for (int c = 0; c < 2; c++) {
                err += (field[2 * i + c] - g[c]) * (field[2 * i + c] - g[c]);
                norm += g[c] * g[c];
            }
        }
        // the empirical Sinkhorn conditional mean fluctuates around the Gaussian one by O(1/sqrt(n)) relative
        // (observed 0.017 at n = 2000); the transposed kernel M^T gives 0.83 and softmax attention 0.29
        double relativeRms = Math.sqrt(err / norm);
        assertTrue(relativeRms < 3 / Math.sqrt(n), "relative RMS distance to the closure field: " + relativeRms);
    }

    @Test
    void theSolversEpsilonIsATemperatureOfTheLogits() {
        SplittableRandom rng = new SplittableRandom(17);
        int n = 20;
        int d = 3;
        AttentionHead head = randomHead(rng, d, 1.0);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, n, d);
        double epsilon = 0.5;
        // epsilon = 1/2 on (Q, K, V) is epsilon = 1 on (2Q, K, V): the same plan, by the same iterations on a cost
        // scaled by 2 (exact in binary), and logits 2L computed as (2Q) against K^T (2Q): rounding only
        DMatrixRMaj q2 = head.query();
        for (int k = 0; k < q2.data.length; k++) {
            q2.data[k] *= 2;
        }
        SinkformerField tempered = SinkformerField.of(head, SINKHORN.withEpsilon(epsilon));
        SinkformerField doubled = SinkformerField.of(head.withQuery(q2), SINKHORN);
        SinkhornAttentionResult a = tempered.attention(0, tokens, 0);
        SinkhornAttentionResult b = doubled.attention(0, tokens, 0);
        assertEquals(epsilon, a.epsilon(), 0.0);
        assertTrue(a.converged() && b.converged(), a + " / " + b);
        // both plans within 1e-10 of the same doubly stochastic plan: entries agree to ~1e-10 / w
        assertTrue(maxDiff(a.matrix(), b.matrix()) <= 1e-8, "matrices differ by " + maxDiff(a.matrix(), b.matrix()));
        double[] v = tempered.velocities(0, tokens);
        assertTrue(maxDiff(v, doubled.velocities(0, tokens)) <= 1e-8 * (1 + maxAbs(v)));
    }

    @Test
    void anObserverCanStopTheScalingAndTheResultSaysSo() {
        SplittableRandom rng = new SplittableRandom(23);
        SinkformerField field = SinkformerField.of(randomHead(rng, 2, 3.0), SINKHORN);
        ParticleMeasure tokens = RandomInputs.pointCloud(rng, 40, 2);
        long[] calls = new long[1];
        SinkhornAttentionResult stopped = field.attention(0, tokens, 0, status -> ++calls[0] < 2);
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(2, stopped.iterations());
        assertEquals(2, calls[0]);
        assertTrue(!stopped.converged() && stopped.toString().contains("NOT CONVERGED"), stopped.toString());
        for (double r : stopped.rowSums()) {
            assertEquals(1.0, r, 1e-13, "rows are normalised explicitly, converged or not");
        }
        SinkhornAttentionResult full = field.attention(0, tokens, 0);
        assertTrue(full.converged() && full.iterations() > 2, full.toString());
        assertTrue(full.toString().startsWith("SinkhornAttentionResult[n=40, epsilon=1.0, converged in "),
                full.toString());
    }

    @Test
    void withersKeepTheOtherSettingsAndRelativeEpsilonIsRejected() {
        AttentionHead head = AttentionHead.identity(2, 1);
        SinkformerField base = SinkformerField.of(head, SINKHORN);
        SinkhornSolver loose = SINKHORN.withTolerance(1e-6);
        SinkformerField changed = base.withSphereProjection(true).withSinkhorn(loose);
        assertTrue(changed.sphereProjection() && changed.sinkhorn() == loose);
        assertTrue(!base.sphereProjection() && base.sinkhorn() == SINKHORN);
        assertTrue(changed.schedule() == base.schedule() && changed.dimension() == 2);
        assertEquals("SinkformerField[d=2, sphereProjection=true, sinkhorn=" + loose
                + ", schedule=constant Attention[d=2, heads=1]]", changed.toString());
        Rejections.assertRejected("sinkhorn", () -> SinkformerField.of(head,
                SinkhornSolver.of(Epsilon.relativeToMeanCost(0.05))));
        Rejections.assertRejected("sinkhorn", () -> base.withSinkhorn(null));
    }
}
