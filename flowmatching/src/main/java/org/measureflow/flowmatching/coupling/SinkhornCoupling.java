package org.measureflow.flowmatching.coupling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.EntropicPlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Minibatch entropic OT coupling: the Sinkhorn plan \( P_\varepsilon \) of
 * \( \min_P \langle C, P\rangle + \varepsilon\,\mathrm{KL}(P | a\otimes b) \), \( C_{ij} = |x_0^{(i)} - x_1^{(j)}|^2 \)
 * (the solver's \( \varepsilon \), its tolerance and iteration limit), and each latent point \( i \) paired with
 * \( j \) drawn from the row's conditional law \( P_{ij}/a_i \). Drawing row by row keeps every latent point exactly
 * once (OT-CFM implementations often draw pairs from the whole plan with replacement instead; both target the same
 * joint law). As \( \varepsilon \to 0 \) this tends to {@link ExactOtCoupling}, as \( \varepsilon \to \infty \) to
 * the independent coupling.
 */
public final class SinkhornCoupling implements Coupling {
    private final SinkhornSolver solver;

    /** The coupling ({@link Coupling#sinkhorn(SinkhornSolver)}). */
    SinkhornCoupling(SinkhornSolver solver) {
        this.solver = Arguments.notNull("solver", solver);
    }

    /** @return the solver of each minibatch's entropic plan */
    public SinkhornSolver sinkhorn() {
        return solver;
    }

    @Override
    public int[] pair(double[] x0, double[] x1, int n, int d, RandomGenerator rng) {
        ParticleMeasure a = ParticleMeasure.fromFlat(Arrays.copyOf(x0, n * d), d);
        ParticleMeasure b = ParticleMeasure.fromFlat(Arrays.copyOf(x1, n * d), d);
        SinkhornResult result = solver.solve(a, b);
        EntropicPlan plan = result.plan();
        int[] pi = new int[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < n; j++) {
                row[j] = plan.entry(i, j);
                total += row[j];
            }
            double u = rng.nextDouble() * total;
            int j = 0;
            while (j < n - 1 && (u -= row[j]) >= 0) {
                j++;
            }
            pi[i] = j;
        }
        return pi;
    }

    @Override
    public String toString() {
        return "sinkhorn(" + solver + ")";
    }
}
