package org.measureflow.transformer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionFixtures;
import org.measureflow.transformer.attention.AttentionSchedule;
import org.measureflow.transformer.sphere.Sphere;

/** {@link DiscreteTransformer} (survey eq. 26) and {@link TokenFlow} (eq. 28). */
class DiscreteTransformerTest {
    @Test
    void oneLayerIsOneSkipConnectionStep() {
        SplittableRandom rng = new SplittableRandom(1);
        AttentionField field = AttentionField.of(AttentionFixtures.randomHead(rng, 3, 1.0));
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, 10, 3);
        double[] v = field.velocities(0, tokens);
        double[] x = tokens.flatPoints();
        double[] out = DiscreteTransformer.of(field, 1).depth(0.5).apply(tokens).flatPoints();
        for (int k = 0; k < x.length; k++) {
            assertEquals(x[k] + 0.5 * v[k], out[k], 0.0, "x + (T/L) v, computed the same way");
        }
    }

    @Test
    void depthLimitConvergesToTheOdeAtFirstOrder() {
        SplittableRandom rng = new SplittableRandom(7);
        int d = 2;
        // depth-dependent parameters: one head on the first half of the depth, another on the second
        Attention a = Attention.of(AttentionFixtures.randomHead(rng, d, 1.2));
        Attention b = Attention.of(AttentionFixtures.randomHead(rng, d, 1.2));
        AttentionSchedule schedule = t -> t < 0.5 ? a : b; // piecewise constant, jump at 1/2 (a layer boundary)
        AttentionField field = AttentionField.of(schedule);
        ParticleMeasure tokens = RandomInputs.weightedPointCloud(rng, 12, d);
        // reference: the ODE at depth 1, solved in two pieces on either side of the jump (RK4, h = 1/2000, error
        // ~ h^4 ~ 1e-13); even L put the jump on a layer boundary too
        RungeKutta4 rk4 = RungeKutta4.of(5e-4);
        ParticleMeasure half = rk4.advect(tokens, AttentionField.of(a), 0, 0.5).measure();
        double[] exact = rk4.advect(half, AttentionField.of(b), 0.5, 1).measure().flatPoints();
        int[] layers = {40, 80, 160, 320};
        double[] error = new double[layers.length];
        for (int k = 0; k < layers.length; k++) {
            double[] out = DiscreteTransformer.of(field, layers[k]).apply(tokens).flatPoints();
            error[k] = AttentionFixtures.maxDiff(out, exact);
        }
        for (int k = 1; k < layers.length; k++) {
            double ratio = error[k - 1] / error[k];
            // explicit Euler: e(L) = C/L + O(1/L^2), so halving 1/L halves the error up to a 1 + O(1/L) factor
            assertEquals(2.0, ratio, 0.15, "error ratio between L = " + layers[k - 1] + " and " + layers[k]);
        }
        assertTrue(error[layers.length - 1] < 1e-2, "error at L = 320: " + error[layers.length - 1]);
    }

    @Test
    void renormalisedLayersKeepTokensOnTheSphereAndRecordTheirDepths() {
        ParticleMeasure tokens = Sphere.uniform(16, 3, new SplittableRandom(4));
        AttentionField field = AttentionField.of(org.measureflow.transformer.attention.AttentionHead.identity(3, 2));
        TokenTrajectory run = DiscreteTransformer.of(field, 10).depth(2).renormalise(true).run(tokens, 4);
        assertArrayEquals(new double[]{0, 0.8, 1.6, 2.0}, run.depths(), 1e-15);
        for (ParticleMeasure m : run.tokens()) {
            for (int i = 0; i < m.size(); i++) {
                double[] p = m.point(i);
                assertEquals(1.0, Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 1e-15);
            }
        }
    }

    @Test
    void tokenFlowRecordsTheIntegratorsSolutionAtTheRequestedDepths() {
        SplittableRandom rng = new SplittableRandom(9);
        AttentionField field = AttentionField.of(AttentionFixtures.randomHead(rng, 2, 1.0));
        ParticleMeasure tokens = RandomInputs.pointCloud(rng, 8, 2);
        DormandPrince54 dopri = DormandPrince54.withDefaults().withRelativeTolerance(1e-11).withAbsoluteTolerance(1e-13);
        TokenTrajectory run = TokenFlow.integrate(dopri, field, tokens, 0, 0.5, 1);
        assertArrayEquals(new double[]{0, 0.5, 1}, run.depths(), 0.0);
        assertArrayEquals(tokens.flatPoints(), run.at(0).flatPoints(), 0.0);
        assertArrayEquals(dopri.advect(tokens, field, 0, 1).measure().flatPoints(), run.last().flatPoints(), 0.0);
        // dense output at 0.5 against a separate solve to 0.5: both within the tolerance of the exact flow
        assertArrayEquals(dopri.advect(tokens, field, 0, 0.5).measure().flatPoints(), run.at(1).flatPoints(), 1e-8);
    }

    @Test
    void rejectsBadInput() {
        AttentionField field = AttentionField.of(org.measureflow.transformer.attention.AttentionHead.identity(2, 1));
        Rejections.assertRejected("layers", () -> DiscreteTransformer.of(field, 0));
        Rejections.assertRejected("depth", () -> DiscreteTransformer.of(field, 3).depth(-1));
        Rejections.assertRejected("depths[1]", () -> TokenFlow.integrate(RungeKutta4.of(0.1), field,
                ParticleMeasure.of(new double[][]{{1, 0}}), 0, -1));
        Rejections.assertRejected("tokens", () -> new TokenTrajectory(new double[]{0}, List.of(), null));
    }
}
