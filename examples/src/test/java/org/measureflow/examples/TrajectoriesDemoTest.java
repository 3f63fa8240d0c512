package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrajectoriesDemo}: its picture, and the recovered wells against the true ones. */
class TrajectoriesDemoTest {
    @Test
    void recoversTheWellsOfTheDoubleWell(@TempDir Path out) throws Exception {
        DemoResult r = new TrajectoriesDemo().run(out, true);
        assertTrue(Files.size(out.resolve(TrajectoriesDemo.NAME + ".png")) > 1000, "picture written");
        double[] wells = r.reading(TrajectoriesDemo.WELLS).values();
        // the fit has an O(tau) bias of the JKO condition (tau = 0.25, drift rate ~8 near the wells would make it
        // large; the pooled fit of 6 x 600 cells lands within 0.1 of the wells, well apart from the saddle at 0)
        assertEquals(-1, wells[0], 0.1, "left well");
        assertEquals(1, wells[1], 0.1, "right well");
    }
}
