package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;

/**
 * The Adam optimiser (Kingma and Ba 2015; survey section 7 notes its role in training): with gradient \( g_k \),
 * \( m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k \), \( v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2 \),
 * \( \theta_k = \theta_{k-1} - \eta\, \hat m_k / (\sqrt{\hat v_k} + \epsilon) \), with the bias corrections
 * \( \hat m_k = m_k/(1-\beta_1^k) \), \( \hat v_k = v_k/(1-\beta_2^k) \). Holds the moment estimates of one
 * parameter vector; updates it in place without allocating.
 */
final class Adam {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private int step;

    /**
     * An optimiser for {@code size} parameters.
     *
     * @throws IllegalArgumentException unless {@code learningRate > 0}, {@code 0 <= beta1, beta2 &lt; 1},
     *                                  {@code epsilon > 0} and {@code size > 0}
     */
    Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
        Arguments.positive("size", size);
        Arguments.positive("learningRate", learningRate);
        Arguments.positive("epsilon", epsilon);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** Adam with the usual \( \beta_1 = 0.9 \), \( \beta_2 = 0.999 \), \( \epsilon = 10^{-8} \). */
    Adam(int size, double learningRate) {
        this(size, learningRate, 0.9, 0.999, 1e-8);
    }

    /** One update of {@code parameters} in place with step size {@code learningRate * rateFactor}. */
    void update(double[] parameters, double[] gradient, double rateFactor) {
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        double lr = learningRate * rateFactor;
        for (int i = 0; i < parameters.length; i++) {
            double g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            parameters[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
        }
    }

    /** One update with the base learning rate. */
    void update(double[] parameters, double[] gradient) {
        update(parameters, gradient, 1);
    }

    /** Number of updates so far. */
    int steps() {
        return step;
    }
}
