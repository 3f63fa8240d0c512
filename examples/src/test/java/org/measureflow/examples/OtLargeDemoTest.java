package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OtLargeDemo} on smaller clouds: its picture, and its numbers against the Gaussian closed form. */
class OtLargeDemoTest {
    @Test
    void drawsTheMapAndPrintsACostNearTheGaussianValue(@TempDir Path out) throws Exception {
        int points = 4000;
        DemoResult result = new OtLargeDemo(points).run(out, true);
        assertTrue(Files.size(out.resolve("ot-large.png")) > 1000, "ot-large.png written");
        assertEquals(points, result.reading("points per cloud").values()[0], 0.0);
        assertTrue(result.reading("L1 marginal error").values()[0] <= OtLargeDemo.TOLERANCE);
        double neglected = result.reading(OtLargeDemo.NEGLECTED).values()[0];
        assertTrue(neglected >= 0 && neglected <= 1e-2 * OtLargeDemo.TOLERANCE, "neglected mass " + neglected);
        // W2^2(N(0, I), N((1,1), diag(2, 0.5))) = |m|^2 + tr(I + S - 2 S^(1/2)) (docs/closed-forms.md, Bures)
        double exact = 2 + (1 + 2 - 2 * Math.sqrt(2)) + (1 + 0.5 - 2 * Math.sqrt(0.5));
        double cost = result.reading("transport cost <C, P_eps>").values()[0];
        // sampling error of an empirical W2^2 at n = 4000 (second moments fluctuate by about sqrt(8 / n) = 0.045)
        // plus the entropic excess of eps = 0.01 per unit (about eps d / 2 = 0.01): 0.15 is three such deviations
        assertEquals(exact, cost, 0.15, "cost " + cost + " vs the Gaussian W2^2 " + exact);
        // the map of n = 4000 samples is within a few 1/sqrt(n)-sized cells of the exact linear map on average
        assertTrue(result.reading(OtLargeDemo.MAP_DISTANCE).values()[0] < 0.25,
                "mean distance to the Gaussian map " + result.reading(OtLargeDemo.MAP_DISTANCE).values()[0]);
    }

    @Test
    void refusesCloudsSmallerThanItsDrawnSample() {
        assertThrows(IllegalArgumentException.class, () -> new OtLargeDemo(OtLargeDemo.DRAWN - 1));
    }
}
