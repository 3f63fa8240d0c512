package org.measureflow.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.testing.Property;

class AtomSortTest {
    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1, -1, 1e-300, -1e300, Math.nextUp(1.0)};

    /**
     * Atoms with the cases that matter for a sort: ties (small integers), signed zeros, subnormals and the extremes
     * of the double range, spread-out magnitudes, and values whose keys differ in three bytes only (the radix sort
     * then runs an odd number of passes and copies back). Lengths cross the insertion / radix boundary.
     */
    static double[] atoms(SplittableRandom rng, int n) {
        double[] x = new double[n];
        int kind = rng.nextInt(5);
        for (int i = 0; i < n; i++) {
            int draw = kind == 3 ? rng.nextInt(4) : kind;
            x[i] = switch (draw) {
                case 0 -> rng.nextInt(-3, 4) + 0.0 * rng.nextInt(-1, 2); // ties, and -0.0 from 0 * -1
                case 1 -> SPECIAL[rng.nextInt(SPECIAL.length)];
                case 2 -> rng.nextGaussian() * Math.exp(rng.nextDouble(-40, 40));
                case 4 -> 1 + rng.nextInt(16) * 0x1p-4 + rng.nextInt(256) * 0x1p-20 + rng.nextInt(256) * 0x1p-36;
                default -> rng.nextGaussian();
            };
        }
        return x;
    }

    static int length(SplittableRandom rng) {
        int bucket = rng.nextInt(4);
        return bucket == 0 ? 1 + rng.nextInt(AtomSort.SMALL) : bucket == 3 ? 1 + rng.nextInt(3000)
                : AtomSort.SMALL - 5 + rng.nextInt(300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void sortedCopyIsTheComparisonSortWithPositiveZeros(long seed) {
        Property.check(seed, rng -> {
            double[] x = atoms(rng, length(rng));
            double[] before = x.clone();
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = x[i] == 0 ? 0.0 : x[i];
            }
            Arrays.sort(expected);
            // a sort has one result: the same doubles bit for bit (assertArrayEquals tells -0.0 from 0.0)
            assertArrayEquals(expected, AtomSort.sortedCopy(x));
            assertArrayEquals(before, x); // the input is not modified
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void sortedWithWeightsIsTheStablePermutationWithWeightsCarried(long seed) {
        Property.check(seed, rng -> {
            int n = length(rng);
            double[] x = atoms(rng, n);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = rng.nextInt(3) == 0 ? 0 : rng.nextDouble();
            }
            double[] xBefore = x.clone();
            double[] aBefore = a.clone();
            // a stable comparison sort of indices (List.sort is a stable merge sort) with -0.0 and 0.0 equal
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble(i -> x[i] + 0.0));
            AtomSort.Sorted sorted = AtomSort.sortedWithWeights(x, a);
            for (int k = 0; k < n; k++) {
                int i = order.get(k);
                assertEquals(i, sorted.index[k], "position " + k);
                assertEquals(x[i] + 0.0, sorted.values[k], 0.0);
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(sorted.weights[k]));
            }
            assertArrayEquals(xBefore, x);
            assertArrayEquals(aBefore, a);
        });
    }

    @Test
    void keysOrderTheSpecialValuesAndInvertExactly() {
        double[] sorted = SPECIAL.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < sorted.length; k++) {
            double v = sorted[k] + 0.0;
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(AtomSort.value(AtomSort.key(v))));
            if (k > 0) {
                int order = Long.compareUnsigned(AtomSort.key(sorted[k - 1]), AtomSort.key(sorted[k]));
                // -0.0 and 0.0 share a key; every other neighbouring pair is strictly increasing
                assertTrue(sorted[k - 1] == sorted[k] ? order == 0 : order < 0, sorted[k - 1] + " vs " + sorted[k]);
            }
        }
    }
}
