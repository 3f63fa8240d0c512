package org.measureflow.ot.semidiscrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.testing.Property;
import org.measureflow.testing.Rejections;

/** {@link SemiDiscreteNewton}: exact cells on grids, masses matched on random inputs, the dual's value and gradient. */
class SemiDiscreteNewtonTest {
    private static final GridDensity UNIT = GridDensity.of2d(0, 1, 1, 0, 1, 1, new double[] {1});

    static ParticleMeasure gridPoints(int k) {
        double[] flat = new double[2 * k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                flat[2 * (i * k + j)] = (i + 0.5) / k;
                flat[2 * (i * k + j) + 1] = (j + 0.5) / k;
            }
        }
        return ParticleMeasure.fromFlat(flat, 2);
    }

    static ParticleMeasure randomPoints(SplittableRandom rng, int n) {
        double[] flat = new double[2 * n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = rng.nextDouble();
            flat[2 * i + 1] = rng.nextDouble();
            w[i] = 0.5 + rng.nextDouble();
        }
        return ParticleMeasure.fromFlat(flat, 2, w);
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 2, 5, 8})
    void gridPointsWithEqualMassesHaveEqualWeightsAndTheGridCellsAsCells(int k) {
        ParticleMeasure y = gridPoints(k);
        SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
        assertTrue(r.converged());
        LaguerreDiagram cells = SemiDiscreteNewton.diagram(UNIT.grid(), y, r.weights());
        double h = 1.0 / k;
        for (int c = 0; c < k * k; c++) {
            // symmetric configuration: the exact weights are equal; only rounding of the areas moves them
            assertEquals(0, r.weights()[c], 1e-12, "weight of cell " + c);
            assertEquals(h * h, r.masses()[c], 1e-12, "mass of cell " + c);
            assertEquals(h * h, cells.area(c), 1e-12, "area of cell " + c);
            double[] v = cells.vertices(c);
            assertEquals(8, v.length, "cell " + c + " is a quadrilateral");
            double x0 = (c / k) * h;
            double y0 = (c % k) * h;
            double[][] corners = {{x0, y0}, {x0 + h, y0}, {x0 + h, y0 + h}, {x0, y0 + h}};
            for (double[] corner : corners) {
                boolean found = false;
                for (int q = 0; q < 4; q++) {
                    found |= Math.abs(v[2 * q] - corner[0]) <= 1e-12 && Math.abs(v[2 * q + 1] - corner[1]) <= 1e-12;
                }
                assertTrue(found, "corner (" + corner[0] + ", " + corner[1] + ") of cell " + c);
            }
            double[] centroid = {r.centroids()[2 * c], r.centroids()[2 * c + 1]};
            assertEquals(x0 + h / 2, centroid[0], 1e-12, "centroid x");
            assertEquals(y0 + h / 2, centroid[1], 1e-12, "centroid y");
        }
        // each point sits at the centre of its square of side h: int |x - c|^2 = h^2 * (h^2/12 + h^2/12) per cell
        assertEquals(h * h / 6, r.objective(), 1e-14);
        assertEquals(h * h / 6, r.cost(), 1e-14);
    }

    @Test
    void aUniformGridDensityFinerThanThePointsGivesTheSameGridCells() {
        int k = 5;
        double[] ones = new double[10 * 10];
        java.util.Arrays.fill(ones, 1.0);
        GridDensity fine = GridDensity.of2d(0, 1, 10, 0, 1, 10, ones);
        SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solve(fine, gridPoints(k));
        assertTrue(r.converged());
        for (int c = 0; c < k * k; c++) {
            // cell edges fall on density grid lines: each cell is cut into 4 grid squares, areas exact to rounding
            assertEquals(0, r.weights()[c], 1e-12, "weight " + c);
            assertEquals(1.0 / (k * k), r.masses()[c], 1e-12, "mass " + c);
        }
        assertEquals(1.0 / (6 * k * k), r.objective(), 1e-14);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void randomTargetsAreMatchedToOneInAMillion(long seed) {
        Property.check(seed, rng -> {
            int n = 40 + rng.nextInt(40);
            ParticleMeasure y = randomPoints(rng, n);
            double[] b = y.weights();
            SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
            assertTrue(r.converged(), "converged in " + r.iterations());
            assertTrue(r.error() <= 1e-10, "error " + r.error());
            // independent check: the shoelace areas of the exported polygons (uniform density: mass = area)
            LaguerreDiagram cells = SemiDiscreteNewton.diagram(UNIT.grid(), y, r.weights());
            double total = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], cells.area(i), 1e-6, "area of cell " + i);
                total += cells.area(i);
            }
            // the cells tile the square: areas sum to 1 up to rounding
            assertEquals(1, total, 1e-12);
            // at the optimum the dual value is the primal cost of the Laguerre map (zero duality gap)
            assertEquals(r.cost(), r.objective(), 1e-9);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void piecewiseConstantDensityMassesMatchTargetsAndAFineQuadrature(long seed) {
        Property.check(seed, rng -> {
            int gx = 3 + rng.nextInt(5);
            int gy = 3 + rng.nextInt(5);
            double[] v = new double[gx * gy];
            for (int c = 0; c < v.length; c++) {
                v[c] = 0.2 + rng.nextDouble();
            }
            GridDensity rho = GridDensity.of2d(-1, 2, gx, 0, 1.5, gy, v);
            int n = 12;
            double[] flat = new double[2 * n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                flat[2 * i] = -1 + 3 * rng.nextDouble();
                flat[2 * i + 1] = 1.5 * rng.nextDouble();
                w[i] = 0.5 + rng.nextDouble();
            }
            ParticleMeasure y = ParticleMeasure.fromFlat(flat, 2, w);
            SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solve(rho, y);
            assertTrue(r.converged(), "converged in " + r.iterations());
            double[] b = y.weights();
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], r.masses()[i], 1e-6, "mass of cell " + i);
            }
            // independent quadrature: classify the centres of a fine s x s sub-grid (s a multiple of every grid size,
            // so each sub-cell lies in one density cell); a sub-cell is misclassified only if a facet crosses it, and
            // a segment of length L crosses at most 2 L / min(h) + 1 sub-cells; a cell's perimeter is <= 2 (3 + 1.5)
            // and it has at most n + 3 edges, so its error is at most (18 / min(h) + n + 3) sub-cell masses
            int s = 840;
            double hx = 3.0 / s;
            double hyy = 1.5 / s;
            double[] psi = r.weights();
            double[] mass = new double[n];
            double total = rho.mass();
            double maxRho = 0;
            for (double value : v) {
                maxRho = Math.max(maxRho, value / total);
            }
            for (int a = 0; a < s; a++) {
                for (int c = 0; c < s; c++) {
                    double x = -1 + (a + 0.5) * hx;
                    double yy = (c + 0.5) * hyy;
                    int best = 0;
                    double bestV = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        double dx = x - flat[2 * i];
                        double dy = yy - flat[2 * i + 1];
                        double val = dx * dx + dy * dy - psi[i];
                        if (val < bestV) {
                            bestV = val;
                            best = i;
                        }
                    }
                    double[] p = {x, yy};
                    mass[best] += rho.value(rho.grid().cellIndex(p, 0)) / total * hx * hyy;
                }
            }
            double bound = (18.0 / Math.min(hx, hyy) + n + 3) * hx * hyy * maxRho;
            for (int i = 0; i < n; i++) {
                assertEquals(r.masses()[i], mass[i], bound, "quadrature of cell " + i);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void pointsOutsideTheDomainOrOverEmptyRegionsStillConverge(long seed) {
        Property.check(seed, rng -> {
            int n = 30;
            double[] flat = new double[2 * n];
            for (int k = 0; k < flat.length; k++) {
                flat[k] = 0.5 + 0.8 * rng.nextGaussian(); // about half of the points lie outside the unit square
            }
            ParticleMeasure y = ParticleMeasure.fromFlat(flat, 2);
            // an L-shaped support: the upper-right quarter has density 0 (the support stays connected)
            double[] v = {1, 1, 1, 0};
            GridDensity rho = GridDensity.of2d(0, 1, 2, 0, 1, 2, v);
            SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solve(rho, y);
            assertTrue(r.converged(), "converged: error " + r.error() + " after " + r.iterations());
            for (int i = 0; i < n; i++) {
                assertEquals(1.0 / n, r.masses()[i], 1e-6, "mass of cell " + i);
            }
            SemiDiscreteResult u = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
            assertTrue(u.converged(), "uniform: error " + u.error());
            // the optimal weights do not depend on the start: Voronoi-start = warm start from the solution
            SemiDiscreteResult again = SemiDiscreteNewton.withDefaults().solve(rho, y, r.weights());
            assertEquals(0, again.iterations());
        });
    }

    @Test
    void aConstantGridDensityGivesTheUniformSolution() {
        Property.check(11, rng -> {
            ParticleMeasure y = randomPoints(rng, 30);
            double[] ones = new double[7 * 5];
            java.util.Arrays.fill(ones, 3.0);
            SemiDiscreteResult grid = SemiDiscreteNewton.withDefaults().solve(GridDensity.of2d(0, 1, 7, 0, 1, 5, ones), y);
            SemiDiscreteResult uniform = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
            // the same density read through 35 grid pieces: same masses, so the same optimum up to the tolerances
            for (int i = 0; i < 30; i++) {
                assertEquals(uniform.weights()[i], grid.weights()[i], 1e-8, "weight " + i);
            }
            assertEquals(uniform.objective(), grid.objective(), 1e-12);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void theDualGradientIsTheMassDefect(long seed) {
        Property.check(seed, rng -> {
            int n = 15;
            ParticleMeasure y = randomPoints(rng, n);
            double[] psi = new double[n];
            for (int i = 0; i < n; i++) {
                psi[i] = 0.02 * rng.nextGaussian();
            }
            double[] v = new double[4 * 3];
            for (int c = 0; c < v.length; c++) {
                v[c] = 0.5 + rng.nextDouble();
            }
            GridDensity rho = GridDensity.of2d(0, 1, 4, 0, 1, 3, v);
            SemiDiscreteNewton solver = SemiDiscreteNewton.withDefaults();
            SemiDualEvaluation at = solver.evaluate(rho, y, psi);
            double[] b = y.weights();
            double step = 1e-5;
            for (int i = 0; i < n; i += 3) {
                double[] plus = psi.clone();
                double[] minus = psi.clone();
                plus[i] += step;
                minus[i] -= step;
                double fd = (solver.evaluate(rho, y, plus).objective() - solver.evaluate(rho, y, minus).objective()) / (2 * step);
                // Phi is C^2 (Hessian = minus the Laplacian, continuous) and the Hessian changes on the scale of the
                // cells (~0.1 for 15 points), so the central difference error is ~ step^2 / 0.1^3 = 1e-7
                assertEquals(b[i] - at.masses()[i], fd, 1e-7, "dPhi/dpsi_" + i);
            }
        });
    }

    @Test
    void costMatchesTheExactTransportOfAFineDiscretisation() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure y = randomPoints(rng, 6);
        SemiDiscreteResult r = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
        int k = 40;
        ParticleMeasure fine = gridPoints(k);
        double discrete = NetworkSimplex.withDefaults().solve(fine, y).cost();
        // moving each grid square's mass to its centre costs W2^2(rho, rho_h) <= h^2/6 =: delta^2, and
        // |W2^2(rho,nu) - W2^2(rho_h,nu)| <= delta (W2(rho,nu) + W2(rho_h,nu)) (triangle inequality)
        double delta = Math.sqrt(1.0 / (6.0 * k * k));
        double w = Math.sqrt(r.objective());
        assertEquals(discrete, r.objective(), delta * (2 * w + delta));
        assertTrue(Math.abs(discrete - r.objective()) < 0.05 * r.objective(), "within 5%: " + discrete + " vs " + r.objective());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void onALineTheClosedFormAgreesWithTheTwoDimensionalNewtonOnStrips(long seed) {
        Property.check(seed, rng -> {
            int cells = 2 + rng.nextInt(6);
            double[] f = new double[cells];
            for (int c = 0; c < cells; c++) {
                f[c] = 0.2 + rng.nextDouble();
            }
            int n = 3 + rng.nextInt(8);
            double[] x = new double[n];
            double[] w = new double[n];
            double[] flat2 = new double[2 * n];
            for (int i = 0; i < n; i++) {
                x[i] = -0.5 + 2 * rng.nextDouble(); // some points outside [0, 1]
                w[i] = 0.5 + rng.nextDouble();
                flat2[2 * i] = x[i];
                flat2[2 * i + 1] = 0.5;
            }
            GridDensity line = GridDensity.of1d(0, 1, cells, f);
            ParticleMeasure y1 = ParticleMeasure.fromFlat(x, 1, w);
            SemiDiscreteResult r1 = SemiDiscreteNewton.withDefaults().solve(line, y1);
            // the same density, constant in a second coordinate, and the points on a horizontal line: the 2-D
            // cells are vertical strips over the 1-D cells, with the same weights (the y-terms are equal)
            GridDensity strip = GridDensity.of2d(0, 1, cells, 0, 1, 1, f);
            SemiDiscreteResult r2 = SemiDiscreteNewton.withDefaults().solve(strip, ParticleMeasure.fromFlat(flat2, 2, w));
            assertTrue(r1.converged() && r2.converged());
            assertEquals(0, r1.iterations());
            double[] b = y1.weights();
            for (int i = 0; i < n; i++) {
                // exact integrals of the envelope's cells (closed form) vs Newton to 1e-10 with Lipschitz weights
                assertEquals(b[i], r1.masses()[i], 1e-12, "1-D mass " + i);
                assertEquals(r2.weights()[i], r1.weights()[i], 1e-8, "weight " + i);
                assertEquals(r2.centroids()[2 * i], r1.centroids()[i], 1e-8, "centroid " + i);
            }
            // the 2-D cost adds int |y - 0.5|^2 = 1/12 over the unit height
            assertEquals(r2.objective(), r1.objective() + 1.0 / 12, 1e-9);
            // the 1-D value is W2^2 by the quantile formula (docs/closed-forms.md CF-11), checked on a fine discretisation:
            // |W2^2(rho, nu) - W2^2(rho_h, nu)| <= delta (2 W + delta), delta = h / sqrt(12) for cells of width h
            int k = 2000;
            double[] centres = new double[k];
            double[] masses = new double[k];
            for (int c = 0; c < k; c++) {
                centres[c] = (c + 0.5) / k;
                masses[c] = line.value(Math.min(cells - 1, (int) (centres[c] * cells)));
            }
            double w2 = org.measureflow.ot.exact.OneDimensionalOt.cost(centres,
                    org.measureflow.ot.Histograms.normalised("m", masses), x, b, 2);
            double delta = 1.0 / (k * Math.sqrt(12));
            assertEquals(w2, r1.objective(), delta * (2 * Math.sqrt(w2) + delta));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void onALineTheDualGradientIsTheMassDefectEvenWithEmptyCells(long seed) {
        Property.check(seed, rng -> {
            int n = 8;
            double[] x = new double[n];
            double[] psi = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextDouble();
                psi[i] = 0.3 * rng.nextGaussian(); // large enough to empty some cells
            }
            GridDensity rho = GridDensity.of1d(0, 1, 5, new double[] {1, 0.5, 2, 0, 1.5});
            ParticleMeasure y = ParticleMeasure.fromFlat(x, 1);
            SemiDiscreteNewton solver = SemiDiscreteNewton.withDefaults();
            SemiDualEvaluation at = solver.evaluate(rho, y, psi);
            double total = 0;
            for (double m : at.masses()) {
                total += m;
            }
            // the cells of the envelope tile [0, 1]: the masses sum to 1
            assertEquals(1, total, 1e-12);
            double step = 1e-6;
            double[] sorted = x.clone();
            java.util.Arrays.sort(sorted);
            double gap = Double.POSITIVE_INFINITY;
            for (int i = 1; i < n; i++) {
                gap = Math.min(gap, sorted[i] - sorted[i - 1]);
            }
            // dm_i/dpsi_j = rho(z)/(2|y_i - y_j|) at a boundary z, so the gradient is Lipschitz with constant
            // L <= 2 max(rho) / (2 gap) = 2 / gap here (max rho = 2, mass 1), and a central difference is off by
            // at most L step / 2
            double tol = step / gap + 1e-9;
            for (int i = 0; i < n; i++) {
                double[] plus = psi.clone();
                double[] minus = psi.clone();
                plus[i] += step;
                minus[i] -= step;
                double fd = (solver.evaluate(rho, y, plus).objective() - solver.evaluate(rho, y, minus).objective()) / (2 * step);
                assertEquals(1.0 / n - at.masses()[i], fd, tol, "dPhi/dpsi_" + i);
            }
        });
    }

    @Test
    void rejectsCoincidentPointsAndWrongDimensions() {
        ParticleMeasure twice = ParticleMeasure.fromFlat(new double[] {0.5, 0.5, 0.5, 0.5}, 2);
        Rejections.assertRejected("target", () -> SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, twice));
        ParticleMeasure line = ParticleMeasure.fromFlat(new double[] {0.1, 0.5}, 1);
        Rejections.assertRejected("target", () -> SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, line));
        GridDensity segment = GridDensity.of1d(0, 1, 3, new double[] {1, 2, 3});
        Rejections.assertRejected("target", () -> SemiDiscreteNewton.withDefaults().solve(segment,
                ParticleMeasure.fromFlat(new double[] {0.3, 0.3}, 1)));
        Rejections.assertRejected("target", () -> SemiDiscreteNewton.withDefaults().solve(segment, gridPoints(2)));
        Rejections.assertRejected("tolerance", () -> SemiDiscreteNewton.withDefaults().withTolerance(0));
        ParticleMeasure empty = ParticleMeasure.fromFlat(new double[] {0.2, 0.5, 0.7, 0.5}, 2, new double[] {1, 0});
        Rejections.assertRejected("target", () -> SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, empty));
        Rejections.assertRejected("initialWeights",
                () -> SemiDiscreteNewton.withDefaults().solve(UNIT, gridPoints(2), new double[3]));
    }
}
