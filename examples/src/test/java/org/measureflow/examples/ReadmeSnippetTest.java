package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.measure.ToyDistributions;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** The Java snippet of the README, verbatim, must compile and do what the README says. */
class ReadmeSnippetTest {
    @Test
    void readmeSnippetParticlesMatchTheClosedFormWithinSamplingError() {
        // ---- README snippet, verbatim ----
        GaussianMeasure mu = GaussianMeasure.of(new double[]{1, 0}, new DMatrixRMaj(new double[][]{{0.3, 0.1}, {0.1, 0.2}}));
        LinearField field = LinearField.of(new DMatrixRMaj(new double[][]{{0.3, -2}, {2, 0.3}}), new double[]{0, 0});
        ParticleMeasure particles = mu.sample(10_000, new SplittableRandom(42));
        ParticleMeasure moved = RungeKutta4.of(0.01).advect(particles, field, 0, 1).measure();
        GaussianMeasure exact = field.flow(mu, 1.0);   // N(e^A m, e^A S e^{A^T}), closed form
        // ---- end of snippet ----

        int n = moved.size();
        assertEquals(10_000, n);
        double[] mean = moved.mean();
        double[] m = exact.mean();
        DMatrixRMaj cov = moved.covariance();
        DMatrixRMaj s = exact.covariance();
        for (int j = 0; j < 2; j++) {
            // sample mean of n iid N(m, S) draws: sd sqrt(S_jj / n) ~ 0.007; allow 5 sd (RK4 error ~1e-8 is negligible)
            double sdMean = Math.sqrt(s.get(j, j) / n);
            assertEquals(m[j], mean[j], 5 * sdMean, "mean coordinate " + j);
            for (int k = 0; k < 2; k++) {
                // sample covariance entry: sd sqrt((S_jj S_kk + S_jk^2) / n) ~ 0.007; allow 5 sd
                double sd = Math.sqrt((s.get(j, j) * s.get(k, k) + s.get(j, k) * s.get(j, k)) / n);
                assertEquals(s.get(j, k), cov.get(j, k), 5 * sd, "covariance entry (" + j + "," + k + ")");
            }
        }
        // the closed form itself: e^A = e^{0.3} R(2), so the mean is e^{0.3} (cos 2, sin 2) (1e-12: rounding only)
        assertEquals(Math.exp(0.3) * Math.cos(2), m[0], 1e-12);
        assertEquals(Math.exp(0.3) * Math.sin(2), m[1], 1e-12);
        assertTrue(Math.abs(exact.covariance().get(0, 1) - exact.covariance().get(1, 0)) < 1e-14);
    }

    @Test
    void readmeFlowMatchingSnippetReachesTwiceTheLongRunDivergence() {
        // ---- README snippet, verbatim ----
        ParticleMeasure data = ToyDistributions.twoMoons().sample(20_000, new SplittableRandom(1));
        ParticleMeasure heldOut = ToyDistributions.twoMoons().sample(3_000, new SplittableRandom(2));
        var learned = FlowMatchingTrainer.withDefaults()                      // add .withCoupling(Coupling.exactOt()) for OT-CFM
                .train(GaussianMeasure.standard(2), PointSampler.of(data), new SplittableRandom(3));
        var samples = FlowSampler.sample(learned.field(), GaussianMeasure.standard(2).sample(3_000, new SplittableRandom(4)),
                RungeKutta4.of(0.05)).samples();
        double quality = SinkhornDivergence.of(SinkhornSolver.of(0.05)).value(samples, heldOut);   // QUALITY
        // ---- end of snippet ----

        System.out.printf("README flow-matching snippet: S_eps %.4f%n", quality);
        // 20,000 steps reach 0.0144 on this task and measure (benchmarks/RESULTS.md, "Issue 19"); the defaults were
        // chosen to land within twice that
        assertTrue(quality >= -1e-9 && quality <= 2 * 0.0144, "S_eps " + quality);
    }
}
