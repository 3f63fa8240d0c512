package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;

/**
 * An interaction term in the JKO step (linearised at \( \rho_k \)): McKean&ndash;Vlasov
 * \( \partial_t\rho = D\Delta\rho + \mathrm{div}(\rho\nabla(W*\rho)) \) with \( W = |x|^2/2 \) keeps the mean and
 * gives \( S' = 2D - 2S \) (docs/closed-forms.md CF-7 with G = 1), so \( S(t) = D + (S_0 - D)e^{-2t} \).
 */
class InteractionJkoTest {
    @Test
    void quadraticInteractionWithDiffusionFollowsTheMomentClosure() {
        double d = 0.4;
        double s0 = 1.2;
        double m0 = 0.7;
        double t = 1.0;
        int steps = 40;
        double tau = t / steps;
        GridDensity.Grid grid = GridDensity.Grid.of1d(-5, 6, 220);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - m0) * (x[0] - m0) / (2 * s0)))
                .normalised();
        GridEnergy f = InternalEnergy.entropy(d).plus(InteractionEnergy.quadratic());
        JkoResult flow = EntropicJko.of(tau, JkoEpsilon.gridAdapted()).flow(rho0, f, steps);
        assertTrue(flow.converged());
        GridDensity rho = flow.finalDensity();
        double h = grid.cellSize(0);
        // the PDE keeps the mean; the scheme too up to the O(h^2) asymmetry of the grid around the mean and the
        // tails cut at the box (e^{-4.3^2/2.4})
        assertEquals(m0, rho.mean()[0], 1e-3);
        double exact = d + (s0 - d) * Math.exp(-2 * t);
        // first order: |S''| = 4 |S0 - D| e^{-2t} <= 3.2, global error <= tau T max|S''| (as in FokkerPlanckTest)
        assertEquals(exact, rho.covariance().get(0, 0) + h * h / 12, tau * t * 4 * Math.abs(s0 - d));
        assertEquals(rho0.mass(), rho.mass(), 1e-12);
    }
}
