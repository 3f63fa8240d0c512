package org.measureflow.flowmatching.coupling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;

/**
 * Minibatch exact OT coupling (OT-CFM): the permutation \( \pi \) minimising
 * \( \sum_i |x_0^{(i)} - x_1^{(\pi(i))}|^2 \), i.e. the Kantorovich problem (survey eq. 10) between two uniform
 * measures of \( n \) points, solved by {@link NetworkSimplex}. For uniform weights and equal sizes the optimal
 * vertex of the transport polytope is a permutation matrix (Birkhoff), so the plan gives the pairing directly; if a
 * degenerate plan ever splits a row, the row's partner is drawn in proportion to its masses.
 */
public final class ExactOtCoupling implements Coupling {
    private final NetworkSimplex solver = NetworkSimplex.withDefaults();

    /** The coupling ({@link Coupling#exactOt()}); stateless. */
    ExactOtCoupling() {
    }

    @Override
    public int[] pair(double[] x0, double[] x1, int n, int d, RandomGenerator rng) {
        ParticleMeasure a = ParticleMeasure.fromFlat(Arrays.copyOf(x0, n * d), d);
        ParticleMeasure b = ParticleMeasure.fromFlat(Arrays.copyOf(x1, n * d), d);
        ExactOtResult result = solver.solve(a, b);
        SparsePlan plan = result.plan();
        int[] pi = new int[n];
        double[] rowMass = new double[n];
        for (int k = 0; k < plan.size(); k++) {
            rowMass[plan.row(k)] += plan.mass(k);
        }
        // Each row's partner is drawn in proportion to its masses; a permutation row has a single entry.
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextDouble() * rowMass[i];
        }
        boolean[] chosen = new boolean[n];
        for (int k = 0; k < plan.size(); k++) {
            int i = plan.row(k);
            double mass = plan.mass(k);
            if (chosen[i] || mass <= 0) {
                continue;
            }
            pi[i] = plan.col(k);
            u[i] -= mass;
            chosen[i] = u[i] < 0;
        }
        return pi;
    }

    @Override
    public String toString() {
        return "exact-ot";
    }
}
