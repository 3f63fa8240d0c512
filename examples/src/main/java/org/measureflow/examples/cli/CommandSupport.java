package org.measureflow.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.Plots;

/** Small helpers shared by the file commands: option checks, result checks, JSON numbers and pictures. */
final class CommandSupport {
    private CommandSupport() {
    }

    /** Requires {@code value} finite and {@code > 0} (bad input naming {@code option} otherwise). */
    static double positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw CommandFailure.badInput(option + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** Requires {@code value} finite and {@code >= 0}. */
    static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw CommandFailure.badInput(option + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** Requires {@code lo <= value <= hi} (bad input naming {@code option} otherwise). */
    static long inRange(String option, long value, long lo, long hi) {
        if (value < lo || value > hi) {
            throw CommandFailure.badInput(String.format(Locale.ROOT, "%s must be in [%d, %d], got %d", option, lo,
                    hi, value));
        }
        return value;
    }

    /** Fails (not converged) unless {@code value} is finite: "{@code what} is not finite (value)". */
    static double finiteResult(String what, double value) {
        if (!Double.isFinite(value)) {
            throw CommandFailure.notConverged(what + " is not finite (" + value + "); nothing written");
        }
        return value;
    }

    /** Fails (not converged) unless every coordinate of {@code points} is finite; names the first bad point. */
    static ParticleMeasure finitePoints(String what, ParticleMeasure points) {
        double[] flat = points.flatPoints();
        int d = points.dimension();
        for (int k = 0; k < flat.length; k++) {
            if (!Double.isFinite(flat[k])) {
                throw CommandFailure.notConverged(String.format(Locale.ROOT, "%s: point %d has the coordinate %s; "
                        + "nothing written", what, k / d + 1, flat[k]));
            }
        }
        return points;
    }

    /** A number for JSON: finite values in full precision, others as null. */
    static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** A JSON string literal. */
    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The two files of a picture: {@code stem.png} and {@code stem.svg}. */
    record Picture(OutputFiles.Output png, OutputFiles.Output svg) {
    }

    /**
     * Declares the picture {@code file} named by {@code option}: a PNG and an SVG beside it, {@code stem.png} and
     * {@code stem.svg} where {@code stem} is the file name without a {@code .png} or {@code .svg} suffix.
     */
    static Picture declarePicture(OutputFiles outputs, String option, Path file) {
        Path name = file.getFileName();
        if (name == null) {
            throw CommandFailure.badInput(option + " " + file + ": not a file name");
        }
        String s = name.toString();
        String stem = s.endsWith(".png") || s.endsWith(".svg") ? s.substring(0, s.length() - 4) : s;
        if (stem.isEmpty()) {
            throw CommandFailure.badInput(option + " " + file + ": not a file name");
        }
        return new Picture(outputs.declare(option, file.resolveSibling(stem + ".png")),
                outputs.declare(option, file.resolveSibling(stem + ".svg")));
    }

    /** Writes {@code chart} as the picture's PNG and SVG (temporary files until the outputs are committed). */
    static List<String> writePicture(OutputFiles outputs, Picture picture, XYChart chart) {
        outputs.write(picture.png(), f -> Plots.writePng(chart, f));
        outputs.write(picture.svg(), f -> Plots.writeSvg(chart, f));
        return List.of(picture.png().target().getFileName().toString(),
                picture.svg().target().getFileName().toString());
    }
}
