package org.measureflow.ot.exact;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of an exact transport solve \( \min_{P \in U(a,b)} \langle C, P \rangle \) (survey eq. 10).
 *
 * <p>When {@link #converged()} is true, {@link #plan()} is an optimal basic plan (at most \( n+m-1 \) entries)
 * and \( (f, g) \) an optimal solution of the dual \( \max \{ \langle a, f\rangle + \langle b, g\rangle :
 * f_i + g_j \le C_{ij} \} \), so that \( \langle a,f\rangle + \langle b,g\rangle = \langle C, P\rangle \) (zero
 * duality gap) and \( f_i + g_j = C_{ij} \) on the support of \( P \) (complementary slackness), all up to
 * floating-point rounding. When it is false (the iteration limit was reached, or an observer stopped the solve),
 * the plan is still feasible but not optimal and the potentials are not dual feasible.
 *
 * @param cost        transport cost \( \langle C, P \rangle = \sum_{ij} P_{ij} C_{ij} \)
 * @param plan        the plan as a sparse list of entries
 * @param f           dual potential of the rows (length \( n \))
 * @param g           dual potential of the columns (length \( m \))
 * @param convergence pivots done, and as error the largest dual-constraint violation
 *                    \( \max(0, f_i + g_j - C_{ij}) \) found by the last pricing, tested against the solver's
 *                    threshold \( 10^{-13} \max|C| \)
 */
public record ExactOtResult(double cost, SparsePlan plan, double[] f, double[] g, Convergence convergence)
        implements IterativeResult {
    /** Validates and copies the potentials. */
    public ExactOtResult {
        Arguments.notNull("plan", plan);
        Arguments.notNull("f", f);
        Arguments.notNull("g", g);
        Arguments.length("f", f.length, plan.sourceSize());
        Arguments.length("g", g.length, plan.targetSize());
        Arguments.notNull("convergence", convergence);
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

    /**
     * The dual objective \( \langle a, f\rangle + \langle b, g\rangle \) (equals {@link #cost()} at optimality).
     *
     * @throws IllegalArgumentException if {@code a} or {@code b} is null or has the wrong length
     */
    public double dualObjective(double[] a, double[] b) {
        Arguments.notNull("a", a);
        Arguments.notNull("b", b);
        Arguments.length("a", a.length, f.length);
        Arguments.length("b", b.length, g.length);
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += a[i] * f[i];
        }
        for (int j = 0; j < g.length; j++) {
            s += b[j] * g[j];
        }
        return s;
    }

    /** One line: sizes, the cost, the plan's size and how the solve ended. */
    @Override
    public String toString() {
        return "ExactOtResult[n=" + f.length + ", m=" + g.length + ", cost=" + TextSummary.number(cost) + ", plan: "
                + plan.size() + " entries, " + convergence + "]";
    }
}
