package org.measureflow.examples;

import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;

/**
 * What a {@link TourDemo} reports: a title, its picture files, two lines of explanation and its numbers, printed by
 * {@code mflow tour} and shown on the summary page.
 *
 * @param title       one-line title
 * @param pictures    file names of the pictures, relative to the output directory (PNG first, then SVG)
 * @param explanation exactly two lines: what is shown, and what to look for
 * @param readings    the numbers, in printing order
 */
public record DemoResult(String title, List<String> pictures, List<String> explanation, List<Reading> readings) {
    /**
     * Validates and copies the lists.
     *
     * @throws IllegalArgumentException if an argument is null or {@code explanation} does not have two lines
     */
    public DemoResult {
        if (title == null || pictures == null || explanation == null || readings == null) {
            throw new IllegalArgumentException("title, pictures, explanation and readings must not be null");
        }
        if (explanation.size() != 2) {
            throw new IllegalArgumentException("explanation must have exactly 2 lines, got " + explanation.size());
        }
        pictures = List.copyOf(pictures);
        explanation = List.copyOf(explanation);
        readings = List.copyOf(readings);
    }

    /** The reading labelled {@code label}, or {@code null} if there is none. */
    public Reading reading(String label) {
        for (Reading r : readings) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        return null;
    }

    /**
     * A labelled number, vector or matrix (row-major with {@code columns} columns).
     *
     * @param label   what the number is
     * @param values  the values (a copy is kept)
     * @param columns number of columns; {@code values.length} for a scalar or vector
     */
    public record Reading(String label, double[] values, int columns) {
        /**
         * Validates and copies {@code values}.
         *
         * @throws IllegalArgumentException if {@code values} is empty or its length is not a multiple of
         *                                  {@code columns}
         */
        public Reading {
            if (label == null || values == null || values.length == 0) {
                throw new IllegalArgumentException("label and a non-empty values array are required");
            }
            if (columns <= 0 || values.length % columns != 0) {
                throw new IllegalArgumentException("columns must divide values.length = " + values.length
                        + ", got " + columns);
            }
            values = values.clone();
        }

        /** A scalar reading. */
        public static Reading scalar(String label, double value) {
            return new Reading(label, new double[]{value}, 1);
        }

        /** A vector reading, printed as {@code (v1, v2, ...)}. */
        public static Reading vector(String label, double[] values) {
            return new Reading(label, values, values.length);
        }

        /** A matrix reading, printed row by row as {@code [[a, b], [c, d]]}. */
        public static Reading matrix(String label, DMatrixRMaj m) {
            double[] v = new double[m.numRows * m.numCols];
            for (int i = 0; i < m.numRows; i++) {
                for (int j = 0; j < m.numCols; j++) {
                    v[i * m.numCols + j] = m.get(i, j);
                }
            }
            return new Reading(label, v, m.numCols);
        }

        /** A copy of the values. */
        @Override
        public double[] values() {
            return values.clone();
        }

        /**
         * The values with six significant digits (integers exactly): {@code x}, {@code (x, y)} or
         * {@code [[a, b], [c, d]]}.
         */
        public String formattedValues() {
            if (values.length == 1) {
                return format(values[0]);
            }
            if (columns == values.length) {
                return "(" + row(0) + ")";
            }
            StringBuilder s = new StringBuilder("[");
            for (int r = 0; r < values.length / columns; r++) {
                s.append(r == 0 ? "[" : ", [").append(row(r)).append(']');
            }
            return s.append(']').toString();
        }

        private String row(int r) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                s.append(c == 0 ? "" : ", ").append(format(values[r * columns + c]));
            }
            return s.toString();
        }

        /** One line: the label and the values, as {@link #formattedValues()}. */
        @Override
        public String toString() {
            return label + " = " + formattedValues();
        }

        private static String format(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return String.format(Locale.ROOT, "%.6g", v);
        }
    }
}
