package org.measureflow.ot.semidiscrete;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The semi-dual of semi-discrete transport between a density \( \rho \) and weighted points
 * \( \nu = \sum_i b_i \delta_{y_i} \), cost \( |x-y|^2 \) (survey &sect;4, the semi-discrete case of eq. 10), and the
 * integrals over the Laguerre cells, at given weights \( \psi \):
 * \[ \Phi(\psi) = \int \min_i \big(|x-y_i|^2 - \psi_i\big)\, \rho(x)\, dx + \sum_i b_i \psi_i, \qquad
 *    \partial_i \Phi = b_i - \rho(\mathrm{Lag}_i(\psi)), \]
 * with the Laguerre (power) cells \( \mathrm{Lag}_i(\psi) = \{x : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall
 * j\} \). At the optimum every cell holds its target mass, \( T(x) = y_i \) on \( \mathrm{Lag}_i \) is the optimal
 * (Monge) map and \( \Phi(\psi^\star) = W_2^2(\rho, \nu) \). Made by {@link SemiDiscreteNewton#evaluate} (exact
 * integrals), and held by every {@link SemiDiscreteResult}.
 *
 * @param weights   the weights \( \psi \), normalised to mean zero (they are defined up to a constant)
 * @param masses    the cell masses \( \rho(\mathrm{Lag}_i(\psi)) \)
 * @param massError \( \max_i |\rho(\mathrm{Lag}_i(\psi)) - b_i| \)
 * @param objective the semi-dual \( \Phi(\psi) \): a lower bound of \( W_2^2(\rho,\nu) \) for any \( \psi \), equal to
 *                  it at the optimum
 * @param cost      the transport cost \( \sum_i \int_{\mathrm{Lag}_i} |x - y_i|^2 \rho \) of the Laguerre map, which
 *                  transports \( \rho \) optimally onto \( \sum_i \rho(\mathrm{Lag}_i)\,\delta_{y_i} \)
 * @param centroids the barycentres \( \int_{\mathrm{Lag}_i} x \rho / \rho(\mathrm{Lag}_i) \), row-major
 *                  ({@code n * d}); an empty cell reports its point \( y_i \) (useful for Lloyd iterations)
 * @param dimension the dimension \( d \)
 */
public record SemiDualEvaluation(double[] weights, double[] masses, double massError, double objective, double cost,
                                 double[] centroids, int dimension) {
    /** Validates and copies the arrays. */
    public SemiDualEvaluation {
        Arguments.notNull("weights", weights);
        Arguments.length("masses", Arguments.notNull("masses", masses).length, weights.length);
        Arguments.positive("dimension", dimension);
        Arguments.length("centroids", Arguments.notNull("centroids", centroids).length,
                Arguments.product("n * d", weights.length, dimension));
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

    /** One line: sizes, the semi-dual, the transport cost, the mass error and the weights. */
    @Override
    public String toString() {
        return "SemiDualEvaluation[n=" + weights.length + ", d=" + dimension + ", objective="
                + TextSummary.number(objective) + ", cost=" + TextSummary.number(cost) + ", massError="
                + TextSummary.brief(massError) + ", weights=" + TextSummary.array(weights) + "]";
    }
}
