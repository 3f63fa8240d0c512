package org.measureflow.transformer.sinkformer;

/**
 * A Sinkformer attention matrix and how its Sinkhorn scaling ended.
 *
 * <p>The matrix is \( A_{ij} = P_{ij} / \sum_k P_{ik} \), row-major {@code n x n}, where
 * \( P_{ij} = w_i w_j e^{f_i + g_j + \ell_{ij}} \) is the Sinkhorn plan with both marginals equal to the token
 * weights \( w \). Its rows sum to 1 up to rounding; its columns satisfy \( \sum_i w_i A_{ij} = w_j \) up to the
 * Sinkhorn marginal error (for uniform weights, \( \sum_i A_{ij} = 1 \): doubly stochastic).
 *
 * @param matrix        the {@code n * n} entries, row-major (the accessor returns a copy)
 * @param n             number of tokens
 * @param iterations    Sinkhorn iterations used
 * @param marginalError \( \|P\mathbf 1 - w\|_1 + \|P^\top \mathbf 1 - w\|_1 \) of the plan
 * @param converged     whether the Sinkhorn tolerance was reached
 */
public record SinkhornAttention(double[] matrix, int n, int iterations, double marginalError, boolean converged) {
    /** Copies the matrix. */
    public SinkhornAttention {
        matrix = matrix.clone();
    }

    /** A copy of the matrix. */
    @Override
    public double[] matrix() {
        return matrix.clone();
    }

    /** Entry \( A_{ij} \). */
    public double get(int i, int j) {
        return matrix[i * n + j];
    }

    /** The row sums \( \sum_j A_{ij} \). */
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

    /** The column sums \( \sum_i A_{ij} \). */
    public double[] columnSums() {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[j] += matrix[i * n + j];
            }
        }
        return s;
    }
}
