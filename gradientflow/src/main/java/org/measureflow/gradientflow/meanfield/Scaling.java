package org.measureflow.gradientflow.meanfield;

/**
 * The scaling of a two-layer network with \( N \) neurons, which decides the limit \( N \to \infty \) (survey
 * section 6.1): in the mean-field scaling \( f = \frac1N \sum_i \phi(\theta_i, \cdot) \) and each neuron moves at
 * velocity \( -\nabla_\theta \frac{\delta R}{\delta\mu}(\theta_i) = -N \partial_{\theta_i} R \), an \( O(1) \)
 * displacement (the Wasserstein gradient flow, eq. 21); in the lazy (NTK) scaling
 * \( f = \frac{1}{\sqrt N}\sum_i \phi(\theta_i, \cdot) \) and each neuron moves at \( -\partial_{\theta_i} R \), an
 * \( O(1/\sqrt N) \) displacement: the network is linearised around its initialisation (Chizat, Oyallon and Bach
 * 2019), and the function still moves at \( O(1) \) speed. Its {@code toString()} is the constant's name.
 */
public enum Scaling {
    /** \( 1/N \) output scaling, velocities \( -N\partial_{\theta_i}R \). */
    MEAN_FIELD,
    /** \( 1/\sqrt N \) output scaling, velocities \( -\partial_{\theta_i}R \). */
    LAZY;

    /**
     * The output factor \( c_N \) in \( f = c_N \sum_i \phi(\theta_i, \cdot) \) (uniform weights).
     *
     * @param n the number of neurons \( N \)
     * @return \( 1/N \) (mean field) or \( 1/\sqrt N \) (lazy)
     */
    public double outputFactor(int n) {
        return this == MEAN_FIELD ? 1.0 / n : 1.0 / Math.sqrt(n);
    }

    /**
     * The factor \( s_N \) of the velocity \( -s_N \partial_{\theta_i}R \).
     *
     * @param n the number of neurons \( N \)
     * @return \( N \) (mean field) or 1 (lazy)
     */
    public double velocityFactor(int n) {
        return this == MEAN_FIELD ? n : 1.0;
    }
}
