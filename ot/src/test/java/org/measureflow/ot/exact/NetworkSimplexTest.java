package org.measureflow.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.GroundCost;
import org.measureflow.ot.Histograms;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class NetworkSimplexTest {
    private static final NetworkSimplex SOLVER = NetworkSimplex.withDefaults();

    // ---- exact answers ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void uniformProblemMatchesBruteForceOverPermutations(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(7);
            double[] c = new double[n * n];
            boolean ties = rng.nextBoolean(); // small integer costs make many optimal plans (degenerate pivots)
            for (int k = 0; k < c.length; k++) {
                c[k] = ties ? rng.nextInt(4) : rng.nextDouble();
            }
            double[] a = Histograms.uniform(n);
            ExactOtResult r = SOLVER.solve(a, a.clone(), CostMatrix.of(n, n, c));
            // Birkhoff: the uniform assignment polytope's vertices are permutation matrices / n
            double best = bruteForceAssignment(c, n) / n;
            assertTrue(r.converged());
            // costs are O(1) and the sums have n <= 7 terms: rounding stays far below 1e-12
            assertEquals(best, r.cost(), 1e-12);
            assertOptimalityCertificate(a, a, CostMatrix.of(n, n, c), r);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void weightedOneDimensionalProblemMatchesQuantileFormula(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(40);
            int m = n + 1 + rng.nextInt(20); // n != m
            ParticleMeasure x = RandomInputs.measure1d(rng, n);
            ParticleMeasure y = RandomInputs.measure1d(rng, m);
            for (double p : new double[] {1, 2, 3}) {
                ExactOtResult r = SOLVER.solve(x, y, GroundCost.euclideanPower(p));
                double quantile = OneDimensionalOt.cost(x, y, p);
                assertTrue(r.converged());
                // two exact algorithms; they differ only by rounding of O(n + m) terms of size O(1)
                assertEquals(quantile, r.cost(), 1e-10 * quantile, "p = " + p);
            }
        });
    }

    @Test
    void closedFormExampleB9GivesTwoPointTwo() {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0}, {1}, {3}}, new double[] {.2, .5, .3});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{-1}, {2}}, new double[] {.6, .4});
        ExactOtResult r = SOLVER.solve(x, y);
        // 0.2*1 + 0.4*4 + 0.1*1 + 0.3*1 = 2.2 exactly; rounding of five O(1) products
        assertEquals(2.2, r.cost(), 1e-12);
        assertEquals(2.2, OneDimensionalOt.cost(x, y, 2), 1e-12);
        double[] plan = r.plan().toDense();
        double[] expected = {.2, 0, .4, .1, 0, .3};
        // the optimum is unique (strictly monotone data): the LP plan is the quantile plan, up to rounding
        assertArrayEquals(expected, plan, 1e-12);
    }

    // ---- optimality certificates on larger random instances ---------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void smallRandomInstancesCarryAnOptimalityCertificate(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(60);
            int m = 1 + rng.nextInt(60);
            double[] a = Histograms.normalised("a", RandomInputs.positiveWeights(rng, n));
            double[] b = Histograms.normalised("b", RandomInputs.positiveWeights(rng, m));
            CostMatrix c = rng.nextBoolean() ? randomCost(rng, n, m) : squaredEuclidean(rng, n, m);
            ExactOtResult r = SOLVER.solve(a, b, c);
            assertTrue(r.converged());
            assertOptimalityCertificate(a, b, c, r);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void largeRandomInstancesCarryAnOptimalityCertificate(long seed) {
        Property.check(seed, rng -> {
            int n = 100 + rng.nextInt(401);
            int m = 100 + rng.nextInt(401);
            boolean uniform = rng.nextInt(3) == 0;
            double[] a = uniform ? Histograms.uniform(n)
                    : Histograms.normalised("a", RandomInputs.positiveWeights(rng, n));
            double[] b = uniform ? Histograms.uniform(m)
                    : Histograms.normalised("b", RandomInputs.positiveWeights(rng, m));
            CostMatrix c = rng.nextBoolean() ? randomCost(rng, n, m) : squaredEuclidean(rng, n, m);
            ExactOtResult r = SOLVER.solve(a, b, c);
            assertTrue(r.converged());
            assertOptimalityCertificate(a, b, c, r);
        });
    }

    @Test
    void squareUniformInstanceOfSize500CarriesAnOptimalityCertificate() {
        SplittableRandom rng = new SplittableRandom(500);
        double[] a = Histograms.uniform(500);
        CostMatrix c = squaredEuclidean(rng, 500, 500);
        ExactOtResult r = SOLVER.solve(a, a.clone(), c);
        assertTrue(r.converged());
        assertOptimalityCertificate(a, a, c, r);
    }

    // ---- degenerate cases -----------------------------------------------------------------------------------

    @Test
    void singleSourceShipsTheTargetHistogram() {
        double[] b = {.1, .2, .3, .4};
        CostMatrix c = CostMatrix.of(1, 4, new double[] {3, 1, 4, 1.5});
        ExactOtResult r = SOLVER.solve(new double[] {1}, b, c);
        // the only feasible plan is P = b^T: cost = sum b_j C_0j
        assertEquals(.1 * 3 + .2 * 1 + .3 * 4 + .4 * 1.5, r.cost(), 1e-15);
        assertArrayEquals(b, r.plan().toDense(), 0); // one row: the flat plan is that row
        assertOptimalityCertificate(new double[] {1}, b, c, r);
    }

    @Test
    void singleTargetReceivesTheSourceHistogram() {
        double[] a = {.5, .25, .25};
        CostMatrix c = CostMatrix.of(3, 1, new double[] {2, 0, 8});
        ExactOtResult r = SOLVER.solve(a, new double[] {1}, c);
        // the only feasible plan is P = a: cost = sum a_i C_i0
        assertEquals(.5 * 2 + .25 * 8, r.cost(), 1e-15);
        assertOptimalityCertificate(a, new double[] {1}, c, r);
    }

    @Test
    void oneByOneProblemHasCostC00() {
        ExactOtResult r = SOLVER.solve(new double[] {1}, new double[] {1}, CostMatrix.of(1, 1, new double[] {7}));
        assertEquals(7, r.cost(), 0);
        assertEquals(7, r.f()[0] + r.g()[0], 0); // one dual constraint, tight
        assertEquals(1, r.plan().size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void identicalPointCloudsCostZero(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 1 + rng.nextInt(200), 3);
            ExactOtResult r = SOLVER.solve(x, x);
            // the identity coupling costs 0 and every plan costs >= 0; rounding only in the zero-cost sums
            assertEquals(0, r.cost(), 1e-15);
            assertOptimalityCertificate(x.weights(), x.weights(), CostMatrix.squaredEuclidean(x, x), r);
        });
    }

    @Test
    void constantCostMakesEveryPlanOptimal() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 50;
        int m = 70;
        double[] ones = new double[n * m];
        java.util.Arrays.fill(ones, 1.0);
        double[] a = Histograms.normalised("a", RandomInputs.positiveWeights(rng, n));
        double[] b = Histograms.normalised("b", RandomInputs.positiveWeights(rng, m));
        CostMatrix c = CostMatrix.of(n, m, ones);
        ExactOtResult r = SOLVER.solve(a, b, c);
        // <1, P> = total mass = 1 for every feasible plan
        assertEquals(1, r.cost(), 1e-14);
        assertOptimalityCertificate(a, b, c, r);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void zeroWeightsAreHandledAndKeepDualFeasibility(long seed) {
        Property.check(seed, rng -> {
            int n = 2 + rng.nextInt(30);
            int m = 2 + rng.nextInt(30);
            double[] wa = RandomInputs.positiveWeights(rng, n);
            double[] wb = RandomInputs.positiveWeights(rng, m);
            for (int i = 0; i < n - 1; i++) {
                if (rng.nextInt(3) == 0) {
                    wa[i] = 0;
                }
            }
            for (int j = 1; j < m; j++) {
                if (rng.nextInt(3) == 0) {
                    wb[j] = 0;
                }
            }
            double[] a = Histograms.normalised("a", wa);
            double[] b = Histograms.normalised("b", wb);
            CostMatrix c = randomCost(rng, n, m);
            ExactOtResult r = SOLVER.solve(a, b, c);
            assertTrue(r.converged());
            // the certificate includes the dual constraints of the zero-mass atoms and no plan entry on them
            assertOptimalityCertificate(a, b, c, r);
            for (int k = 0; k < r.plan().size(); k++) {
                assertTrue(a[r.plan().row(k)] > 0 && b[r.plan().col(k)] > 0);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void marginalsWithinTheSumToleranceAreSolvedUpToTheImbalance(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(80);
            int m = 1 + rng.nextInt(80);
            double[] a = Histograms.normalised("a", RandomInputs.positiveWeights(rng, n));
            double[] b = Histograms.normalised("b", RandomInputs.positiveWeights(rng, m));
            CostMatrix c = randomCost(rng, n, m);
            // one side gets extra mass, half the accepted deviation of a sum from 1
            double excess = 0.5 * Histograms.SUM_TOLERANCE;
            double[] perturbed = a.clone();
            double[] perturbedB = b.clone();
            if (rng.nextBoolean()) {
                perturbed[rng.nextInt(n)] += excess;
            } else {
                perturbedB[rng.nextInt(m)] += excess;
            }
            ExactOtResult exact = SOLVER.solve(a, b, c);
            ExactOtResult r = SOLVER.solve(perturbed, perturbedB, c);
            assertTrue(r.converged());
            // the excess stays unassigned: marginals and cost move by at most that mass
            double[] rows = r.plan().sourceMarginal();
            double[] cols = r.plan().targetMarginal();
            for (int i = 0; i < n; i++) {
                assertTrue(rows[i] <= perturbed[i] + 1e-12 && rows[i] >= perturbed[i] - Histograms.SUM_TOLERANCE);
            }
            for (int j = 0; j < m; j++) {
                assertTrue(cols[j] <= perturbedB[j] + 1e-12 && cols[j] >= perturbedB[j] - Histograms.SUM_TOLERANCE);
            }
            assertEquals(exact.cost(), r.cost(), 2 * Histograms.SUM_TOLERANCE * c.maxAbs());
            double[] f = r.f();
            double[] g = r.g();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    assertTrue(f[i] + g[j] <= c.get(i, j) + 1e-9 * c.maxAbs()); // rounding of O(max|C|) sums
                }
            }
        });
    }

    // ---- options, determinism, validation ----------------------------------------------------------------

    @Test
    void reachingTheIterationLimitIsReportedWithAFeasiblePlan() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        double[] a = Histograms.uniform(n);
        CostMatrix c = randomCost(rng, n, n);
        ExactOtResult full = SOLVER.solve(a, a, c);
        assertTrue(full.iterations() > 1, "the instance needs pivots");
        ExactOtResult r = NetworkSimplex.withDefaults().withMaxIterations(1).solve(a, a, c);
        assertFalse(r.converged());
        assertEquals(1, r.iterations());
        // marginals are preserved by every pivot: rounding of O(n) additions of 1/n
        assertArrayEquals(a, r.plan().sourceMarginal(), 1e-12);
        assertArrayEquals(a, r.plan().targetMarginal(), 1e-12);
        assertTrue(r.cost() >= full.cost() - 1e-12);
        assertEquals(1, NetworkSimplex.withDefaults().withMaxIterations(1).maxIterations());
        assertEquals(NetworkSimplex.DEFAULT_MAX_ITERATIONS, NetworkSimplex.withDefaults().maxIterations());
    }

    @Test
    void anObserverThatStopsLeavesAFeasiblePlanAndReportsStopped() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        double[] a = Histograms.uniform(n);
        CostMatrix c = randomCost(rng, n, n);
        assertTrue(SOLVER.solve(a, a, c).iterations() > 3, "the instance needs more than 3 pivots");
        List<IterationStatus> seen = new ArrayList<>();
        ExactOtResult r = SOLVER.solve(a, a, c, status -> {
            seen.add(status);
            return status.iteration() < 3;
        });
        assertEquals(Termination.STOPPED, r.termination());
        assertFalse(r.converged());
        assertEquals(3, r.iterations());
        assertEquals(3, seen.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(k + 1, seen.get(k).iteration());
            // each status carries the violation of the arc that entered, which exceeded the threshold
            assertTrue(seen.get(k).error() > r.tolerance());
            assertTrue(Double.isNaN(seen.get(k).fractionDone()));
        }
        // marginals are preserved by every pivot: rounding of O(n) additions of 1/n
        assertArrayEquals(a, r.plan().sourceMarginal(), 1e-12);
        assertArrayEquals(a, r.plan().targetMarginal(), 1e-12);
        assertTrue(r.error() > r.tolerance(), "a stopped solve still has an entering arc");
        assertTrue(r.toString().contains("NOT CONVERGED: stopped by the observer after 3 iterations"), r.toString());
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(longs = {0, 1})
    void iterationLimitsOfZeroAndOnePivotReportTheLimit(long limit) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        double[] a = Histograms.uniform(n);
        CostMatrix c = randomCost(rng, n, n);
        ExactOtResult r = NetworkSimplex.withDefaults().withMaxIterations(limit).solve(a, a, c);
        assertEquals(Termination.ITERATION_LIMIT, r.termination());
        assertEquals(limit, r.iterations());
        assertTrue(r.error() > r.tolerance());
        // the greedy start and every pivot keep the marginals: rounding of O(n) additions of 1/n
        assertArrayEquals(a, r.plan().sourceMarginal(), 1e-12);
        assertArrayEquals(a, r.plan().targetMarginal(), 1e-12);
        assertTrue(r.toString().contains("NOT CONVERGED: iteration limit reached after " + limit), r.toString());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void convergedErrorIsTheLargestDualViolationAndWithinTheThreshold(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(80);
            int m = 1 + rng.nextInt(80);
            double[] a = Histograms.normalised("a", RandomInputs.positiveWeights(rng, n));
            double[] b = Histograms.normalised("b", RandomInputs.positiveWeights(rng, m));
            CostMatrix c = rng.nextBoolean() ? randomCost(rng, n, m) : squaredEuclidean(rng, n, m);
            ExactOtResult r = SOLVER.solve(a, b, c);
            assertEquals(Termination.CONVERGED, r.termination());
            assertEquals(1e-13 * c.maxAbs(), r.tolerance(), 0);
            assertTrue(r.error() >= 0 && r.error() <= r.tolerance(), r.toString());
            // the error is max(0, -min_ij (C_ij - g_j) - f_i), evaluated as the last pricing does: same bits
            double[] f = r.f();
            double[] g = r.g();
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double row = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    row = Math.min(row, c.get(i, j) - g[j]);
                }
                min = Math.min(min, row - f[i]);
            }
            assertEquals(Math.max(0, -min), r.error(), 0);
        });
    }

    @Test
    void toStringsShowSizesCostAndConvergence() {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0}, {1}, {3}}, new double[] {.2, .5, .3});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{-1}, {2}}, new double[] {.6, .4});
        ExactOtResult r = SOLVER.solve(x, y);
        String text = r.toString();
        assertTrue(text.startsWith("ExactOtResult[n=3, m=2, cost=" + r.cost() + ", plan: 4 entries, converged in "),
                text);
        assertEquals("NetworkSimplex[maxIterations=5]", SOLVER.withMaxIterations(5).toString());
        assertTrue(r.plan().toString().startsWith("SparsePlan[3x2, 4 entries: (0,0)=0.2"), r.plan().toString());
    }

    @Test
    void withMaxIterationsReturnsANewSolverAndKeepsTheOriginal() {
        NetworkSimplex limited = SOLVER.withMaxIterations(5);
        assertEquals(5, limited.maxIterations());
        assertEquals(NetworkSimplex.DEFAULT_MAX_ITERATIONS, SOLVER.maxIterations());
        assertEquals(7, limited.withMaxIterations(7).maxIterations());
        assertEquals(5, limited.maxIterations());
    }

    @Test
    void measureOverloadUsesWeightsAndSquaredEuclideanByDefault() {
        SplittableRandom rng = new SplittableRandom(13);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 30, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 20, 2);
        ExactOtResult byMeasures = SOLVER.solve(x, y);
        ExactOtResult byArrays = SOLVER.solve(x.weights(), y.weights(), CostMatrix.squaredEuclidean(x, y));
        // the same data reach the same deterministic solver: identical bits
        assertEquals(byArrays.cost(), byMeasures.cost(), 0);
        assertArrayEquals(byArrays.plan().masses(), byMeasures.plan().masses(), 0);
        assertArrayEquals(byArrays.plan().rows(), byMeasures.plan().rows());
        assertArrayEquals(byArrays.plan().cols(), byMeasures.plan().cols());
    }

    @Test
    void sameInputGivesSameBitsAndInputsAreNotModified() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] a = Histograms.normalised("a", RandomInputs.positiveWeights(rng, 80));
        double[] b = Histograms.normalised("b", RandomInputs.positiveWeights(rng, 60));
        double[] aCopy = a.clone();
        double[] bCopy = b.clone();
        CostMatrix c = squaredEuclidean(rng, 80, 60);
        ExactOtResult r1 = SOLVER.solve(a, b, c);
        ExactOtResult r2 = SOLVER.solve(a, b, c);
        assertEquals(r1.cost(), r2.cost(), 0);
        assertEquals(r1.plan(), r2.plan());
        assertArrayEquals(r1.f(), r2.f(), 0);
        assertArrayEquals(r1.g(), r2.g(), 0);
        assertArrayEquals(aCopy, a, 0);
        assertArrayEquals(bCopy, b, 0);
    }

    @Test
    void invalidInputIsRejectedNamingTheArgument() {
        CostMatrix c = CostMatrix.of(2, 2, new double[] {0, 1, 1, 0});
        double[] ok = {.5, .5};
        assertMessageNames("a", () -> SOLVER.solve(new double[] {.5, .6}, ok, c));
        assertMessageNames("b", () -> SOLVER.solve(ok, new double[] {.5, .4}, c));
        assertMessageNames("a", () -> SOLVER.solve(new double[] {1.5, -.5}, ok, c));
        assertMessageNames("b", () -> SOLVER.solve(ok, new double[] {Double.NaN, 1}, c));
        assertMessageNames("a", () -> SOLVER.solve(new double[] {1}, ok, c));
        assertMessageNames("b", () -> SOLVER.solve(ok, new double[] {.2, .3, .5}, c));
        assertMessageNames("a", () -> SOLVER.solve(null, ok, c));
        assertMessageNames("c", () -> SOLVER.solve(ok, ok, null));
        ParticleMeasure x2 = ParticleMeasure.of(new double[][] {{0, 0}, {1, 1}});
        ParticleMeasure y3 = ParticleMeasure.of(new double[][] {{0, 0, 0}});
        assertMessageNames("y", () -> SOLVER.solve(x2, y3));
        assertMessageNames("cost", () -> SOLVER.solve(x2, x2, null));
        assertMessageNames("maxIterations", () -> NetworkSimplex.withDefaults().withMaxIterations(-1));
        assertMessageNames("p", () -> GroundCost.euclideanPower(0));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static void assertMessageNames(String argument, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }

    /**
     * Primal feasibility (exact marginals, non-negative basic plan), dual feasibility, zero duality gap and
     * complementary slackness: together they prove optimality.
     */
    static void assertOptimalityCertificate(double[] a, double[] b, CostMatrix c, ExactOtResult r) {
        int n = a.length;
        int m = b.length;
        // costs (hence potentials) are O(max|C|); rounding of sums over n + m terms stays below 1e-9 of that
        double scale = Math.max(c.maxAbs(), Double.MIN_NORMAL);
        double tol = 1e-9 * scale;
        SparsePlan plan = r.plan();
        assertEquals(n, plan.sourceSize());
        assertEquals(m, plan.targetSize());
        assertTrue(plan.size() <= n + m - 1, "a basic plan has at most n + m - 1 entries, got " + plan.size());
        // flows change only by exact pivots: the marginals keep the inputs' rounding (sums of <= n+m terms <= 1)
        assertArrayEquals(a, plan.sourceMarginal(), 1e-12);
        assertArrayEquals(b, plan.targetMarginal(), 1e-12);
        double[] f = r.f();
        double[] g = r.g();
        double primal = 0;
        for (int k = 0; k < plan.size(); k++) {
            assertTrue(plan.mass(k) >= 0);
            double cij = c.get(plan.row(k), plan.col(k));
            primal += plan.mass(k) * cij;
            assertEquals(cij, f[plan.row(k)] + g[plan.col(k)], tol, "complementary slackness at entry " + k);
        }
        assertEquals(primal, r.cost(), 1e-12 * scale);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                assertTrue(f[i] + g[j] <= c.get(i, j) + tol, "dual constraint (" + i + "," + j + ")");
            }
        }
        assertEquals(r.cost(), r.dualObjective(a, b), tol, "duality gap");
    }

    private static CostMatrix randomCost(SplittableRandom rng, int n, int m) {
        double[] c = new double[n * m];
        for (int k = 0; k < c.length; k++) {
            c[k] = rng.nextDouble(0, 10);
        }
        return CostMatrix.of(n, m, c);
    }

    private static CostMatrix squaredEuclidean(SplittableRandom rng, int n, int m) {
        return CostMatrix.squaredEuclidean(RandomInputs.pointCloud(rng, n, 2), RandomInputs.pointCloud(rng, m, 2));
    }

    /** \( \min_\sigma \sum_i C_{i\sigma(i)} \) over all permutations (Heap's algorithm). */
    private static double bruteForceAssignment(double[] c, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double best = assignmentCost(c, n, perm);
        int[] counter = new int[n];
        int i = 1;
        while (i < n) {
            if (counter[i] < i) {
                int swap = i % 2 == 0 ? 0 : counter[i];
                int t = perm[swap];
                perm[swap] = perm[i];
                perm[i] = t;
                best = Math.min(best, assignmentCost(c, n, perm));
                counter[i]++;
                i = 1;
            } else {
                counter[i] = 0;
                i++;
            }
        }
        return best;
    }

    private static double assignmentCost(double[] c, int n, int[] perm) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += c[i * n + perm[i]];
        }
        return s;
    }
}
