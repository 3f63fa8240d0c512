package org.measureflow.examples;

import java.util.List;

/**
 * The plain summary page {@code index.html} of a tour: for each demo its title, its two lines of explanation, its
 * pictures (the PNG shown, linked to the SVG) and a table of its numbers; failed demos are listed with their
 * error. The page has no scripts and no external resources, and depends only on its inputs (no date), so the same
 * tour writes the same page.
 */
final class SummaryPage {
    private SummaryPage() {
    }

    /**
     * One demo's line on the page.
     *
     * @param name   the demo's name (anchor of its section)
     * @param result what it reported, or {@code null} if it failed
     * @param error  the one-line error, or {@code null} if it succeeded
     */
    record Entry(String name, DemoResult result, String error) {
        static Entry success(String name, DemoResult result) {
            return new Entry(name, result, null);
        }

        static Entry failure(String name, String error) {
            return new Entry(name, null, error);
        }
    }

    /** The page for {@code entries}, written by mflow {@code version}. */
    static String html(List<Entry> entries, String version) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>measureflow tour</title>\n<style>\n")
                .append("body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }\n")
                .append("img { max-width: 100%; border: 1px solid #ddd; }\n")
                .append("table { border-collapse: collapse; } td { padding: 0.15em 0.8em 0.15em 0; }\n")
                .append("td.v { font-family: monospace; } .failed { color: #b00; }\n")
                .append("</style>\n</head>\n<body>\n<h1>measureflow tour</h1>\n<p>Written by <code>mflow tour</code> ")
                .append(escape(version)).append(". Click a picture for its SVG version.</p>\n<ul>\n");
        for (Entry e : entries) {
            s.append("<li><a href=\"#").append(escape(e.name())).append("\">").append(escape(e.name()))
                    .append("</a>").append(e.result() == null ? " <span class=\"failed\">(failed)</span>" : "")
                    .append("</li>\n");
        }
        s.append("</ul>\n");
        for (Entry e : entries) {
            s.append("<section id=\"").append(escape(e.name())).append("\">\n");
            if (e.result() == null) {
                s.append("<h2>").append(escape(e.name())).append("</h2>\n<p class=\"failed\">Failed: ")
                        .append(escape(e.error())).append("</p>\n</section>\n");
                continue;
            }
            DemoResult r = e.result();
            s.append("<h2>").append(escape(r.title())).append("</h2>\n<p>").append(escape(r.explanation().get(0)))
                    .append("<br>\n").append(escape(r.explanation().get(1))).append("</p>\n");
            String svg = null;
            for (String p : r.pictures()) {
                if (p.endsWith(".svg")) {
                    svg = p;
                }
            }
            for (String p : r.pictures()) {
                if (p.endsWith(".png")) {
                    String target = svg != null ? svg : p;
                    s.append("<p><a href=\"").append(escape(target)).append("\"><img src=\"").append(escape(p))
                            .append("\" alt=\"").append(escape(r.title())).append("\"></a></p>\n");
                }
            }
            s.append("<table>\n");
            for (DemoResult.Reading reading : r.readings()) {
                s.append("<tr><td>").append(escape(reading.label())).append("</td><td class=\"v\">")
                        .append(escape(reading.formattedValues())).append("</td></tr>\n");
            }
            s.append("</table>\n<p>Files:");
            for (String p : r.pictures()) {
                s.append(" <a href=\"").append(escape(p)).append("\">").append(escape(p)).append("</a>");
            }
            s.append("</p>\n</section>\n");
        }
        return s.append("</body>\n</html>\n").toString();
    }

    /** Escapes the five HTML special characters. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
