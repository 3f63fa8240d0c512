package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/conventions.md} and {@code docs/closed-forms.md} honest: every measureflow expression of the
 * conventions page's "POT call → measureflow call" table runs in {@code jshell} after the page's own setup block (so a
 * renamed class or method, or a changed signature, fails here), the table covers at least twenty POT functions, every
 * relative link of both pages (and the README's links to them) reaches an existing file and anchor, and every test
 * the closed-forms page cites as {@code Class#method} exists in the linked file.
 */
class ConventionsPageTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final String TABLE_HEADING = "## POT call → measureflow call";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern POT_FUNCTION = Pattern.compile("^(ot(?:\\.\\w+)+)\\(");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\(([^)\\s]+)\\)");
    private static final Pattern EXPLICIT_ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);
    private static final Pattern CITED_TEST = Pattern.compile("`(\\w+Test)#(\\w+)`");

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The part of the conventions page from the table's heading to the next heading of the same level. */
    private static String tableSection() throws IOException {
        String page = read(DOCS.resolve("conventions.md"));
        int start = page.indexOf(TABLE_HEADING);
        assertTrue(start >= 0, "docs/conventions.md has the section '" + TABLE_HEADING + "'");
        int end = page.indexOf("\n## ", start + TABLE_HEADING.length());
        return end < 0 ? page.substring(start) : page.substring(start, end);
    }

    /** The table's rows (POT cell, measureflow cell), header and separator left out. */
    private static List<String[]> tableRows(String section) {
        List<String[]> rows = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `ot.")) {
                String[] cells = line.split("\\|");
                // "| pot | measureflow | notes |" splits into "", pot, measureflow, notes (code spans hold no '|')
                assertTrue(cells.length >= 3, "a table row has a POT and a measureflow cell: " + line);
                rows.add(new String[] {cells[1].trim(), cells[2].trim()});
            }
        }
        return rows;
    }

    @Test
    void everyMeasureflowCallOfThePotTableRunsInJshellAndTheTableCoversTwentyPotFunctions() throws IOException {
        String section = tableSection();
        Matcher setupBlock = JAVA_BLOCK.matcher(section);
        assertTrue(setupBlock.find(), "the table's section starts with its jshell setup block");
        List<String[]> rows = tableRows(section);
        Set<String> potFunctions = new TreeSet<>();
        StringBuilder block = new StringBuilder(setupBlock.group(1));
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String[] row : rows) {
            Matcher pot = POT_FUNCTION.matcher(row[0].replace("`", ""));
            assertTrue(pot.find(), "the POT cell names an ot.* call: " + row[0]);
            potFunctions.add(pot.group(1));
            Matcher code = CODE_SPAN.matcher(row[1]);
            int spans = 0;
            while (code.find()) {
                String name = "potTableRow" + expressions.size();
                expressions.put(name, code.group(1));
                block.append("\nvar ").append(name).append(" = ").append(code.group(1)).append(";");
                spans++;
            }
            assertTrue(spans > 0, "the measureflow cell of " + row[0] + " holds a call in backticks");
        }
        assertTrue(potFunctions.size() >= 20, "the table covers " + potFunctions.size() + " POT functions, "
                + "at least 20 asked: " + potFunctions);
        // each expression becomes a variable: a call that does not compile, throws or returns nothing fails here
        Map<String, String> values;
        try {
            values = ReadmeJshellTest.run(block.toString());
        } catch (AssertionError e) {
            throw new AssertionError("docs/conventions.md, POT table: " + e.getMessage(), e);
        }
        expressions.forEach((name, expression) -> assertTrue(values.containsKey(name),
                "jshell gave no value for the table's expression " + expression));
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces turned into hyphens. */
    static String slug(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    @Test
    void slugsFollowGitHubsRule() {
        assertEquals("pot-call--measureflow-call", slug("POT call → measureflow call"));
        assertEquals("3-results-records-named-result", slug("3. Results: records named `...Result`"));
        assertEquals("cf-12-optimal-transport-between-gaussians-bureswasserstein",
                slug("CF-12. Optimal transport between Gaussians (Bures–Wasserstein)"));
    }

    private static Set<String> anchors(String page) {
        Set<String> ids = new HashSet<>();
        Matcher explicit = EXPLICIT_ANCHOR.matcher(page);
        while (explicit.find()) {
            ids.add(explicit.group(1));
        }
        Matcher heading = HEADING.matcher(page.replaceAll("(?s)```.*?```", ""));
        while (heading.find()) {
            ids.add(slug(heading.group(1)));
        }
        return ids;
    }

    /** The page without code blocks and formulas, whose brackets are not links. */
    private static String prose(String page) {
        return page.replaceAll("(?s)```.*?```", "").replaceAll("(?s)\\$\\$.*?\\$\\$", "").replaceAll("\\$[^$]*\\$", "");
    }

    /** Every relative link of {@code page} reaches an existing file and, if it names one, an existing anchor. */
    private static void assertLinksResolve(Path page) throws IOException {
        String text = prose(read(page));
        Matcher link = LINK.matcher(text);
        int checked = 0;
        while (link.find()) {
            String target = link.group(2);
            if (target.matches("^[a-z]+:.*")) {
                continue; // http:, https:, mailto: are outside the repository
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            assertTrue(Files.exists(resolved), page + " links to " + target + ", which does not exist");
            if (hash >= 0) {
                String anchor = target.substring(hash + 1);
                assertTrue(anchors(read(resolved)).contains(anchor),
                        page + " links to " + target + ": no anchor '" + anchor + "' in " + resolved);
            }
            checked++;
        }
        assertTrue(checked > 0, page + " has relative links to check");
    }

    @Test
    void everyRelativeLinkOfTheDocsPagesAndOfTheReadmeResolves() throws IOException {
        assertLinksResolve(DOCS.resolve("conventions.md"));
        assertLinksResolve(DOCS.resolve("closed-forms.md"));
        assertLinksResolve(Path.of("..", "README.md"));
        String readme = read(Path.of("..", "README.md"));
        assertTrue(readme.contains("(docs/conventions.md)") && readme.contains("(docs/closed-forms.md)"),
                "the README links to both pages");
    }

    @Test
    void closedFormAnchorsAreUniqueAndEveryCitedTestExists() throws IOException {
        Path page = DOCS.resolve("closed-forms.md");
        String text = read(page);
        Matcher explicit = EXPLICIT_ANCHOR.matcher(text);
        Set<String> ids = new HashSet<>();
        while (explicit.find()) {
            assertTrue(ids.add(explicit.group(1)), "anchor " + explicit.group(1) + " appears twice");
            String number = explicit.group(1).substring("cf-".length());
            assertTrue(text.substring(explicit.end()).stripLeading().startsWith("### CF-" + number + ". "),
                    "anchor " + explicit.group(1) + " stands right before the heading CF-" + number);
        }
        assertTrue(ids.size() >= 16, "the page keeps the anchors cf-1 to cf-16 at least, found " + ids);
        Matcher link = LINK.matcher(prose(text));
        int cited = 0;
        while (link.find()) {
            Matcher test = CITED_TEST.matcher(link.group(1));
            if (!test.matches()) {
                continue;
            }
            Path file = page.getParent().resolve(link.group(2)).normalize();
            assertTrue(file.getFileName().toString().equals(test.group(1) + ".java"),
                    link.group(1) + " links to " + file + ", not to its class");
            assertTrue(Files.exists(file), link.group(1) + " cites " + file + ", which does not exist");
            assertTrue(read(file).contains("void " + test.group(2) + "("),
                    "closed-forms.md cites " + link.group(1) + ": no such test method in " + file);
            cited++;
        }
        assertTrue(cited >= ids.size(), "every closed form cites its tests, found " + cited + " citations");
        assertFalse(text.contains("spec/closed-forms"), "the page stands alone");
    }

    @Test
    void aRowWhoseCallDoesNotExistWouldFail() {
        // the check above depends on jshell rejecting what does not compile: make sure it does
        try {
            ReadmeJshellTest.run("int one = 1;\nvar broken = org.measureflow.ot.sinkhorn.SinkhornSolver.nonexistent();");
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage().contains("nonexistent"), expected.getMessage());
            return;
        }
        fail("jshell accepted a call to a method that does not exist");
    }
}
