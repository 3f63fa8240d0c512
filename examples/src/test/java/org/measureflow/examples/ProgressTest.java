package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void quietProgressNeverShowsABar() {
        try (Progress p = Progress.start("quiet", true)) {
            p.accept(0.5);
            assertFalse(p.isShown());
        }
    }

    @Test
    void noBarWhenStandardErrorIsNotATerminal() throws Exception {
        String before = System.getProperty("mflow.stderrIsTerminal");
        System.setProperty("mflow.stderrIsTerminal", "false");
        try (Progress p = Progress.start("to a file", false)) {
            Thread.sleep(5);
            p.accept(0.5);
            assertFalse(p.isShown(), "a redirected stderr gets no bar (and so no carriage returns)");
        } finally {
            if (before == null) {
                System.clearProperty("mflow.stderrIsTerminal");
            } else {
                System.setProperty("mflow.stderrIsTerminal", before);
            }
        }
        System.setProperty("mflow.stderrIsTerminal", "true");
        try {
            assertTrue(Progress.stderrIsTerminal());
        } finally {
            if (before == null) {
                System.clearProperty("mflow.stderrIsTerminal");
            } else {
                System.setProperty("mflow.stderrIsTerminal", before);
            }
        }
    }

    @Test
    void shortRunShowsNoBarBeforeTheDelay() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.start("short", Long.MAX_VALUE, stream)) {
            p.accept(1.0);
            assertFalse(p.isShown());
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void longRunShowsTheBarWithItsTaskName() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = Progress.start("long-task", 0, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            p.accept(0.25);
            p.accept(1.0);
            assertTrue(p.isShown());
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("long-task") && text.contains("100%"), text);
    }
}
