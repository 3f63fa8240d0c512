package org.measureflow.examples.cli;

/**
 * A malformed input file: the message is one line naming the file, the line (when there is one) and the problem,
 * for instance {@code a.csv:3: 2 values, expected 3 (as in line 1)}.
 */
public final class CsvFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An error with its full one-line message. */
    public CsvFormatException(String message) {
        super(message);
    }
}
