package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README runs as written in {@code jshell} (imports included) on the library's classes, as a
 * new user following the README would run it: no snippet is rejected, none throws, at most three imports per
 * measureflow module, and every variable prints as a summary a person can read (no {@code Type@1b6d3586} or
 * {@code [D@16f65612}). The README's first session (two generated clouds: exact OT, Sinkhorn, the Sinkhorn divergence
 * and Bures W2) is also checked against the inequalities that relate its four numbers.
 */
class ReadmeJshellTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern DEFAULT_TO_STRING = Pattern.compile("@[0-9a-f]{5,}\\b|\\[[DIJFZ]@");

    static List<String> readmeBlocks() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static final Map<String, Map<String, String>> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs one block in a fresh jshell (once per block and test run); returns each variable's printed value. */
    static Map<String, String> run(String block) {
        return RUNS.computeIfAbsent(block, ReadmeJshellTest::runInFreshShell);
    }

    private static Map<String, String> runInFreshShell(String block) {
        Map<String, String> values = new TreeMap<>();
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String rest = block;
            while (!rest.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
                String source = info.source();
                if (source == null) {
                    fail("incomplete snippet in the README block:\n" + rest);
                }
                for (SnippetEvent e : shell.eval(source)) {
                    if (e.status() == Snippet.Status.REJECTED) {
                        StringBuilder why = new StringBuilder();
                        shell.diagnostics(e.snippet()).forEach(d -> why.append(d.getMessage(null)).append('\n'));
                        fail("jshell rejects a README snippet:\n" + source + "\n" + why);
                    }
                    if (e.exception() != null) {
                        fail("a README snippet throws " + e.exception() + ":\n" + source);
                    }
                }
                rest = info.remaining();
            }
            for (VarSnippet v : shell.variables().toList()) {
                values.put(v.name(), shell.varValue(v));
            }
        }
        return values;
    }

    @Test
    void everyReadmeBlockRunsInJshellWithFewImportsAndReadableResults() throws IOException {
        List<String> blocks = readmeBlocks();
        assertTrue(blocks.size() >= 3, "the README has its Java blocks, found " + blocks.size());
        for (String block : blocks) {
            Map<String, Integer> importsPerModule = new TreeMap<>();
            Matcher m = IMPORT.matcher(block);
            while (m.find()) {
                String name = m.group(2);
                if (name.startsWith("org.measureflow.")) {
                    importsPerModule.merge(name.split("\\.")[2], 1, Integer::sum);
                }
            }
            importsPerModule.forEach((module, count) -> assertTrue(count <= 3,
                    count + " imports from measureflow-" + module + " in a README block (at most 3):\n" + block));
            Map<String, String> values = run(block);
            assertFalse(values.isEmpty(), "the block declares the values it computes:\n" + block);
            values.forEach((name, printed) -> assertFalse(DEFAULT_TO_STRING.matcher(printed).find(),
                    name + " prints as " + printed));
        }
    }

    @Test
    void firstSessionNumbersSatisfyTheInequalitiesThatRelateThem() throws IOException {
        Map<String, String> values = run(readmeBlocks().get(0));
        double exact = Double.parseDouble(values.get("w2Squared"));
        double sinkhornCost = Double.parseDouble(values.get("sinkhornCost"));
        double divergence = Double.parseDouble(values.get("divergence"));
        double bures = Double.parseDouble(values.get("bures"));
        assertTrue(values.get("exact").contains("converged"), values.get("exact"));
        assertTrue(values.get("entropic").contains("converged"), values.get("entropic"));
        // the entropic plan is feasible up to its marginal error 1e-9, so its cost is at least the LP optimum
        assertTrue(sinkhornCost >= exact - 1e-6 * exact, sinkhornCost + " < " + exact);
        // Gelbrich's bound: W2 between the Gaussians with the clouds' moments is a lower bound of W2 (rounding only)
        assertTrue(bures <= exact * (1 + 1e-12), "Bures " + bures + " > W2^2 " + exact);
        // S_eps is non-negative and, for epsilon small against the clouds' spread, close to W2^2 (here 10%)
        assertTrue(divergence > 0 && Math.abs(divergence - exact) < 0.1 * exact, divergence + " vs " + exact);
    }
}
