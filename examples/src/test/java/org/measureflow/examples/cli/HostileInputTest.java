package org.measureflow.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.examples.Mflow;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The hostile corpus of {@code src/test/resources/hostile} (listed with the expected outcomes in its
 * {@code cases.txt}) through every path of the command line, and hostile options, limits and failures, all run
 * in-process. Every run must end with its expected exit status; a failed run must print exactly one line on
 * standard error, {@code mflow <command>: ...}, without a stack trace, and leave the output directory exactly as it
 * was (pre-created "good" outputs unchanged, no partial or temporary file); a successful one replaces its outputs.
 */
class HostileInputTest {
    /** The six paths every corpus file goes through, in the column order of {@code cases.txt}. */
    enum Path6 {
        OT_EXACT, OT_SINKHORN, FLOWMATCH, PARTICLES, JKO, TRANSFORMER
    }

    private static final String GOOD = "good output of an earlier run\n";

    @TempDir
    static Path big;
    @TempDir
    Path dir;

    /** Exit status, standard output and standard error of one run. */
    record Run(int status, String out, String err) {
    }

    static Run run(CommandLine cl, String... args) {
        FileCommandsTest.Run r = FileCommandsTest.run(cl, args);
        return new Run(r.status(), r.out(), r.err());
    }

    static Run run(String... args) {
        return run(Mflow.commandLine(), args);
    }

    static Path hostile(String name) {
        try {
            return Paths.get(HostileInputTest.class.getResource("/hostile/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing resource hostile/" + name, e);
        }
    }

    /** Point clouds too large for the limits (the limits are checked before anything runs, so these runs are fast). */
    @BeforeAll
    static void writeLargeClouds() throws IOException {
        for (int n : new int[]{18_000, 4_000, 3_000, 2_000, 1_000, 300}) {
            SplittableRandom rng = new SplittableRandom(n);
            StringBuilder b = new StringBuilder("x,y\n");
            for (int i = 0; i < n; i++) {
                b.append(rng.nextDouble()).append(',').append(rng.nextDouble()).append('\n');
            }
            Files.writeString(big.resolve("cloud" + n + ".csv"), b.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the corpus

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String line : Files.readAllLines(hostile("cases.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\|", -1);
            String[] statuses = cols[1].strip().split("\\s+");
            assertEquals(Path6.values().length, statuses.length, line);
            for (Path6 p : Path6.values()) {
                cases.add(Arguments.of(cols[0].strip(), p, statuses[p.ordinal()], cols[2].strip()));
            }
        }
        return cases.stream();
    }

    @Test
    void theCorpusHasAnEntryForEveryFileAndMoreThanFortyFiles() throws IOException {
        List<String> listed = corpus().map(a -> (String) a.get()[0]).distinct().sorted().toList();
        List<String> files;
        try (Stream<Path> s = Files.list(hostile("cases.txt").getParent())) {
            files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".csv")).sorted().toList();
        }
        assertEquals(files, listed);
        assertTrue(listed.size() > 40, listed.size() + " files");
    }

    @ParameterizedTest(name = "{0} through {1}")
    @MethodSource("corpus")
    void everyCorpusFileGivesItsStatusAndOneLineAndLeavesNoPartialOutput(String file, Path6 path, String expected,
                                                                         String fragment) throws IOException {
        String f = hostile(file).toString();
        String d = dir.toString();
        String[] args = switch (path) {
            case OT_EXACT -> new String[]{"ot", "--source", f, "--target", f, "--plan", d + "/out.csv"};
            case OT_SINKHORN -> new String[]{"ot", "--source", f, "--target", f, "--epsilon", "1", "--plan",
                d + "/out.csv"};
            case FLOWMATCH -> new String[]{"flowmatch", "--data", f, "--out", d + "/out.csv", "--batch", "4",
                "--epochs", "1", "--samples", "20"};
            case PARTICLES -> new String[]{"gradientflow", "--points", f, "--interaction", "attraction-repulsion",
                "--confinement", "1", "--time", "0.1", "--step", "0.05", "--picture", d + "/pic.png", "--out",
                d + "/out.csv"};
            case JKO -> new String[]{"gradientflow", "--points", f, "--method", "jko", "--diffusion", "0.1",
                "--confinement", "1", "--time", "0.02", "--step", "0.01", "--grid", "16", "--picture",
                d + "/pic.png", "--out", d + "/out.csv"};
            case TRANSFORMER -> new String[]{"transformer", "--tokens", f, "--layers", "3", "--picture",
                d + "/pic.png", "--out", d + "/out.csv"};
        };
        Map<String, byte[]> before = goodOutputs();
        Run r = run(append(args, "--quiet"));
        List<Integer> allowed = Arrays.stream(expected.split("/")).map(Integer::valueOf).toList();
        assertTrue(allowed.contains(r.status()), "exit status " + r.status() + ", expected " + expected + "; stderr: "
                + r.err());
        if (r.status() == 0) {
            assertEquals("", r.err());
            Map<String, byte[]> after = contents();
            assertFalse(Arrays.equals(before.get("out.csv"), after.get("out.csv")), "out.csv was not replaced");
            assertEquals(before.keySet(), after.keySet(), "no other file, no temporary file");
        } else {
            assertOneLineFailure(args[0], r);
            assertUnchanged(before);
            if (r.status() == ExitStatus.BAD_INPUT) {
                assertTrue(r.err().contains(file), "the message names the file: " + r.err());
                assertTrue(r.err().contains(fragment), "'" + fragment + "' expected in: " + r.err());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // hostile options, limits and non-convergence

    static Stream<Arguments> options() {
        return Stream.of(
                // ot: values
                Arguments.of(2, "--epsilon': 'Infinity' is not a decimal number", "ot {VP} --epsilon Infinity"),
                Arguments.of(2, "--epsilon': 'NaN' is not a decimal number", "ot {VP} --epsilon NaN"),
                Arguments.of(2, "--epsilon must be a finite number > 0, got -1.0", "ot {VP} --epsilon -1"),
                Arguments.of(2, "--epsilon must be a finite number > 0, got 0.0", "ot {VP} --epsilon 0"),
                Arguments.of(2, "'1e999' is beyond the range of double precision", "ot {VP} --epsilon 1e999"),
                Arguments.of(2, "'0x1p3' is not a decimal number", "ot {VP} --epsilon 0x1p3"),
                Arguments.of(2, "'1d' is not a decimal number", "ot {VP} --epsilon 1d"),
                Arguments.of(2, "--tolerance': 'Infinity' is not a decimal number",
                        "ot {VP} --epsilon 1 --tolerance Infinity"),
                Arguments.of(2, "--tolerance must be a finite number > 0", "ot {VP} --epsilon 1 --tolerance 0"),
                Arguments.of(2, "--max-iterations is Sinkhorn's iteration cap: it needs --epsilon",
                        "ot {VP} --max-iterations 5"),
                Arguments.of(2, "--max-iterations must be in [1,", "ot {VP} --epsilon 1 --max-iterations 0"),
                Arguments.of(2, "is beyond the range of a long",
                        "ot {VP} --epsilon 1 --max-iterations 99999999999999999999"),
                Arguments.of(2, "mutually exclusive", "ot {VP} --exact --epsilon 1"),
                Arguments.of(2, "Unknown option: '--no-such-option'", "ot {VP} --no-such-option"),
                Arguments.of(2, "Missing required options", "ot"),
                // ot: files
                Arguments.of(2, "--plan " + "{D}/missing/plan.csv: the directory", "ot {V} --plan {D}/missing/plan.csv"),
                Arguments.of(2, "does not exist (create it first)", "ot {V} --picture {D}/missing/pic.png"),
                Arguments.of(2, "is a directory, not a file", "ot {V} --plan {D}"),
                Arguments.of(2, "--plan and --picture both write", "ot {V} --plan {D}/pic.png --picture {D}/pic"),
                Arguments.of(2, "no/such/file.csv: no such file", "ot --source no/such/file.csv --target {H}/valid-small.csv"),
                Arguments.of(2, ": is a directory, not a data file", "ot --source {D} --target {H}/valid-small.csv"),
                Arguments.of(2, "--picture needs 2-D points, got dimension 3",
                        "ot --source {H}/three-dimensional.csv --target {H}/three-dimensional.csv --picture {D}/pic"),
                Arguments.of(2, "has points of dimension 2 but",
                        "ot --source {H}/three-dimensional.csv --target {H}/valid-small.csv"),
                // ot: limits
                Arguments.of(2, "exact OT of 18000 x 18000 points asks for 3.24e8 cost entries (n x m, 2.6 GB); "
                        + "at most 3e8 allowed", "ot --source {B}/cloud18000.csv --target {B}/cloud18000.csv"),
                Arguments.of(2, "the limit of 5e9 evaluations leaves 15 iterations, fewer than 100",
                        "ot --source {B}/cloud18000.csv --target {B}/cloud18000.csv --epsilon 1 --kernel online"),
                Arguments.of(2, "asks for 1e10 cost-entry evaluations (n x m x N); at most 5e9 allowed",
                        "ot --source {B}/cloud1000.csv --target {B}/cloud1000.csv --epsilon 1 --max-iterations 10000 "
                                + "--kernel online"),
                Arguments.of(2, "--kernel must be auto, stored, online or multiscale, got 'dense'",
                        "ot {VP} --epsilon 1 --kernel dense"),
                Arguments.of(2, "--plan with --epsilon on 4000 x 4000 points asks for 1.6e7 plan entries",
                        "ot --source {B}/cloud4000.csv --target {B}/cloud4000.csv --epsilon 1 --plan {D}/plan.csv"),
                // ot: ran but did not converge
                Arguments.of(3, "Sinkhorn did not converge: marginal error",
                        "ot --source {H}/valid-small.csv --target {H}/coincident-points.csv --epsilon 0.01 "
                                + "--max-iterations 1 --plan {D}/out.csv"),
                // flowmatch
                Arguments.of(2, "--batch must be in [1, 65536], got 2000000000",
                        "flowmatch {F} --batch 2000000000"),
                Arguments.of(2, "--samples must be in [1, 300000], got 2000000000",
                        "flowmatch {F} --samples 2000000000"),
                Arguments.of(2, "--samples must be in [1, 300000], got 0", "flowmatch {F} --samples 0"),
                Arguments.of(2, "'1e3' is not a whole number", "flowmatch {F} --samples 1e3"),
                Arguments.of(2, "--epochs must be in [1,", "flowmatch {F} --epochs 0"),
                Arguments.of(2, "--holdout must be in (0, 1), got 1.0", "flowmatch {F} --holdout 1"),
                Arguments.of(2, "'NaN' is not a decimal number", "flowmatch {F} --holdout NaN"),
                Arguments.of(2, "'Infinity' is not a decimal number", "flowmatch {F} --epsilon Infinity"),
                Arguments.of(2, "--epsilon must be a finite number > 0", "flowmatch {F} --epsilon 0"),
                Arguments.of(2, "--coupling must be independent, ot or sinkhorn, got 'magic'",
                        "flowmatch {F} --coupling magic"),
                Arguments.of(2, "the directory", "flowmatch --data {H}/valid-small.csv --out {D}/missing/s.csv"),
                Arguments.of(2, "steps; at most 1e6 allowed", "flowmatch {F} --epochs 2000000000 --batch 1"),
                Arguments.of(2, "training pairs; at most 2.5e6 allowed", "flowmatch {F} --epochs 1 --batch 65536"),
                Arguments.of(2, "minibatch cost entries (steps x batch^2); at most 1e8 allowed",
                        "flowmatch {F} --coupling sinkhorn --batch 4096"),
                Arguments.of(2, "1 points are too few", "flowmatch --data {H}/one-point.csv --out {D}/out.csv"),
                // gradientflow
                Arguments.of(2, "'Infinity' is not a decimal number", "gradientflow {G} --time Infinity"),
                Arguments.of(2, "--time 1e9 / --step 1e-9 asks for 1e18 steps; at most 1e7 allowed",
                        "gradientflow {G} --time 1e9 --step 1e-9"),
                Arguments.of(2, "--time and --step must satisfy 0 < step <= time, got --time 1 and --step 0",
                        "gradientflow {G} --time 1 --step 0"),
                Arguments.of(2, "0 < step <= time", "gradientflow {G} --time 1 --step 2"),
                Arguments.of(2, "--confinement must be a finite number >= 0, got -1.0",
                        "gradientflow --points {H}/valid-small.csv --confinement -1 --picture {D}/pic.png"),
                Arguments.of(2, "'NaN' is not a decimal number", "gradientflow {G} --diffusion NaN"),
                Arguments.of(2, "'Infinity' is not a decimal number", "gradientflow {G} --diffusion Infinity"),
                Arguments.of(2, "--diffusion must be a number >= 0 with 2 D finite (the noise is sqrt(2 D) dW), got "
                        + "1e308", "gradientflow {G} --diffusion 1e308"),
                Arguments.of(2, "the JKO grid around", "gradientflow {G} --method jko --diffusion 1e307 --time 100 "
                        + "--step 1"),
                Arguments.of(2, "--porous must be a finite exponent > 1, got 1.0",
                        "gradientflow {G} --method jko --porous 1"),
                Arguments.of(2, "--porous needs --method jko", "gradientflow {G} --porous 2"),
                Arguments.of(2, "--grid must be in [8, 2048], got 4", "gradientflow {G} --method jko --grid 4"),
                Arguments.of(2, "--grid must be in [8, 512] for 2-D points, got 1024",
                        "gradientflow {G} --method jko --grid 1024"),
                Arguments.of(2, "--method must be particles or jko, got 'foo'", "gradientflow {G} --method foo"),
                Arguments.of(2, "--interaction must be none, quadratic or attraction-repulsion",
                        "gradientflow {G} --interaction foo"),
                Arguments.of(2, "nothing to flow", "gradientflow --points {H}/valid-small.csv --picture {D}/pic.png"),
                Arguments.of(2, "--time 100000 / --step 0.5 asks for 200000 steps; at most 100000 allowed for --method jko",
                        "gradientflow {G} --method jko --time 1e5 --step 0.5"),
                Arguments.of(2, "asks for 100 JKO steps on 262144 cells; the limit of 1e9 cell updates leaves 38 "
                        + "scaling iterations per step, fewer than 100",
                        "gradientflow {G} --method jko --grid 512 --time 1 --step 0.01"),
                Arguments.of(2, "asks for 1.6e11 pair evaluations; at most 1e10 allowed",
                        "gradientflow --points {B}/cloud2000.csv --interaction quadratic --time 100 --step 0.01 "
                                + "--picture {D}/pic.png"),
                Arguments.of(2, "the directory", "gradientflow --points {H}/valid-small.csv --confinement 1 --out "
                        + "{D}/missing/out.csv"),
                Arguments.of(2, "the directory", "gradientflow --points {H}/valid-small.csv --confinement 1 "
                        + "--picture {D}/missing/pic.png"),
                Arguments.of(3, "the run produced a value that is not finite",
                        "gradientflow --points {H}/valid-small.csv --confinement 1e6 --time 1 --step 0.1 --picture "
                                + "{D}/pic.png --out {D}/out.csv"),
                // transformer
                Arguments.of(2, "--beta': 'NaN' is not a decimal number", "transformer {T} --beta NaN"),
                Arguments.of(2, "--beta': 'Infinity' is not a decimal number", "transformer {T} --beta Infinity"),
                Arguments.of(2, "--beta': '-Infinity' is not a decimal number", "transformer {T} --beta -Infinity"),
                Arguments.of(2, "--layers must be in [0, 1000000], got -1", "transformer {T} --layers -1"),
                Arguments.of(2, "--layers must be in [0, 1000000], got 2000000000",
                        "transformer {T} --layers 2000000000"),
                Arguments.of(2, "--depth must be a finite number > 0", "transformer {T} --depth 0"),
                Arguments.of(2, "--threshold is a cosine: it must be in [-1, 1], got 2.0",
                        "transformer {T} --threshold 2"),
                Arguments.of(2, "--sinkhorn and --causal exclude each other", "transformer {T} --sinkhorn --causal"),
                Arguments.of(2, "matrix-not-square.csv: a 2 x 2 matrix is needed, got 2 x 3",
                        "transformer {T} --query {H}/matrix-not-square.csv"),
                Arguments.of(2, "nan.csv:2: 'NaN' is not a decimal number", "transformer {T} --key {H}/nan.csv"),
                Arguments.of(2, "asks for 3.6e10 attention terms; at most 1e10 allowed",
                        "transformer --tokens {B}/cloud3000.csv --layers 1000 --picture {D}/pic.png"),
                Arguments.of(2, "(d + 2 + 10000 Sinkhorn iterations)) asks for 1.8e10 attention terms",
                        "transformer --tokens {B}/cloud300.csv --sinkhorn --picture {D}/pic.png"),
                Arguments.of(2, "the directory", "transformer --tokens {H}/valid-small.csv --picture {D}/missing/t.png"),
                Arguments.of(3, "the run produced a value that is not finite",
                        "transformer {T} --value {H}/value-matrix-1e100.csv --layers 20"),
                Arguments.of(3, "the run produced a value that is not finite",
                        "transformer {T} --value {H}/value-matrix-1e100.csv --layers 0"),
                // trajectories
                Arguments.of(2, "--times lists 1 time(s) for 2 --snapshot file(s)", "trajectories {S} --times 0"),
                Arguments.of(2, "--times must be strictly increasing, got 1.0 then 1.0", "trajectories {S} --times 1,1"),
                Arguments.of(2, "'NaN' is not a decimal number", "trajectories {S} --times 0,NaN"),
                Arguments.of(2, "--interpolate 5.0 is not strictly between the first and the last time",
                        "trajectories {S} --times 0,1 --interpolate 5 --out-dir {D}"),
                Arguments.of(2, "--degree must be in [0, 6], got 9", "trajectories {S} --times 0,1 --degree 9"),
                Arguments.of(2, "nan.csv:2: 'NaN' is not a decimal number",
                        "trajectories --snapshot {H}/nan.csv --snapshot {H}/valid-small.csv --times 0,1"),
                Arguments.of(2, "the directory", "trajectories {S} --times 0,1 --potential-out {D}/missing/p.csv"),
                // top level
                Arguments.of(2, "Unmatched argument at index 0: 'no-such-command'", "no-such-command"),
                Arguments.of(2, "Missing required subcommand", "(no arguments)"));
    }

    @ParameterizedTest(name = "mflow {2}")
    @MethodSource("options")
    void hostileOptionsGiveTheirStatusAndOneLineAndLeaveNoOutput(int status, String fragment, String command)
            throws IOException {
        String valid = hostile("valid-small.csv").toString();
        String d = dir.toString();
        String expanded = command
                .replace("{VP}", "--source " + valid + " --target " + valid + " --plan {D}/out.csv")
                .replace("{V}", "--source " + valid + " --target " + valid)
                .replace("{F}", "--data " + valid + " --out {D}/out.csv")
                .replace("{G}", "--points " + valid + " --confinement 1 --picture {D}/pic.png --out {D}/out.csv")
                .replace("{T}", "--tokens " + valid + " --picture {D}/pic.png --out {D}/out.csv")
                .replace("{S}", "--snapshot " + valid + " --snapshot " + valid)
                .replace("{H}", hostile("cases.txt").getParent().toString())
                .replace("{B}", big.toString())
                .replace("{D}", d);
        String[] args = expanded.equals("(no arguments)") ? new String[]{""} : expanded.split(" ");
        boolean subcommand = List.of("ot", "flowmatch", "gradientflow", "transformer", "trajectories")
                .contains(args[0]);
        Map<String, byte[]> before = goodOutputs();
        Run r = run(subcommand ? append(args, "--quiet") : args[0].isEmpty() ? new String[0] : args);
        assertEquals(status, r.status(), () -> "stderr: " + r.err());
        assertOneLineFailure(subcommand ? args[0] : "", r);
        assertTrue(r.err().contains(fragment.replace("{D}", d)), "'" + fragment + "' expected in: " + r.err());
        assertUnchanged(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // successful runs replace their outputs whole; memory and internal errors

    @Test
    void aSuccessfulRunReplacesThePlanAndBothPictureFilesAndLeavesNoTemporaryFile() throws IOException {
        Map<String, byte[]> before = goodOutputs();
        String valid = hostile("valid-small.csv").toString();
        Run r = run("ot", "--source", valid, "--target", valid, "--plan", dir + "/out.csv", "--picture",
                dir + "/pic.png", "--quiet");
        assertEquals(0, r.status(), r.err());
        Map<String, byte[]> after = contents();
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertNotEquals(new String(before.get(name), StandardCharsets.UTF_8),
                    new String(after.get(name), StandardCharsets.UTF_8), name + " replaced");
        }
        assertTrue(new String(after.get("out.csv"), StandardCharsets.UTF_8).startsWith("i,j,mass\n"));
        assertTrue(new String(after.get("pic.svg"), StandardCharsets.UTF_8).strip().endsWith("</svg>"));
    }

    /** A command that fails the way a caller asks: out of memory, an internal error, or a library rejection. */
    @Command(name = "failing")
    static final class FailingCommand extends FileCommand {
        @picocli.CommandLine.Option(names = "--with")
        String with;

        @Override
        int run() {
            switch (with) {
                case "memory" -> {
                    needsMemoryForTest();
                    throw new OutOfMemoryError("Java heap space");
                }
                case "bug" -> throw new NullPointerException("a bug\nover two lines");
                case "solver-failure" -> throw new IllegalStateException("the scalings left the floating-point "
                        + "range at cell 910");
                default -> throw new IllegalArgumentException("tokens must be distinct, got 2 equal ones");
            }
        }

        private void needsMemoryForTest() {
            // what the command would need: a small amount, so that the check itself passes
            needsMemory("the 30000 x 30000 cost matrix", 1e3);
        }
    }

    static CommandLine withFailingCommand() {
        CommandLine cl = Mflow.commandLine();
        cl.addSubcommand(new FailingCommand());
        return cl;
    }

    @Test
    void outOfMemoryBecomesOneLineSayingWhatNeedsTheMemoryAndHowToGiveIt() {
        Run r = run(withFailingCommand(), "failing", "--with", "memory");
        assertEquals(ExitStatus.BAD_INPUT, r.status());
        assertOneLineFailure("failing", r);
        assertTrue(r.err().contains("out of memory: the 30000 x 30000 cost matrix needs 1 MB"), r.err());
        assertTrue(r.err().contains("MFLOW_JAVA_OPTS=-Xmx") && r.err().contains("java -Xmx"), r.err());
    }

    @Test
    void anInternalErrorIsOneLineWithExitStatusOneAndItsStackTraceOnlyWithDebug() {
        Run r = run(withFailingCommand(), "failing", "--with", "bug");
        assertEquals(ExitStatus.INTERNAL_ERROR, r.status());
        // an internal error names the exception's type (for the bug report), but on one line and without a trace
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("at org."), r.err());
        assertTrue(r.err().contains("internal error: NullPointerException: a bug over two lines (--debug prints"),
                r.err());
        Run debug = run(withFailingCommand(), "failing", "--with", "bug", "--debug");
        assertEquals(ExitStatus.INTERNAL_ERROR, debug.status());
        assertTrue(debug.err().contains("\tat org.measureflow"), "stack trace with --debug: " + debug.err());
        assertTrue(debug.err().strip().endsWith("internal error: NullPointerException: a bug over two lines"),
                debug.err());
    }

    @Test
    void aLibraryRejectionOfInputIsBadInputInOneLine() {
        Run r = run(withFailingCommand(), "failing", "--with", "rejection");
        assertEquals(ExitStatus.BAD_INPUT, r.status());
        assertOneLineFailure("failing", r);
        assertTrue(r.err().contains("the input was rejected: tokens must be distinct"), r.err());
    }

    @Test
    void aNumericalFailureOfASolverIsNotConvergedInOneLine() {
        Run r = run(withFailingCommand(), "failing", "--with", "solver-failure");
        assertEquals(ExitStatus.NOT_CONVERGED, r.status());
        assertOneLineFailure("failing", r);
        assertTrue(r.err().contains("the run failed: the scalings left the floating-point range at cell 910; "
                + "nothing written"), r.err());
    }

    @Test
    void theMemoryCheckFailsFastWithTheNumbersAndHowToGiveMore() {
        double tooMuch = 4.0 * Runtime.getRuntime().maxMemory();
        CommandFailure f = org.junit.jupiter.api.Assertions.assertThrows(CommandFailure.class,
                () -> Limits.requireMemory("the 90000 x 90000 cost matrix", tooMuch));
        assertEquals(ExitStatus.BAD_INPUT, f.status());
        assertTrue(f.getMessage().startsWith("the 90000 x 90000 cost matrix needs " + Limits.bytes(tooMuch)
                + " of memory, but Java may use at most "), f.getMessage());
        assertTrue(f.getMessage().contains("MFLOW_JAVA_OPTS=-Xmx"), f.getMessage());
        Limits.requireMemory("a small array", 1e6);
    }

    @Test
    void countsInMessagesAreShortAndExact() {
        assertEquals("20082", Limits.count(20082));
        assertEquals("1e18", Limits.count(1e18));
        assertEquals("3.24e8", Limits.count(18000.0 * 18000));
        assertEquals("1e-9", Limits.number(1e-9));
        assertEquals("0.05", Limits.number(0.05));
        assertEquals("1e9", Limits.number(1e9));
    }

    @Test
    void helpStatesTheExitStatusesAndTheLimits() {
        Run top = run("--help");
        assertEquals(0, top.status());
        assertTrue(top.out().replaceAll("\\s+", " ").contains("3 ran but did not converge or the result is not "
                + "finite"), top.out());
        for (String command : List.of("ot", "flowmatch", "gradientflow", "transformer", "trajectories")) {
            Run help = run(command, "--help");
            String text = help.out().replaceAll("\\s+", " ");
            assertTrue(text.contains("Exit status: 0 success; 1 internal error; 2 bad input"), text);
            assertTrue(text.contains("Limits: "), text);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void assertOneLineFailure(String command, Run r) {
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + r.err());
        assertTrue(err.startsWith(command.isEmpty() ? "mflow: " : "mflow " + command + ": "), err);
        assertFalse(err.contains("at org.") || err.contains("Exception") || err.contains("\tat "),
                "no stack trace, no exception name: " + err);
    }

    /** Pre-creates the "good" outputs of an earlier run and returns the directory's contents. */
    private Map<String, byte[]> goodOutputs() throws IOException {
        for (String name : List.of("out.csv", "pic.png", "pic.svg")) {
            Files.writeString(dir.resolve(name), GOOD + name + "\n");
        }
        return contents();
    }

    private Map<String, byte[]> contents() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                files.put(p.getFileName().toString(), Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return files;
    }

    private void assertUnchanged(Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = contents();
        assertEquals(before.keySet(), after.keySet(), "no partial, temporary or new file");
        for (String name : before.keySet()) {
            assertTrue(Arrays.equals(before.get(name), after.get(name)), name + " must be unchanged");
        }
    }

    private static String[] append(String[] args, String extra) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
