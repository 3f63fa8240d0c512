package org.measureflow.testing;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Seeded generators of hostile-but-typed inputs for API fuzz tests ({@link ApiFuzz}): each method draws, from the
 * caller's generator only, an ordinary value most of the time and otherwise one of the values that break naive
 * numerical code: {@code NaN}, \( \pm\infty \), \( 0 \), \( -0 \), negative numbers, {@link Double#MIN_VALUE},
 * magnitudes near the ends of the double range (\( 10^{\pm 160} \), whose squares leave it, and
 * \( 10^{\pm 300} \)), wrong lengths, mismatched dimensions, empty arrays and {@code null}. The same generator state
 * gives the same inputs.
 *
 * <p>The probability of a hostile draw is fixed per instance ({@link #of(RandomGenerator)}: 1/4), so that a call with
 * several arguments is often entirely ordinary (reaching the solver) and often hostile in one argument (reaching
 * the checks).
 */
public final class Hostile {
    /** Scalars that break naive numerical code. */
    public static final double[] SCALARS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1e-160, 1e160, 1e300, -1e300,
        Double.MAX_VALUE, -Double.MAX_VALUE};
    /** Coordinate scales: ordinary, and near the ends of the double range (squares of 1e160 overflow). */
    public static final double[] SCALES = {1e-300, 1e-160, 1e-150, 1e150, 1e154, 1e160, 1e300};
    /** Sizes that break naive size arithmetic ({@code 65536 * 65537} overflows an {@code int}). */
    public static final int[] SIZES = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, 65537, 1 << 20};

    private final RandomGenerator rng;
    private final double hostility;

    private Hostile(RandomGenerator rng, double hostility) {
        this.rng = rng;
        this.hostility = hostility;
    }

    /** Draws from {@code rng}, hostile with probability 1/4 per draw. */
    public static Hostile of(RandomGenerator rng) {
        return new Hostile(rng, 0.25);
    }

    /** Draws from {@code rng}, hostile with probability {@code hostility} per draw. */
    public static Hostile of(RandomGenerator rng, double hostility) {
        return new Hostile(rng, hostility);
    }

    /** The generator all draws come from. */
    public RandomGenerator rng() {
        return rng;
    }

    /** Whether this draw is hostile (probability {@link #of(RandomGenerator, double) hostility}). */
    public boolean hostile() {
        return rng.nextDouble() < hostility;
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    public final <T> T choose(T... values) {
        return values[rng.nextInt(values.length)];
    }

    /** One of {@code values}, uniformly. */
    public double pick(double... values) {
        return values[rng.nextInt(values.length)];
    }

    /** One of {@code values}, uniformly. */
    public int pick(int... values) {
        return values[rng.nextInt(values.length)];
    }

    /** One of the {@link #SCALARS}. */
    public double hostileScalar() {
        return pick(SCALARS);
    }

    /** {@code ordinary}, or (when hostile) {@code null}. */
    public <T> T orNull(T ordinary) {
        return chance(hostility / 4) ? null : ordinary;
    }

    /** A value drawn log-uniformly in {@code [typical / 4, 4 typical]}, or (when hostile) a hostile scalar. */
    public double scalar(double typical) {
        return hostile() ? hostileScalar() : typical * Math.exp(rng.nextDouble(-Math.log(4), Math.log(4)));
    }

    /** A value uniform in {@code [lo, hi]}, or (when hostile) a hostile scalar. */
    public double uniform(double lo, double hi) {
        return hostile() ? hostileScalar() : rng.nextDouble(lo, hi);
    }

    /** A size uniform in {@code [1, typical]}, or (when hostile) one of the {@link #SIZES}. */
    public int size(int typical) {
        return hostile() ? pick(SIZES) : 1 + rng.nextInt(typical);
    }

    /** A count uniform in {@code [lo, hi]}, or (when hostile) 0 or a negative count. */
    public long count(long lo, long hi) {
        return hostile() ? choose(0L, -1L, Long.MIN_VALUE) : rng.nextLong(lo, hi + 1);
    }

    /** The scale of a coordinate set: 1, or (when hostile) one of the {@link #SCALES}. */
    public double scale() {
        return hostile() ? pick(SCALES) : 1.0;
    }

    /**
     * {@code count} standard normal numbers times {@link #scale()}, sometimes shifted by {@code 1e160} or
     * {@code -1e300}; when hostile, also one entry replaced by a hostile scalar, a wrong length ({@code count + 1}),
     * an empty array or {@code null}.
     */
    public double[] numbers(int count) {
        if (hostile()) {
            int kind = rng.nextInt(4);
            if (kind == 0) {
                return null;
            }
            if (kind == 1) {
                return new double[0];
            }
            if (kind == 2) {
                count = Math.max(0, count) + 1;
            } else {
                double[] v = plain(count);
                if (v.length > 0) {
                    v[rng.nextInt(v.length)] = hostileScalar();
                }
                return v;
            }
        }
        return plain(count);
    }

    /** Like {@link #numbers(int)} but never {@code null}, empty, of the wrong length or with a hostile entry. */
    public double[] plain(int count) {
        double s = scale();
        double shift = hostile() ? pick(1e160, -1e300, 1e300) : 0.0;
        double[] v = new double[Math.max(0, count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + s * rng.nextGaussian();
        }
        return v;
    }

    /**
     * {@code n} non-negative weights (uniform in {@code [0.1, 1)}), or when hostile: a zero, negative, NaN or infinite
     * entry, all zeros, every entry {@code 1e308} (the sum overflows), {@link Double#MIN_VALUE} entries (the sum
     * underflows to a tiny number), a wrong length, empty or {@code null}.
     */
    public double[] weights(int n) {
        n = Math.max(0, n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextDouble(0.1, 1.0);
        }
        if (!hostile() || n == 0) {
            return w;
        }
        switch (rng.nextInt(8)) {
            case 0:
                w[rng.nextInt(n)] = pick(0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, -0.0);
                return w;
            case 1:
                return new double[n];
            case 2:
                java.util.Arrays.fill(w, 1e308);
                return w;
            case 3:
                java.util.Arrays.fill(w, Double.MIN_VALUE);
                return w;
            case 4:
                return new double[n + 1];
            case 5:
                return new double[0];
            case 6:
                return null;
            default:
                w[rng.nextInt(n)] = 0.0;
                return w;
        }
    }

    /**
     * A probability vector of length {@code n} (positive weights divided by their sum), or when hostile one that does
     * not sum to 1, has a bad entry, the wrong length, or is {@code null}.
     */
    public double[] histogram(int n) {
        boolean bad = hostile();
        double[] w = weights(n);
        if (w == null || bad) {
            return w;
        }
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /**
     * A point cloud of {@code n} points in dimension {@code d} with {@link #plain(int) plain} coordinates (so at a
     * hostile scale or shift now and then) and uniform or hostile {@link #weights(int) weights} (never {@code null}:
     * pass it through {@link #orNull(Object)} where a null argument is wanted). The measure's own checks may reject the drawn arrays: the {@link IllegalArgumentException} then names
     * {@code points}, {@code weights}, {@code flat} or {@code d}.
     */
    public ParticleMeasure cloud(int n, int d) {
        double[] flat = plain(Math.max(0, n) * Math.max(1, d));
        double[] w = chance(0.5) ? null : weights(n);
        return ParticleMeasure.fromFlat(flat, d, w);
    }

    /** A {@code rows x cols} matrix of standard normals times {@link #scale()}, or a hostile entry now and then. */
    public DMatrixRMaj matrix(int rows, int cols) {
        double[] v = numbers(rows * cols);
        if (v == null || v.length != rows * cols) {
            return chance(0.5) ? null : new DMatrixRMaj(rows + 1, cols);
        }
        return DMatrixRMaj.wrap(rows, cols, v);
    }

    /**
     * A symmetric positive definite {@code d x d} matrix \( s (G G^\top / d + I/2) \) with \( s \) from
     * {@link #scale()}, or when hostile: not symmetric, singular, with a NaN entry, of the wrong shape, or
     * {@code null}.
     */
    public DMatrixRMaj spd(int d) {
        double s = scale();
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        for (int i = 0; i < d * d; i++) {
            g.data[i] = rng.nextGaussian();
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int k = 0; k < d; k++) {
                    v += g.get(i, k) * g.get(j, k);
                }
                out.set(i, j, s * (v / d + (i == j ? 0.5 : 0)));
            }
        }
        if (!hostile()) {
            return out;
        }
        switch (rng.nextInt(5)) {
            case 0:
                if (d > 1) {
                    out.set(0, 1, out.get(0, 1) + s);
                }
                return out;
            case 1:
                out.zero();
                return out;
            case 2:
                out.set(rng.nextInt(d), rng.nextInt(d), hostileScalar());
                return out;
            case 3:
                return new DMatrixRMaj(d + 1, d + 1);
            default:
                return null;
        }
    }

    /**
     * A Gaussian measure of dimension {@code d} with {@link #plain(int) plain} mean and {@link #spd(int)}
     * covariance (never {@code null}). Its factory may reject the drawn arrays (naming {@code mean} or
     * {@code covariance}).
     */
    public GaussianMeasure gaussian(int d) {
        return GaussianMeasure.of(plain(d), spd(d));
    }

    /**
     * A 1-D, 2-D or 3-D grid on a box of side about 1 (or at a hostile scale and shift) with at most {@code cells}
     * cells per axis; when hostile, a reversed or empty interval, a non-positive cell count, or more cells than an
     * array holds. The factory may reject these (naming {@code lo}, {@code hi} or {@code cells}). The draws for
     * dimensions 1 and 2 do not depend on the 3-D branch.
     */
    public GridDensity.Grid grid(int dimension, int cells) {
        double s = scale();
        double shift = hostile() ? pick(1e160, -1e300) : 0.0;
        double lo = shift - s * rng.nextDouble(0.5, 1.5);
        double hi = hostile() ? pick(lo, lo - s, Double.NaN, shift + 1e308) : shift + s * rng.nextDouble(0.5, 1.5);
        int nx = hostile() ? pick(0, -1, Integer.MAX_VALUE) : 2 + rng.nextInt(Math.max(1, cells - 1));
        if (dimension == 1) {
            return GridDensity.Grid.of1d(lo, hi, nx);
        }
        int ny = 2 + rng.nextInt(Math.max(1, cells - 1));
        if (hostile()) {
            // 65536 * 65536 cells overflow an int; 0 is empty
            ny = pick(0, 1 << 16);
            nx = ny == 0 ? nx : 1 << 16;
        }
        if (dimension == 3) {
            int nz = 2 + rng.nextInt(Math.max(1, cells - 1));
            if (hostile()) {
                // 1024 * 1024 * 4096 cells overflow an int although each pair fits; 0 is empty
                nz = pick(0, 1 << 12);
                if (nz != 0) {
                    nx = 1 << 10;
                    ny = 1 << 10;
                }
            }
            return GridDensity.Grid.of3d(lo, hi, nx, shift - s, shift + s, ny, shift - 2 * s, shift + s, nz);
        }
        return GridDensity.Grid.of2d(lo, hi, nx, shift - s, shift + s, ny);
    }

    /**
     * A density on {@code grid} with positive values (a bump plus a floor), or when hostile: a zero, negative, NaN or
     * \( 10^{308} \) entry, all zeros, or the wrong length. The factory may reject these (naming {@code values}).
     */
    public GridDensity density(GridDensity.Grid grid) {
        if (grid == null) {
            return null;
        }
        int size = grid.size();
        if (size > 1 << 20) {
            return GridDensity.of(grid, new double[1]); // a huge grid: the wrong length, not 8 GB of values
        }
        double[] v = new double[size];
        for (int c = 0; c < size; c++) {
            v[c] = 0.05 + rng.nextDouble();
        }
        if (hostile()) {
            switch (rng.nextInt(5)) {
                case 0:
                    v[rng.nextInt(size)] = pick(-1.0, Double.NaN, Double.POSITIVE_INFINITY);
                    break;
                case 1:
                    v = new double[size];
                    break;
                case 2:
                    java.util.Arrays.fill(v, 1e308);
                    break;
                case 3:
                    v[rng.nextInt(size)] = Double.MIN_VALUE;
                    java.util.Arrays.fill(v, 0, size / 2, 0.0);
                    break;
                default:
                    v = new double[size + 1];
                    break;
            }
        }
        return GridDensity.of(grid, v);
    }
}
