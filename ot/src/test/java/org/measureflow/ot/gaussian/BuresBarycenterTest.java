package org.measureflow.ot.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.ot.gaussian.GaussianFixtures.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;

/** The configured {@link BuresBarycenter}: observer, withers, the error it reports and its one-line summaries. */
class BuresBarycenterTest {
    private static GaussianMeasure[] threeGaussians() {
        SplittableRandom rng = new SplittableRandom(5);
        return new GaussianMeasure[] {random(rng, 3, 100), random(rng, 3, 100), random(rng, 3, 100)};
    }

    private static final double[] WEIGHTS = {0.2, 0.3, 0.5};

    @Test
    void theObserverSeesEveryStepAndCanStopTheIteration() {
        GaussianMeasure[] ms = threeGaussians();
        BuresBarycenterResult full = BuresBarycenter.withDefaults().solve(ms, WEIGHTS);
        assertTrue(full.converged() && full.iterations() > 3, full.toString());
        List<IterationStatus> seen = new ArrayList<>();
        BuresBarycenterResult stopped = BuresBarycenter.withDefaults().solve(ms, WEIGHTS, status -> {
            seen.add(status);
            return status.iteration() < 2;
        });
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(2, stopped.iterations());
        assertEquals(2, seen.size());
        assertEquals(stopped.error(), seen.get(1).error(), 0); // the status carries the residual of that step
        assertTrue(Double.isNaN(seen.get(0).fractionDone()));
        assertTrue(stopped.toString().contains("NOT CONVERGED: stopped by the observer after 2 iterations"),
                stopped.toString());
        // an observer only reads: watching every step gives the same bits as not watching
        List<IterationStatus> all = new ArrayList<>();
        BuresBarycenterResult watched = BuresBarycenter.withDefaults().solve(ms, WEIGHTS, s -> all.add(s));
        assertEquals(full.iterations(), all.size());
        assertArrayEquals(full.barycenter().covariance().data, watched.barycenter().covariance().data, 0);
        assertEquals(full.error(), all.get(all.size() - 1).error(), 0);
    }

    @Test
    void theErrorIsTheLastRelativeChangeAndIsWithinTheTolerance() {
        GaussianMeasure[] ms = threeGaussians();
        BuresBarycenter loose = BuresBarycenter.withDefaults().withTolerance(1e-6);
        BuresBarycenterResult r = loose.solve(ms, WEIGHTS);
        assertEquals(Termination.CONVERGED, r.termination());
        assertEquals(1e-6, r.tolerance(), 0);
        assertTrue(r.error() <= 1e-6);
        // one step fewer has not converged, so its change was above the tolerance
        BuresBarycenterResult before = loose.withMaxIterations(r.iterations() - 1).solve(ms, WEIGHTS);
        assertEquals(Termination.ITERATION_LIMIT, before.termination());
        assertTrue(before.error() > 1e-6);
    }

    @Test
    void withersReturnNewObjectsAndKeepTheOtherSetting() {
        BuresBarycenter defaults = BuresBarycenter.withDefaults();
        BuresBarycenter a = defaults.withTolerance(1e-8);
        BuresBarycenter b = a.withMaxIterations(7);
        assertEquals(BuresBarycenter.DEFAULT_TOLERANCE, defaults.tolerance(), 0);
        assertEquals(BuresBarycenter.DEFAULT_MAX_ITERATIONS, defaults.maxIterations());
        assertEquals(1e-8, a.tolerance(), 0);
        assertEquals(BuresBarycenter.DEFAULT_MAX_ITERATIONS, a.maxIterations());
        assertEquals(1e-8, b.tolerance(), 0);
        assertEquals(7, b.maxIterations());
        assertEquals("BuresBarycenter[tolerance=1.0E-8, maxIterations=7]", b.toString());
    }

    @Test
    void toStringShowsTheDimensionTheConvergenceAndTheBarycenter() {
        GaussianMeasure mu = GaussianMeasure.of(new double[] {1, 0}, new double[][] {{2, 0}, {0, 1}});
        BuresBarycenterResult r = BuresBarycenter.withDefaults().solve(new GaussianMeasure[] {mu}, new double[] {1});
        String text = r.toString();
        assertTrue(text.startsWith("BuresBarycenterResult[d=2, converged in 1 iteration (error "), text);
        assertTrue(text.endsWith("barycenter=GaussianMeasure[d=2, mean=[1, 0], covariance=[[2, 0], [0, 1]]]]"), text);
        assertFalse(text.contains("@"));
    }
}
