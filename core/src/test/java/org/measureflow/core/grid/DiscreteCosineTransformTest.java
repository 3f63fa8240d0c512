package org.measureflow.core.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DiscreteCosineTransform}: both paths (FFT for powers of two, matrix otherwise) against the defining sum, and round trips. */
class DiscreteCosineTransformTest {
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 8, 12, 16, 64, 128})
    void matchesTheDefiningSumAndInvertsOnStridedLines(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        int stride = 3;
        double[] f = new double[n * stride + 1];
        for (int k = 0; k < f.length; k++) {
            f[k] = rng.nextGaussian();
        }
        double[] original = f.clone();
        DiscreteCosineTransform dct = DiscreteCosineTransform.of(n);
        dct.forward(f, 1, stride);
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.cos(Math.PI * k * (2 * i + 1) / (2.0 * n)) * original[1 + i * stride];
            }
            s *= k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            // O(n) terms of size O(1): rounding error O(n eps) in the sum, O(log n eps) in the FFT
            assertEquals(s, f[1 + k * stride], 1e-13 * n, "coefficient " + k);
        }
        dct.inverse(f, 1, stride);
        for (int k = 0; k < f.length; k++) {
            // orthonormal transform: the round trip is exact up to rounding; entries off the line are untouched
            assertEquals(original[k], f[k], 1e-13 * n, "entry " + k);
        }
    }
}
