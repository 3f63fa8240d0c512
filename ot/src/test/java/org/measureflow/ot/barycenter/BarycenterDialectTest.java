package org.measureflow.ot.barycenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/** The dialect of the three barycenter solvers: observers, withers, results with a convergence line. */
class BarycenterDialectTest {
    private static final SplittableRandom RNG = new SplittableRandom(31);
    private static final ParticleMeasure SUPPORT = RandomInputs.pointCloud(RNG, 10, 2);
    private static final CostMatrix COST = CostMatrix.squaredEuclidean(SUPPORT, SUPPORT);
    private static final double[][] HISTOGRAMS = {
        Histograms.normalised("b0", RandomInputs.positiveWeights(RNG, 10)),
        Histograms.normalised("b1", RandomInputs.positiveWeights(RNG, 10))};
    private static final double[] LAMBDA = {0.3, 0.7};
    private static final GridDensity.Grid GRID = GridDensity.Grid.of2d(0, 1, 9, 0, 1, 8);
    private static final GridDensity[] IMAGES = {
        GridDensity.fromFunction(GRID, x -> Math.exp(-20 * ((x[0] - 0.3) * (x[0] - 0.3) + x[1] * x[1]))),
        GridDensity.fromFunction(GRID, x -> 1 + x[0] * x[1])};

    @Test
    void anObserverThatStopsGivesStoppedAndTheResultOfThatIteration() {
        List<IterationStatus> seen = new ArrayList<>();
        EntropicBarycenter entropic = EntropicBarycenter.of(0.5).withTolerance(1e-14);
        BarycenterResult stopped = entropic.solve(HISTOGRAMS, COST, LAMBDA, t -> seen.add(t) && t.iteration() < 3);
        BarycenterResult budget = entropic.withMaxIterations(3).solve(HISTOGRAMS, COST, LAMBDA);
        assertStoppedAtThree(stopped, budget, seen);

        seen.clear();
        ConvolutionalBarycenter convolutional = ConvolutionalBarycenter.of(0.01).withTolerance(1e-14);
        stopped = convolutional.solve(IMAGES, LAMBDA, t -> seen.add(t) && t.iteration() < 3);
        budget = convolutional.withMaxIterations(3).solve(IMAGES, LAMBDA);
        assertStoppedAtThree(stopped, budget, seen);
        assertArrayEquals(budget.density().values(), stopped.density().values(), 0.0);

        seen.clear();
        ParticleMeasure[] clouds = {RandomInputs.pointCloud(RNG, 12, 2), RandomInputs.weightedPointCloud(RNG, 9, 2)};
        ParticleMeasure init = RandomInputs.pointCloud(RNG, 7, 2);
        for (FreeSupportBarycenter free : new FreeSupportBarycenter[] {FreeSupportBarycenter.withDefaults(),
            FreeSupportBarycenter.entropic(SinkhornSolver.of(0.2).withTolerance(1e-10))}) {
            seen.clear();
            FreeSupportBarycenterResult s = free.withTolerance(1e-15).solve(clouds, LAMBDA, init,
                    t -> seen.add(t) && t.iteration() < 2);
            FreeSupportBarycenterResult b = free.withTolerance(1e-15).withMaxIterations(2).solve(clouds, LAMBDA, init);
            assertEquals(Termination.STOPPED, s.termination());
            assertEquals(Termination.ITERATION_LIMIT, b.termination());
            assertEquals(2, s.iterations());
            assertEquals(2, seen.size());
            assertEquals(seen.get(1).error(), s.error(), 0.0, "the observer saw the displacement tested");
            assertArrayEquals(b.barycenter().flatPoints(), s.barycenter().flatPoints(), 0.0);
            assertEquals(b.cost(), s.cost(), 0.0);
        }
    }

    private static void assertStoppedAtThree(BarycenterResult stopped, BarycenterResult budget,
            List<IterationStatus> seen) {
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(Termination.ITERATION_LIMIT, budget.termination());
        assertEquals(3, stopped.iterations());
        assertEquals(3, seen.size());
        assertEquals(seen.get(2).error(), stopped.error(), 0.0, "the observer saw the residual tested");
        assertTrue(Double.isNaN(seen.get(2).fractionDone()));
        // stopping after iteration 3 leaves the state of a budget of 3: the same bits
        assertArrayEquals(budget.weights(), stopped.weights(), 0.0);
        assertEquals(budget.error(), stopped.error(), 0.0);
    }

    @Test
    void withersChangeOneSettingAndLeaveTheReceiverAlone() {
        EntropicBarycenter e = EntropicBarycenter.of(0.3);
        assertEquals(List.of(0.3, 1e-9, 10_000L, true), List.of(e.epsilon(), e.tolerance(), e.maxIterations(),
                e.parallel()), "the documented defaults");
        assertEquals(List.of(0.4, 1e-9, 10_000L, true), settings(e.withEpsilon(0.4)));
        assertEquals(List.of(0.3, 1e-5, 10_000L, true), settings(e.withTolerance(1e-5)));
        assertEquals(List.of(0.3, 1e-9, 17L, true), settings(e.withMaxIterations(17)));
        assertEquals(List.of(0.3, 1e-9, 10_000L, false), settings(e.withParallel(false)));
        assertEquals(List.of(0.3, 1e-9, 10_000L, true), settings(e), "the receiver did not change");

        ConvolutionalBarycenter c = ConvolutionalBarycenter.of(0.3);
        assertEquals(List.of(0.3, 1e-9, 10_000L, true), settings(c));
        assertEquals(List.of(0.4, 1e-9, 10_000L, true), settings(c.withEpsilon(0.4)));
        assertEquals(List.of(0.3, 1e-5, 10_000L, true), settings(c.withTolerance(1e-5)));
        assertEquals(List.of(0.3, 1e-9, 17L, true), settings(c.withMaxIterations(17)));
        assertEquals(List.of(0.3, 1e-9, 10_000L, false), settings(c.withParallel(false)));
        assertEquals(List.of(0.3, 1e-9, 10_000L, true), settings(c), "the receiver did not change");

        NetworkSimplex simplex = NetworkSimplex.withDefaults().withMaxIterations(99);
        FreeSupportBarycenter f = FreeSupportBarycenter.exact(simplex);
        assertSame(simplex, f.networkSimplex());
        assertNull(f.sinkhorn());
        assertEquals(1e-9, f.tolerance());
        assertEquals(100, f.maxIterations());
        FreeSupportBarycenter g = f.withTolerance(1e-4).withMaxIterations(3);
        assertEquals(1e-4, g.tolerance());
        assertEquals(3, g.maxIterations());
        assertSame(simplex, g.networkSimplex(), "the withers keep the inner solver");
        assertEquals(1e-9, f.tolerance(), "the receiver did not change");
        SinkhornSolver sinkhorn = SinkhornSolver.of(0.1);
        FreeSupportBarycenter h = FreeSupportBarycenter.entropic(sinkhorn).withMaxIterations(4);
        assertSame(sinkhorn, h.sinkhorn());
        assertNull(h.networkSimplex());
        Rejections.assertRejected("epsilon", () -> ConvolutionalBarycenter.of(0.1).withEpsilon(-1));
        Rejections.assertRejected("maxIterations", () -> EntropicBarycenter.of(0.1).withMaxIterations(-1));
        Rejections.assertRejected("sinkhorn", () -> FreeSupportBarycenter.entropic(null));
        Rejections.assertRejected("networkSimplex", () -> FreeSupportBarycenter.exact(null));
    }

    private static List<Object> settings(EntropicBarycenter e) {
        return List.of(e.epsilon(), e.tolerance(), e.maxIterations(), e.parallel());
    }

    private static List<Object> settings(ConvolutionalBarycenter c) {
        return List.of(c.epsilon(), c.tolerance(), c.maxIterations(), c.parallel());
    }

    @Test
    void summariesShowTheConvergenceLineAndNonConvergence() {
        assertEquals("EntropicBarycenter[epsilon=0.5, tolerance=1e-09, maxIterations=10000, parallel=true]",
                EntropicBarycenter.of(0.5).toString());
        assertEquals("ConvolutionalBarycenter[epsilon=0.01, tolerance=1e-09, maxIterations=10000, parallel=true]",
                ConvolutionalBarycenter.of(0.01).toString());
        assertTrue(FreeSupportBarycenter.withDefaults().toString().startsWith(
                "FreeSupportBarycenter[tolerance=1e-09, maxIterations=100, plans=NetworkSimplex["),
                FreeSupportBarycenter.withDefaults().toString());
        BarycenterResult converged = EntropicBarycenter.of(0.5).solve(HISTOGRAMS, COST, LAMBDA);
        assertTrue(converged.converged());
        assertTrue(converged.toString().startsWith("BarycenterResult[n=10, mass=")
                && converged.toString().contains(", converged in "), converged.toString());
        BarycenterResult limited = ConvolutionalBarycenter.of(0.01).withMaxIterations(2).solve(IMAGES, LAMBDA);
        assertTrue(limited.toString().startsWith("BarycenterResult[n=72, on ")
                && limited.toString().contains("NOT CONVERGED: iteration limit reached after 2 iterations"),
                limited.toString());
        FreeSupportBarycenterResult free = FreeSupportBarycenter.withDefaults().withMaxIterations(1)
                .withTolerance(1e-12).solve(new ParticleMeasure[] {SUPPORT}, new double[] {1}, SUPPORT);
        // the barycenter of one measure started at that measure does not move (its plan is the identity, the
        // images are the points up to the rounding of (m y) / m): converged at once
        assertTrue(free.converged(), free.toString());
        assertTrue(free.toString().startsWith("FreeSupportBarycenterResult[n=10, d=2, cost=0.0, converged in 1 "
                + "iteration"), free.toString());
    }
}
