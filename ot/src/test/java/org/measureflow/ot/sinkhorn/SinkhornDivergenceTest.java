package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class SinkhornDivergenceTest {

    private static final double TOL = 1e-11;

    private static SinkhornDivergence divergence(double eps) {
        return SinkhornDivergence.of(SinkhornSolver.of(eps).withTolerance(TOL).withMaxIterations(50_000));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void divergenceOfAMeasureWithItselfIsZero(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 25, 2);
            SinkhornDivergenceResult r = divergence(0.1 + rng.nextDouble()).valueAndGradient(x, x);
            assertTrue(r.converged());
            // each term is within (marginal error) x (potential range) ~ 1e-10 of its optimum
            assertEquals(0.0, r.value(), 1e-9);
            assertEquals(r.crossTerm(), r.selfSource(), 1e-9);
            // the gradient vanishes: S(., a) is minimal at a
            for (double v : r.gradient()) {
                assertEquals(0.0, v, 1e-8);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void divergenceIsNonNegative(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 20, 2);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 17, 2);
            // small random shifts make some pairs nearly equal, where S is smallest
            double eps = 0.05 + 2 * rng.nextDouble();
            SinkhornDivergenceResult r = divergence(eps).valueAndGradient(x, y);
            assertTrue(r.converged());
            // S >= 0 exactly; the computed terms carry errors ~ tolerance x potential range
            assertTrue(r.value() >= -1e-9, "S = " + r.value());
        });
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 8, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 6, 2);
        SinkhornDivergence s = divergence(0.5);
        double[] grad = s.valueAndGradient(x, y).gradient();
        double[] flat = x.flatPoints();
        double[] w = x.weights();
        double h = 1e-4;
        for (int k = 0; k < flat.length; k++) {
            double[] plus = flat.clone();
            double[] minus = flat.clone();
            plus[k] += h;
            minus[k] -= h;
            double fd = (s.value(ParticleMeasure.fromFlat(plus, 2, w), y)
                    - s.value(ParticleMeasure.fromFlat(minus, 2, w), y)) / (2 * h);
            // central differences: O(h^2) = 1e-8 truncation, plus value errors ~1e-10 / h = 1e-6 (tolerance 1e-11)
            assertEquals(fd, grad[k], 2e-6, "coordinate " + k);
        }
    }

    @Test
    void gradientEqualsTwiceWeightedBarycentricDisplacements() {
        SplittableRandom rng = new SplittableRandom(9);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 12, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 10, 2);
        SinkhornSolver o = SinkhornSolver.of(0.3).withTolerance(TOL);
        double[] grad = SinkhornDivergence.of(o).valueAndGradient(x, y).gradient();
        double[] txy = o.solve(x, y).plan().barycentricMap();
        double[] txx = o.solve(x, x).plan().barycentricMap();
        for (int i = 0; i < 12; i++) {
            for (int k = 0; k < 2; k++) {
                // grad_i = 2 a_i (T^xx(x_i) - T^xy(x_i)) at convergence; the self plan solved by the general solver
                // differs from the symmetric solver's by the tolerance
                double expected = 2 * x.weight(i) * (txx[2 * i + k] - txy[2 * i + k]);
                assertEquals(expected, grad[2 * i + k], 1e-8);
            }
        }
    }

    @Test
    void denseCostsGiveTheSameDivergenceAsPointClouds() {
        SplittableRandom rng = new SplittableRandom(13);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 15, 3);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 11, 3);
        SinkhornDivergence s = divergence(0.4);
        SinkhornDivergenceResult dense = s.compute(x.weights(), y.weights(), CostMatrix.squaredEuclidean(x, y),
                CostMatrix.squaredEuclidean(x, x), CostMatrix.squaredEuclidean(y, y));
        SinkhornDivergenceResult cloud = s.valueAndGradient(x, y);
        // same problems solved to tolerance 1e-11
        assertEquals(cloud.value(), dense.value(), 1e-9);
        assertEquals(cloud.crossTerm(), dense.crossTerm(), 1e-9);
        assertEquals(cloud.selfTarget(), dense.selfTarget(), 1e-9);
        assertNull(dense.gradient());
    }

    @Test
    void invalidInputIsRejectedNamingTheArgument() {
        SinkhornDivergence s = divergence(0.5);
        CostMatrix sq = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
        CostMatrix notSymmetric = CostMatrix.of(new double[][] {{0, 1}, {2, 0}});
        double[] half = {0.5, 0.5};
        SinkhornSolverTest.assertMessage("caa", () -> s.compute(half, half, sq, notSymmetric, sq));
        SinkhornSolverTest.assertMessage("a", () -> s.compute(new double[] {0.2, 0.2}, half, sq, sq, sq));
        SinkhornSolverTest.assertMessage("solver", () -> SinkhornDivergence.of(null));
        ParticleMeasure p1 = ParticleMeasure.of(new double[][] {{0}});
        ParticleMeasure p2 = ParticleMeasure.of(new double[][] {{0, 0}});
        SinkhornSolverTest.assertMessage("y", () -> s.value(p1, p2));
    }
}
