package org.measureflow.core.continuity;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;

/**
 * A density transported by the {@link ContinuitySolver} along \( \partial_t \rho + \mathrm{div}(\rho v) = 0 \)
 * (survey eq. 2), and how the time stepping went. Not an iterative result: the solver is a time integrator that
 * reports its steps, like {@link org.measureflow.core.ode.IntegrationResult}.
 *
 * @param density      the density at {@code finalTime}, on the grid of the initial density
 * @param finalTime    the time reached: the target time unless a {@link org.measureflow.core.ode.StepObserver}
 *                     stopped the run early
 * @param steps        the accepted time steps
 * @param cflBound     the smallest CFL bound \( \Delta t_{\max} = C / \max(S(t_n), S(t_n + \Delta t_n)) \) met
 *                     over the steps (\( C = 1/2 \), \( S(t) = \sum_k \max_{\text{faces}} |v_k|/h_k \); see the
 *                     package description); {@code +Infinity} when the field vanished on every face that carries
 *                     flux (every step is then stable), and the bound at the initial time when no step was taken
 * @param largestStep  the largest \( |\Delta t_n| \) taken (0 when no step was taken); at most
 *                     {@code courantNumber * cflBound}
 * @param massDrift    \( (M_1 - M_0)/M_0 \) with \( M = \sum_c \rho_c |\Delta| \) at the start and at
 *                     {@code finalTime}: round-off only, the scheme conserves mass exactly in exact arithmetic
 *                     (0 when \( M_0 = 0 \))
 * @param stoppedEarly whether the observer stopped the run before the target time
 */
public record ContinuityResult(GridDensity density, double finalTime, long steps, double cflBound,
                               double largestStep, double massDrift, boolean stoppedEarly) {
    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code density} is null or {@code steps < 0}
     */
    public ContinuityResult {
        Arguments.notNull("density", density);
        Arguments.nonNegative("steps", steps);
    }

    /**
     * One line, e.g. {@code ContinuityResult[t=1.0, 312 steps, cflBound=0.0032, largestStep=0.00288,
     * massDrift=1.1e-15, GridDensity[...]]}.
     */
    @Override
    public String toString() {
        return "ContinuityResult[t=" + TextSummary.number(finalTime) + ", " + steps + (steps == 1 ? " step" : " steps")
                + ", cflBound=" + TextSummary.brief(cflBound) + ", largestStep=" + TextSummary.brief(largestStep)
                + ", massDrift=" + TextSummary.brief(massDrift)
                + (stoppedEarly ? ", STOPPED EARLY by the observer" : "") + ", " + density + "]";
    }
}
