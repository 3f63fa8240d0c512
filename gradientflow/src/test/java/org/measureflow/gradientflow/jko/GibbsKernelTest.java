package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;

/** The separable Gibbs convolution against the dense kernel \( e^{-|x_c - x_{c'}|^2/\varepsilon} \). */
class GibbsKernelTest {
    private static void compare(GridDensity.Grid grid, double epsilon) {
        int n = grid.size();
        int d = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] v = new double[n];
        SplittableRandom rng = new SplittableRandom(21);
        for (int c = 0; c < n; c++) {
            v[c] = rng.nextDouble();
        }
        double[] out = new double[n];
        new GibbsKernel(grid, epsilon).apply(v, out, new double[n]);
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (int e = 0; e < n; e++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double z = centres[c * d + k] - centres[e * d + k];
                    r2 += z * z;
                }
                s += Math.exp(-r2 / epsilon) * v[e];
            }
            // entries below 1e-20 of the centre weight are cut (at most n of them, values < 1): plus rounding
            assertEquals(s, out[c], 1e-20 * n + 1e-14 * s, "cell " + c + " eps " + epsilon);
        }
    }

    @Test
    void separableConvolutionEqualsTheDenseKernelIn1d() {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-1, 2, 37);
        for (double eps : new double[]{1e-3, 0.02, 0.5, 10}) {
            compare(grid, eps);
        }
    }

    @Test
    void separableConvolutionEqualsTheDenseKernelIn2d() {
        GridDensity.Grid grid = GridDensity.Grid.of2d(-1, 1, 13, 0, 3, 17);
        for (double eps : new double[]{1e-3, 0.05, 0.7, 20}) {
            compare(grid, eps);
        }
    }
}
