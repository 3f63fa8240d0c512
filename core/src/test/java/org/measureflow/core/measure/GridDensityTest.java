package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.TestMatrices.U;

import java.util.SplittableRandom;

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

    /** A grid covering +-10 standard deviations of {@code g} along each axis, {@code cells} cells per axis. */
    private static GridDensity.Grid wideGrid(GaussianMeasure g, int cells) {
        int d = g.dimension();
        double[] m = g.mean();
        DMatrixRMaj s = g.covariance();
        double[] lo = new double[d];
        double[] hi = new double[d];
        int[] counts = new int[d];
        for (int k = 0; k < d; k++) {
            double r = 10 * Math.sqrt(s.get(k, k));
            lo[k] = m[k] - r;
            hi[k] = m[k] + r;
            counts[k] = cells;
        }
        return GridDensityFromParticlesTest.grid(lo, hi, counts);
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
    void meanAndCovarianceOfGaussianDensityMatchWithinMidpointErrorIn2dAnd3d(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(2, 4);
            GaussianMeasure g = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d));
            GridDensity.Grid grid = wideGrid(g, d == 2 ? 160 : 48);
            GridDensity rho = GridDensity.fromFunction(grid, x -> Math.exp(g.logDensity(x)));
            double[] m = g.mean();
            DMatrixRMaj s = g.covariance();
            DMatrixRMaj p = Spd.inverse(s);
            // Midpoint rule for int f rho along axis k errs by <= (h_k^2/24) int |d_k^2 (f rho)|. In whitened units
            // int |(x rho)''| <= E|z^3 - 3z| <= 4 and int |(x^2 rho)''| <= E|z^4 - 5z^2 + 2| <= 10, scaled by
            // P_kk and by sd_a (mean) or sd_a sd_b (covariance); dividing by the mass (1 + O(h^2)) adds the same
            // order. So the error is O(h^2): bound C_f sum_k P_kk h_k^2 / 24 with C_f = 2 * 4 or 2 * 10.
            double h2 = 0;
            for (int k = 0; k < d; k++) {
                h2 += p.get(k, k) * Math.pow(grid.cellSize(k), 2) / 24;
            }
            // the mass: the same midpoint bound with int |d_k^2 rho| = P_kk 4 phi(1)
            assertEquals(1.0, rho.mass(), 2 * L1_OF_SECOND_DERIVATIVE * h2 + 4 * grid.size() * U, "mass");
            double[] mean = rho.mean();
            DMatrixRMaj cov = rho.covariance();
            for (int a = 0; a < d; a++) {
                double sa = Math.sqrt(s.get(a, a));
                assertEquals(m[a], mean[a], 2 * 4 * sa * h2 + 1e-13 * (1 + Math.abs(m[a])), "mean " + a);
                for (int b = 0; b < d; b++) {
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
    void histogramConservesWeightInsideTheBoxAndDropsTheRestIn2dAnd3d(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(2, 4);
            int n = rng.nextInt(1, 2000);
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, d);
            GridDensity.Grid grid = GridDensityFromParticlesTest.randomGrid(rng, d, -2, 0, 0.1, 4, 1, d == 2 ? 29 : 11);
            GridDensity rho = GridDensity.histogram(mu, grid);
            // brute force: weight of the particles in each cell [lo + i h, lo + (i+1) h), row-major
            double[] expected = new double[grid.size()];
            double inside = 0;
            particles:
            for (int i = 0; i < n; i++) {
                int flat = 0;
                for (int k = 0; k < d; k++) {
                    double x = mu.coordinate(i, k);
                    if (x < grid.lower(k) || x > grid.upper(k)) {
                        continue particles;
                    }
                    int cells = grid.cells(k);
                    flat = flat * cells + Math.min(cells - 1, (int) ((x - grid.lower(k)) / grid.cellSize(k)));
                }
                inside += mu.weight(i);
                expected[flat] += mu.weight(i);
            }
            // sums of the same n weights in a different order, then a division and a multiplication by |cell|
            assertEquals(inside, rho.mass(), 1e-12);
            for (int c = 0; c < grid.size(); c++) {
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
    void particleViewHasTheSameMomentsIn1dTo3d(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            GridDensity.Grid grid = randomGrid(rng, d, d == 3 ? 8 : 20);
            double[] values = randomValues(rng, grid.size(), 0.3, 0, 5);
            GridDensity rho = GridDensity.of(grid, values);
            ParticleMeasure mu = rho.toParticleMeasure();
            assertEquals(grid.size(), mu.size());
            assertEquals(d, mu.dimension());
            // the same weighted sums, normalised before (particles) or after (grid): a few ulps per term
            double tol = 64 * grid.size() * U * 4;
            assertArrayEquals(mu.mean(), rho.mean(), tol);
            assertArrayEquals(mu.covariance().data, rho.covariance().data, tol * 4);
            assertArrayEquals(values, rho.values(), 0);
        });
    }

    /** A grid on a box in [-1, 3]^d with 1 to {@code maxCells} cells per axis. */
    private static GridDensity.Grid randomGrid(SplittableRandom rng, int d, int maxCells) {
        return GridDensityFromParticlesTest.randomGrid(rng, d, -1, 0.5, 0.5, 2.5, 1, maxCells);
    }

    /** Values uniform in [lo, hi), each 0 with probability {@code zeros}, and one cell set to 1 (positive mass). */
    private static double[] randomValues(SplittableRandom rng, int size, double zeros, double lo, double hi) {
        double[] values = new double[size];
        for (int c = 0; c < size; c++) {
            values[c] = rng.nextDouble() < zeros ? 0 : rng.nextDouble(lo, hi);
        }
        values[rng.nextInt(size)] = 1;
        return values;
    }

    @Test
    void threeDimensionalValuesAreRowMajorAndPrintTheirMean() {
        GridDensity.Grid grid = GridDensity.Grid.of3d(0, 1, 2, 10, 13, 3, -1, 1, 4);
        GridDensity rho = GridDensity.fromFunction(grid, p -> 1 + p[0] + 10 * p[1] + 100 * (p[2] + 1));
        double[] centres = rho.cellCentres();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    double cx = 0.25 + 0.5 * i;
                    double cy = 10.5 + j;
                    double cz = -0.75 + 0.5 * k;
                    int flat = (i * 3 + j) * 4 + k;
                    assertEquals(flat, grid.flatIndex(i, j, k));
                    assertEquals(1 + cx + 10 * cy + 100 * (cz + 1), rho.value(i, j, k), 1e-12);
                    assertEquals(rho.value(i, j, k), rho.value(flat), 0);
                    assertArrayEquals(new double[]{cx, cy, cz}, java.util.Arrays.copyOfRange(centres, 3 * flat,
                            3 * flat + 3), 1e-14);
                }
            }
        }
        assertEquals(0.5 * 1 * 0.5, rho.cellVolume(), 1e-16);
        assertEquals(24, rho.size());
        assertEquals(3, rho.dimension());
        // uniform density on [0, 1] x [10, 13] x [-1, 1]: mass = volume 6, mean = the box's centre
        GridDensity uniform = GridDensity.of(grid, filled(24, 1.0));
        assertEquals(6, uniform.mass(), 1e-14);
        String text = uniform.toString();
        assertTrue(text.startsWith("GridDensity[Grid[[0.0, 1.0]/2 x [10.0, 13.0]/3 x [-1.0, 1.0]/4], mass=6.0"),
                text);
        assertTrue(text.endsWith("mean=[0.5, 11.5, 0]]"), text);
        // zero mass: no mean to print, and toString must not throw
        String empty = GridDensity.of(grid, new double[24]).toString();
        assertTrue(empty.endsWith("mass=0.0]"), empty);
    }

    private static double[] filled(int size, double value) {
        double[] v = new double[size];
        java.util.Arrays.fill(v, value);
        return v;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void sampleHasTheMeanAndTheCovarianceWithTheWithinCellTermOfThePiecewiseConstantDensity(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            // coarse cells (2 to 4 per axis): the within-cell variance h^2/12 is at least 1/16 of the axis's spread
            GridDensity.Grid grid = GridDensityFromParticlesTest.randomGrid(rng, d, -2, 2, 0.5, 3, 2, 4);
            GridDensity rho = GridDensity.of(grid, randomValues(rng, grid.size(), 0.3, 0.1, 5));
            int n = 100_000;
            ParticleMeasure draws = rho.sample(n, new SplittableRandom(rng.nextLong()));
            assertEquals(n, draws.size());
            assertTrue(draws.isUniform());
            // the law: mean m = rho.mean(), covariance S = rho.covariance() + diag(h^2/12) (uniform within cells)
            double[] m = rho.mean();
            DMatrixRMaj law = rho.covariance();
            double[] h = new double[d];
            for (int k = 0; k < d; k++) {
                h[k] = grid.cellSize(k);
                law.set(k, k, law.get(k, k) + h[k] * h[k] / 12);
            }
            // fourth moments E[(X_a - m_a)^2 (X_b - m_b)^2] of the law, cell by cell (u uniform on [-h/2, h/2]):
            // E(c + u)^4 = c^4 + c^2 h^2/2 + h^4/80; the axes are independent within a cell
            double[] fourth = new double[d * d];
            double[] centres = grid.cellCentres();
            double total = rho.mass() / rho.cellVolume();
            for (int c = 0; c < grid.size(); c++) {
                double pc = rho.value(c) / total;
                for (int a = 0; a < d; a++) {
                    double da = centres[c * d + a] - m[a];
                    double secondA = da * da + h[a] * h[a] / 12;
                    for (int b = 0; b < d; b++) {
                        double db = centres[c * d + b] - m[b];
                        fourth[a * d + b] += pc * (a == b ? da * da * da * da + da * da * h[a] * h[a] / 2
                                + Math.pow(h[a], 4) / 80 : secondA * (db * db + h[b] * h[b] / 12));
                    }
                }
            }
            double[] mean = draws.mean();
            DMatrixRMaj cov = draws.covariance();
            for (int a = 0; a < d; a++) {
                // five standard errors of the mean
                double tolMean = 5 * Math.sqrt(law.get(a, a) / n);
                assertEquals(m[a], mean[a], tolMean, "mean " + a);
                for (int b = 0; b < d; b++) {
                    double sab = law.get(a, b);
                    // five standard errors of (X_a - m_a)(X_b - m_b), plus the shift from using the draws' own mean
                    // (at most the product of the two mean tolerances once they hold)
                    double tol = 5 * Math.sqrt((fourth[a * d + b] - sab * sab) / n)
                            + 25 * Math.sqrt(law.get(a, a) * law.get(b, b)) / n;
                    assertEquals(sab, cov.get(a, b), tol, "covariance " + a + b);
                    if (a == b) {
                        assertTrue(h[a] * h[a] / 12 > 2 * tol, "the within-cell term is visible at this n");
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void sampleCellCountsPassAChiSquareCheckAndEmptyCellsStayEmpty(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            GridDensity.Grid grid = randomGrid(rng, d, 6);
            GridDensity rho = GridDensity.of(grid, randomValues(rng, grid.size(), 0.3, 0.5, 5));
            int n = 50_000;
            ParticleMeasure draws = rho.sample(n, new SplittableRandom(rng.nextLong()));
            long[] counts = new long[grid.size()];
            double[] x = new double[d];
            for (int i = 0; i < n; i++) {
                draws.copyPoint(i, x, 0);
                int c = grid.cellIndex(x, 0);
                assertTrue(c >= 0, "inside the box");
                counts[c]++;
            }
            double total = rho.mass() / rho.cellVolume();
            double chi2 = 0;
            int occupied = 0;
            for (int c = 0; c < grid.size(); c++) {
                if (rho.value(c) == 0) {
                    assertEquals(0, counts[c], "an empty cell is never drawn");
                    continue;
                }
                double expected = n * rho.value(c) / total; // at least 50000 * 0.5 / (216 * 5) > 23
                chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
                occupied++;
            }
            // chi-square with k = occupied - 1 degrees of freedom: P(X >= k + 2 sqrt(k t) + 2t) <= e^{-t}
            // (Laurent-Massart), t = 20
            int k = occupied - 1;
            double bound = k + 2 * Math.sqrt(20.0 * k) + 40;
            assertTrue(chi2 <= bound, "chi-square " + chi2 + " > " + bound + " with " + k + " degrees of freedom");
        });
    }

    @Test
    void sampleGivesTheSameBitsForTheSameGeneratorState() {
        GridDensity rho = GridDensity.of3d(0, 1, 3, 0, 2, 2, -1, 1, 2,
                new double[]{1, 0, 2, 3, 0, 0, 4, 5, 1, 1, 2, 7});
        ParticleMeasure a = rho.sample(2000, new SplittableRandom(42));
        ParticleMeasure b = rho.sample(2000, new SplittableRandom(42));
        assertArrayEquals(a.flatPoints(), b.flatPoints(), 0);
        assertArrayEquals(PointSampler.of(rho).sample(2000, new SplittableRandom(42)).flatPoints(), a.flatPoints(), 0,
                "the draws of PointSampler.of(density)");
        ParticleMeasure other = rho.sample(2000, new SplittableRandom(43));
        assertTrue(!java.util.Arrays.equals(a.flatPoints(), other.flatPoints()), "another seed, other points");
    }

    @Test
    void sampleRejectsBadInputNamingTheArgument() {
        GridDensity rho = GridDensity.of2d(0, 1, 2, 0, 1, 2, new double[]{1, 2, 3, 4});
        SplittableRandom rng = new SplittableRandom(1);
        assertThrowsNaming("n", () -> rho.sample(0, rng));
        assertThrowsNaming("n", () -> rho.sample(-1, rng));
        assertThrowsNaming("n * d", () -> rho.sample(Integer.MAX_VALUE, rng));
        assertThrowsNaming("rng", () -> rho.sample(10, null));
        assertThrowsNaming("the density must have positive mass",
                () -> GridDensity.of2d(0, 1, 2, 0, 1, 2, new double[4]).sample(10, rng));
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
    void cellCountsWhoseProductOverflowsAreRejected() {
        // 2^30 cells per axis: the product 2^90 wraps a long to 0, so the count must be a checked product
        assertThrowsNaming("cells", () -> GridDensity.Grid.of3d(0, 1, 1 << 30, 0, 1, 1 << 30, 0, 1, 1 << 30));
        assertThrowsNaming("cells", () -> GridDensity.Grid.of3d(0, 1, 1 << 21, 0, 1, 1 << 21, 0, 1, 1 << 22));
        assertThrowsNaming("cells", () -> GridDensity.Grid.of2d(0, 1, 1 << 16, 0, 1, 1 << 15));
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
