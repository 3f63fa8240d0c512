package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.gradientflow.meanfield.MeanFieldResult;

/** {@link MeanFieldDemo}: its two pictures and the numbers it prints. */
class MeanFieldDemoTest {
    @Test
    void writesBothPicturesAndPrintsTheLibrarysRisks(@TempDir Path out) throws Exception {
        DemoResult result = new MeanFieldDemo().run(out, true);
        assertTrue(Files.size(out.resolve("meanfield-neurons.png")) > 1000, "neurons picture");
        assertTrue(Files.size(out.resolve("meanfield-loss.png")) > 1000, "loss picture");
        MeanFieldResult wide = MeanFieldDemo.train(200, 2, false, f -> { });
        // The printed ratio is the library's (same seed, same bits).
        assertEquals(wide.finalRisk() / wide.risks()[0], result.reading(MeanFieldDemo.FINAL_RISK + 200).values()[0],
                0.0);
        // 200 mean-field students learn the teacher (Chizat-Bach): below 1e-3 of the initial risk.
        assertTrue(wide.finalRisk() / wide.risks()[0] < 1e-3);
    }
}
