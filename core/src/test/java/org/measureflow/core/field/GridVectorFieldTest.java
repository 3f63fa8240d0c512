package org.measureflow.core.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.grid.NeumannPoisson;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.testing.Property;

/**
 * {@link GridVectorField}: the staggered layout, multilinear interpolation (exact for affine fields between the
 * nodes, constant outside the box), the adjoint pair gradient / flux divergence, and the kinetic energy in its two
 * forms.
 */
class GridVectorFieldTest {
    private static Grid grid(int dim) {
        return switch (dim) {
            case 1 -> Grid.of1d(-1, 2, 12);
            case 2 -> Grid.of2d(-1, 2, 12, 0, 0.5, 7);
            default -> Grid.of3d(-1, 2, 6, 0, 0.5, 5, 3, 4, 4);
        };
    }

    /** An affine field A x + b in dimension d with fixed coefficients. */
    private static VectorField affine(int d) {
        return (t, x, xo, out, oo) -> {
            for (int k = 0; k < d; k++) {
                double v = 0.3 * k - 0.7;
                for (int l = 0; l < d; l++) {
                    v += (1 + k - 0.5 * l) * x[xo + l];
                }
                out[oo + k] = v;
            }
        };
    }

    private static double[] randomValues(SplittableRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(lo, hi);
        }
        return v;
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3})
    void interpolationReproducesAnAffineFieldBetweenTheNodes(int dim) {
        Grid g = grid(dim);
        VectorField u = affine(dim);
        GridVectorField field = GridVectorField.fromField(g, u, 0);
        SplittableRandom rng = new SplittableRandom(dim);
        double[] x = new double[dim];
        double[] expected = new double[dim];
        double[] actual = new double[dim];
        for (int trial = 0; trial < 200; trial++) {
            // inside the nodes of every component: one full cell away from each face of the box
            for (int k = 0; k < dim; k++) {
                x[k] = rng.nextDouble(g.lower(k) + g.cellSize(k), g.upper(k) - g.cellSize(k));
            }
            u.velocity(0, x, expected);
            field.velocity(0.7, x, actual);
            // multilinear interpolation is exact for affine functions: rounding only
            assertArrayEquals(expected, actual, 1e-12, "at " + java.util.Arrays.toString(x));
        }
    }

    @Test
    void outsideTheBoxTheNormalComponentIsZeroAndTheTangentialOneIsExtended() {
        Grid g = grid(2);
        GridVectorField field = GridVectorField.fromField(g, affine(2), 0);
        double[] inside = {0.4, 0.5};     // on the upper y edge
        double[] outside = {0.4, 3.0};    // beyond it
        double[] a = new double[2];
        double[] b = new double[2];
        field.velocity(0, inside, a);
        field.velocity(0, outside, b);
        assertEquals(0, a[1], 1e-15, "no flow through the boundary");
        assertEquals(0, b[1], 1e-15);
        assertEquals(a[0], b[0], 1e-15, "constant extension of the tangential component");
        double[] corner = {-10, -10};
        field.velocity(0, corner, b);
        assertEquals(0, b[0], 1e-15);
        assertEquals(0, b[1], 1e-15);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void gradientAndFluxDivergenceAreAdjointAndConserveMass(long seed) {
        Property.check(seed, rng -> {
            int dim = 1 + rng.nextInt(3);
            Grid g = grid(dim);
            int n = g.size();
            GridDensity rho = GridDensity.of(g, randomValues(rng, n, 0, 2));
            double[] phi = randomValues(rng, n, -1, 1);
            GridVectorField w = GridVectorField.fromField(g, (t, x, xo, out, oo) -> {
                for (int k = 0; k < dim; k++) {
                    out[oo + k] = Math.sin(3 * x[xo] + k) + x[xo + dim - 1];
                }
            }, 0);
            double[] div = w.fluxDivergence(rho);
            double lhs = GridVectorField.gradient(g, phi).innerProduct(w, rho);
            double rhs = 0;
            double total = 0;
            double scale = 0;
            for (int c = 0; c < n; c++) {
                rhs -= phi[c] * div[c] * g.cellVolume();
                total += div[c];
                scale += Math.abs(div[c]);
            }
            // summation by parts on the faces: an identity, up to rounding
            assertEquals(lhs, rhs, 1e-12 * (Math.abs(lhs) + scale * g.cellVolume()));
            assertEquals(0, total, 1e-12 * scale, "no flux through the boundary: the mass is conserved");
        });
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3})
    void unitWeightsGiveTheNeumannLaplacian(int dim) {
        Grid g = grid(dim);
        SplittableRandom rng = new SplittableRandom(7 + dim);
        double[] phi = randomValues(rng, g.size(), -1, 1);
        double[] ones = new double[g.size()];
        java.util.Arrays.fill(ones, 1);
        double[] div = GridVectorField.gradient(g, phi).fluxDivergence(GridDensity.of(g, ones));
        for (int c = 0; c < div.length; c++) {
            div[c] = -div[c];
        }
        // -div(grad phi) is the finite-volume Neumann Laplacian that NeumannPoisson inverts (mean removed)
        double[] back = NeumannPoisson.of(g).solve(div);
        double mean = java.util.Arrays.stream(phi).average().orElseThrow();
        for (int c = 0; c < phi.length; c++) {
            assertEquals(phi[c] - mean, back[c], 1e-10);
        }
    }

    @Test
    void kineticEnergyIsTheCellSumOfTheMeanSquaredFaceValues() {
        Grid g = grid(2);
        SplittableRandom rng = new SplittableRandom(3);
        GridDensity rho = GridDensity.of(g, randomValues(rng, g.size(), 0, 3));
        GridVectorField v = GridVectorField.fromField(g, affine(2), 0);
        int nx = g.cells(0);
        int ny = g.cells(1);
        double[] vx = v.component(0);
        double[] vy = v.component(1);
        double sum = 0;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                int c = i * ny + j;
                double lowX = i > 0 ? vx[c - ny] : 0;
                double lowY = j > 0 ? vy[c - 1] : 0;
                double speed2 = 0.5 * (vx[c] * vx[c] + lowX * lowX) + 0.5 * (vy[c] * vy[c] + lowY * lowY);
                sum += rho.value(c) * speed2 * g.cellVolume();
            }
        }
        assertEquals(sum, v.kineticEnergy(rho), 1e-12 * sum);
    }

    @Test
    void arithmeticKeepsTheLayoutAndChecksItsArguments() {
        Grid g = grid(2);
        GridVectorField a = GridVectorField.fromField(g, affine(2), 0);
        GridVectorField b = a.scaled(-2).plus(a).minus(a.scaled(-1)); // -2a + a + a = 0
        assertEquals(0, b.maxComponent(), 1e-12);
        assertEquals(0, GridVectorField.zero(g).maxComponent());
        assertEquals(2 * a.maxComponent(), a.scaled(2).maxComponent(), 1e-12);
        GridVectorField other = GridVectorField.zero(grid(1));
        assertRejected("other", () -> a.plus(other));
        assertRejected("factor", () -> a.scaled(Double.NaN));
        assertRejected("rho", () -> a.kineticEnergy(GridDensity.of(grid(1), new double[12])));
        double[] vx = a.component(0);
        vx[0] = 99;
        assertTrue(a.component(0)[0] != 99, "component returns a copy");
    }

    @Test
    void facesOnTheBoundaryAndBadValuesAreRejected() {
        Grid g = grid(2);
        int n = g.size();
        double[] vx = new double[n];
        double[] vy = new double[n];
        vx[(g.cells(0) - 1) * g.cells(1)] = 1; // the upper x boundary face of cell (nx - 1, 0)
        assertRejected("components[0][" + (g.cells(0) - 1) * g.cells(1) + "]", () -> GridVectorField.of(g, vx, vy));
        vx[(g.cells(0) - 1) * g.cells(1)] = 0;
        vy[g.cells(1) - 1] = 2; // the upper y boundary face of cell (0, ny - 1)
        assertRejected("components[1]", () -> GridVectorField.of(g, vx, vy));
        vy[g.cells(1) - 1] = Double.NaN;
        assertRejected("components[1]", () -> GridVectorField.of(g, vx, vy));
        assertRejected("components", () -> GridVectorField.of(g, vx));
        assertRejected("components[0]", () -> GridVectorField.of(g, new double[3], vy));
        assertRejected("field", () -> GridVectorField.fromField(g, (t, x, xo, out, oo) -> out[oo] = 1 / 0.0, 0));
        assertRejected("potential", () -> GridVectorField.gradient(g, new double[2]));
        vy[g.cells(1) - 1] = 0;
        vy[0] = 5;
        GridVectorField ok = GridVectorField.of(g, vx, vy);
        vy[0] = 6;
        assertEquals(5, ok.component(1)[0], "the arrays were copied");
    }
}
