package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Seeds;

/**
 * The scaling engine behind the balanced and unbalanced solvers: one loop for both marginal steps (the unbalanced
 * solver at \( \rho = \infty \) is the balanced solver's plain iteration, bit for bit), and the KL step tends to the
 * hard one as \( \rho \to \infty \) at the rate of the \( 1/\rho \) expansion of the objective.
 */
class ScalingEngineTest {
    static java.util.stream.LongStream seeds() {
        return Seeds.few();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void unbalancedAtInfiniteRhoIsTheBalancedPlainIterationBitForBit(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 20 + rng.nextInt(30), 1 + rng.nextInt(3));
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 20 + rng.nextInt(30), x.dimension());
            CostMatrix c = CostMatrix.squaredEuclidean(x, y);
            double eps = 0.5 + rng.nextDouble();
            // plain iterations, double-precision kernel: the balanced solver's settings that the unbalanced one runs
            SinkhornSolver balanced = SinkhornSolver.of(eps).withOverRelaxation(false).withMixedPrecision(false);
            UnbalancedSinkhorn unbalanced = UnbalancedSinkhorn.of(eps, Double.POSITIVE_INFINITY);
            for (boolean logDomain : new boolean[] {false, true}) {
                SinkhornResult p = balanced.withLogDomain(logDomain).solve(x.weights(), y.weights(), c);
                SinkhornResult q = unbalanced.withLogDomain(logDomain).solve(x.weights(), y.weights(), c);
                assertTrue(p.converged() && p.iterations() < SemiDualNewton.NEWTON_AFTER, "no Newton stage: " + p);
                assertEquals(p.iterations(), q.iterations(), "logDomain " + logDomain);
                assertArrayEquals(p.f(), q.f(), 0.0, "f, logDomain " + logDomain);
                assertArrayEquals(p.g(), q.g(), 0.0, "g, logDomain " + logDomain);
                assertEquals(p.cost(), q.cost(), 0.0, "cost, logDomain " + logDomain);
            }
            SinkhornResult p = balanced.withPointCloudKernel(SinkhornSolver.PointCloudKernel.ONLINE).solve(x, y);
            SinkhornResult q = unbalanced.solve(x, y);
            assertArrayEquals(p.f(), q.f(), 0.0, "f, clouds");
            assertArrayEquals(p.g(), q.g(), 0.0, "g, clouds");
        });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theKlStepApproachesTheHardStepAsRhoGrows(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 15 + rng.nextInt(20), 2);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 15 + rng.nextInt(20), 2);
            double eps = 0.1 + rng.nextDouble();
            SinkhornResult hard = SinkhornSolver.of(eps).withTolerance(1e-13)
                    .withPointCloudKernel(SinkhornSolver.PointCloudKernel.ONLINE).solve(x, y);
            double[] a = x.weights();
            double[] b = y.weights();
            // Q = min_t <a,(f+t)^2> + <b,(g-t)^2> at the balanced potentials (both masses 1: t = (<b,g> - <a,f>)/2)
            double t = (dot(b, hard.g()) - dot(a, hard.f())) / 2;
            double q = 0;
            double size = 0;
            for (int i = 0; i < a.length; i++) {
                q += a[i] * (hard.f()[i] + t) * (hard.f()[i] + t);
                size = Math.max(size, Math.abs(hard.f()[i] + t));
            }
            for (int j = 0; j < b.length; j++) {
                q += b[j] * (hard.g()[j] - t) * (hard.g()[j] - t);
                size = Math.max(size, Math.abs(hard.g()[j] - t));
            }
            double rho = 1e5;
            SinkhornResult relaxed = UnbalancedSinkhorn.of(eps, rho).withTolerance(1e-13)
                    .withMaxIterations(100_000).solve(x, y);
            assertTrue(relaxed.converged(), relaxed.toString());
            double gap = hard.objective() - relaxed.objective();
            // OT - UOT = Q/(2 rho) + O(rho^-2), the remainder relatively O(max|f + t| / rho); 1e-9 covers the
            // residuals 1e-13 times the potentials in both objectives
            assertEquals(q / (2 * rho), gap, 10 * size / rho * q / (2 * rho) + 1e-9, "gap, size " + size);
        });
    }

    @Test
    void rejectsUnequalMassesForTwoHardConstraintsAndMismatchedSizes() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 5, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 4, 2);
        LogDomainGibbsKernel k = LogDomainGibbsKernel.of(x, y, false);
        double[] twice = x.weights().clone();
        for (int i = 0; i < twice.length; i++) {
            twice[i] *= 2;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalingEngine.of(k, null,
                twice, y.weights(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("equal masses"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ScalingEngine.of(k, null, y.weights(), y.weights(), 1, 1));
        ScalingEngine engine = ScalingEngine.of(k, null, twice, y.weights(), 1, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class,
                () -> engine.solve(new double[4], null, 0.1, 1e-9, 100, true, IterationObserver.none()));
        assertThrows(IllegalArgumentException.class,
                () -> engine.solve(null, null, 0.1, 0, 100, true, IterationObserver.none()));
        assertThrows(IllegalStateException.class, () -> engine.iterate(1e-9, 100, IterationObserver.none()));
    }

    @Test
    void aBarycentricEngineOfOneCouplingStopsAtOnceWithTheCouplingsRowMarginal() {
        // one coupling of weight 1: p = P 1 is free, so one column step makes every constraint hold; the kernel is
        // the identity (K = I), so P = diag(b) and p = b, exactly up to the rounding of log and exp
        double[] b = {0.1, 0.6, 0.3};
        ScalingEngine.CoupledKernels identity = new ScalingEngine.CoupledKernels() {
            @Override
            public void transposed(int k, double[] logu, double[] logvHint, double[] out) {
                System.arraycopy(logu, 0, out, 0, out.length);
            }

            @Override
            public void direct(int k, double[] logv, double[] loguHint, double[] out) {
                System.arraycopy(logv, 0, out, 0, out.length);
            }
        };
        ScalingEngine engine = ScalingEngine.barycentric(identity, new double[][] {b}, new double[] {1}, 3);
        assertEquals(1, engine.iterate(1e-12, 10, IterationObserver.none()));
        assertEquals(0.0, engine.error(), 0.0);
        double[] logp = engine.logBarycenter();
        for (int i = 0; i < 3; i++) {
            assertEquals(b[i], Math.exp(logp[i]), 1e-15, "p[" + i + "]");
        }
        assertThrows(IllegalStateException.class,
                () -> engine.solve(null, null, 1, 1e-9, 10, false, IterationObserver.none()));
        assertThrows(IllegalArgumentException.class, () -> ScalingEngine.barycentric(identity,
                new double[][] {b}, new double[] {0}, 3));
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
