package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Gaussian closure of a linear flow (docs/closed-forms.md CF-2): \( x' = A x + b \) maps \( \mathcal{N}(m, S) \) at time 0
 * to \( \mathcal{N}(e^{TA} m + \int_0^T e^{sA} ds\, b,\; e^{TA} S e^{TA^\top}) \) at time \( T \).
 */
class GaussianClosureTest {
    private static final DMatrixRMaj A = new DMatrixRMaj(new double[][]{
            {-0.4, 1.5, 0.3},
            {-1.2, 0.1, 0.8},
            {0.0, -0.5, -0.3}});
    private static final double[] B = {0.5, -1.0, 0.25};
    private static final double T = 1.5;
    private static final GaussianMeasure MU = GaussianMeasure.of(new double[]{1.0, -0.5, 2.0},
            new DMatrixRMaj(new double[][]{{0.5, 0.1, 0.0}, {0.1, 0.3, -0.05}, {0.0, -0.05, 0.8}}));

    @Test
    void closedFormMatchesTheMomentOdeSolvedIndependently() {
        // m' = A m + b and S' = A S + S A^T, integrated by DormandPrince54 at tolerance 1e-12 (3 + 9 unknowns).
        int d = 3;
        OdeSystem moments = OdeSystem.of(d + d * d, (t, y, dy) -> {
            for (int i = 0; i < d; i++) {
                double s = B[i];
                for (int k = 0; k < d; k++) {
                    s += A.get(i, k) * y[k];
                }
                dy[i] = s;
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += A.get(i, k) * y[d + k * d + j] + y[d + i * d + k] * A.get(j, k);
                    }
                    dy[d + i * d + j] = s;
                }
            }
        });
        double[] y = new double[d + d * d];
        System.arraycopy(MU.mean(), 0, y, 0, d);
        System.arraycopy(MU.covariance().data, 0, y, d, d * d);
        DormandPrince54.withDefaults().withRelativeTolerance(1e-12).withAbsoluteTolerance(1e-12).integrate(moments, 0, y, T);

        GaussianMeasure exact = LinearField.of(A, B).flow(MU, T);
        // Global error of DOPRI5 at tolerance 1e-12 on this smooth, mildly growing system: well below 1e-9.
        for (int i = 0; i < d; i++) {
            assertEquals(y[i], exact.mean()[i], 1e-9, "mean " + i);
            for (int j = 0; j < d; j++) {
                assertEquals(y[d + i * d + j], exact.covariance().get(i, j), 1e-9, "covariance " + i + "," + j);
            }
        }
    }

    @Test
    void rungeKuttaParticlesFollowTheGaussianClosedForm() {
        int n = 100_000;
        LinearField field = LinearField.of(A, B);
        ParticleMeasure start = MU.sample(n, new SplittableRandom(7));
        ParticleMeasure moved = RungeKutta4.of(0.01).advect(start, field, 0, T).measure();

        // 1. Without sampling noise: the flow is affine, so the particles' moments must equal the exact flow map applied
        //    to the sample's own initial moments. RK4's global error with h = 0.01 is ~ C h^4 = 1e-8 |x|: allow 1e-7.
        AffineMap map = field.flowMap(T);
        GaussianMeasure sampleGaussian = GaussianMeasure.of(start.mean(), start.covariance());
        GaussianMeasure pushedSample = sampleGaussian.pushForward(map.matrix(), map.offset());
        double[] mean = moved.mean();
        DMatrixRMaj cov = moved.covariance();
        for (int i = 0; i < 3; i++) {
            assertEquals(pushedSample.mean()[i], mean[i], 1e-7, "mean " + i);
            for (int j = 0; j < 3; j++) {
                assertEquals(pushedSample.covariance().get(i, j), cov.get(i, j), 1e-7, "covariance " + i + "," + j);
            }
        }

        // 2. Against the exact Gaussian: the sample at T is an exact sample of N(m_T, S_T), so the error is sampling
        //    error. Standard errors: mean sqrt(S_ii/n); covariance entry sqrt((S_ii S_jj + S_ij^2)/n). Allow 5 of them.
        GaussianMeasure exact = field.flow(MU, T);
        DMatrixRMaj s = exact.covariance();
        for (int i = 0; i < 3; i++) {
            assertEquals(exact.mean()[i], mean[i], 5 * Math.sqrt(s.get(i, i) / n), "mean " + i);
            for (int j = 0; j < 3; j++) {
                double se = Math.sqrt((s.get(i, i) * s.get(j, j) + s.get(i, j) * s.get(i, j)) / n);
                assertEquals(s.get(i, j), cov.get(i, j), 5 * se, "covariance " + i + "," + j);
            }
        }
    }
}
