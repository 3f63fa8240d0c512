package org.measureflow.examples.cli;

/**
 * A failure of an {@code mflow} command with its exit status ({@link ExitStatus}) and a one-line message naming the
 * file, line or option at fault. Thrown inside a command and turned into that line on standard error and the exit
 * status, never into a stack trace.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit status. */
    private final int status;

    private CommandFailure(int status, String message) {
        super(message.replaceAll("\\s*\\R\\s*", " "), null, false, false);
        this.status = status;
    }

    /** Bad input (exit status {@link ExitStatus#BAD_INPUT}): an option, a file or a value, named in the message. */
    public static CommandFailure badInput(String message) {
        return new CommandFailure(ExitStatus.BAD_INPUT, message);
    }

    /**
     * A run that did not converge or whose result is not finite (exit status {@link ExitStatus#NOT_CONVERGED}).
     */
    public static CommandFailure notConverged(String message) {
        return new CommandFailure(ExitStatus.NOT_CONVERGED, message);
    }

    /** The exit status of this failure. */
    public int status() {
        return status;
    }
}
