package org.measureflow.ot.sliced;

/**
 * The Monte-Carlo estimate of a sliced Wasserstein distance (see {@link SlicedWasserstein}).
 *
 * @param powerP        \( \widehat{SW}_p^p = \frac1L\sum_{l=1}^L W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \), an unbiased
 *                      estimate of \( SW_p^p = \mathbb E_\theta W_p^p(\theta\sharp\mu,\theta\sharp\nu) \)
 * @param distance      \( \widehat{SW}_p = (\widehat{SW}_p^p)^{1/p} \)
 * @param standardError the Monte-Carlo standard error of {@code powerP}: the sample standard deviation of the
 *                      \( L \) one-dimensional values divided by \( \sqrt L \) (0 when \( L = 1 \))
 * @param directions    the number \( L \) of directions
 * @param values        \( W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \) for each direction, in the order drawn (the
 *                      accessor returns a copy)
 */
public record SlicedResult(double powerP, double distance, double standardError, int directions, double[] values) {
    /** Copies the per-direction values. */
    public SlicedResult {
        values = values.clone();
    }

    /** A copy of the per-direction values \( W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \). */
    @Override
    public double[] values() {
        return values.clone();
    }
}
