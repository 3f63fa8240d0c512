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

    /**
     * Saves {@code chart} as the PNG {@code file} (a {@code .png} suffix is optional) and the SVG beside it.
     *
     * @return the file names written
     */
    static java.util.List<String> savePicture(org.knowm.xchart.XYChart chart, java.nio.file.Path file)
            throws java.io.IOException {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        String stem = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return org.measureflow.examples.Plots.save(chart, parent == null ? java.nio.file.Path.of(".") : parent, stem);
    }
}
