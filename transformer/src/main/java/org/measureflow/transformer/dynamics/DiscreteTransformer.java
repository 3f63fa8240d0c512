package org.measureflow.transformer.dynamics;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;

/**
 * The discrete transformer with skip connections and \( 1/L \) scaling (survey eq. 26, in the mean-field form of
 * eq. 27): with \( L \) layers over depth \( T \) and \( t_\ell = \ell T / L \),
 * \[ x_i^{\ell+1} = x_i^\ell + \frac{T}{L}\, v_{t_\ell}(x_i^\ell; \mu^\ell), \qquad
 * \mu^\ell = \sum_j w_j \delta_{x_j^\ell}, \qquad \ell = 0, \dots, L-1, \]
 * that is, the explicit Euler scheme of the continuous-depth ODE (eq. 28), to which its output converges at first
 * order in \( 1/L \) as \( L \to \infty \). The field is any {@link ParticleField}, typically an
 * {@link org.measureflow.transformer.attention.AttentionField} (whose depth schedule then gives layer \( \ell \)
 * the parameters at \( t_\ell \)) or a {@link org.measureflow.transformer.sinkformer.SinkformerField}.
 *
 * <p>Made by {@link #of(ParticleField, int)} (the field and the number of layers are required); changed by
 * withers on this immutable, thread-safe object. Defaults:
 * <ul>
 * <li>{@code depth = 1} ({@link #withDepth(double)}): the layers share the depth \( T \), each a step \( T/L \);</li>
 * <li>{@code renormalisation = false} ({@link #withRenormalisation(boolean)}): with {@code true}, every token is
 *     divided by its norm after each layer (the layer normalisation of the clustering model on the sphere,
 *     Geshkovski et al.).</li>
 * </ul>
 * The work arrays of a run are allocated once. A run calls its {@link IterationObserver} after each layer with
 * {@code new IterationStatus(layers done, NaN, layers done / L)} and stops after the layer where it returns
 * {@code false}.
 */
public final class DiscreteTransformer {
    private final ParticleField field;
    private final int layers;
    private final double depth;
    private final boolean renormalisation;

    private DiscreteTransformer(ParticleField field, int layers, double depth, boolean renormalisation) {
        this.field = field;
        this.layers = layers;
        this.depth = depth;
        this.renormalisation = renormalisation;
    }

    /**
     * The transformer of {@code layers} layers of {@code field}, with the defaults of the class description.
     *
     * @param field  the velocity field of the tokens
     * @param layers \( L \), {@code > 0}
     * @return the transformer
     * @throws IllegalArgumentException if {@code field} is null or {@code layers <= 0}
     */
    public static DiscreteTransformer of(ParticleField field, int layers) {
        return new DiscreteTransformer(Arguments.notNull("field", field), Arguments.positive("layers", layers), 1.0,
                false);
    }

    /**
     * This transformer with another field.
     *
     * @param field the velocity field of the tokens
     * @return a new transformer (this one is unchanged)
     * @throws IllegalArgumentException if {@code field} is null
     */
    public DiscreteTransformer withField(ParticleField field) {
        return new DiscreteTransformer(Arguments.notNull("field", field), layers, depth, renormalisation);
    }

    /**
     * This transformer with another number of layers over the same depth.
     *
     * @param layers \( L \), {@code > 0}
     * @return a new transformer (this one is unchanged)
     * @throws IllegalArgumentException if {@code layers <= 0}
     */
    public DiscreteTransformer withLayers(int layers) {
        return new DiscreteTransformer(field, Arguments.positive("layers", layers), depth, renormalisation);
    }

    /**
     * This transformer over another depth \( T \): steps \( T/L \).
     *
     * @param depth \( T \), finite and {@code > 0}
     * @return a new transformer (this one is unchanged)
     * @throws IllegalArgumentException if {@code depth} is not finite and positive
     */
    public DiscreteTransformer withDepth(double depth) {
        return new DiscreteTransformer(field, layers, Arguments.positive("depth", depth), renormalisation);
    }

    /**
     * This transformer with ({@code true}) or without renormalisation of the tokens to unit norm after each layer.
     *
     * @param renormalisation whether to divide every token by its norm after each layer
     * @return a new transformer (this one is unchanged)
     */
    public DiscreteTransformer withRenormalisation(boolean renormalisation) {
        return new DiscreteTransformer(field, layers, depth, renormalisation);
    }

    /** The velocity field of the tokens. */
    public ParticleField field() {
        return field;
    }

    /** The number of layers \( L \). */
    public int layers() {
        return layers;
    }

    /** The depth \( T \). */
    public double depth() {
        return depth;
    }

    /** Whether the tokens are renormalised to unit norm after each layer. */
    public boolean renormalisation() {
        return renormalisation;
    }

    /**
     * The output tokens \( \mu^L \) after all layers.
     *
     * @param tokens the input tokens \( \mu^0 \) (not modified)
     * @return the output tokens, same weights
     * @throws IllegalArgumentException if {@code tokens} is null or not of the field's dimension
     */
    public ParticleMeasure apply(ParticleMeasure tokens) {
        return run(tokens, layers).last();
    }

    /**
     * Runs all layers and records the tokens every {@code every} layers (depths \( t_\ell \) for \( \ell \) a
     * multiple of {@code every}, always including the input at depth 0 and the output at depth \( T \)).
     *
     * @param tokens the input tokens \( \mu^0 \) (not modified)
     * @param every  the recording period in layers, {@code > 0}
     * @return the recorded tokens and the counts of the run
     * @throws IllegalArgumentException if {@code tokens} is null or {@code every <= 0}
     */
    public TokenFlowResult run(ParticleMeasure tokens, int every) {
        return run(tokens, every, IterationObserver.none());
    }

    /**
     * {@link #run(ParticleMeasure, int)} watched by an observer, called after each layer with the number of layers
     * done, error {@code NaN} and the fraction of layers done; when it returns {@code false} the run stops after
     * that layer, records the tokens there, and its result says {@code stoppedEarly} at the depth reached.
     *
     * @param tokens   the input tokens \( \mu^0 \) (not modified)
     * @param every    the recording period in layers, {@code > 0}
     * @param observer the observer
     * @return the recorded tokens and the counts of the run
     * @throws IllegalArgumentException if an argument is null or {@code every <= 0}
     */
    public TokenFlowResult run(ParticleMeasure tokens, int every, IterationObserver observer) {
        Arguments.notNull("tokens", tokens);
        Arguments.positive("every", every);
        Arguments.notNull("observer", observer);
        int n = tokens.size();
        int d = tokens.dimension();
        double[] weights = tokens.isUniform() ? null : tokens.weights();
        double[] x = tokens.flatPoints();
        double[] v = new double[x.length];
        double h = depth / layers;
        List<Double> depths = new ArrayList<>();
        List<ParticleMeasure> measures = new ArrayList<>();
        depths.add(0.0);
        measures.add(tokens);
        int done = 0;
        boolean stopped = false;
        while (done < layers && !stopped) {
            field.velocities(done * h, x, n, d, weights, v);
            for (int k = 0; k < x.length; k++) {
                x[k] += h * v[k];
            }
            if (renormalisation) {
                normalise(x, n, d);
            }
            done++;
            stopped = !observer.observe(new IterationStatus(done, Double.NaN, (double) done / layers));
            if (done % every == 0 || done == layers || stopped) {
                depths.add(done == layers ? depth : done * h);
                measures.add(tokens.withFlatPoints(x));
            }
        }
        double[] recorded = new double[depths.size()];
        for (int k = 0; k < recorded.length; k++) {
            recorded[k] = depths.get(k);
        }
        double reached = done == layers ? depth : done * h;
        return new TokenFlowResult(recorded, measures,
                new IntegrationResult(reached, done, 0, done, done < layers));
    }

    private static void normalise(double[] x, int n, int d) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            if (s > 0) {
                double inv = 1.0 / Math.sqrt(s);
                for (int k = 0; k < d; k++) {
                    x[i * d + k] *= inv;
                }
            }
        }
    }

    /**
     * One line with every setting, e.g. {@code DiscreteTransformer[layers=20, depth=1.0, renormalisation=false,
     * field=AttentionField[...]]}.
     */
    @Override
    public String toString() {
        return "DiscreteTransformer[layers=" + layers + ", depth=" + depth + ", renormalisation=" + renormalisation
                + ", field=" + field + "]";
    }
}
