package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The {@code mflow} command line run in-process: exit codes, files written, and the numbers printed by the tour. */
class MflowCommandTest {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

    @TempDir
    static Path tourDir;
    private static Run tour;

    /** Output of one in-process execution. */
    record Run(int exitCode, String out, String err) {
    }

    static Run execute(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run execute(String... args) {
        return execute(Mflow.commandLine(), args);
    }

    @BeforeAll
    static void runTourOnce() {
        tour = execute("tour", "--out", tourDir.toString(), "--quiet");
    }

    @Test
    void tourExitsZeroAndReportsNoError() {
        assertEquals(0, tour.exitCode(), () -> "stdout:\n" + tour.out() + "\nstderr:\n" + tour.err());
        assertEquals("", tour.err());
    }

    @Test
    void tourWritesAValidNonEmptyPng() throws IOException {
        byte[] png = Files.readAllBytes(tourDir.resolve("core-linear-flow.png"));
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        assertTrue(png.length > 1000, "PNG has only " + png.length + " bytes");
        assertArrayEquals(signature, Arrays.copyOf(png, 8));
    }

    @Test
    void tourWritesAnSvgDocument() throws IOException {
        String svg = Files.readString(tourDir.resolve("core-linear-flow.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg") && svg.strip().endsWith("</svg>"), "not an SVG document");
        // one marker per particle and snapshot: 5 snapshots of 2,000 particles
        assertTrue(svg.split("<ellipse", -1).length - 1 >= 5 * LinearFlowDemo.PARTICLES);
    }

    @Test
    void indexPageShowsThePictureWithItsExplanationAndNumbers() throws IOException {
        String html = Files.readString(tourDir.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<img src=\"core-linear-flow.png\""), html);
        assertTrue(html.contains("href=\"core-linear-flow.svg\""), html);
        assertTrue(html.contains(LinearFlowDemo.COVARIANCE_PARTICLES), html);
    }

    @Test
    void tourPrintsEmpiricalCovarianceWithinSamplingErrorOfClosedForm() {
        double[] empirical = printed(LinearFlowDemo.COVARIANCE_PARTICLES);
        double[] exact = printed(LinearFlowDemo.COVARIANCE_EXACT);
        assertEquals(4, empirical.length);
        assertEquals(4, exact.length);
        int n = LinearFlowDemo.PARTICLES;
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
                // The t = 1 particles are n = 2,000 iid draws of N(m_1, S_1) (RK4 error ~1e-8 is negligible), so
                // entry (j,k) of their covariance has sd sqrt((S_jj S_kk + S_jk^2)/n) ~ 0.017; allow 5 sd.
                double sd = Math.sqrt((exact[2 * j + j] * exact[2 * k + k] + exact[2 * j + k] * exact[2 * j + k]) / n);
                double diff = Math.abs(empirical[2 * j + k] - exact[2 * j + k]);
                assertTrue(diff <= 5 * sd, "covariance entry (" + j + "," + k + ") differs by " + diff
                        + " > 5 sd = " + 5 * sd);
            }
        }
    }

    @Test
    void tourPrintsEmpiricalMeanWithinSamplingErrorOfClosedForm() {
        double[] empirical = printed(LinearFlowDemo.MEAN_PARTICLES);
        double[] exact = printed(LinearFlowDemo.MEAN_EXACT);
        double[] cov = printed(LinearFlowDemo.COVARIANCE_EXACT);
        for (int j = 0; j < 2; j++) {
            // the sample mean of n iid N(m, S) draws has sd sqrt(S_jj / n) ~ 0.016 per coordinate; allow 5 sd
            double sd = Math.sqrt(cov[3 * j] / LinearFlowDemo.PARTICLES);
            assertTrue(Math.abs(empirical[j] - exact[j]) <= 5 * sd, "mean coordinate " + j);
        }
    }

    /** The numbers printed after {@code label} on its line of the tour's output. */
    private static double[] printed(String label) {
        for (String line : tour.out().split("\\R")) {
            int at = line.indexOf(label);
            if (at >= 0) {
                Matcher m = NUMBER.matcher(line.substring(at + label.length()));
                List<Double> values = new ArrayList<>();
                while (m.find()) {
                    values.add(Double.parseDouble(m.group()));
                }
                return values.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        throw new AssertionError("no line with '" + label + "' in the output:\n" + tour.out());
    }

    @Test
    void helpExitsZeroAndListsTheTour() {
        Run run = execute("--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("tour"), run.out());
    }

    @Test
    void versionExitsZeroAndNamesTheProjectVersion() {
        Run run = execute("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("mflow "), run.out());
    }

    @Test
    void unknownSubcommandExitsTwo() {
        Run run = execute("no-such-command");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no-such-command"), run.err());
    }

    @Test
    void missingSubcommandExitsTwo() {
        assertEquals(2, execute().exitCode());
    }

    @Test
    void unknownTourOptionExitsTwo() {
        assertEquals(2, execute("tour", "--no-such-option").exitCode());
    }

    @Test
    void failingDemoExitsOneWithAOneLineErrorAndTheOthersStillRun(@TempDir Path dir) throws IOException {
        TourDemo failing = new TourDemo() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public DemoResult run(Path outDir, boolean quiet) {
                throw new IllegalStateException("deliberate failure\nsecond line");
            }
        };
        TourDemo fine = new TourDemo() {
            @Override
            public String name() {
                return "fine";
            }

            @Override
            public DemoResult run(Path outDir, boolean quiet) {
                return new DemoResult("A fine demo", List.of(), List.of("line one", "line two"),
                        List.of(DemoResult.Reading.scalar("answer", 42)));
            }
        };
        Run run = execute(Mflow.commandLine(List.of(failing, fine)), "tour", "--out", dir.toString(), "--quiet");
        assertEquals(1, run.exitCode());
        String[] errLines = run.err().strip().split("\\R");
        assertEquals(1, errLines.length, run.err());
        assertTrue(errLines[0].contains("broken") && errLines[0].contains("deliberate failure second line"),
                errLines[0]);
        assertTrue(run.out().contains("A fine demo"), run.out());
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("Failed: IllegalStateException: deliberate failure"), html);
        assertTrue(html.contains("A fine demo"), html);
    }
}
