package org.measureflow.testing;

import java.util.SplittableRandom;

/**
 * Runs one instance of a property with a random source made from a seed, and names that seed when the property
 * fails, so that the failing input can be rebuilt exactly.
 */
public final class Property {
    private Property() {
    }

    /** The body of a property: draws its inputs from {@code rng} and asserts. */
    @FunctionalInterface
    public interface Body {
        /** Checks the property on inputs drawn from {@code rng}. */
        void check(SplittableRandom rng) throws Exception;
    }

    /**
     * Runs {@code body} with {@code new SplittableRandom(seed)}.
     *
     * @throws AssertionError naming the seed if the body fails or throws
     */
    public static void check(long seed, Body body) {
        try {
            body.check(new SplittableRandom(seed));
        } catch (AssertionError | Exception e) {
            throw new AssertionError("property failed for seed " + seed + "L: " + e.getMessage(), e);
        }
    }
}
