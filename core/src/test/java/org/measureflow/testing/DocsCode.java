package org.measureflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Code written in the documentation, checked by tests: a fenced block between the marker comments
 * {@code <!-- marker: begin -->} and {@code <!-- marker: end -->} of a page of {@code docs/}, read at test time
 * (so the page and the test cannot drift apart), and Debian's Python with NumPy to run the Python ones.
 */
public final class DocsCode {
    /** Debian's Python; {@code -Dmeasureflow.python=...} names another (or a missing one, to see the skip). */
    public static final Path PYTHON = Path.of(System.getProperty("measureflow.python", "/usr/bin/python3"));

    private DocsCode() {
    }

    /**
     * The code of the one fenced block of {@code language} between the markers of {@code marker} on the page
     * {@code docs/<page>} (the working directory is a module's folder, so the page is {@code ../docs/<page>}).
     *
     * @param page     the page's file name, e.g. {@code models.md}
     * @param marker   the marker's name, e.g. {@code numpy-functions}
     * @param language the fence's language, e.g. {@code python}
     * @return the lines of the block, without the fences
     * @throws IOException if the page cannot be read
     */
    public static String markedBlock(String page, String marker, String language) throws IOException {
        String text = Files.readString(Path.of("..", "docs", page), StandardCharsets.UTF_8);
        String begin = "<!-- " + marker + ": begin -->";
        String end = "<!-- " + marker + ": end -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, "docs/" + page + " must hold the block marked " + marker);
        String block = text.substring(from + begin.length(), to).strip();
        String fence = "```" + language;
        assertTrue(block.startsWith(fence) && block.endsWith("```"), "the block " + marker + " is one " + language
                + " fence");
        return block.substring(fence.length(), block.length() - 3).strip() + "\n";
    }

    /**
     * Asserts that the Java block {@code marker} of {@code docs/<page>} is, line for line (indentation of the test
     * removed), the code between the comments {@code // docs: marker begin} and {@code // docs: marker end} of the
     * source of the test class {@code test} (relative to the module's folder): the test runs exactly the page's lines.
     *
     * @param page   the page's file name
     * @param marker the marker's name
     * @param test   the test class; its source is {@code src/test/java/<package path>/<Name>.java}
     * @throws IOException if a file cannot be read
     */
    public static void assertJavaBlockIsRunBy(String page, String marker, Class<?> test) throws IOException {
        Path testSource = Path.of("src", "test", "java", test.getName().replace('.', '/') + ".java");
        List<String> doc = markedBlock(page, marker, "java").lines().toList();
        List<String> source = Files.readAllLines(testSource, StandardCharsets.UTF_8);
        int from = -1;
        int to = -1;
        for (int i = 0; i < source.size(); i++) {
            String s = source.get(i).strip();
            if (s.equals("// docs: " + marker + " begin")) {
                from = i + 1;
            } else if (s.equals("// docs: " + marker + " end")) {
                to = i;
            }
        }
        assertTrue(from > 0 && to >= from, testSource + " must mark the lines of " + marker);
        String indent = source.get(from).substring(0, source.get(from).length() - source.get(from).stripLeading()
                .length());
        List<String> run = new ArrayList<>();
        for (String line : source.subList(from, to)) {
            assertTrue(line.isBlank() || line.startsWith(indent), "line indented less than the first: " + line);
            run.add(line.isBlank() ? "" : line.substring(indent.length()));
        }
        assertEquals(String.join("\n", doc), String.join("\n", run), "docs/" + page + " (" + marker + ") and "
                + testSource.getFileName() + " differ");
    }

    /**
     * Skips the calling test, with a message on the console and in the report, unless {@link #PYTHON} runs and
     * imports NumPy.
     *
     * @param test the test's name, for the message
     * @throws Exception if the probe cannot be started or is interrupted
     */
    public static void assumeNumpy(String test) throws Exception {
        skipUnless(Files.isExecutable(PYTHON), test, PYTHON + " is missing");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        skipUnless(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, test,
                "numpy is not importable by " + PYTHON);
    }

    private static void skipUnless(boolean condition, String test, String why) {
        if (!condition) {
            String message = "SKIPPED " + test + ": " + why + "; install Debian's python3-numpy to check the NumPy "
                    + "functions of docs/models.md";
            System.err.println(message);
            Assumptions.assumeTrue(false, message);
        }
    }

    /**
     * Runs a Python script with {@link #PYTHON} and returns what it printed; fails the test if it fails.
     *
     * @param dir    where to write the script
     * @param script the script
     * @return the output lines
     * @throws Exception if the process cannot be run
     */
    public static List<String> runPython(Path dir, String script) throws Exception {
        Path py = Files.createTempFile(dir, "check", ".py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(PYTHON.toString(), py.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return new ArrayList<>(out.lines().toList());
    }

    /**
     * Deletes a folder that an example of the documentation wrote, with everything in it.
     *
     * @param dir the folder
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
