package org.measureflow.transformer.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;
import org.measureflow.testing.TestMatrices;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionFixtures;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionSchedule;

/** {@link GaussianAttentionClosure} against docs/closed-forms.md CF-16 and docs/closed-forms.md CF-16(a)-(c), and against 20,000 attention particles. */
class GaussianAttentionClosureTest {
    /** The closure of Sinkhorn (doubly stochastic) attention, other settings at their defaults. */
    private static final GaussianAttentionClosure SINKHORN = GaussianAttentionClosure.withDefaults()
            .withAttentionWeights(GaussianAttentionClosure.AttentionWeights.SINKHORN);

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void ratesAreTheSpecFormulasSummedOverHeads(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            AttentionHead a = AttentionFixtures.randomHead(rng, d, 1.0);
            AttentionHead b = AttentionFixtures.randomHead(rng, d, 1.0);
            double[] m = RandomInputs.gaussianVector(rng, d);
            DMatrixRMaj s = RandomInputs.spd(rng, d);
            GaussianAttentionClosure.Rates rates = GaussianAttentionClosure.withDefaults().rates(Attention.of(a, b), m,
                    s);
            // m' = sum_h V_h (I + S K_h^T Q_h) m,  S' = B S + S B^T with B = sum_h V_h S K_h^T Q_h (docs/closed-forms.md CF-16)
            DMatrixRMaj bsum = TestMatrices.plus(slope(a, s), 1, slope(b, s));
            double[] expectedMean = new double[d];
            for (AttentionHead h : List.of(a, b)) {
                double[] vm = TestMatrices.mult(h.value(), m);
                double[] sm = TestMatrices.mult(slope(h, s), m);
                for (int k = 0; k < d; k++) {
                    expectedMean[k] += vm[k] + sm[k];
                }
            }
            DMatrixRMaj bs = TestMatrices.mult(bsum, s);
            DMatrixRMaj expectedCov = TestMatrices.plus(bs, 1, TestMatrices.transpose(bs));
            double scale = 1 + TestMatrices.frob(expectedCov) + TestMatrices.norm(expectedMean);
            assertTrue(TestMatrices.maxAbsDiff(expectedMean, rates.mean()) <= 1e-13 * scale);
            assertTrue(TestMatrices.maxAbsDiff(expectedCov, rates.covariance()) <= 1e-13 * scale);
        });
    }

    private static DMatrixRMaj slope(AttentionHead h, DMatrixRMaj s) {
        return TestMatrices.mult(h.value(), s, TestMatrices.mult(TestMatrices.transpose(h.key()), h.query()));
    }

    @Test
    void scalarClosureFollowsTheClosedFormBeforeBlowUp() {
        double q = 0.7;
        double k = 1.3;
        double v = 0.9;
        double m0 = 0.4;
        double s0 = 0.8;
        double tStar = ScalarGaussianClosure.blowUpTime(q, k, v, s0);
        assertEquals(1 / (2 * v * k * q * s0), tStar, 1e-15);
        double[] times = {0.2 * tStar, 0.5 * tStar, 0.8 * tStar};
        GaussianClosureResult r = GaussianAttentionClosure.withDefaults().solve(GaussianMeasure.of1d(m0,
                Math.sqrt(s0)), AttentionSchedule.constant(AttentionHead.scalar(q, k, v)), 0.8 * tStar, times);
        assertEquals(GaussianClosureResult.Status.COMPLETED, r.status());
        assertTrue(Double.isNaN(r.blowUpTime()));
        for (int i = 0; i < times.length; i++) {
            // DormandPrince54 at rtol 1e-10: the relative error stays ~1e-9 while s grows 5-fold
            double s = ScalarGaussianClosure.variance(q, k, v, s0, times[i]);
            double m = ScalarGaussianClosure.mean(q, k, v, m0, s0, times[i]);
            assertEquals(s, r.covariances().get(i).get(0, 0), 1e-8 * s);
            assertEquals(m, r.means().get(i)[0], 1e-8 * Math.abs(m));
        }
    }

    @Test
    void scalarBlowUpIsDetectedAndItsTimeMatchesTheExactFormula() {
        double q = 1.1;
        double k = 0.6;
        double v = 1.5;
        double s0 = 0.5;
        double tStar = ScalarGaussianClosure.blowUpTime(q, k, v, s0);
        GaussianClosureResult r = GaussianAttentionClosure.withDefaults().solve(GaussianMeasure.of1d(0.2,
                Math.sqrt(s0)), AttentionSchedule.constant(AttentionHead.scalar(q, k, v)), 3 * tStar);
        assertTrue(r.blewUp(), r.message());
        assertEquals(GaussianClosureResult.Status.BLOW_UP, r.status());
        // s(t) = s0/(1 - t/t*) crosses 1e6 s0 at t* (1 - 1e-6): the stop comes within that sliver of t*
        assertTrue(r.finalTime() < tStar && r.finalTime() > tStar * (1 - 1e-5), "stopped at " + r.finalTime());
        // t + s/s' = t*: exact for the scalar Riccati law; the state carries the integrator's relative error
        // ~1e-9 amplified by nothing (s/s' = 1/(2vkq s) is linear in 1/s)
        assertEquals(tStar, r.blowUpTime(), 1e-7 * tStar);
    }

    @Test
    void negativeProductCollapsesTheVarianceWithoutBlowUp() {
        double q = 1.0;
        double k = -1.0;
        double v = 2.0;
        assertEquals(Double.POSITIVE_INFINITY, ScalarGaussianClosure.blowUpTime(q, k, v, 1.0));
        GaussianClosureResult r = GaussianAttentionClosure.withDefaults().solve(GaussianMeasure.of1d(0.0, 1.0),
                AttentionSchedule.constant(AttentionHead.scalar(q, k, v)), 10);
        assertEquals(GaussianClosureResult.Status.COMPLETED, r.status());
        // s(t) = 1/(1 + 4 t): 1/41 at t = 10
        assertEquals(1.0 / 41, r.finalCovariance().get(0, 0), 1e-9);
    }

    @Test
    void sinkhornClosureInOneDimensionUsesTheEntropicCorrelation() {
        // d = 1: Sigma^{1/2} M Sigma^{1/2} = q k s has singular value |qk| s, C = s * sign(qk) * r(|qk| s) with
        // r(sig) = (sqrt(1 + 4 sig^2) - 1)/(2 sig), so B = v sign(qk) r and s' = 2 B s, m' = v m
        double q = 0.8;
        double k = -1.5;
        double v = 1.2;
        double s = 0.7;
        double m = 0.3;
        double sig = Math.abs(q * k) * s;
        double r = (Math.sqrt(1 + 4 * sig * sig) - 1) / (2 * sig);
        GaussianAttentionClosure.Rates rates = SINKHORN.rates(Attention.of(AttentionHead.scalar(q, k, v)),
                new double[]{m}, new DMatrixRMaj(new double[][]{{s}}));
        assertEquals(v * m, rates.mean()[0], 1e-15);
        assertEquals(2 * v * Math.signum(q * k) * r * s, rates.covariance().get(0, 0), 1e-15);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void sinkhornClosureIsTheSpecCrossCovarianceFormula(long seed) {
        Property.check(seed, rng -> {
            int d = 2 + rng.nextInt(3);
            AttentionHead head = AttentionFixtures.randomHead(rng, d, 1.0);
            double[] m = RandomInputs.gaussianVector(rng, d);
            DMatrixRMaj s = RandomInputs.spd(rng, d);
            // docs/closed-forms.md CF-16 literally: S^{1/2} Q^T K S^{1/2} = U diag(sig) W^T, C = S^{1/2} U diag(s) W^T S^{1/2},
            // Gamma(x) = V (m + C^T S^{-1} (x - m))
            DMatrixRMaj half = Spd.sqrt(s);
            DMatrixRMaj g = TestMatrices.mult(half, TestMatrices.mult(TestMatrices.transpose(head.query()),
                    head.key()), half);
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
            assertTrue(svd.decompose(g.copy()));
            DMatrixRMaj u = svd.getU(null, false);
            DMatrixRMaj w = svd.getV(null, false);
            double[] sig = svd.getSingularValues();
            DMatrixRMaj diag = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                diag.set(i, i, (Math.sqrt(1 + 4 * sig[i] * sig[i]) - 1) / (2 * sig[i]));
            }
            DMatrixRMaj c = TestMatrices.mult(TestMatrices.mult(half, u, diag),
                    TestMatrices.mult(TestMatrices.transpose(w), half));
            DMatrixRMaj slope = TestMatrices.mult(head.value(), TestMatrices.transpose(c),
                    Spd.inverse(s));
            AffineMap gamma = SINKHORN.field(Attention.of(head), m, s);
            // two routes through eigen- and singular value decompositions of well-conditioned d x d matrices
            assertTrue(TestMatrices.maxAbsDiff(slope, gamma.matrix()) <= 1e-10 * (1 + TestMatrices.frob(slope)));
            // the doubly stochastic field maps the mean to V m: the mean moves as m' = V m (docs/closed-forms.md CF-16)
            double[] vm = TestMatrices.mult(head.value(), m);
            assertTrue(TestMatrices.maxAbsDiff(vm, gamma.apply(m)) <= 1e-10 * (1 + TestMatrices.norm(vm)));
        });
    }

    @Test
    void twentyThousandGaussianTokensFollowTheClosureBeforeBlowUp() {
        DMatrixRMaj q = new DMatrixRMaj(new double[][]{{0.9, 0.2}, {-0.1, 0.7}});
        DMatrixRMaj k = new DMatrixRMaj(new double[][]{{0.8, 0.1}, {0.3, 0.9}});
        DMatrixRMaj v = new DMatrixRMaj(new double[][]{{1.0, -0.2}, {0.1, 0.8}});
        AttentionHead head = AttentionHead.of(q, k, v);
        double[] m0 = {0.3, -0.2};
        DMatrixRMaj s0 = new DMatrixRMaj(new double[][]{{0.5, 0.15}, {0.15, 0.4}});
        int n = 20_000;
        ParticleMeasure tokens = GaussianMeasure.of(m0, s0).sample(n, new SplittableRandom(77));
        AttentionSchedule schedule = AttentionSchedule.constant(head);

        GaussianClosureResult blowUp = GaussianAttentionClosure.withDefaults().solve(GaussianMeasure.of(m0, s0),
                schedule, 20);
        double t = 0.3;
        assertTrue(blowUp.blewUp() && blowUp.blowUpTime() > 3 * t, "blow-up at " + blowUp.blowUpTime());

        // the closure from the sample's own moments, so that only the sampling error of the dynamics remains
        GaussianClosureResult closure = GaussianAttentionClosure.withDefaults().solve(
                GaussianMeasure.of(tokens.mean(), tokens.covariance()), schedule, t, t);
        // one RK4 step: 4 evaluations of the O(n^2 d) field (the cost of this test); its error ~ h^5/120 ~ 2e-5
        // for these O(1) rates is far below the sampling error
        ParticleMeasure x = RungeKutta4.of(t).advect(tokens, AttentionField.of(head), 0, t).measure();
        double[] mean = closure.means().get(0);
        DMatrixRMaj cov = closure.covariances().get(0);
        double trace = cov.get(0, 0) + cov.get(1, 1);
        // the empirical tilted means differ from the Gaussian ones by O(sqrt(tr S / n)) per unit time, so the
        // moments drift apart by O(t sqrt(tr S / n)) for the mean and O(t tr S / sqrt(n)) for the covariance;
        // with constants 4 and 6.7 (= 2 / t): observed 6e-4 and 2.7e-3 against the bounds 9e-3 and 1.6e-2 below
        double meanTolerance = 4 * t * Math.sqrt(trace / n);
        double covTolerance = 2 * trace / Math.sqrt(n);
        double meanError = TestMatrices.maxAbsDiff(mean, x.mean());
        double covError = TestMatrices.maxAbsDiff(cov, x.covariance());
        assertTrue(meanError < meanTolerance, "mean error " + meanError + " vs " + meanTolerance);
        assertTrue(covError < covTolerance, "covariance error " + covError + " vs " + covTolerance);
        // and the closure did move well beyond these tolerances: the test sees the dynamics, not just the start
        double covMove = TestMatrices.maxAbsDiff(cov, tokens.covariance());
        double meanMove = TestMatrices.maxAbsDiff(mean, tokens.mean());
        assertTrue(covMove > 5 * covTolerance && meanMove > 5 * meanTolerance,
                "closure moved by " + meanMove + " (mean) and " + covMove + " (covariance)");
    }

    @Test
    void rejectsBadInput() {
        AttentionSchedule schedule = AttentionSchedule.constant(AttentionHead.identity(2, 1));
        GaussianMeasure mu = GaussianMeasure.standard(3);
        Rejections.assertRejected("schedule.at(0)", () -> GaussianAttentionClosure.withDefaults().solve(mu, schedule,
                1));
        Rejections.assertRejected("t1", () -> GaussianAttentionClosure.withDefaults().solve(GaussianMeasure.standard(2),
                schedule, 0));
        Rejections.assertRejected("blowUpFactor", () -> GaussianAttentionClosure.withDefaults().withBlowUpFactor(0.5));
        Rejections.assertRejected("blowUpFactor", () -> GaussianAttentionClosure.withDefaults()
                .withBlowUpFactor(Double.POSITIVE_INFINITY));
        Rejections.assertRejected("t", () -> ScalarGaussianClosure.variance(1, 1, 1, 1, 0.6));
    }

    @Test
    void withersKeepTheOtherSettingsAndLeaveTheOriginalUnchanged() {
        GaussianAttentionClosure base = GaussianAttentionClosure.withDefaults();
        RungeKutta4 rk4 = RungeKutta4.of(0.01);
        GaussianAttentionClosure changed = base.withBlowUpFactor(100).withIntegrator(rk4);
        assertEquals(100.0, changed.blowUpFactor(), 0.0);
        assertTrue(changed.integrator() == rk4);
        assertEquals(GaussianAttentionClosure.AttentionWeights.SOFTMAX, changed.attentionWeights());
        assertEquals(1e6, base.blowUpFactor(), 0.0);
        assertTrue(base.integrator() != rk4);
        GaussianAttentionClosure sinkhorn = changed.withAttentionWeights(GaussianAttentionClosure.AttentionWeights
                .SINKHORN);
        assertTrue(sinkhorn.integrator() == rk4 && sinkhorn.blowUpFactor() == 100);
        assertEquals("GaussianAttentionClosure[attentionWeights=SINKHORN, blowUpFactor=100.0, integrator=" + rk4 + "]",
                sinkhorn.toString());
    }

    @Test
    void resultsAndRatesSummariseThemselvesInOneLine() {
        GaussianMeasure start = GaussianMeasure.of1d(0.2, 1.0);
        AttentionSchedule schedule = AttentionSchedule.constant(AttentionHead.scalar(1, 1, 1));
        GaussianClosureResult blowUp = GaussianAttentionClosure.withDefaults().solve(start, schedule, 3, 0.25);
        String text = blowUp.toString();
        assertTrue(text.startsWith("GaussianClosureResult[d=1, BLOW_UP (covariance trace exceeded 1000000.0 x its "
                + "initial value at t = "), text);
        assertTrue(text.contains(", blowUpTime=" + blowUp.blowUpTime() + ", times=[0.25], finalMean=[")
                && text.endsWith(blowUp.integration() + "]"), text);
        GaussianClosureResult done = GaussianAttentionClosure.withDefaults().solve(start, schedule, 0.25);
        assertTrue(done.toString().startsWith("GaussianClosureResult[d=1, COMPLETED (reached t = 0.25), times=[], "),
                done.toString());
        GaussianAttentionClosure.Rates rates = GaussianAttentionClosure.withDefaults().rates(Attention.of(
                AttentionHead.scalar(1, 1, 1)), new double[]{0.5}, new DMatrixRMaj(new double[][]{{2}}));
        // m' = v (1 + k q s) m = 1.5, s' = 2 v k q s^2 = 8
        assertEquals("Rates[d=1, mean=[1.5], covariance=[[8]]]", rates.toString());
    }

    @Test
    void recordedTimesAreTheIntegratorsDenseOutputAtThoseTimes() {
        // the recorded moments are the dense output of the integration to t1, at the requested times in any order;
        // a time beyond t1 is not reached, a negative one lies before the start
        GaussianMeasure start = GaussianMeasure.of1d(0.3, Math.sqrt(0.4));
        AttentionSchedule schedule = AttentionSchedule.constant(AttentionHead.scalar(0.5, 0.8, 1.1));
        GaussianClosureResult r = GaussianAttentionClosure.withDefaults().solve(start, schedule, 0.5, 0.5, -1, 0.2,
                0, 0.7);
        assertArrayEquals(new double[]{0, 0.2, 0.5}, r.times(), 0.0);
        assertEquals(start.covariance().get(0, 0), r.covariances().get(0).get(0, 0), 0.0, "the start, exactly");
        assertEquals(r.finalCovariance().get(0, 0), r.covariances().get(2).get(0, 0), 0.0);
        // rtol 1e-10 against the closed form s(t) = s0/(1 - 2vkq s0 t)
        assertEquals(ScalarGaussianClosure.variance(0.5, 0.8, 1.1, 0.4, 0.2), r.covariances().get(1).get(0, 0),
                1e-8);
    }
}
