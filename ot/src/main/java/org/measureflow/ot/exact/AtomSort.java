package org.measureflow.ot.exact;

import java.util.Arrays;

/**
 * Sorting of finite 1-D atoms on primitives for {@link OneDimensionalOt}, without comparisons through an index
 * array: a least-significant-digit radix sort of 64-bit keys.
 *
 * <p>Keys: a finite double \( v \) is first replaced by \( v + 0 \) (which turns \( -0 \) into \( +0 \) and changes
 * nothing else), then its IEEE-754 bit pattern \( b \) is mapped to \( b \oplus \mathtt{8000\ldots0} \) if the sign
 * bit is clear and to \( \lnot b \) if it is set. Unsigned order of the keys is then the order of the values, and the
 * map is inverted exactly ({@link #value(long)}). The radix sort makes one pass per byte of the key (least significant
 * first), each a stable counting sort; a pass is skipped when all keys share that byte. It is stable, so equal values
 * keep their input order: the same permutation as a stable comparison sort that treats \( -0 \) and \( +0 \) as equal.
 * Fewer than {@value #SMALL} atoms are sorted by insertion (same result, no histograms).
 *
 * <p>Cost: 8 passes at most over \( n \) keys (and \( n \) carried indices), \( O(n) \) time and \( 2n \) longs (plus
 * \( 2n \) ints) of scratch; the input is never modified.
 */
final class AtomSort {
    /** Below this many atoms, insertion sort. */
    static final int SMALL = 64;
    private static final int DIGIT_BITS = 8;
    private static final int RADIX = 1 << DIGIT_BITS;
    private static final int PASSES = Long.SIZE / DIGIT_BITS;

    private AtomSort() {
    }

    /** Atoms in increasing order with their weights and original indices carried along. */
    static final class Sorted {
        /** The atoms in increasing order ({@code -0.0} read as {@code 0.0}). */
        final double[] values;
        /** {@code weights[k]} is the weight of the atom at {@code values[k]}. */
        final double[] weights;
        /** {@code index[k]} is the input position of the atom at {@code values[k]}; ties keep input order. */
        final int[] index;

        private Sorted(double[] values, double[] weights, int[] index) {
            this.values = values;
            this.weights = weights;
            this.index = index;
        }
    }

    /** The order-preserving unsigned key of a finite {@code v} (see the class comment). */
    static long key(double v) {
        long bits = Double.doubleToRawLongBits(v + 0.0);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    /** The value of a {@link #key(double)}: exact inverse on keys of finite values other than {@code -0.0}. */
    static double value(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MIN_VALUE : ~key);
    }

    /** A new array holding {@code values} in increasing order, {@code -0.0} written as {@code 0.0}. */
    static double[] sortedCopy(double[] values) {
        int n = values.length;
        double[] out = new double[n];
        if (n < SMALL) {
            for (int i = 0; i < n; i++) {
                out[i] = values[i] + 0.0;
            }
            Arrays.sort(out);
            return out;
        }
        long[] keys = keys(values);
        radixSort(keys, null);
        for (int i = 0; i < n; i++) {
            out[i] = value(keys[i]);
        }
        return out;
    }

    /**
     * The atoms {@code values} in increasing order, ties in input order, with {@code weights} (same length) and the
     * input indices carried along.
     */
    static Sorted sortedWithWeights(double[] values, double[] weights) {
        int n = values.length;
        long[] keys = keys(values);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        if (n < SMALL) {
            insertionSort(keys, index);
        } else {
            radixSort(keys, index);
        }
        double[] sortedValues = new double[n];
        double[] sortedWeights = new double[n];
        for (int k = 0; k < n; k++) {
            sortedValues[k] = value(keys[k]);
            sortedWeights[k] = weights[index[k]];
        }
        return new Sorted(sortedValues, sortedWeights, index);
    }

    /**
     * Stable LSD radix sort of {@code keys} (unsigned order) in place, permuting {@code index} alongside unless it
     * is null.
     */
    private static void radixSort(long[] keys, int[] index) {
        int n = keys.length;
        int[] counts = histograms(keys);
        long[] src = keys;
        long[] dst = new long[n];
        int[] srcIndex = index;
        int[] dstIndex = index == null ? null : new int[n];
        for (int pass = 0; pass < PASSES; pass++) {
            if (!startingPositions(counts, pass, n, src[0])) {
                continue;
            }
            int shift = pass * DIGIT_BITS;
            int offset = pass * RADIX;
            if (index == null) {
                for (long k : src) {
                    dst[counts[offset + ((int) (k >>> shift) & (RADIX - 1))]++] = k;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int to = counts[offset + ((int) (src[i] >>> shift) & (RADIX - 1))]++;
                    dst[to] = src[i];
                    dstIndex[to] = srcIndex[i];
                }
                int[] ti = srcIndex;
                srcIndex = dstIndex;
                dstIndex = ti;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != keys) { // an odd number of passes ran
            System.arraycopy(src, 0, keys, 0, n);
            if (index != null) {
                System.arraycopy(srcIndex, 0, index, 0, n);
            }
        }
    }

    private static long[] keys(double[] values) {
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = key(values[i]);
        }
        return keys;
    }

    /** Counts of every byte value at every byte position, in one pass: {@code counts[pass * RADIX + digit]}. */
    private static int[] histograms(long[] keys) {
        int[] counts = new int[PASSES * RADIX];
        for (long k : keys) {
            for (int pass = 0; pass < PASSES; pass++) {
                counts[pass * RADIX + ((int) (k >>> (pass * DIGIT_BITS)) & (RADIX - 1))]++;
            }
        }
        return counts;
    }

    /**
     * Turns the counts of {@code pass} into starting positions (exclusive prefix sums); returns false, leaving them
     * alone, if every one of the {@code n} keys has the same digit there (that of {@code anyKey}): the pass would not
     * move anything.
     */
    private static boolean startingPositions(int[] counts, int pass, int n, long anyKey) {
        int offset = pass * RADIX;
        if (counts[offset + ((int) (anyKey >>> (pass * DIGIT_BITS)) & (RADIX - 1))] == n) {
            return false;
        }
        int start = 0;
        for (int d = offset; d < offset + RADIX; d++) {
            int c = counts[d];
            counts[d] = start;
            start += c;
        }
        return true;
    }

    /** Stable insertion sort of {@code keys} (unsigned order), moving {@code index} alongside. */
    private static void insertionSort(long[] keys, int[] index) {
        for (int i = 1; i < keys.length; i++) {
            long k = keys[i];
            int idx = index[i];
            int j = i - 1;
            while (j >= 0 && Long.compareUnsigned(keys[j], k) > 0) {
                keys[j + 1] = keys[j];
                index[j + 1] = index[j];
                j--;
            }
            keys[j + 1] = k;
            index[j + 1] = idx;
        }
    }
}
