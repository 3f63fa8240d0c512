package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;

/**
 * Balanced Sinkhorn converges to an L1 marginal error of \( 10^{-9} \) within the default iteration cap (10,000) for
 * every \( \varepsilon \) from \( 10^{-4} \) to 10 times the cost's range \( R = \max_{ij} C_{ij} \), on the stored
 * kernel, the log domain and the point clouds (issue 14). The clouds are the benchmarks' ({@code WriteInstances}):
 * \( n \) samples of \( \mathcal N(0, I_2) \) (seed 1) and of \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \) (seed 2).
 * The iteration counts are in {@code benchmarks/RESULTS.md} ({@code EpsilonSweep}).
 */
class SinkhornEpsilonSweepTest {
    /** The regularisations, as multiples of the cost's range. */
    static final double[] RATIOS = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
    private static final double TOLERANCE = 1e-9;
    private static final long DEFAULT_CAP = 10_000;

    static ParticleMeasure source(int n) {
        return GaussianMeasure.standard(2).sample(n, new SplittableRandom(1));
    }

    static ParticleMeasure target(int n) {
        GaussianMeasure nu = GaussianMeasure.of(new double[] {1, 1}, new DMatrixRMaj(2, 2, true, 2, 0, 0, 0.5));
        return nu.sample(n, new SplittableRandom(2));
    }

    static Stream<Arguments> smallClouds() {
        return Stream.of("stored kernel", "log domain", "point clouds")
                .flatMap(path -> java.util.Arrays.stream(RATIOS).mapToObj(r -> Arguments.of(path, r)));
    }

    @ParameterizedTest(name = "{0}, epsilon = {1} x range, 300 points")
    @MethodSource("smallClouds")
    void everyPathConvergesWithinTheDefaultCap(String path, double ratio) {
        check(300, path, ratio);
    }

    @Test
    void storedKernelConvergesAtTheSmallestEpsilonOnFourThousandPoints() {
        check(4000, "stored kernel", RATIOS[0]);
    }

    @Test
    void theNewtonStageGivesTheSameBitsInParallelAsSerially() {
        // 400 points: large enough for the parallel chunks; 2e-4 R hands over to Newton after the scaling schedule
        ParticleMeasure x = source(400);
        ParticleMeasure y = target(400);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        SinkhornSolver solver = SinkhornSolver.of(2e-4 * c.maxAbs()).withMaxIterations(700);
        SinkhornResult[][] runs = {
            {solver.solve(x.weights(), y.weights(), c), solver.withParallel(false).solve(x.weights(), y.weights(), c)},
            {solver.solve(x, y), solver.withParallel(false).solve(x, y)},
        };
        for (SinkhornResult[] pair : runs) {
            assertTrue(pair[0].iterations() > 300, "the run reaches the Newton stage: " + pair[0]);
            assertEquals(pair[0].iterations(), pair[1].iterations());
            assertArrayEquals(pair[0].f(), pair[1].f());
            assertArrayEquals(pair[0].g(), pair[1].g());
            assertEquals(pair[0].objective(), pair[1].objective());
        }
    }

    private static void check(int n, String path, double ratio) {
        ParticleMeasure x = source(n);
        ParticleMeasure y = target(n);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double eps = ratio * c.maxAbs();
        SinkhornSolver solver = SinkhornSolver.of(eps);
        assertEquals(DEFAULT_CAP, solver.maxIterations());
        assertEquals(TOLERANCE, solver.tolerance());
        SinkhornResult r = switch (path) {
            case "stored kernel" -> solver.solve(x.weights(), y.weights(), c);
            case "log domain" -> solver.withLogDomain(true).solve(x.weights(), y.weights(), c);
            default -> solver.solve(x, y);
        };
        assertTrue(r.converged(), r.toString());
        assertTrue(r.error() <= TOLERANCE && r.iterations() <= DEFAULT_CAP, r.toString());
        assertFinite(r);
        // the plan's marginals, summed here independently of the solver's own check; n*m terms of size <= 1 add
        // rounding below 1e-12 to the L1 error
        double[] rows = r.plan().apply(ones(n));
        double[] cols = r.plan().applyTransposed(ones(n));
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            l1 += Math.abs(rows[i] - x.weight(i)) + Math.abs(cols[i] - y.weight(i));
        }
        assertTrue(l1 <= TOLERANCE + 1e-12, "marginal error of the plan " + l1);
    }

    static void assertFinite(SinkhornResult r) {
        for (double v : r.f()) {
            assertTrue(Double.isFinite(v), "f: " + v);
        }
        for (double v : r.g()) {
            assertTrue(Double.isFinite(v), "g: " + v);
        }
        assertTrue(Double.isFinite(r.cost()) && Double.isFinite(r.objective()) && Double.isFinite(r.dualObjective())
                && Double.isFinite(r.error()), r.toString());
    }

    static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }
}
