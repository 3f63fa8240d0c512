package org.measureflow.ot.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.velocity.DensityPath;
import org.measureflow.core.velocity.LeastEffort;
import org.measureflow.core.velocity.LeastEffortPathResult;

/**
 * Benamou&ndash;Brenier on a grid: along McCann's geodesic between two Gaussians the least-effort field is the
 * optimal one, so its kinetic energy is \( W_2^2 \) at every time and its integral over \( [0, 1] \) is the
 * Bures&ndash;Wasserstein \( W_2^2 \) (survey eqs. 4&ndash;6 and 11, Prop. 4.3).
 */
class LeastEffortGeodesicTest {
    private static final GaussianMeasure MU = GaussianMeasure.of(new double[]{-0.4, 0.1},
            new double[][]{{0.5, 0.1}, {0.1, 0.4}});
    private static final GaussianMeasure NU = GaussianMeasure.of(new double[]{0.4, -0.2},
            new double[][]{{0.4, -0.08}, {-0.08, 0.6}});
    private static final double W2 = BuresWasserstein.squaredDistance(MU, NU);

    private static Grid grid(int n) {
        return Grid.of2d(-4.5, 4.5, n, -4.5, 4.5, n);
    }

    private static GridDensity density(Grid grid, double t) {
        GaussianMeasure g = BuresWasserstein.geodesic(MU, NU, t);
        return GridDensity.fromFunction(grid, x -> Math.exp(g.logDensity(x)));
    }

    /**
     * The exact rate of the geodesic \( \mathcal N(m_t, S_t) \), \( S_t = G_t S_0 G_t \), \( G_t = (1-t)I + tA \):
     * \( \dot m = m_1 - m_0 \), \( \dot S = (A - I) S_0 G_t + G_t S_0 (A - I) \), and
     * \( \partial_t\rho = \rho\,[z^\top S^{-1}\dot m + \tfrac12 z^\top S^{-1}\dot S S^{-1} z - \tfrac12\mathrm{tr}(S^{-1}\dot S)] \),
     * \( z = x - m_t \).
     */
    private static double[] rate(Grid grid, double t) {
        DMatrixRMaj a = BuresWasserstein.mongeMap(MU, NU).matrix();
        DMatrixRMaj s0 = MU.covariance();
        double[][] g = new double[2][2];
        double[][] e = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                g[i][j] = t * a.get(i, j) + (i == j ? 1 - t : 0);
                e[i][j] = a.get(i, j) - (i == j ? 1 : 0);
            }
        }
        double[][] sDot = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        sDot[i][j] += e[i][k] * s0.get(k, l) * g[l][j] + g[i][k] * s0.get(k, l) * e[l][j];
                    }
                }
            }
        }
        GaussianMeasure mt = BuresWasserstein.geodesic(MU, NU, t);
        double[] m = mt.mean();
        DMatrixRMaj s = mt.covariance();
        double det = s.get(0, 0) * s.get(1, 1) - s.get(0, 1) * s.get(1, 0);
        double[][] inv = {{s.get(1, 1) / det, -s.get(0, 1) / det}, {-s.get(1, 0) / det, s.get(0, 0) / det}};
        double[] mDot = {NU.mean()[0] - MU.mean()[0], NU.mean()[1] - MU.mean()[1]};
        double[] centres = grid.cellCentres();
        double[] out = new double[grid.size()];
        for (int c = 0; c < out.length; c++) {
            double[] z = {centres[2 * c] - m[0], centres[2 * c + 1] - m[1]};
            double[] w = {inv[0][0] * z[0] + inv[0][1] * z[1], inv[1][0] * z[0] + inv[1][1] * z[1]};
            double quadratic = 0;
            double trace = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    quadratic += w[i] * sDot[i][j] * w[j];
                    trace += inv[i][j] * sDot[j][i];
                }
            }
            double rho = Math.exp(mt.logDensity(new double[]{centres[2 * c], centres[2 * c + 1]}));
            out[c] = rho * (w[0] * mDot[0] + w[1] * mDot[1] + 0.5 * quadratic - 0.5 * trace);
        }
        return out;
    }

    /** The least-effort action over 5 path times with their exact rates (trapezoid rule: E(t) is constant). */
    private static LeastEffortPathResult exactRates(int n) {
        Grid grid = grid(n);
        double[] times = {0, 0.25, 0.5, 0.75, 1};
        GridDensity[] densities = new GridDensity[times.length];
        double[][] rates = new double[times.length][];
        for (int i = 0; i < times.length; i++) {
            densities[i] = density(grid, times[i]);
            rates[i] = rate(grid, times[i]);
        }
        LeastEffortPathResult result = LeastEffort.withDefaults().solve(DensityPath.of(times, densities, rates));
        assertTrue(result.converged(), result.toString());
        return result;
    }

    @Test
    void theIntegratedKineticEnergyIsTheSquaredWassersteinDistanceToSecondOrder() {
        LeastEffortPathResult coarse = exactRates(128);
        LeastEffortPathResult fine = exactRates(256);
        double errorCoarse = Math.abs(coarse.action() - W2);
        double errorFine = Math.abs(fine.action() - W2);
        System.out.println("W2^2 = " + W2 + "; " + coarse + "\n" + fine + "\nerrors " + errorCoarse + ", "
                + errorFine + ", ratio " + errorCoarse / errorFine);
        // with exact rates only the grid errs, at O(h^2): halving h divides the error by about 4 (measured 2.9 from
        // 64^2 to 128^2, where h is a quarter of the smallest sd, and 3.7 from 128^2 to 256^2)
        assertTrue(errorCoarse / errorFine > 3.3 && errorCoarse / errorFine < 4.7, "ratio " + errorCoarse / errorFine);
        // constant speed: every node's energy is W2^2 to the grid's accuracy (1e-4 relative at 256^2)
        for (double e : fine.kineticEnergies()) {
            assertEquals(W2, e, 1e-4 * W2);
        }
    }

    @Test
    void finiteDifferencesAlongTheGeodesicGiveTheSameAction() {
        Grid grid = grid(128);
        int steps = 16;
        double[] times = new double[steps + 1];
        GridDensity[] densities = new GridDensity[steps + 1];
        for (int i = 0; i <= steps; i++) {
            times[i] = (double) i / steps;
            densities[i] = density(grid, times[i]);
        }
        LeastEffortPathResult result = LeastEffort.withDefaults().solve(DensityPath.of(times, densities));
        System.out.println("finite differences: " + result + ", W2^2 = " + W2);
        // the grid errs by 8e-5 of W2^2 at 128^2 (the exact-rate test), the midpoint densities and rates of the
        // intervals by O(dt^2); measured 1.4e-4 in all at dt = 1/16, and 5e-4 allows an interval constant 3x larger
        assertEquals(W2, result.action(), 5e-4 * W2);
    }
}
