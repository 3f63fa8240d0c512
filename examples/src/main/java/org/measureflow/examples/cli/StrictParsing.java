package org.measureflow.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How {@code mflow} reads its options and reports what it cannot read: numbers in decimal notation only (no
 * {@code NaN}, {@code Infinity}, hexadecimal or Java suffixes such as {@code 1d}; values beyond the range of the
 * type rejected), and every usage error (unknown option, missing or malformed value) as one line on standard
 * error, {@code mflow <command>: <problem> (see 'mflow <command> --help')}, with exit status
 * {@link ExitStatus#BAD_INPUT}. An exception escaping a command (which the file commands never let happen) is one
 * line with exit status {@link ExitStatus#INTERNAL_ERROR}.
 */
public final class StrictParsing {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private StrictParsing() {
    }

    /**
     * Installs the strict number converters and the one-line error handlers on {@code cl} and every subcommand it
     * has now (call it after adding them).
     *
     * @return {@code cl}
     */
    public static CommandLine apply(CommandLine cl) {
        ITypeConverter<Double> real = StrictParsing::toDouble;
        ITypeConverter<Integer> integer = StrictParsing::toInt;
        ITypeConverter<Long> whole = StrictParsing::toLong;
        cl.registerConverter(Double.class, real);
        cl.registerConverter(Double.TYPE, real);
        cl.registerConverter(Integer.class, integer);
        cl.registerConverter(Integer.TYPE, integer);
        cl.registerConverter(Long.class, whole);
        cl.registerConverter(Long.TYPE, whole);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine at = ex.getCommandLine();
            String name = at.getCommandSpec().qualifiedName();
            PrintWriter err = at.getErr();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            err.flush();
            return ExitStatus.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, at, parsed) -> {
            PrintWriter err = at.getErr();
            err.println(at.getCommandSpec().qualifiedName() + ": internal error: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage())));
            err.flush();
            return ExitStatus.INTERNAL_ERROR;
        });
        return cl;
    }

    /** A decimal number, finite in double precision. */
    static double toDouble(String text) {
        String t = text.strip();
        if (!PointCsv.isDecimal(t)) {
            throw new TypeConversionException("'" + text + "' is not a decimal number (like 0.5, -2 or 1e-3)");
        }
        double v = Double.parseDouble(t);
        if (!Double.isFinite(v)) {
            throw new TypeConversionException("'" + text + "' is beyond the range of double precision");
        }
        return v;
    }

    /** A whole number in the range of {@code int}. */
    static int toInt(String text) {
        long v = toLong(text);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new TypeConversionException(String.format(Locale.ROOT, "'%s' is beyond the range of an int "
                    + "(at most %d)", text, Integer.MAX_VALUE));
        }
        return (int) v;
    }

    /** A whole number in the range of {@code long}. */
    static long toLong(String text) {
        String t = text.strip();
        if (!INTEGER.matcher(t).matches()) {
            throw new TypeConversionException("'" + text + "' is not a whole number");
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new TypeConversionException(String.format(Locale.ROOT, "'%s' is beyond the range of a long "
                    + "(at most %d)", text, Long.MAX_VALUE));
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
