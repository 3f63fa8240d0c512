package org.measureflow.core.measure;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;

/**
 * A source of independent points \( x \sim \mu \) in \( \mathbb{R}^d \): the latent and data laws of flow matching,
 * the source density of semi-discrete SGD, the initial laws of particle flows. Every random number comes from the
 * caller's generator (same generator state, same points) and a sampler keeps no mutable state, so one sampler can
 * serve several threads with separate generators.
 *
 * <p>Factories: a {@link GaussianMeasure} is itself a sampler; {@link #of(ParticleMeasure)} resamples a weighted point
 * cloud, {@link #of(GridDensity)} draws from a piecewise-constant density, {@link #uniform(double[], double[])} from a
 * box.
 */
public interface PointSampler {
    /** The dimension \( d \). */
    int dimension();

    /**
     * Writes {@code n} independent points, row-major, into {@code out[0 .. n*d - 1]}.
     *
     * @param n   number of points, {@code >= 0}
     * @param rng the source of randomness
     * @param out receives the points; length at least {@code n * d}
     */
    void sample(int n, RandomGenerator rng, double[] out);

    /**
     * {@code n} independent points as a uniform {@link ParticleMeasure}.
     *
     * @param n   number of points, {@code > 0}
     * @param rng the source of randomness
     * @return the points
     * @throws IllegalArgumentException if {@code n <= 0}, {@code rng} is null or {@code n * d} overflows an array
     */
    default ParticleMeasure sample(int n, RandomGenerator rng) {
        Arguments.positive("n", n);
        Arguments.notNull("rng", rng);
        double[] out = new double[Arguments.product("n * d", n, dimension())];
        sample(n, rng, out);
        return ParticleMeasure.fromFlat(out, dimension());
    }

    /**
     * A Gaussian law as a sampler: the measure itself ({@link GaussianMeasure} implements this interface).
     *
     * @param gaussian the law
     * @return {@code gaussian}
     * @throws IllegalArgumentException if {@code gaussian} is null
     */
    static PointSampler of(GaussianMeasure gaussian) {
        return Arguments.notNull("gaussian", gaussian);
    }

    /**
     * Resampling of a weighted point cloud: each draw picks point \( i \) with probability \( w_i \) (one
     * {@code nextInt} for uniform weights, one {@code nextDouble} and a binary search in the cumulative weights
     * otherwise).
     *
     * @param data the cloud
     * @return the sampler
     * @throws IllegalArgumentException if {@code data} is null
     */
    static PointSampler of(ParticleMeasure data) {
        Arguments.notNull("data", data);
        int d = data.dimension();
        int n = data.size();
        double[] points = data.flatPoints();
        double[] cumulative;
        if (data.isUniform()) {
            cumulative = null;
        } else {
            cumulative = new double[n];
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += data.weight(i);
                cumulative[i] = s;
            }
        }
        return new PointSampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(int count, RandomGenerator rng, double[] out) {
                for (int k = 0; k < count; k++) {
                    int i = cumulative == null ? rng.nextInt(n)
                            : search(cumulative, rng.nextDouble() * cumulative[n - 1]);
                    System.arraycopy(points, i * d, out, k * d, d);
                }
            }

            @Override
            public String toString() {
                return "PointSampler[resampling " + data + "]";
            }
        };
    }

    /**
     * The uniform density on the box \( \prod_k [lo_k, hi_k] \).
     *
     * @param lower the lower corner
     * @param upper the upper corner
     * @return the sampler
     * @throws IllegalArgumentException if the arrays are null, empty, of different lengths or not finite, or some
     *                                  {@code lower[k] >= upper[k]}, or a width {@code upper[k] - lower[k]}
     *                                  overflows
     */
    static PointSampler uniform(double[] lower, double[] upper) {
        Arguments.nonEmpty("lower", Arguments.finite("lower", lower));
        Arguments.length("upper", Arguments.finite("upper", upper).length, lower.length);
        double[] lo = lower.clone();
        double[] width = new double[lo.length];
        for (int k = 0; k < lo.length; k++) {
            if (!(lower[k] < upper[k])) {
                throw new IllegalArgumentException("lower[" + k + "] must be < upper[" + k + "], got " + lower[k]
                        + " and " + upper[k]);
            }
            width[k] = Arguments.finiteResult("upper[" + k + "]", "the width upper[" + k + "] - lower[" + k + "]",
                    upper[k] - lower[k]);
        }
        int d = lo.length;
        return new PointSampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(int n, RandomGenerator rng, double[] out) {
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < d; k++) {
                        out[i * d + k] = lo[k] + width[k] * rng.nextDouble();
                    }
                }
            }

            @Override
            public String toString() {
                return "PointSampler[uniform on a box in dimension " + d + "]";
            }
        };
    }

    /**
     * The piecewise-constant density of a {@link GridDensity} (normalised): a cell is drawn with probability
     * \( \rho_c |\Delta| / M \) (binary search in the cumulative masses), then a uniform point in it.
     *
     * @param density the density
     * @return the sampler
     * @throws IllegalArgumentException if {@code density} is null or has zero mass
     */
    static PointSampler of(GridDensity density) {
        Arguments.notNull("density", density);
        double total = density.mass();
        if (!(total > 0)) {
            throw new IllegalArgumentException("density must have positive mass, got " + total);
        }
        GridDensity.Grid g = density.grid();
        int d = g.dimension();
        double[] v = density.values();
        double[] cdf = new double[v.length];
        double s = 0;
        for (int c = 0; c < v.length; c++) {
            s += v[c];
            cdf[c] = s;
        }
        for (int c = 0; c < v.length; c++) {
            cdf[c] /= s;
        }
        int[] cells = new int[d];
        double[] lo = new double[d];
        double[] h = new double[d];
        for (int k = 0; k < d; k++) {
            cells[k] = g.cells(k);
            lo[k] = g.lower(k);
            h[k] = g.cellSize(k);
        }
        return new PointSampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(int n, RandomGenerator rng, double[] out) {
                for (int i = 0; i < n; i++) {
                    int c = search(cdf, rng.nextDouble());
                    for (int k = d - 1; k >= 0; k--) {
                        int cell = c % cells[k];
                        c /= cells[k];
                        out[i * d + k] = lo[k] + (cell + rng.nextDouble()) * h[k];
                    }
                }
            }

            @Override
            public String toString() {
                return "PointSampler[" + density + "]";
            }
        };
    }

    /** The first index {@code i} with {@code cumulative[i] > u} (the last index if there is none). */
    private static int search(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
