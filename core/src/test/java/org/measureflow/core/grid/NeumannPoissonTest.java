package org.measureflow.core.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.GridDensity.Grid;

/** {@link NeumannPoisson} inverts the finite-volume Neumann Laplacian on 1-, 2- and 3-D grids of any size. */
class NeumannPoissonTest {
    private static Grid grid(int dim, int n) {
        return switch (dim) {
            case 1 -> Grid.of1d(-1, 2, n);
            case 2 -> Grid.of2d(-1, 2, n, 0, 0.5, n + 3);
            default -> Grid.of3d(-1, 2, n, 0, 0.5, n + 1, 3, 4, Math.max(1, n - 2));
        };
    }

    /** -Delta_h phi with zero-flux faces, written from the definition (neighbour outside = the cell itself). */
    private static double[] negativeLaplacian(Grid g, double[] phi) {
        int dim = g.dimension();
        double[] out = new double[phi.length];
        int[] index = new int[dim];
        for (int c = 0; c < phi.length; c++) {
            int rest = c;
            for (int a = dim - 1; a >= 0; a--) {
                index[a] = rest % g.cells(a);
                rest /= g.cells(a);
            }
            double s = 0;
            for (int a = 0; a < dim; a++) {
                double h2 = g.cellSize(a) * g.cellSize(a);
                for (int sign = -1; sign <= 1; sign += 2) {
                    int[] nb = index.clone();
                    nb[a] += sign;
                    double neighbour = nb[a] < 0 || nb[a] >= g.cells(a) ? phi[c] : phi[g.flatIndex(nb)];
                    s += (phi[c] - neighbour) / h2;
                }
            }
            out[c] = s;
        }
        return out;
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3})
    void invertsTheLaplacianOnPowerOfTwoAndOtherSizes(int dim) {
        for (int n : new int[]{1, 5, 8, 16}) {
            Grid g = grid(dim, n);
            SplittableRandom rng = new SplittableRandom(31 * n + dim);
            double[] phi = new double[g.size()];
            double mean = 0;
            for (int c = 0; c < phi.length; c++) {
                phi[c] = rng.nextGaussian();
                mean += phi[c] / phi.length;
            }
            for (int c = 0; c < phi.length; c++) {
                phi[c] -= mean;
            }
            double[] f = negativeLaplacian(g, phi);
            double[] fCopy = f.clone();
            double[] solved = NeumannPoisson.of(g).solve(f);
            assertEquals(java.util.Arrays.toString(fCopy), java.util.Arrays.toString(f), "f is not modified");
            double scale = 0;
            for (double v : phi) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int c = 0; c < phi.length; c++) {
                // an orthogonal transform and a division: error O(condition number (n^2) * n * eps) of the scale
                assertEquals(phi[c], solved[c], 1e-10 * scale, "cell " + c + " on " + g);
            }
        }
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3})
    void removesTheMeanOfAnIncompatibleRightHandSide(int dim) {
        Grid g = grid(dim, 8);
        double[] f = new double[g.size()];
        java.util.Arrays.fill(f, 3.0);
        f[0] = 5.0;
        double[] phi = NeumannPoisson.of(g).solve(f);
        double[] back = negativeLaplacian(g, phi);
        double mean = 3.0 + 2.0 / f.length;
        double phiMean = 0;
        for (int c = 0; c < f.length; c++) {
            // the compatible part f - mean(f) is reproduced to round-off of the O(1/h^2) Laplacian
            assertEquals(f[c] - mean, back[c], 1e-9 * 64 * 64, "cell " + c);
            phiMean += phi[c];
        }
        assertTrue(Math.abs(phiMean) < 1e-12 * f.length, "phi has mean 0");
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3})
    void rejectsBadInput(int dim) {
        Grid g = grid(dim, 4);
        NeumannPoisson p = NeumannPoisson.of(g);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.solve(new double[g.size() + 1]))
                .getMessage().contains("f"));
        double[] bad = new double[g.size()];
        bad[bad.length - 1] = Double.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.solve(bad)).getMessage().contains("f"));
        assertThrows(IllegalArgumentException.class, () -> NeumannPoisson.of(null));
    }
}
