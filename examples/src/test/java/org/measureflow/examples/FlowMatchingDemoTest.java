package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** {@link FlowMatchingDemo} on a short training run: its picture and the numbers it prints. */
class FlowMatchingDemoTest {
    @Test
    void writesTheTrajectoryPictureAndPrintsTheLibrarysNumbers(@TempDir Path out) throws Exception {
        List<FlowMatchingDemo.Run> runs = FlowMatchingDemo.simulate(new FlowMatchingDemo.Config(300, 128, 300), true);
        DemoResult result = FlowMatchingDemo.report(runs, out);
        assertTrue(Files.size(out.resolve("flowmatching-trajectories.png")) > 1000, "png written");
        assertTrue(Files.exists(out.resolve("flowmatching-trajectories-2.svg")), "svg written");
        for (FlowMatchingDemo.Run run : runs) {
            double printed = result.reading(FlowMatchingDemo.DIVERGENCE + run.coupling()).values()[0];
            // The printed number is the library's Sinkhorn divergence of the run's samples to held-out data.
            double recomputed = SinkhornDivergence.of(SinkhornSolver.of(FlowMatchingDemo.EPSILON).withTolerance(1e-7))
                    .value(run.samples(), FlowMatchingDemo.twoMoons(300, 2));
            assertEquals(recomputed, printed, 1e-9);
            assertTrue(printed >= -1e-6, "a divergence is non-negative");
        }
        // Even after a short run, OT pairs give straighter learned paths than independent pairs.
        assertTrue(runs.get(1).straightness() < runs.get(0).straightness());
    }
}
