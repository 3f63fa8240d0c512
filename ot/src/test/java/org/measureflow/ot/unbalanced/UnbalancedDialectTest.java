package org.measureflow.ot.unbalanced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/** The dialect of {@link UnbalancedSinkhorn}: observers, withers, relative epsilon, one-line summaries. */
class UnbalancedDialectTest {
    private static final SplittableRandom RNG = new SplittableRandom(77);
    private static final ParticleMeasure X = RandomInputs.weightedPointCloud(RNG, 25, 2);
    private static final ParticleMeasure Y = RandomInputs.weightedPointCloud(RNG, 20, 2);

    private static double[] scaled(double[] w, double factor) {
        double[] out = w.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    @Test
    void anObserverThatStopsGivesStoppedAndTheResultOfThatIteration() {
        UnbalancedSinkhorn s = UnbalancedSinkhorn.of(0.1, 1.0).withTolerance(1e-13);
        CostMatrix c = CostMatrix.squaredEuclidean(X, Y);
        double[] a = scaled(X.weights(), 1.5);
        double[] b = scaled(Y.weights(), 0.7);
        for (int path = 0; path < 3; path++) {
            UnbalancedSinkhorn solver = path == 2 ? s.withLogDomain(true) : s;
            List<IterationStatus> seen = new ArrayList<>();
            SinkhornResult stopped = path == 0 ? solver.solve(X, 1.5, Y, 0.7, t -> seen.add(t) && t.iteration() < 4)
                    : solver.solve(a, b, c, t -> seen.add(t) && t.iteration() < 4);
            assertEquals(Termination.STOPPED, stopped.termination());
            assertEquals(4, stopped.iterations());
            assertEquals(4, seen.size());
            assertTrue(seen.get(3).error() > 0 && Double.isNaN(seen.get(3).fractionDone()));
            SinkhornResult budget = path == 0 ? solver.withMaxIterations(4).solve(X, 1.5, Y, 0.7)
                    : solver.withMaxIterations(4).solve(a, b, c);
            // stopping after iteration 4 leaves the state of a budget of 4: the same bits, another termination
            assertEquals(Termination.ITERATION_LIMIT, budget.termination());
            assertArrayEquals(budget.f(), stopped.f(), 0.0);
            assertArrayEquals(budget.g(), stopped.g(), 0.0);
            assertEquals(budget.error(), stopped.error(), 0.0);
            // the error is the KKT residual |P1 - a e^{-f/rho}|_1 + |P^T 1 - b e^{-g/rho}|_1 of the returned plan
            double[] f = stopped.f();
            double[] g = stopped.g();
            double[] rows = stopped.plan().sourceMarginal();
            double[] cols = stopped.plan().targetMarginal();
            double residual = 0;
            for (int i = 0; i < rows.length; i++) {
                residual += Math.abs(rows[i] - a[i] * Math.exp(-f[i]));
            }
            for (int j = 0; j < cols.length; j++) {
                residual += Math.abs(cols[j] - b[j] * Math.exp(-g[j]));
            }
            // the same terms summed in another order (masses of order one): rounding
            assertEquals(residual, stopped.error(), 1e-13, "path " + path);
        }
    }

    private static List<Object> settings(UnbalancedSinkhorn s) {
        return Arrays.asList(s.epsilon(), s.rhoSource(), s.rhoTarget(), s.tolerance(), s.maxIterations(),
                s.translationInvariant(), s.logDomain(), s.parallel());
    }

    @Test
    void everyWitherChangesItsSettingOnlyAndLeavesTheReceiverAlone() {
        UnbalancedSinkhorn base = UnbalancedSinkhorn.of(0.2, 3.0);
        assertEquals(Arrays.asList(Epsilon.absolute(0.2), 3.0, 3.0, 1e-9, 10_000L, true, false, true),
                settings(base), "the documented defaults");
        List<UnaryOperator<UnbalancedSinkhorn>> withers = List.of(
                s -> s.withEpsilon(Epsilon.relativeToMeanCost(0.1)),
                s -> s.withRhoSource(Double.POSITIVE_INFINITY),
                s -> s.withRhoTarget(0.5),
                s -> s.withTolerance(1e-6),
                s -> s.withMaxIterations(5),
                s -> s.withTranslationInvariant(false),
                s -> s.withLogDomain(true),
                s -> s.withParallel(false));
        List<Object> before = settings(base);
        for (int k = 0; k < withers.size(); k++) {
            List<Object> after = settings(withers.get(k).apply(base));
            assertEquals(before, settings(base), "wither " + k + " changed its receiver");
            for (int q = 0; q < before.size(); q++) {
                if (q == k) {
                    assertNotEquals(before.get(q), after.get(q), "wither " + k);
                } else {
                    assertEquals(before.get(q), after.get(q), "wither " + k + " changed setting " + q);
                }
            }
        }
        assertEquals(Epsilon.absolute(0.4), base.withEpsilon(0.4).epsilon());
        Rejections.assertRejected("rhoSource", () -> base.withRhoSource(-2));
        Rejections.assertRejected("maxIterations", () -> base.withMaxIterations(0));
        Rejections.assertRejected("epsilon", () -> UnbalancedSinkhorn.of((Epsilon) null, 1));
    }

    @Test
    void relativeEpsilonIsTheFractionOfTheMeanCostOfTheNormalisedMarginals() {
        CostMatrix c = CostMatrix.squaredEuclidean(X, Y);
        double mean = 0;
        for (int i = 0; i < X.size(); i++) {
            for (int j = 0; j < Y.size(); j++) {
                mean += X.weight(i) * Y.weight(j) * c.get(i, j);
            }
        }
        UnbalancedSinkhorn s = UnbalancedSinkhorn.of(Epsilon.relativeToMeanCost(0.1), 1.0).withTolerance(1e-11);
        SinkhornResult dense = s.solve(scaled(X.weights(), 2.0), scaled(Y.weights(), 0.5), c);
        SinkhornResult cloud = s.solve(X, 2.0, Y, 0.5);
        // the masses do not enter the mean cost; dense pass and moment identity differ by rounding only
        assertEquals(0.1 * mean, dense.epsilon(), 1e-13 * mean);
        assertEquals(0.1 * mean, cloud.epsilon(), 1e-13 * mean);
        assertTrue(dense.converged() && cloud.converged());
        assertArrayEquals(dense.plan().toDense(), cloud.plan().toDense(), 1e-9);
    }

    @Test
    void summariesShowEverySettingAndNonConvergence() {
        UnbalancedSinkhorn s = UnbalancedSinkhorn.of(0.1, 2.0).withRhoTarget(Double.POSITIVE_INFINITY);
        assertEquals("UnbalancedSinkhorn[epsilon=0.1, rhoSource=2.0, rhoTarget=Infinity, tolerance=1e-09, "
                + "maxIterations=10000, translationInvariant=true, logDomain=false, parallel=true]", s.toString());
        String converged = s.solve(X, Y).toString();
        assertTrue(converged.startsWith("SinkhornResult[n=25, m=20, epsilon=0.1,")
                && converged.contains(", converged in "), converged);
        String limited = s.withMaxIterations(2).solve(X, Y).toString();
        assertTrue(limited.contains("NOT CONVERGED: iteration limit reached after 2 iterations"), limited);
    }
}
