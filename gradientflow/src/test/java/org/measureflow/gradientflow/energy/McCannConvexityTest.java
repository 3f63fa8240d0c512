package org.measureflow.gradientflow.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

/**
 * McCann's displacement convexity (survey &sect;5): the negative entropy \( \int\rho\log\rho \) is convex along
 * Wasserstein geodesics.
 */
class McCannConvexityTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void entropyIsConvexAlongBuresGeodesics(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            GaussianMeasure mu = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d));
            GaussianMeasure nu = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d));
            int k = 20;
            double[] e = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                GaussianMeasure g = BuresWasserstein.geodesic(mu, nu, i / (double) k);
                // int rho log rho of N(m, S) = -(d/2) log(2 pi e) - (1/2) log det S: minus the differential entropy
                e[i] = -g.entropy();
            }
            for (int i = 1; i < k; i++) {
                // -(1/2) log det(((1-t) I + t A) S0 ((1-t) I + t A)) = const - sum_j log((1-t) + t a_j): convex
                assertTrue(e[i - 1] - 2 * e[i] + e[i + 1] >= -1e-10, "second difference at " + i + ": "
                        + (e[i - 1] - 2 * e[i] + e[i + 1]));
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void entropyIsConvexAlongOneDimensionalDisplacementInterpolation(long seed) {
        Property.check(seed, rng -> {
            int n = 60;
            GridDensity.Grid grid = GridDensity.Grid.of1d(-3, 3, n);
            GridDensity rho0 = randomDensity(grid, rng);
            GridDensity rho1 = randomDensity(grid, rng);
            double[] a = masses(rho0);
            double[] b = masses(rho1);
            // the monotone plan between the cell masses splits the cells into pieces on which both densities are
            // constant; the optimal map is affine on each piece, so the interpolant at time t is piecewise
            // constant with density m_k / ((1-t) m_k/rho0_i + t m_k/rho1_j) on disjoint intervals, and
            // int rho_t log rho_t = -sum_k m_k log((1-t)/rho0_i + t/rho1_j)
            SparsePlan plan = OneDimensionalOt.monotonePlan(grid.cellCentres(), a, grid.cellCentres(), b);
            int steps = 20;
            double[] e = new double[steps + 1];
            for (int s = 0; s <= steps; s++) {
                double t = s / (double) steps;
                double sum = 0;
                for (int k = 0; k < plan.size(); k++) {
                    double r0 = rho0.value(plan.row(k));
                    double r1 = rho1.value(plan.col(k));
                    sum -= plan.mass(k) * Math.log((1 - t) / r0 + t / r1);
                }
                e[s] = sum;
            }
            // the endpoints are the grid entropies of the two densities (rho is constant on cells)
            // (sums of n = 60 terms of size ~1: rounding ~ n * 1e-16)
            assertEquals(InternalEnergy.entropy().value(rho0), e[0], 1e-12);
            assertEquals(InternalEnergy.entropy().value(rho1), e[steps], 1e-12);
            for (int s = 1; s < steps; s++) {
                assertTrue(e[s - 1] - 2 * e[s] + e[s + 1] >= -1e-10, "second difference at " + s);
            }
        });
    }

    private static GridDensity randomDensity(GridDensity.Grid grid, java.util.random.RandomGenerator rng) {
        double c1 = rng.nextDouble(-1.5, 1.5);
        double c2 = rng.nextDouble(-1.5, 1.5);
        double w1 = rng.nextDouble(0.2, 0.8);
        double w2 = rng.nextDouble(0.2, 0.8);
        return GridDensity.fromFunction(grid, x -> 0.05 + Math.exp(-(x[0] - c1) * (x[0] - c1) / (2 * w1 * w1))
                + 0.5 * Math.exp(-(x[0] - c2) * (x[0] - c2) / (2 * w2 * w2))).normalised();
    }

    private static double[] masses(GridDensity rho) {
        double[] m = rho.values();
        double s = 0;
        for (double v : m) {
            s += v;
        }
        for (int c = 0; c < m.length; c++) {
            m[c] /= s;
        }
        return m;
    }
}
