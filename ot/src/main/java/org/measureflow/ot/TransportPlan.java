package org.measureflow.ot;

/**
 * A transport plan \( P \in \mathbb{R}_+^{n \times m} \) between \( n \) source and \( m \) target atoms (survey
 * eq. 10): the one plan type of the library, whether stored sparsely (the basic plans of exact solvers) or held
 * implicitly through dual potentials (the plans of entropic solvers, never stored as an {@code n x m} array unless
 * asked for).
 *
 * <p>The one dense shape is a flat row-major {@code double[]} of {@code n * m} entries, entry \( P_{ij} \) at
 * {@code i * m + j}: the layout of {@link CostMatrix} and of EJML's {@code DMatrixRMaj}.
 */
public interface TransportPlan {
    /** The number of source atoms {@code n} (rows). */
    int sourceSize();

    /** The number of target atoms {@code m} (columns). */
    int targetSize();

    /**
     * The dense plan, flat row-major: \( P_{ij} \) at {@code i * m + j}.
     *
     * @return a new array of {@code n * m} entries
     * @throws IllegalArgumentException if {@code n * m} exceeds the largest array
     */
    double[] toDense();

    /**
     * \( (P v)_i = \sum_j P_{ij} v_j \), without storing \( P \).
     *
     * @param v a finite vector of length {@code m}
     * @return a new vector of length {@code n}
     * @throws IllegalArgumentException if {@code v} is null, of the wrong length or not finite
     */
    double[] apply(double[] v);

    /**
     * \( (P^\top u)_j = \sum_i P_{ij} u_i \), without storing \( P \).
     *
     * @param u a finite vector of length {@code n}
     * @return a new vector of length {@code m}
     * @throws IllegalArgumentException if {@code u} is null, of the wrong length or not finite
     */
    double[] applyTransposed(double[] u);

    /** The source marginal \( P\mathbf 1 \) (length {@code n}). */
    default double[] sourceMarginal() {
        double[] ones = new double[targetSize()];
        java.util.Arrays.fill(ones, 1.0);
        return apply(ones);
    }

    /** The target marginal \( P^\top \mathbf 1 \) (length {@code m}). */
    default double[] targetMarginal() {
        double[] ones = new double[sourceSize()];
        java.util.Arrays.fill(ones, 1.0);
        return applyTransposed(ones);
    }
}
