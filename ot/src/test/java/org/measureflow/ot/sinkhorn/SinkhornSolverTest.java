package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Epsilon;
import org.measureflow.ot.Histograms;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class SinkhornSolverTest {

    private static final CostMatrix TOY = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});

    @ParameterizedTest(name = "eps {0}")
    @ValueSource(doubles = {0.1, 0.25, 0.5, 1.0, 2.0, 10.0})
    void twoPointUniformPlanMatchesClosedForm(double eps) {
        double[] half = {0.5, 0.5};
        SinkhornResult r = SinkhornSolver.of(eps).withTolerance(1e-13).solve(half, half, TOY);
        double[] p = r.plan().toDense();
        double p11 = 1 / (2 * (1 + Math.exp(-1 / eps)));
        // docs/closed-forms.md CF-13 / docs/closed-forms.md CF-13; the solver stops at an L1 marginal error of 1e-13, far below 1e-10
        assertTrue(r.converged());
        assertEquals(p11, p[0], 1e-10);
        assertEquals(p11, p[3], 1e-10);
        assertEquals(0.5 - p11, p[1], 1e-10);
        assertEquals(0.5 - p11, p[2], 1e-10);
        // objective = <P,C> + eps KL(P | a x b), evaluated from the closed-form plan
        double q = 0.5 - p11;
        double exact = 2 * q + eps * (2 * p11 * Math.log(4 * p11) + 2 * q * Math.log(4 * q));
        assertEquals(exact, r.objective(), 1e-10);
        assertEquals(2 * q, r.cost(), 1e-10);
    }

    @ParameterizedTest(name = "eps {0}")
    @ValueSource(doubles = {0.2, 0.7, 1.5})
    void twoByTwoWithUnequalMarginalsMatchesB10(double eps) {
        double p = 0.3;
        double q = 0.65;
        double[][] c = {{0.2, 1.3}, {0.7, 0.1}};
        double kappa = Math.exp(-(c[0][0] + c[1][1] - c[0][1] - c[1][0]) / eps);
        double bb = 1 - p - q + kappa * (p + q);
        double x = (-bb + Math.sqrt(bb * bb + 4 * (1 - kappa) * kappa * p * q)) / (2 * (1 - kappa));
        double[] expected = {x, p - x, q - x, 1 - p - q + x};
        for (boolean log : new boolean[] {false, true}) {
            SinkhornResult r = SinkhornSolver.of(eps).withTolerance(1e-13).withLogDomain(log)
                    .solve(new double[] {p, 1 - p}, new double[] {q, 1 - q}, CostMatrix.of(c));
            // docs/closed-forms.md CF-13's quadratic root; marginal error 1e-13 bounds every entry's error far below 1e-10
            assertArrayEquals(expected, r.plan().toDense(), 1e-10, "logDomain " + log);
        }
    }

    @ParameterizedTest(name = "eps {0}")
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void marginalErrorContractsByTanhSquaredPerIteration(double eps) {
        double[] half = {0.5, 0.5};
        double rate = Math.pow(Math.tanh(1 / (2 * eps)), 2);
        SinkhornSolver o = SinkhornSolver.of(eps).withEpsilonScaling(false).withOverRelaxation(false)
                .withTolerance(1e-300 + Double.MIN_NORMAL);
        double previous = Double.NaN;
        for (int k = 1; k <= 8; k++) {
            // a non-symmetric start: from g = 0 the toy converges in one step (docs/closed-forms.md CF-13)
            SinkhornResult r = o.withMaxIterations(k).solve(half, half, TOY, null, new double[] {0, 0.8},
                    IterationObserver.none());
            double err = r.error();
            if (k > 1 && err > 1e-12) {
                // docs/closed-forms.md CF-13: the ratio is exactly tanh^2(1/(2 eps)); relative 1e-6 allows rounding in errors ~1e-10
                assertEquals(rate, err / previous, 1e-6 * rate, "iteration " + k);
            }
            previous = err;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void convergedSolutionHasSmallMarginalErrorAndNoDualityGap(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 30, 2);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 25, 2);
            CostMatrix c = CostMatrix.squaredEuclidean(x, y);
            double eps = 0.05 + rng.nextDouble();
            for (boolean log : new boolean[] {false, true}) {
                SinkhornResult r = SinkhornSolver.of(eps).withTolerance(1e-9).withLogDomain(log)
                        .solve(x.weights(), y.weights(), c);
                assertTrue(r.converged(), "converged");
                assertTrue(r.error() <= 1e-9, "error " + r.error());
                // objective - dual = <P1 - a, f> + <P^T 1 - b, g>, bounded by the L1 errors times the sup norms
                double bound = r.error() * (supNorm(r.f()) + supNorm(r.g())) + 1e-12;
                assertEquals(r.dualObjective(), r.objective(), bound);
                // the dual value with marginal-exact potentials is <a,f> + <b,g> - eps(mass - 1): recompute it
                double dual = dot(x.weights(), r.f()) + dot(y.weights(), r.g());
                double mass = 0;
                for (double v : r.plan().toDense()) {
                    mass += v;
                }
                assertEquals(dual - eps * (mass - 1), r.dualObjective(), 1e-12);
            }
        });
    }

    @Test
    void entropicCostDecreasesToTheExactCostAsEpsilonVanishes() {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 6;
        ParticleMeasure x = RandomInputs.pointCloud(rng, n, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, n, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double exact = bestPermutation(c, n);
        double[] u = Histograms.uniform(n);
        double previousGap = Double.POSITIVE_INFINITY;
        for (double eps : new double[] {1.0, 0.3, 0.03, 0.01}) {
            SinkhornResult r = SinkhornSolver.of(eps).withTolerance(1e-10).withMaxIterations(50_000).solve(u, u, c);
            // small eps can leave a slowly converging mode (nearly decoupled blocks of the plan): the bounds below
            // carry the reported marginal error instead of requiring convergence
            assertTrue(r.error() <= 1e-5, "eps " + eps + ": error " + r.error());
            double slack = 2 * r.error() * c.maxAbs(); // rounding P onto U(a,b) moves <P, C> by at most this
            double dualSlack = r.error() * (supNorm(r.f()) + supNorm(r.g())); // objective - dual value
            // OT_0 <= <P_eps, C> <= OT_eps <= OT_0 + eps KL(P_perm | a x b) = OT_0 + eps log n
            assertTrue(r.cost() >= exact - slack, "eps " + eps);
            assertTrue(r.objective() >= r.cost() - slack, "eps " + eps);
            assertTrue(r.dualObjective() <= exact + eps * Math.log(n) + 1e-12, "weak duality at eps " + eps);
            assertTrue(r.objective() <= exact + eps * Math.log(n) + dualSlack + 1e-12, "eps " + eps);
            double gap = r.objective() - exact;
            assertTrue(gap < previousGap, "gap shrinks at eps " + eps);
            previousGap = gap;
        }
        assertTrue(previousGap <= 0.01 * Math.log(n) + 1e-6);
    }

    @Test
    void tinyEpsilonGivesFiniteResultsAndHonestConvergence() {
        SplittableRandom rng = new SplittableRandom(7);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 200, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 200, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double eps = 1e-4 * c.maxAbs();
        double tol = 1e-6;
        SinkhornSolver o = SinkhornSolver.of(eps).withTolerance(tol).withMaxIterations(3000);
        SinkhornResult[] results = {
            o.solve(x.weights(), y.weights(), c),
            o.withLogDomain(true).withMaxIterations(300).solve(x.weights(), y.weights(), c),
            o.withEpsilonScaling(false).withMaxIterations(300).solve(x, y),
        };
        for (SinkhornResult r : results) {
            assertAllFinite(r.f());
            assertAllFinite(r.g());
            assertTrue(Double.isFinite(r.objective()) && Double.isFinite(r.cost()));
            assertTrue(Double.isFinite(r.error()));
            // converged() must agree with the independently recomputed marginal error
            assertEquals(r.error() <= tol, r.converged());
            assertAllFinite(r.plan().toDense());
        }
        assertTrue(results[0].converged(), "kernel path with epsilon-scaling reaches 1e-6");
    }

    @Test
    void budgetExhaustedAtALargeEpsilonStillGivesAFinitePlan() {
        SplittableRandom rng = new SplittableRandom(17);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 50, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 40, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        // two iterations end inside the first epsilon-scaling stage, far above the target 1e-3
        SinkhornSolver o = SinkhornSolver.of(1e-3).withMaxIterations(2);
        for (SinkhornResult r : new SinkhornResult[] {o.solve(x.weights(), y.weights(), c),
            o.solve(x, y)}) {
            assertFalse(r.converged());
            assertTrue(Double.isFinite(r.objective()) && Double.isFinite(r.error()));
            // the final exact f-update at the target makes every row sum a_i, so the error is the column error <= 2
            assertTrue(r.error() <= 2 + 1e-12, "error " + r.error());
        }
    }

    @Test
    void zeroWeightsAreAllowed() {
        double[] a = {0.5, 0.0, 0.5};
        double[] b = {0.25, 0.75};
        CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {2, 0.5}, {1, 0}});
        for (boolean log : new boolean[] {false, true}) {
            SinkhornResult r = SinkhornSolver.of(0.1).withLogDomain(log).solve(a, b, c);
            assertTrue(r.converged());
            assertAllFinite(r.f());
            double[] p = r.plan().toDense();
            // an atom of weight zero carries no mass: P_ij = a_i b_j exp(...) = 0
            assertEquals(0.0, p[2]);
            assertEquals(0.0, p[3]);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void pointCloudSolverEqualsDenseSolver(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 40, 3);
            ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 35, 3);
            CostMatrix c = CostMatrix.squaredEuclidean(x, y);
            SinkhornSolver o = SinkhornSolver.of(0.2).withTolerance(1e-13);
            SinkhornResult cloud = o.solve(x, y);
            SinkhornResult dense = o.solve(x.weights(), y.weights(), c);
            SinkhornResult log = o.withLogDomain(true).solve(x.weights(), y.weights(), c);
            SinkhornResult doubleKernel = o.withMixedPrecision(false).solve(x.weights(), y.weights(), c);
            for (SinkhornResult r : new SinkhornResult[] {dense, log, doubleKernel}) {
                // both solve the same problem to a marginal error of 1e-13: values agree to far below 1e-10
                assertEquals(cloud.objective(), r.objective(), 1e-10);
                assertEquals(cloud.cost(), r.cost(), 1e-10);
                assertArrayEquals(cloud.plan().toDense(), r.plan().toDense(), 1e-10);
            }
        });
    }

    @Test
    void lazyPlanOperationsAgreeWithTheDensePlan() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 20, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 15, 2);
        SinkhornResult r = SinkhornSolver.of(0.3).solve(x, y);
        double[] p = r.plan().toDense();
        double[] v = RandomInputs.gaussianVector(rng, 15);
        double[] u = RandomInputs.gaussianVector(rng, 20);
        double[] pv = r.plan().apply(v);
        double[] ptu = r.plan().applyTransposed(u);
        double[] t = r.plan().barycentricMap();
        double[] ys = y.flatPoints();
        for (int i = 0; i < 20; i++) {
            double s = 0;
            double row = 0;
            double t0 = 0;
            double t1 = 0;
            for (int j = 0; j < 15; j++) {
                s += p[i * 15 + j] * v[j];
                row += p[i * 15 + j];
                t0 += p[i * 15 + j] * ys[2 * j];
                t1 += p[i * 15 + j] * ys[2 * j + 1];
            }
            // same sums in a different order: rounding only
            assertEquals(s, pv[i], 1e-13);
            assertEquals(t0 / row, t[2 * i], 1e-12);
            assertEquals(t1 / row, t[2 * i + 1], 1e-12);
            // converged rows: sum_j P_ij = a_i up to the tolerance 1e-9
            assertEquals(x.weight(i), row, 1e-9);
        }
        for (int j = 0; j < 15; j++) {
            double s = 0;
            for (int i = 0; i < 20; i++) {
                s += p[i * 15 + j] * u[i];
            }
            assertEquals(s, ptu[j], 1e-13);
        }
        assertThrows(IllegalStateException.class, () -> SinkhornSolver.of(0.01)
                .solve(Histograms.uniform(2), Histograms.uniform(2), TOY).plan().barycentricMap());
    }

    @Test
    void parallelRunsGiveTheSameBitsAsSerialRuns() {
        SplittableRandom rng = new SplittableRandom(11);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 700, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 650, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        SinkhornSolver o = SinkhornSolver.of(0.05).withTolerance(1e-8).withMaxIterations(60);
        SinkhornResult cloudParallel = o.solve(x, y);
        SinkhornResult cloudAgain = o.solve(x, y);
        SinkhornResult cloudSerial = o.withParallel(false).solve(x, y);
        SinkhornResult denseParallel = o.solve(x.weights(), y.weights(), c);
        SinkhornResult denseSerial = o.withParallel(false).solve(x.weights(), y.weights(), c);
        assertBitIdentical(cloudParallel, cloudAgain);
        assertBitIdentical(cloudParallel, cloudSerial);
        assertBitIdentical(denseParallel, denseSerial);
        assertArrayEquals(cloudParallel.plan().apply(y.weights()), cloudSerial.plan().apply(y.weights()));
    }

    @Test
    void invalidInputIsRejectedNamingTheArgument() {
        double[] half = {0.5, 0.5};
        SinkhornSolver s = SinkhornSolver.of(0.01);
        assertMessage("a", () -> s.solve(new double[] {0.5, 0.5, 0}, half, TOY));
        assertMessage("b", () -> s.solve(half, new double[] {0.4, 0.4}, TOY));
        assertMessage("a[0]", () -> s.solve(new double[] {-0.5, 1.5}, half, TOY));
        assertMessage("b[1]", () -> s.solve(half, new double[] {0.5, Double.NaN}, TOY));
        assertMessage("c", () -> s.solve(half, half, null));
        assertMessage("epsilon", () -> SinkhornSolver.of(0));
        assertMessage("epsilon", () -> SinkhornSolver.of(-1));
        assertMessage("epsilon", () -> SinkhornSolver.of(Double.NaN));
        assertMessage("epsilon", () -> SinkhornSolver.of(Double.POSITIVE_INFINITY));
        assertMessage("tolerance", () -> SinkhornSolver.of(0.01).withTolerance(0));
        assertMessage("maxIterations", () -> SinkhornSolver.of(0.01).withMaxIterations(0));
        assertMessage("factor", () -> SinkhornSolver.of(0.01).withEpsilonScalingStart(1).withEpsilonScalingFactor(1.5));
        ParticleMeasure p2 = ParticleMeasure.of(new double[][] {{0, 0}, {1, 1}});
        ParticleMeasure p3 = ParticleMeasure.of(new double[][] {{0, 0, 0}});
        assertMessage("y", () -> s.solve(p2, p3));
        assertMessage("fInit", () -> s.solve(half, half, TOY, new double[3], null, IterationObserver.none()));
    }

    @Test
    void optionsAreImmutable() {
        SinkhornSolver base = SinkhornSolver.of(0.01);
        SinkhornSolver changed = base.withEpsilon(0.3).withTolerance(1e-4).withMaxIterations(7).withParallel(false);
        assertEquals(Epsilon.absolute(1e-2), base.epsilon());
        assertEquals(1e-9, base.tolerance());
        assertEquals(10_000, base.maxIterations());
        assertTrue(base.parallel());
        assertEquals(Epsilon.absolute(0.3), changed.epsilon());
        assertEquals(7, changed.maxIterations());
        assertFalse(changed.parallel());
    }

    static void assertMessage(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), "message names " + name + ": " + e.getMessage());
    }

    private static void assertBitIdentical(SinkhornResult a, SinkhornResult b) {
        assertArrayEquals(a.f(), b.f());
        assertArrayEquals(a.g(), b.g());
        assertEquals(a.objective(), b.objective());
        assertEquals(a.cost(), b.cost());
        assertEquals(a.error(), b.error());
        assertEquals(a.iterations(), b.iterations());
    }

    private static void assertAllFinite(double[] v) {
        for (int i = 0; i < v.length; i++) {
            assertTrue(Double.isFinite(v[i]), "entry " + i + " = " + v[i]);
        }
    }

    private static double supNorm(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Exact OT between uniform measures of equal size: the best permutation (Birkhoff), by brute force. */
    static double bestPermutation(CostMatrix c, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double best = Double.POSITIVE_INFINITY;
        do {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += c.get(i, perm[i]);
            }
            best = Math.min(best, s / n);
        } while (nextPermutation(perm));
        return best;
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int l = i + 1, r = p.length - 1; l < r; l++, r--) {
            t = p[l];
            p[l] = p[r];
            p[r] = t;
        }
        return true;
    }
}
