package org.measureflow.ot.sliced;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The Monte-Carlo estimate of a sliced Wasserstein distance (see {@link SlicedWasserstein}).
 *
 * <p>{@code distance} is always a finite number. The \( p \)-th powers ({@code cost}, {@code costs} and
 * {@code standardError}, which is in the units of {@code cost}) are {@code +Infinity} where they exceed the double
 * range, and only there: for large \( p \) (\( 2.05^{1000} \) already does) or points more than about
 * \( 10^{154} \) apart; they are never {@code NaN}.
 *
 * @param cost          \( \widehat{SW}_p^p = \frac1L\sum_{l=1}^L W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \), the mean
 *                      of the one-dimensional transport costs: an unbiased estimate of
 *                      \( SW_p^p = \mathbb E_\theta W_p^p(\theta\sharp\mu,\theta\sharp\nu) \)
 * @param distance      \( \widehat{SW}_p = (\widehat{SW}_p^p)^{1/p} \), the metric (not its \( p \)-th power)
 * @param standardError the Monte-Carlo standard error of {@code cost}: the sample standard deviation of the
 *                      \( L \) one-dimensional costs divided by \( \sqrt L \) (0 when \( L = 1 \))
 * @param directions    the number \( L \) of directions
 * @param costs         \( W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \) for each direction, in the order drawn (the
 *                      accessor returns a copy)
 */
public record SlicedWassersteinResult(double cost, double distance, double standardError, int directions,
                                      double[] costs) {
    /** Validates and copies the per-direction costs. */
    public SlicedWassersteinResult {
        Arguments.length("costs", Arguments.notNull("costs", costs).length, directions);
        costs = costs.clone();
    }

    /** A copy of the per-direction costs \( W_p^p(\theta_l\sharp\mu, \theta_l\sharp\nu) \). */
    @Override
    public double[] costs() {
        return costs.clone();
    }

    /** One line: the distance, the cost with its standard error, and the number of directions. */
    @Override
    public String toString() {
        return "SlicedWassersteinResult[directions=" + directions + ", distance=" + TextSummary.number(distance)
                + ", cost=" + TextSummary.number(cost) + " +- " + TextSummary.brief(standardError) + ", costs="
                + TextSummary.array(costs) + "]";
    }
}
