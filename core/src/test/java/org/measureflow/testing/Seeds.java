package org.measureflow.testing;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Fixed seeds for property tests, for {@code @ParameterizedTest @MethodSource}:
 *
 * <pre>{@code
 * @ParameterizedTest(name = "seed {0}")
 * @MethodSource("org.measureflow.testing.Seeds#many")
 * void covarianceIsSymmetric(long seed) {
 *     Property.check(seed, rng -> { ... assertions on inputs drawn from rng ... });
 * }
 * }</pre>
 *
 * The seeds are drawn once from a fixed master seed, so every run of the suite checks the same inputs, and a
 * failure names its seed in both the test's display name and its message ({@link Property}).
 */
public final class Seeds {
    /** The master seed all property seeds derive from. */
    public static final long MASTER = 0x5EEDF10AL;

    private Seeds() {
    }

    /** {@code count} fixed seeds. */
    public static LongStream of(int count) {
        SplittableRandom master = new SplittableRandom(MASTER);
        return LongStream.generate(master::nextLong).limit(count);
    }

    /** 50 seeds: the default for cheap properties. */
    public static LongStream many() {
        return of(50);
    }

    /** 10 seeds: for properties whose single check is expensive. */
    public static LongStream few() {
        return of(10);
    }
}
