package org.measureflow.ot.sinkhorn;

/**
 * The outcome of {@link SinkhornSolver#solve}: dual potentials, the values of the entropic problem, and how the
 * iteration ended. The entropic problem (survey &sect;4, entropic regularisation of eq. 10) is
 * \[ \mathrm{OT}_\varepsilon(a,b) = \min_{P \in U(a,b)} \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a\otimes b),
 * \qquad \mathrm{KL}(P\mid Q) = \sum_{ij} P_{ij}\log\frac{P_{ij}}{Q_{ij}} - P_{ij} + Q_{ij}, \]
 * and its plan is \( P_{ij} = a_i b_j \exp((f_i + g_j - C_{ij})/\varepsilon) \).
 *
 * <p>All values refer to the plan \( P \) defined by the returned potentials: {@link #marginalError()} is its exact
 * \( \|P\mathbf 1 - a\|_1 + \|P^\top\mathbf 1 - b\|_1 \) (recomputed in a final pass, not an estimate), and
 * {@link #objective()} is its exact entropic cost.
 *
 * @param f              the potential on the source atoms (the accessor returns a copy)
 * @param g              the potential on the target atoms (the accessor returns a copy)
 * @param transportCost  \( \langle P, C\rangle \)
 * @param objective      \( \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b)
 *                       = \sum_i f_i (P\mathbf 1)_i + \sum_j g_j (P^\top\mathbf 1)_j - \varepsilon(\textstyle\sum_{ij}P_{ij} - 1) \)
 * @param dualValue      \( \langle a, f\rangle + \langle b, g\rangle - \varepsilon(\sum_{ij} P_{ij} - 1) \), the dual
 *                       objective; it equals {@code objective} up to \( \|P\mathbf 1-a\|_1 \max|f| +
 *                       \|P^\top\mathbf 1-b\|_1\max|g| \), so both tend to \( \mathrm{OT}_\varepsilon \) at convergence
 * @param iterations     Sinkhorn iterations done (one iteration = one update of \( g \) and one of \( f \)), over all
 *                       stages of epsilon-scaling
 * @param marginalError  \( \|P\mathbf 1 - a\|_1 + \|P^\top\mathbf 1 - b\|_1 \)
 * @param converged      whether {@code marginalError <= tolerance} was reached within the iteration budget
 * @param epsilon        the regularisation \( \varepsilon \) (absolute, in cost units)
 * @param plan           the plan, evaluated lazily from the potentials and the cost
 */
public record SinkhornResult(double[] f, double[] g, double transportCost, double objective, double dualValue,
        int iterations, double marginalError, boolean converged, double epsilon, EntropicPlan plan) {

    /** Copies the potentials. */
    public SinkhornResult {
        f = f.clone();
        g = g.clone();
    }

    /** A copy of the source potential \( f \). */
    @Override
    public double[] f() {
        return f.clone();
    }

    /** A copy of the target potential \( g \). */
    @Override
    public double[] g() {
        return g.clone();
    }

    /** The dense plan \( P \), row-major, {@code n * m} entries (for moderate sizes). */
    public double[] densePlan() {
        return plan.toDense();
    }

    /** \( P v \) without storing \( P \). */
    public double[] applyPlan(double[] v) {
        return plan.apply(v);
    }

    /** \( P^\top u \) without storing \( P \). */
    public double[] applyPlanTransposed(double[] u) {
        return plan.applyTransposed(u);
    }

    /**
     * For point-cloud input, the barycentric map \( T(x_i) = \sum_j P_{ij} y_j / \sum_j P_{ij} \) (equal to
     * \( \sum_j P_{ij} y_j / a_i \) at convergence), row-major {@code n * d}.
     *
     * @throws IllegalStateException for a dense-cost result
     */
    public double[] barycentricMap() {
        return plan.barycentricMap();
    }
}
