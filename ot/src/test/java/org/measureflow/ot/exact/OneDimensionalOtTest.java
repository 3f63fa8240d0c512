package org.measureflow.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.Histograms;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class OneDimensionalOtTest {

    @Test
    void closedFormExampleB9() {
        double[] x = {0, 1, 3};
        double[] a = {.2, .5, .3};
        double[] y = {-1, 2};
        double[] b = {.6, .4};
        // 0.2*1 + 0.4*4 + 0.1*1 + 0.3*1 = 2.2, five rounded products
        assertEquals(2.2, OneDimensionalOt.cost(x, a, y, b, 2), 1e-12);
        assertEquals(Math.sqrt(2.2), OneDimensionalOt.distance(x, a, y, b, 2), 1e-12);
        // W1 = 0.2*1 + 0.4*2 + 0.1*1 + 0.3*1 = 1.4
        assertEquals(1.4, OneDimensionalOt.distance(x, a, y, b, 1), 1e-12);
    }

    @Test
    void unsortedInputGivesPlanInOriginalIndices() {
        double[] x = {3, 0, 1};
        double[] a = {.3, .2, .5};
        double[] y = {2, -1};
        double[] b = {.4, .6};
        SparsePlan plan = OneDimensionalOt.monotonePlan(x, a, y, b);
        double[] expected = {.3, 0, 0, .2, .1, .4}; // docs/closed-forms.md CF-11's plan with rows and columns permuted, flat row-major
        assertArrayEquals(expected, plan.toDense(), 1e-15); // one subtraction of O(1) masses
        assertEquals(2.2, OneDimensionalOt.cost(x, a, y, b, 2), 1e-12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void monotonePlanIsAMonotoneCouplingWithAtMostNPlusMMinusOneEntries(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.measure1d(rng, 1 + rng.nextInt(50));
            ParticleMeasure y = RandomInputs.measure1d(rng, 1 + rng.nextInt(50));
            SparsePlan plan = OneDimensionalOt.monotonePlan(x, y);
            assertTrue(plan.size() <= x.size() + y.size() - 1);
            // masses are differences of partial sums of weights <= 1: rounding O((n+m) ulp)
            assertArrayEquals(x.weights(), plan.sourceMarginal(), 1e-13);
            assertArrayEquals(y.weights(), plan.targetMarginal(), 1e-13);
            // monotone: no two entries (i, j), (k, l) with x_i < x_k and y_j > y_l
            for (int s = 0; s < plan.size(); s++) {
                for (int t = 0; t < plan.size(); t++) {
                    double xs = x.coordinate(plan.row(s), 0);
                    double xt = x.coordinate(plan.row(t), 0);
                    double ys = y.coordinate(plan.col(s), 0);
                    double yt = y.coordinate(plan.col(t), 0);
                    assertTrue(!(xs < xt && ys > yt), "crossing entries " + s + ", " + t);
                }
            }
            // the cost of the returned plan is W_p^p
            double cost = 0;
            for (int k = 0; k < plan.size(); k++) {
                double d = x.coordinate(plan.row(k), 0) - y.coordinate(plan.col(k), 0);
                cost += plan.mass(k) * Math.abs(d) * Math.abs(d) * Math.abs(d);
            }
            double w3 = OneDimensionalOt.cost(x, y, 3);
            assertEquals(w3, cost, 1e-12 * w3); // same terms, pow versus products
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void uniformEqualSizeMeasuresMatchSortedPairs(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(100);
            double[] x = RandomInputs.gaussianVector(rng, n);
            double[] y = RandomInputs.gaussianVector(rng, n);
            double[] sx = x.clone();
            double[] sy = y.clone();
            Arrays.sort(sx);
            Arrays.sort(sy);
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += (sx[i] - sy[i]) * (sx[i] - sy[i]) / n;
            }
            double[] w = Histograms.uniform(n);
            assertEquals(OneDimensionalOt.cost(x, w, y, w, 2), OneDimensionalOt.cost(x, y, 2),
                    0); // the uniform overload builds the same weights
            // sorting and matching is the quantile formula for n vs n uniform atoms; the merge may split an
            // atom in two pieces of rounded mass, so agreement is to rounding of n terms
            assertEquals(expected, OneDimensionalOt.cost(x, w, y, w, 2), 1e-12 * (1 + expected));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void translationMovesEveryMeasureByItsShift(long seed) {
        Property.check(seed, rng -> {
            ParticleMeasure x = RandomInputs.measure1d(rng, 1 + rng.nextInt(60));
            double shift = rng.nextDouble(-3, 3);
            ParticleMeasure y = x.pushForward((in, off, out, outOff) -> out[outOff] = in[off] + shift);
            for (double p : new double[] {1, 1.5, 2, 4}) {
                // the monotone map is x -> x + shift, so W_p = |shift| for every p >= 1
                assertEquals(Math.abs(shift), OneDimensionalOt.distance(x, y, p), 1e-12, "p = " + p);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void pairedPathGivesTheBitsOfTheMerge(long seed) {
        Property.check(seed, rng -> {
            int n = rng.nextInt(5) == 0 ? 1 : AtomSortTest.length(rng);
            double[] x = tame(AtomSortTest.atoms(rng, n));
            double[] y = tame(AtomSortTest.atoms(rng, n));
            double[] w = Histograms.uniform(n);
            double[] xBefore = x.clone();
            double[] yBefore = y.clone();
            for (double p : new double[] {1, 1.5, 2, 3}) {
                // bound 0: the merge of two uniform measures of equal size pairs the k-th atoms with mass exactly
                // 1/n (every remainder is exactly 0), so both paths add the same products in the same order
                assertEquals(OneDimensionalOt.cost(x, w, y, w, p, false), OneDimensionalOt.cost(x, w, y, w, p), 0.0);
                assertEquals(OneDimensionalOt.distance(x, w, y, w, p, false), OneDimensionalOt.distance(x, w, y, w, p),
                        0.0);
            }
            assertArrayEquals(xBefore, x);
            assertArrayEquals(yBefore, y);
        });
    }

    @Test
    void pairedPathRescalesLikeTheMerge() {
        double[] x = {3e200, -1e200, 0, 5};
        double[] y = {-2e200, 1e-200, 7e199, -0.0};
        double[] w = Histograms.uniform(4);
        // W_2^2 ~ 1e401 overflows: both paths take the rescaled sum over the same entries, term for term
        assertEquals(OneDimensionalOt.distance(x, w, y, w, 2, false), OneDimensionalOt.distance(x, w, y, w, 2), 0.0);
        assertMessage("x and y", () -> OneDimensionalOt.cost(x, w, y, w, 2));
        double[] tiny = {1e-200, -1e-200};
        double[] half = {.5, .5};
        // W_2^2 = 4e-400 underflows: the rescaled distance is 2e-200 on both paths
        assertEquals(OneDimensionalOt.distance(tiny, half, new double[] {1e-200, 1e-200}, half, 2, false),
                OneDimensionalOt.distance(tiny, half, new double[] {1e-200, 1e-200}, half, 2), 0.0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void mergeMatchesExactOtByTheNetworkSimplexWithTiesAndZeroWeights(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(9);
            int m = 1 + rng.nextInt(9);
            double[] x = smallAtoms(rng, n);
            double[] y = smallAtoms(rng, m);
            double[] a = weightsWithZeros(rng, n);
            double[] b = weightsWithZeros(rng, m);
            for (double p : new double[] {1, 2, 3}) {
                double[] c = new double[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        c[i * m + j] = Math.pow(Math.abs(x[i] - y[j]), p);
                    }
                }
                ExactOtResult lp = NetworkSimplex.withDefaults().solve(a, b, CostMatrix.of(n, m, c));
                assertTrue(lp.converged());
                double quantile = OneDimensionalOt.cost(x, a, y, b, p);
                // two exact algorithms on costs <= 6^3; they differ by rounding of at most n + m - 1 terms
                assertEquals(lp.cost(), quantile, 1e-12 * (1 + lp.cost()), "p = " + p);
                SparsePlan plan = OneDimensionalOt.monotonePlan(x, a, y, b);
                // masses are differences of partial sums of weights <= 1: rounding O((n + m) ulp)
                assertArrayEquals(a, plan.sourceMarginal(), 1e-14);
                assertArrayEquals(b, plan.targetMarginal(), 1e-14);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void pairedPathMatchesBruteForceOverPermutations(long seed) {
        Property.check(seed, rng -> {
            int n = 1 + rng.nextInt(6);
            double[] x = smallAtoms(rng, n);
            double[] y = smallAtoms(rng, n);
            double p = 1 + 2 * rng.nextDouble();
            // Birkhoff: the optimum of the uniform n x n problem is at a permutation; at most 6! = 720 of them
            double best = bestPermutation(x, y, p, new int[n], new boolean[n], 0, 0) / n;
            assertEquals(best, OneDimensionalOt.cost(x, y, p), 1e-12 * (1 + best)); // n <= 6 terms of size <= 27
        });
    }

    private static double bestPermutation(double[] x, double[] y, double p, int[] perm, boolean[] used, int k,
            double partial) {
        if (k == x.length) {
            return partial;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < y.length; j++) {
            if (!used[j]) {
                used[j] = true;
                perm[k] = j;
                best = Math.min(best, bestPermutation(x, y, p, perm, used, k + 1,
                        partial + Math.pow(Math.abs(x[k] - y[j]), p)));
                used[j] = false;
            }
        }
        return best;
    }

    /** Atoms on a grid of halves in [-1.5, 1.5] (many ties and duplicates), with signed zeros. */
    private static double[] smallAtoms(SplittableRandom rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextInt(-3, 4) * (rng.nextBoolean() ? 0.5 : -0.5);
        }
        return x;
    }

    /** Normalised weights of which about a third are exactly zero (at least one is positive). */
    private static double[] weightsWithZeros(SplittableRandom rng, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = i == 0 || rng.nextInt(3) > 0 ? rng.nextDouble(0.1, 1) : 0;
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** Atoms at most 1e100 in size, so that |x - y|^3 stays finite and the cost is defined. */
    private static double[] tame(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > 1e100) {
                x[i] = Math.copySign(1e100, x[i]);
            }
        }
        return x;
    }

    @Test
    void invalidInputIsRejectedNamingTheArgument() {
        double[] x = {0, 1};
        double[] w = {.5, .5};
        assertMessage("p", () -> OneDimensionalOt.cost(x, w, x, w, 0.5));
        assertMessage("p", () -> OneDimensionalOt.cost(x, w, x, w, Double.NaN));
        assertMessage("a", () -> OneDimensionalOt.cost(x, new double[] {.5, .6}, x, w, 2));
        assertMessage("b", () -> OneDimensionalOt.cost(x, w, x, new double[] {-1, 2}, 2));
        assertMessage("b", () -> OneDimensionalOt.cost(x, w, x, new double[] {1}, 2));
        assertMessage("x", () -> OneDimensionalOt.cost(new double[] {0, Double.NaN}, w, x, w, 2));
        ParticleMeasure oneD = ParticleMeasure.of(new double[][] {{0}, {1}});
        ParticleMeasure twoD = ParticleMeasure.of(new double[][] {{0, 0}});
        assertMessage("y", () -> OneDimensionalOt.distance(oneD, twoD, 2));
        assertMessage("x", () -> OneDimensionalOt.monotonePlan(twoD, oneD));
    }

    private static void assertMessage(String argument, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message should name " + argument + ": " + e.getMessage());
    }
}
