package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.Rejections;

/**
 * The entropic JKO step is the minimiser of its objective, checked independently on a small grid: for a candidate
 * \( q \), the inner problem with both marginals fixed is entropic OT, solved by the {@code ot} module's Sinkhorn
 * solver, so \( \Phi(q) = \frac{1}{2\tau}\big(\mathrm{OT}_\varepsilon(p, q) + \varepsilon\sum_j q_j\log q_j\big) + F(q) \)
 * (the KL reference \( \mathbf 1 \) differs from \( p\otimes q \) by \( \varepsilon(\sum p\log p + \sum q \log q) \)).
 * The JKO output must beat every mass-preserving perturbation.
 */
class JkoOptimalityTest {
    private static final int N = 14;
    private static final double TAU = 0.05;
    private static final double EPS = 0.05;

    private static double objective(double[] p, double[] q, GridDensity.Grid grid, GridEnergy f) {
        double[] x = grid.cellCentres();
        double[] c = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                c[i * N + j] = (x[i] - x[j]) * (x[i] - x[j]);
            }
        }
        double ot = SinkhornSolver.of(EPS).withTolerance(1e-14).withMaxIterations(200_000)
                .solve(p, q, CostMatrix.of(N, N, c)).objective();
        double ent = 0;
        double[] rho = new double[N];
        for (int j = 0; j < N; j++) {
            ent += q[j] * Math.log(q[j]);
            rho[j] = q[j] / grid.cellVolume();
        }
        return (ot + EPS * ent) / (2 * TAU) + f.value(GridDensity.of(grid, rho));
    }

    @Test
    void theStepMinimisesTheEntropicJkoObjective() {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-1.5, 1.5, N);
        GridDensity rho = GridDensity.fromFunction(grid, x -> 0.1 + Math.exp(-4 * (x[0] - 0.4) * (x[0] - 0.4)))
                .normalised();
        GridEnergy f = InternalEnergy.entropy(0.5).plus(InternalEnergy.porousMedium(2, 0.3))
                .plus(PotentialEnergy.of(Potential.isotropic(3, new double[]{-0.2})));
        JkoStepResult step = EntropicJko.of(TAU, EPS).withBlurCompensation(false).withTolerance(1e-13).step(rho, f);
        assertTrue(step.converged(), "converged: " + step);
        double vol = grid.cellVolume();
        double[] p = rho.values();
        double[] q = step.density().values();
        for (int c = 0; c < N; c++) {
            p[c] *= vol;
            q[c] *= vol;
        }
        double best = objective(p, q, grid, f);
        SplittableRandom rng = new SplittableRandom(31);
        for (int trial = 0; trial < 6; trial++) {
            double[] chi = new double[N];
            double mean = 0;
            for (int c = 0; c < N; c++) {
                chi[c] = rng.nextDouble(-1, 1) * q[c];
                mean += chi[c];
            }
            for (int c = 0; c < N; c++) {
                chi[c] -= mean * q[c];
            }
            for (double s : new double[]{1e-2, -1e-2}) {
                double[] qs = q.clone();
                for (int c = 0; c < N; c++) {
                    qs[c] += s * chi[c];
                }
                double value = objective(p, qs, grid, f);
                // strictly convex objective: a perturbation of relative size 1e-2 raises it by ~ 1e-4 * curvature;
                // the Sinkhorn values are exact to ~1e-12
                assertTrue(value > best - 1e-10, "perturbation " + trial + " (" + s + ") lowers the objective: "
                        + best + " -> " + value);
            }
        }
    }

    @Test
    void densityConstraintCapsTheDensityAndConservesMass() {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-2, 2, 80);
        GridDensity rho = GridDensity.fromFunction(grid, x -> Math.abs(x[0]) < 1.5 ? 1 : 0).normalised();
        // a potential well at 0 concentrates the mass; the crowd constraint rho <= 0.6 stops it (mass 1 needs
        // at least a width 1/0.6)
        GridEnergy f = PotentialEnergy.of(Potential.isotropic(4, new double[1]))
                .plus(InternalEnergy.entropy(0.01));
        double kappa = 0.6;
        JkoResult free = EntropicJko.of(0.05, JkoEpsilon.gridAdapted()).flow(rho, f, 30);
        JkoResult capped = EntropicJko.of(0.05, JkoEpsilon.gridAdapted()).withUpperBound(kappa).flow(rho, f, 30);
        double maxFree = 0;
        double maxCapped = 0;
        for (int c = 0; c < grid.size(); c++) {
            maxFree = Math.max(maxFree, free.finalDensity().value(c));
            maxCapped = Math.max(maxCapped, capped.finalDensity().value(c));
        }
        assertTrue(maxFree > 1.5 * kappa, "without the constraint the density peaks at " + maxFree);
        assertTrue(capped.converged(), "converged");
        // the returned marginal b * K^T a differs from the clamped prox target by at most the marginal error
        double tol = capped.error() / grid.cellVolume();
        assertTrue(maxCapped <= kappa + tol, "capped density " + maxCapped);
        assertEquals(rho.mass(), capped.finalDensity().mass(), 1e-12);
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirNames() {
        Rejections.assertRejected("tau", () -> EntropicJko.of(0, JkoEpsilon.gridAdapted()));
        Rejections.assertRejected("epsilon", () -> EntropicJko.of(0.05, -1));
        Rejections.assertRejected("upperBound", () -> EntropicJko.of(0.05, 0.05).withUpperBound(Double.NaN));
        EntropicJko jko = EntropicJko.of(0.01, JkoEpsilon.gridAdapted());
        Rejections.assertRejected("rho", () -> jko.step(null, InternalEnergy.entropy()));
        GridDensity zero = GridDensity.of1d(0, 1, 4, new double[4]);
        Rejections.assertRejected("rho", () -> jko.step(zero, InternalEnergy.entropy()));
        GridDensity one = GridDensity.of1d(0, 1, 4, new double[]{1, 1, 1, 1});
        Rejections.assertRejected("steps", () -> jko.flow(one, InternalEnergy.entropy(), -1));
    }
}
