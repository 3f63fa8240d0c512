package org.measureflow.examples.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The upper bounds on the work a command may be asked for, checked before anything runs, and the memory check.
 * The bounds keep every accepted run within a few minutes on two cores (each constant says what it was measured
 * at); a request beyond one is bad input, and the message gives the computed amount of work and the bound.
 */
final class Limits {
    private Limits() {
    }

    /**
     * Fails (bad input) when {@code amount} exceeds {@code max}: "{@code request} asks for {@code amount unit};
     * at most {@code max} allowed".
     */
    static void atMost(String request, double amount, double max, String unit) {
        atMost(request, amount, max, unit, "");
    }

    /** {@link #atMost(String, double, double, String)} with a hint appended to the message (after "; "). */
    static void atMost(String request, double amount, double max, String unit, String hint) {
        if (!(amount <= max)) {
            throw CommandFailure.badInput(request + " asks for " + count(amount) + " " + unit + "; at most "
                    + count(max) + " allowed" + (hint.isEmpty() ? "" : "; " + hint));
        }
    }

    /** A user's number for a message, short: {@code 1e9}, {@code 1e-9}, {@code 0.05}, {@code 2}. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace(".0E", "E").replace('E', 'e');
    }

    /**
     * Fails (bad input) unless the memory Java may still use holds {@code bytes} more (with a tenth spare for the
     * rest of the run): the message says how much is needed and how to give Java more.
     */
    static void requireMemory(String what, double bytes) {
        Runtime rt = Runtime.getRuntime();
        double used = rt.totalMemory() - rt.freeMemory();
        double free = rt.maxMemory() - used;
        if (bytes > 0.9 * free) {
            throw CommandFailure.badInput(String.format(Locale.ROOT, "%s needs %s of memory, but Java may use at "
                    + "most %s here (%s free); %s", what, bytes(bytes), bytes(rt.maxMemory()), bytes(free),
                    howToGive(bytes + used)));
        }
    }

    /** The message of an {@link OutOfMemoryError}: what needed the memory (when known), and how to give more. */
    static String outOfMemory(String what, double bytes) {
        long max = Runtime.getRuntime().maxMemory();
        String need = what == null || Double.isNaN(bytes) ? "the run needs more memory"
                : what + " needs " + bytes(bytes) + " and the rest of the run more";
        return String.format(Locale.ROOT, "out of memory: %s than the %s Java may use here; %s", need, bytes(max),
                howToGive(Double.isNaN(bytes) ? 2.0 * max : bytes + 0.5 * max));
    }

    /** How to run with a heap of at least {@code bytes} (rounded up to whole gigabytes, one spare). */
    private static String howToGive(double bytes) {
        long gigabytes = (long) Math.ceil(bytes / (1L << 30)) + 1;
        return "give Java more with MFLOW_JAVA_OPTS=-Xmx" + gigabytes + "g ./mflow ... (or java -Xmx" + gigabytes
                + "g -jar mflow.jar ...)";
    }

    /** A count for a message: whole numbers below a million as they are, others as {@code 1.5e9}. */
    static String count(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (Math.abs(v) < 1e6 && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(3));
        int exponent = b.precision() - b.scale() - 1;
        BigDecimal mantissa = b.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** A size in bytes for a message: {@code 7.2 GB}, {@code 512 MB}. */
    static String bytes(double bytes) {
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        return String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / 1e6));
    }
}
