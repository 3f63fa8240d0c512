package org.measureflow.examples;

import java.io.PrintStream;
import java.util.function.DoubleConsumer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (me.tongfei progressbar, on standard error) fed with the fraction of work done, in
 * [0, 1], for instance by {@link org.measureflow.core.ode.StepObserver#progress(DoubleConsumer)}. The bar appears
 * only once the run has lasted longer than a delay (one second by default), so that short runs print nothing;
 * a quiet progress prints nothing at all. Not thread-safe: feed it from the thread that integrates.
 */
public final class Progress implements DoubleConsumer, AutoCloseable {
    /** Number of ticks of the bar. */
    static final long TICKS = 1000;
    /** Default delay before the bar appears, in nanoseconds. */
    static final long DEFAULT_DELAY_NANOS = 1_000_000_000L;

    private final String task;
    private final boolean enabled;
    private final long delayNanos;
    private final long startNanos;
    private final PrintStream stream;
    private ProgressBar bar;

    private Progress(String task, boolean enabled, long delayNanos, PrintStream stream) {
        this.task = task;
        this.enabled = enabled;
        this.delayNanos = delayNanos;
        this.stream = stream;
        this.startNanos = System.nanoTime();
    }

    /**
     * A progress bar named {@code task} on standard error that appears after one second, or none if {@code quiet} or
     * standard error is not a terminal (a file or a pipe gets no carriage returns). The {@code mflow} script tells
     * with {@code -Dmflow.stderrIsTerminal} (its {@code [ -t 2 ]}); without it, a JVM with a console counts as one.
     */
    public static Progress start(String task, boolean quiet) {
        return new Progress(task, !quiet && stderrIsTerminal(), DEFAULT_DELAY_NANOS, System.err);
    }

    /** Whether standard error is a terminal: the {@code mflow.stderrIsTerminal} property, else a console exists. */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("mflow.stderrIsTerminal");
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    /** A progress bar on {@code stream} that appears after {@code delayNanos} nanoseconds (for tests). */
    static Progress start(String task, long delayNanos, PrintStream stream) {
        return new Progress(task, true, delayNanos, stream);
    }

    /** Whether the bar is on screen (the run has lasted longer than the delay and is not quiet). */
    public boolean isShown() {
        return bar != null;
    }

    /** Reports that the fraction {@code fraction} of the work is done (clamped to [0, 1]). */
    @Override
    public void accept(double fraction) {
        if (!enabled) {
            return;
        }
        if (bar == null) {
            if (System.nanoTime() - startNanos < delayNanos) {
                return;
            }
            // A fixed width and a plain console consumer: no terminal probing, works when stderr is not a terminal.
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(TICKS)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(stream, 100)).build();
        }
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        bar.stepTo(Math.round(f * TICKS));
    }

    /** Closes the bar (and its update thread) if it was shown. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Work that returns a value and may throw, run by {@link #whileRunning}. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work. */
        T run() throws Exception;
    }

    /**
     * Runs {@code work} on the calling thread while a background timer shows an indeterminate progress bar
     * (elapsed time, no fraction) once the work has lasted longer than one second; for solvers that report no
     * fraction done (the network simplex, Sinkhorn). Nothing is shown when {@code quiet}.
     */
    public static <T> T whileRunning(String task, boolean quiet, Work<T> work) throws Exception {
        if (quiet || !stderrIsTerminal()) {
            return work.run();
        }
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "mflow-progress");
                    t.setDaemon(true);
                    return t;
                });
        ProgressBar[] bar = new ProgressBar[1];
        timer.schedule(() -> {
            synchronized (bar) {
                bar[0] = new ProgressBarBuilder().setTaskName(task).setInitialMax(-1)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err, 100)).build();
            }
        }, DEFAULT_DELAY_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        try {
            return work.run();
        } finally {
            timer.shutdownNow();
            synchronized (bar) {
                if (bar[0] != null) {
                    bar[0].close();
                }
            }
        }
    }
}
