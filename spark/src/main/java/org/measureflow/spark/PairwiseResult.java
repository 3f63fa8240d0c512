package org.measureflow.spark;

import java.util.List;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The collected matrix \( D_{ij} = \delta(\mu_i, \mu_j) \) of {@link PairwiseMatrix#compute}: symmetric, zero
 * diagonal, row-major \( K \times K \) (entry \( (i, j) \) at {@code i * K + j}), with the totals of the
 * \( K(K-1)/2 \) solves.
 *
 * @param method          the {@link PairMethod#name()} of \( \delta \)
 * @param names           the measures' names, in index order (copied, unmodifiable)
 * @param matrix          \( D \), row-major {@code K * K} (copied in and out)
 * @param blockSize       measures per block of the job
 * @param tasks           Spark tasks of the job
 * @param totalIterations the iterations of all solves together (0 for the closed forms)
 * @param unconverged     the number of pairs whose solve did not converge (their values are still in the matrix;
 *                        the dataset of {@link PairwiseMatrix#entries} says which)
 * @param largestError    the largest error over the pairs (each tested against its solver's tolerance)
 */
public record PairwiseResult(String method, List<String> names, double[] matrix, int blockSize, int tasks,
        long totalIterations, long unconverged, double largestError) {
    /** Validates the sizes and copies the arrays. */
    public PairwiseResult {
        Arguments.notNull("method", method);
        names = List.copyOf(Arguments.notNull("names", names));
        int k = names.size();
        Arguments.length("matrix", Arguments.notNull("matrix", matrix).length,
                Arguments.product("K * K", k, k));
        matrix = matrix.clone();
    }

    /** The number \( K \) of measures. */
    public int size() {
        return names.size();
    }

    /** A copy of \( D \), row-major {@code K * K}. */
    @Override
    public double[] matrix() {
        return matrix.clone();
    }

    /**
     * \( D_{ij} \).
     *
     * @throws IllegalArgumentException if an index is out of range
     */
    public double value(int i, int j) {
        Arguments.index("i", i, size());
        Arguments.index("j", j, size());
        return matrix[i * size() + j];
    }

    /** One or two lines: the method, \( K \), the totals and the matrix (its corner when large). */
    @Override
    public String toString() {
        return "PairwiseResult[" + method + ", K=" + size() + ", blockSize=" + blockSize + ", tasks=" + tasks
                + ", iterations=" + totalIterations + ", unconverged=" + unconverged + ", largestError="
                + TextSummary.number(largestError) + ", matrix=" + TextSummary.matrix(matrix, size(), size()) + "]";
    }
}
