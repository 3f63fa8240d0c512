package org.measureflow.ot.barycenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

class EntropicBarycenterTest {

    private static double[] histogram(SplittableRandom rng, int n) {
        return Histograms.normalised("w", RandomInputs.positiveWeights(rng, n));
    }

    @Test
    void aSingleInputGivesTheClosedFormBlurredHistogram() {
        // lambda = (1, 0): min over P with P^T 1 = b of <C,P> - eps H(P) is P_ij = K_ij b_j / (K^T 1)_j, so the
        // barycenter is p = K (b / K^T 1), whatever the other input
        SplittableRandom rng = new SplittableRandom(4);
        ParticleMeasure support = RandomInputs.pointCloud(rng, 9, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(support, support);
        double eps = 0.3;
        double[] b = histogram(rng, 9);
        double[] other = histogram(rng, 9);
        BarycenterResult r = EntropicBarycenter.of(eps).withTolerance(1e-13)
                .solve(new double[][] {b, other}, c, new double[] {1, 0});
        double[] expected = new double[9];
        for (int j = 0; j < 9; j++) {
            double col = 0;
            for (int i = 0; i < 9; i++) {
                col += Math.exp(-c.get(i, j) / eps);
            }
            for (int i = 0; i < 9; i++) {
                expected[i] += Math.exp(-c.get(i, j) / eps) * b[j] / col;
            }
        }
        assertTrue(r.converged());
        // the residual 1e-13 bounds the L1 distance between the couplings' marginal and p
        assertArrayEquals(expected, r.weights(), 1e-12);
    }

    /** The dense cost \( |x_c - x_{c'}|^2 \) between the cells of a grid. */
    private static CostMatrix gridCost(GridDensity.Grid grid) {
        double[] centres = grid.cellCentres();
        int d = grid.dimension();
        return CostMatrix.squaredEuclidean(ParticleMeasure.fromFlat(centres, d), ParticleMeasure.fromFlat(centres, d));
    }

    @ParameterizedTest(name = "eps {0}")
    @ValueSource(doubles = {0.05, 2e-3, 2e-4})
    void separableConvolutionEqualsTheDenseKernelIn1dAnd2d(double eps) {
        SplittableRandom rng = new SplittableRandom(8);
        GridDensity.Grid[] grids = {GridDensity.Grid.of1d(0, 1, 30), GridDensity.Grid.of2d(0, 1, 7, -0.5, 0.3, 6)};
        for (GridDensity.Grid grid : grids) {
            int n = grid.size();
            GridDensity[] inputs = new GridDensity[3];
            double[][] hist = new double[3][];
            for (int k = 0; k < 3; k++) {
                double[] v = RandomInputs.positiveWeights(rng, n);
                for (int c = 0; c < n; c++) {
                    if (rng.nextDouble() < 0.4) {
                        v[c] = 0; // empty cells: -infinity log-scalings, exercised by both paths
                    }
                }
                inputs[k] = GridDensity.of(grid, v);
                hist[k] = Histograms.normalised("v", v);
            }
            double[] lambda = histogram(rng, 3);
            // at most 300 iterations: the two paths run the same projections, converged (residual 1e-13, at the
            // same fixed point) or not (then both run all 300)
            BarycenterResult conv = ConvolutionalBarycenter.of(eps).withTolerance(1e-13).withMaxIterations(300)
                    .solve(inputs, lambda);
            BarycenterResult dense = EntropicBarycenter.of(eps).withTolerance(1e-13).withMaxIterations(300)
                    .solve(hist, gridCost(grid), lambda);
            // same iteration, same kernel: only the rounding of the kernel sums differs (relative 1e-15 per
            // iteration), amplified by at most the iteration count
            double[] p = dense.weights();
            double[] q = conv.weights();
            for (int c = 0; c < n; c++) {
                assertEquals(p[c], q[c], 1e-9 * p[c] + 1e-14, grid + " cell " + c);
            }
            assertEquals(n, conv.density().size());
            assertEquals(q[5] / grid.cellVolume(), conv.density().value(5), 1e-12 * q[5] / grid.cellVolume());
        }
    }

    /** \( \tau(r) = (\sqrt{\varepsilon^2 + 16r^2} - \varepsilon)/(4r) \) (docs/closed-forms.md CF-14). */
    private static double tau(double r, double eps) {
        return (Math.sqrt(eps * eps + 16 * r * r) - eps) / (4 * r);
    }

    @Test
    void barycenterOfTwoTranslatedGaussiansIsTheBlurredGaussianAtTheMidpoint() {
        double s = 0.1;
        double eps = 2e-3;
        int n = 280;
        GridDensity.Grid grid = GridDensity.Grid.of1d(-0.2, 1.2, n);
        GridDensity g0 = GridDensity.fromFunction(grid, x -> Math.exp(-Math.pow(x[0] - 0.3, 2) / (2 * s * s)));
        GridDensity g1 = GridDensity.fromFunction(grid, x -> Math.exp(-Math.pow(x[0] - 0.7, 2) / (2 * s * s)));
        BarycenterResult r = ConvolutionalBarycenter.of(eps).withTolerance(1e-11).withMaxIterations(100_000)
                .solve(new GridDensity[] {g0, g1}, new double[] {0.5, 0.5});
        assertTrue(r.converged(), "converged: " + r.error());
        // The objective is sum_k lambda_k [OT_eps^KL(p, b_k)] - eps H(p) + const (docs/closed-forms.md CF-14: the -eps H(P) regulariser is
        // the KL one minus eps(H(p) + H(b))). For p = N(m, sigma^2) and b_k = N(m_k, s^2) in 1-D,
        // OT^KL = (m - m_k)^2 + sigma^2 + s^2 + psi(sigma s), psi' = -2 tau, so m = (m_0 + m_1)/2 and sigma solves
        // 2 sigma^2 - 2 sigma s tau(sigma s) - eps = 0, i.e. sigma ~ s + eps/(4 s): the entropic blur.
        double lo = s;
        double hi = 2 * s;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double value = 2 * mid * mid - 2 * mid * s * tau(mid * s, eps) - eps;
            if (value > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double sigma = 0.5 * (lo + hi);
        assertTrue(sigma > s + 0.9 * eps / (4 * s), "a visible blur: sigma " + sigma);
        double[] p = r.weights();
        double mean = 0;
        for (int c = 0; c < n; c++) {
            mean += p[c] * grid.centre(0, c);
        }
        double var = 0;
        for (int c = 0; c < n; c++) {
            var += p[c] * Math.pow(grid.centre(0, c) - mean, 2);
        }
        // mirror symmetry of the data about 0.5: the mean is exact up to the residual (1e-11 times the support size)
        assertEquals(0.5, mean, 1e-10);
        // midpoint sums of Gaussians are spectrally accurate (Poisson summation: relative error ~ e^{-2 pi^2 s^2/h^2})
        // and the tails beyond 5 s carry ~6e-7 of the mass, so the discrete problem reproduces the continuous
        // sigma far below the tolerance 1e-4 sigma^2, which is itself 1000 times below the blur (sigma^2 - s^2 ~ eps/2)
        assertEquals(sigma * sigma, var, 1e-4 * sigma * sigma, "variance vs blurred " + sigma + " (data " + s + ")");
        double h = grid.cellSize(0);
        double sup = 0;
        for (int c = 0; c < n; c++) {
            double x = grid.centre(0, c);
            double gauss = h * Math.exp(-Math.pow(x - 0.5, 2) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
            sup = Math.max(sup, Math.abs(p[c] - gauss));
        }
        // pointwise: the same accuracy, relative to the peak mass h / (sqrt(2 pi) sigma) ~ 0.02
        assertTrue(sup < 1e-4 * h / sigma, "sup error " + sup);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void barycenterHasUnitMassAndIsInvariantUnderPermutingInputsWithTheirWeights(long seed) {
        Property.check(seed, rng -> {
            int count = 2 + rng.nextInt(3);
            int n = 5 + rng.nextInt(8);
            ParticleMeasure support = RandomInputs.pointCloud(rng, n, 2);
            double[][] b = new double[count][];
            CostMatrix[] costs = new CostMatrix[count];
            for (int k = 0; k < count; k++) {
                int m = 4 + rng.nextInt(8);
                ParticleMeasure y = RandomInputs.pointCloud(rng, m, 2);
                b[k] = histogram(rng, m);
                costs[k] = CostMatrix.squaredEuclidean(support, y);
            }
            double[] lambda = histogram(rng, count);
            EntropicBarycenter solver = EntropicBarycenter.of(rng.nextDouble(0.1, 1))
                    .withTolerance(1e-12).withMaxIterations(100_000);
            BarycenterResult r = solver.solve(b, costs, lambda);
            assertTrue(r.converged());
            double mass = 0;
            for (double v : r.weights()) {
                assertTrue(v > 0);
                mass += v;
            }
            // every coupling has mass 1 after its column projection: |sum p - 1| <= sum_k lambda_k |P_k 1 - p|_1
            assertEquals(1.0, mass, r.error() + 1e-14);
            int[] perm = new int[count];
            for (int k = 0; k < count; k++) {
                perm[k] = (k + 1) % count;
            }
            double[][] pb = new double[count][];
            CostMatrix[] pc = new CostMatrix[count];
            double[] pl = new double[count];
            for (int k = 0; k < count; k++) {
                pb[k] = b[perm[k]];
                pc[k] = costs[perm[k]];
                pl[k] = lambda[perm[k]];
            }
            BarycenterResult s = solver.solve(pb, pc, pl);
            // the same projections, only the order of the weighted log-sum over k differs: rounding-level
            // differences, amplified over the iterations; both within the 1e-12 residual of the same fixed point
            assertArrayEquals(r.weights(), s.weights(), 1e-10);
        });
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
        EntropicBarycenter solver = EntropicBarycenter.of(0.1);
        double[] half = {0.5, 0.5};
        Rejections.assertRejected("lambda", () -> solver.solve(new double[][] {half, half}, c, new double[] {0.5, 0.6}));
        Rejections.assertRejected("histograms[1]", () -> solver.solve(new double[][] {half, {1, 1}}, c, half));
        Rejections.assertRejected("histograms", () -> solver.solve(new double[0][], c, new double[0]));
        GridDensity a = GridDensity.of1d(0, 1, 4, new double[] {1, 1, 1, 1});
        GridDensity b = GridDensity.of1d(0, 2, 4, new double[] {1, 1, 1, 1});
        Rejections.assertRejected("densities[1]", () -> ConvolutionalBarycenter.of(0.1)
                .solve(new GridDensity[] {a, b}, half));
        Rejections.assertRejected("epsilon", () -> EntropicBarycenter.of(0));
        Rejections.assertRejected("epsilon", () -> ConvolutionalBarycenter.of(Double.NaN));
    }
}
