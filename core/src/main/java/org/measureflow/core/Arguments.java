package org.measureflow.core;

import java.util.Collection;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Validation of public arguments, done once at an API boundary: every rule the library uses, in one place. Every
 * check returns the checked value so that it can be used inline, and every failure is an
 * {@link IllegalArgumentException} whose message names the argument, the rule and the offending value, e.g.
 * {@code "epsilon must be finite and > 0, got -1.0"}.
 */
public final class Arguments {
    /** How far from 1 the sum of a probability vector may be: \( |\sum_i p_i - 1| \le 10^{-9} \). */
    public static final double PROBABILITY_SUM_TOLERANCE = 1e-9;
    /**
     * The longest array the library allocates, \( 2^{31} - 9 \) entries: the JVM refuses arrays within a few entries
     * of {@link Integer#MAX_VALUE} ("Requested array size exceeds VM limit"), whatever the heap.
     */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Relative asymmetry \( \max |S_{ij} - S_{ji}| / \max |S_{ij}| \) accepted as rounding error. */
    public static final double SYMMETRY_TOLERANCE = 1e-10;

    private Arguments() {
    }

    /** Requires a non-null reference. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Requires a finite value. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** Requires {@code value > 0} and finite. */
    public static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value > 0}. */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value > 0}. */
    public static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= 0} and finite. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** Requires {@code value >= min}. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** Requires a finite {@code value >= min}. */
    public static double atLeast(String name, double value, double min) {
        if (!(value >= min) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= " + min + ", got " + value);
        }
        return value;
    }

    /** Requires {@code value <= max}. */
    public static int atMost(String name, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(name + " must be <= " + max + ", got " + value);
        }
        return value;
    }

    /** Requires {@code value <= max}. */
    public static long atMost(String name, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(name + " must be <= " + max + ", got " + value);
        }
        return value;
    }

    /** Requires a finite {@code value <= max}. */
    public static double atMost(String name, double value, double max) {
        if (!(value <= max) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and <= " + max + ", got " + value);
        }
        return value;
    }

    /** Requires {@code lo <= value <= hi}. */
    public static int inRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /** Requires {@code lo <= value <= hi} (so finite when the bounds are). */
    public static double inRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /** Requires {@code lo < value < hi}. */
    public static double inOpenRange(String name, double value, double lo, double hi) {
        if (!(value > lo && value < hi)) {
            throw new IllegalArgumentException(name + " must be in (" + lo + ", " + hi + "), got " + value);
        }
        return value;
    }

    /** Requires an index {@code 0 <= index < size}. */
    public static int index(String name, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(name + " must be in [0, " + size + "), got " + index);
        }
        return index;
    }

    /** Requires a non-null array whose entries are all finite. */
    public static double[] finite(String name, double[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
        return values;
    }

    /** Requires a non-null array whose entries are all finite and {@code >= 0}. */
    public static double[] nonNegative(String name, double[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0) || !Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, got " + values[i]);
            }
        }
        return values;
    }

    /** Requires a non-null array whose entries are all finite and {@code > 0}. */
    public static double[] positive(String name, double[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0) || !Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite and > 0, got " + values[i]);
            }
        }
        return values;
    }

    /** Requires a non-null, non-empty array. */
    public static double[] nonEmpty(String name, double[] values) {
        notNull(name, values);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return values;
    }

    /** Requires a non-null, non-empty array. */
    public static <T> T[] nonEmpty(String name, T[] values) {
        notNull(name, values);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return values;
    }

    /** Requires a non-null, non-empty collection. */
    public static <C extends Collection<?>> C nonEmpty(String name, C values) {
        notNull(name, values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return values;
    }

    /** Requires a non-null array without null elements. */
    public static <T> T[] noNulls(String name, T[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be null");
            }
        }
        return values;
    }

    /** Requires a non-null matrix whose entries are all finite. */
    public static DMatrixRMaj finite(String name, DMatrixRMaj matrix) {
        notNull(name, matrix);
        double[] data = matrix.data;
        int size = matrix.getNumElements();
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException(name + "(" + i / matrix.numCols + "," + i % matrix.numCols
                        + ") must be finite, got " + data[i]);
            }
        }
        return matrix;
    }

    /** Requires {@code actual == expected} for a length. */
    public static int length(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual + ", expected " + expected);
        }
        return actual;
    }

    /**
     * Requires {@code actual == expected} for a dimension, naming what the expected dimension belongs to:
     * {@code "y has dimension 3, expected 2 (the dimension of x)"}.
     */
    public static int sameDimension(String name, int actual, int expected, String reference) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has dimension " + actual + ", expected " + expected
                    + " (the dimension of " + reference + ")");
        }
        return actual;
    }

    /** Requires a {@code rows x cols} matrix. */
    public static DMatrixRMaj shape(String name, DMatrixRMaj matrix, int rows, int cols) {
        notNull(name, matrix);
        if (matrix.numRows != rows || matrix.numCols != cols) {
            throw new IllegalArgumentException(name + " must be " + rows + "x" + cols + ", got "
                    + matrix.numRows + "x" + matrix.numCols);
        }
        return matrix;
    }

    /** Requires a non-empty square matrix; returns its size. */
    public static int square(String name, DMatrixRMaj matrix) {
        notNull(name, matrix);
        if (matrix.numRows != matrix.numCols || matrix.numRows == 0) {
            throw new IllegalArgumentException(name + " must be a non-empty square matrix, got "
                    + matrix.numRows + "x" + matrix.numCols);
        }
        return matrix.numRows;
    }

    /**
     * Requires a finite square matrix, symmetric up to {@link #SYMMETRY_TOLERANCE} relative to its largest entry.
     */
    public static DMatrixRMaj symmetric(String name, DMatrixRMaj matrix) {
        int d = square(name, matrix);
        finite(name, matrix);
        double scale = 0;
        for (int i = 0; i < matrix.getNumElements(); i++) {
            scale = Math.max(scale, Math.abs(matrix.data[i]));
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double a = matrix.unsafe_get(i, j);
                double b = matrix.unsafe_get(j, i);
                if (Math.abs(a - b) > SYMMETRY_TOLERANCE * scale) {
                    throw new IllegalArgumentException(name + " must be symmetric, but entry (" + i + "," + j
                            + ") = " + a + " differs from (" + j + "," + i + ") = " + b);
                }
            }
        }
        return matrix;
    }

    /**
     * Requires a symmetric positive definite matrix: {@link #symmetric(String, DMatrixRMaj)}, and the Cholesky
     * factorisation of its symmetric part succeeds. The matrix is not modified.
     */
    public static DMatrixRMaj spd(String name, DMatrixRMaj matrix) {
        int d = symmetric(name, matrix).numRows;
        DMatrixRMaj sym = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sym.unsafe_set(i, j, 0.5 * (matrix.unsafe_get(i, j) + matrix.unsafe_get(j, i)));
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(sym)) {
            throw new IllegalArgumentException(name + " must be positive definite (its Cholesky factorisation failed)");
        }
        return matrix;
    }

    /**
     * Requires non-negative finite weights with a positive finite sum; returns the sum. An entry that breaks the rule
     * is named with its index.
     */
    public static double weights(String name, double[] weights) {
        nonEmpty(name, weights);
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalArgumentException(name + " must have a finite positive sum, got " + sum);
        }
        return sum;
    }

    /**
     * Requires a probability vector of the given length: finite entries {@code >= 0} whose sum is 1 within
     * {@link #PROBABILITY_SUM_TOLERANCE}.
     */
    public static double[] probabilityVector(String name, double[] p, int expectedLength) {
        notNull(name, p);
        length(name, p.length, expectedLength);
        double sum = weights(name, p);
        if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE)) {
            throw new IllegalArgumentException(name + " must sum to 1 (within " + PROBABILITY_SUM_TOLERANCE
                    + "), got " + sum + "; divide it by its sum first");
        }
        return p;
    }

    /**
     * Requires that the product of non-negative sizes fits an array ({@code <=} {@link #MAX_ARRAY_LENGTH}); returns
     * it. The product is formed in {@code long} arithmetic, so it cannot overflow silently. The message gives the
     * factors, e.g. {@code "n * m = 65536 * 65537 exceeds the largest array (2147483639 entries)"}.
     */
    public static int product(String name, int... factors) {
        long p = 1;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < factors.length; i++) {
            int f = nonNegative(name + " factor " + i, factors[i]);
            text.append(i == 0 ? "" : " * ").append(f);
            p = p * f;
            if (p > MAX_ARRAY_LENGTH) {
                for (int k = i + 1; k < factors.length; k++) {
                    text.append(" * ").append(factors[k]);
                }
                throw new IllegalArgumentException(name + " = " + text + " exceeds the largest array ("
                        + MAX_ARRAY_LENGTH + " entries)");
            }
        }
        return (int) p;
    }

    /**
     * Requires that a number computed from the named argument(s) is finite: the guard against a result that overflows
     * (or, as {@code NaN}, cancels infinities) although every input was finite. The message names the argument, the
     * quantity and the value, e.g. {@code "x: the log-density overflows double precision (got -Infinity)"}.
     *
     * @param name     the argument (or arguments, {@code "x and y"}) whose values make the quantity
     * @param quantity what was computed, e.g. {@code "the log-density"}
     * @param value    the computed value
     * @return {@code value}
     */
    public static double finiteResult(String name, String quantity, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + quantity + " overflows double precision (got " + value
                    + ")");
        }
        return value;
    }

    /**
     * Requires that every entry of an array computed from the named argument(s) is finite; see
     * {@link #finiteResult(String, String, double)}. The message gives the first bad entry's index.
     *
     * @return {@code values}
     */
    public static double[] finiteResult(String name, String quantity, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + ": " + quantity + " overflows double precision (entry " + i
                        + " is " + values[i] + ")");
            }
        }
        return values;
    }

    /**
     * Requires a non-null array of indices {@code 0 <= indices[k] < size}; an entry that breaks the rule is named with
     * its position, e.g. {@code "rows[3] must be in [0, 10), got 12"}.
     */
    public static int[] indices(String name, int[] indices, int size) {
        notNull(name, indices);
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= size) {
                throw new IllegalArgumentException(name + "[" + k + "] must be in [0, " + size + "), got "
                        + indices[k]);
            }
        }
        return indices;
    }
}
