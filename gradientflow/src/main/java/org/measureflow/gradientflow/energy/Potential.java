package org.measureflow.gradientflow.energy;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;

/**
 * A potential \( V : \mathbb{R}^d \to \mathbb{R} \) with its gradient, read from a flat array at an offset (so
 * particles and cell centres are evaluated in place, without copies). Implementations must not allocate.
 */
public interface Potential {
    /** The dimension \( d \) the potential is defined on. */
    int dimension();

    /** \( V(x) \) for \( x = \) {@code x[offset .. offset + d - 1]}. */
    double value(double[] x, int offset);

    /** Adds \( s\,\nabla V(x) \) to {@code out[outOffset .. outOffset + d - 1]}. */
    void addGradient(double[] x, int offset, double s, double[] out, int outOffset);

    /**
     * The quadratic potential \( V(x) = \tfrac12 (x - b)^\top A (x - b) \), \( \nabla V = A (x - b) \) (docs/closed-forms.md
     * CF-5): its Fokker&ndash;Planck flow keeps Gaussians Gaussian, with Gibbs equilibrium
     * \( \mathcal N(b, D A^{-1}) \)). {@code a} is copied and read as its symmetric part \( (A + A^\top)/2 \).
     *
     * @param a the \( d \times d \) matrix \( A \), finite
     * @param b the centre \( b \), length \( d \), finite
     * @throws IllegalArgumentException if {@code a} is not square and finite, or {@code b} has the wrong length
     */
    static Potential quadratic(DMatrixRMaj a, double[] b) {
        int d = Arguments.square("a", a);
        Arguments.finite("a", a);
        Arguments.finite("b", b);
        Arguments.length("b", b.length, d);
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i * d + j] = 0.5 * (a.get(i, j) + a.get(j, i));
            }
        }
        double[] c = b.clone();
        return new Potential() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public double value(double[] x, int offset) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    double yi = x[offset + i] - c[i];
                    double row = 0;
                    for (int j = 0; j < d; j++) {
                        row += m[i * d + j] * (x[offset + j] - c[j]);
                    }
                    s += yi * row;
                }
                return 0.5 * s;
            }

            @Override
            public void addGradient(double[] x, int offset, double s, double[] out, int outOffset) {
                for (int i = 0; i < d; i++) {
                    double row = 0;
                    for (int j = 0; j < d; j++) {
                        row += m[i * d + j] * (x[offset + j] - c[j]);
                    }
                    out[outOffset + i] += s * row;
                }
            }

            @Override
            public String toString() {
                return "Potential.quadratic(d=" + d + ")";
            }
        };
    }

    /**
     * The isotropic quadratic \( V(x) = \tfrac{\lambda}{2} |x - b|^2 \).
     *
     * @throws IllegalArgumentException if {@code lambda} or {@code b} is not finite
     */
    static Potential isotropic(double lambda, double[] b) {
        Arguments.finite("lambda", lambda);
        Arguments.finite("b", b);
        DMatrixRMaj a = new DMatrixRMaj(b.length, b.length);
        for (int i = 0; i < b.length; i++) {
            a.set(i, i, lambda);
        }
        return quadratic(a, b);
    }
}
