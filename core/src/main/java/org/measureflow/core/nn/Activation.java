package org.measureflow.core.nn;

/**
 * Pointwise activations \( \sigma \) of a neuron, each with its derivative \( \sigma' \) (used by backpropagation,
 * by forward-mode divergences and by the mean-field velocities of survey eqs. 20&ndash;22). The formulas sit in one
 * {@code switch} (not in constant-specific bodies), so hot loops see a single monomorphic call that the JIT inlines.
 */
public enum Activation {
    /** \( \max(z, 0) \), \( \sigma'(z) = 1_{z > 0} \) (a ReLU network's divergence is piecewise constant). */
    RELU,
    /** \( \tanh z \), \( \sigma' = 1 - \tanh^2 z \). */
    TANH,
    /** The logistic \( s(z) = 1/(1 + e^{-z}) \), \( \sigma' = s(1 - s) \). */
    SIGMOID,
    /** SiLU (swish) \( z\, s(z) = z / (1 + e^{-z}) \), smooth, \( \sigma' = s(z)(1 + z(1 - s(z))) \). */
    SILU;

    /** \( \sigma(z) \). */
    public double value(double z) {
        switch (this) {
            case RELU:
                return z > 0 ? z : 0;
            case TANH:
                return Math.tanh(z);
            case SIGMOID:
                return 1 / (1 + Math.exp(-z));
            default:
                return z / (1 + Math.exp(-z));
        }
    }

    /** \( \sigma'(z) \). */
    public double derivative(double z) {
        switch (this) {
            case RELU:
                return z > 0 ? 1 : 0;
            case TANH: {
                double t = Math.tanh(z);
                return 1 - t * t;
            }
            case SIGMOID: {
                double s = 1 / (1 + Math.exp(-z));
                return s * (1 - s);
            }
            default: {
                double s = 1 / (1 + Math.exp(-z));
                return s * (1 + z * (1 - s));
            }
        }
    }

    /**
     * \( \sigma'(z) \) given \( \sigma(z) \) already computed, which saves the second {@code tanh} or {@code exp} of
     * RELU, TANH and SIGMOID (SILU recomputes its logistic factor).
     *
     * @param z     the pre-activation
     * @param value \( \sigma(z) \)
     * @return \( \sigma'(z) \)
     */
    public double derivative(double z, double value) {
        switch (this) {
            case RELU:
                return z > 0 ? 1 : 0;
            case TANH:
                return 1 - value * value;
            case SIGMOID:
                return value * (1 - value);
            default:
                return derivative(z);
        }
    }
}
