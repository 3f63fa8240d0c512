package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of {@link SinkhornSolver#solve} (and of the unbalanced solver): dual potentials, the values of the
 * entropic problem, its plan, and how the iteration ended. The entropic problem (survey &sect;4, entropic
 * regularisation of eq. 10) is
 * \[ \mathrm{OT}_\varepsilon(a,b) = \min_{P \in U(a,b)} \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a\otimes b),
 * \qquad \mathrm{KL}(P\mid Q) = \sum_{ij} P_{ij}\log\frac{P_{ij}}{Q_{ij}} - P_{ij} + Q_{ij}, \]
 * and its plan is \( P_{ij} = a_i b_j \exp((f_i + g_j - C_{ij})/\varepsilon) \).
 *
 * <p>All values refer to the plan \( P \) defined by the returned potentials: {@link #error()} is its exact
 * \( \|P\mathbf 1 - a\|_1 + \|P^\top\mathbf 1 - b\|_1 \) (recomputed in a final pass, not an estimate), and
 * {@link #objective()} is its exact entropic cost. The one exception is a multiscale solve of large point clouds
 * ({@link SinkhornSolver.PointCloudKernel#MULTISCALE}), which sums only over the pairs of grid cells whose share
 * of the plan can matter: there the values are those of the plan restricted to these pairs, {@link #neglectedMass()}
 * bounds the mass of the rest, and the error adds twice that bound (the dropped entries change the row and column
 * sums by at most their total).
 *
 * @param f             the potential on the source atoms (the accessor returns a copy)
 * @param g             the potential on the target atoms (the accessor returns a copy)
 * @param cost          the transport cost \( \langle P, C\rangle \)
 * @param objective     \( \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b)
 *                      = \sum_i f_i (P\mathbf 1)_i + \sum_j g_j (P^\top\mathbf 1)_j - \varepsilon(\textstyle\sum_{ij}P_{ij} - 1) \)
 * @param dualObjective \( \langle a, f\rangle + \langle b, g\rangle - \varepsilon(\sum_{ij} P_{ij} - 1) \); it equals
 *                      {@code objective} up to \( \|P\mathbf 1-a\|_1 \max|f| + \|P^\top\mathbf 1-b\|_1\max|g| \), so
 *                      both tend to \( \mathrm{OT}_\varepsilon \) at convergence
 * @param epsilon       the regularisation \( \varepsilon \) used (absolute, in cost units)
 * @param neglectedMass an upper bound of \( \sum P_{ij} \) over the entries a multiscale solve skipped (0 for the
 *                      other solves)
 * @param plan          the plan, evaluated lazily from the potentials and the cost
 * @param convergence   Sinkhorn iterations done (one iteration = one update of \( g \) and one of \( f \), over all
 *                      stages of epsilon-scaling; in a Newton stage ({@link SemiDualNewton}) one column update, one
 *                      conjugate-gradient step or one line-search trial), and the L1 marginal error
 *                      \( \|P\mathbf 1 - a\|_1 + \|P^\top\mathbf 1 - b\|_1 \) tested against the tolerance (for
 *                      {@link org.measureflow.ot.unbalanced.UnbalancedSinkhorn}, the L1 KKT residual
 *                      \( \|P\mathbf 1 - a e^{-f/\rho_a}\|_1 + \|P^\top\mathbf 1 - b e^{-g/\rho_b}\|_1 \))
 */
public record SinkhornResult(double[] f, double[] g, double cost, double objective, double dualObjective,
        double epsilon, double neglectedMass, EntropicPlan plan, Convergence convergence) implements IterativeResult {

    /** Validates the record and copies the potentials. */
    public SinkhornResult {
        Arguments.notNull("f", f);
        Arguments.notNull("g", g);
        Arguments.notNull("plan", plan);
        Arguments.nonNegative("neglectedMass", neglectedMass);
        Arguments.notNull("convergence", convergence);
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

    /**
     * One line: sizes, epsilon, the cost and objective, how the iteration ended, and the start of \( f \), e.g.
     * {@code SinkhornResult[n=500, m=400, epsilon=0.05, cost=1.28..., objective=1.44..., converged in 37 iterations
     * (error 4.1e-10 <= 1e-09), f=[...]]}.
     */
    @Override
    public String toString() {
        return "SinkhornResult[n=" + f.length + ", m=" + g.length + ", epsilon=" + TextSummary.number(epsilon)
                + ", cost=" + TextSummary.number(cost) + ", objective=" + TextSummary.number(objective) + ", "
                + (neglectedMass > 0 ? "neglected mass <= " + TextSummary.brief(neglectedMass) + ", " : "")
                + convergence + ", f=" + TextSummary.array(f) + "]";
    }
}
