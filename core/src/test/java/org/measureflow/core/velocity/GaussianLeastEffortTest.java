package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * The least-effort field of a moving Gaussian \( \mathcal N(m_t, S_t) \) is affine,
 * \( v = \dot m + A(x - m) \) with \( AS + SA = \dot S \); the grid solution converges to it at second order.
 */
class GaussianLeastEffortTest {
    /** sd 1 along x and 0.5 along y, correlation 0.3; any mean and covariance rates. */
    static final GaussianPaths PATH = new GaussianPaths(new double[]{0.3, -0.2},
            new double[][]{{1, 0.15}, {0.15, 0.25}}, new double[]{0.5, 0.2}, new double[][]{{0.4, 0.1}, {0.1, -0.2}});

    private static double error(int n) {
        Grid grid = Grid.of2d(-6, 6, n, -6, 6, n);
        GridDensity rho = PATH.density(grid);
        LeastEffortResult result = LeastEffort.withDefaults().solve(rho, PATH.derivative(grid));
        assertTrue(result.converged(), result.toString());
        double error = PATH.weightedError(result.field(), rho);
        System.out.println("n=" + n + ": " + result + ", weighted error " + error);
        return error;
    }

    @Test
    void gridFieldConvergesToTheAffineFieldAtSecondOrder() {
        double coarse = error(64);
        double fine = error(128);
        double ratio = coarse / fine;
        System.out.println("error ratio 64 -> 128: " + ratio);
        // second order: halving h divides the error by 4 (a first-order scheme would give 2); the box holds 6 sd
        assertTrue(ratio > 3.3 && ratio < 4.7, "ratio " + ratio + " (errors " + coarse + ", " + fine + ")");
    }
}
