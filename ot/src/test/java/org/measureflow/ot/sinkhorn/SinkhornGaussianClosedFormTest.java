package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.gaussian.EntropicGaussianOt;

/**
 * Sinkhorn on samples of two Gaussians against the closed form of entropic OT between Gaussians (docs/closed-forms.md CF-14):
 * the empirical problem converges to the population one at the parametric rate, so the tolerance is a multiple of
 * the sampling standard deviation.
 */
class SinkhornGaussianClosedFormTest {
    private static final int N = 20_000;
    private static final double EPS = 1.0;

    @Test
    void sinkhornOnTwentyThousandSamplesApproachesTheEntropicGaussianClosedForm() {
        GaussianMeasure alpha = GaussianMeasure.standard(2);
        GaussianMeasure beta = GaussianMeasure.of(new double[]{1, 1}, new DMatrixRMaj(new double[][]{{2, 0}, {0, 0.5}}));
        ParticleMeasure x = alpha.sample(N, new SplittableRandom(11));
        ParticleMeasure y = beta.sample(N, new SplittableRandom(12));
        double tolerance = 1e-4;
        SinkhornResult r = SinkhornSolver.of(EPS).withTolerance(tolerance).solve(x, y);
        assertTrue(r.converged(), "converged, marginal error " + r.error());

        // CLT for empirical entropic OT (Mena & Niles-Weed 2019; del Barrio et al. 2023): with n samples on each side,
        // sqrt(n) (OT_eps(a_n, b_n) - OT_eps(a, b)) -> N(0, Var_a f + Var_b g), f and g the optimal potentials;
        // estimate the variances from the computed potentials. The bias is O(1/n) (~1e-4 here), far below 5 sigma.
        double sigma = Math.sqrt((variance(r.f()) + variance(r.g())) / N);
        // The objective of an iterate with L1 marginal error e differs from the optimum by at most e * (range f + range g).
        double optimisation = r.error() * (range(r.f()) + range(r.g()));
        double exact = EntropicGaussianOt.objective(alpha, beta, EPS);
        assertEquals(exact, r.objective(), 5 * sigma + optimisation + 1.0 / N,
                "OT_eps: sigma = " + sigma + ", exact = " + exact);

        // The plan's cross-covariance E_P[(X - m_a)(Y - m_b)^T], from the barycentric map T(x_i) = E_P[Y | x_i], against
        // the closed-form K. Entry (k, l) is a mean of n products; its standard error is at most
        // sqrt((S_a,kk S_b,ll + K_kl^2) / n), as for an empirical covariance of n independent pairs.
        DMatrixRMaj k = EntropicGaussianOt.crossCovariance(alpha, beta, EPS);
        double[] t = r.plan().barycentricMap();
        double[] mx = x.mean();
        double[] my = y.mean();
        DMatrixRMaj sa = alpha.covariance();
        DMatrixRMaj sb = beta.covariance();
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double s = 0;
                for (int i = 0; i < N; i++) {
                    s += (x.coordinate(i, a) - mx[a]) * (t[2 * i + b] - my[b]);
                }
                s /= N;
                double se = Math.sqrt((sa.get(a, a) * sb.get(b, b) + k.get(a, b) * k.get(a, b)) / N);
                assertEquals(k.get(a, b), s, 5 * se, "cross-covariance (" + a + "," + b + ")");
            }
        }
    }

    private static double variance(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / v.length;
    }

    private static double range(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }
}
