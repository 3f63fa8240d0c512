package org.measureflow.ot.semidiscrete;

import org.measureflow.core.Arguments;

/**
 * The outcome of a semi-discrete transport solve between a density \( \rho \) and weighted points
 * \( \nu = \sum_i b_i \delta_{y_i} \) for the cost \( |x-y|^2 \) (survey &sect;4, the semi-discrete case of eq. 10):
 * the Laguerre weights \( \psi \) maximising the concave dual (semi-dual)
 * \[ \Phi(\psi) = \int \min_i \big(|x-y_i|^2 - \psi_i\big)\, \rho(x)\, dx + \sum_i b_i \psi_i, \]
 * whose gradient is \( \partial_i \Phi = b_i - \rho(\mathrm{Lag}_i(\psi)) \) with the Laguerre (power) cells
 * \( \mathrm{Lag}_i(\psi) = \{x : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\} \). At the optimum every
 * cell holds its target mass, the map \( T(x) = y_i \) on \( \mathrm{Lag}_i \) is the optimal (Monge) map, and
 * \( \Phi(\psi^\star) = W_2^2(\rho, \nu) \).
 *
 * <p>For {@link SemiDiscreteNewton} every integral is exact (up to rounding); for {@link SemiDiscreteSgd} the
 * masses, cost and centroids are Monte Carlo estimates from fresh samples at the averaged weights.
 *
 * @param weights       the weights \( \psi \), normalised to mean zero (they are defined up to a constant)
 * @param masses        the cell masses \( \rho(\mathrm{Lag}_i(\psi)) \)
 * @param maxMassError  \( \max_i |\rho(\mathrm{Lag}_i(\psi)) - b_i| \)
 * @param iterations    Newton steps, or stochastic gradient steps
 * @param converged     whether {@code maxMassError <= tolerance} was reached
 * @param cost          the dual value \( \Phi(\psi) \): a lower bound of \( W_2^2(\rho,\nu) \) for any \( \psi \),
 *                      equal to it at the optimum
 * @param transportCost \( \sum_i \int_{\mathrm{Lag}_i} |x - y_i|^2 \rho \), the cost of the Laguerre map, which
 *                      transports \( \rho \) optimally onto \( \sum_i \rho(\mathrm{Lag}_i)\,\delta_{y_i} \)
 * @param centroids     the barycentres \( \int_{\mathrm{Lag}_i} x \rho / \rho(\mathrm{Lag}_i) \), row-major
 *                      ({@code n * d}); an empty cell reports its point \( y_i \) (useful for Lloyd iterations)
 * @param dimension     the dimension \( d \)
 */
public record SemiDiscreteResult(double[] weights, double[] masses, double maxMassError, long iterations,
                                 boolean converged, double cost, double transportCost, double[] centroids,
                                 int dimension) {
    /** Validates and copies the arrays. */
    public SemiDiscreteResult {
        Arguments.notNull("weights", weights);
        Arguments.notNull("masses", masses);
        Arguments.notNull("centroids", centroids);
        Arguments.length("masses", masses.length, weights.length);
        Arguments.length("centroids", centroids.length, weights.length * dimension);
        weights = weights.clone();
        masses = masses.clone();
        centroids = centroids.clone();
    }

    /** A copy of the weights \( \psi \). */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** A copy of the cell masses. */
    @Override
    public double[] masses() {
        return masses.clone();
    }

    /** A copy of the centroids, row-major. */
    @Override
    public double[] centroids() {
        return centroids.clone();
    }

    /** Number of points \( n \). */
    public int size() {
        return weights.length;
    }
}
