package org.measureflow.transformer.dynamics;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.TrajectoryRecorder;

/**
 * The continuous-depth transformer (survey eq. 28): the tokens follow \( \dot x_i = v_t(x_i; \mu_t) \) from depth 0,
 * integrated by a core {@link OdeIntegrator}; their empirical measure \( \mu_t \) solves the transformer PDE
 * \( \partial_t \mu + \mathrm{div}(\mu\, v_t(\cdot; \mu)) = 0 \) (eq. 29). The field is any {@link ParticleField}
 * (attention, Sinkformer, projected on the sphere or not); the weights travel with the tokens.
 */
public final class TokenFlow {
    private TokenFlow() {
    }

    /**
     * Integrates from depth 0 to the largest of {@code depths} and records the tokens at each of them (through the
     * integrator's dense output, {@link TrajectoryRecorder#atTimes(double...)}).
     *
     * @param integrator the ODE method
     * @param field      the velocity field of the tokens
     * @param tokens     the tokens at depth 0 (not modified)
     * @param depths     the depths to record, finite and {@code >= 0}, at least one; include 0 to record the input
     * @return the recorded measures, in increasing depth
     * @throws IllegalArgumentException on a null argument, no depth, or a negative or non-finite depth
     */
    public static TokenTrajectory integrate(OdeIntegrator integrator, ParticleField field, ParticleMeasure tokens,
                                            double... depths) {
        Arguments.notNull("integrator", integrator);
        Arguments.notNull("field", field);
        Arguments.notNull("tokens", tokens);
        Arguments.finite("depths", depths);
        if (depths.length == 0) {
            throw new IllegalArgumentException("depths must not be empty");
        }
        double end = 0;
        for (int k = 0; k < depths.length; k++) {
            Arguments.nonNegative("depths[" + k + "]", depths[k]);
            end = Math.max(end, depths[k]);
        }
        int n = tokens.size();
        int d = tokens.dimension();
        double[] y = tokens.flatPoints();
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(depths);
        IntegrationResult result = integrator.integrate(
                field.system(n, d, tokens.isUniform() ? null : tokens.weights()), 0.0, y, end, recorder);
        List<ParticleMeasure> measures = new ArrayList<>();
        double[] times = new double[recorder.size()];
        for (int k = 0; k < recorder.size(); k++) {
            times[k] = recorder.time(k);
            measures.add(tokens.withFlatPoints(recorder.state(k)));
        }
        return new TokenTrajectory(times, measures, result);
    }
}
