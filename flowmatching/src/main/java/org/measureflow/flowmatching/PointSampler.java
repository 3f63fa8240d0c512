package org.measureflow.flowmatching;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * A source of i.i.d. points in \( \mathbb{R}^d \): the latent law \( X_0 \) or the data law \( X_1 \) of flow
 * matching, drawn with the caller's generator (same seed, same points).
 */
public interface PointSampler {
    /** Dimension \( d \). */
    int dimension();

    /** Writes {@code n} points, row-major, into {@code out[0 .. n*d - 1]}. */
    void sample(int n, RandomGenerator rng, double[] out);

    /** Samples of a Gaussian law (through its Cholesky factor). */
    static PointSampler of(GaussianMeasure gaussian) {
        Arguments.notNull("gaussian", gaussian);
        int d = gaussian.dimension();
        double[] mean = gaussian.mean();
        double[] l = gaussian.choleskyFactor().data.clone();
        return new PointSampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(int n, RandomGenerator rng, double[] out) {
                double[] z = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < d; c++) {
                        z[c] = rng.nextGaussian();
                    }
                    for (int r = 0; r < d; r++) {
                        double s = mean[r];
                        for (int c = 0; c <= r; c++) {
                            s += l[r * d + c] * z[c];
                        }
                        out[i * d + r] = s;
                    }
                }
            }
        };
    }

    /**
     * Resampling of a weighted point cloud: each draw picks point \( i \) with probability \( w_i \) (uniformly
     * for uniform weights, by a binary search in the cumulative weights otherwise).
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
                    int i;
                    if (cumulative == null) {
                        i = rng.nextInt(n);
                    } else {
                        double u = rng.nextDouble() * cumulative[n - 1];
                        int lo = 0;
                        int hi = n - 1;
                        while (lo < hi) {
                            int mid = (lo + hi) >>> 1;
                            if (cumulative[mid] > u) {
                                hi = mid;
                            } else {
                                lo = mid + 1;
                            }
                        }
                        i = lo;
                    }
                    System.arraycopy(points, i * d, out, k * d, d);
                }
            }
        };
    }
}
