package org.measureflow.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleConsumer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;

/**
 * A console progress bar (me.tongfei progressbar, on standard error) driven by the {@link IterationObserver} of an
 * iterative solver: the solver calls it after every iteration, it never stops the run. The bar shows the fraction
 * done when the solver reports one, otherwise an estimate for solvers that stop at a tolerance (see
 * {@link #towardsTolerance(double, DoubleConsumer)}), otherwise (no tolerance, no fraction: the network simplex)
 * the iteration count; its message shows the iteration and the current error. Like {@link Progress} it appears only
 * once the run has lasted longer than a delay (one second by default), and a quiet one prints nothing. Not
 * thread-safe: it is called on the solver's thread.
 */
public final class ConvergenceProgress implements IterationObserver, AutoCloseable {
    /** Number of ticks of a determinate bar. */
    static final long TICKS = 1000;
    /** Shortest interval between two updates of the bar's message, in nanoseconds. */
    static final long MESSAGE_INTERVAL_NANOS = 100_000_000L;

    private final String task;
    private final boolean enabled;
    private final long delayNanos;
    private final long startNanos;
    private final PrintStream stream;
    /** The estimate towards the tolerance, writing {@code fraction}; null without a tolerance. */
    private final IterationObserver tracker;
    private double fraction = Double.NaN;
    private long lastMessageNanos;
    private ProgressBar bar;
    private boolean determinate;

    private ConvergenceProgress(String task, boolean enabled, double tolerance, long delayNanos, PrintStream stream) {
        this.task = task;
        this.enabled = enabled;
        this.delayNanos = delayNanos;
        this.stream = stream;
        this.startNanos = System.nanoTime();
        this.tracker = Double.isNaN(tolerance) ? null : towardsTolerance(tolerance, f -> fraction = f);
    }

    /**
     * A bar named {@code task} on standard error that appears after one second, or none if {@code quiet}.
     *
     * @param task      the name shown before the bar
     * @param quiet     {@code true} to show nothing
     * @param tolerance the solver's tolerance, for the estimate of the fraction done, or {@code NaN} when the solver
     *                  has none (the bar then counts iterations, unless the solver reports a fraction)
     * @return the progress, to pass to the solver as its observer and to close afterwards
     */
    public static ConvergenceProgress start(String task, boolean quiet, double tolerance) {
        return new ConvergenceProgress(task, !quiet, tolerance, Progress.DEFAULT_DELAY_NANOS, System.err);
    }

    /** A bar on {@code stream} that appears after {@code delayNanos} nanoseconds (for tests). */
    static ConvergenceProgress start(String task, double tolerance, long delayNanos, PrintStream stream) {
        return new ConvergenceProgress(task, true, tolerance, delayNanos, stream);
    }

    /**
     * An observer that feeds {@code fraction} with the fraction done of a solver that stops at a tolerance: the
     * status's own {@code fractionDone} when the solver reports one, otherwise the progress of the error towards the
     * tolerance on a logarithmic scale, \( \log(e_0/e)/\log(e_0/\mathrm{tol}) \) with \( e_0 \) the first error seen
     * (linear convergence makes it roughly linear in time), never decreasing, and 1 once the error reaches the
     * tolerance. Iterations that report no finite positive error leave it unchanged. It never stops a run.
     *
     * @param tolerance the solver's tolerance, finite and {@code > 0}
     * @param fraction  receives values in [0, 1]
     * @return the observer (stateful: one per run)
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive or {@code fraction} is null
     */
    public static IterationObserver towardsTolerance(double tolerance, DoubleConsumer fraction) {
        Arguments.positive("tolerance", tolerance);
        Arguments.notNull("fraction", fraction);
        double[] state = {Double.NaN, 0.0}; // first error, best fraction so far
        return status -> {
            double f;
            double e = status.error();
            if (!Double.isNaN(status.fractionDone())) {
                f = status.fractionDone();
            } else if (e <= tolerance) {
                f = 1.0;
            } else if (e > 0 && Double.isFinite(e)) {
                if (Double.isNaN(state[0])) {
                    state[0] = Math.max(e, tolerance * Math.E);
                }
                f = Math.log(state[0] / e) / Math.log(state[0] / tolerance);
            } else {
                return true;
            }
            state[1] = Math.max(state[1], Math.max(0, Math.min(1, f)));
            fraction.accept(state[1]);
            return true;
        };
    }

    /** Whether the bar is on screen (the run has lasted longer than the delay and is not quiet). */
    public boolean isShown() {
        return bar != null;
    }

    /**
     * Updates the bar after an iteration.
     *
     * @param status the solver's iteration, error and fraction done
     * @return {@code true}: the bar never stops a run
     */
    @Override
    public boolean observe(IterationStatus status) {
        if (!enabled) {
            return true;
        }
        if (tracker != null) {
            tracker.observe(status);
        } else if (!Double.isNaN(status.fractionDone())) {
            fraction = Math.max(0, Math.min(1, status.fractionDone()));
        }
        long now = System.nanoTime();
        if (bar == null) {
            if (now - startNanos < delayNanos) {
                return true;
            }
            determinate = !Double.isNaN(fraction);
            // A fixed width and a plain console consumer: no terminal probing, works when stderr is not a terminal.
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(determinate ? TICKS : -1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(stream, 100)).build();
            lastMessageNanos = now - MESSAGE_INTERVAL_NANOS;
        }
        if (determinate) {
            bar.stepTo(Math.round((Double.isNaN(fraction) ? 0 : fraction) * TICKS));
        } else {
            bar.stepTo(status.iteration());
        }
        if (now - lastMessageNanos >= MESSAGE_INTERVAL_NANOS) {
            lastMessageNanos = now;
            bar.setExtraMessage(String.format(Locale.ROOT, "iteration %d, error %s", status.iteration(),
                    TextSummary.brief(status.error())));
        }
        return true;
    }

    /** Closes the bar (and its update thread) if it was shown. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
