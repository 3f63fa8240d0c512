package org.measureflow.gradientflow.snapshots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** Bad input to the potential recovery, and the basis against hand-computed values. */
class PotentialRecoveryArgumentsTest {
    private static final SinkhornSolver SOLVER = SinkhornSolver.of(0.05);

    private static SnapshotSeries smallSeries(int d) {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] a = new double[20][d];
        double[][] b = new double[20][d];
        for (int i = 0; i < 20; i++) {
            for (int k = 0; k < d; k++) {
                a[i][k] = rng.nextDouble();
                b[i][k] = 0.9 * rng.nextDouble();
            }
        }
        return SnapshotSeries.of(new double[] {0, 0.5}, List.of(ParticleMeasure.of(a), ParticleMeasure.of(b)));
    }

    @Test
    void badArgumentsAreRejectedByName() {
        PotentialBasis basis = PotentialBasis.polynomial(2, 2);
        assertRejected("basis", () -> PotentialRecovery.of(null, SOLVER));
        assertRejected("sinkhorn", () -> PotentialRecovery.of(basis, null));
        PotentialRecovery r = PotentialRecovery.of(basis, SOLVER);
        assertRejected("diffusion", () -> r.withDiffusion(-1));
        assertRejected("diffusion", () -> r.withDiffusion(Double.NaN));
        assertRejected("diffusion", () -> r.withDiffusion(Double.POSITIVE_INFINITY));
        assertRejected("series", () -> r.fit(null));
        assertRejected("series (dimension)", () -> r.fit(smallSeries(3)));
        assertRejected("observer", () -> r.fit(smallSeries(2), null));
        double[][] same = {{1, 1}, {1, 1}, {1, 1}};
        assertRejected("series", () -> r.fit(SnapshotSeries.of(new double[] {0, 1},
                List.of(ParticleMeasure.of(same), ParticleMeasure.of(same)))));

        assertRejected("d", () -> PotentialBasis.polynomial(0, 2));
        assertRejected("degree", () -> PotentialBasis.polynomial(2, 0));
        assertRejected("degree", () -> PotentialBasis.polynomial(1000, 4));
        assertRejected("centres", () -> PotentialBasis.radial(new double[0][], 1));
        assertRejected("centres", () -> PotentialBasis.radial(null, 1));
        assertRejected("centres[1] (dimension)", () -> PotentialBasis.radial(new double[][] {{0, 0}, {1}}, 1));
        assertRejected("centres[0]", () -> PotentialBasis.radial(new double[][] {{0, Double.NaN}}, 1));
        assertRejected("width", () -> PotentialBasis.radial(new double[][] {{0, 0}}, 0));
        assertRejected("theta", () -> basis.potential(new double[3]));
        assertRejected("x", () -> basis.values(new double[1], 0, new double[5], 0));

        PotentialFitResult fit = r.fit(smallSeries(2));
        ParticleMeasure start = smallSeries(2).snapshot(0);
        EulerMaruyama em = EulerMaruyama.of(0.01);
        assertRejected("start (dimension)", () -> fit.simulate(smallSeries(3).snapshot(0), 0, new double[] {1}, em,
                new SplittableRandom(1)));
        assertRejected("times[1]", () -> fit.simulate(start, 0, new double[] {1, 0.5}, em, new SplittableRandom(1)));
        assertRejected("times[0]", () -> fit.simulate(start, 0, new double[] {-1}, em, new SplittableRandom(1)));
        assertRejected("rng", () -> fit.simulate(start, 0, new double[] {1}, em, null));
        assertRejected("x", () -> fit.gradient(new double[3]));
    }

    @Test
    void anObserverThatStopsAfterTheFirstIntervalGetsAStoppedFitOfThatInterval() {
        SnapshotSeries two = smallSeries(2);
        SnapshotSeries three = SnapshotSeries.of(new double[] {0, 0.5, 1},
                List.of(two.snapshot(0), two.snapshot(1), two.snapshot(0)));
        PotentialRecovery r = PotentialRecovery.of(PotentialBasis.polynomial(2, 2), SOLVER).withDiffusion(0.1);
        PotentialFitResult stopped = r.fit(three, status -> false);
        assertEquals(1, stopped.iterations());
        assertEquals(org.measureflow.core.iteration.Termination.STOPPED, stopped.termination());
        assertTrue(stopped.toString().contains("NOT CONVERGED: stopped"), stopped.toString());
        // the first interval alone is the two-snapshot series
        assertArrayEquals(r.fit(two).theta(), stopped.theta(), 0.0);
        PotentialFitResult estimated = r.withDiffusionEstimated(true).fit(three);
        assertTrue(estimated.diffusion() >= 0 && estimated.diffusionEstimated(), estimated.toString());
    }

    @Test
    void polynomialBasisHasTheMonomialsWithTheirGradientsAndLaplacians() {
        PotentialBasis basis = PotentialBasis.polynomial(2, 3);
        // binomial(2 + 3, 3) - 1 = 9 monomials: x1, x2, x1^2, x1 x2, x2^2, x1^3, x1^2 x2, x1 x2^2, x2^3
        assertEquals(9, basis.size());
        assertEquals("x1^2 x2", basis.term(6));
        double[] x = {0.5, -2};
        double[] v = new double[9];
        basis.values(x, 0, v, 0);
        assertArrayEquals(new double[] {0.5, -2, 0.25, -1, 4, 0.125, -0.5, 2, -8}, v, 1e-15);
        double[] g = new double[18];
        basis.gradients(x, 0, g, 0);
        // row 0: d/dx1 = 1, 0, 2 x1, x2, 0, 3 x1^2, 2 x1 x2, x2^2, 0
        assertArrayEquals(new double[] {1, 0, 1, -2, 0, 0.75, -2, 4, 0}, java.util.Arrays.copyOfRange(g, 0, 9), 1e-15);
        // row 1: d/dx2 = 0, 1, 0, x1, 2 x2, 0, x1^2, 2 x1 x2, 3 x2^2
        assertArrayEquals(new double[] {0, 1, 0, 0.5, -4, 0, 0.25, -2, 12}, java.util.Arrays.copyOfRange(g, 9, 18),
                1e-15);
        double[] lap = new double[9];
        basis.laplacians(x, 0, lap, 0);
        // 0, 0, 2, 0, 2, 6 x1, 2 x2, 2 x1, 6 x2
        assertArrayEquals(new double[] {0, 0, 2, 0, 2, 3, -4, 1, -12}, lap, 1e-15);
    }

    @Test
    void radialBasisGradientAndLaplacianMatchFiniteDifferences() {
        PotentialBasis basis = PotentialBasis.radial(new double[][] {{0.3, -0.2, 0.1}, {-1, 0.5, 0}}, 0.7);
        double[] x = {0.1, 0.4, -0.3};
        double[] g = new double[6];
        basis.gradients(x, 0, g, 0);
        double[] lap = new double[2];
        basis.laplacians(x, 0, lap, 0);
        double h = 1e-4;
        for (int l = 0; l < 2; l++) {
            double[] v0 = new double[2];
            basis.values(x, 0, v0, 0);
            double second = 0;
            for (int a = 0; a < 3; a++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[a] += h;
                xm[a] -= h;
                double[] vp = new double[2];
                double[] vm = new double[2];
                basis.values(xp, 0, vp, 0);
                basis.values(xm, 0, vm, 0);
                // central differences: error O(h^2) times third derivatives (<= 1 / w^3 ~ 3)
                assertEquals((vp[l] - vm[l]) / (2 * h), g[a * 2 + l], 1e-7);
                second += (vp[l] - 2 * v0[l] + vm[l]) / (h * h);
            }
            // second differences: O(h^2) truncation plus O(eps / h^2) = 1e-8 rounding
            assertEquals(second, lap[l], 1e-6);
        }
        assertTrue(basis.toString().contains("radial"));
    }
}
