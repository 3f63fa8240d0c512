package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.field.EmpiricalFlowMatchingField;
import org.measureflow.flowmatching.field.FlowMatchingField;
import org.measureflow.flowmatching.field.GaussianFlowMatchingField;
import org.measureflow.flowmatching.field.GaussianMixtureFlowMatchingField;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;
import org.measureflow.flowmatching.sampling.DiffusionSampler;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.flowmatching.sampling.LikelihoodResult;
import org.measureflow.flowmatching.sampling.LogLikelihood;
import org.measureflow.flowmatching.sampling.SampleQuality;
import org.measureflow.flowmatching.sampling.SampleResult;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.TestMatrices;

class SamplingTest {
    private static final GaussianMeasure TARGET = GaussianMeasure.of(new double[]{1.5, -0.5},
            TestMatrices.of(new double[][]{{0.8, -0.3}, {-0.3, 0.5}}));

    @Test
    void logLikelihoodOfTheGaussianFlowIsTheTargetDensity() {
        GaussianMeasure source = GaussianMeasure.of(new double[]{0, 1}, TestMatrices.diag(1, 2));
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(source, TARGET);
        ParticleMeasure points = TARGET.sample(200, new SplittableRandom(4));
        LikelihoodResult r = LogLikelihood.evaluate(field, source, points, RungeKutta4.of(0.02), 0, 1);
        double[] log = r.logDensities();
        for (int i = 0; i < points.size(); i++) {
            // RK4 at h = 0.02 on a smooth linear flow: error ~ h^4 = 2e-7 in the pulled-back point and log-det.
            assertEquals(TARGET.logDensity(points.point(i)), log[i], 1e-6, "point " + i);
        }
        ParticleMeasure pulledBack = r.latentPoints();
        double[] back = field.flowMap(1, 0).apply(points.point(0));
        assertTrue(TestMatrices.maxAbsDiff(back, pulledBack.point(0)) < 1e-6);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void logLikelihoodOfTheMixtureFlowIsTheMixtureDensity(long seed) {
        Property.check(seed, rng -> {
            GaussianMixtureFlowMatchingField field = TweedieTest.randomMixture(rng, 2, LinearInterpolant.instance());
            ParticleMeasure points = RandomInputs.pointCloud(rng, 20, 2);
            double t1 = 0.9;
            LikelihoodResult r = LogLikelihood.evaluate(field, GaussianMeasure.standard(2), points,
                    DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-10), 0, t1);
            double[] log = r.logDensities();
            for (int i = 0; i < points.size(); i++) {
                // Adaptive integration at tolerance 1e-10: a global error well below 1e-6.
                assertEquals(field.logDensity(t1, points.point(i)), log[i], 1e-6, "point " + i);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void divergencesMatchFiniteDifferences(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            FlowMatchingField[] fields = {
                    TweedieTest.randomMixture(rng, d, VariancePreservingInterpolant.withDefaults()),
                    EmpiricalFlowMatchingField.of(RandomInputs.weightedPointCloud(rng, 12, d)),
                    EmpiricalFlowMatchingField.of(RandomInputs.pointCloud(rng, 7, d),
                            VariancePreservingInterpolant.withDefaults())};
            for (FlowMatchingField field : fields) {
                double t = 0.1 + 0.8 * rng.nextDouble();
                double[] x = RandomInputs.gaussianVector(rng, d);
                double h = 1e-5;
                double fd = 0;
                double[] vp = new double[d];
                double[] vm = new double[d];
                for (int c = 0; c < d; c++) {
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[c] += h;
                    xm[c] -= h;
                    field.velocity(t, xp, 0, vp, 0);
                    field.velocity(t, xm, 0, vm, 0);
                    fd += (vp[c] - vm[c]) / (2 * h);
                }
                // Central differences: h^2 |v'''| + 1e-16 |v| / h; the fields' derivatives scale like 1/alpha^3.
                assertEquals(fd, field.divergence(t, x, 0), 1e-5 * (1 + Math.abs(fd)), field + " at t = " + t);
            }
        });
    }

    @Test
    void reverseDiffusionSdeSamplesTheTarget() {
        VariancePreservingInterpolant vp = VariancePreservingInterpolant.withDefaults();
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GaussianMeasure.standard(2), TARGET, vp);
        int n = 20_000;
        double tEnd = 0.999;
        ParticleMeasure start = field.marginal(0).sample(n, new SplittableRandom(31));
        SampleResult r = DiffusionSampler.sample(field, start, DiffusionSampler.noiseOf(vp), 0, tEnd, 1e-3,
                new SplittableRandom(32));
        double[] mean = r.samples().mean();
        DMatrixRMaj cov = r.samples().covariance();
        DMatrixRMaj s1 = TARGET.covariance();
        // 5 standard errors of the sample moments (sd sqrt(S_ii / n) and sqrt((S_ii S_jj + S_ij^2)/n)) plus the
        // weak O(h) bias of Euler-Maruyama: the drift rate is at most b_max/2 = 10, so h * 10 = 1e-2 relative.
        for (int i = 0; i < 2; i++) {
            assertEquals(TARGET.mean()[i], mean[i], 5 * Math.sqrt(s1.get(i, i) / n) + 1e-2, "mean " + i);
            for (int j = 0; j < 2; j++) {
                double sd = Math.sqrt((s1.get(i, i) * s1.get(j, j) + s1.get(i, j) * s1.get(i, j)) / n);
                assertEquals(s1.get(i, j), cov.get(i, j), 5 * sd + 1e-2, "covariance " + i + j);
            }
        }
        assertEquals(2 * 999 + 1, r.fieldEvaluations());
    }

    @Test
    void stochasticSamplerWithZeroNoiseIsTheOdeSampler() {
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GaussianMeasure.standard(2), TARGET);
        ParticleMeasure start = GaussianMeasure.standard(2).sample(50, new SplittableRandom(2));
        SampleResult sde = DiffusionSampler.sample(field, start, t -> 0, 0, 0.5, 1e-3, new SplittableRandom(3));
        SampleResult ode = FlowSampler.sample(field, start, RungeKutta4.of(1e-3), 0, 0.5,
                org.measureflow.core.ode.StepObserver.none());
        ParticleMeasure denoisedOde = FlowSampler.denoise(field, ode.samples(), 0.5);
        // Euler (first order) vs RK4 on a smooth linear flow over [0, 0.5] with h = 1e-3: difference O(h).
        assertTrue(TestMatrices.maxAbsDiff(denoisedOde.flatPoints(), sde.samples().flatPoints()) < 5e-3);
    }

    @Test
    void sampleQualityW2IsZeroOnIdenticalCloudsAndMatchesOneDimensionalOt() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 60, 2);
        assertEquals(0.0, SampleQuality.w2(x, x), 1e-9);
        ParticleMeasure a = RandomInputs.measure1d(rng, 40);
        ParticleMeasure b = RandomInputs.measure1d(rng, 30);
        assertEquals(OneDimensionalOt.distance(a, b, 2), SampleQuality.w2(a, b), 1e-9);
        assertRejected("heldOut", () -> SampleQuality.w2(x, a));
    }

    @Test
    void samplersRejectBadTimes() {
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GaussianMeasure.standard(2), TARGET);
        ParticleMeasure start = GaussianMeasure.standard(2).sample(5, new SplittableRandom(2));
        assertRejected("tEnd", () -> FlowSampler.sampleDenoised(field, start, RungeKutta4.of(0.1), 1));
        assertRejected("times", () -> DiffusionSampler.sample(field, start, t -> 1, 0.5, 0.2, 0.1,
                new SplittableRandom(1)));
        assertRejected("t1", () -> FlowSampler.sample(field, start, RungeKutta4.of(0.1), 0, 1.5,
                org.measureflow.core.ode.StepObserver.none()));
    }
}
