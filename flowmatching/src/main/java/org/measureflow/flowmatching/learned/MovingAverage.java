package org.measureflow.flowmatching.learned;

/**
 * The exponential moving average of a parameter vector shared by the trainers of this package (Polyak and Juditsky
 * 1992): \( \bar\theta_k = \beta\,\bar\theta_{k-1} + (1 - \beta)\,\theta_k \), no bias correction.
 */
final class MovingAverage {
    private MovingAverage() {
    }

    /**
     * The decay \( \beta \) checked to lie in \( [0, 1) \).
     *
     * @throws IllegalArgumentException naming {@code emaDecay} otherwise
     */
    static double checkedDecay(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            // Arguments has no half-open range rule
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + decay);
        }
        return decay;
    }

    /** \( \bar\theta \leftarrow \beta\,\bar\theta + (1 - \beta)\,\theta \) in place. */
    static void update(double[] ema, double[] theta, double decay) {
        double keep = 1 - decay;
        for (int i = 0; i < ema.length; i++) {
            ema[i] = decay * ema[i] + keep * theta[i];
        }
    }
}
