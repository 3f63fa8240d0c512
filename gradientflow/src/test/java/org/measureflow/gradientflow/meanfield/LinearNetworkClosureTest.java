package org.measureflow.gradientflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.gradientflow.particles.ParticleGradientFlow;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.TestMatrices;

class LinearNetworkClosureTest {
    private static LinearNetworkClosure randomProblem(java.util.random.RandomGenerator rng, int d, int dOut) {
        DMatrixRMaj s = RandomInputs.spd(rng, d, 4, 1);
        DMatrixRMaj r = RandomInputs.gaussianMatrix(rng, dOut, d);
        return LinearNetworkClosure.of(s, r, 1 + rng.nextDouble());
    }

    @Test
    void fourThousandParticlesFollowTheMomentOdeExactly() {
        SplittableRandom rng = new SplittableRandom(2);
        int d = 3;
        int dOut = 2;
        LinearNetworkClosure closure = randomProblem(rng, d, dOut);
        // A non-Gaussian initial law: uniform on a box, with a shifted coordinate.
        int n = 4000;
        double[] x = new double[n * (d + dOut)];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.8 * (rng.nextDouble() - 0.3);
        }
        ParticleMeasure neurons = ParticleMeasure.fromFlat(x, d + dOut);
        DMatrixRMaj gamma0 = closure.secondMoment(neurons);
        double[] times = {0.5, 1, 2, 4};
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(times);
        OdeIntegrator tight = DormandPrince54.withDefaults().withRelativeTolerance(1e-12).withAbsoluteTolerance(1e-12);
        ParticleGradientFlow.flow(neurons, closure.particleEnergy(), tight, 0, 4, recorder);
        for (int k = 0; k < times.length; k++) {
            DMatrixRMaj fromParticles = closure.secondMoment(neurons.withFlatPoints(recorder.state(k)));
            DMatrixRMaj fromOde = closure.solveMoments(gamma0, times[k], tight);
            // The closure is exact (not statistical): both sides solve the same ODE, to the integrators'
            // tolerance 1e-12 plus the dense output's interpolation error, far below 1e-8.
            double err = TestMatrices.maxAbsDiff(fromParticles, fromOde);
            assertTrue(err < 1e-8 * (1 + TestMatrices.frob(fromOde)), "t = " + times[k] + ": " + err);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void determinantAndTraceDifferenceAreConserved(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            int dOut = 1 + rng.nextInt(2);
            LinearNetworkClosure closure = randomProblem(rng, d, dOut);
            DMatrixRMaj gamma0 = RandomInputs.spd(rng, d + dOut, 5, 0.3);
            DMatrixRMaj gamma = closure.solveMoments(gamma0, 3, DormandPrince54.withDefaults().withRelativeTolerance(1e-11).withAbsoluteTolerance(1e-12));
            double det0 = CommonOps_DDRM.det(gamma0);
            // det Gamma' = -2 tr(M) det Gamma = 0, and tr Gamma_uu' - tr Gamma_vv' = -2 tr(H^T Q) + 2 tr(H Q^T) = 0.
            assertEquals(det0, CommonOps_DDRM.det(gamma), 1e-8 * Math.abs(det0) + 1e-12);
            assertEquals(traceDifference(gamma0, d), traceDifference(gamma, d), 1e-8);
            // The risk does not increase along its gradient flow.
            assertTrue(closure.risk(closure.predictor(gamma)) <= closure.risk(closure.predictor(gamma0)) + 1e-12);
        });
    }

    private static double traceDifference(DMatrixRMaj gamma, int d) {
        double s = 0;
        for (int i = 0; i < gamma.numRows; i++) {
            s += (i < d ? 1 : -1) * gamma.get(i, i);
        }
        return s;
    }

    @Test
    void scalarCaseFollowsTheLogistic() {
        double r = 1.5;
        double q0 = 0.01;
        LinearNetworkClosure closure = LinearNetworkClosure.of(TestMatrices.diag(1), TestMatrices.diag(r), r * r);
        // u = v almost surely: Gamma = q0 [[1, 1], [1, 1]].
        DMatrixRMaj gamma0 = TestMatrices.of(new double[][]{{q0, q0}, {q0, q0}});
        for (double t : new double[]{0.5, 1, 2, 5}) {
            DMatrixRMaj gamma = closure.solveMoments(gamma0, t, DormandPrince54.withDefaults().withRelativeTolerance(1e-12).withAbsoluteTolerance(1e-14));
            double e = Math.exp(2 * r * t);
            double exact = r * q0 * e / (r - q0 + q0 * e);
            assertEquals(exact, gamma.get(1, 0), 1e-9 * exact, "q at t = " + t);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void gaussianLawFlowsConsistentlyWithItsRawMoment(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(2);
            int dOut = 1 + rng.nextInt(2);
            LinearNetworkClosure closure = randomProblem(rng, d, dOut);
            GaussianMeasure g0 = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d + dOut),
                    RandomInputs.spd(rng, d + dOut, 4, 0.3));
            GaussianMeasure g1 = closure.gaussianFlow(g0, 1.5, RungeKutta4.of(1e-3));
            DMatrixRMaj gamma0 = g0.covariance().copy();
            DMatrixRMaj m0 = DMatrixRMaj.wrap(d + dOut, 1, g0.mean());
            CommonOps_DDRM.multAddTransB(m0, m0, gamma0);
            DMatrixRMaj gamma1 = closure.solveMoments(gamma0, 1.5, RungeKutta4.of(1e-3));
            DMatrixRMaj fromGaussian = g1.covariance().copy();
            DMatrixRMaj m1 = DMatrixRMaj.wrap(d + dOut, 1, g1.mean());
            CommonOps_DDRM.multAddTransB(m1, m1, fromGaussian);
            // Sigma + mu mu^T solves the raw-moment ODE: agreement to RK4's error at h = 1e-3 (~1e-12) and round-off.
            assertTrue(TestMatrices.maxAbsDiff(gamma1, fromGaussian) < 1e-9 * (1 + TestMatrices.frob(gamma1)));
        });
    }

    @Test
    void badInputIsRejected() {
        assertRejected("inputMoment", () -> LinearNetworkClosure.of(TestMatrices.diag(1, -1), TestMatrices.diag(1, 1),
                0));
        assertRejected("crossMoment", () -> LinearNetworkClosure.of(TestMatrices.diag(1, 1), TestMatrices.diag(1),
                0));
        assertRejected("targetSecondMoment", () -> LinearNetworkClosure.of(TestMatrices.diag(1), TestMatrices.diag(1),
                -1));
    }
}
