package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.barycenter.BarycenterResult;
import org.measureflow.ot.barycenter.ConvolutionalBarycenter;

/** {@link OtBarycenterDemo}: its picture, and a reading checked against the library and against symmetry. */
class OtBarycenterDemoTest {
    @Test
    void writesTheBarycenterTableAndTheCentrePanelIsCentred(@TempDir Path out) throws Exception {
        long start = System.nanoTime();
        DemoResult result = new OtBarycenterDemo().run(out, true);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertTrue(Files.size(out.resolve("ot-barycenter.png")) > 1000, "ot-barycenter.png written");
        assertEquals(1.0, result.reading("all converged (1 = yes)").values()[0], 0.0);
        double[] mean = result.reading(OtBarycenterDemo.CENTRE_MEAN).values();
        // the library, run again on the centre panel, gives the same barycenter (deterministic)
        BarycenterResult again = ConvolutionalBarycenter.of(OtBarycenterDemo.EPSILON)
                .withTolerance(OtBarycenterDemo.TOLERANCE).withMaxIterations(2000)
                .solve(OtBarycenterDemo.shapes(), OtBarycenterDemo.weights(2, 2));
        double[] expected = again.density().mean();
        assertEquals(expected[0], mean[0], 0.0);
        assertEquals(expected[1], mean[1], 0.0);
        // every shape is symmetric about (1/2, 1/2) on a symmetric grid, so the barycenter is too: its mean is the
        // centre up to the coupling residual (tolerance 1e-4 in L1 mass, times distances below 1)
        assertEquals(0.5, mean[0], 2 * OtBarycenterDemo.TOLERANCE);
        assertEquals(0.5, mean[1], 2 * OtBarycenterDemo.TOLERANCE);
        GridDensity.Grid grid = OtBarycenterDemo.grid();
        assertEquals(OtBarycenterDemo.SIDE * OtBarycenterDemo.SIDE, grid.size());
        assertTrue(seconds < 30, "the demo took " + seconds + " s");
    }
}
