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
