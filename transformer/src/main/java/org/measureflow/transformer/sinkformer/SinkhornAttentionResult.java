package org.measureflow.transformer.sinkformer;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * A Sinkformer attention matrix and how its Sinkhorn scaling ended.
 *
 * <p>The matrix is \( A_{ij} = P_{ij} / \sum_k P_{ik} \), row-major {@code n x n}, where
 * \( P_{ij} = w_i w_j e^{(f_i + g_j + \ell_{ij})/\varepsilon} \) is the Sinkhorn plan with both marginals equal to
 * the token weights \( w \). Its rows sum to 1 up to rounding; its columns satisfy \( \sum_i w_i A_{ij} = w_j \) up
 * to the Sinkhorn marginal error (for uniform weights, \( \sum_i A_{ij} = 1 \): doubly stochastic).
 *
 * @param matrix      the {@code n * n} entries, row-major (the accessor returns a copy)
 * @param n           number of tokens
 * @param epsilon     the regularisation (temperature) \( \varepsilon \) of the Sinkhorn problem
 * @param convergence the Sinkhorn solve's: its iterations, and as error the L1 marginal error
 *                    \( \|P\mathbf 1 - w\|_1 + \|P^\top \mathbf 1 - w\|_1 \) of the plan tested against the solver's
 *                    tolerance
 */
public record SinkhornAttentionResult(double[] matrix, int n, double epsilon, Convergence convergence)
        implements IterativeResult {
    /**
     * Validates and copies the matrix.
     *
     * @throws IllegalArgumentException if the matrix or the convergence is null, or the matrix does not have
     *                                  {@code n * n} entries
     */
    public SinkhornAttentionResult {
        Arguments.notNull("matrix", matrix);
        Arguments.nonNegative("n", n);
        Arguments.length("matrix", matrix.length, Arguments.product("n * n", n, n));
        Arguments.notNull("convergence", convergence);
        matrix = matrix.clone();
    }

    /** A copy of the matrix. */
    @Override
    public double[] matrix() {
        return matrix.clone();
    }

    /**
     * Entry \( A_{ij} \).
     *
     * @param i the row (query token), {@code 0 <= i < n}
     * @param j the column (key token), {@code 0 <= j < n}
     * @return the attention of token {@code i} to token {@code j}
     * @throws IllegalArgumentException if an index is out of range
     */
    public double get(int i, int j) {
        return matrix[Arguments.index("i", i, n) * n + Arguments.index("j", j, n)];
    }

    /**
     * The row sums \( \sum_j A_{ij} \).
     *
     * @return {@code n} sums
     */
    public double[] rowSums() {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += matrix[i * n + j];
            }
            s[i] = r;
        }
        return s;
    }

    /**
     * The column sums \( \sum_i A_{ij} \).
     *
     * @return {@code n} sums
     */
    public double[] columnSums() {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[j] += matrix[i * n + j];
            }
        }
        return s;
    }

    /**
     * One line: size, epsilon, the convergence line and the matrix (by value up to 4 x 4), e.g.
     * {@code SinkhornAttentionResult[n=30, epsilon=1.0, converged in 12 iterations (error 3.1e-11 <= 1e-10),
     * matrix=30x30 [[0.04, 0.021, 0.05, ...], [...], ...]]}.
     */
    @Override
    public String toString() {
        return "SinkhornAttentionResult[n=" + n + ", epsilon=" + TextSummary.number(epsilon) + ", " + convergence
                + ", matrix=" + TextSummary.matrix(matrix, n, n) + "]";
    }
}
