package org.measureflow.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The part every file command shares: it runs {@link #run()} and turns whatever ends it into an exit status
 * ({@link ExitStatus}) and one line on standard error, {@code mflow <command>: <problem>}; a stack trace only for an
 * internal error and only with {@code --debug} or the environment variable {@code MFLOW_DEBUG=1}.
 */
abstract class FileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "On an error, also print its stack trace (as MFLOW_DEBUG=1 does).")
    boolean debug;

    /** What the largest allocation of the run is for, and its size in bytes, for an out-of-memory message. */
    private String memoryUse;
    private double memoryBytes = Double.NaN;

    /** Does the work and returns {@link ExitStatus#SUCCESS}, or throws. */
    abstract int run() throws Exception;

    /**
     * Records the run's largest allocation for the message of an {@link OutOfMemoryError}, and fails at once (bad
     * input) when it cannot fit in the memory Java may use (see {@link Limits#requireMemory}).
     */
    final void needsMemory(String what, double bytes) {
        memoryUse = what;
        memoryBytes = bytes;
        Limits.requireMemory(what, bytes);
    }

    /** The input files read so far, named in a library's rejection of the input. */
    private final java.util.List<String> inputFiles = new java.util.ArrayList<>();

    /**
     * Reads a points file ({@link PointCsv#read}) and remembers its name for the messages of this run.
     *
     * @param file     the file
     * @param weighted whether the last column of a file without a header holds the weights
     * @return the points
     * @throws CsvFormatException on a malformed file
     */
    final org.measureflow.core.measure.ParticleMeasure readPoints(java.nio.file.Path file, boolean weighted)
            throws CsvFormatException {
        inputFiles.add(String.valueOf(file));
        return PointCsv.read(file, weighted);
    }

    /** Runs the command: exit status 0, or the status of its failure with one line on standard error. */
    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (CommandFailure f) {
            return report(err, f.status(), f.getMessage(), null);
        } catch (CsvFormatException e) {
            return report(err, ExitStatus.BAD_INPUT, e.getMessage(), null);
        } catch (OutOfMemoryError e) {
            return report(err, ExitStatus.BAD_INPUT, Limits.outOfMemory(memoryUse, memoryBytes), e);
        } catch (IllegalArgumentException e) {
            // The library names the argument and the rule. Every number a command passes on is finite (the CSV
            // reader and the option converters see to it), so a complaint about a non-finite value concerns a state
            // the run itself produced: the run blew up. Any other complaint is about input the command let through.
            // The same holds for an overflow: the command keeps coordinates within 1e150 (squared distances finite),
            // so an overflow the library reports comes from the scales the run reached.
            String m = String.valueOf(e.getMessage());
            String lower = m.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("finite") || lower.contains("overflow") || lower.contains("beyond double precision")) {
                return report(err, ExitStatus.NOT_CONVERGED, "the run produced a value that is not finite ("
                        + m + "); nothing written", e);
            }
            String from = inputFiles.isEmpty() ? "" : " (from " + String.join(", ", inputFiles) + ")";
            return report(err, ExitStatus.BAD_INPUT, "the input" + from + " was rejected: " + m, e);
        } catch (IllegalStateException | ArithmeticException e) {
            // how the library's solvers report a numerical failure of a run (training diverged, scalings left the
            // floating-point range, an overflow): the run ended without a result to trust
            return report(err, ExitStatus.NOT_CONVERGED, "the run failed: " + e.getMessage() + "; nothing written",
                    e);
        } catch (Throwable t) {
            return report(err, ExitStatus.INTERNAL_ERROR, "internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())
                    + (debugging() ? "" : " (--debug prints the stack trace)"), t);
        }
    }

    private int report(PrintWriter err, int status, String message, Throwable cause) {
        err.flush();
        if (cause != null && debugging()) {
            cause.printStackTrace(err);
        }
        err.println("mflow " + spec.name() + ": " + String.valueOf(message).replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return status;
    }

    private boolean debugging() {
        return debug || "1".equals(System.getenv("MFLOW_DEBUG"));
    }
}
