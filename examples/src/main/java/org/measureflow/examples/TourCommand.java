package org.measureflow.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.measureflow.examples.cli.OutputFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mflow tour}: runs every registered {@link TourDemo}, prints a short summary (title, numbers, pictures) to
 * standard output, writes the pictures and a summary page {@code index.html} to the output directory. A failing
 * demo is reported in one line on standard error; the others still run, and the exit status is 1.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = "Runs a short demo of every module on built-in data; writes pictures (PNG, SVG) and "
                + "index.html to the output directory.")
public final class TourCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Output directory for pictures and index.html (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--quiet", description = "Show no progress bar.")
    private boolean quiet;

    private final List<TourDemo> demos;

    /** A tour over {@code demos}, in order. */
    TourCommand(List<TourDemo> demos) {
        this.demos = List.copyOf(demos);
    }

    /** Runs the tour; returns the exit status (0 all demos succeeded, 1 otherwise). */
    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            Files.createDirectories(out);
        } catch (IOException | RuntimeException e) {
            stderr.println("mflow tour: cannot create output directory " + out + ": " + oneLine(e));
            return 1;
        }
        List<SummaryPage.Entry> entries = new ArrayList<>();
        boolean failed = false;
        int k = 0;
        for (TourDemo demo : demos) {
            k++;
            stdout.printf(Locale.ROOT, "[%d/%d] %s%n", k, demos.size(), demo.name());
            stdout.flush();
            long start = System.nanoTime();
            try {
                DemoResult result = demo.reportsProgress() ? demo.run(out, quiet)
                        : Progress.whileRunning(demo.name(), quiet, () -> demo.run(out, quiet));
                double seconds = (System.nanoTime() - start) * 1e-9;
                print(stdout, result, seconds);
                entries.add(SummaryPage.Entry.success(demo.name(), result));
            } catch (Exception | LinkageError | AssertionError e) {
                failed = true;
                String message = oneLine(e);
                stderr.println("mflow tour: demo " + demo.name() + " failed: " + message);
                stderr.flush();
                entries.add(SummaryPage.Entry.failure(demo.name(), message));
            }
        }
        Path index = out.resolve("index.html");
        try {
            String html = SummaryPage.html(entries, Mflow.Version.projectVersion());
            OutputFiles.writeAtomically(index, f -> Files.writeString(f, html));
        } catch (IOException e) {
            stderr.println("mflow tour: cannot write " + index + ": " + oneLine(e));
            return 1;
        }
        stdout.println("wrote " + index);
        stdout.flush();
        return failed ? 1 : 0;
    }

    private static void print(PrintWriter stdout, DemoResult result, double seconds) {
        stdout.printf(Locale.ROOT, "  %s  (%.2f s)%n", result.title(), seconds);
        int width = 0;
        for (DemoResult.Reading r : result.readings()) {
            width = Math.max(width, r.label().length());
        }
        for (DemoResult.Reading r : result.readings()) {
            stdout.printf(Locale.ROOT, "  %-" + width + "s  %s%n", r.label(), r.formattedValues());
        }
        stdout.println("  pictures: " + String.join(", ", result.pictures()));
        stdout.flush();
    }

    /** The exception's type and message on one line. */
    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip();
        return e.getClass().getSimpleName() + message;
    }
}
