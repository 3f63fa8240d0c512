package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.measure.GridDensity;

/** {@link GradientFlowDemo}: its pictures, and readings that agree with the closed forms the library targets. */
class GradientFlowDemoTest {
    @Test
    void writesBothPicturesAndItsReadingsMatchBarenblattAndTheDisk(@TempDir Path out) throws Exception {
        DemoResult result = new GradientFlowDemo().run(out, true);
        for (String stem : new String[]{GradientFlowDemo.POROUS_PICTURE, GradientFlowDemo.AGGREGATION_PICTURE}) {
            assertTrue(Files.size(out.resolve(stem + ".png")) > 1000, stem + ".png written");
            assertTrue(Files.exists(out.resolve(stem + ".svg")), stem + ".svg written");
        }
        // the Barenblatt profile used by the demo has mass 1 (midpoint rule, O(h^2) with a kink: 1e-6 at 20k cells)
        GridDensity u = GridDensity.fromFunction(GridDensity.Grid.of1d(-4, 4, 20_000),
                x -> GradientFlowDemo.barenblatt(x[0], 2.0));
        assertEquals(1.0, u.mass(), 1e-6);
        // JKO: the mass is the first marginal of every plan, exact to rounding
        assertTrue(result.reading(GradientFlowDemo.POROUS_MASS).values()[0] <= 1e-12);
        // first-order scheme with h = 0.05, tau = h/2 and blur diffusion h/2: L1 error O(h) (PorousMediumJkoTest)
        assertTrue(result.reading(GradientFlowDemo.POROUS_L1).values()[0] < 2 * 8.0 / GradientFlowDemo.CELLS);
        // docs/closed-forms.md CF-17: uniform disk, mass 1/4 within r = 1/2 and outer radius 1, up to a boundary layer ~ sqrt(pi/400)
        assertEquals(0.25, result.reading(GradientFlowDemo.INNER_FRACTION).values()[0], 0.05);
        assertEquals(1.0, result.reading(GradientFlowDemo.OUTER_RADIUS).values()[0], 0.1);
    }
}
