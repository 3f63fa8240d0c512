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
        FlowMatchingDemo.Outcome outcome = FlowMatchingDemo.simulate(new FlowMatchingDemo.Config(300, 128, 300, 300, 64), true);
        List<FlowMatchingDemo.Run> runs = outcome.runs();
        DemoResult result = FlowMatchingDemo.report(outcome, out);
        assertTrue(Files.size(out.resolve("flowmatching-trajectories.png")) > 1000, "png written");
        assertTrue(Files.exists(out.resolve("flowmatching-trajectories-3.svg")), "third panel written");
        SinkhornDivergence measure = SinkhornDivergence.of(SinkhornSolver.of(FlowMatchingDemo.EPSILON)
                .withTolerance(1e-7));
        for (FlowMatchingDemo.Run run : runs) {
            double printed = result.reading(FlowMatchingDemo.DIVERGENCE + run.coupling()).values()[0];
            // The printed number is the library's Sinkhorn divergence of the run's samples to held-out data.
            double recomputed = measure.value(run.samples(), FlowMatchingDemo.twoMoons(300, 2));
            assertEquals(recomputed, printed, 1e-9);
            assertTrue(printed >= -1e-6, "a divergence is non-negative");
            double[] seeds = result.reading(FlowMatchingDemo.DIVERGENCE + run.coupling() + ", seeds 7..9").values();
            assertEquals(FlowMatchingDemo.SEEDS, seeds.length);
            assertEquals(printed, seeds[0], "the pictured run is the first seed");
            double[] summary = result.reading(FlowMatchingDemo.DIVERGENCE + run.coupling()
                    + ", mean and sd over seeds").values();
            assertEquals((seeds[0] + seeds[1] + seeds[2]) / 3, summary[0], 1e-15);
        }
        FlowMatchingDemo.GeneratorRun generator = outcome.generator();
        assertEquals(measure.value(generator.samples(), FlowMatchingDemo.twoMoons(300, 2)),
                result.reading(FlowMatchingDemo.DIVERGENCE + "Sinkhorn generator").values()[0], 1e-9);
        // Even after a short run, OT pairs give straighter learned paths than independent pairs.
        assertTrue(runs.get(1).straightness() < runs.get(0).straightness());
    }
}
