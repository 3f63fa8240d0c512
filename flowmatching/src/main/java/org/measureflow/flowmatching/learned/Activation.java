package org.measureflow.flowmatching.learned;

/**
 * Pointwise activations \( \sigma \) of the {@link Mlp}, each with its derivative \( \sigma' \) (used by
 * backpropagation and by the forward-mode divergence).
 */
public enum Activation {
    /** \( \tanh(z) \), \( \sigma' = 1 - \tanh^2 z \). */
    TANH {
        @Override
        double value(double z) {
            return Math.tanh(z);
        }

        @Override
        double derivative(double z) {
            double th = Math.tanh(z);
            return 1 - th * th;
        }
    },
    /** SiLU (swish) \( z / (1 + e^{-z}) \), smooth, \( \sigma' = s(z)(1 + z(1 - s(z))) \) with \( s \) the logistic. */
    SILU {
        @Override
        double value(double z) {
            return z / (1 + Math.exp(-z));
        }

        @Override
        double derivative(double z) {
            double s = 1 / (1 + Math.exp(-z));
            return s * (1 + z * (1 - s));
        }
    },
    /** \( \max(z, 0) \), \( \sigma' = 1_{z > 0} \) (the divergence of a ReLU network is piecewise constant). */
    RELU {
        @Override
        double value(double z) {
            return z > 0 ? z : 0;
        }

        @Override
        double derivative(double z) {
            return z > 0 ? 1 : 0;
        }
    };

    /** \( \sigma(z) \). */
    abstract double value(double z);

    /** \( \sigma'(z) \). */
    abstract double derivative(double z);
}
