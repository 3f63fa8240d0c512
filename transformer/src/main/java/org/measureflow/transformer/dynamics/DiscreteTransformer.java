package org.measureflow.transformer.dynamics;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The discrete transformer with skip connections and \( 1/L \) scaling (survey eq. 26, in the mean-field form of
 * eq. 27): with \( L \) layers over depth \( T \) (default 1) and \( t_\ell = \ell T / L \),
 * \[ x_i^{\ell+1} = x_i^\ell + \frac{T}{L}\, v_{t_\ell}(x_i^\ell; \mu^\ell), \qquad
 * \mu^\ell = \sum_j w_j \delta_{x_j^\ell}, \qquad \ell = 0, \dots, L-1, \]
 * that is, the explicit Euler scheme of the continuous-depth ODE (eq. 28), to which its output converges at first
 * order in \( 1/L \) as \( L \to \infty \). The field is any {@link ParticleField}, typically an
 * {@link org.measureflow.transformer.attention.AttentionField} (whose depth schedule then gives layer \( \ell \)
 * the parameters at \( t_\ell \)) or a {@link org.measureflow.transformer.sinkformer.SinkformerField}.
 *
 * <p>With {@link #renormalise(boolean)} every token is divided by its norm after each layer (the layer
 * normalisation of the clustering model on the sphere, Geshkovski et al.). Immutable; the work arrays of a run
 * are allocated once.
 */
public final class DiscreteTransformer {
    private final ParticleField field;
    private final int layers;
    private final double depth;
    private final boolean renormalise;

    private DiscreteTransformer(ParticleField field, int layers, double depth, boolean renormalise) {
        this.field = field;
        this.layers = layers;
        this.depth = depth;
        this.renormalise = renormalise;
    }

    /**
     * The transformer of {@code layers} layers of {@code field} over depth 1, without renormalisation.
     *
     * @throws IllegalArgumentException if {@code field} is null or {@code layers <= 0}
     */
    public static DiscreteTransformer of(ParticleField field, int layers) {
        return new DiscreteTransformer(Arguments.notNull("field", field), Arguments.positive("layers", layers), 1.0,
                false);
    }

    /** This transformer over depth \( T \) = {@code value} (finite, {@code > 0}): steps \( T/L \). */
    public DiscreteTransformer depth(double value) {
        return new DiscreteTransformer(field, layers, Arguments.positive("depth", value), renormalise);
    }

    /** This transformer with ({@code true}) or without renormalisation of the tokens to unit norm after each layer. */
    public DiscreteTransformer renormalise(boolean on) {
        return new DiscreteTransformer(field, layers, depth, on);
    }

    /** The number of layers \( L \). */
    public int layers() {
        return layers;
    }

    /** The depth \( T \). */
    public double depth() {
        return depth;
    }

    /** The output tokens \( \mu^L \) after all layers. */
    public ParticleMeasure apply(ParticleMeasure tokens) {
        return run(tokens, layers).last();
    }

    /**
     * Runs all layers and records the tokens every {@code every} layers (depths \( t_\ell \) for \( \ell \) a
     * multiple of {@code every}, always including the input at depth 0 and the output at depth \( T \)).
     *
     * @throws IllegalArgumentException if {@code tokens} is null or {@code every <= 0}
     */
    public TokenTrajectory run(ParticleMeasure tokens, int every) {
        Arguments.notNull("tokens", tokens);
        Arguments.positive("every", every);
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
        for (int l = 0; l < layers; l++) {
            field.velocities(l * h, x, n, d, weights, v);
            for (int k = 0; k < x.length; k++) {
                x[k] += h * v[k];
            }
            if (renormalise) {
                normalise(x, n, d);
            }
            if ((l + 1) % every == 0 || l + 1 == layers) {
                depths.add(l + 1 == layers ? depth : (l + 1) * h);
                measures.add(tokens.withFlatPoints(x));
            }
        }
        double[] recorded = new double[depths.size()];
        for (int k = 0; k < recorded.length; k++) {
            recorded[k] = depths.get(k);
        }
        return new TokenTrajectory(recorded, measures, null);
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

    @Override
    public String toString() {
        return "DiscreteTransformer[L=" + layers + ", T=" + depth + (renormalise ? ", renormalised" : "") + "]";
    }
}
