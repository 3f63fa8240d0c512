package org.measureflow.core.measure;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.parallel.Chunks;

/**
 * A discrete probability measure \( \mu = \sum_{i=1}^n w_i \delta_{x_i} \) on \( \mathbb{R}^d \): the Lagrangian
 * (particle) view of a measure, transported by push-forward \( T_\sharp \mu = \sum_i w_i \delta_{T(x_i)} \)
 * (survey eq. 1).
 *
 * <p>Immutable. The points are stored row-major in one {@code double[]} of length {@code n * d}; the weights are
 * normalised to sum to 1, and uniform weights \( w_i = 1/n \) are stored as no array at all. Every accessor that
 * returns an array returns a copy. Reductions over particles ({@link #mean()}, {@link #covariance()}) run over fixed
 * chunks, in parallel for large {@code n}, and give the same bits as a serial run.
 */
public final class ParticleMeasure {
    private static final int CHUNK = 4096;

    private final double[] points;
    private final double[] weights; // null: uniform
    private final int n;
    private final int d;

    private ParticleMeasure(double[] points, double[] weights, int n, int d) {
        this.points = points;
        this.weights = weights;
        this.n = n;
        this.d = d;
    }

    /**
     * The uniform measure \( \frac1n \sum_i \delta_{x_i} \) on the rows of {@code points}.
     *
     * @throws IllegalArgumentException if {@code points} is empty, ragged, or holds non-finite values
     */
    public static ParticleMeasure of(double[][] points) {
        return of(points, null);
    }

    /**
     * The measure \( \sum_i w_i \delta_{x_i} \) with {@code weights} normalised by their sum (weights are relative:
     * when their sum overflows, every weight near {@code 1e308}, they are divided by the largest one first).
     *
     * @param points  one point per row, all of the same length {@code d >= 1}
     * @param weights non-negative finite weights with a positive sum, one per point, or {@code null} for uniform
     * @throws IllegalArgumentException on empty or ragged points, non-finite coordinates, or bad weights
     */
    public static ParticleMeasure of(double[][] points, double[] weights) {
        Arguments.notNull("points", points);
        if (points.length == 0) {
            throw new IllegalArgumentException("points must not be empty");
        }
        Arguments.notNull("points[0]", points[0]);
        int d = points[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("points[0] must have dimension >= 1, got 0");
        }
        double[] flat = new double[Arguments.product("points (n * d)", points.length, d)];
        for (int i = 0; i < points.length; i++) {
            Arguments.notNull("points[" + i + "]", points[i]);
            if (points[i].length != d) {
                throw new IllegalArgumentException("points[" + i + "] has dimension " + points[i].length
                        + ", expected " + d + " (the dimension of points[0])");
            }
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return create(flat, d, weights);
    }

    /**
     * The uniform measure on the points stored row-major in {@code flat} (length {@code n * d}); the array is
     * copied.
     */
    public static ParticleMeasure fromFlat(double[] flat, int d) {
        return fromFlat(flat, d, null);
    }

    /**
     * The weighted measure on the points stored row-major in {@code flat} (length {@code n * d}), weights
     * normalised by their sum ({@code null} for uniform). Both arrays are copied.
     */
    public static ParticleMeasure fromFlat(double[] flat, int d, double[] weights) {
        Arguments.notNull("flat", flat);
        return create(flat.clone(), d, weights);
    }

    /**
     * The weighted measure on the points stored row-major in {@code flat}, with weights that are already normalised
     * kept bit for bit (not divided by their sum again, which could move a weight by an ulp): for weights read back
     * from a file that saved a measure's {@link #weights()}, so that the measure read is the one saved.
     *
     * @param flat    {@code n * d} coordinates, row-major (copied)
     * @param d       the dimension
     * @param weights finite non-negative weights, one per point, whose sum \( s \) satisfies
     *                \( |s - 1| \le n\, 2^{-52} \) (twice the rounding bound \( (n-1)\, 2^{-53} \) of a sum of
     *                \( n \) terms that add up to 1); copied
     * @return the measure
     * @throws IllegalArgumentException on empty or non-finite points, or weights of the wrong length, negative,
     *                                  non-finite or not normalised
     */
    public static ParticleMeasure fromFlatNormalised(double[] flat, int d, double[] weights) {
        Arguments.notNull("flat", flat);
        Arguments.notNull("weights", weights);
        ParticleMeasure uniform = create(flat.clone(), d, null);
        Arguments.length("weights", weights.length, uniform.n);
        double sum = Arguments.weights("weights", weights);
        if (!(Math.abs(sum - 1) <= uniform.n * 0x1p-52)) {
            throw new IllegalArgumentException("weights must sum to 1 within n * 2^-52 = " + uniform.n * 0x1p-52
                    + " (already normalised), got a sum of " + sum);
        }
        return new ParticleMeasure(uniform.points, weights.clone(), uniform.n, d);
    }

    /** Validates and takes ownership of {@code flat}; copies and normalises {@code weights}. */
    private static ParticleMeasure create(double[] flat, int d, double[] weights) {
        Arguments.positive("d", d);
        if (flat.length == 0) {
            throw new IllegalArgumentException("points must not be empty");
        }
        if (flat.length % d != 0) {
            throw new IllegalArgumentException("flat points have length " + flat.length
                    + ", which is not a multiple of the dimension d = " + d);
        }
        int n = flat.length / d;
        for (int k = 0; k < flat.length; k++) {
            if (!Double.isFinite(flat[k])) {
                throw new IllegalArgumentException("points: coordinate " + (k % d) + " of point " + (k / d)
                        + " must be finite, got " + flat[k]);
            }
        }
        return new ParticleMeasure(flat, normalisedWeights(weights, n), n, d);
    }

    private static double[] normalisedWeights(double[] weights, int n) {
        if (weights == null) {
            return null;
        }
        Arguments.length("weights", weights.length, n);
        double[] w = new double[n];
        if (sumOverflows(weights)) {
            // weights are relative: divide by the largest first, then by the (finite) sum of the scaled weights
            double max = 0;
            for (double v : weights) {
                max = Math.max(max, v);
            }
            double scaledSum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = weights[i] / max;
                scaledSum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] /= scaledSum;
            }
            return w;
        }
        double sum = Arguments.weights("weights", weights);
        for (int i = 0; i < n; i++) {
            w[i] = weights[i] / sum;
        }
        return w;
    }

    /**
     * Whether the weights are valid for {@link Arguments#weights(String, double[])} except that their sum overflows
     * (every weight near {@code 1e308}): finite, non-negative, with an infinite sum.
     */
    private static boolean sumOverflows(double[] weights) {
        double sum = 0;
        for (double v : weights) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                return false;
            }
            sum += v;
        }
        return sum == Double.POSITIVE_INFINITY;
    }

    /** Number of particles {@code n}. */
    public int size() {
        return n;
    }

    /** Dimension {@code d} of the space. */
    public int dimension() {
        return d;
    }

    /** Whether all weights are {@code 1/n} (stored without a weight array). */
    public boolean isUniform() {
        return weights == null;
    }

    /** Weight \( w_i \) of particle {@code i}. */
    public double weight(int i) {
        return weights == null ? 1.0 / n : weights[i];
    }

    /** A copy of the weights (filled with {@code 1/n} when uniform). */
    public double[] weights() {
        if (weights == null) {
            double[] w = new double[n];
            Arrays.fill(w, 1.0 / n);
            return w;
        }
        return weights.clone();
    }

    /** Coordinate {@code k} of particle {@code i}. */
    public double coordinate(int i, int k) {
        return points[i * d + k];
    }

    /** A copy of particle {@code i}. */
    public double[] point(int i) {
        return Arrays.copyOfRange(points, i * d, i * d + d);
    }

    /** Copies particle {@code i} into {@code out[offset .. offset + d - 1]}. */
    public void copyPoint(int i, double[] out, int offset) {
        System.arraycopy(points, i * d, out, offset, d);
    }

    /** A copy of all coordinates, row-major, length {@code n * d}. */
    public double[] flatPoints() {
        return points.clone();
    }

    /** The points as an {@code n x d} array (a copy). */
    public double[][] toArray() {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = point(i);
        }
        return out;
    }

    /**
     * The same weights on new points (for instance after integrating a flow).
     *
     * @param flat {@code n * d'} coordinates, row-major, for the same {@code n}; copied
     */
    public ParticleMeasure withFlatPoints(double[] flat) {
        Arguments.notNull("flat", flat);
        if (flat.length == 0 || flat.length % n != 0) {
            throw new IllegalArgumentException("flat points have length " + flat.length
                    + ", expected a positive multiple of n = " + n);
        }
        ParticleMeasure moved = create(flat.clone(), flat.length / n, null);
        return new ParticleMeasure(moved.points, weights, n, moved.d);
    }

    /**
     * The mean \( m = \sum_i w_i x_i \). It is a convex combination of the points, so it is always finite: when the
     * running sums overflow (coordinates near the largest double), it is recomputed with each term scaled first.
     */
    public double[] mean() {
        double[] mean = sumMean();
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                return scaledMean();
            }
        }
        return mean;
    }

    /** \( \sum_i w_i x_i \) by fixed chunks (for uniform weights, \( \sum_i x_i / n \)). */
    private double[] sumMean() {
        int chunks = Chunks.count(n, CHUNK);
        double[] partial = new double[chunks * d];
        Chunks.forEach(n, CHUNK, d, (c, start, end) -> {
            int base = c * d;
            for (int i = start; i < end; i++) {
                double w = weights == null ? 1.0 : weights[i];
                int row = i * d;
                for (int k = 0; k < d; k++) {
                    partial[base + k] += w * points[row + k];
                }
            }
        });
        double[] mean = new double[d];
        for (int c = 0; c < chunks; c++) {
            for (int k = 0; k < d; k++) {
                mean[k] += partial[c * d + k];
            }
        }
        if (weights == null) {
            for (int k = 0; k < d; k++) {
                mean[k] /= n;
            }
        }
        return mean;
    }

    /**
     * \( 2 \sum_i (w_i / 2) x_i \) (uniform weights: \( w_i = 1/n \) applied to each term): every partial sum is at
     * most half the largest coordinate in magnitude, so nothing overflows. Serial: used only for points so large that
     * {@link #sumMean()} overflowed.
     */
    private double[] scaledMean() {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double w = 0.5 * (weights == null ? 1.0 / n : weights[i]);
            for (int k = 0; k < d; k++) {
                mean[k] += w * points[i * d + k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] *= 2;
        }
        return mean;
    }

    /**
     * The covariance of the measure \( \Sigma = \sum_i w_i (x_i - m)(x_i - m)^\top \) (the measure's own
     * covariance, not an unbiased sample estimate), computed in two passes for accuracy. Symmetric and positive
     * semi-definite by construction.
     *
     * @throws IllegalArgumentException naming {@code points} if the covariance overflows double precision (points
     *                                  spread over more than about \( 10^{154} \))
     */
    public DMatrixRMaj covariance() {
        double[] mean = mean();
        int chunks = Chunks.count(n, CHUNK);
        int dd = Arguments.product("points (d * d)", d, d);
        double[] partial = new double[chunks * dd];
        Chunks.forEach(n, CHUNK, (long) d * d, (c, start, end) -> {
            int base = c * dd;
            double[] centred = new double[d];
            for (int i = start; i < end; i++) {
                double w = weights == null ? 1.0 : weights[i];
                int row = i * d;
                for (int k = 0; k < d; k++) {
                    centred[k] = points[row + k] - mean[k];
                }
                for (int a = 0; a < d; a++) {
                    double wa = w * centred[a];
                    int r = base + a * d;
                    for (int b = a; b < d; b++) {
                        partial[r + b] += wa * centred[b];
                    }
                }
            }
        });
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        double scale = weights == null ? 1.0 / n : 1.0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double s = 0;
                for (int c = 0; c < chunks; c++) {
                    s += partial[c * dd + a * d + b];
                }
                cov.unsafe_set(a, b, s * scale);
                cov.unsafe_set(b, a, s * scale);
            }
        }
        Arguments.finiteResult("points", "the covariance", cov.data);
        return cov;
    }

    /** The push-forward \( T_\sharp \mu \) by a map from \( \mathbb{R}^d \) to itself. */
    public ParticleMeasure pushForward(PointMap map) {
        return pushForward(d, map);
    }

    /**
     * The push-forward \( T_\sharp \mu = \sum_i w_i \delta_{T(x_i)} \) by a map into \( \mathbb{R}^{d'} \), applied
     * in parallel over fixed chunks of particles for large {@code n}.
     *
     * @param targetDimension {@code d'}
     * @throws IllegalArgumentException if the map produces a non-finite coordinate (naming {@code map}), or
     *                                  {@code n * d'} exceeds the largest array
     */
    public ParticleMeasure pushForward(int targetDimension, PointMap map) {
        Arguments.positive("targetDimension", targetDimension);
        Arguments.notNull("map", map);
        double[] out = new double[Arguments.product("targetDimension (n * d')", n, targetDimension)];
        Chunks.forEach(n, CHUNK, 8L * (d + targetDimension), (c, start, end) -> {
            for (int i = start; i < end; i++) {
                map.apply(points, i * d, out, i * targetDimension);
            }
        });
        Arguments.finiteResult("map", "a mapped point", out);
        return new ParticleMeasure(out, weights, n, targetDimension);
    }

    @Override
    public String toString() {
        return "ParticleMeasure[n=" + n + ", d=" + d + (weights == null ? ", uniform weights" : ", weights="
                + TextSummary.array(weights)) + ", mean=" + TextSummary.array(mean()) + ", points="
                + TextSummary.matrix(points, n, d) + "]";
    }
}
