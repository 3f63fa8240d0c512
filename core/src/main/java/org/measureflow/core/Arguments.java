package org.measureflow.core;

import org.ejml.data.DMatrixRMaj;

/**
 * Validation of public arguments, done once at an API boundary. Every check returns the checked value so that
 * it can be used inline, and every failure is an {@link IllegalArgumentException} whose message names the
 * argument, the rule and the offending value.
 */
public final class Arguments {
    private Arguments() {
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

    /** Requires {@code value >= 0} and finite. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
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

    /** Requires a non-null reference. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Requires {@code actual == expected} for a length or dimension. */
    public static int length(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual + ", expected " + expected);
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

    /** Requires a square matrix; returns its size. */
    public static int square(String name, DMatrixRMaj matrix) {
        notNull(name, matrix);
        if (matrix.numRows != matrix.numCols || matrix.numRows == 0) {
            throw new IllegalArgumentException(name + " must be a non-empty square matrix, got "
                    + matrix.numRows + "x" + matrix.numCols);
        }
        return matrix.numRows;
    }

    /**
     * Requires non-negative finite weights with a positive sum; returns the sum. An entry that breaks the rule is
     * named with its index.
     */
    public static double weights(String name, double[] weights) {
        notNull(name, weights);
        if (weights.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
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
}
