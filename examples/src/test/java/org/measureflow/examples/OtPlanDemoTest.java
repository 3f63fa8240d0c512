package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OtPlanDemo}: its pictures, and the order facts between exact and entropic transport costs it prints. */
class OtPlanDemoTest {
    @Test
    void writesThePlanPictureAndPrintsConsistentCosts(@TempDir Path out) throws Exception {
        DemoResult result = new OtPlanDemo().run(out, true);
        assertTrue(Files.size(out.resolve("ot-plan.png")) > 1000, "ot-plan.png written");
        assertTrue(Files.exists(out.resolve("ot-plan.svg")), "ot-plan.svg written");

        double exact = result.reading(OtPlanDemo.EXACT_COST).values()[0];
        double small = result.reading(OtPlanDemo.sinkhornCostLabel(OtPlanDemo.EPSILONS[0])).values()[0];
        double large = result.reading(OtPlanDemo.sinkhornCostLabel(OtPlanDemo.EPSILONS[1])).values()[0];
        // Each Sinkhorn plan is a coupling up to its marginal error (<= 1e-9, costs <= ~40): <C, P_eps> >= OT_0.
        assertTrue(small >= exact - 1e-7, "small-eps cost " + small + " vs exact " + exact);
        // <C, P_eps> is non-decreasing in eps (the entropic path moves monotonically away from the optimum).
        assertTrue(large >= small, "eps=1 cost " + large + " vs eps=0.05 cost " + small);
        // n = m uniform: the exact plan is a permutation, n entries (a vertex of the Birkhoff polytope).
        assertEquals(OtPlanDemo.POINTS, result.reading("exact: plan entries (<= n+m-1)").values()[0], 0.0);
    }
}
