package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VelocityFieldsDemo}: its picture, the ordering of the three actions, and where the particles arrive. */
class VelocityFieldsDemoTest {
    @Test
    void leastEffortSpendsTheLeastAndEveryFieldDeliversTheEndDensity(@TempDir Path out) throws Exception {
        DemoResult r = new VelocityFieldsDemo().run(out, true);
        assertTrue(Files.size(out.resolve(VelocityFieldsDemo.NAME + ".png")) > 1000, "picture written");
        double bound = r.reading(VelocityFieldsDemo.BOUND).values()[0];
        double leastEffort = r.reading(VelocityFieldsDemo.ACTIONS[0]).values()[0];
        double dacorognaMoser = r.reading(VelocityFieldsDemo.ACTIONS[1]).values()[0];
        double swirl = r.reading(VelocityFieldsDemo.ACTIONS[2]).values()[0];
        // the least action is below (1 - beta) W2^2 (see the demo's class comment); the grid's midpoint rules in
        // space (h = 1/16) and time (dt = 0.1) move it by O(h^2 + dt^2), about 1%, hence the 2% slack
        assertTrue(leastEffort <= 1.02 * bound, "least action " + leastEffort + " vs the bound " + bound);
        // least effort minimises the kinetic energy at every time among the fields with the same flux divergence
        assertTrue(leastEffort < dacorognaMoser, leastEffort + " vs Dacorogna-Moser " + dacorognaMoser);
        // adding a flux-free part adds its own energy (the Hodge split is orthogonal in L2(rho))
        assertTrue(leastEffort < swirl, leastEffort + " vs least effort + swirl " + swirl);
        // every field carries the sample of rho_0 to rho_1: the end mean is within 4 standard errors of a mean of
        // 2000 draws (variance at most about 1.1 per axis for rho_1 with its background: sd of the mean 0.024)
        for (String label : VelocityFieldsDemo.MEAN_ERRORS) {
            double e = r.reading(label).values()[0];
            assertTrue(e < 4 * Math.sqrt(1.1 / VelocityFieldsDemo.PARTICLES), label + " = " + e);
        }
    }
}
