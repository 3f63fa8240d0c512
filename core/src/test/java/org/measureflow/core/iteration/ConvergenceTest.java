package org.measureflow.core.iteration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How an iteration ended, and how it is watched. */
class ConvergenceTest {
    @Test
    void aTestedErrorDecidesTheTermination() {
        assertEquals(Termination.CONVERGED, Convergence.tested(3, 1e-10, 1e-9, false).termination());
        assertEquals(Termination.CONVERGED, Convergence.tested(3, 1e-10, 1e-9, true).termination(),
                "an observer's stop after convergence is still convergence");
        assertEquals(Termination.ITERATION_LIMIT, Convergence.tested(3, 1e-3, 1e-9, false).termination());
        assertEquals(Termination.STOPPED, Convergence.tested(3, 1e-3, 1e-9, true).termination());
        assertFalse(Convergence.tested(3, Double.NaN, 1e-9, false).converged(), "NaN never converges");
        assertTrue(Convergence.completed(10, 0.5, false).converged());
        assertFalse(Convergence.completed(4, 0.5, true).converged());
        assertRejected("iterations", () -> new Convergence(-1, 0, 0, Termination.CONVERGED));
        assertRejected("termination", () -> new Convergence(1, 0, 0, null));
    }

    @Test
    void theSummaryStartsWithTheVerdict() {
        assertEquals("converged in 37 iterations (error 4.1e-10 <= 1e-09)",
                Convergence.tested(37, 4.1e-10, 1e-9, false).toString());
        assertEquals("NOT CONVERGED: iteration limit reached after 10000 iterations (error 0.0013, tolerance 1e-09)",
                Convergence.tested(10000, 0.0013, 1e-9, false).toString());
        assertTrue(Convergence.tested(5, 0.0013, 1e-9, true).toString().startsWith("NOT CONVERGED: stopped"));
        assertEquals("completed 1 iteration (final 0.5)", Convergence.completed(1, 0.5, false).toString());
    }

    @Test
    void anIterativeResultReadsItsConvergence() {
        Convergence c = Convergence.tested(7, 1e-3, 1e-6, false);
        IterativeResult r = () -> c;
        assertEquals(7, r.iterations());
        assertEquals(1e-3, r.error());
        assertEquals(1e-6, r.tolerance());
        assertFalse(r.converged());
        assertEquals(Termination.ITERATION_LIMIT, r.termination());
    }

    @Test
    void combinedObserversAllSeeTheIterationAndAnyOneStops() {
        List<String> seen = new ArrayList<>();
        IterationObserver first = s -> seen.add("first " + s.iteration());
        IterationObserver stopper = s -> {
            seen.add("stopper " + s.iteration());
            return s.iteration() < 2;
        };
        IterationObserver both = IterationObserver.all(stopper, first);
        assertTrue(both.observe(new IterationStatus(1, 0.1, Double.NaN)));
        assertFalse(both.observe(new IterationStatus(2, 0.05, Double.NaN)));
        assertEquals(List.of("stopper 1", "first 1", "stopper 2", "first 2"), seen);
        List<Double> fractions = new ArrayList<>();
        IterationObserver progress = IterationObserver.progress(fractions::add);
        assertTrue(progress.observe(new IterationStatus(1, 0, Double.NaN)));
        assertTrue(progress.observe(new IterationStatus(2, 0, 0.5)));
        assertEquals(List.of(0.5), fractions, "unknown fractions are skipped");
        assertTrue(IterationObserver.none().observe(new IterationStatus(1, 0, 0)));
        assertRejected("observers[0]", () -> IterationObserver.all((IterationObserver) null));
    }
}
