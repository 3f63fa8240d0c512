package org.measureflow.transformer.dynamics;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.ode.TrajectoryRecorder;

/**
 * The continuous-depth transformer (survey eq. 28): the tokens follow \( \dot x_i = v_t(x_i; \mu_t) \) from depth 0,
 * integrated by a core {@link OdeIntegrator}; their empirical measure \( \mu_t \) solves the transformer PDE
 * \( \partial_t \mu + \mathrm{div}(\mu\, v_t(\cdot; \mu)) = 0 \) (eq. 29). The field is any {@link ParticleField}
 * (attention, Sinkformer, projected on the sphere or not); the weights travel with the tokens.
 *
 * <p>Made by {@link #of(ParticleField, OdeIntegrator)}: the field and the integrator are both required (a
 * fixed-step integrator's step has no scale-free default); changed by {@link #withField(ParticleField)} and
 * {@link #withIntegrator(OdeIntegrator)}. Immutable and thread-safe when the field and the integrator are. The
 * integration is watched by the integrator's {@link StepObserver} (progress bars, early stop), as for every ODE in
 * the library.
 */
public final class TokenFlow {
    private final ParticleField field;
    private final OdeIntegrator integrator;

    private TokenFlow(ParticleField field, OdeIntegrator integrator) {
        this.field = field;
        this.integrator = integrator;
    }

    /**
     * The flow of {@code field} integrated by {@code integrator}.
     *
     * @param field      the velocity field of the tokens
     * @param integrator the ODE method
     * @return the flow
     * @throws IllegalArgumentException if an argument is null
     */
    public static TokenFlow of(ParticleField field, OdeIntegrator integrator) {
        return new TokenFlow(Arguments.notNull("field", field), Arguments.notNull("integrator", integrator));
    }

    /**
     * This flow with another field.
     *
     * @param field the velocity field of the tokens
     * @return a new flow (this one is unchanged)
     * @throws IllegalArgumentException if {@code field} is null
     */
    public TokenFlow withField(ParticleField field) {
        return new TokenFlow(Arguments.notNull("field", field), integrator);
    }

    /**
     * This flow with another integrator.
     *
     * @param integrator the ODE method
     * @return a new flow (this one is unchanged)
     * @throws IllegalArgumentException if {@code integrator} is null
     */
    public TokenFlow withIntegrator(OdeIntegrator integrator) {
        return new TokenFlow(field, Arguments.notNull("integrator", integrator));
    }

    /** The velocity field of the tokens. */
    public ParticleField field() {
        return field;
    }

    /** The ODE method. */
    public OdeIntegrator integrator() {
        return integrator;
    }

    /**
     * Integrates from depth 0 to the largest of {@code depths} and records the tokens at each of them (through the
     * integrator's dense output, {@link TrajectoryRecorder#atTimes(double...)}).
     *
     * @param tokens the tokens at depth 0 (not modified)
     * @param depths the depths to record, finite and {@code >= 0}, at least one; include 0 to record the input
     * @return the recorded measures, in increasing depth, and the integrator's counts
     * @throws IllegalArgumentException on a null argument, no depth, or a negative or non-finite depth; naming
     *                                  {@code points} if the attention overflows, or {@code integrator} if the
     *                                  integration fails (an overflowing state: a step too large, or a blow-up)
     */
    public TokenFlowResult integrate(ParticleMeasure tokens, double... depths) {
        return integrate(tokens, depths, StepObserver.none());
    }

    /**
     * {@link #integrate(ParticleMeasure, double...)} watched by a step observer (called after each accepted step,
     * besides the recorder; returning {@code false} stops the integration, and the depths beyond are then not
     * recorded).
     *
     * @param tokens   the tokens at depth 0 (not modified)
     * @param depths   the depths to record, finite and {@code >= 0}, at least one
     * @param observer the step observer, e.g. {@link StepObserver#progress(java.util.function.DoubleConsumer)}
     * @return the recorded measures, in increasing depth, and the integrator's counts
     * @throws IllegalArgumentException as {@link #integrate(ParticleMeasure, double...)}
     */
    public TokenFlowResult integrate(ParticleMeasure tokens, double[] depths, StepObserver observer) {
        Arguments.notNull("tokens", tokens);
        Arguments.nonEmpty("depths", Arguments.finite("depths", depths));
        Arguments.notNull("observer", observer);
        double end = 0;
        for (int k = 0; k < depths.length; k++) {
            Arguments.nonNegative("depths[" + k + "]", depths[k]);
            end = Math.max(end, depths[k]);
        }
        int n = tokens.size();
        int d = tokens.dimension();
        double[] y = tokens.flatPoints();
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(depths);
        IntegrationResult result;
        try {
            result = integrator.integrate(field.system(n, d, tokens.isUniform() ? null : tokens.weights()), 0.0, y,
                    end, StepObserver.all(recorder, observer));
        } catch (IllegalStateException e) {
            // the integrator's own failure (an overflowing state, an underflowing step): reported naming it
            throw new IllegalArgumentException("integrator: " + e.getMessage(), e);
        }
        List<ParticleMeasure> measures = new ArrayList<>();
        double[] times = new double[recorder.size()];
        for (int k = 0; k < recorder.size(); k++) {
            times[k] = recorder.time(k);
            measures.add(tokens.withFlatPoints(recorder.state(k)));
        }
        return new TokenFlowResult(times, measures, result);
    }

    /** One line: the field and the integrator. */
    @Override
    public String toString() {
        return "TokenFlow[field=" + field + ", integrator=" + integrator + "]";
    }
}
