package org.measureflow.transformer.sphere;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Tokens on the unit sphere \( \mathbb{S}^{d-1} \subset \mathbb{R}^d \): uniform sampling, normalisation
 * \( x \mapsto x/|x| \), the tangent projection \( P_x v = v - \langle x, v\rangle x \), and equiangular
 * configurations (docs/closed-forms.md CF-18).
 */
public final class Sphere {
    private Sphere() {
    }

    /**
     * {@code n} independent uniform points on \( \mathbb{S}^{d-1} \) (normalised standard Gaussians), uniform
     * weights.
     *
     * @throws IllegalArgumentException if {@code n <= 0}, {@code d < 2}, {@code rng} is null or {@code n * d} exceeds
     *                                  the largest array
     */
    public static ParticleMeasure uniform(int n, int d, RandomGenerator rng) {
        Arguments.positive("n", n);
        Arguments.atLeast("d", d, 2);
        Arguments.notNull("rng", rng);
        double[] x = new double[Arguments.product("n * d", n, d)];
        for (int i = 0; i < n; i++) {
            double s;
            do {
                s = 0;
                for (int k = 0; k < d; k++) {
                    double g = rng.nextGaussian();
                    x[i * d + k] = g;
                    s += g * g;
                }
            } while (s == 0);
            double inv = 1.0 / Math.sqrt(s);
            for (int k = 0; k < d; k++) {
                x[i * d + k] *= inv;
            }
        }
        return ParticleMeasure.fromFlat(x, d);
    }

    /**
     * The tokens divided by their norms, same weights.
     *
     * @throws IllegalArgumentException if a token is zero
     */
    public static ParticleMeasure normalise(ParticleMeasure tokens) {
        Arguments.notNull("tokens", tokens);
        int d = tokens.dimension();
        double[] x = tokens.flatPoints();
        for (int i = 0; i < tokens.size(); i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            double scale = 1;
            if (!(s >= Double.MIN_NORMAL && s < Double.POSITIVE_INFINITY)) {
                // |x|^2 left the normal range (coordinates beyond 1e154 or below 1e-154): divide by max |x_k| first
                scale = maxAbs(x, i * d, d);
                s = scale == 0 ? 0 : sumOfSquares(x, i * d, d, scale);
            }
            if (!(s > 0)) {
                // a rule Arguments cannot state: every token non-zero
                throw new IllegalArgumentException("tokens: token " + i + " is zero and cannot be normalised");
            }
            double inv = 1.0 / Math.sqrt(s);
            for (int k = 0; k < d; k++) {
                x[i * d + k] = scale == 1 ? x[i * d + k] * inv : x[i * d + k] / scale * inv;
            }
        }
        return tokens.withFlatPoints(x);
    }

    private static double maxAbs(double[] x, int offset, int d) {
        double max = 0;
        for (int k = 0; k < d; k++) {
            max = Math.max(max, Math.abs(x[offset + k]));
        }
        return max;
    }

    /** \( \sum_k (x_k / s)^2 \). */
    private static double sumOfSquares(double[] x, int offset, int d, double s) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
            double v = x[offset + k] / s;
            sum += v * v;
        }
        return sum;
    }

    /**
     * The tangent projection \( P_x v = v - \langle x, v\rangle x / |x|^2 \) (equal to \( (I - x x^\top) v \) on the
     * unit sphere), as a new array.
     *
     * @throws IllegalArgumentException if an array is null or not finite, the lengths differ, {@code x} is zero, or
     *                                  the projection overflows
     */
    public static double[] project(double[] x, double[] v) {
        Arguments.finite("x", x);
        Arguments.finite("v", v);
        Arguments.length("v", v.length, x.length);
        double dot = 0;
        double norm2 = 0;
        for (int k = 0; k < x.length; k++) {
            dot += x[k] * v[k];
            norm2 += x[k] * x[k];
        }
        double[] out = v.clone();
        if (norm2 >= Double.MIN_NORMAL && norm2 < Double.POSITIVE_INFINITY && Double.isFinite(dot)) {
            for (int k = 0; k < x.length; k++) {
                out[k] -= dot / norm2 * x[k];
            }
            return Arguments.finiteResult("v", "the projection", out);
        }
        // |x|^2 or <x, v> left the normal range: project on the unit vector u = x / |x|, scaled without overflow
        double scale = maxAbs(x, 0, x.length);
        if (!(scale > 0)) {
            // a rule Arguments cannot state: a non-zero vector
            throw new IllegalArgumentException("x must be non-zero (the tangent space at 0 is undefined), got "
                    + TextSummary.array(x));
        }
        double norm = Math.sqrt(sumOfSquares(x, 0, x.length, scale));
        double along = 0;
        for (int k = 0; k < x.length; k++) {
            along += x[k] / scale / norm * v[k];
        }
        for (int k = 0; k < x.length; k++) {
            out[k] -= along * (x[k] / scale / norm);
        }
        return Arguments.finiteResult("v", "the projection", out);
    }

    /**
     * An equiangular configuration: \( n \) unit vectors in \( \mathbb{R}^n \) with \( \langle x_i, x_j\rangle =
     * \rho \) for all \( i \ne j \), the rows of the Cholesky factor of the Gram matrix
     * \( (1-\rho) I + \rho \mathbf 1 \mathbf 1^\top \), which is positive definite exactly when
     * \( -1/(n-1) &lt; \rho &lt; 1 \). Uniform weights.
     *
     * @throws IllegalArgumentException if {@code n < 2}, \( \rho \notin (-1/(n-1), 1) \) or {@code n * n} exceeds the
     *                                  largest array
     */
    public static ParticleMeasure equiangular(int n, double rho) {
        Arguments.atLeast("n", n, 2);
        Arguments.inOpenRange("rho", rho, -1.0 / (n - 1), 1);
        // Cholesky G = L L^T of G = (1 - rho) I + rho 11^T; the rows of L are the points
        double[] l = new double[Arguments.product("n * n", n, n)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double g = i == j ? 1.0 : rho;
                double s = g;
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = i == j ? Math.sqrt(s) : s / l[j * n + j];
            }
        }
        return ParticleMeasure.fromFlat(l, n);
    }
}
