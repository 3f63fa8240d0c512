package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

/** Particles advected by an integrator along a linear field follow its exact flow (survey eq. 1). */
class ParticleAdvectionTest {
    private static final int PARTICLES = 3000;

    /** The rotation field x' = J x, J = [[0, -1], [1, 0]], whose time-t flow is the rotation by angle t. */
    private static final VectorField ROTATION = (t, x, xo, out, oo) -> {
        out[oo] = -x[xo + 1];
        out[oo + 1] = x[xo];
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void rungeKutta4RotatesEveryParticleExactlyToItsOrder(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure measure = RandomInputs.weightedPointCloud(rng, PARTICLES, 2);
            double[] before = measure.flatPoints();
            double[] weights = measure.weights();
            double h = 0.01;
            ParticleFlowResult flow = RungeKutta4.of(h).advect(measure, ROTATION, 0, 1);
            assertEquals(100, flow.integration().steps());
            assertEquals(400, flow.integration().evaluations());
            double c = Math.cos(1);
            double s = Math.sin(1);
            for (int i = 0; i < PARTICLES; i++) {
                double x = before[2 * i];
                double y = before[2 * i + 1];
                double radius = Math.hypot(x, y);
                // RK4 on a rotation is its degree-4 Taylor polynomial: per step |e^{ih} - T_4(ih)| <= h^5/5!, and
                // the rotation does not amplify errors, so N = 100 steps give <= N h^5/120 |x| (x2 margin) plus
                // round-off.
                double bound = 2 * 100 * Math.pow(h, 5) / 120 * radius + 1e-13 * radius;
                assertEquals(c * x - s * y, flow.measure().coordinate(i, 0), bound, "particle " + i);
                assertEquals(s * x + c * y, flow.measure().coordinate(i, 1), bound, "particle " + i);
            }
            assertArrayEquals(before, measure.flatPoints(), "the input measure is not modified");
            assertArrayEquals(weights, flow.measure().weights(), "weights travel with the particles");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void adaptiveAdvectionConservesTheRadiusOfEveryParticle(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure measure = RandomInputs.pointCloud(rng, 500, 2);
            ParticleFlowResult flow = DormandPrince54.withDefaults().withRelativeTolerance(1e-9).withAbsoluteTolerance(1e-9).advect(measure, ROTATION, 0, 3);
            for (int i = 0; i < measure.size(); i++) {
                double r0 = Math.hypot(measure.coordinate(i, 0), measure.coordinate(i, 1));
                double r1 = Math.hypot(flow.measure().coordinate(i, 0), flow.measure().coordinate(i, 1));
                // each local error is controlled at tol (1 + |x|) and adds up without amplification over the steps
                double bound = flow.integration().steps() * 1e-9 * (1 + r0) * 2;
                assertEquals(r0, r1, bound, "particle " + i);
            }
            assertTrue(flow.integration().steps() > 5);
        });
    }
}
