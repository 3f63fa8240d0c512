package org.measureflow.ot.semidiscrete;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;

/**
 * The dialect of {@link SemiDiscreteNewton} and {@link SemiDiscreteSgd}: observers, withers, the error they report,
 * the random generator argument and the one-line summaries.
 */
class SemiDiscreteIterationTest {
    private static final GridDensity SLOPE = GridDensity.of2d(0, 1, 4, 0, 1, 3,
            new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    private static ParticleMeasure points() {
        return SemiDiscreteNewtonTest.randomPoints(new SplittableRandom(21), 25);
    }

    @Test
    void newtonCallsTheObserverAfterEveryStepAndStopsWhenAsked() {
        ParticleMeasure y = points();
        SemiDiscreteResult full = SemiDiscreteNewton.withDefaults().solve(SLOPE, y);
        assertTrue(full.converged() && full.iterations() > 2, full.toString());
        List<IterationStatus> seen = new ArrayList<>();
        SemiDiscreteResult watched = SemiDiscreteNewton.withDefaults().solve(SLOPE, y, s -> seen.add(s));
        assertEquals(full.iterations(), seen.size());
        for (int k = 0; k < seen.size(); k++) {
            assertEquals(k + 1, seen.get(k).iteration());
            assertTrue(Double.isNaN(seen.get(k).fractionDone()));
        }
        // the last status carries the error the result reports; watching does not change the bits
        assertEquals(full.error(), seen.get(seen.size() - 1).error(), 0);
        assertArrayEquals(full.weights(), watched.weights(), 0);

        SemiDiscreteResult stopped = SemiDiscreteNewton.withDefaults().solve(SLOPE, y, s -> s.iteration() < 1);
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(1, stopped.iterations());
        assertEquals(seen.get(0).error(), stopped.error(), 0);
        assertTrue(stopped.toString().contains("NOT CONVERGED: stopped by the observer after 1 iteration"),
                stopped.toString());
    }

    @Test
    void newtonReportsTheIterationLimitAndTheMassErrorAgainstTheTolerance() {
        ParticleMeasure y = points();
        SemiDiscreteResult limited = SemiDiscreteNewton.withDefaults().withMaxIterations(1).solve(SLOPE, y);
        assertEquals(Termination.ITERATION_LIMIT, limited.termination());
        assertEquals(1, limited.iterations());
        assertTrue(limited.error() > limited.tolerance());
        SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solve(SLOPE, y);
        assertEquals(SemiDiscreteNewton.DEFAULT_TOLERANCE, r.tolerance(), 0);
        // the error is the largest mass error max_i |G_i - b_i|, recomputed here from the reported masses
        double[] b = y.weights();
        double[] masses = r.masses();
        double max = 0;
        for (int i = 0; i < b.length; i++) {
            max = Math.max(max, Math.abs(masses[i] - b[i]));
        }
        assertEquals(max, r.error(), 0);
        assertEquals(r.error(), r.evaluation().massError(), 0);
        assertTrue(r.error() <= r.tolerance());
    }

    @Test
    void newtonWithersReturnNewSolversAndKeepTheOtherSettings() {
        SemiDiscreteNewton defaults = SemiDiscreteNewton.withDefaults();
        SemiDiscreteNewton a = defaults.withTolerance(1e-6).withMaxIterations(7).withCgTolerance(1e-4);
        assertEquals(1e-6, a.tolerance(), 0);
        assertEquals(7, a.maxIterations());
        assertEquals(1e-4, a.cgTolerance(), 0);
        assertEquals(SemiDiscreteNewton.DEFAULT_TOLERANCE, defaults.tolerance(), 0);
        assertEquals(SemiDiscreteNewton.DEFAULT_MAX_ITERATIONS, defaults.maxIterations());
        assertEquals(SemiDiscreteNewton.DEFAULT_CG_TOLERANCE, defaults.cgTolerance(), 0);
        assertEquals(1e-6, a.withMaxIterations(3).tolerance(), 0);
        assertEquals("SemiDiscreteNewton[tolerance=1.0E-6, maxIterations=7, cgTolerance=1.0E-4]", a.toString());
    }

    @Test
    void summariesAreOneReadableLine() {
        ParticleMeasure y = SemiDiscreteNewtonTest.gridPoints(2);
        SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
        String text = r.toString();
        assertTrue(text.startsWith("SemiDiscreteResult[n=4, d=2, objective=" + r.objective() + ", cost=" + r.cost()
                + ", converged in "), text);
        assertTrue(text.contains("weights=["), text);
        SemiDualEvaluation at = SemiDiscreteNewton.withDefaults().evaluate(SLOPE, y, new double[4]);
        assertTrue(at.toString().startsWith("SemiDualEvaluation[n=4, d=2, objective=" + at.objective()), at.toString());
        LaguerreDiagram cells = SemiDiscreteNewton.diagram(SLOPE.grid(), y, new double[4]);
        // four equal squares of the unit square: 16 vertices, areas 1/4
        assertEquals("LaguerreDiagram[n=4, 16 vertices, areas=[0.25, 0.25, 0.25, 0.25]]", cells.toString());
    }

    @Test
    void sgdDrawsFromTheGivenGeneratorObservesEveryStepAndCanBeStopped() {
        ParticleMeasure y = SemiDiscreteNewtonTest.randomPoints(new SplittableRandom(3), 8);
        PointSampler box = PointSampler.uniform(new double[] {0, 0}, new double[] {1, 1});
        SemiDiscreteSgd sgd = SemiDiscreteSgd.withDefaults().withSteps(1000).withEvaluationSamples(2000);
        SemiDiscreteResult first = sgd.solve(box, y, new SplittableRandom(77));
        SemiDiscreteResult again = sgd.solve(box, y, new SplittableRandom(77));
        // the same generator state gives the same bits
        assertArrayEquals(first.weights(), again.weights(), 0);
        assertArrayEquals(first.masses(), again.masses(), 0);
        assertEquals(first.objective(), again.objective(), 0);
        SemiDiscreteResult other = sgd.solve(box, y, new SplittableRandom(78));
        assertFalse(first.weights()[0] == other.weights()[0], "another state draws other samples");

        List<IterationStatus> seen = new ArrayList<>();
        SemiDiscreteResult watched = sgd.solve(box, y, new SplittableRandom(77), s -> seen.add(s));
        assertEquals(1000, seen.size());
        assertEquals(0.5, seen.get(499).fractionDone(), 0); // step 500 of 1000
        assertTrue(Double.isNaN(seen.get(0).error()));
        assertArrayEquals(first.weights(), watched.weights(), 0);
        assertEquals(1000, first.iterations());

        SemiDiscreteResult stopped = sgd.withTolerance(1e-9).solve(box, y, new SplittableRandom(77),
                s -> s.iteration() < 10);
        assertEquals(Termination.STOPPED, stopped.termination());
        assertEquals(10, stopped.iterations());
        assertEquals(8, stopped.size()); // the evaluation still follows and reports every cell
        SemiDiscreteResult loose = sgd.withTolerance(1e-9).solve(box, y, new SplittableRandom(77));
        // a mass error estimated from 2000 samples cannot reach 1e-9: the run reports that it did all its steps
        assertEquals(Termination.ITERATION_LIMIT, loose.termination());
        assertTrue(loose.toString().contains("NOT CONVERGED: iteration limit reached after 1000 iterations"),
                loose.toString());
    }

    @Test
    void sgdWithersReturnNewSolversAndKeepTheOtherSettings() {
        SemiDiscreteSgd defaults = SemiDiscreteSgd.withDefaults();
        SemiDiscreteSgd a = defaults.withSteps(10).withStepSize(0.5).withEvaluationSamples(20).withTolerance(0.1);
        assertEquals(10, a.steps());
        assertEquals(0.5, a.stepSize(), 0);
        assertEquals(20, a.evaluationSamples());
        assertEquals(0.1, a.tolerance(), 0);
        assertEquals(SemiDiscreteSgd.DEFAULT_STEPS, defaults.steps());
        assertTrue(Double.isNaN(defaults.stepSize()));
        assertEquals(SemiDiscreteSgd.DEFAULT_EVALUATION_SAMPLES, defaults.evaluationSamples());
        assertEquals(SemiDiscreteSgd.DEFAULT_TOLERANCE, defaults.tolerance(), 0);
        assertTrue(Double.isNaN(a.withStepSize(Double.NaN).stepSize()));
        assertEquals(10, a.withStepSize(Double.NaN).steps());
        assertEquals("SemiDiscreteSgd[steps=10, stepSize=0.5, evaluationSamples=20, tolerance=0.1]", a.toString());
    }

    @Test
    void aGaussianSourceGivesTheBitsOfItsOwnSampler() {
        // the solver draws Gaussian points without a work allocation per point; the numbers must be those of
        // GaussianMeasure.sample, which a wrapper (not a GaussianMeasure) reaches
        GaussianMeasure g = GaussianMeasure.of(new double[] {0.5, 0.2, -0.1},
                new double[][] {{1, 0.3, 0}, {0.3, 0.7, 0.1}, {0, 0.1, 0.4}});
        PointSampler wrapped = new PointSampler() {
            @Override
            public int dimension() {
                return g.dimension();
            }

            @Override
            public void sample(int n, java.util.random.RandomGenerator rng, double[] out) {
                g.sample(n, rng, out);
            }
        };
        ParticleMeasure y = ParticleMeasure.fromFlat(new double[] {0, 0, 0, 1, 0, 0, 0, 1, 1, -1, 0, 1}, 3);
        SemiDiscreteSgd sgd = SemiDiscreteSgd.withDefaults().withSteps(3000).withEvaluationSamples(500);
        SemiDiscreteResult direct = sgd.solve(g, y, new SplittableRandom(31));
        SemiDiscreteResult viaWrapper = sgd.solve(wrapped, y, new SplittableRandom(31));
        assertArrayEquals(viaWrapper.weights(), direct.weights(), 0);
        assertArrayEquals(viaWrapper.masses(), direct.masses(), 0);
        assertArrayEquals(viaWrapper.centroids(), direct.centroids(), 0);
        assertEquals(viaWrapper.objective(), direct.objective(), 0);
    }
}
