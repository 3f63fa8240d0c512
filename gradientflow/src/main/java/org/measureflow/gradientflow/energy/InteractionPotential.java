package org.measureflow.gradientflow.energy;

/**
 * The interaction potential of an interaction energy: a symmetric function \( W(x, y) = W(y, x) \) of two
 * particles of \( \mathbb{R}^d \), with the gradient \( \nabla_1 W(x, y) \) in its first argument, for
 * \( \mathcal W(\mu) = \tfrac12 \iint W(x, y)\, d\mu(x)\, d\mu(y) \) (survey &sect;5.2, {@link InteractionEnergy}).
 *
 * <p>The potential sees the two full particles, not only their difference, so energies such as the risk of a
 * mean-field two-layer network, \( W(\theta, \theta') = \mathbb E_x[\Phi(\theta, x)\Phi(\theta', x)] \) (survey
 * &sect;6), are interaction energies too. The common translation-invariant case \( W(x, y) = W(x - y) \) with an
 * even \( W \) is built by {@link #quadratic()} and {@link #attractionRepulsion()}.
 *
 * <p>Points are read in place from flat arrays at offsets. Implementations must not allocate and must be
 * thread-safe (they are called from several chunks at once).
 */
public interface InteractionPotential {
    /**
     * \( W(x, y) \) for \( x = \) {@code x[xOffset ..]} and \( y = \) {@code y[yOffset ..]}, both of length
     * {@code d}.
     *
     * @param x       the array holding \( x \)
     * @param xOffset where \( x \) starts
     * @param y       the array holding \( y \)
     * @param yOffset where \( y \) starts
     * @param d       the dimension
     * @return \( W(x, y) \)
     */
    double value(double[] x, int xOffset, double[] y, int yOffset, int d);

    /**
     * Adds \( s\,\nabla_1 W(x, y) \) (the gradient in the first argument) to
     * {@code out[outOffset .. outOffset + d - 1]}.
     *
     * @param x         the array holding \( x \)
     * @param xOffset   where \( x \) starts
     * @param y         the array holding \( y \)
     * @param yOffset   where \( y \) starts
     * @param d         the dimension
     * @param s         the factor \( s \)
     * @param out       the output array, added to
     * @param outOffset where the gradient goes in {@code out}
     */
    void addGradient(double[] x, int xOffset, double[] y, int yOffset, int d, double s, double[] out, int outOffset);

    /**
     * Whether the pairs \( (x_i, x_i) \) of a particle with itself are left out of the energy and the velocity. A
     * potential singular on the diagonal (such as \( -\log|x - y| \)) must return {@code true}; a smooth potential
     * returns {@code false} (the default), so the energy is exactly \( \tfrac12 \sum_{i,j} w_i w_j W(x_i, x_j) \),
     * diagonal included, as for the network risk.
     *
     * @return whether self-pairs are excluded
     */
    default boolean excludesSelfPairs() {
        return false;
    }

    /**
     * The quadratic interaction potential \( W(x, y) = \tfrac12 |x - y|^2 \), \( \nabla_1 W = x - y \) (docs/closed-forms.md CF-7): the
     * particle velocity is \( -(x_i - \bar x) \), the mean is fixed and deviations decay as \( e^{-t} \).
     *
     * @return the potential
     */
    static InteractionPotential quadratic() {
        return new InteractionPotential() {
            @Override
            public double value(double[] x, int xo, double[] y, int yo, int d) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double z = x[xo + k] - y[yo + k];
                    s += z * z;
                }
                return 0.5 * s;
            }

            @Override
            public void addGradient(double[] x, int xo, double[] y, int yo, int d, double s, double[] out, int oo) {
                for (int k = 0; k < d; k++) {
                    out[oo + k] += s * (x[xo + k] - y[yo + k]);
                }
            }

            @Override
            public String toString() {
                return "|x-y|^2/2";
            }
        };
    }

    /**
     * The attraction&ndash;repulsion potential \( W(z) = \tfrac12 |z|^2 - \log|z| \), \( z = x - y \), with
     * \( \nabla W(z) = z - z/|z|^2 \) (docs/closed-forms.md CF-17): in two dimensions its aggregation flow converges to the
     * uniform measure on the unit disk (density \( 1/\pi \), Fetecau, Huang and Kolokolnikov 2011). Singular on
     * the diagonal, so self-pairs are excluded; two distinct particles at the same place contribute
     * \( W = +\infty \) to the energy and no force.
     *
     * @return the potential
     */
    static InteractionPotential attractionRepulsion() {
        return new InteractionPotential() {
            @Override
            public double value(double[] x, int xo, double[] y, int yo, int d) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double z = x[xo + k] - y[yo + k];
                    r2 += z * z;
                }
                return r2 == 0 ? Double.POSITIVE_INFINITY : 0.5 * r2 - 0.5 * Math.log(r2);
            }

            @Override
            public void addGradient(double[] x, int xo, double[] y, int yo, int d, double s, double[] out, int oo) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double z = x[xo + k] - y[yo + k];
                    r2 += z * z;
                }
                if (r2 == 0) {
                    return;
                }
                double f = s * (1.0 - 1.0 / r2);
                for (int k = 0; k < d; k++) {
                    out[oo + k] += f * (x[xo + k] - y[yo + k]);
                }
            }

            @Override
            public boolean excludesSelfPairs() {
                return true;
            }

            @Override
            public String toString() {
                return "|x-y|^2/2 - log|x-y|";
            }
        };
    }
}
