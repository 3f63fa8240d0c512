package org.measureflow.ot.unbalanced;

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
import org.measureflow.ot.sinkhorn.SemiDualNewton;
import org.measureflow.ot.sinkhorn.SinkhornResult;

/**
 * Unbalanced Sinkhorn converges to an L1 KKT residual of \( 10^{-9} \) within the default iteration cap (10,000) for
 * every \( \varepsilon \) from \( 10^{-4} \) to 10 times the cost's range \( R = \max_{ij} C_{ij} \), with the fixed
 * relaxation \( \rho = R \) (transport pays up to the whole range before mass is created or destroyed), on the
 * stored kernel, the log domain and the point clouds (issue 14). Source: 300 samples of \( \mathcal N(0, I_2) \)
 * (seed 1), mass 1; target: 300 samples of \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \) (seed 2), mass 1.5.
 */
class UnbalancedEpsilonSweepTest {
    private static final int N = 300;
    private static final double TARGET_MASS = 1.5;
    private static final double TOLERANCE = 1e-9;
    private static final long DEFAULT_CAP = 10_000;

    static Stream<Arguments> cases() {
        return Stream.of("stored kernel", "log domain", "point clouds").flatMap(path -> Stream
                .of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0).map(r -> Arguments.of(path, r)));
    }

    @Test
    void theNewtonStageGivesTheSameBitsInParallelAsSerially() {
        // 400 points: large enough for the parallel chunks; 1e-3 R hands over to Newton after 256 iterations
        ParticleMeasure x = GaussianMeasure.standard(2).sample(400, new SplittableRandom(1));
        ParticleMeasure y = GaussianMeasure.standard(2).sample(400, new SplittableRandom(2));
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        UnbalancedSinkhorn solver = UnbalancedSinkhorn.of(1e-3 * c.maxAbs(), c.maxAbs()).withMaxIterations(400);
        SinkhornResult parallel = solver.solve(x.weights(), y.weights(), c);
        SinkhornResult serial = solver.withParallel(false).solve(x.weights(), y.weights(), c);
        assertTrue(parallel.iterations() > SemiDualNewton.NEWTON_AFTER, "the run reaches the Newton stage: " + parallel);
        assertEquals(parallel.iterations(), serial.iterations());
        assertArrayEquals(parallel.f(), serial.f());
        assertArrayEquals(parallel.g(), serial.g());
        assertEquals(parallel.objective(), serial.objective());
    }

    @ParameterizedTest(name = "{0}, epsilon = {1} x range, rho = range")
    @MethodSource("cases")
    void everyPathConvergesWithinTheDefaultCap(String path, double ratio) {
        ParticleMeasure x = GaussianMeasure.standard(2).sample(N, new SplittableRandom(1));
        ParticleMeasure y = GaussianMeasure.of(new double[] {1, 1}, new DMatrixRMaj(2, 2, true, 2, 0, 0, 0.5))
                .sample(N, new SplittableRandom(2));
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double range = c.maxAbs();
        double[] a = x.weights();
        double[] b = y.weights();
        for (int j = 0; j < N; j++) {
            b[j] *= TARGET_MASS;
        }
        UnbalancedSinkhorn solver = UnbalancedSinkhorn.of(ratio * range, range);
        assertEquals(DEFAULT_CAP, solver.maxIterations());
        assertEquals(TOLERANCE, solver.tolerance());
        SinkhornResult r = switch (path) {
            case "stored kernel" -> solver.solve(a, b, c);
            case "log domain" -> solver.withLogDomain(true).solve(a, b, c);
            default -> solver.solve(x, 1.0, y, TARGET_MASS);
        };
        assertTrue(r.converged(), r.toString());
        assertTrue(r.error() <= TOLERANCE && r.iterations() <= DEFAULT_CAP, r.toString());
        double[] f = r.f();
        double[] g = r.g();
        for (int i = 0; i < N; i++) {
            assertTrue(Double.isFinite(f[i]) && Double.isFinite(g[i]), "potentials at " + i);
        }
        assertTrue(Double.isFinite(r.cost()) && Double.isFinite(r.objective()) && Double.isFinite(r.dualObjective()),
                r.toString());
        // the first-order conditions P 1 = a exp(-f/rho), P^T 1 = b exp(-g/rho), summed here independently of the
        // solver's own check; 9e4 terms of size <= 1.5 add rounding below 1e-12
        double[] ones = new double[N];
        java.util.Arrays.fill(ones, 1.0);
        double[] rows = r.plan().apply(ones);
        double[] cols = r.plan().applyTransposed(ones);
        double residual = 0;
        for (int i = 0; i < N; i++) {
            residual += Math.abs(rows[i] - a[i] * Math.exp(-f[i] / range))
                    + Math.abs(cols[i] - b[i] * Math.exp(-g[i] / range));
        }
        assertTrue(residual <= TOLERANCE + 1e-12, "KKT residual of the plan " + residual);
    }
}
