package org.measureflow.gradientflow.meanfield;

/**
 * Activations \( \sigma \) of a neuron, with their derivative \( \sigma' \). The formulas sit in one {@code switch}
 * (not in constant-specific bodies), so hot loops see a single monomorphic call that the JIT inlines.
 */
public enum Activation {
    /** \( \max(z, 0) \), \( \sigma'(z) = 1_{z > 0} \). */
    RELU,
    /** \( \tanh z \), \( \sigma' = 1 - \tanh^2 z \). */
    TANH,
    /** The logistic \( 1/(1 + e^{-z}) \), \( \sigma' = \sigma(1 - \sigma) \). */
    SIGMOID;

    /** \( \sigma(z) \). */
    public double value(double z) {
        switch (this) {
            case RELU:
                return z > 0 ? z : 0;
            case TANH:
                return Math.tanh(z);
            default:
                return 1 / (1 + Math.exp(-z));
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
            default: {
                double s = 1 / (1 + Math.exp(-z));
                return s * (1 - s);
            }
        }
    }

    /** \( \sigma'(z) \) given \( s = \sigma(z) \) already computed (saves the second {@code tanh} or {@code exp}). */
    public double derivative(double z, double s) {
        switch (this) {
            case RELU:
                return z > 0 ? 1 : 0;
            case TANH:
                return 1 - s * s;
            default:
                return s * (1 - s);
        }
    }
}
