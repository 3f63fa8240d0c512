package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.maxAbsDiff;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.testing.TestMatrices.transpose;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.Euler;
import org.measureflow.core.ode.Heun;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.flowmatching.field.GaussianFlowMatchingField;
import org.measureflow.flowmatching.interpolant.VariancePreservingInterpolant;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.flowmatching.sampling.SampleResult;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.TestMatrices;

class GaussianFlowMatchingFieldTest {
    private static final GaussianMeasure GOLDEN_SOURCE = GaussianMeasure.of(new double[]{0, 0},
            TestMatrices.diag(1, 2));
    private static final GaussianMeasure GOLDEN_TARGET = GaussianMeasure.of(new double[]{1, 0},
            TestMatrices.of(new double[][]{{2, 0.5}, {0.5, 1}}));

    private static GaussianMeasure randomGaussian(SplittableRandom rng, int d) {
        return GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d, 10, 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void covarianceAndMatrixSatisfyTheClosedForm(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(4);
            GaussianMeasure mu0 = randomGaussian(rng, d);
            GaussianMeasure mu1 = randomGaussian(rng, d);
            GaussianFlowMatchingField field = GaussianFlowMatchingField.of(mu0, mu1);
            double t = rng.nextDouble();
            DMatrixRMaj s0 = mu0.covariance();
            DMatrixRMaj s1 = mu1.covariance();
            DMatrixRMaj expected = TestMatrices.plus(TestMatrices.scaled((1 - t) * (1 - t), s0), t * t, s1);
            DMatrixRMaj st = field.covarianceAt(t);
            assertTrue(maxAbsDiff(expected, st) <= 1e-14 * TestMatrices.frob(expected), "S_t");
            // A_t S_t + S_t A_t^T = dS_t/dt = -2(1-t) S0 + 2t S1 (round-off of one solve, condition <= 100).
            DMatrixRMaj a = field.matrixAt(t);
            DMatrixRMaj as = mult(a, st);
            DMatrixRMaj lhs = TestMatrices.plus(as, 1, transpose(as));
            DMatrixRMaj rhs = TestMatrices.plus(TestMatrices.scaled(-2 * (1 - t), s0), 2 * t, s1);
            assertTrue(maxAbsDiff(lhs, rhs) <= 1e-11 * (1 + TestMatrices.frob(rhs)),
                    "A S + S A^T - dS/dt = " + maxAbsDiff(lhs, rhs));
            double[] mt = field.meanAt(t);
            for (int i = 0; i < d; i++) {
                assertEquals((1 - t) * mu0.mean()[i] + t * mu1.mean()[i], mt[i], 1e-14 * (1 + Math.abs(mt[i])));
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void variancePreservingFieldSatisfiesTheLyapunovIdentity(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            VariancePreservingInterpolant vp = VariancePreservingInterpolant.withDefaults();
            GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GaussianMeasure.standard(d),
                    randomGaussian(rng, d), vp);
            double t = 0.05 + 0.9 * rng.nextDouble();
            double h = 1e-6;
            DMatrixRMaj ds = TestMatrices.scaled(1 / (2 * h),
                    TestMatrices.plus(field.covarianceAt(t + h), -1, field.covarianceAt(t - h)));
            DMatrixRMaj as = mult(field.matrixAt(t), field.covarianceAt(t));
            DMatrixRMaj lhs = TestMatrices.plus(as, 1, transpose(as));
            // central difference error h^2 |S'''| ~ 1e-12 * 20^3, plus round-off 1e-16 / h.
            assertTrue(maxAbsDiff(lhs, ds) <= 1e-7 * (1 + TestMatrices.frob(ds)), "A S + S A^T vs dS/dt");
        });
    }

    @Test
    void fiftyThousandParticlesReachTheTargetMeanAndCovariance() {
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GOLDEN_SOURCE, GOLDEN_TARGET);
        int n = 50_000;
        ParticleMeasure x0 = GOLDEN_SOURCE.sample(n, new SplittableRandom(11));
        SampleResult result = FlowSampler.sample(field, x0, RungeKutta4.of(0.05));
        assertEquals(20 * 4, result.fieldEvaluations());
        double[] mean = result.samples().mean();
        DMatrixRMaj cov = result.samples().covariance();
        DMatrixRMaj s1 = GOLDEN_TARGET.covariance();
        // 5 standard errors of the sample mean and covariance (sd of S_ij-hat = sqrt((S_ii S_jj + S_ij^2)/n));
        // the RK4 error at h = 0.05 (about 1e-7) is far below.
        for (int i = 0; i < 2; i++) {
            assertEquals(GOLDEN_TARGET.mean()[i], mean[i], 5 * Math.sqrt(s1.get(i, i) / n), "mean " + i);
            for (int j = 0; j < 2; j++) {
                double sd = Math.sqrt((s1.get(i, i) * s1.get(j, j) + s1.get(i, j) * s1.get(i, j)) / n);
                assertEquals(s1.get(i, j), cov.get(i, j), 5 * sd, "covariance " + i + j);
            }
        }
        // The particles follow the exact affine flow map, up to the integrator.
        AffineMap exact = field.flowMap(1);
        ParticleMeasure mapped = x0.pushForward(exact);
        assertTrue(TestMatrices.maxAbsDiff(mapped.flatPoints(), result.samples().flatPoints()) < 1e-5);
    }

    @Test
    void flowMapMatchesTheGoldenValuesAndDiffersFromTheBuresMap() {
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GOLDEN_SOURCE, GOLDEN_TARGET);
        DMatrixRMaj fm = field.flowMap(1).matrix();
        DMatrixRMaj ot = BuresWasserstein.mongeMap(GOLDEN_SOURCE, GOLDEN_TARGET).matrix();
        // Golden values of docs/closed-forms.md CF-8, printed to 8-9 significant digits.
        DMatrixRMaj goldenFm = TestMatrices.of(new double[][]{{1.40406599, 0.11957988}, {0.23915976, 0.68658671}});
        DMatrixRMaj goldenOt = TestMatrices.of(new double[][]{{1.3911917, 0.17970205}, {0.17970205, 0.69559585}});
        assertTrue(maxAbsDiff(goldenFm, fm) < 1e-8, "T_FM(1) = " + fm);
        assertTrue(maxAbsDiff(goldenOt, ot) < 1e-7, "T_OT = " + ot);
        assertTrue(maxAbsDiff(fm, ot) > 0.05, "the flow-matching map is not the OT map");
        // Non-commuting covariances: A_t is not symmetric (v is not a gradient field).
        DMatrixRMaj a = field.matrixAt(0.5);
        assertTrue(Math.abs(a.get(0, 1) - a.get(1, 0)) > 1e-2, "A_t asymmetry " + (a.get(0, 1) - a.get(1, 0)));
        // The map pushes N(m0, S0) to N(m1, S1) exactly.
        GaussianMeasure pushed = field.flowMap(1).pushForward(GOLDEN_SOURCE);
        assertTrue(maxAbsDiff(pushed.covariance(), GOLDEN_TARGET.covariance()) < 1e-13);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void commutingCovariancesGiveASymmetricFieldAndTheBuresMap(long seed) {
        Property.check(seed, rng -> {
            int d = 2 + rng.nextInt(3);
            DMatrixRMaj q = RandomInputs.orthogonal(rng, d);
            double[] l0 = new double[d];
            double[] l1 = new double[d];
            for (int i = 0; i < d; i++) {
                l0[i] = 0.2 + 3 * rng.nextDouble();
                l1[i] = 0.2 + 3 * rng.nextDouble();
            }
            DMatrixRMaj s0 = mult(mult(q, TestMatrices.diag(l0)), transpose(q));
            DMatrixRMaj s1 = mult(mult(q, TestMatrices.diag(l1)), transpose(q));
            GaussianMeasure mu0 = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), s0);
            GaussianMeasure mu1 = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), s1);
            GaussianFlowMatchingField field = GaussianFlowMatchingField.of(mu0, mu1);
            DMatrixRMaj a = field.matrixAt(rng.nextDouble());
            assertTrue(maxAbsDiff(a, transpose(a)) < 1e-12, "A_t symmetric");
            AffineMap fm = field.flowMap(1);
            AffineMap ot = BuresWasserstein.mongeMap(mu0, mu1);
            assertTrue(maxAbsDiff(fm.matrix(), ot.matrix()) < 1e-8, "maps agree: " + maxAbsDiff(fm.matrix(),
                    ot.matrix()));
            assertTrue(TestMatrices.maxAbsDiff(fm.offset(), ot.offset()) < 1e-8, "offsets agree");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void flowMapsCompose(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            GaussianFlowMatchingField field = GaussianFlowMatchingField.of(randomGaussian(rng, d),
                    randomGaussian(rng, d));
            double s = rng.nextDouble();
            double t = rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] direct = field.flowMap(t).apply(x);
            double[] twoStep = field.flowMap(s, t).apply(field.flowMap(s).apply(x));
            assertTrue(TestMatrices.maxAbsDiff(direct, twoStep) < 1e-11 * (1 + TestMatrices.norm(direct)));
        });
    }

    /** Maximum error at t = 1 of the integrated flow of the basis vectors and the origin against T_FM(1). */
    private static double flowError(GaussianFlowMatchingField field, OdeIntegrator integrator) {
        int d = field.dimension();
        double[] y = new double[(d + 1) * d];
        for (int i = 0; i < d; i++) {
            y[(i + 1) * d + i] = 1;
        }
        double[] start = y.clone();
        OdeSystem system = field.onParticles().system(d + 1, d, null);
        integrator.integrate(system, 0, y, 1);
        AffineMap exact = field.flowMap(1);
        double err = 0;
        double[] p = new double[d];
        for (int i = 0; i <= d; i++) {
            System.arraycopy(start, i * d, p, 0, d);
            double[] e = exact.apply(p);
            for (int c = 0; c < d; c++) {
                err = Math.max(err, Math.abs(e[c] - y[i * d + c]));
            }
        }
        return err;
    }

    @Test
    void integratorsConvergeToTheClosedFormFlowMapAtTheirOrder() {
        GaussianFlowMatchingField field = GaussianFlowMatchingField.of(GOLDEN_SOURCE, GOLDEN_TARGET);
        double[][] orders = {{1, 0}, {2, 0}, {4, 0}};
        double[] coarse = {1.0 / 20, 1.0 / 20, 1.0 / 10};
        for (int m = 0; m < 3; m++) {
            double h = coarse[m];
            double e1 = flowError(field, integrator(m, h));
            double e2 = flowError(field, integrator(m, h / 2));
            double e3 = flowError(field, integrator(m, h / 4));
            double p12 = Math.log(e1 / e2) / Math.log(2);
            double p23 = Math.log(e2 / e3) / Math.log(2);
            // Observed order log2(e(h)/e(h/2)) tends to the method's order p; asymptotic range checked at +-0.25.
            assertEquals(orders[m][0], p23, 0.25, "order of method " + m + " (" + p12 + ", " + p23 + ")");
            assertTrue(e3 < e2 && e2 < e1, "errors decrease");
        }
    }

    private static OdeIntegrator integrator(int m, double h) {
        return switch (m) {
            case 0 -> Euler.of(h);
            case 1 -> Heun.of(h);
            default -> RungeKutta4.of(h);
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void scoreAndDivergenceAreThoseOfTheMarginal(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            GaussianFlowMatchingField field = GaussianFlowMatchingField.of(randomGaussian(rng, d),
                    randomGaussian(rng, d));
            double t = rng.nextDouble();
            double[] x = RandomInputs.gaussianVector(rng, d);
            double[] score = new double[d];
            field.score(t, x, 0, score, 0);
            double[] expected = new double[d];
            field.marginal(t).score(x, expected);
            assertTrue(TestMatrices.maxAbsDiff(expected, score) < 1e-10 * (1 + TestMatrices.norm(expected)));
            DMatrixRMaj a = field.matrixAt(t);
            double trace = 0;
            for (int i = 0; i < d; i++) {
                trace += a.get(i, i);
            }
            assertEquals(trace, field.divergence(t, x, 0), 1e-14 * (1 + Math.abs(trace)));
        });
    }
}
