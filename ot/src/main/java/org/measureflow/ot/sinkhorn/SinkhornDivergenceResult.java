package org.measureflow.ot.sinkhorn;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The debiased Sinkhorn divergence \( S_\varepsilon(a, b) = \mathrm{OT}_\varepsilon(a, b) - \tfrac12
 * \mathrm{OT}_\varepsilon(a, a) - \tfrac12 \mathrm{OT}_\varepsilon(b, b) \) computed by {@link SinkhornDivergence},
 * its three terms, optionally its gradient, and how the three problems ended.
 *
 * <p>The terms are the full entropic objectives \( \langle P, C\rangle + \varepsilon\,\mathrm{KL}(P \mid a \otimes b) \)
 * (GeomLoss's convention); POT's {@code empirical_sinkhorn_divergence} subtracts the transport costs
 * \( \langle P, C\rangle \) instead (see {@code docs/conventions.md}).
 *
 * @param value       \( S_\varepsilon(a, b) \)
 * @param gradient    \( \nabla_{x} S_\varepsilon \), row-major {@code n * d} (copy), or {@code null} when only the
 *                    value was asked for (or for dense costs)
 * @param crossTerm   \( \mathrm{OT}_\varepsilon(a, b) \)
 * @param selfSource  \( \mathrm{OT}_\varepsilon(a, a) \)
 * @param selfTarget  \( \mathrm{OT}_\varepsilon(b, b) \)
 * @param epsilon     the absolute epsilon shared by the three terms
 * @param convergence the iterations of the three problems together, and as error the largest L1 marginal error of
 *                    the three plans; converged when all three reached the tolerance
 */
public record SinkhornDivergenceResult(double value, double[] gradient, double crossTerm, double selfSource,
        double selfTarget, double epsilon, Convergence convergence) implements IterativeResult {
    /** Validates the record and copies the gradient. */
    public SinkhornDivergenceResult {
        Arguments.notNull("convergence", convergence);
        gradient = gradient == null ? null : gradient.clone();
    }

    /** A copy of the gradient (or {@code null}). */
    @Override
    public double[] gradient() {
        return gradient == null ? null : gradient.clone();
    }

    /** One line: the value, the three terms, epsilon and how the problems ended. */
    @Override
    public String toString() {
        return "SinkhornDivergenceResult[value=" + TextSummary.number(value) + ", crossTerm="
                + TextSummary.number(crossTerm) + ", selfSource=" + TextSummary.number(selfSource) + ", selfTarget="
                + TextSummary.number(selfTarget) + ", epsilon=" + TextSummary.number(epsilon) + ", " + convergence
                + (gradient == null ? "" : ", gradient=" + TextSummary.array(gradient)) + "]";
    }
}
