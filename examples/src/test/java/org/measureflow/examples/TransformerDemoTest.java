package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.transformer.attention.AttentionSchedule;
import org.measureflow.transformer.gaussian.GaussianAttentionClosure;

/** {@link TransformerDemo}: its two pictures, and readings that agree with the library. */
class TransformerDemoTest {
    @Test
    void writesBothPicturesAndReportsTheClosuresBlowUpTime(@TempDir Path out) throws Exception {
        DemoResult result = new TransformerDemo().run(out, true);
        assertTrue(Files.size(out.resolve("transformer-clustering.png")) > 1000, "transformer-clustering.png");
        assertTrue(Files.size(out.resolve("transformer-gaussian-closure.png")) > 1000,
                "transformer-gaussian-closure.png");
        assertTrue(Files.exists(out.resolve("transformer-gaussian-closure.svg")));

        double reported = result.reading(TransformerDemo.BLOW_UP).values()[0];
        double library = GaussianAttentionClosure.withDefaults().solve(TransformerDemo.gaussianStart(),
                AttentionSchedule.constant(TransformerDemo.gaussianHead()), 10).blowUpTime();
        assertEquals(library, reported, 0.0, "the same deterministic computation");
        assertTrue(reported > TransformerDemo.GAUSSIAN_DEPTH, "the demo stops before the blow-up");
        // 64 random tokens never start in one cluster at cosine 0.999; attention only merges clusters
        double first = result.reading("clusters at depth 0").values()[0];
        double last = result.reading(TransformerDemo.FINAL_CLUSTERS).values()[0];
        assertTrue(first > 10 && last < first, "clusters " + first + " -> " + last);
    }
}
