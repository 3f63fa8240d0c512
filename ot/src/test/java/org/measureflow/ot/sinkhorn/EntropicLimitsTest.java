package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/**
 * The hostile inputs of issue 14 for the entropic solvers: an epsilon below what double precision resolves,
 * coordinates whose squared distances overflow, costs beyond \( 10^{300} \), huge warm starts, endless
 * epsilon-scaling schedules, masses that underflow or overflow: each is rejected with an exception naming the argument,
 * or (a warm start shifted along the gauge) solved with the plan of a cold start.
 */
class EntropicLimitsTest {
    private static final SplittableRandom RNG = new SplittableRandom(14);
    private static final ParticleMeasure X = RandomInputs.pointCloud(RNG, 20, 2);
    private static final ParticleMeasure Y = RandomInputs.pointCloud(RNG, 15, 2);
    private static final CostMatrix C = CostMatrix.squaredEuclidean(X, Y);

    @ParameterizedTest(name = "epsilon {0}")
    @ValueSource(doubles = {Double.MIN_VALUE, 1e-300, 1e-20})
    void anEpsilonDoublePrecisionCannotResolveIsRejectedByEverySolver(double eps) {
        double[] a = X.weights();
        double[] b = Y.weights();
        Rejections.assertRejected("epsilon", () -> SinkhornSolver.of(eps).solve(a, b, C));
        Rejections.assertRejected("epsilon", () -> SinkhornSolver.of(eps).withLogDomain(true).solve(a, b, C));
        Rejections.assertRejected("epsilon", () -> SinkhornSolver.of(eps).solve(X, Y));
        Rejections.assertRejected("epsilon", () -> UnbalancedSinkhorn.of(eps, 1).solve(a, b, C));
        Rejections.assertRejected("epsilon", () -> UnbalancedSinkhorn.of(eps, 1).solve(X, Y));
        Rejections.assertRejected("epsilon", () -> SinkhornDivergence.of(SinkhornSolver.of(eps)).value(X, Y));
    }

    @Test
    void theSmallestAcceptedEpsilonGivesFiniteValuesAndAnHonestFlag() {
        // just above the bound 1e-12 R: accepted; 300 iterations cannot reach 1e-9 there, which the result says
        double eps = 2 * LogDomainGibbsKernel.SMALLEST_RELATIVE_EPSILON * C.maxAbs();
        SinkhornResult r = SinkhornSolver.of(eps).withMaxIterations(300).solve(X.weights(), Y.weights(), C);
        SinkhornEpsilonSweepTest.assertFinite(r);
        assertEquals(r.error() <= r.tolerance(), r.converged());
        for (double p : r.plan().toDense()) {
            assertTrue(Double.isFinite(p) && p >= 0);
        }
    }

    @ParameterizedTest(name = "scale {0}")
    @ValueSource(doubles = {1e150, 1e160})
    void cloudsWhoseSquaredDistancesOverflowAreRejectedNamingTheCloud(double scale) {
        ParticleMeasure far = X.withFlatPoints(scaled(X.flatPoints(), scale));
        SinkhornSolver s = SinkhornSolver.of(0.1);
        Rejections.assertRejected("x", () -> s.solve(far, Y));
        Rejections.assertRejected("y", () -> s.solve(Y, far));
        Rejections.assertRejected("x", () -> UnbalancedSinkhorn.of(0.1, 1).solve(far, Y));
        Rejections.assertRejected("x", () -> SinkhornDivergence.of(s).valueAndGradient(far, Y));
    }

    @Test
    void costsBeyondTheLargestMagnitudeAreRejectedNamingTheCost() {
        CostMatrix huge = CostMatrix.of(new double[][] {{0, 1e301}, {1e301, 0}});
        double[] half = {0.5, 0.5};
        Rejections.assertRejected("c", () -> SinkhornSolver.of(0.1).solve(half, half, huge));
        Rejections.assertRejected("c", () -> UnbalancedSinkhorn.of(0.1, 1).solve(half, half, huge));
        Rejections.assertRejected("cab", () -> SinkhornDivergence.of(SinkhornSolver.of(1e300))
                .compute(half, half, huge, CostMatrix.of(new double[][] {{0, 1}, {1, 0}}),
                        CostMatrix.of(new double[][] {{0, 1}, {1, 0}})));
    }

    @Test
    void aWarmStartShiftedAlongTheGaugeByOneE300GivesTheColdStartsPlan() {
        SinkhornSolver s = SinkhornSolver.of(0.3).withTolerance(1e-12);
        SinkhornResult cold = s.solve(X.weights(), Y.weights(), C);
        double[] f = cold.f();
        double[] g = cold.g();
        for (int i = 0; i < f.length; i++) {
            f[i] += 1e300;
        }
        for (int j = 0; j < g.length; j++) {
            g[j] -= 1e300;
        }
        SinkhornResult warm = s.solve(X.weights(), Y.weights(), C, f, g, IterationObserver.none());
        assertTrue(warm.converged(), warm.toString());
        // (f + t, g - t) has the same plan for every t; both solves stop at an L1 marginal error below 1e-12, so the
        // plans, which depend continuously on that error, agree far below 1e-9
        assertArrayEquals(cold.plan().toDense(), warm.plan().toDense(), 1e-9);
        assertEquals(cold.objective(), warm.objective(), 1e-9);
    }

    @Test
    void warmStartsTooLargeEvenAfterTheGaugeShiftAreRejected() {
        double[] spread = new double[X.size()];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = i % 2 == 0 ? 1e300 : -1e300;
        }
        double[] a = X.weights();
        double[] b = Y.weights();
        Rejections.assertRejected("fInit", () -> SinkhornSolver.of(0.1).solve(a, b, C, spread, null,
                IterationObserver.none()));
        Rejections.assertRejected("fInit", () -> SinkhornSolver.of(0.1).solve(X, Y, spread, null,
                IterationObserver.none()));
        double[] constant = new double[X.size()];
        java.util.Arrays.fill(constant, 1e300);
        // no gauge freedom in the unbalanced problem: a potential of 1e300 is rejected outright
        Rejections.assertRejected("fInit", () -> UnbalancedSinkhorn.of(0.1, 1).solve(a, b, C, constant, null,
                IterationObserver.none()));
        Rejections.assertRejected("f", () -> SemiDualNewton.of(LogDomainGibbsKernel.of(C, false), null, a, b,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0.1).polish(constant, new double[Y.size()], 1e-9,
                100, 0, IterationObserver.none()));
    }

    @Test
    void anEndlessEpsilonScalingScheduleIsRejectedNamingTheFactor() {
        SinkhornSolver s = SinkhornSolver.of(1e-3).withEpsilonScalingStart(100)
                .withEpsilonScalingFactor(Math.nextDown(1.0));
        Rejections.assertRejected("factor", () -> s.solve(X.weights(), Y.weights(), C));
        Rejections.assertRejected("start", () -> SinkhornSolver.of(1e-3).withEpsilonScalingStart(Double.MAX_VALUE));
    }

    @Test
    void unbalancedMassesThatUnderflowOrOverflowAreRejected() {
        UnbalancedSinkhorn u = UnbalancedSinkhorn.of(0.1, 1);
        Rejections.assertRejected("massX", () -> u.solve(X, Double.MIN_VALUE, Y, 1));
        Rejections.assertRejected("massY", () -> u.solve(X, 1, Y, 1e300));
        double[] a = X.weights();
        double[] b = Y.weights();
        for (int j = 0; j < b.length; j++) {
            b[j] *= 1e300;
        }
        Rejections.assertRejected("b", () -> u.solve(a, b, C));
    }

    @Test
    void aTinyCloudGivesAFiniteResult() {
        // squared distances of 1e-600 underflow to zero: every cost is 0 and the plan is the product a b^T
        ParticleMeasure tiny = X.withFlatPoints(scaled(X.flatPoints(), 1e-300));
        SinkhornResult r = SinkhornSolver.of(0.1).solve(tiny, tiny);
        SinkhornEpsilonSweepTest.assertFinite(r);
        assertTrue(r.converged());
        assertFalse(r.cost() > 1e-300, "cost " + r.cost());
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
