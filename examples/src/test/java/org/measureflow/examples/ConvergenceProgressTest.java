package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

class ConvergenceProgressTest {
    @Test
    void theEstimateFollowsTheErrorTowardsTheToleranceOnALogScaleAndNeverDecreases() {
        List<Double> fractions = new ArrayList<>();
        IterationObserver o = ConvergenceProgress.towardsTolerance(1e-9, fractions::add);
        // errors 1e-1, 1e-5, 1e-3 (a bump), 1e-9: log10 distances 0, 4, 2, 8 of 8
        for (double e : new double[] {1e-1, 1e-5, 1e-3, Double.NaN, 1e-9}) {
            assertTrue(o.observe(new IterationStatus(fractions.size() + 1, e, Double.NaN)), "never stops a run");
        }
        assertEquals(4, fractions.size(), "an iteration without an error leaves the estimate alone");
        assertEquals(0.0, fractions.get(0), 1e-15);
        assertEquals(0.5, fractions.get(1), 1e-12);
        assertEquals(0.5, fractions.get(2), 1e-12, "a growing error does not move the bar back");
        assertEquals(1.0, fractions.get(3), 0.0);
        List<Double> told = new ArrayList<>();
        ConvergenceProgress.towardsTolerance(1e-3, told::add).observe(new IterationStatus(1, 5.0, 0.25));
        assertEquals(List.of(0.25), told, "a fraction reported by the solver wins");
    }

    @Test
    void aQuietBarPrintsNothingAndStopsNothing() {
        try (ConvergenceProgress p = ConvergenceProgress.start("quiet", true, 1e-9)) {
            SinkhornResult r = SinkhornSolver.of(0.5).solve(new double[] {0.5, 0.5}, new double[] {0.5, 0.5},
                    org.measureflow.ot.CostMatrix.of(new double[][] {{0, 1}, {1, 0}}), p);
            assertTrue(r.converged());
            assertFalse(p.isShown());
        }
    }

    @Test
    void aLongRunShowsAFractionWithATolerance() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ConvergenceProgress p = ConvergenceProgress.start("sinkhorn-task", 1e-9, 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            p.observe(new IterationStatus(1, 1e-1, Double.NaN));
            p.observe(new IterationStatus(2, 1e-10, Double.NaN));
            assertTrue(p.isShown());
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("sinkhorn-task") && text.contains("100%"), text);
    }

    @Test
    void aLongRunWithoutToleranceCountsIterations() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ConvergenceProgress p = ConvergenceProgress.start("pivots", Double.NaN, 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            for (int k = 1; k <= 1234; k++) {
                p.observe(new IterationStatus(k, 1.0 / k, Double.NaN));
            }
            assertTrue(p.isShown());
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        // an indeterminate bar: the count without a maximum, and the message of the first update
        assertTrue(text.contains("pivots") && text.contains("1234/?") && text.contains("iteration 1, error 1"),
                text);
    }
}
