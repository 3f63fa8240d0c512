package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.StepObserver;

/**
 * The core demo against an independent closed form: for \( A = a I + \omega J \) (\( J \) the rotation by
 * \( \pi/2 \)) the flow map is \( x \mapsto c + e^{a t} R(\omega t)(x - c) \) with \( c = -A^{-1} b = (-1, 0) \),
 * and \( \mathcal{N}(m, \Sigma) \) is carried to \( \mathcal{N}(c + e^{at}R(m - c), e^{2at} R \Sigma R^\top) \).
 */
class LinearFlowDemoTest {
    private static final double A = LinearFlowDemo.DILATION;
    private static final double W = LinearFlowDemo.ROTATION;
    private static final double[] CENTRE = {-1, 0};

    private static LinearFlowDemo.Simulation sim;

    @BeforeAll
    static void simulate() {
        sim = new LinearFlowDemo().simulate(StepObserver.none());
    }

    /** \( c + e^{at} R(\omega t) (x - c) \) for the point {@code x}. */
    private static double[] flowMap(double t, double x, double y) {
        double s = Math.exp(A * t);
        double cos = Math.cos(W * t);
        double sin = Math.sin(W * t);
        double u = x - CENTRE[0];
        double v = y - CENTRE[1];
        return new double[]{CENTRE[0] + s * (cos * u - sin * v), CENTRE[1] + s * (sin * u + cos * v)};
    }

    @Test
    void recordsFiveSnapshotsAtTheRequestedTimes() {
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75, 1}, sim.times());
        assertEquals(5, sim.snapshots().size());
        for (ParticleMeasure p : sim.snapshots()) {
            assertEquals(LinearFlowDemo.PARTICLES, p.size());
            assertEquals(2, p.dimension());
        }
    }

    @Test
    void everyParticleFollowsTheExactFlowMapToRk4Accuracy() {
        ParticleMeasure start = sim.snapshots().get(0);
        double h = LinearFlowDemo.STEP;
        double lambda = Math.hypot(A, W); // |eigenvalue| of the normal matrix A
        double[] times = sim.times();
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            // RK4 on x' = A x + b multiplies x - c by R(hA)^N with R(z) - e^z = -z^5/120 + O(z^6), so the global
            // error is about t h^4 |lambda|^5 / 120 e^{a t} |x0 - c|, ~4e-9 |x0 - c| here; allow a factor 4 (snapshots
            // between steps are interpolated to the same order).
            double rate = 4 * t * Math.pow(h, 4) * Math.pow(lambda, 5) / 120 * Math.exp(A * t) + 1e-14;
            ParticleMeasure p = sim.snapshots().get(k);
            for (int i = 0; i < p.size(); i++) {
                double x0 = start.coordinate(i, 0);
                double y0 = start.coordinate(i, 1);
                double[] expected = flowMap(t, x0, y0);
                double radius = Math.hypot(x0 - CENTRE[0], y0 - CENTRE[1]);
                for (int j = 0; j < 2; j++) {
                    double err = Math.abs(p.coordinate(i, j) - expected[j]);
                    assertTrue(err <= rate * radius + 1e-13, "t=" + t + ", particle " + i + ", coordinate " + j
                            + ": error " + err + " > " + rate * radius);
                }
            }
        }
    }

    @Test
    void exactGaussianAtEachSnapshotIsTheRotatedDilatedInitialGaussian() {
        GaussianMeasure mu = LinearFlowDemo.initialMeasure();
        double[] m0 = mu.mean();
        DMatrixRMaj s0 = mu.covariance();
        double[] times = sim.times();
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            GaussianMeasure g = sim.exact().get(k);
            double[] m = flowMap(t, m0[0], m0[1]);
            double s = Math.exp(A * t);
            double cos = Math.cos(W * t);
            double sin = Math.sin(W * t);
            double[][] r = {{s * cos, -s * sin}, {s * sin, s * cos}};
            double[] mean = g.mean();
            DMatrixRMaj cov = g.covariance();
            for (int i = 0; i < 2; i++) {
                // closed form against closed form (matrix exponential): agreement to rounding, 1e-12 relative
                assertEquals(m[i], mean[i], 1e-12 * (1 + Math.abs(m[i])), "mean " + i + " at t=" + t);
                for (int j = 0; j < 2; j++) {
                    double e = 0;
                    for (int p = 0; p < 2; p++) {
                        for (int q = 0; q < 2; q++) {
                            e += r[i][p] * s0.get(p, q) * r[j][q];
                        }
                    }
                    assertEquals(e, cov.get(i, j), 1e-12 * (1 + Math.abs(e)), "cov (" + i + "," + j + ") at t=" + t);
                }
            }
        }
    }

    @Test
    void sameSeedGivesTheSameParticles() {
        LinearFlowDemo.Simulation again = new LinearFlowDemo().simulate(StepObserver.none());
        for (int k = 0; k < sim.snapshots().size(); k++) {
            assertArrayEquals(sim.snapshots().get(k).flatPoints(), again.snapshots().get(k).flatPoints());
        }
    }

    @Test
    void runWritesBothPicturesAndReportsDifferencesWithinSamplingError(@TempDir Path dir) throws Exception {
        DemoResult result = new LinearFlowDemo().run(dir, true);
        assertEquals(List.of("core-linear-flow.png", "core-linear-flow.svg"), result.pictures());
        for (String p : result.pictures()) {
            assertTrue(Files.size(dir.resolve(p)) > 1000, p + " is (nearly) empty");
        }
        assertEquals(2, result.explanation().size());
        double covDiff = result.reading("max |covariance difference|").values()[0];
        double stdError = result.reading("sampling std. error of a covariance entry (max)").values()[0];
        // the covariance of n iid Gaussian draws misses the true one by a few standard errors at most
        assertTrue(covDiff <= 5 * stdError, covDiff + " > 5 * " + stdError);
        assertEquals(100, result.reading("RK4 steps").values()[0]); // t from 0 to 1 with h = 0.01
    }
}
