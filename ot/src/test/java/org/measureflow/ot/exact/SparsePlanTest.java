package org.measureflow.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparsePlanTest {
    @Test
    void denseFormAndMarginalsAddTheEntries() {
        SparsePlan plan = new SparsePlan(2, 3, new int[] {0, 1, 1}, new int[] {2, 0, 2}, new double[] {.5, .25, .25});
        // flat row-major: entries are copied, no arithmetic
        assertArrayEquals(new double[] {0, 0, .5, .25, 0, .25}, plan.toDense(), 0);
        assertArrayEquals(new double[] {.5, .5}, plan.sourceMarginal(), 0); // sums of dyadic numbers are exact
        assertArrayEquals(new double[] {.25, 0, .75}, plan.targetMarginal(), 0);
        assertEquals(3, plan.size());
    }

    @Test
    void arraysAreCopiedInAndOut() {
        int[] rows = {0};
        double[] masses = {1};
        SparsePlan plan = new SparsePlan(1, 1, rows, new int[] {0}, masses);
        rows[0] = 5;
        masses[0] = 7;
        plan.masses()[0] = 9;
        assertEquals(0, plan.row(0));
        assertEquals(1, plan.mass(0), 0);
    }

    @Test
    void invalidEntriesAreRejectedNamingTheArgument() {
        assertMessage("rows", () -> new SparsePlan(2, 2, new int[] {2}, new int[] {0}, new double[] {1}));
        assertMessage("cols", () -> new SparsePlan(2, 2, new int[] {0}, new int[] {-1}, new double[] {1}));
        assertMessage("masses", () -> new SparsePlan(2, 2, new int[] {0}, new int[] {0}, new double[] {-1}));
        assertMessage("masses", () -> new SparsePlan(2, 2, new int[] {0}, new int[] {0}, new double[] {1, 2}));
        assertMessage("sourceSize", () -> new SparsePlan(0, 2, new int[0], new int[0], new double[0]));
    }

    private static void assertMessage(String argument, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
