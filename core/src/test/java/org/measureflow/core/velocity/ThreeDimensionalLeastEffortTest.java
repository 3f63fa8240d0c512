package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * In 3-D: a Gaussian with independent coordinates, \( \rho = \prod_k \mathcal N(x_k; m_k, s_k^2) \), moving with
 * \( \dot m_k \), \( \dot s_k \), has the least-effort field \( v_k = \dot m_k + (\dot s_k/s_k)(x_k - m_k) \) (the
 * Lyapunov equation with diagonal \( S \)); the grid solution converges to it at second order, and both
 * reconstructions reproduce the rate.
 */
class ThreeDimensionalLeastEffortTest {
    private static final double[] M = {0.2, -0.1, 0.3};
    private static final double[] S = {1.0, 0.8, 0.9};
    private static final double[] M_DOT = {0.4, -0.2, 0.1};
    private static final double[] S_DOT = {0.3, -0.1, 0.2};

    private static double density(double[] x) {
        double q = 0;
        double norm = 1;
        for (int k = 0; k < 3; k++) {
            double z = (x[k] - M[k]) / S[k];
            q += z * z;
            norm *= S[k] * Math.sqrt(2 * Math.PI);
        }
        return Math.exp(-0.5 * q) / norm;
    }

    /** \( \partial_t\rho = \rho\sum_k [z_k\dot m_k/s_k + \dot s_k(z_k^2 - 1)/s_k] \). */
    private static double rate(double[] x) {
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            double z = (x[k] - M[k]) / S[k];
            sum += z * M_DOT[k] / S[k] + S_DOT[k] * (z * z - 1) / S[k];
        }
        return density(x) * sum;
    }

    private static double[] errors(int n) {
        Grid grid = Grid.of3d(-5, 5, n, -4.5, 4.5, n, -5, 5, n);
        GridDensity rho = GridDensity.fromFunction(grid, ThreeDimensionalLeastEffortTest::density);
        double[] centres = grid.cellCentres();
        double[] rate = new double[grid.size()];
        double[] x = new double[3];
        for (int c = 0; c < rate.length; c++) {
            System.arraycopy(centres, 3 * c, x, 0, 3);
            rate[c] = rate(x);
        }
        LeastEffortResult le = LeastEffort.withDefaults().solve(rho, rate);
        DacorognaMoserResult dm = DacorognaMoser.withDefaults().solve(rho, rate);
        assertTrue(le.converged(), le.toString());
        // the mass-weighted face error against the affine field, as in 2-D
        double num = 0;
        double den = 0;
        for (int k = 0; k < 3; k++) {
            double[] v = le.field().component(k);
            int stride = k == 0 ? n * n : k == 1 ? n : 1;
            for (int c = 0; c < v.length; c++) {
                if ((c / stride) % n == n - 1) {
                    continue;
                }
                double face = centres[3 * c + k] + 0.5 * grid.cellSize(k);
                double exact = M_DOT[k] + S_DOT[k] / S[k] * (face - M[k]);
                double w = 0.5 * (rho.value(c) + rho.value(c + stride));
                num += w * (v[c] - exact) * (v[c] - exact);
                den += w * exact * exact;
            }
        }
        // with the weights the solver used (rho floored at le.floor()) the residual is the CG's alone
        double[] floored = rho.values();
        for (int c = 0; c < floored.length; c++) {
            floored[c] = Math.max(floored[c], le.floor());
        }
        double residualLe = residual(le.field(), GridDensity.of(grid, floored), rate, le.growthRate(), rho);
        double residualDm = residual(dm.field(), rho, rate, dm.growthRate(), rho);
        System.out.println("3-D, n=" + n + ": " + le + ", weighted error " + Math.sqrt(num / den)
                + ", continuity residuals " + residualLe + " (least effort, its weights), " + residualDm
                + " (Dacorogna-Moser, rho, " + dm.flooredCells() + " floored cells)");
        return new double[]{Math.sqrt(num / den), residualLe, le.kineticEnergy(), dm.kineticEnergy()};
    }

    /** Relative L2 residual of \( \mathrm{div}_h(w v) + \partial_t\rho - \gamma\rho \) over all cells. */
    private static double residual(GridVectorField v, GridDensity weights, double[] rate, double growth,
            GridDensity rho) {
        double[] div = v.fluxDivergence(weights);
        double num = 0;
        double den = 0;
        for (int c = 0; c < div.length; c++) {
            double r = div[c] + rate[c] - growth * rho.value(c);
            num += r * r;
            den += rate[c] * rate[c];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void gridFieldConvergesToTheAffineFieldAtSecondOrder() {
        double[] coarse = errors(24);
        double[] fine = errors(48);
        double ratio = coarse[0] / fine[0];
        System.out.println("3-D error ratio 24 -> 48: " + ratio);
        // second order: halving h divides the error by about 4 (first order: 2)
        assertTrue(ratio > 3.3 && ratio < 4.7, "ratio " + ratio);
        // the weighted equation is solved to the CG tolerance: 1e-10 relative to the compatible source, which is the
        // rate up to the growth term (mass leaving the box, 1e-5)
        assertTrue(fine[1] < 1e-9, "least-effort continuity residual " + fine[1]);
        assertTrue(fine[2] < fine[3], "least effort has the smaller kinetic energy");
    }
}
