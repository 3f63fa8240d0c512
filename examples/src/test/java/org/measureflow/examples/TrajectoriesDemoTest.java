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
        // the JKO condition's O(tau) bias and the sampling error of 600 cells per snapshot move the fitted wells by a
        // few hundredths; 0.1 (a tenth of the saddle-to-well distance) still tells a recovered well from a lost one
        assertEquals(-1, wells[0], 0.1, "left well");
        assertEquals(1, wells[1], 0.1, "right well");
    }
}
