package org.measureflow.transformer.sphere;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Tokens on the unit sphere \( \mathbb{S}^{d-1} \subset \mathbb{R}^d \): uniform sampling, normalisation
 * \( x \mapsto x/|x| \), the tangent projection \( P_x v = v - \langle x, v\rangle x \), and equiangular
 * configurations (spec B8(d)).
 */
public final class Sphere {
    private Sphere() {
    }

    /**
     * {@code n} independent uniform points on \( \mathbb{S}^{d-1} \) (normalised standard Gaussians), uniform
     * weights.
     *
     * @throws IllegalArgumentException if {@code n <= 0}, {@code d < 2} or {@code rng} is null
     */
    public static ParticleMeasure uniform(int n, int d, RandomGenerator rng) {
        Arguments.positive("n", n);
        Arguments.atLeast("d", d, 2);
        Arguments.notNull("rng", rng);
        double[] x = new double[n * d];
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
            if (!(s > 0)) {
                // a rule Arguments cannot state: every token non-zero
                throw new IllegalArgumentException("tokens: token " + i + " is zero and cannot be normalised");
            }
            double inv = 1.0 / Math.sqrt(s);
            for (int k = 0; k < d; k++) {
                x[i * d + k] *= inv;
            }
        }
        return tokens.withFlatPoints(x);
    }

    /**
     * The tangent projection \( P_x v = v - \langle x, v\rangle x / |x|^2 \) (equal to \( (I - x x^\top) v \) on the
     * unit sphere), as a new array.
     *
     * @throws IllegalArgumentException if the lengths differ or {@code x} is zero
     */
    public static double[] project(double[] x, double[] v) {
        Arguments.notNull("x", x);
        Arguments.notNull("v", v);
        Arguments.length("v", v.length, x.length);
        double dot = 0;
        double norm2 = 0;
        for (int k = 0; k < x.length; k++) {
            dot += x[k] * v[k];
            norm2 += x[k] * x[k];
        }
        if (!(norm2 > 0)) {
            // a rule Arguments cannot state: a non-zero vector
            throw new IllegalArgumentException("x must be non-zero (the tangent space at 0 is undefined), got "
                    + TextSummary.array(x));
        }
        double[] out = v.clone();
        for (int k = 0; k < x.length; k++) {
            out[k] -= dot / norm2 * x[k];
        }
        return out;
    }

    /**
     * An equiangular configuration: \( n \) unit vectors in \( \mathbb{R}^n \) with \( \langle x_i, x_j\rangle =
     * \rho \) for all \( i \ne j \), the rows of the Cholesky factor of the Gram matrix
     * \( (1-\rho) I + \rho \mathbf 1 \mathbf 1^\top \), which is positive definite exactly when
     * \( -1/(n-1) &lt; \rho &lt; 1 \). Uniform weights.
     *
     * @throws IllegalArgumentException if {@code n < 2} or \( \rho \notin (-1/(n-1), 1) \)
     */
    public static ParticleMeasure equiangular(int n, double rho) {
        Arguments.atLeast("n", n, 2);
        Arguments.inOpenRange("rho", rho, -1.0 / (n - 1), 1);
        // Cholesky G = L L^T of G = (1 - rho) I + rho 11^T; the rows of L are the points
        double[] l = new double[n * n];
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
