package org.measureflow.transformer.dynamics;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;

/**
 * Token measures recorded at several depths, from {@link DiscreteTransformer} or {@link TokenFlow}.
 *
 * @param depths      the recorded depths, increasing (the accessor returns a copy)
 * @param tokens      the token measure at each depth (an unmodifiable list)
 * @param integration for {@link TokenFlow}, how the integration went; for {@link DiscreteTransformer},
 *                    {@code null}
 */
public record TokenTrajectory(double[] depths, List<ParticleMeasure> tokens, IntegrationResult integration) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the lists are null or of different lengths
     */
    public TokenTrajectory {
        Arguments.notNull("depths", depths);
        Arguments.notNull("tokens", tokens);
        Arguments.length("tokens", tokens.size(), depths.length);
        depths = depths.clone();
        tokens = List.copyOf(tokens);
    }

    /** A copy of the recorded depths. */
    @Override
    public double[] depths() {
        return depths.clone();
    }

    /** Number of recorded depths. */
    public int size() {
        return depths.length;
    }

    /** The tokens at the {@code k}-th recorded depth. */
    public ParticleMeasure at(int k) {
        return tokens.get(k);
    }

    /** The tokens at the last recorded depth. */
    public ParticleMeasure last() {
        return tokens.get(tokens.size() - 1);
    }
}
