package org.measureflow.examples.cli;

/**
 * The exit statuses of {@code mflow}, the same for every subcommand. Every failure prints exactly one line on
 * standard error, {@code mflow <command>: <problem>}, naming the file and line or the option at fault; a stack
 * trace is printed only for an internal error and only when asked ({@code --debug} or {@code MFLOW_DEBUG=1}).
 */
public final class ExitStatus {
    /** The run succeeded and wrote its outputs. */
    public static final int SUCCESS = 0;
    /** An internal error (a bug in mflow or the library): nothing is written. */
    public static final int INTERNAL_ERROR = 1;
    /**
     * Bad input: an unknown or malformed option, a value out of range, a missing, malformed or too large file, an
     * output in a missing directory, more work than the limits allow, or more memory than Java may use. Checked
     * before anything runs; nothing is written.
     */
    public static final int BAD_INPUT = 2;
    /**
     * The run ended but its result cannot be trusted: a solver did not converge, or a result is not finite. The
     * numbers are printed on standard output; no output file is written and existing ones are left unchanged.
     */
    public static final int NOT_CONVERGED = 3;

    /** The exit-status lines of every command's help. */
    public static final String HELP = "Exit status: 0 success; 1 internal error; 2 bad input (options, files, values, "
            + "limits, memory), checked before anything runs; 3 ran but did not converge or the result is not "
            + "finite. On 1, 2 and 3 one line on stderr names the problem and no output file is written or replaced.";

    private ExitStatus() {
    }
}
