package org.measureflow.gradientflow.snapshots;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Potential recovery on Ornstein&ndash;Uhlenbeck snapshots, \( dX = -AX\,dt + \sqrt{2D}\,dW \), \( V = x^\top A x/2 \):
 * every snapshot is the Gaussian \( \mathcal N(E m_0, E S_0 E + D A^{-1}(I - E^2)) \), \( E = e^{-At} \), sampled
 * exactly. The JKO first-order condition is that of the JKO step, not of the flow, so the estimator's large-sample
 * limit \( \theta_{\mathrm{JKO}}(\tau) \) differs from the truth by \( O(\tau) \); that limit is computed here in
 * closed form (exact Gaussian OT maps between consecutive snapshots, exact scores, and the least squares evaluated
 * exactly by sigma points, which integrate quadratics exactly) and the estimates are compared with it.
 */
class PotentialRecoveryOuTest {
    private static final double[][] A = {{1.0, 0.3}, {0.3, 0.6}};
    private static final double D = 0.25;
    private static final double[] M0 = {1.5, -1.0};
    private static final double[][] S0 = {{0.1, 0.0}, {0.0, 0.1}};
    private static final double TAU = 0.2;
    private static final int K = 6;
    /** True coefficients in the basis order x1, x2, x1^2, x1 x2, x2^2 of V = x^T A x / 2. */
    private static final double[] TRUTH = {0, 0, A[0][0] / 2, A[0][1], A[1][1] / 2};

    @Test
    void quadraticCoefficientsMatchTheJkoLimitWithinSamplingErrorThatShrinksWithN() {
        double[] limit = jkoLimit();
        // the O(tau) bias of the JKO condition: about tau |A^2 m| / 2 on the linear terms, tau |A|^2 on the quadratic
        assertTrue(maxAbsDiff(limit, TRUTH) <= TAU * 0.8, "JKO limit " + java.util.Arrays.toString(limit));
        int[] sizes = {250, 1000, 4000};
        double[] errors = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            PotentialFitResult fit = PotentialRecovery.of(PotentialBasis.polynomial(2, 2),
                    SinkhornSolver.of(0.01).withTolerance(1e-7)).withDiffusion(D)
                    .fit(series(sizes[s], new SplittableRandom(100 + s)));
            errors[s] = maxAbsDiff(fit.theta(), limit);
            // sampling: each interval's displacement carries ~ sigma sqrt(2/n) (two independent samples, sigma <= 0.7)
            // divided by tau; 3 standard errors over the 5 coefficients
            double tolerance = 3 * 0.7 * Math.sqrt(2.0 / sizes[s]) / TAU;
            assertTrue(errors[s] <= tolerance, "n=" + sizes[s] + ": " + fit + ", error " + errors[s] + " > " + tolerance);
            assertTrue(fit.converged(), fit.toString());
            System.out.println("OU n=" + sizes[s] + ": " + fit + ", max |theta - theta_JKO| = " + errors[s]
                    + " (tolerance " + tolerance + "), max |theta_JKO - truth| = " + maxAbsDiff(limit, TRUTH));
        }
        // sixteen times the sample: the error falls (by about 4, by 1 with a probability of a few per cent at most)
        assertTrue(errors[2] < errors[0], java.util.Arrays.toString(errors));
    }

    /** The snapshots at t_k = k tau, n exact Gaussian samples each. */
    static SnapshotSeries series(int n, SplittableRandom rng) {
        double[] times = new double[K];
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            times[k] = k * TAU;
            double[][] ms = moments(times[k]);
            double[] l = cholesky2(ms[1], ms[2]);
            double[][] pts = new double[n][2];
            for (int i = 0; i < n; i++) {
                double z1 = gaussian(rng);
                double z2 = gaussian(rng);
                pts[i][0] = ms[0][0] + l[0] * z1;
                pts[i][1] = ms[0][1] + l[1] * z1 + l[2] * z2;
            }
            clouds.add(ParticleMeasure.of(pts));
        }
        return SnapshotSeries.of(times, clouds);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Mean and covariance (as rows) at time t: {m, S row 0, S row 1, unused}. */
    static double[][] moments(double t) {
        DMatrixRMaj a = new DMatrixRMaj(A);
        DMatrixRMaj e = symmetricFunction(a, lambda -> Math.exp(-lambda * t));
        DMatrixRMaj s0 = new DMatrixRMaj(S0);
        DMatrixRMaj es = new DMatrixRMaj(2, 2);
        DMatrixRMaj ese = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.mult(e, s0, es);
        CommonOps_DDRM.mult(es, e, ese);
        DMatrixRMaj stat = symmetricFunction(a, lambda -> D / lambda * (1 - Math.exp(-2 * lambda * t)));
        CommonOps_DDRM.addEquals(ese, stat);
        double[] m = new double[2];
        for (int i = 0; i < 2; i++) {
            m[i] = e.get(i, 0) * M0[0] + e.get(i, 1) * M0[1];
        }
        return new double[][] {m, {ese.get(0, 0), ese.get(0, 1)}, {ese.get(1, 0), ese.get(1, 1)}, {}};
    }

    private static double[] cholesky2(double[] row0, double[] row1) {
        double l11 = Math.sqrt(row0[0]);
        double l21 = row1[0] / l11;
        return new double[] {l11, l21, Math.sqrt(row1[1] - l21 * l21)};
    }

    /** f(S) for symmetric S through its eigendecomposition. */
    static DMatrixRMaj symmetricFunction(DMatrixRMaj s, java.util.function.DoubleUnaryOperator f) {
        int n = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(s.copy())) {
            throw new AssertionError("eigendecomposition failed");
        }
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) {
            double lam = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            double norm2 = 0;
            for (int i = 0; i < n; i++) {
                norm2 += v.get(i) * v.get(i);
            }
            double fl = f.applyAsDouble(lam) / norm2;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out.add(i, j, fl * v.get(i) * v.get(j));
                }
            }
        }
        return out;
    }

    /**
     * The large-sample, zero-epsilon limit of the fit: least squares of grad V_theta(y) against
     * (T(y) - y) / tau + D S'^{-1}(y - m') over y ~ N(m', S'), T the exact OT map N(m', S') -> N(m, S), summed over the
     * intervals; the expectations of these quadratics in y are exact at the 2d sigma points m' +- sqrt(d) L' e_i.
     */
    static double[] jkoLimit() {
        DMatrixRMaj normal = new DMatrixRMaj(5, 5);
        DMatrixRMaj rhs = new DMatrixRMaj(5, 1);
        for (int k = 0; k + 1 < K; k++) {
            double[][] from = moments(k * TAU);
            double[][] to = moments((k + 1) * TAU);
            DMatrixRMaj s = new DMatrixRMaj(new double[][] {from[1], from[2]});
            DMatrixRMaj sp = new DMatrixRMaj(new double[][] {to[1], to[2]});
            DMatrixRMaj spHalf = symmetricFunction(sp, Math::sqrt);
            DMatrixRMaj spInvHalf = symmetricFunction(sp, x -> 1 / Math.sqrt(x));
            DMatrixRMaj spInv = symmetricFunction(sp, x -> 1 / x);
            DMatrixRMaj mid = new DMatrixRMaj(2, 2);
            DMatrixRMaj tmp = new DMatrixRMaj(2, 2);
            CommonOps_DDRM.mult(spHalf, s, tmp);
            CommonOps_DDRM.mult(tmp, spHalf, mid);
            DMatrixRMaj midHalf = symmetricFunction(mid, Math::sqrt);
            DMatrixRMaj map = new DMatrixRMaj(2, 2);
            CommonOps_DDRM.mult(spInvHalf, midHalf, tmp);
            CommonOps_DDRM.mult(tmp, spInvHalf, map);
            double[] l = cholesky2(to[1], to[2]);
            double root = Math.sqrt(2);
            double[][] sigma = {
                    {to[0][0] + root * l[0], to[0][1] + root * l[1]}, {to[0][0] - root * l[0], to[0][1] - root * l[1]},
                    {to[0][0], to[0][1] + root * l[2]}, {to[0][0], to[0][1] - root * l[2]}};
            for (double[] y : sigma) {
                double[] dy = {y[0] - to[0][0], y[1] - to[0][1]};
                double[] target = new double[2];
                for (int i = 0; i < 2; i++) {
                    double ti = from[0][i] + map.get(i, 0) * dy[0] + map.get(i, 1) * dy[1];
                    target[i] = (ti - y[i]) / TAU + D * (spInv.get(i, 0) * dy[0] + spInv.get(i, 1) * dy[1]);
                }
                double[][] g = {{1, 0, 2 * y[0], y[1], 0}, {0, 1, 0, y[0], 2 * y[1]}};
                for (int a = 0; a < 2; a++) {
                    for (int u = 0; u < 5; u++) {
                        rhs.add(u, 0, g[a][u] * target[a]);
                        for (int v = 0; v < 5; v++) {
                            normal.add(u, v, g[a][u] * g[a][v]);
                        }
                    }
                }
            }
        }
        DMatrixRMaj theta = new DMatrixRMaj(5, 1);
        assertTrue(CommonOps_DDRM.solve(normal, rhs, theta));
        return theta.getData().clone();
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
