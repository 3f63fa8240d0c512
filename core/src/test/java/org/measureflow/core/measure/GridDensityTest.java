package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.linalg.Spd;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class GridDensityTest {
    /** \( \int |z^2 - 1| \varphi(z) dz = 4 \varphi(1) \) for the standard normal density \( \varphi \). */
    private static final double L1_OF_SECOND_DERIVATIVE = 4 * Math.exp(-0.5) / Math.sqrt(2 * Math.PI);

    /** A 2-D grid covering +-10 standard deviations of {@code g} along each axis. */
    private static GridDensity.Grid wideGrid(GaussianMeasure g, int cells) {
        double[] m = g.mean();
        DMatrixRMaj s = g.covariance();
        double rx = 10 * Math.sqrt(s.get(0, 0));
        double ry = 10 * Math.sqrt(s.get(1, 1));
        return GridDensity.Grid.of2d(m[0] - rx, m[0] + rx, cells, m[1] - ry, m[1] + ry, cells);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void massOfGaussianDensityOnWideFineGridIsOneWithinMidpointError(long seed) {
        Property.check(seed, rng -> {
            // 1-D: N(m, sd^2) on m +- 10 sd
            double m = rng.nextDouble(-3, 3);
            double sd = rng.nextDouble(0.1, 5);
            int cells = rng.nextInt(50, 400);
            GaussianMeasure g1 = GaussianMeasure.of1d(m, sd);
            GridDensity.Grid grid1 = GridDensity.Grid.of1d(m - 10 * sd, m + 10 * sd, cells);
            GridDensity rho1 = GridDensity.fromFunction(grid1, x -> Math.exp(g1.logDensity(x)));
            // midpoint rule: |error| <= (h^2/24) int |rho''| = (h^2/24) 4 phi(1) / sd^2; tails beyond 10 sd ~ 1e-23
            double h = grid1.cellSize(0);
            double tol1 = 2 * h * h / 24 * L1_OF_SECOND_DERIVATIVE / (sd * sd) + 4 * cells * U;
            assertEquals(1.0, rho1.mass(), tol1, "1-D mass");

            // 2-D: the same bound per axis, with int |d_k^2 rho| = P_kk 4 phi(1), P = S^{-1}
            GaussianMeasure g2 = GaussianMeasure.of(RandomInputs.gaussianVector(rng, 2), RandomInputs.spd(rng, 2));
            GridDensity.Grid grid2 = wideGrid(g2, 120);
            GridDensity rho2 = GridDensity.fromFunction(grid2, x -> Math.exp(g2.logDensity(x)));
            DMatrixRMaj p = Spd.inverse(g2.covariance());
            double tol2 = 4 * 120 * 120 * U;
            for (int k = 0; k < 2; k++) {
                tol2 += 2 * Math.pow(grid2.cellSize(k), 2) / 24 * L1_OF_SECOND_DERIVATIVE * p.get(k, k);
            }
            assertEquals(1.0, rho2.mass(), tol2, "2-D mass");
            assertEquals(1.0, rho2.normalised().mass(), 4 * 120 * 120 * U, "normalised");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void meanAndCovarianceOfGaussianDensityMatchWithinMidpointError(long seed) {
        Property.check(seed, rng -> {
            GaussianMeasure g = GaussianMeasure.of(RandomInputs.gaussianVector(rng, 2), RandomInputs.spd(rng, 2));
            GridDensity.Grid grid = wideGrid(g, 160);
            GridDensity rho = GridDensity.fromFunction(grid, x -> Math.exp(g.logDensity(x)));
            double[] m = g.mean();
            DMatrixRMaj s = g.covariance();
            DMatrixRMaj p = Spd.inverse(s);
            // Midpoint rule for int f rho along axis k errs by <= (h_k^2/24) int |d_k^2 (f rho)|. In whitened units
            // int |(x rho)''| <= E|z^3 - 3z| <= 4 and int |(x^2 rho)''| <= E|z^4 - 5z^2 + 2| <= 10, scaled by
            // P_kk and by sd_a (mean) or sd_a sd_b (covariance); dividing by the mass (1 + O(h^2)) adds the same
            // order. So the error is O(h^2): bound C_f sum_k P_kk h_k^2 / 24 with C_f = 2 * 4 or 2 * 10.
            double h2 = 0;
            for (int k = 0; k < 2; k++) {
                h2 += p.get(k, k) * Math.pow(grid.cellSize(k), 2) / 24;
            }
            double[] mean = rho.mean();
            DMatrixRMaj cov = rho.covariance();
            for (int a = 0; a < 2; a++) {
                double sa = Math.sqrt(s.get(a, a));
                assertEquals(m[a], mean[a], 2 * 4 * sa * h2 + 1e-13 * (1 + Math.abs(m[a])), "mean " + a);
                for (int b = 0; b < 2; b++) {
                    double sb = Math.sqrt(s.get(b, b));
                    assertEquals(s.get(a, b), cov.get(a, b), 2 * 10 * sa * sb * h2 + 1e-13 * sa * sb, "cov " + a + b);
                }
            }
        });
    }

    @Test
    void coarseGridMomentErrorIsSecondOrderOrBetter() {
        // On N(0, 1) in 1-D the midpoint rule's error is bounded by C h^2; here h = 0.5 and 0.25 on +-8
        GaussianMeasure g = GaussianMeasure.of1d(0.25, 1);
        for (int cells : new int[]{32, 64}) {
            GridDensity rho = GridDensity.fromFunction(GridDensity.Grid.of1d(-7.75, 8.25, cells),
                    x -> Math.exp(g.logDensity(x)));
            double h = 16.0 / cells;
            assertEquals(1, rho.mass(), 2 * h * h / 24 * L1_OF_SECOND_DERIVATIVE);
            assertEquals(0.25, rho.mean()[0], 2 * 4 * h * h / 24);
            assertEquals(1, rho.covariance().get(0, 0), 2 * 10 * h * h / 24);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void histogramConservesWeightInsideTheBoxAndDropsTheRest(long seed) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(1, 2000);
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, 2);
            double xlo = rng.nextDouble(-2, 0);
            double xhi = rng.nextDouble(0.1, 2);
            double ylo = rng.nextDouble(-2, 0);
            double yhi = rng.nextDouble(0.1, 2);
            int nx = rng.nextInt(1, 30);
            int ny = rng.nextInt(1, 30);
            GridDensity.Grid grid = GridDensity.Grid.of2d(xlo, xhi, nx, ylo, yhi, ny);
            GridDensity rho = GridDensity.histogram(mu, grid);
            // brute force: weight of the particles in each cell [lo + i h, lo + (i+1) h)
            double[] expected = new double[nx * ny];
            double inside = 0;
            for (int i = 0; i < n; i++) {
                double x = mu.coordinate(i, 0);
                double y = mu.coordinate(i, 1);
                if (x < xlo || x > xhi || y < ylo || y > yhi) {
                    continue;
                }
                inside += mu.weight(i);
                int cx = Math.min(nx - 1, (int) ((x - xlo) / grid.cellSize(0)));
                int cy = Math.min(ny - 1, (int) ((y - ylo) / grid.cellSize(1)));
                expected[cx * ny + cy] += mu.weight(i);
            }
            // sums of the same n weights in a different order, then a division and a multiplication by |cell|
            assertEquals(inside, rho.mass(), 1e-12);
            for (int c = 0; c < nx * ny; c++) {
                assertEquals(expected[c], rho.value(c) * rho.cellVolume(), 1e-12, "cell " + c);
            }
        });
    }

    @Test
    void histogramOfParticlesInsideTheBoxHasMassOneAndBoundaryPointsCount() {
        double[] x = {0, 1, 0.5, 0.25, 1, 1};
        ParticleMeasure mu = ParticleMeasure.fromFlat(x, 1, new double[]{1, 2, 3, 4, 5, 6});
        GridDensity rho = GridDensity.histogram(mu, GridDensity.Grid.of1d(0, 1, 4));
        assertEquals(1.0, rho.mass(), 1e-15);
        // cells [0, .25), [.25, .5), [.5, .75), [.75, 1]: weights 1, 4, 3, 2+5+6 over 21, divided by h = 1/4
        assertArrayEquals(new double[]{4.0 / 21, 16.0 / 21, 12.0 / 21, 52.0 / 21}, rho.values(), 1e-15);
        GridDensity none = GridDensity.histogram(mu, GridDensity.Grid.of1d(2, 3, 4));
        assertEquals(0, none.mass(), 0, "all particles outside: dropped");
        assertThrowsNaming("the density must have positive mass", none::normalised);
        assertThrowsNaming("the density must have positive mass", none::toParticleMeasure);
        assertThrowsNaming("the density must have positive mass", none::mean);
    }

    @Test
    void valuesAreRowMajorWithXAlongTheFirstIndex() {
        GridDensity.Grid grid = GridDensity.Grid.of2d(0, 1, 4, 10, 13, 3);
        GridDensity rho = GridDensity.fromFunction(grid, p -> 1 + p[0] + 10 * p[1]);
        double[] centres = rho.cellCentres();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double cx = 0.125 + 0.25 * i;
                double cy = 10.5 + j;
                assertEquals(1 + cx + 10 * cy, rho.value(i, j), 1e-13);
                assertEquals(rho.value(i, j), rho.value(i * 3 + j), 0);
                assertEquals(cx, centres[2 * (i * 3 + j)], 1e-15);
                assertEquals(cy, centres[2 * (i * 3 + j) + 1], 1e-14);
            }
        }
        assertEquals(0.25, rho.cellVolume(), 1e-16);
        assertEquals(2, rho.dimension());
        assertEquals(12, rho.size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void particleViewHasTheSameMoments(long seed) {
        Property.check(seed, rng -> {
            int nx = rng.nextInt(1, 20);
            int ny = rng.nextInt(1, 20);
            double[] values = new double[nx * ny];
            for (int c = 0; c < values.length; c++) {
                values[c] = rng.nextDouble() < 0.3 ? 0 : rng.nextDouble(0, 5);
            }
            values[rng.nextInt(values.length)] = 1; // positive mass
            GridDensity rho = GridDensity.of2d(-1, 2, nx, 0, 1, ny, values);
            ParticleMeasure mu = rho.toParticleMeasure();
            assertEquals(nx * ny, mu.size());
            // the same weighted sums, normalised before (particles) or after (grid): a few ulps per term
            double tol = 64 * nx * ny * U * 4;
            assertArrayEquals(mu.mean(), rho.mean(), tol);
            assertArrayEquals(mu.covariance().data, rho.covariance().data, tol * 4);
            assertArrayEquals(values, rho.values(), 0);
        });
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        assertThrowsNaming("values[1]", () -> GridDensity.of1d(0, 1, 2, new double[]{1, -1}));
        assertThrowsNaming("values[0]", () -> GridDensity.of1d(0, 1, 2, new double[]{Double.NaN, 1}));
        assertThrowsNaming("values", () -> GridDensity.of1d(0, 1, 2, new double[]{1, 1, 1}));
        assertThrowsNaming("lo", () -> GridDensity.of1d(1, 1, 2, new double[]{1, 1}));
        assertThrowsNaming("lo", () -> GridDensity.of1d(Double.NaN, 1, 2, new double[]{1, 1}));
        assertThrowsNaming("hi", () -> GridDensity.of1d(0, Double.POSITIVE_INFINITY, 2, new double[]{1, 1}));
        assertThrowsNaming("cells", () -> GridDensity.of1d(0, 1, 0, new double[0]));
        assertThrowsNaming("cells (y)", () -> GridDensity.of2d(0, 1, 2, 0, 1, 0, new double[0]));
        assertThrowsNaming("lo (y)", () -> GridDensity.of2d(0, 1, 2, 3, 1, 1, new double[2]));
        assertThrowsNaming("f", () -> GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, 3), x -> x[0] - 0.5));
        assertThrowsNaming("mu", () -> GridDensity.histogram(ParticleMeasure.fromFlat(new double[]{1}, 1),
                GridDensity.Grid.of2d(0, 1, 1, 0, 1, 1)));
        assertThrowsNaming("value(i, j)", () -> GridDensity.of1d(0, 1, 1, new double[]{1}).value(0, 0));
        assertThrowsNaming("cell", () -> GridDensity.of2d(0, 1, 1, 0, 1, 1, new double[]{1}).value(1, 0));
    }

    @Test
    void inputsAndOutputsAreCopies() {
        double[] values = {1, 2, 3};
        GridDensity rho = GridDensity.of1d(0, 3, 3, values);
        values[0] = 99;
        rho.values()[1] = 99;
        assertArrayEquals(new double[]{1, 2, 3}, rho.values(), 0);
        assertEquals(6, rho.mass(), 0);
        assertArrayEquals(new double[]{1.0 / 6, 2.0 / 6, 3.0 / 6}, rho.normalised().values(), 1e-16);
        // mean of the cell centres 0.5, 1.5, 2.5 with weights 1, 2, 3
        assertEquals((0.5 + 3 + 7.5) / 6, rho.mean()[0], 1e-15);
    }

    private static void assertThrowsNaming(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
