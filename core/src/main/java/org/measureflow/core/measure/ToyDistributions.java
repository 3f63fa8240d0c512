package org.measureflow.core.measure;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;

/**
 * The planar test laws of generative modelling (the ones torchcfm, POT's examples and the flow-matching papers
 * use), as {@link PointSampler}s, so that a benchmark in Java and one in Python can draw the same distributions.
 * Every law is described by how one point is drawn, in the order the random numbers are taken from the generator
 * (so the same generator state gives the same points on every machine):
 * <ul>
 * <li>{@link #eightGaussians()}: \( k \sim U\{0..7\} \), \( x = 3(\cos \tfrac{2\pi k}8, \sin \tfrac{2\pi k}8) +
 *     0.3\,\xi \) with \( \xi \sim N(0, I_2) \) (spread: radius 3);</li>
 * <li>{@link #twoMoons()}: \( \vartheta \sim U[0, \pi] \), a fair coin picks the upper half circle
 *     \( (\cos\vartheta, \sin\vartheta) \) or the lower one \( (1 - \cos\vartheta, \tfrac12 - \sin\vartheta) \),
 *     then \( x = 2\,(u - (\tfrac12, \tfrac14)) + 0.15\,\xi \) (scikit-learn's moons, centred, scaled by 2; spread
 *     about \( [-3, 3] \times [-1.6, 1.6] \));</li>
 * <li>{@link #checkerboard()}: \( x_1 \sim U[-2, 2) \), column \( c = \lfloor x_1 + 2 \rfloor \), row
 *     \( r = 2b + (c \bmod 2) \) with \( b \sim U\{0, 1\} \), \( x_2 = -2 + r + U[0, 1) \): uniform on the 8 dark
 *     squares of a \( 4 \times 4 \) board of unit squares on \( [-2, 2]^2 \).</li>
 * </ul>
 */
public final class ToyDistributions {
    private ToyDistributions() {
    }

    /**
     * Eight Gaussians of standard deviation 0.3 centred at \( 3(\cos\frac{2\pi k}{8}, \sin\frac{2\pi k}{8}) \),
     * equally likely (the class comment gives the draw).
     *
     * @return the sampler (2-D)
     */
    public static PointSampler eightGaussians() {
        return new Planar("eightGaussians") {
            @Override
            void draw(RandomGenerator rng, double[] out, int at) {
                double angle = 2 * Math.PI * rng.nextInt(8) / 8;
                out[at] = 3 * Math.cos(angle) + 0.3 * rng.nextGaussian();
                out[at + 1] = 3 * Math.sin(angle) + 0.3 * rng.nextGaussian();
            }
        };
    }

    /**
     * Two interleaved half circles of radius 2 with Gaussian noise of standard deviation 0.15, centred at the origin
     * (the class comment gives the draw).
     *
     * @return the sampler (2-D)
     */
    public static PointSampler twoMoons() {
        return new Planar("twoMoons") {
            @Override
            void draw(RandomGenerator rng, double[] out, int at) {
                double theta = Math.PI * rng.nextDouble();
                boolean upper = rng.nextBoolean();
                double x = upper ? Math.cos(theta) : 1 - Math.cos(theta);
                double y = upper ? Math.sin(theta) : 0.5 - Math.sin(theta);
                out[at] = 2 * (x - 0.5) + 0.15 * rng.nextGaussian();
                out[at + 1] = 2 * (y - 0.25) + 0.15 * rng.nextGaussian();
            }
        };
    }

    /**
     * The uniform law on the 8 dark unit squares of a \( 4 \times 4 \) checkerboard on \( [-2, 2]^2 \) (the
     * square of column \( c \) and row \( r \), counted from the lower left corner, is dark when \( c + r \) is
     * even); the class comment gives the draw.
     *
     * @return the sampler (2-D)
     */
    public static PointSampler checkerboard() {
        return new Planar("checkerboard") {
            @Override
            void draw(RandomGenerator rng, double[] out, int at) {
                double x = -2 + 4 * rng.nextDouble();
                // nextDouble < 1 keeps x < 2 in exact arithmetic; the min guards the rounding of -2 + 4 u
                int column = Math.min(3, (int) Math.floor(x + 2));
                int row = 2 * rng.nextInt(2) + (column & 1);
                out[at] = x;
                out[at + 1] = -2 + row + rng.nextDouble();
            }
        };
    }

    /** A 2-D law drawn point by point; checks the caller's arguments once per call. */
    private abstract static class Planar implements PointSampler {
        private final String name;

        Planar(String name) {
            this.name = name;
        }

        /** Writes one point at {@code out[at]}, {@code out[at + 1]}. */
        abstract void draw(RandomGenerator rng, double[] out, int at);

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void sample(int n, RandomGenerator rng, double[] out) {
            Arguments.nonNegative("n", n);
            Arguments.notNull("rng", rng);
            Arguments.notNull("out", out);
            Arguments.atLeast("out (length)", out.length,
                    Arguments.product("n * 2", n, 2));
            for (int i = 0; i < n; i++) {
                draw(rng, out, 2 * i);
            }
        }

        /** The law's name: {@code twoMoons}. */
        @Override
        public String toString() {
            return name;
        }
    }
}
