package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.InternalEnergy;

/**
 * The entropic JKO scheme for \( \int\rho^2 \) (porous medium, m = 2) against the Barenblatt profile
 * (docs/closed-forms.md CF-6): in 1-D, \( U(x,t) = t^{-1/3}(C - x^2 t^{-2/3}/12)_+ \) with mass 1 for
 * \( C = (\tfrac34 \sqrt{1/12})^{2/3} \) (from \( \int (C - kx^2)_+ = \tfrac43 C^{3/2}/\sqrt k \)).
 */
class PorousMediumJkoTest {
    private static final double K = 1.0 / 12;
    private static final double C = Math.pow(0.75 * Math.sqrt(K), 2.0 / 3);
    private static final double T0 = 1.0;
    private static final double T1 = 1.5;
    private static final double L = 3.5;

    static double barenblatt(double x, double t) {
        double v = C - K * x * x * Math.pow(t, -2.0 / 3);
        return v > 0 ? Math.pow(t, -1.0 / 3) * v : 0.0;
    }

    @Test
    void theBarenblattConstantGivesMassOne() {
        // the docs/closed-forms.md CF-6 with d = 1, gamma = 1: C = (M k^{1/2} Gamma(5/2) / (pi^{1/2} Gamma(2)))^{2/3}
        double gamma52 = 0.75 * Math.sqrt(Math.PI);
        double spec = Math.pow(Math.sqrt(K) * gamma52 / Math.sqrt(Math.PI), 1 / 1.5);
        assertEquals(spec, C, 1e-15);
        GridDensity u = GridDensity.fromFunction(GridDensity.Grid.of1d(-L, L, 20_000), x -> barenblatt(x[0], T0));
        // midpoint rule on a profile with a kink at the support edge: error O(h^2) ~ 1e-7
        assertEquals(1.0, u.mass(), 1e-6);
    }

    @Test
    void jkoStaysCloseToBarenblattWithAnL1ErrorThatShrinksUnderRefinement() {
        int[] cells = {50, 100, 200};
        double[] errors = new double[3];
        for (int level = 0; level < 3; level++) {
            int n = cells[level];
            double h = 2 * L / n;
            int steps = (int) Math.round((T1 - T0) / (0.5 * h));
            double tau = (T1 - T0) / steps;
            GridDensity.Grid grid = GridDensity.Grid.of1d(-L, L, n);
            GridDensity rho0 = GridDensity.fromFunction(grid, x -> barenblatt(x[0], T0));
            EntropicJko jko = EntropicJko.of(tau, h * h);
            JkoResult flow = jko.flow(rho0, InternalEnergy.porousMedium(2), steps);
            assertTrue(flow.converged(), "converged at level " + level);
            GridDensity rho = flow.finalDensity();
            assertEquals(rho0.mass(), rho.mass(), 1e-12, "mass conserved (exact first marginal)");
            double l1 = 0;
            for (int c = 0; c < n; c++) {
                l1 += Math.abs(rho.value(c) - barenblatt(grid.centre(0, c), T1)) * h;
            }
            errors[level] = l1;
            // the blur adds diffusion eps / (4 tau) = h / 2 here, so the error is O(h + tau) = O(h)
            assertTrue(l1 < 2 * h, "L1 error " + l1 + " below 2h = " + 2 * h + " at level " + level);
        }
        // first order: each refinement divides the error by about 2
        assertTrue(errors[1] < 0.65 * errors[0], "first refinement " + errors[0] + " -> " + errors[1]);
        assertTrue(errors[2] < 0.65 * errors[1], "second refinement " + errors[1] + " -> " + errors[2]);
    }
}
