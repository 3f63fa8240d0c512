package org.measureflow.transformer.dynamics;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;

/**
 * Token measures recorded at several depths, from {@link DiscreteTransformer} (eq. 26) or {@link TokenFlow}
 * (eq. 28), and how the run through depth went.
 *
 * @param depths      the recorded depths, increasing (the accessor returns a copy); empty only when an observer
 *                    stopped the run before the first requested depth
 * @param tokens      the token measure at each depth (an unmodifiable list)
 * @param integration how the run went: for {@link TokenFlow}, the integrator's counts; for
 *                    {@link DiscreteTransformer}, one explicit Euler step and one field evaluation per layer run,
 *                    and whether an observer stopped it early
 */
public record TokenFlowResult(double[] depths, List<ParticleMeasure> tokens, IntegrationResult integration) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an argument or a measure is null, or the lists have different lengths
     */
    public TokenFlowResult {
        Arguments.notNull("depths", depths);
        Arguments.notNull("tokens", tokens);
        Arguments.length("tokens", tokens.size(), depths.length);
        Arguments.noNulls("tokens", tokens.toArray(new ParticleMeasure[0]));
        Arguments.notNull("integration", integration);
        depths = depths.clone();
        tokens = List.copyOf(tokens);
    }

    /** A copy of the recorded depths. */
    @Override
    public double[] depths() {
        return depths.clone();
    }

    /**
     * Number of recorded depths.
     *
     * @return the number of recorded depths
     */
    public int size() {
        return depths.length;
    }

    /**
     * The tokens at the {@code k}-th recorded depth.
     *
     * @param k the index, {@code 0 <= k < size()}
     * @return the token measure
     * @throws IllegalArgumentException if {@code k} is out of range
     */
    public ParticleMeasure at(int k) {
        return tokens.get(Arguments.index("k", k, depths.length));
    }

    /**
     * The tokens at the last recorded depth.
     *
     * @return the token measure
     * @throws IllegalStateException if nothing was recorded (an observer stopped the run before the first
     *                               requested depth)
     */
    public ParticleMeasure last() {
        if (tokens.isEmpty()) {
            throw new IllegalStateException("no depth was recorded: the run stopped at depth "
                    + integration.finalTime() + ", before the first requested depth");
        }
        return tokens.get(tokens.size() - 1);
    }

    /**
     * One line: the number of tokens and their dimension, the recorded depths and the integration's counts, e.g.
     * {@code TokenFlowResult[n=64, d=2, depths=[0, 0.5, 1], IntegrationResult[t=1.0, 20 steps (0 rejected), 80
     * evaluations]]}.
     */
    @Override
    public String toString() {
        String sizes = tokens.isEmpty() ? "no depth recorded"
                : "n=" + tokens.get(0).size() + ", d=" + tokens.get(0).dimension();
        return "TokenFlowResult[" + sizes + ", depths=" + TextSummary.array(depths) + ", " + integration + "]";
    }
}
