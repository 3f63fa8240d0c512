package org.measureflow.core.io;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * A one- or two-dimensional array of doubles, the content of an {@code .npy} file: a vector of shape {@code (n,)}
 * or a matrix of shape {@code (rows, cols)}, stored flat and row-major (entry {@code (i, j)} at {@code i * cols + j},
 * the layout of {@code CostMatrix} and of {@code TransportPlan.toDense()}). A vector has {@code cols = 1}.
 *
 * <p>A container: any double may be stored, NaN and infinities included; the readers of {@link DataFiles} that make
 * measures, weights and matrices reject non-finite values. The array is copied in and out, so a value never changes.
 *
 * @param data       the entries, row-major, length {@code rows * cols}
 * @param rows       the number of rows ({@code n} for a vector), {@code >= 0}
 * @param cols       the number of columns, {@code >= 0}; 1 for a vector
 * @param dimensions 1 for a vector of shape {@code (rows,)}, 2 for a matrix of shape {@code (rows, cols)}
 */
public record NpyArray(double[] data, int rows, int cols, int dimensions) {
    /**
     * Checks the shape and copies the entries.
     *
     * @throws IllegalArgumentException if {@code data} is null, {@code dimensions} is not 1 or 2, a size is negative,
     *                                  a vector has {@code cols != 1}, or {@code data} does not hold
     *                                  {@code rows * cols} entries
     */
    public NpyArray {
        Arguments.notNull("data", data);
        Arguments.inRange("dimensions", dimensions, 1, 2);
        Arguments.nonNegative("rows", rows);
        Arguments.nonNegative("cols", cols);
        if (dimensions == 1 && cols != 1) {
            throw new IllegalArgumentException("cols must be 1 for a vector (dimensions = 1), got " + cols);
        }
        Arguments.length("data", data.length, Arguments.product("rows * cols", rows, cols));
        data = data.clone();
    }

    /**
     * A vector of shape {@code (n,)}.
     *
     * @param values the entries (copied)
     * @return the vector
     */
    public static NpyArray vector(double[] values) {
        Arguments.notNull("values", values);
        return new NpyArray(values, values.length, 1, 1);
    }

    /**
     * A matrix of shape {@code (rows, cols)}.
     *
     * @param data the entries, row-major (copied)
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the matrix
     */
    public static NpyArray matrix(double[] data, int rows, int cols) {
        return new NpyArray(data, rows, cols, 2);
    }

    /** A copy of the entries, row-major. */
    @Override
    public double[] data() {
        return data.clone();
    }

    /** The entries without a copy, for the writers of this package, which only read them. */
    double[] shared() {
        return data;
    }

    /**
     * Entry {@code (row, col)} (for a vector, {@code col = 0}).
     *
     * @param row the row, in {@code [0, rows)}
     * @param col the column, in {@code [0, cols)}
     * @return the entry
     */
    public double entry(int row, int col) {
        Arguments.index("row", row, rows);
        Arguments.index("col", col, cols);
        return data[row * cols + col];
    }

    /** The number of entries, {@code rows * cols}. */
    public int size() {
        return data.length;
    }

    /** The NumPy shape: {@code {rows}} for a vector, {@code {rows, cols}} for a matrix. */
    public int[] shape() {
        return dimensions == 1 ? new int[]{rows} : new int[]{rows, cols};
    }

    /**
     * The shape as NumPy prints it.
     *
     * @return {@code (5,)} for a vector, {@code (3, 4)} for a matrix
     */
    public String shapeText() {
        return dimensions == 1 ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")";
    }

    /**
     * One line, e.g. {@code NpyArray[shape=(3, 2), data=[[1, 2], [3, 4], [5, 6]]]}.
     */
    @Override
    public String toString() {
        return "NpyArray[shape=" + shapeText() + ", data="
                + (dimensions == 1 ? TextSummary.array(data) : TextSummary.matrix(data, rows, cols)) + "]";
    }
}
