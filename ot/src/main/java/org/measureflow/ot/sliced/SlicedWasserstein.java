package org.measureflow.ot.sliced;

import java.util.SplittableRandom;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.ot.exact.OneDimensionalOt;

/**
 * The sliced Wasserstein distance between two weighted point clouds \( \mu = \sum_i a_i\delta_{x_i} \),
 * \( \nu = \sum_j b_j \delta_{y_j} \) in \( \mathbb R^d \) (Rabin, Peyr&eacute;, Delon, Bernot 2011):
 * \[ SW_p^p(\mu,\nu) = \int_{S^{d-1}} W_p^p(\theta\sharp\mu, \theta\sharp\nu)\,d\sigma(\theta), \qquad
 *    \theta\sharp\mu = \sum_i a_i \delta_{\langle\theta, x_i\rangle}, \]
 * with \( \sigma \) the uniform measure on the sphere, estimated by Monte Carlo over \( L \) seeded directions,
 * \( \widehat{SW}_p^p = \frac1L\sum_l W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \) (unbiased, standard error
 * \( O(L^{-1/2}) \), reported). Each one-dimensional term is exact: the quantile formula
 * \( W_p^p = \int_0^1 |F^{-1}_{\theta\sharp\mu} - F^{-1}_{\theta\sharp\nu}|^p \) by sorting
 * ({@link OneDimensionalOt}; closed forms B9), in \( O((n+m)\log(n+m)) \) per direction; for two uniform
 * measures of the same size it is \( \frac1n\sum_i |x_{(i)} - y_{(i)}|^p \) over the sorted projections. In dimension 1 every
 * direction is \( \pm 1 \) and \( SW_p = W_p \).
 *
 * <p>Directions are normalised standard Gaussian vectors \( \theta = G/|G| \) (uniform on the sphere by rotation
 * invariance), drawn from {@code new SplittableRandom(seed)} in order before any work starts, so the result depends
 * only on the seed. The directions are processed in fixed chunks ({@link Chunks}), optionally in parallel, and the
 * per-direction values are summed in direction order: parallel and serial runs give identical bits.
 */
public final class SlicedWasserstein {
    private final Options options;

    private SlicedWasserstein(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}). */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** The estimator with the given options. */
    public static SlicedWasserstein of(Options options) {
        return new SlicedWasserstein(Arguments.notNull("options", options));
    }

    /** The estimator with the default options. */
    public static SlicedWasserstein withDefaults() {
        return new SlicedWasserstein(Options.DEFAULTS);
    }

    /** This estimator's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * \( L \) directions uniform on \( S^{d-1} \): normalised standard Gaussian vectors drawn in order from
     * {@code new SplittableRandom(seed)}, row-major {@code count * d}.
     *
     * @throws IllegalArgumentException unless {@code count > 0} and {@code d > 0}
     */
    public static double[] directions(int count, int d, long seed) {
        Arguments.positive("count", count);
        Arguments.positive("d", d);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[count * d];
        for (int l = 0; l < count; l++) {
            double norm;
            do {
                norm = 0;
                for (int k = 0; k < d; k++) {
                    double v = rng.nextGaussian();
                    theta[l * d + k] = v;
                    norm += v * v;
                }
            } while (!(norm > 1e-300)); // probability zero; keeps the division safe
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                theta[l * d + k] /= norm;
            }
        }
        return theta;
    }

    /**
     * The estimate of \( SW_p \) between two point clouds of the same dimension.
     *
     * @throws IllegalArgumentException if a measure is null or the dimensions differ
     */
    public SlicedResult compute(ParticleMeasure x, ParticleMeasure y) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        int d = x.dimension();
        if (y.dimension() != d) {
            throw new IllegalArgumentException("y has dimension " + y.dimension() + ", expected " + d
                    + " (the dimension of x)");
        }
        return compute(x, y, directions(options.directions, d, options.seed));
    }

    /**
     * The estimate of \( SW_p \) over the given directions (row-major {@code L * d}; each row is used as given, so
     * pass unit vectors).
     *
     * @throws IllegalArgumentException if a measure is null, the dimensions differ, or {@code theta} is not a
     *                                  non-empty finite array of a multiple of {@code d} entries
     */
    public SlicedResult compute(ParticleMeasure x, ParticleMeasure y, double[] theta) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        int d = x.dimension();
        if (y.dimension() != d) {
            throw new IllegalArgumentException("y has dimension " + y.dimension() + ", expected " + d
                    + " (the dimension of x)");
        }
        Arguments.finite("theta", theta);
        if (theta.length == 0 || theta.length % d != 0) {
            throw new IllegalArgumentException("theta must hold a positive multiple of d = " + d
                    + " entries, got " + theta.length);
        }
        int count = theta.length / d;
        double p = options.p;
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        double[] a = x.weights();
        double[] b = y.weights();
        int n = x.size();
        int m = y.size();
        double[] values = new double[count];
        // equal sizes and uniform weights: the monotone coupling matches the i-th smallest atoms (B9), so a
        // primitive sort of each projection suffices
        boolean sorted = n == m && x.isUniform() && y.isUniform();
        Chunks.Body body = (chunk, start, end) -> {
            double[] px = new double[n];
            double[] py = new double[m];
            for (int l = start; l < end; l++) {
                project(xs, theta, l, d, px);
                project(ys, theta, l, d, py);
                values[l] = sorted ? sortedPowerP(px, py, p) : OneDimensionalOt.cost(px, a, py, b, p);
            }
        };
        int chunkRows = Math.max(1, (count + 63) / 64);
        long perDirection = 20L * (n + m) * (d + 1);
        if (options.parallel) {
            Chunks.forEach(count, chunkRows, perDirection, body);
        } else {
            for (int c = 0; c < Chunks.count(count, chunkRows); c++) {
                body.run(c, c * chunkRows, Math.min(count, (c + 1) * chunkRows));
            }
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / count;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double se = count > 1 ? Math.sqrt(squares / (count - 1) / count) : 0.0;
        double distance = p == 1.0 ? mean : p == 2.0 ? Math.sqrt(mean) : Math.pow(mean, 1.0 / p);
        return new SlicedResult(mean, distance, se, count, values);
    }

    /** \( \frac1n\sum_i |x_{(i)} - y_{(i)}|^p \) for equal-size uniform measures; sorts both arrays in place. */
    private static double sortedPowerP(double[] x, double[] y, double p) {
        java.util.Arrays.sort(x);
        java.util.Arrays.sort(y);
        double s = 0;
        boolean square = p == 2.0;
        for (int i = 0; i < x.length; i++) {
            double diff = Math.abs(x[i] - y[i]);
            s += square ? diff * diff : p == 1.0 ? diff : Math.pow(diff, p);
        }
        return s / x.length;
    }

    private static void project(double[] points, double[] theta, int l, int d, double[] out) {
        int t = l * d;
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            int base = i * d;
            for (int k = 0; k < d; k++) {
                s += points[base + k] * theta[t + k];
            }
            out[i] = s;
        }
    }

    /**
     * Immutable configuration of {@link SlicedWasserstein}. Defaults: {@code directions = 100} (\( L \)),
     * {@code p = 2}, {@code seed = 0}, {@code parallel = true} (identical results either way).
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        int directions = 100;
        double p = 2.0;
        long seed = 0L;
        boolean parallel = true;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
            o.directions = directions;
            o.p = p;
            o.seed = seed;
            o.parallel = parallel;
            return o;
        }

        /** The number \( L > 0 \) of random directions. */
        public Options directions(int count) {
            Options o = copy();
            o.directions = Arguments.positive("directions", count);
            return o;
        }

        /** The exponent \( p \ge 1 \) of the cost \( |s - t|^p \) on the line. */
        public Options p(double p) {
            if (!(p >= 1) || !Double.isFinite(p)) {
                throw new IllegalArgumentException("p must be finite and >= 1, got " + p);
            }
            Options o = copy();
            o.p = p;
            return o;
        }

        /** The seed of the directions. */
        public Options seed(long seed) {
            Options o = copy();
            o.seed = seed;
            return o;
        }

        /** Allows ({@code true}, default) or forbids parallel chunks of directions; the bits are the same. */
        public Options parallel(boolean on) {
            Options o = copy();
            o.parallel = on;
            return o;
        }

        /** An estimator with these options. */
        public SlicedWasserstein build() {
            return new SlicedWasserstein(this);
        }

        /** \( L \). */
        public int directions() {
            return directions;
        }

        /** \( p \). */
        public double p() {
            return p;
        }

        /** The seed. */
        public long seed() {
            return seed;
        }

        /** Whether parallel chunks are allowed. */
        public boolean parallel() {
            return parallel;
        }

        @Override
        public String toString() {
            return "SlicedWasserstein.Options[directions=" + directions + ", p=" + p + ", seed=" + seed
                    + ", parallel=" + parallel + "]";
        }
    }
}
