package org.measureflow.ot.exact;

import org.measureflow.core.iteration.Convergence;

/**
 * Turns the final basis of {@link NetworkSimplex} into an {@link ExactOtResult} in the caller's indexing
 * (package-private): the plan is the tree arcs of positive flow, sorted by row and then by column; the cost
 * \( \sum_k P_k C_{r_k c_k} \) is summed in that order over the original costs; the potentials come back through
 * {@link ZeroMassReduction#restorePotentials}.
 */
final class ExactResultAssembly {
    private ExactResultAssembly() {
    }

    /** The result of the solve that ended with {@code tree} (potentials up to date) and {@code convergence}. */
    static ExactOtResult result(ZeroMassReduction problem, SpanningTree tree, Convergence convergence) {
        SparsePlan plan = plan(problem, tree);
        double total = 0;
        for (int t = 0; t < plan.size(); t++) {
            total += plan.mass(t) * problem.original.get(plan.row(t), plan.col(t));
        }
        double[] f = new double[problem.originalRows];
        double[] g = new double[problem.originalCols];
        problem.restorePotentials(tree.u, tree.v, f, g);
        return new ExactOtResult(total, plan, f, g, convergence);
    }

    /** The arcs of positive flow in original indices, counting-sorted by row, insertion-sorted by column in a row. */
    private static SparsePlan plan(ZeroMassReduction problem, SpanningTree tree) {
        int n = tree.sources();
        int nodes = n + problem.colMap.length;
        int n0 = problem.originalRows;
        int[] er = new int[nodes];
        int[] ec = new int[nodes];
        double[] em = new double[nodes];
        int count = 0;
        int[] perRow = new int[n0 + 1];
        for (int node = 1; node < nodes; node++) {
            if (tree.flow[node] > 0) {
                int p = tree.parent[node];
                int r = node < n ? node : p;
                int col = node < n ? p - n : node - n;
                er[count] = problem.rowMap[r];
                ec[count] = problem.colMap[col];
                em[count] = tree.flow[node];
                perRow[er[count] + 1]++;
                count++;
            }
        }
        for (int i = 0; i < n0; i++) {
            perRow[i + 1] += perRow[i];
        }
        int[] rows = new int[count];
        int[] cols = new int[count];
        double[] masses = new double[count];
        int[] fill = perRow.clone();
        for (int t = 0; t < count; t++) {
            int pos = fill[er[t]]++;
            rows[pos] = er[t];
            cols[pos] = ec[t];
            masses[pos] = em[t];
        }
        for (int i = 0; i < n0; i++) {
            for (int s = perRow[i] + 1; s < perRow[i + 1]; s++) {
                int cc = cols[s];
                double mm = masses[s];
                int t = s - 1;
                while (t >= perRow[i] && cols[t] > cc) {
                    cols[t + 1] = cols[t];
                    masses[t + 1] = masses[t];
                    t--;
                }
                cols[t + 1] = cc;
                masses[t + 1] = mm;
            }
        }
        return new SparsePlan(n0, problem.originalCols, rows, cols, masses);
    }
}
