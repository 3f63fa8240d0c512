package org.measureflow.ot.semidiscrete;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;

/**
 * A probability density \( \rho \) on \( \mathbb{R}^d \) known only through independent samples \( x \sim \rho \): the
 * source of {@link SemiDiscreteSgd}. Implementations draw every random number from the generator they are given
 * (same generator state, same sample) and keep no mutable state, so one sampler can serve several threads with
 * separate generators.
 */
public interface DensitySampler {
    /** The dimension \( d \). */
    int dimension();

    /**
     * Draws one sample \( x \sim \rho \) into {@code out[0 .. d-1]}.
     *
     * @param rng the source of randomness
     * @param out receives the sample; length at least {@link #dimension()}
     */
    void sample(RandomGenerator rng, double[] out);

    /**
     * Samples of a Gaussian \( \mathcal N(m, \Sigma) \): \( x = m + L z \), \( LL^\top = \Sigma \) (Cholesky),
     * \( z \sim \mathcal N(0, I) \).
     *
     * @throws IllegalArgumentException if {@code gaussian} is null
     */
    static DensitySampler gaussian(GaussianMeasure gaussian) {
        Arguments.notNull("gaussian", gaussian);
        int d = gaussian.dimension();
        double[] mean = gaussian.mean();
        DMatrixRMaj l = gaussian.choleskyFactor();
        double[] chol = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                chol[a * d + b] = l.get(a, b);
            }
        }
        return new DensitySampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(RandomGenerator rng, double[] out) {
                for (int k = 0; k < d; k++) {
                    out[k] = rng.nextGaussian();
                }
                // x = m + L z in place: row a needs z_0..z_a, so rows are overwritten from the last one up
                for (int a = d - 1; a >= 0; a--) {
                    double s = mean[a];
                    for (int b = 0; b <= a; b++) {
                        s += chol[a * d + b] * out[b];
                    }
                    out[a] = s;
                }
            }
        };
    }

    /**
     * The uniform density on the box \( \prod_k [lo_k, hi_k] \).
     *
     * @throws IllegalArgumentException if the arrays are null, of different or zero lengths, or some
     *                                  {@code lower[k] >= upper[k]}
     */
    static DensitySampler uniform(double[] lower, double[] upper) {
        Arguments.finite("lower", lower);
        Arguments.finite("upper", upper);
        Arguments.length("upper", upper.length, lower.length);
        if (lower.length == 0) {
            throw new IllegalArgumentException("lower must not be empty");
        }
        for (int k = 0; k < lower.length; k++) {
            if (!(lower[k] < upper[k])) {
                throw new IllegalArgumentException("lower[" + k + "] must be < upper[" + k + "], got " + lower[k]
                        + " and " + upper[k]);
            }
        }
        double[] lo = lower.clone();
        double[] width = new double[lo.length];
        for (int k = 0; k < lo.length; k++) {
            width[k] = upper[k] - lower[k];
        }
        return new DensitySampler() {
            @Override
            public int dimension() {
                return lo.length;
            }

            @Override
            public void sample(RandomGenerator rng, double[] out) {
                for (int k = 0; k < lo.length; k++) {
                    out[k] = lo[k] + width[k] * rng.nextDouble();
                }
            }
        };
    }

    /**
     * The piecewise-constant density of a {@link GridDensity} (normalised): a cell is drawn with probability
     * \( \rho_c |\Delta| / M \) (binary search in the cumulative masses), then a uniform point in it.
     *
     * @throws IllegalArgumentException if {@code density} is null or has zero mass
     */
    static DensitySampler of(GridDensity density) {
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
        return new DensitySampler() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void sample(RandomGenerator rng, double[] out) {
                double u = rng.nextDouble();
                int a = 0;
                int b = cdf.length - 1;
                while (a < b) {
                    int mid = (a + b) >>> 1;
                    if (cdf[mid] > u) {
                        b = mid;
                    } else {
                        a = mid + 1;
                    }
                }
                int c = a;
                for (int k = d - 1; k >= 0; k--) {
                    int i = c % cells[k];
                    c /= cells[k];
                    out[k] = lo[k] + (i + rng.nextDouble()) * h[k];
                }
            }
        };
    }
}
