package org.measureflow.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/**
 * The project's rule for bad input, as one assertion: the call throws an {@link IllegalArgumentException} whose
 * message starts with the name of the offending argument.
 */
public final class Rejections {
    private Rejections() {
    }

    /**
     * Asserts that {@code call} throws an {@link IllegalArgumentException} whose message starts with
     * {@code argument}; returns the exception for further checks.
     */
    public static IllegalArgumentException assertRejected(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().startsWith(argument),
                "message should start with the argument's name '" + argument + "': " + e.getMessage());
        return e;
    }
}
