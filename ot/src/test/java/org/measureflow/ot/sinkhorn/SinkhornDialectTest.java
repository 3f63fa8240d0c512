package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Epsilon;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/** The dialect of {@link SinkhornSolver} and its results: observers, withers, relative epsilon, one-line summaries. */
class SinkhornDialectTest {
    private static final SplittableRandom RNG = new SplittableRandom(2024);
    private static final ParticleMeasure X = RandomInputs.weightedPointCloud(RNG, 40, 2);
    private static final ParticleMeasure Y = RandomInputs.weightedPointCloud(RNG, 30, 2);

    @Test
    void anObserverThatStopsGivesStoppedAndTheResultOfThatIteration() {
        CostMatrix c = CostMatrix.squaredEuclidean(X, Y);
        SinkhornSolver s = SinkhornSolver.of(0.05).withTolerance(1e-12);
        for (boolean dense : new boolean[] {false, true}) {
            List<IterationStatus> seen = new ArrayList<>();
            SinkhornResult stopped = dense
                    ? s.solve(X.weights(), Y.weights(), c, status -> seen.add(status) && status.iteration() < 5)
                    : s.solve(X, Y, status -> seen.add(status) && status.iteration() < 5);
            assertEquals(Termination.STOPPED, stopped.termination());
            assertFalse(stopped.converged());
            assertEquals(5, stopped.iterations());
            assertEquals(5, seen.size(), "the observer sees every iteration, up to the one that stops");
            for (int k = 0; k < 5; k++) {
                assertEquals(k + 1, seen.get(k).iteration());
                assertTrue(seen.get(k).error() > 0 && Double.isFinite(seen.get(k).error()));
                assertTrue(Double.isNaN(seen.get(k).fractionDone()), "a tolerance solver cannot tell the fraction");
            }
            // stopping after iteration 5 leaves the state of a budget of 5: the same bits, another termination
            SinkhornResult budget = dense ? s.withMaxIterations(5).solve(X.weights(), Y.weights(), c)
                    : s.withMaxIterations(5).solve(X, Y);
            assertEquals(Termination.ITERATION_LIMIT, budget.termination());
            assertArrayEquals(budget.f(), stopped.f(), 0.0);
            assertArrayEquals(budget.g(), stopped.g(), 0.0);
            assertEquals(budget.error(), stopped.error(), 0.0);
            // the reported error is the exact L1 marginal error of the returned plan (same sums in another order)
            double[] rows = stopped.plan().sourceMarginal();
            double[] cols = stopped.plan().targetMarginal();
            double error = 0;
            for (int i = 0; i < rows.length; i++) {
                error += Math.abs(rows[i] - X.weight(i));
            }
            for (int j = 0; j < cols.length; j++) {
                error += Math.abs(cols[j] - Y.weight(j));
            }
            assertEquals(error, stopped.error(), 1e-14);
            assertTrue(stopped.error() > 1e-12, "not converged after 5 iterations");
        }
    }

    /** Every setting of a solver, in the order of {@link #WITHERS}. */
    private static List<Object> settings(SinkhornSolver s) {
        return Arrays.asList(s.epsilon(), s.tolerance(), s.maxIterations(), s.epsilonScaling(),
                s.epsilonScalingStart(), s.epsilonScalingFactor(), s.overRelaxation(), s.mixedPrecision(),
                s.logDomain(), s.parallel());
    }

    /** One wither per setting, each changing its setting away from the value it has in {@link #base()}. */
    private static final List<UnaryOperator<SinkhornSolver>> WITHERS = List.of(
            s -> s.withEpsilon(Epsilon.relativeToMeanCost(0.07)),
            s -> s.withTolerance(3e-7),
            s -> s.withMaxIterations(123),
            s -> s.withEpsilonScaling(false),
            s -> s.withEpsilonScalingStart(4.0),
            s -> s.withEpsilonScalingFactor(0.3),
            s -> s.withOverRelaxation(false),
            s -> s.withMixedPrecision(false),
            s -> s.withLogDomain(true),
            s -> s.withParallel(false));

    private static SinkhornSolver base() {
        return SinkhornSolver.of(0.2).withTolerance(1e-8).withMaxIterations(777).withEpsilonScalingStart(2.0)
                .withEpsilonScalingFactor(0.6);
    }

    @Test
    void everyWitherChangesItsSettingOnlyAndLeavesTheReceiverAlone() {
        SinkhornSolver base = base();
        List<Object> before = settings(base);
        for (int k = 0; k < WITHERS.size(); k++) {
            List<Object> after = settings(WITHERS.get(k).apply(base));
            assertEquals(before, settings(base), "wither " + k + " changed its receiver");
            for (int q = 0; q < before.size(); q++) {
                if (q == k) {
                    assertNotEquals(before.get(q), after.get(q), "wither " + k + " changed nothing");
                } else {
                    assertEquals(before.get(q), after.get(q), "wither " + k + " changed setting " + q);
                }
            }
        }
        assertEquals(Epsilon.absolute(0.05), base.withEpsilon(0.05).epsilon());
        assertTrue(base.withEpsilonScaling(false).withEpsilonScalingStart(1.0).epsilonScaling());
        assertTrue(Double.isNaN(base.withEpsilonScalingStart(Double.NaN).epsilonScalingStart()));
        Rejections.assertRejected("epsilon", () -> base.withEpsilon((Epsilon) null));
        Rejections.assertRejected("start", () -> base.withEpsilonScalingStart(-1));
    }

    @Test
    void relativeEpsilonIsTheFractionOfTheMeanCostUnderTheProductOfTheWeights() {
        CostMatrix c = CostMatrix.squaredEuclidean(X, Y);
        double mean = 0;
        for (int i = 0; i < X.size(); i++) {
            for (int j = 0; j < Y.size(); j++) {
                mean += X.weight(i) * Y.weight(j) * c.get(i, j);
            }
        }
        Epsilon relative = Epsilon.relativeToMeanCost(0.05);
        // the dense pass and the O((n+m)d) identity tr Sx + tr Sy + |mx - my|^2 sum the same numbers differently:
        // rounding, relative 1e-13 for costs of order one
        assertEquals(0.05 * mean, relative.resolve(c, X.weights(), Y.weights()), 1e-13 * mean);
        assertEquals(0.05 * mean, relative.resolve(X, Y), 1e-13 * mean);
        SinkhornSolver s = SinkhornSolver.of(relative).withTolerance(1e-11);
        SinkhornResult cloud = s.solve(X, Y);
        SinkhornResult dense = s.solve(X.weights(), Y.weights(), c);
        // the results report the absolute epsilon they used
        assertEquals(relative.resolve(X, Y), cloud.epsilon(), 0.0);
        assertEquals(relative.resolve(c, X.weights(), Y.weights()), dense.epsilon(), 0.0);
        // the two epsilons differ by rounding only, so the plans agree to the tolerance
        assertArrayEquals(cloud.plan().toDense(), dense.plan().toDense(), 1e-9);
        assertEquals(0.3, Epsilon.absolute(0.3).resolve(X, Y), 0.0);
        ParticleMeasure point = ParticleMeasure.of(new double[][] {{1, 2}, {1, 2}});
        Rejections.assertRejected("meanCost", () -> relative.resolve(point, point));
        Rejections.assertRejected("y", () -> relative.resolve(X, ParticleMeasure.of(new double[][] {{1}})));
    }

    @Test
    void summariesShowTheConvergenceLineAndNonConvergence() {
        SinkhornSolver s = SinkhornSolver.of(Epsilon.relativeToMeanCost(0.05)).withTolerance(1e-10);
        assertTrue(s.toString().startsWith("SinkhornSolver[epsilon=0.05 x mean cost, tolerance=1e-10,"), s.toString());
        SinkhornResult converged = s.solve(X, Y);
        String text = converged.toString();
        assertTrue(converged.converged());
        assertTrue(text.startsWith("SinkhornResult[n=40, m=30, epsilon=" + converged.epsilon() + ", cost="
                + converged.cost()), text);
        assertTrue(text.contains(", converged in " + converged.iterations() + " iterations (error "), text);
        String limited = s.withMaxIterations(2).solve(X, Y).toString();
        assertTrue(limited.contains("NOT CONVERGED: iteration limit reached after 2 iterations"), limited);
        String stopped = s.solve(X, Y, status -> false).toString();
        assertTrue(stopped.contains("NOT CONVERGED: stopped by the observer after 1 iteration "), stopped);
        assertTrue(converged.plan().toString().startsWith("EntropicPlan[40x30, epsilon="), converged.plan().toString());
        SinkhornDivergence divergence = SinkhornDivergence.of(s);
        assertEquals("SinkhornDivergence[" + s + "]", divergence.toString());
        SinkhornDivergenceResult d = divergence.valueAndGradient(X, Y, status -> status.iteration() < 3);
        assertEquals(Termination.STOPPED, d.termination());
        assertTrue(d.toString().contains("NOT CONVERGED: stopped by the observer"), d.toString());
        assertSame(s, divergence.sinkhorn());
        SinkhornSolver other = s.withTolerance(1e-3);
        assertSame(other, divergence.withSinkhorn(other).sinkhorn());
        assertSame(s, divergence.sinkhorn(), "the wither leaves its receiver alone");
    }
}
