package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.InternalEnergy;

/**
 * The entropic JKO scheme for \( F = \int\rho\log\rho \) against the heat flow \( \mathcal N(0, s_0) \to
 * \mathcal N(0, s_0 + 2t) \) (docs/closed-forms.md CF-4).
 */
class HeatJkoTest {
    private static final double S0 = 0.5;
    private static final double T = 0.5;
    private static final double L = 6.0;

    private static double gaussian(double x, double s) {
        return Math.exp(-x * x / (2 * s)) / Math.sqrt(2 * Math.PI * s);
    }

    /** Runs the scheme with n cells and tau = T / steps, epsilon = tau. */
    private static JkoResult run(int n, int steps) {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-L, L, n);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> gaussian(x[0], S0));
        double tau = T / steps;
        return EntropicJko.of(tau, tau).flow(rho0, InternalEnergy.entropy(), steps);
    }

    private static double l1ToExact(GridDensity rho) {
        double h = rho.grid().cellSize(0);
        double s = 0;
        for (int c = 0; c < rho.size(); c++) {
            s += Math.abs(rho.value(c) - gaussian(rho.grid().centre(0, c), S0 + 2 * T)) * h;
        }
        return s;
    }

    /** The exact JKO step for Gaussians (epsilon = 0): S' solves (S' - tau)^2 = S' s (optimality of Y = aX). */
    private static double gaussianJkoVariance(double s, double tau, int steps) {
        for (int k = 0; k < steps; k++) {
            s = (2 * tau + s + Math.sqrt(s * s + 4 * s * tau)) / 2;
        }
        return s;
    }

    @Test
    void jkoMatchesTheHeatKernelWithAnErrorThatHalvesUnderRefinement() {
        int[] cells = {100, 200, 400};
        int[] steps = {10, 20, 40};
        double[] errors = new double[3];
        for (int level = 0; level < 3; level++) {
            JkoResult flow = run(cells[level], steps[level]);
            assertTrue(flow.converged(), "all steps converged at level " + level);
            GridDensity rho = flow.finalDensity();
            errors[level] = l1ToExact(rho);
            double tau = T / steps[level];
            double h = 2 * L / cells[level];
            // The scheme is the JKO scheme plus a compensated blur: its variance follows the exact Gaussian JKO
            // recursion up to the blur's second-order remainder O(eps tau / S) per step, i.e. O(tau T / s0) in
            // total with eps = tau; the midpoint covariance omits the within-cell variance h^2/12.
            double variance = rho.covariance().get(0, 0) + h * h / 12;
            double jko = gaussianJkoVariance(S0, tau, steps[level]);
            assertEquals(jko, variance, tau * T / S0, "variance vs the Gaussian JKO recursion, level " + level);
            // and the JKO recursion itself is within O(tau) of the PDE (implicit Euler, first order)
            assertEquals(S0 + 2 * T, jko, tau, "Gaussian JKO recursion vs closed form, level " + level);
        }
        // first order in tau (h^2 << tau here): halving tau and h halves the error; 0.6 leaves room for O(tau^2)
        assertTrue(errors[1] < 0.6 * errors[0], "first refinement: " + errors[0] + " -> " + errors[1]);
        assertTrue(errors[2] < 0.6 * errors[1], "second refinement: " + errors[1] + " -> " + errors[2]);
        // the L1 error of the exact Gaussian JKO density is about |dS| / (S sqrt(2 pi e)) <~ 0.05 tau / ... < tau
        assertTrue(errors[2] < T / steps[2], "finest L1 error " + errors[2] + " below tau");
    }

    @Test
    void entropyDecreasesAtEveryStepAndMassIsConservedTo1e12() {
        JkoResult flow = run(200, 20);
        GridDensity rho0 = flow.initial();
        double previous = InternalEnergy.entropy().value(rho0);
        for (JkoStepResult step : flow.steps()) {
            assertTrue(step.energy() < previous, "entropy decreased: " + previous + " -> " + step.energy());
            previous = step.energy();
            // the returned density is the second marginal of a plan whose first marginal is exactly rho_k:
            // only rounding (~ n * 1e-16) remains
            assertEquals(rho0.mass(), step.density().mass(), 1e-12, "mass");
            assertTrue(step.converged() && step.error() <= 1e-9, "step converged: " + step);
            assertTrue(step.iterations() > 0, "iterations reported");
        }
    }

    @Test
    void massIsConservedEvenWhenTheIterationBudgetIsTooSmall() {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-L, L, 150);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> gaussian(x[0] - 1, S0));
        JkoStepResult step = EntropicJko.of(0.05, 0.05).withMaxIterations(2).step(rho0, InternalEnergy.entropy());
        assertTrue(!step.converged() && step.iterations() == 2, "stopped by the budget: " + step);
        assertTrue(step.error() > 1e-9, "error reported");
        // exact first marginal after every a-update: rounding only
        assertEquals(rho0.mass(), step.density().mass(), 1e-12);
    }

    @Test
    void anEpsilonFarTooSmallForTheStepIsReportedNotReturnedAsGarbage() {
        // dual potentials grow like tau |x|^2 / epsilon: tau = 0.05, epsilon = 1e-5 on [-6, 6] needs scalings of
        // order e^{2000 or more}, beyond double range; the step must reject epsilon by name, not return NaN
        GridDensity.Grid grid = GridDensity.Grid.of1d(-L, L, 800);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> gaussian(x[0], S0));
        org.measureflow.testing.Rejections.assertRejected("epsilon", () -> EntropicJko.of(0.05, 1e-5)
                .withMaxIterations(2000).step(rho0, InternalEnergy.entropy()));
    }
}
