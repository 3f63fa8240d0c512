package org.measureflow.examples.cli;

import java.io.PrintWriter;
/** Small helpers shared by the file commands: one-line error reports and JSON number formatting. */
final class CommandSupport {
    /** Exit status of bad input or usage. */
    static final int BAD_INPUT = 2;
    /** Exit status of a failed run. */
    static final int FAILED = 1;

    private CommandSupport() {
    }

    /** Prints {@code mflow <command>: <message>} on one line and returns {@link #BAD_INPUT}. */
    static int badInput(PrintWriter err, String command, String message) {
        err.println("mflow " + command + ": " + message.replace('\n', ' '));
        err.flush();
        return BAD_INPUT;
    }

    /** A number for JSON: finite values in full precision, others as null. */
    static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** A JSON string literal. */
    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
