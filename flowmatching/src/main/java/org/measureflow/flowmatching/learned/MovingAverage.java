package org.measureflow.flowmatching.learned;

/**
 * The exponential moving average of a parameter vector shared by the trainers of this package (Polyak and Juditsky
 * 1992), bias-corrected as Adam's moments: the weighted mean
 * \( \bar\theta_k = \sum_{j=1}^k \beta^{k-j}(1 - \beta)\,\theta_j / (1 - \beta^k) \) of the iterates, updated by
 * \( \bar\theta_k = \bar\theta_{k-1} + \frac{1 - \beta}{1 - \beta^k}(\theta_k - \bar\theta_{k-1}) \) (the
 * initial weights get no weight: the first step's rate is 1).
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

    /**
     * \( \bar\theta \leftarrow \bar\theta + \frac{1 - \beta}{1 - \beta^k}(\theta - \bar\theta) \) in place, after
     * step \( k \ge 1 \).
     */
    static void update(double[] ema, double[] theta, double decay, long step) {
        double rate = (1 - decay) / (1 - Math.pow(decay, step));
        for (int i = 0; i < ema.length; i++) {
            ema[i] += rate * (theta[i] - ema[i]);
        }
    }
}
