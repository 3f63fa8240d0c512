package org.measureflow.gradientflow.jko;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.GridDensity;

/**
 * A run of the JKO scheme ({@link EntropicJko#flow}): \( \rho_0 \) and the steps \( \rho_1, \dots, \rho_K \), with
 * \( \rho_k \) the approximation of the gradient flow at time \( k\tau \) (survey eq. 13).
 *
 * <p>The convergence record sums the scaling iterations of all steps; its error is the largest marginal error of
 * the steps (see {@link JkoStepResult}; 0 without steps), and the run converged when every step did. When an
 * observer stopped the run, {@code steps} holds the steps done and the termination is
 * {@link org.measureflow.core.iteration.Termination#STOPPED}.
 *
 * @param initial     the initial density \( \rho_0 \)
 * @param tau         the time step \( \tau \)
 * @param steps       the steps, in order (an unmodifiable copy)
 * @param convergence the summed iterations, the largest marginal error, the tolerance and the termination
 */
public record JkoResult(GridDensity initial, double tau, List<JkoStepResult> steps, Convergence convergence)
        implements IterativeResult {
    /**
     * Copies the list of steps.
     *
     * @throws IllegalArgumentException if an argument is null or a step is null
     */
    public JkoResult {
        Arguments.notNull("initial", initial);
        Arguments.notNull("steps", steps);
        Arguments.notNull("convergence", convergence);
        steps = List.copyOf(steps);
    }

    /**
     * The last density \( \rho_K \) (the initial one if there are no steps).
     *
     * @return \( \rho_K \)
     */
    public GridDensity finalDensity() {
        return steps.isEmpty() ? initial : steps.get(steps.size() - 1).density();
    }

    /**
     * The density after step {@code k} (\( k = 0 \) is the initial density), at time \( k\tau \).
     *
     * @param k the step, in {@code [0, steps().size()]}
     * @return \( \rho_k \)
     * @throws IllegalArgumentException if {@code k} is out of range
     */
    public GridDensity density(int k) {
        Arguments.inRange("k", k, 0, steps.size());
        return k == 0 ? initial : steps.get(k - 1).density();
    }

    /**
     * One line: {@code JkoResult[steps=30, tau=0.05, final mass=1.0, final energy=-1.2, converged in 912 iterations
     * (error 9.9e-10 <= 1e-09)]}.
     */
    @Override
    public String toString() {
        double energy = steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).energy();
        return "JkoResult[steps=" + steps.size() + ", tau=" + TextSummary.number(tau) + ", cells=" + initial.size()
                + ", final mass=" + TextSummary.number(finalDensity().mass()) + ", final energy="
                + TextSummary.number(energy) + ", " + convergence + "]";
    }
}
