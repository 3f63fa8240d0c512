package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * In 1-D the continuity equation fixes the flux, so every reconstruction is the flux formula
 * \( v(x) = -\frac{1}{\rho(x)}\int_{-\infty}^x \partial_t\rho \). The path: a mixture of two Gaussians moving and
 * spreading differently, whose flux is known in closed form:
 * \( \int_{-\infty}^x \partial_t\rho = \sum_i w_i\,\partial_t\Phi(z_i) = -\sum_i w_i\,\mathcal N_i(x)(\dot\mu_i + \dot s_i z_i) \),
 * \( z_i = (x - \mu_i)/s_i \).
 */
class OneDimensionalFluxTest {
    private static final double[] W = {0.6, 0.4};
    private static final double[] MU = {-1.0, 1.5};
    private static final double[] S = {0.6, 0.9};
    private static final double[] MU_DOT = {0.8, -0.3};
    private static final double[] S_DOT = {0.2, -0.4};

    private static double normal(int i, double x) {
        double z = (x - MU[i]) / S[i];
        return Math.exp(-0.5 * z * z) / (S[i] * Math.sqrt(2 * Math.PI));
    }

    private static double density(double x) {
        return W[0] * normal(0, x) + W[1] * normal(1, x);
    }

    /** \( \partial_t \mathcal N(x; \mu, s^2) = \mathcal N\,[z\dot\mu/s + \dot s (z^2 - 1)/s] \). */
    private static double derivative(double x) {
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            double z = (x - MU[i]) / S[i];
            sum += W[i] * normal(i, x) * (z * MU_DOT[i] / S[i] + S_DOT[i] * (z * z - 1) / S[i]);
        }
        return sum;
    }

    /** The flux formula \( -\frac1\rho\int_{-\infty}^x\partial_t\rho \). */
    private static double fluxFormula(double x) {
        double flux = 0;
        for (int i = 0; i < 2; i++) {
            double z = (x - MU[i]) / S[i];
            flux += W[i] * normal(i, x) * (MU_DOT[i] + S_DOT[i] * z);
        }
        return flux / density(x);
    }

    /** Largest error at the faces where the density is at least 1e-3 of its maximum, relative to max |v| there. */
    private static double[] errors(int n) {
        Grid grid = Grid.of1d(-6, 8, n);
        GridDensity rho = GridDensity.fromFunction(grid, p -> density(p[0]));
        double[] rate = new double[n];
        for (int c = 0; c < n; c++) {
            rate[c] = derivative(grid.centre(0, c));
        }
        LeastEffortResult leastEffort = LeastEffort.withDefaults().solve(rho, rate);
        DacorognaMoserResult dacorognaMoser = DacorognaMoser.withDefaults().solve(rho, rate);
        assertTrue(leastEffort.converged(), leastEffort.toString());
        double[] le = leastEffort.field().component(0);
        double[] dm = dacorognaMoser.field().component(0);
        double max = 0;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, rho.value(c));
        }
        double scale = 0;
        double errorLe = 0;
        double errorDm = 0;
        double apart = 0;
        for (int c = 0; c < n - 1; c++) {
            if (Math.min(rho.value(c), rho.value(c + 1)) < 1e-3 * max) {
                continue;
            }
            double exact = fluxFormula(grid.centre(0, c) + 0.5 * grid.cellSize(0));
            scale = Math.max(scale, Math.abs(exact));
            errorLe = Math.max(errorLe, Math.abs(le[c] - exact));
            errorDm = Math.max(errorDm, Math.abs(dm[c] - exact));
            apart = Math.max(apart, Math.abs(le[c] - dm[c]));
        }
        System.out.println("1-D, n=" + n + ": errors " + errorLe / scale + " (least effort), " + errorDm / scale
                + " (Dacorogna-Moser), apart " + apart / scale + "; " + leastEffort);
        return new double[]{errorLe / scale, errorDm / scale, apart / scale};
    }

    @Test
    void bothMethodsAreTheFluxFormulaToSecondOrder() {
        double[] coarse = errors(200);
        double[] fine = errors(400);
        // the discrete flux is the same sum for both: they differ by the conjugate-gradient residual (tolerance 1e-10)
        assertEquals(0, fine[2], 1e-7);
        assertEquals(0, coarse[2], 1e-7);
        // midpoint sums, face averages and the centred source are all O(h^2): halving h divides the error by 4
        double ratio = coarse[0] / fine[0];
        System.out.println("1-D error ratio 200 -> 400: " + ratio);
        assertTrue(ratio > 3.3 && ratio < 4.7, "ratio " + ratio);
        assertTrue(coarse[1] / fine[1] > 3.3 && coarse[1] / fine[1] < 4.7, "Dacorogna-Moser ratio");
    }
}
