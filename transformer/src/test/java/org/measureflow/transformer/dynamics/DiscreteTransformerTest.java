package org.measureflow.transformer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionFixtures;
import org.measureflow.transformer.attention.AttentionHead;
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
        double[] out = DiscreteTransformer.of(field, 1).withDepth(0.5).apply(tokens).flatPoints();
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
        AttentionField field = AttentionField.of(AttentionHead.identity(3, 2));
        TokenFlowResult run = DiscreteTransformer.of(field, 10).withDepth(2).withRenormalisation(true).run(tokens, 4);
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
        TokenFlowResult run = TokenFlow.of(field, dopri).integrate(tokens, 0, 0.5, 1);
        assertArrayEquals(new double[]{0, 0.5, 1}, run.depths(), 0.0);
        assertArrayEquals(tokens.flatPoints(), run.at(0).flatPoints(), 0.0);
        assertArrayEquals(dopri.advect(tokens, field, 0, 1).measure().flatPoints(), run.last().flatPoints(), 0.0);
        // dense output at 0.5 against a separate solve to 0.5: both within the tolerance of the exact flow
        assertArrayEquals(dopri.advect(tokens, field, 0, 0.5).measure().flatPoints(), run.at(1).flatPoints(), 1e-8);
    }

    @Test
    void anObserverSeesEveryLayerAndCanStopTheRun() {
        ParticleMeasure tokens = Sphere.uniform(12, 3, new SplittableRandom(5));
        AttentionField field = AttentionField.of(AttentionHead.identity(3, 2));
        DiscreteTransformer net = DiscreteTransformer.of(field, 10).withDepth(2);
        List<IterationStatus> seen = new ArrayList<>();
        TokenFlowResult stopped = net.run(tokens, 4, status -> {
            seen.add(status);
            return status.iteration() < 5;
        });
        assertEquals(5, seen.size(), "called after each layer until it says stop");
        assertEquals(0.5, seen.get(4).fractionDone(), 0.0);
        assertTrue(Double.isNaN(seen.get(0).error()), "a forward pass tests no error");
        // recorded at layers 0, 4 and where it stopped (5): depths 0, 0.8, 1
        assertArrayEquals(new double[]{0, 0.8, 1}, stopped.depths(), 1e-15);
        assertTrue(stopped.integration().stoppedEarly() && stopped.integration().steps() == 5, stopped.toString());
        // the first five layers are the same computation (step 2/10 = 1/5 in double) as five layers over depth 1
        TokenFlowResult five = net.withLayers(5).withDepth(1).run(tokens, 5);
        assertArrayEquals(five.last().flatPoints(), stopped.last().flatPoints(), 0.0);
        TokenFlowResult all = net.run(tokens, 4);
        assertTrue(!all.integration().stoppedEarly() && all.integration().evaluations() == 10
                && all.integration().finalTime() == 2.0, all.toString());
    }

    @Test
    void tokenFlowPassesItsStepsToTheObserver() {
        ParticleMeasure tokens = Sphere.uniform(8, 2, new SplittableRandom(6));
        TokenFlow flow = TokenFlow.of(AttentionField.of(AttentionHead.identity(2, 1)), RungeKutta4.of(0.1));
        List<Double> fractions = new ArrayList<>();
        TokenFlowResult run = flow.integrate(tokens, new double[]{0, 0.5, 1}, StepObserver.progress(fractions::add));
        assertEquals(11, fractions.size(), "0 at the start, then one report per step");
        assertEquals(1.0, fractions.get(10), 1e-12);
        assertArrayEquals(flow.integrate(tokens, 0, 0.5, 1).last().flatPoints(), run.last().flatPoints(), 0.0);
        // stopped after the third step (t = 0.3): only the depths already passed are recorded
        TokenFlowResult early = flow.integrate(tokens, new double[]{0, 0.5, 1}, step -> step.index() < 2);
        assertArrayEquals(new double[]{0}, early.depths(), 0.0);
        assertTrue(early.integration().stoppedEarly(), early.toString());
    }

    @Test
    void withersKeepTheOtherSettingsAndLeaveTheOriginalUnchanged() {
        AttentionField field = AttentionField.of(AttentionHead.identity(2, 1));
        DiscreteTransformer base = DiscreteTransformer.of(field, 5);
        DiscreteTransformer changed = base.withDepth(3).withRenormalisation(true);
        assertEquals(5, changed.layers());
        assertEquals(3.0, changed.depth(), 0.0);
        assertTrue(changed.renormalisation() && changed.field() == field);
        assertEquals(1.0, base.depth(), 0.0);
        assertTrue(!base.renormalisation());
        assertEquals(7, changed.withLayers(7).layers());
        assertEquals(3.0, changed.withLayers(7).depth(), 0.0);
        assertEquals("DiscreteTransformer[layers=5, depth=3.0, renormalisation=true, field=" + field + "]",
                changed.toString());
        TokenFlow flow = TokenFlow.of(field, RungeKutta4.of(0.1));
        RungeKutta4 fine = RungeKutta4.of(0.01);
        assertTrue(flow.withIntegrator(fine).integrator() == fine && flow.withIntegrator(fine).field() == field);
        assertTrue(flow.integrator() != fine);
    }

    @Test
    void resultSummarisesTheTokensAndTheIntegrationInOneLine() {
        ParticleMeasure tokens = Sphere.uniform(8, 2, new SplittableRandom(6));
        TokenFlowResult run = TokenFlow.of(AttentionField.of(AttentionHead.identity(2, 1)), RungeKutta4.of(0.25))
                .integrate(tokens, 0, 1);
        assertEquals(4, run.integration().steps());
        assertEquals("TokenFlowResult[n=8, d=2, depths=[0, 1], " + run.integration() + "]", run.toString());
    }

    @Test
    void rejectsBadInput() {
        AttentionField field = AttentionField.of(AttentionHead.identity(2, 1));
        Rejections.assertRejected("layers", () -> DiscreteTransformer.of(field, 0));
        Rejections.assertRejected("depth", () -> DiscreteTransformer.of(field, 3).withDepth(-1));
        Rejections.assertRejected("depths[1]", () -> TokenFlow.of(field, RungeKutta4.of(0.1))
                .integrate(ParticleMeasure.of(new double[][]{{1, 0}}), 0, -1));
        Rejections.assertRejected("depths", () -> TokenFlow.of(field, RungeKutta4.of(0.1))
                .integrate(ParticleMeasure.of(new double[][]{{1, 0}})));
        Rejections.assertRejected("tokens", () -> new TokenFlowResult(new double[]{0}, List.of(), null));
    }
}
