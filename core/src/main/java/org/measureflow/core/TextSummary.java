package org.measureflow.core;

import java.util.Locale;

import org.ejml.data.DMatrixRMaj;

/**
 * The pieces of the one-line {@code toString()} summaries of the library's values and results (see
 * {@code docs/api-dialect.md}, section 7): scalar answers in full precision, errors and array entries with a few
 * significant digits, and arrays and matrices shown by value when small and by shape and first entries when large.
 */
public final class TextSummary {
    /** Arrays up to this length are shown whole. */
    public static final int MAX_ENTRIES = 8;
    /** Matrices up to this many rows and columns are shown whole. */
    public static final int MAX_MATRIX_SIZE = 4;

    private TextSummary() {
    }

    /**
     * A scalar answer in full precision: the shortest decimal that reads back to the same double
     * ({@link Double#toString(double)}).
     *
     * @param value the number
     * @return its text
     */
    public static String number(double value) {
        return Double.toString(value);
    }

    /**
     * A number with three significant digits and no trailing zeros ({@code 4.1e-10}, {@code 0.00132}, {@code 17.5}),
     * for errors and tolerances.
     *
     * @param value the number
     * @return its text
     */
    public static String brief(double value) {
        return digits(value, 3);
    }

    /**
     * A number with six significant digits and no trailing zeros, for the entries of arrays and matrices.
     *
     * @param value the number
     * @return its text
     */
    public static String entry(double value) {
        return digits(value, 6);
    }

    private static String digits(double value, int significant) {
        if (value == 0) {
            return "0";
        }
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        double a = Math.abs(value);
        if (a >= 1e-4 && a < 1e6) {
            String s = String.format(Locale.ROOT, "%." + significant + "g", value);
            if (s.indexOf('e') < 0 && s.indexOf('.') >= 0) {
                s = stripZeros(s);
            }
            return s;
        }
        String s = String.format(Locale.ROOT, "%." + (significant - 1) + "e", value);
        int e = s.indexOf('e');
        String mantissa = stripZeros(s.substring(0, e));
        String exponent = s.substring(e + 1);
        int exp = Integer.parseInt(exponent);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * An array: {@code [1.5, -2, 0.333333]} when it has at most {@link #MAX_ENTRIES} entries, otherwise
     * {@code [1.5, -2, 0.333333, ..., 7.25, 8] (1000 entries)}. {@code null} gives {@code "null"}.
     *
     * @param values the array (not modified)
     * @return its text
     */
    public static String array(double[] values) {
        if (values == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        int n = values.length;
        if (n <= MAX_ENTRIES) {
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ", ").append(entry(values[i]));
            }
            return b.append(']').toString();
        }
        for (int i = 0; i < 3; i++) {
            b.append(entry(values[i])).append(", ");
        }
        b.append("..., ").append(entry(values[n - 2])).append(", ").append(entry(values[n - 1]));
        return b.append("] (").append(n).append(" entries)").toString();
    }

    /**
     * An integer array, shown like {@link #array(double[])}.
     *
     * @param values the array (not modified)
     * @return its text
     */
    public static String array(int[] values) {
        if (values == null) {
            return "null";
        }
        double[] copy = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i];
        }
        return array(copy);
    }

    /**
     * A row-major {@code rows x cols} matrix stored flat: {@code [[1, 0], [0, 1]]} when it has at most
     * {@link #MAX_MATRIX_SIZE} rows and columns, otherwise {@code 10x10 [[1, 0, 0, ...], [0, 1, 0, ...], ...]}.
     *
     * @param data the entries, row-major (not modified)
     * @param rows number of rows
     * @param cols number of columns
     * @return its text
     */
    public static String matrix(double[] data, int rows, int cols) {
        if (data == null) {
            return "null";
        }
        boolean small = rows <= MAX_MATRIX_SIZE && cols <= MAX_MATRIX_SIZE;
        int shownRows = Math.min(rows, small ? rows : 2);
        int shownCols = Math.min(cols, small ? cols : 3);
        StringBuilder b = new StringBuilder(small ? "" : rows + "x" + cols + " ").append('[');
        for (int i = 0; i < shownRows; i++) {
            b.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < shownCols; j++) {
                b.append(j == 0 ? "" : ", ").append(entry(data[i * cols + j]));
            }
            b.append(shownCols < cols ? ", ...]" : "]");
        }
        return b.append(shownRows < rows ? ", ...]" : "]").toString();
    }

    /**
     * An EJML matrix, shown like {@link #matrix(double[], int, int)}.
     *
     * @param matrix the matrix (not modified)
     * @return its text
     */
    public static String matrix(DMatrixRMaj matrix) {
        return matrix == null ? "null" : matrix(matrix.data, matrix.numRows, matrix.numCols);
    }
}
