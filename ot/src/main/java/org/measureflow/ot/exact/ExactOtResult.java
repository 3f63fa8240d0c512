package org.measureflow.ot.exact;

/**
 * The outcome of an exact transport solve \( \min_{P \in U(a,b)} \langle C, P \rangle \) (survey eq. 10).
 *
 * <p>When {@link #converged()} is true, {@link #plan()} is an optimal basic plan (at most \( n+m-1 \) entries)
 * and \( (f, g) \) an optimal solution of the dual \( \max \{ \langle a, f\rangle + \langle b, g\rangle :
 * f_i + g_j \le C_{ij} \} \), so that \( \langle a,f\rangle + \langle b,g\rangle = \langle C, P\rangle \) (zero
 * duality gap) and \( f_i + g_j = C_{ij} \) on the support of \( P \) (complementary slackness), all up to
 * floating-point rounding. When it is false (the iteration limit was reached), the plan is still feasible but
 * not optimal and the potentials are not dual feasible.
 *
 * @param cost       transport cost \( \langle C, P \rangle = \sum_{ij} P_{ij} C_{ij} \)
 * @param plan       the plan as a sparse list of entries
 * @param f          dual potential of the rows (length \( n \))
 * @param g          dual potential of the columns (length \( m \))
 * @param iterations number of simplex pivots performed
 * @param converged  whether optimality was proven (no arc of negative reduced cost left)
 */
public record ExactOtResult(double cost, SparsePlan plan, double[] f, double[] g, long iterations,
                            boolean converged) {
    /** Copies the potentials. */
    public ExactOtResult {
        f = f.clone();
        g = g.clone();
    }

    /** A copy of the row potential \( f \). */
    @Override
    public double[] f() {
        return f.clone();
    }

    /** A copy of the column potential \( g \). */
    @Override
    public double[] g() {
        return g.clone();
    }

    /** The dual objective \( \langle a, f\rangle + \langle b, g\rangle \) (equals {@link #cost()} at optimality). */
    public double dualObjective(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += a[i] * f[i];
        }
        for (int j = 0; j < g.length; j++) {
            s += b[j] * g[j];
        }
        return s;
    }
}
