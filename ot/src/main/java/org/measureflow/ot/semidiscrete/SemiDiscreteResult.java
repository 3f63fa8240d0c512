package org.measureflow.ot.semidiscrete;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of a semi-discrete transport solve between a density \( \rho \) and weighted points
 * \( \nu = \sum_i b_i \delta_{y_i} \) for the cost \( |x-y|^2 \) (survey &sect;4, the semi-discrete case of eq. 10):
 * the semi-dual and the Laguerre cells at the final weights ({@link SemiDualEvaluation}, whose accessors this record
 * repeats), and how the iteration ended.
 *
 * <p>For {@link SemiDiscreteNewton} every integral is exact (up to rounding); for {@link SemiDiscreteSgd} the
 * masses, objective, cost and centroids are Monte Carlo estimates from fresh samples at the averaged weights.
 *
 * @param evaluation  the semi-dual, the cell masses, the transport cost and the centroids at the final weights
 * @param convergence Newton or stochastic gradient steps, and as error the largest mass error
 *                    \( \max_i |\rho(\mathrm{Lag}_i(\psi)) - b_i| \) (estimated, for SGD), tested against the
 *                    solver's tolerance
 */
public record SemiDiscreteResult(SemiDualEvaluation evaluation, Convergence convergence) implements IterativeResult {
    /** Validates the components. */
    public SemiDiscreteResult {
        Arguments.notNull("evaluation", evaluation);
        Arguments.notNull("convergence", convergence);
    }

    /** A copy of the weights \( \psi \), mean zero ({@link SemiDualEvaluation#weights()}). */
    public double[] weights() {
        return evaluation.weights();
    }

    /** A copy of the cell masses ({@link SemiDualEvaluation#masses()}). */
    public double[] masses() {
        return evaluation.masses();
    }

    /** The semi-dual \( \Phi(\psi) \), \( W_2^2(\rho,\nu) \) at the optimum ({@link SemiDualEvaluation#objective()}). */
    public double objective() {
        return evaluation.objective();
    }

    /** The transport cost of the Laguerre map ({@link SemiDualEvaluation#cost()}). */
    public double cost() {
        return evaluation.cost();
    }

    /** A copy of the centroids, row-major {@code n * d} ({@link SemiDualEvaluation#centroids()}). */
    public double[] centroids() {
        return evaluation.centroids();
    }

    /** Number of points \( n \). */
    public int size() {
        return evaluation.size();
    }

    /** The dimension \( d \). */
    public int dimension() {
        return evaluation.dimension();
    }

    /** One line: sizes, the objective, the cost, how the iteration ended and the weights. */
    @Override
    public String toString() {
        return "SemiDiscreteResult[n=" + size() + ", d=" + dimension() + ", objective="
                + TextSummary.number(objective()) + ", cost=" + TextSummary.number(cost()) + ", " + convergence
                + ", weights=" + TextSummary.array(evaluation.weights()) + "]";
    }
}
