package org.measureflow.core.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;
import static org.measureflow.testing.TestMatrices.U;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

/**
 * From particles to a grid density: the cloud-in-cell deposit and the kernel density estimate, in 1, 2 and 3
 * dimensions, against brute-force definitions and exact sums of Gaussians.
 */
class GridDensityFromParticlesTest {
    /** A grid of dimension {@code lo.length} on the box {@code [lo, hi]} with {@code cells} cells per axis. */
    static GridDensity.Grid grid(double[] lo, double[] hi, int[] cells) {
        return switch (lo.length) {
            case 1 -> GridDensity.Grid.of1d(lo[0], hi[0], cells[0]);
            case 2 -> GridDensity.Grid.of2d(lo[0], hi[0], cells[0], lo[1], hi[1], cells[1]);
            default -> GridDensity.Grid.of3d(lo[0], hi[0], cells[0], lo[1], hi[1], cells[1], lo[2], hi[2], cells[2]);
        };
    }

    /**
     * A random grid in dimension {@code d}: along each axis the box {@code [lo, lo + width]} with {@code lo} uniform in
     * {@code [loMin, loMax)}, {@code width} in {@code [widthMin, widthMax)}, and {@code minCells} to {@code maxCells}
     * cells.
     */
    static GridDensity.Grid randomGrid(SplittableRandom rng, int d, double loMin, double loMax, double widthMin,
            double widthMax, int minCells, int maxCells) {
        double[] lo = new double[d];
        double[] hi = new double[d];
        int[] cells = new int[d];
        for (int k = 0; k < d; k++) {
            lo[k] = rng.nextDouble(loMin, loMax);
            hi[k] = lo[k] + rng.nextDouble(widthMin, widthMax);
            cells[k] = rng.nextInt(minCells, maxCells + 1);
        }
        return grid(lo, hi, cells);
    }

    /** A random box near the origin, {@code minCells} to {@code maxCells} cells per axis: a normal cloud spills out. */
    private static GridDensity.Grid randomBox(SplittableRandom rng, int d, int minCells, int maxCells) {
        return randomGrid(rng, d, -2, 0, 0.5, 3, minCells, maxCells);
    }

    private static boolean inside(ParticleMeasure mu, int i, GridDensity.Grid grid) {
        for (int k = 0; k < grid.dimension(); k++) {
            double x = mu.coordinate(i, k);
            if (x < grid.lower(k) || x > grid.upper(k)) {
                return false;
            }
        }
        return true;
    }

    private static double weightInside(ParticleMeasure mu, GridDensity.Grid grid) {
        double inside = 0;
        for (int i = 0; i < mu.size(); i++) {
            if (inside(mu, i, grid)) {
                inside += mu.weight(i);
            }
        }
        return inside;
    }

    /**
     * The cloud-in-cell weight of cell {@code cell} along one axis, written as the hat function
     * \( \max(0, 1 - |x - x_c|/h) \) with the half cells at the walls given wholly to the boundary cell.
     */
    private static double hat(double x, int cell, GridDensity.Grid grid, int k) {
        int n = grid.cells(k);
        if (x <= grid.centre(k, 0)) {
            return cell == 0 ? 1 : 0;
        }
        if (x >= grid.centre(k, n - 1)) {
            return cell == n - 1 ? 1 : 0;
        }
        return Math.max(0, 1 - Math.abs(x - grid.centre(k, cell)) / grid.cellSize(k));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void cloudInCellMatchesTheHatFunctionsAndKeepsTheMassInsideTheBox(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            int n = rng.nextInt(1, 300);
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, d);
            GridDensity.Grid grid = randomBox(rng, d, 1, d == 3 ? 6 : 12);
            GridDensity rho = GridDensity.cloudInCell(mu, grid);
            double[] centres = grid.cellCentres();
            double[] expected = new double[grid.size()];
            for (int i = 0; i < n; i++) {
                if (!inside(mu, i, grid)) {
                    continue;
                }
                for (int c = 0; c < grid.size(); c++) {
                    double w = mu.weight(i);
                    int rest = c;
                    for (int k = d - 1; k >= 0; k--) {
                        w *= hat(mu.coordinate(i, k), rest % grid.cells(k), grid, k);
                        rest /= grid.cells(k);
                    }
                    expected[c] += w;
                }
            }
            assertEquals(centres.length, d * grid.size());
            // the hat functions and the floor-based weights differ by round-off of the positions: a few ulps per
            // particle and cell
            for (int c = 0; c < grid.size(); c++) {
                assertEquals(expected[c], rho.value(c) * rho.cellVolume(), 64 * n * U, "cell " + c);
            }
            // mass: every inside particle hands out weights summing to 1 up to d roundings
            assertEquals(weightInside(mu, grid), rho.mass(), 16 * (n + grid.size()) * U, "mass");
        });
    }

    @Test
    void cloudInCellSplitsBetweenNeighbouringCentresAndKeepsWallHalfCellsInTheBoundaryCell() {
        // centres 0.5, 1.5, 2.5, 3.5 on [0, 4]
        double[] x = {1.5, 2.0, 2.75, 0.2, 3.9, 4.0, 0.0, 5.0, -0.1};
        double[] w = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        ParticleMeasure mu = ParticleMeasure.fromFlat(x, 1, w);
        GridDensity rho = GridDensity.cloudInCell(mu, GridDensity.Grid.of1d(0, 4, 4));
        double total = 511;
        // 1.5: all to cell 1; 2.0: half to 1 and 2; 2.75: 3/4 to 2, 1/4 to 3; 0.2 and 0.0: all to cell 0 (ghost share
        // kept); 3.9 and 4.0 (the closed box): all to cell 3; 5.0 and -0.1: outside, dropped
        double[] expected = {(8 + 64) / total, (1 + 1) / total, (1 + 3) / total, (1 + 16 + 32) / total};
        assertArrayEquals(expected, rho.values(), 1e-15);
        assertEquals(127 / total, rho.mass(), 1e-15);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void cloudInCellKeepsTheMeanAwayFromTheWallsAndAddsTheInterpolationVariance(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            int n = rng.nextInt(1, 500);
            GridDensity.Grid grid = randomGrid(rng, d, -5, 5, 0.5, 4, 2, 19);
            // particles between the outermost centres, where no share goes to a ghost cell
            double[] flat = new double[n * d];
            double[] spread = new double[d]; // sum_i w_i f (1 - f) h^2 per axis
            double[] weights = RandomInputs.positiveWeights(rng, n);
            double total = 0;
            for (double v : weights) {
                total += v;
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    double h = grid.cellSize(k);
                    double lo = grid.lower(k);
                    double x = rng.nextDouble(lo + h / 2, grid.upper(k) - h / 2);
                    flat[i * d + k] = x;
                    double f = (x - lo) / h - 0.5 - Math.floor((x - lo) / h - 0.5);
                    spread[k] += weights[i] / total * f * (1 - f) * h * h;
                }
            }
            ParticleMeasure mu = ParticleMeasure.fromFlat(flat, d, weights);
            GridDensity rho = GridDensity.cloudInCell(mu, grid);
            assertEquals(1, rho.mass(), 16 * (n + grid.size()) * U, "all particles inside");
            // (1 - f) x_i + f x_{i+1} = x exactly in real numbers: only round-off of coordinates up to 10 in size
            double scale = 10;
            assertArrayEquals(mu.mean(), rho.mean(), 64 * (n + grid.size()) * U * scale, "first moment kept");
            DMatrixRMaj cov = rho.covariance();
            DMatrixRMaj expected = mu.covariance();
            for (int k = 0; k < d; k++) {
                expected.set(k, k, expected.get(k, k) + spread[k]);
            }
            // the two-point law of each axis has variance f (1 - f) h^2 and the axes split independently
            assertArrayEquals(expected.data, cov.data, 256 * (n + grid.size()) * U * scale * scale,
                    "covariance: particles' plus the interpolation variance");
        });
    }

    /** \( \varphi_b(z) \), the normal density with standard deviation \( b \). */
    private static double phi(double z, double b) {
        return Math.exp(-0.5 * (z / b) * (z / b)) / (Math.sqrt(2 * Math.PI) * b);
    }

    /**
     * The exact estimate at the centre of cell {@code c}: \( \sum_i w_i \prod_k \sum_y \varphi_b(x_{c,k} - y) \) over
     * the particle and, when {@code reflected}, its mirror images across the walls (two periods each way).
     */
    private static double exactEstimate(ParticleMeasure mu, GridDensity.Grid grid, double[] centres, int c, double b,
            boolean reflected) {
        int d = grid.dimension();
        double sum = 0;
        for (int i = 0; i < mu.size(); i++) {
            if (!inside(mu, i, grid)) {
                continue;
            }
            double term = mu.weight(i);
            for (int k = 0; k < d; k++) {
                double xc = centres[c * d + k];
                double x = mu.coordinate(i, k);
                if (!reflected) {
                    term *= phi(xc - x, b);
                    continue;
                }
                double lo = grid.lower(k);
                double period = 2 * (grid.upper(k) - lo);
                double axis = 0;
                for (int m = -2; m <= 2; m++) {
                    axis += phi(xc - (x + m * period), b) + phi(xc - (2 * lo - x + m * period), b);
                }
                term *= axis;
            }
            sum += term;
        }
        return sum;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void kernelDensityMatchesTheExactSumOfGaussiansWithinTheBinningError(long seed) {
        Property.check(seed, rng -> {
            for (int d = 1; d <= 3; d++) {
                int n = rng.nextInt(1, d == 3 ? 6 : 30);
                ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, d);
                double b = d == 3 ? rng.nextDouble(0.5, 1) : rng.nextDouble(0.2, 1);
                double cellsPerBandwidth = d == 3 ? rng.nextDouble(2, 3) : rng.nextDouble(2, 6);
                double h = b / cellsPerBandwidth;
                // a box reaching 9 bandwidths beyond the particles: the mirror images are 18 b away, negligible
                double[] lo = new double[d];
                double[] hi = new double[d];
                int[] cells = new int[d];
                for (int k = 0; k < d; k++) {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        min = Math.min(min, mu.coordinate(i, k));
                        max = Math.max(max, mu.coordinate(i, k));
                    }
                    lo[k] = min - 9 * b - rng.nextDouble(h);
                    cells[k] = (int) Math.ceil((max + 9 * b - lo[k]) / h);
                    hi[k] = lo[k] + cells[k] * h;
                }
                GridDensity.Grid grid = grid(lo, hi, cells);
                GridDensity rho = GridDensity.kernelDensity(mu, grid, b);
                double peak = Math.pow(2 * Math.PI, -0.5 * d) / Math.pow(b, d);
                // linear interpolation error of the deposit, sum_k h_k^2/(8 b^2) of the peak per unit mass, plus
                // the discrete kernel's normalisation and truncation (2e-8) and round-off
                double tol = peak * (d * h * h / (8 * b * b) + 2e-8 + 1e-12);
                double[] centres = grid.cellCentres();
                double worst = 0;
                for (int c = 0; c < grid.size(); c++) {
                    double error = Math.abs(rho.value(c) - exactEstimate(mu, grid, centres, c, b, false));
                    worst = Math.max(worst, error);
                }
                assertTrue(worst <= tol, "d = " + d + ": largest error " + worst + " > " + tol);
                assertEquals(1, rho.mass(), 16 * (n + grid.size()) * U, "d = " + d + ": mass");
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void kernelDensityNearTheWallsMatchesTheReflectedSum(long seed) {
        Property.check(seed, rng -> {
            for (int d = 1; d <= 2; d++) {
                int n = rng.nextInt(1, 8);
                double b = rng.nextDouble(0.2, 0.5);
                double h = b / rng.nextDouble(3, 6);
                double[] lo = new double[d];
                double[] hi = new double[d];
                int[] cells = new int[d];
                double[] flat = new double[n * d];
                for (int k = 0; k < d; k++) {
                    lo[k] = rng.nextDouble(-1, 1);
                    cells[k] = (int) Math.ceil(rng.nextDouble(16, 24) * b / h); // the box is 16 to 24 bandwidths wide
                    hi[k] = lo[k] + cells[k] * h;
                    for (int i = 0; i < n; i++) {
                        // within 3 bandwidths of a wall
                        double inward = rng.nextDouble(0, 3 * b);
                        flat[i * d + k] = rng.nextBoolean() ? lo[k] + inward : hi[k] - inward;
                    }
                }
                ParticleMeasure mu = ParticleMeasure.fromFlat(flat, d, RandomInputs.positiveWeights(rng, n));
                GridDensity.Grid grid = grid(lo, hi, cells);
                GridDensity rho = GridDensity.kernelDensity(mu, grid, b);
                double peak = Math.pow(2 * Math.PI, -0.5 * d) / Math.pow(b, d);
                // as for the plain estimate, with a factor 2 per axis: a particle and its mirror image both count
                double tol = Math.pow(2, d) * peak * (d * h * h / (8 * b * b) + 2e-8) + 1e-12 * peak;
                double[] centres = grid.cellCentres();
                for (int c = 0; c < grid.size(); c++) {
                    assertEquals(exactEstimate(mu, grid, centres, c, b, true), rho.value(c), tol,
                            "d = " + d + ", cell " + c);
                }
                assertEquals(1, rho.mass(), 16 * (n + grid.size()) * U, "no mass leaves through the walls");
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void kernelDensityMassIsTheWeightInsideTheBoxForAnyBandwidth(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 4);
            int n = rng.nextInt(1, 300);
            ParticleMeasure mu = RandomInputs.weightedPointCloud(rng, n, d);
            GridDensity.Grid grid = randomBox(rng, d, 1, d == 3 ? 10 : 30);
            // from a tenth of a cell to a hundred boxes: the identity, the stencil, the wrapped and the flat kernel
            double[] b = new double[d];
            for (int k = 0; k < d; k++) {
                double h = grid.cellSize(k);
                double box = grid.upper(k) - grid.lower(k);
                b[k] = Math.exp(rng.nextDouble(Math.log(0.1 * h), Math.log(100 * box)));
            }
            GridDensity rho = GridDensity.kernelDensity(mu, grid, b);
            // the deposit and each pass move whole masses with weights summing to 1: round-off only
            assertEquals(weightInside(mu, grid), rho.mass(), 64 * (n + grid.size()) * U);
            assertEquals(GridDensity.cloudInCell(mu, grid).mass(), rho.mass(), 64 * grid.size() * U);
        });
    }

    @Test
    void kernelDensityWithABandwidthFarWiderThanTheBoxIsUniform() {
        ParticleMeasure mu = ParticleMeasure.fromFlat(new double[]{0.1, 0.2, 0.9, 0.3, 0.5, 0.5}, 2,
                new double[]{1, 2, 3});
        GridDensity.Grid grid = GridDensity.Grid.of2d(0, 1, 5, 0, 2, 7);
        GridDensity rho = GridDensity.kernelDensity(mu, grid, 1e3);
        // the reflected kernel is flat to 3e-14 once b > 8 L / pi: the mass 1 spread over the area 2
        for (int c = 0; c < grid.size(); c++) {
            assertEquals(0.5, rho.value(c), 1e-15, "cell " + c);
        }
        // one axis wide, one narrow: uniform along x only
        GridDensity mixed = GridDensity.kernelDensity(mu, grid, new double[]{1e3, 0.01});
        for (int i = 1; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(mixed.value(0, j), mixed.value(i, j), 1e-15, "cell " + i + ", " + j);
            }
        }
    }

    @Test
    void kernelDensityBelowAnEighthOfACellIsTheDeposit() {
        ParticleMeasure mu = RandomInputs.weightedPointCloud(new SplittableRandom(7), 50, 2);
        GridDensity.Grid grid = GridDensity.Grid.of2d(-2, 2, 8, -2, 2, 8);
        // 8 b / h < 1: the truncated kernel keeps only the offset 0
        assertArrayEquals(GridDensity.cloudInCell(mu, grid).values(),
                GridDensity.kernelDensity(mu, grid, 0.06).values(), 0);
    }

    @Test
    void scottBandwidthsFollowTheRuleWithTheEffectiveSampleSize() {
        // two equal points at -1 and 1: sd 1, n = 2, d = 1
        ParticleMeasure pair = ParticleMeasure.fromFlat(new double[]{-1, 1}, 1);
        assertArrayEquals(new double[]{Math.pow(2, -1.0 / 5)}, GridDensity.scottBandwidths(pair), 1e-15);
        // weights 1/4 and 3/4 at 0 and 4: mean 3, variance 1/4 * 9 + 3/4 * 1 = 3, n_eff = 1 / (1/16 + 9/16) = 1.6
        ParticleMeasure weighted = ParticleMeasure.fromFlat(new double[]{0, 4}, 1, new double[]{1, 3});
        assertArrayEquals(new double[]{Math.sqrt(3) * Math.pow(1.6, -1.0 / 5)},
                GridDensity.scottBandwidths(weighted), 1e-15);
        // 2-D: per axis, exponent -1/(d + 4) = -1/6
        ParticleMeasure cloud = ParticleMeasure.fromFlat(new double[]{0, 0, 2, 0, 0, 6, 2, 6}, 2);
        assertArrayEquals(new double[]{Math.pow(4, -1.0 / 6), 3 * Math.pow(4, -1.0 / 6)},
                GridDensity.scottBandwidths(cloud), 1e-15);
        GridDensity.Grid grid = GridDensity.Grid.of2d(-1, 3, 16, -1, 7, 16);
        assertArrayEquals(GridDensity.kernelDensity(cloud, grid, GridDensity.scottBandwidths(cloud)).values(),
                GridDensity.kernelDensityScott(cloud, grid).values(), 0);
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        ParticleMeasure mu = ParticleMeasure.fromFlat(new double[]{0.5, 0.5, 0.2, 0.7}, 2);
        GridDensity.Grid grid = GridDensity.Grid.of2d(0, 1, 4, 0, 1, 4);
        GridDensity.Grid line = GridDensity.Grid.of1d(0, 1, 4);
        assertRejected("mu", () -> GridDensity.cloudInCell(null, grid));
        assertRejected("grid", () -> GridDensity.cloudInCell(mu, null));
        assertRejected("mu has dimension 2, expected 1", () -> GridDensity.cloudInCell(mu, line));
        assertRejected("mu", () -> GridDensity.kernelDensity(null, grid, 0.1));
        assertRejected("grid", () -> GridDensity.kernelDensity(mu, null, 0.1));
        assertRejected("mu has dimension", () -> GridDensity.kernelDensity(mu, line, 0.1));
        for (double bad : new double[]{0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("bandwidth", () -> GridDensity.kernelDensity(mu, grid, bad));
            assertRejected("bandwidths[1]", () -> GridDensity.kernelDensity(mu, grid, new double[]{0.1, bad}));
        }
        assertRejected("bandwidths", () -> GridDensity.kernelDensity(mu, grid, (double[]) null));
        assertRejected("bandwidths has length 1, expected 2",
                () -> GridDensity.kernelDensity(mu, grid, new double[]{0.1}));
        assertRejected("mu", () -> GridDensity.kernelDensityScott(null, grid));
        assertRejected("grid", () -> GridDensity.kernelDensityScott(mu, null));
        assertRejected("mu has dimension", () -> GridDensity.kernelDensityScott(mu, line));
        // no spread along y: Scott's rule has nothing to scale
        ParticleMeasure flat = ParticleMeasure.fromFlat(new double[]{0.1, 0.5, 0.9, 0.5}, 2);
        assertRejected("mu: Scott's rule needs spread", () -> GridDensity.kernelDensityScott(flat, grid));
        assertRejected("mu", () -> GridDensity.scottBandwidths(null));
        // the caller's bandwidths are not modified
        double[] b = {0.1, 0.2};
        GridDensity.kernelDensity(mu, grid, b);
        assertArrayEquals(new double[]{0.1, 0.2}, b, 0);
    }
}
