package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.measureflow.core.field.VectorField;

/**
 * {@link EulerMaruyama} on the Ornstein&ndash;Uhlenbeck process \( dX = -B X\,dt + \sqrt 2\,dW \) in 2-D with a
 * non-symmetric stable \( B \): the empirical covariance of many particles matches the stationary covariance
 * \( S \), \( B S + S B^\top = 2 I \), within sampling error plus the scheme's \( O(h) \) bias.
 */
class EulerMaruyamaTest {
    /** Non-symmetric, eigenvalues 1.25 +- 0.5i (real parts > 0): the drift -Bx is stable. */
    private static final double[][] B = {{1.0, 1.0}, {-0.5, 1.5}};
    private static final int PARTICLES = 20_000;
    private static final double STEP = 0.01;
    /** Transient of the covariance from X_0 = 0 decays like e^{-2 Re(lambda) T} = e^{-20}: negligible. */
    private static final double T = 8.0;

    private static OdeSystem drift(int particles) {
        VectorField field = (t, x, xo, out, oo) -> {
            double a = x[xo];
            double b = x[xo + 1];
            out[oo] = -(B[0][0] * a + B[0][1] * b);
            out[oo + 1] = -(B[1][0] * a + B[1][1] * b);
        };
        return field.onParticles().system(particles, 2, null);
    }

    /**
     * The symmetric 2x2 solution (s11, s12, s22) of \( L(S) = R \) for a linear operator \( L \) on symmetric
     * matrices, by building its 3x3 matrix on the basis E11, E12 + E21, E22 and solving with EJML.
     */
    private static double[] solveSymmetric(java.util.function.UnaryOperator<double[][]> operator, double[][] rhs) {
        double[][][] basis = {{{1, 0}, {0, 0}}, {{0, 1}, {1, 0}}, {{0, 0}, {0, 1}}};
        DMatrixRMaj matrix = new DMatrixRMaj(3, 3);
        for (int c = 0; c < 3; c++) {
            double[][] image = operator.apply(basis[c]);
            matrix.set(0, c, image[0][0]);
            matrix.set(1, c, image[0][1]);
            matrix.set(2, c, image[1][1]);
        }
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{rhs[0][0]}, {rhs[0][1]}, {rhs[1][1]}});
        DMatrixRMaj x = new DMatrixRMaj(3, 1);
        assertTrue(CommonOps_DDRM.solve(matrix, b, x), "Lyapunov system is regular");
        return x.data.clone();
    }

    private static double[][] product(double[][] a, double[][] b) {
        return ReferenceSolutions.multiply(a, b);
    }

    private static double[][] transpose(double[][] a) {
        return new double[][] {{a[0][0], a[1][0]}, {a[0][1], a[1][1]}};
    }

    /** Stationary covariance of the SDE: \( B S + S B^\top = 2 I \). */
    private static double[] stationary() {
        return solveSymmetric(s -> {
            double[][] l = product(B, s);
            double[][] r = product(s, transpose(B));
            return new double[][] {{l[0][0] + r[0][0], l[0][1] + r[0][1]}, {l[1][0] + r[1][0], l[1][1] + r[1][1]}};
        }, new double[][] {{2, 0}, {0, 2}});
    }

    /**
     * Stationary covariance of the Euler&ndash;Maruyama chain \( X' = M X + \sqrt{2h}\,\xi \), \( M = I - hB \):
     * \( S_h - M S_h M^\top = 2h I \). Its difference from \( S \) is the scheme's exact \( O(h) \) bias.
     */
    private static double[] stationaryOfTheScheme(double h) {
        double[][] m = {{1 - h * B[0][0], -h * B[0][1]}, {-h * B[1][0], 1 - h * B[1][1]}};
        return solveSymmetric(s -> {
            double[][] msm = product(product(m, s), transpose(m));
            return new double[][] {{s[0][0] - msm[0][0], s[0][1] - msm[0][1]}, {s[1][0] - msm[1][0],
                    s[1][1] - msm[1][1]}};
        }, new double[][] {{2 * h, 0}, {0, 2 * h}});
    }

    private static double[] simulate(long seed) {
        double[] x = new double[2 * PARTICLES];
        IntegrationResult result = EulerMaruyama.of(STEP).integrate(drift(PARTICLES), Diffusion.scalar(Math.sqrt(2)),
                0, x, T, new SplittableRandom(seed));
        assertEquals(Math.round(T / STEP), result.steps());
        assertEquals(result.steps(), result.evaluations(), "one drift evaluation per step");
        return x;
    }

    @Test
    void stationaryCovarianceSolvesTheLyapunovEquation() {
        // Checks the test's own reference: S is symmetric positive definite and B S + S B^T = 2 I.
        double[] s = stationary();
        double[][] sm = {{s[0], s[1]}, {s[1], s[2]}};
        double[][] lhs = product(B, sm);
        double[][] rhs = product(sm, transpose(B));
        assertEquals(2, lhs[0][0] + rhs[0][0], 1e-12);
        assertEquals(0, lhs[0][1] + rhs[0][1], 1e-12);
        assertEquals(0, lhs[1][0] + rhs[1][0], 1e-12);
        assertEquals(2, lhs[1][1] + rhs[1][1], 1e-12);
        assertTrue(s[0] > 0 && s[0] * s[2] > s[1] * s[1]);
    }

    @Test
    void particleCovarianceReachesTheStationaryCovariance() {
        double[] x = simulate(20260101L);
        double c11 = 0;
        double c12 = 0;
        double c22 = 0;
        for (int p = 0; p < PARTICLES; p++) {
            double a = x[2 * p];
            double b = x[2 * p + 1];
            c11 += a * a;
            c12 += a * b;
            c22 += b * b;
        }
        // The mean is exactly 0 (linear drift, centred noise, X_0 = 0), so the second moment is the covariance.
        double[] empirical = {c11 / PARTICLES, c12 / PARTICLES, c22 / PARTICLES};
        double[] s = stationary();
        double[] sh = stationaryOfTheScheme(STEP);
        double[] sd = {
                Math.sqrt(2 * s[0] * s[0] / PARTICLES),
                Math.sqrt((s[0] * s[2] + s[1] * s[1]) / PARTICLES),
                Math.sqrt(2 * s[2] * s[2] / PARTICLES)};
        for (int k = 0; k < 3; k++) {
            // Sampling: for n Gaussian samples Var(S_hat_ij) = (S_ii S_jj + S_ij^2)/n, so 5 sd (P < 1e-6 per
            // entry); bias: the scheme's stationary S_h differs from S by O(h), computed exactly above.
            double bias = Math.abs(sh[k] - s[k]);
            assertTrue(bias < 0.02 * Math.abs(s[0] + s[2]), "the O(h) bias is small at h = " + STEP);
            assertEquals(s[k], empirical[k], bias + 5 * sd[k], "entry " + k + ": S = " + Arrays.toString(s)
                    + ", S_h = " + Arrays.toString(sh) + ", empirical = " + Arrays.toString(empirical));
            assertEquals(sh[k], empirical[k], 5 * sd[k], "entry " + k + " against the scheme's own stationary law");
        }
    }

    @Test
    void sameSeedGivesBitIdenticalPathsAndAnotherSeedDoesNot() {
        double[] first = simulateShort(7L);
        double[] second = simulateShort(7L);
        assertArrayEquals(first, second, "same seed, same bits (40,000 coordinates: the parallel update path)");
        assertFalse(Arrays.equals(first, simulateShort(8L)));
    }

    private static double[] simulateShort(long seed) {
        double[] x = new double[2 * PARTICLES];
        Arrays.fill(x, 0.5);
        EulerMaruyama.of(0.05).integrate(drift(PARTICLES), Diffusion.scalar(Math.sqrt(2)), 0, x, 1.0,
                new SplittableRandom(seed));
        return x;
    }

    @Test
    void withoutNoiseItIsTheEulerMethod() {
        OdeSystem system = drift(3);
        double[] y0 = {1, -2, 0.5, 0.25, -1, 3};
        double[] em = y0.clone();
        double[] euler = y0.clone();
        EulerMaruyama.of(0.1).integrate(system, Diffusion.none(), 0, em, 1, new SplittableRandom(1));
        Euler.of(0.1).integrate(system, 0, euler, 1);
        assertArrayEquals(euler, em, "the same update y + h b(t, y), bit for bit");
    }

    @Test
    void brownianMotionHasVarianceGrowingLinearly() {
        // dX = dW exactly: X_t ~ N(0, t) whatever the step, so the sample variance is t within sampling error.
        int n = 50_000;
        double[] x = new double[n];
        OdeSystem zero = OdeSystem.of(n, (t, y, dydt) -> Arrays.fill(dydt, 0));
        EulerMaruyama.of(0.25).integrate(zero, Diffusion.scalar(1), 0, x, 2, new SplittableRandom(99));
        double variance = 0;
        for (double v : x) {
            variance += v * v;
        }
        variance /= n;
        assertEquals(2.0, variance, 5 * 2.0 * Math.sqrt(2.0 / n), "Var = t = 2, sd of the estimate t sqrt(2/n)");
    }

    @Test
    void denseOutputIsTheLinearInterpolant() {
        double[] x = {0, 0};
        double[] mid = new double[2];
        double[][] ends = new double[2][];
        EulerMaruyama.of(0.5).integrate(drift(1), Diffusion.scalar(1), 0, x, 0.5, new SplittableRandom(3),
                step -> {
                    step.interpolate(0.125, mid);
                    ends[1] = step.state().clone();
                    return true;
                });
        // start is 0, so the value at a quarter of the step is a quarter of the end value
        assertEquals(0.25 * ends[1][0], mid[0], 1e-15);
        assertEquals(0.25 * ends[1][1], mid[1], 1e-15);
    }
}
