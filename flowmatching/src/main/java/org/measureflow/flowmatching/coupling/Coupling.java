package org.measureflow.flowmatching.coupling;

import java.util.random.RandomGenerator;

import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * A coupling of two minibatches of equal size \( n \): latent points \( x_0^{(i)} \) and data points
 * \( x_1^{(j)} \), both with uniform weights. It returns, for each latent point \( i \), the index \( j = \pi(i) \)
 * of the data point it is paired with; the training pairs are \( (x_0^{(i)}, x_1^{(\pi(i))}) \). The independent
 * coupling (survey eq. 8, \( \pi \) = identity on independently drawn batches) and the minibatch-OT couplings of
 * OT-CFM (Tong et al. 2024; Pooladian et al. 2023) are the implementations.
 */
public interface Coupling {
    /**
     * Pairs the batches.
     *
     * @param x0  latent points, \( n \times d \) row-major
     * @param x1  data points, \( n \times d \) row-major
     * @param n   batch size
     * @param d   dimension
     * @param rng randomness for stochastic couplings (same seed, same pairs)
     * @return {@code pi} with {@code pi[i]} the data index paired with latent point {@code i}
     */
    int[] pair(double[] x0, double[] x1, int n, int d, RandomGenerator rng);

    /** The independent coupling: the identity pairing of two independently drawn batches. */
    static Coupling independent() {
        return new Coupling() {
            @Override
            public int[] pair(double[] x0, double[] x1, int n, int d, RandomGenerator rng) {
                int[] pi = new int[n];
                for (int i = 0; i < n; i++) {
                    pi[i] = i;
                }
                return pi;
            }

            @Override
            public String toString() {
                return "independent";
            }
        };
    }

    /** Minibatch exact OT: the optimal permutation for \( |x - y|^2 \) (see {@link ExactOtCoupling}). */
    static Coupling exactOt() {
        return new ExactOtCoupling();
    }

    /**
     * Minibatch entropic OT (see {@link SinkhornCoupling}), each minibatch's plan solved by {@code solver}
     * (its \( \varepsilon \) is in the units of the squared distances, e.g.
     * {@code SinkhornSolver.of(0.05).withTolerance(1e-6)}).
     *
     * @param solver the Sinkhorn solver of each minibatch
     * @return the coupling
     * @throws IllegalArgumentException if {@code solver} is null
     */
    static Coupling sinkhorn(SinkhornSolver solver) {
        return new SinkhornCoupling(solver);
    }
}
