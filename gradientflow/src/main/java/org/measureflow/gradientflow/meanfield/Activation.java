package org.measureflow.gradientflow.meanfield;

/** Activations \( \sigma \) of a neuron, with their derivative \( \sigma' \). */
public enum Activation {
    /** \( \max(z, 0) \), \( \sigma'(z) = 1_{z > 0} \). */
    RELU {
        @Override
        public double value(double z) {
            return z > 0 ? z : 0;
        }

        @Override
        public double derivative(double z) {
            return z > 0 ? 1 : 0;
        }
    },
    /** \( \tanh z \), \( \sigma' = 1 - \tanh^2 z \). */
    TANH {
        @Override
        public double value(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivative(double z) {
            double t = Math.tanh(z);
            return 1 - t * t;
        }
    },
    /** The logistic \( 1/(1 + e^{-z}) \), \( \sigma' = \sigma(1 - \sigma) \). */
    SIGMOID {
        @Override
        public double value(double z) {
            return 1 / (1 + Math.exp(-z));
        }

        @Override
        public double derivative(double z) {
            double s = 1 / (1 + Math.exp(-z));
            return s * (1 - s);
        }
    };

    /** \( \sigma(z) \). */
    public abstract double value(double z);

    /** \( \sigma'(z) \). */
    public abstract double derivative(double z);
}
