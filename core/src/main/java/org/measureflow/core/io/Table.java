package org.measureflow.core.io;

import java.util.List;

/**
 * Numbers read from a file, row-major, with what is needed to report a problem with one of them at its place in the
 * file: the line of each row for a text file, the data offset, item size and order for an {@code .npy} array.
 */
final class Table {
    final String file;
    final double[] data;
    final int rows;
    final int cols;
    final int dimensions;
    /** The column names of a text file's header row, or {@code null}. */
    final List<String> header;
    /** The line of the header row, or 0. */
    final long headerLine;
    /** The line of each row of a text file, or {@code null} for a binary array. */
    private final long[] lines;
    private final long dataOffset;
    private final int itemSize;
    private final boolean fortranOrder;

    private Table(String file, double[] data, int rows, int cols, int dimensions, List<String> header,
                  long headerLine, long[] lines, long dataOffset, int itemSize, boolean fortranOrder) {
        this.file = file;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.dimensions = dimensions;
        this.header = header;
        this.headerLine = headerLine;
        this.lines = lines;
        this.dataOffset = dataOffset;
        this.itemSize = itemSize;
        this.fortranOrder = fortranOrder;
    }

    /** A table read from text; {@code lines[r]} is the line of row {@code r}. */
    static Table text(String file, double[] data, int rows, int cols, List<String> header, long headerLine,
                      long[] lines) {
        return new Table(file, data, rows, cols, 2, header, headerLine, lines, -1, 0, false);
    }

    /** An array read from an {@code .npy} file or entry. */
    static Table npy(String file, double[] data, int rows, int cols, int dimensions, long dataOffset, int itemSize,
                     boolean fortranOrder) {
        return new Table(file, data, rows, cols, dimensions, null, 0, null, dataOffset, itemSize, fortranOrder);
    }

    boolean isText() {
        return lines != null;
    }

    /** The shape as NumPy prints it, or {@code rows x cols} for text. */
    String shapeText() {
        if (isText()) {
            return rows + " rows x " + cols + " columns";
        }
        return dimensions == 1 ? "shape (" + rows + ",)" : "shape (" + rows + ", " + cols + ")";
    }

    /** The name of a column for messages: {@code column 3 ('weight')}, {@code column 3}, counted from 1. */
    String column(int col) {
        return "column " + (col + 1) + (header == null ? "" : " ('" + header.get(col) + "')");
    }

    /**
     * A problem with entry {@code (row, col)}: {@code file:line: problem (column c)} for text,
     * {@code file: offset N: entry (row, col) problem} for an array.
     */
    DataFileException at(int row, int col, String problem) {
        if (isText()) {
            return DataFileException.atLine(file, lines[row], problem + " (" + column(col) + ")");
        }
        long flat = fortranOrder ? (long) col * rows + row : (long) row * cols + col;
        String entry = dimensions == 1 ? "entry " + row : "entry (" + row + ", " + col + ")";
        return DataFileException.atOffset(file, dataOffset + flat * itemSize, entry + ": " + problem);
    }

    /** A problem with a whole row (of a text file: its line; of an array: its first entry). */
    DataFileException atRow(int row, String problem) {
        if (isText()) {
            return DataFileException.atLine(file, lines[row], problem);
        }
        long flat = fortranOrder ? row : (long) row * cols;
        return DataFileException.atOffset(file, dataOffset + flat * itemSize,
                (dimensions == 1 ? "entry " : "row ") + row + ": " + problem);
    }

    NpyArray toArray() {
        return new NpyArray(data, rows, cols, dimensions);
    }
}
