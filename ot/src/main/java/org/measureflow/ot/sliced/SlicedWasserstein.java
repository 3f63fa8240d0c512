package org.measureflow.ot.sliced;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.ot.exact.OneDimensionalOt;

/**
 * The sliced Wasserstein distance between two weighted point clouds \( \mu = \sum_i a_i\delta_{x_i} \),
 * \( \nu = \sum_j b_j \delta_{y_j} \) in \( \mathbb R^d \) (Rabin, Peyr&eacute;, Delon, Bernot 2011):
 * \[ SW_p^p(\mu,\nu) = \int_{S^{d-1}} W_p^p(\theta\sharp\mu, \theta\sharp\nu)\,d\sigma(\theta), \qquad
 *    \theta\sharp\mu = \sum_i a_i \delta_{\langle\theta, x_i\rangle}, \]
 * with \( \sigma \) the uniform measure on the sphere, estimated by Monte Carlo over \( L \) random directions,
 * \( \widehat{SW}_p^p = \frac1L\sum_l W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \) (unbiased, standard error
 * \( O(L^{-1/2}) \), reported). Each one-dimensional term is exact: the quantile formula
 * \( W_p^p = \int_0^1 |F^{-1}_{\theta\sharp\mu} - F^{-1}_{\theta\sharp\nu}|^p \) by sorting
 * ({@link OneDimensionalOt}; docs/closed-forms.md CF-11), in \( O((n+m)\log(n+m)) \) per direction; for two uniform
 * measures of the same size it is \( \frac1n\sum_i |x_{(i)} - y_{(i)}|^p \) over the sorted projections. In dimension 1 every
 * direction is \( \pm 1 \) and \( SW_p = W_p \).
 *
 * <p>Directions are normalised standard Gaussian vectors \( \theta = G/|G| \) (uniform on the sphere by rotation
 * invariance), drawn from the caller's generator in order before any work starts ({@link #randomDirections}), so the
 * result depends only on the generator's state: {@code distance(x, y, new SplittableRandom(seed))} is reproducible.
 * The directions are processed in fixed chunks ({@link Chunks}), optionally in parallel, and the per-direction
 * costs are summed in direction order: parallel and serial runs give identical bits.
 *
 * <p>Names: {@code cost} is \( \widehat{SW}_p^p \) (the mean of the one-dimensional transport costs),
 * {@code distance} the metric \( \widehat{SW}_p \).
 *
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>\( L = \) {@value #DEFAULT_DIRECTIONS} directions ({@link #withDirections(int)});</li>
 * <li>exponent \( p = \) {@value #DEFAULT_P} ({@link #withP(double)});</li>
 * <li>parallel chunks allowed ({@link #withParallel(boolean)}; the bits are the same either way).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class SlicedWasserstein {
    /** Default number of random directions: {@value}. */
    public static final int DEFAULT_DIRECTIONS = 100;
    /** Default exponent: {@value}. */
    public static final double DEFAULT_P = 2.0;

    private final int directions;
    private final double p;
    private final boolean parallel;

    private SlicedWasserstein(int directions, double p, boolean parallel) {
        this.directions = directions;
        this.p = p;
        this.parallel = parallel;
    }

    /** The estimator with the defaults listed in the class documentation. */
    public static SlicedWasserstein withDefaults() {
        return new SlicedWasserstein(DEFAULT_DIRECTIONS, DEFAULT_P, true);
    }

    /**
     * This estimator with another number \( L \) of random directions.
     *
     * @param directions {@code > 0}
     * @return a new estimator; this one is unchanged
     * @throws IllegalArgumentException if {@code directions <= 0}
     */
    public SlicedWasserstein withDirections(int directions) {
        return new SlicedWasserstein(Arguments.positive("directions", directions), p, parallel);
    }

    /**
     * This estimator with another exponent \( p \) of the cost \( |s - t|^p \) on the line (the monotone coupling is
     * optimal only for convex costs).
     *
     * @param p finite and {@code >= 1}
     * @return a new estimator; this one is unchanged
     * @throws IllegalArgumentException if {@code p} is not finite and {@code >= 1}
     */
    public SlicedWasserstein withP(double p) {
        return new SlicedWasserstein(directions, Arguments.atLeast("p", p, 1.0), parallel);
    }

    /**
     * This estimator with parallel chunks of directions allowed ({@code true}) or forbidden; the bits are the same.
     *
     * @param parallel whether chunks may run on the common pool
     * @return a new estimator; this one is unchanged
     */
    public SlicedWasserstein withParallel(boolean parallel) {
        return new SlicedWasserstein(directions, p, parallel);
    }

    /** The number \( L \) of random directions. */
    public int directions() {
        return directions;
    }

    /** The exponent \( p \). */
    public double p() {
        return p;
    }

    /** Whether parallel chunks are allowed. */
    public boolean parallel() {
        return parallel;
    }

    /**
     * \( L \) = {@code count} directions uniform on \( S^{d-1} \): normalised standard Gaussian vectors, drawn in order
     * from {@code rng} (\( d \) Gaussians each), row-major {@code count * d}.
     *
     * @throws IllegalArgumentException unless {@code count > 0}, {@code d > 0} and {@code rng} is not null
     */
    public static double[] randomDirections(int count, int d, RandomGenerator rng) {
        Arguments.positive("count", count);
        Arguments.positive("d", d);
        Arguments.notNull("rng", rng);
        double[] theta = new double[Arguments.product("count * d", count, d)];
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
     * The estimate of \( SW_p \) between two point clouds of the same dimension over {@link #directions()} random
     * directions drawn from {@code rng} ({@link #randomDirections}).
     *
     * @throws IllegalArgumentException if an argument is null or the dimensions differ
     */
    public SlicedWassersteinResult distance(ParticleMeasure x, ParticleMeasure y, RandomGenerator rng) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.sameDimension("y", y.dimension(), x.dimension(), "x");
        Arguments.notNull("rng", rng);
        return distance(x, y, randomDirections(directions, x.dimension(), rng));
    }

    /**
     * The estimate of \( SW_p \) over the given directions (row-major {@code L * d}; each row is used as given, so
     * pass unit vectors); {@link #directions()} is not used.
     *
     * @throws IllegalArgumentException if a measure is null, the dimensions differ, or {@code theta} is not a
     *                                  non-empty finite array of a multiple of {@code d} entries
     */
    public SlicedWassersteinResult distance(ParticleMeasure x, ParticleMeasure y, double[] theta) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        int d = x.dimension();
        Arguments.sameDimension("y", y.dimension(), d, "x");
        Arguments.nonEmpty("theta", Arguments.finite("theta", theta));
        if (theta.length % d != 0) {
            // no Arguments rule for "a multiple of"
            throw new IllegalArgumentException("theta must hold a positive multiple of d = " + d
                    + " entries, got " + theta.length);
        }
        int count = theta.length / d;
        double[] costs = projectedCosts(x, y, theta, count);
        double sum = 0;
        for (double v : costs) {
            sum += v;
        }
        double mean = sum / count;
        double squares = 0;
        for (double v : costs) {
            squares += (v - mean) * (v - mean);
        }
        double se = count > 1 ? Math.sqrt(squares / (count - 1) / count) : 0.0;
        if (!(mean >= Double.MIN_NORMAL && mean < Double.POSITIVE_INFINITY && se < Double.POSITIVE_INFINITY)) {
            // W_p^p left the normal double range (large p, or points very far apart or very close)
            return rescaled(x, y, theta, count);
        }
        double distance = p == 1.0 ? mean : p == 2.0 ? Math.sqrt(mean) : Math.pow(mean, 1.0 / p);
        return new SlicedWassersteinResult(mean, distance, se, count, costs);
    }

    /**
     * The estimate where the \( p \)-th powers leave the double range: each direction's \( W_p \) comes from
     * {@link OneDimensionalOt#distance(double[], double[], double[], double[], double)} (which factors out the largest
     * gap), and with \( G = \max_l W_p(\theta_l) \),
     * \( \widehat{SW}_p = G \bigl(\frac1L \sum_l (W_p(\theta_l)/G)^p\bigr)^{1/p} \), always finite. The cost, the
     * per-direction costs and the standard error are the \( p \)-th powers, {@code +Infinity} where they exceed the
     * double range (see {@link SlicedWassersteinResult}). Serial: a fallback, not a hot path.
     */
    private SlicedWassersteinResult rescaled(ParticleMeasure x, ParticleMeasure y, double[] theta, int count) {
        int d = x.dimension();
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        double[] a = x.weights();
        double[] b = y.weights();
        double[] px = new double[x.size()];
        double[] py = new double[y.size()];
        double[] w = new double[count];
        double g = 0;
        double shrink = 0.5 / d;
        for (int l = 0; l < count; l++) {
            projectScaled(xs, theta, l, d, shrink, px);
            projectScaled(ys, theta, l, d, shrink, py);
            w[l] = OneDimensionalOt.distance(px, a, py, b, p) / shrink;
            g = Math.max(g, w[l]);
        }
        Arguments.finiteResult("x and y", "the sliced distance", g);
        double[] costs = new double[count];
        if (g == 0) {
            return new SlicedWassersteinResult(0, 0, 0, count, costs);
        }
        double[] u = new double[count];
        double mean = 0;
        for (int l = 0; l < count; l++) {
            u[l] = Math.pow(w[l] / g, p);
            mean += u[l];
            costs[l] = Math.pow(w[l], p);
        }
        mean /= count;
        double squares = 0;
        for (double v : u) {
            squares += (v - mean) * (v - mean);
        }
        double seScaled = count > 1 ? Math.sqrt(squares / (count - 1) / count) : 0.0;
        double distance = g * Math.pow(mean, 1.0 / p);
        double se = seScaled == 0 ? 0 : Math.pow(g * Math.pow(seScaled, 1.0 / p), p);
        return new SlicedWassersteinResult(Math.pow(distance, p), distance, se, count, costs);
    }

    /**
     * The projections \( s \langle \theta_l, x_i \rangle \) with the factor \( s = 1/(2d) \) applied to each term:
     * for directions with entries at most 1 in magnitude no partial sum can overflow.
     *
     * @throws IllegalArgumentException naming {@code theta} if a projection still overflows (directions far from unit
     *                                  length)
     */
    private static void projectScaled(double[] points, double[] theta, int l, int d, double shrink, double[] out) {
        int t = l * d;
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            int base = i * d;
            for (int k = 0; k < d; k++) {
                s += shrink * points[base + k] * theta[t + k];
            }
            out[i] = Arguments.finiteResult("theta", "a projection <theta_l, x_i>", s);
        }
    }

    /** \( W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \) for each of the {@code count} directions, in fixed chunks. */
    private double[] projectedCosts(ParticleMeasure x, ParticleMeasure y, double[] theta, int count) {
        int d = x.dimension();
        double exponent = p;
        double[] xs = x.flatPoints();
        double[] ys = y.flatPoints();
        double[] a = x.weights();
        double[] b = y.weights();
        int n = x.size();
        int m = y.size();
        double[] values = new double[count];
        // equal sizes and uniform weights: the monotone coupling matches the i-th smallest atoms (docs/closed-forms.md CF-11), so a
        // primitive sort of each projection suffices
        boolean sorted = n == m && x.isUniform() && y.isUniform();
        Chunks.Body body = (chunk, start, end) -> {
            double[] px = new double[n];
            double[] py = new double[m];
            for (int l = start; l < end; l++) {
                project(xs, theta, l, d, px);
                project(ys, theta, l, d, py);
                values[l] = sorted ? sortedPowerP(px, py, exponent) : OneDimensionalOt.cost(px, a, py, b, exponent);
            }
        };
        int chunkRows = Math.max(1, (count + 63) / 64);
        long perDirection = 20L * (n + m) * (d + 1);
        if (parallel) {
            Chunks.forEach(count, chunkRows, perDirection, body);
        } else {
            for (int c = 0; c < Chunks.count(count, chunkRows); c++) {
                body.run(c, c * chunkRows, Math.min(count, (c + 1) * chunkRows));
            }
        }
        return values;
    }

    /** \( \frac1n\sum_i |x_{(i)} - y_{(i)}|^p \) for equal-size uniform measures; sorts both arrays in place. */
    private static double sortedPowerP(double[] x, double[] y, double p) {
        Arrays.sort(x);
        Arrays.sort(y);
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

    @Override
    public String toString() {
        return "SlicedWasserstein[directions=" + directions + ", p=" + p + ", parallel=" + parallel + "]";
    }
}
