package org.measureflow.spark;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * One solved row of a {@link SinkhornBatch}: the Sinkhorn divergence
 * \( S_\varepsilon(\mu_s,\mu_t) = \mathrm{OT}_\varepsilon(\mu_s,\mu_t) - \tfrac12\mathrm{OT}_\varepsilon(\mu_s,\mu_s)
 * - \tfrac12\mathrm{OT}_\varepsilon(\mu_t,\mu_t) \), its three terms and how the three solves ended, as
 * {@link org.measureflow.ot.sinkhorn.SinkhornDivergenceResult} reports them.
 *
 * @param id          the row's id
 * @param source      the index \( s \) of the source cloud
 * @param target      the index \( t \) of the target cloud
 * @param epsilon     the row's \( \varepsilon \)
 * @param value       \( S_\varepsilon(\mu_s, \mu_t) \)
 * @param crossTerm   \( \mathrm{OT}_\varepsilon(\mu_s, \mu_t) \)
 * @param selfSource  \( \mathrm{OT}_\varepsilon(\mu_s, \mu_s) \)
 * @param selfTarget  \( \mathrm{OT}_\varepsilon(\mu_t, \mu_t) \)
 * @param convergence the iterations of the three solves together and, as error, the largest L1 marginal error of
 *                    the three plans, tested against the solver's tolerance
 */
public record BatchProblemResult(long id, long source, long target, double epsilon, double value, double crossTerm,
        double selfSource, double selfTarget, Convergence convergence) implements IterativeResult {
    /** Validates the record. */
    public BatchProblemResult {
        Arguments.notNull("convergence", convergence);
    }

    /** One line: the row, the value, the terms and how the solves ended. */
    @Override
    public String toString() {
        return "BatchProblemResult[id=" + id + ", source=" + source + ", target=" + target + ", epsilon="
                + TextSummary.number(epsilon) + ", value=" + TextSummary.number(value) + ", crossTerm="
                + TextSummary.number(crossTerm) + ", selfSource=" + TextSummary.number(selfSource) + ", selfTarget="
                + TextSummary.number(selfTarget) + ", " + convergence + "]";
    }
}
