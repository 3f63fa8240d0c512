package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every public or protected type, constructor, method and field of the library and example sources carries a
 * documentation comment (members overriding a documented one, marked {@code @Override}, inherit it). The Javadoc
 * build of {@code mvn verify} runs doclint for syntax, HTML and references; this test is its "missing comment"
 * half, without demanding an {@code @param} line for every parameter.
 */
class JavadocCoverageTest {
    private static final String[] MODULES = {"core", "ot", "flowmatching", "gradientflow", "transformer",
        "examples", "benchmarks"};

    @Test
    void everyPublicDeclarationIsDocumented() throws IOException {
        Path root = Paths.get("..").toAbsolutePath().normalize();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String module : MODULES) {
            Path src = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    checked += check(root, file, missing);
                }
            }
        }
        assertTrue(checked > 100, "found only " + checked + " public declarations; wrong working directory?");
        assertTrue(missing.isEmpty(), missing.size() + " public declarations without a doc comment:\n"
                + String.join("\n", missing));
    }

    private static int check(Path root, Path file, List<String> missing) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int count = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!(line.startsWith("public ") || line.startsWith("protected "))) {
                continue;
            }
            count++;
            int j = i - 1;
            boolean overrides = false;
            // Walk back over annotations (possibly spanning lines) to the previous statement, block or comment end.
            while (j >= 0) {
                String prev = lines.get(j).strip();
                if (prev.endsWith("*/") || prev.endsWith(";") || prev.endsWith("{") || prev.endsWith("}")) {
                    break;
                }
                overrides |= prev.startsWith("@Override");
                j--;
            }
            if (overrides) {
                continue;
            }
            if (j < 0 || !lines.get(j).strip().endsWith("*/")) {
                missing.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
            }
        }
        return count;
    }
}
