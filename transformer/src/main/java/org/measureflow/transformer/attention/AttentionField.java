package org.measureflow.transformer.attention;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The attention field of a weighted token measure \( \mu = \sum_j w_j \delta_{x_j} \), as a {@link ParticleField}
 * (survey eq. 27, the mean-field form of eq. 26, summed over heads):
 * \[ v_t(x; \mu) = \sum_h V_h(t) \frac{\sum_j w_j e^{\langle Q_h(t) x, K_h(t) x_j\rangle} x_j}
 * {\sum_j w_j e^{\langle Q_h(t) x, K_h(t) x_j\rangle}}, \]
 * whose flow \( \dot x_i = v_t(x_i; \mu_t) \) is the continuous-depth transformer (eq. 28) and, for the measure,
 * the transformer PDE \( \partial_t \mu + \mathrm{div}(\mu\, v_t(\cdot;\mu)) = 0 \) (eq. 29). Integrate it with
 * any core integrator, e.g. {@code RungeKutta4.of(h).advect(tokens, field, 0, 1)}.
 *
 * <p>Variants, set by withers on this immutable object:
 * <ul>
 * <li>{@link #causal(boolean)}: token \( i \) attends only to tokens \( j \le i \) (in storage order), as in
 *     decoder transformers; the flow is then no longer permutation-equivariant;</li>
 * <li>{@link #normalisation(Normalisation)}: softmax (default) or the unnormalised attention
 *     \( \sum_j w_j e^{\ell_{ij}} x_j \) (USA);</li>
 * <li>{@link #onSphere(boolean)}: the projected field \( P_x v = v - \langle v, x\rangle x/|x|^2 \), tangent to the
 *     sphere of radius \( |x| \), so that the exact flow keeps every token's norm: started on the unit sphere it is
 *     the normalised dynamics of Geshkovski et al. (spec B8(d)).</li>
 * </ul>
 * The computation is {@link AttentionKernel#evaluate}: stable (log-sum-exp per row), \( O(n^2 d) \) per head, no
 * \( n \times n \) matrix, both cores for large \( n \), same bits whatever the thread count.
 */
public final class AttentionField implements ParticleField {
    private final AttentionSchedule schedule;
    private final int dimension;
    private final boolean causal;
    private final Normalisation normalisation;
    private final boolean sphere;

    private AttentionField(AttentionSchedule schedule, int dimension, boolean causal, Normalisation normalisation,
                           boolean sphere) {
        this.schedule = schedule;
        this.dimension = dimension;
        this.causal = causal;
        this.normalisation = normalisation;
        this.sphere = sphere;
    }

    /**
     * The softmax attention field of a depth-dependent schedule: not causal, not projected.
     *
     * @param schedule the parameters at each depth; its dimension is read from {@code schedule.at(0)}
     * @throws IllegalArgumentException if {@code schedule} is null or returns null at depth 0
     */
    public static AttentionField of(AttentionSchedule schedule) {
        Arguments.notNull("schedule", schedule);
        Attention first = Arguments.notNull("schedule.at(0)", schedule.at(0));
        return new AttentionField(schedule, first.dimension(), false, Normalisation.SOFTMAX, false);
    }

    /** The softmax attention field of fixed parameters; see {@link #of(AttentionSchedule)}. */
    public static AttentionField of(Attention attention) {
        return of(AttentionSchedule.constant(attention));
    }

    /** The softmax attention field of one fixed head; see {@link #of(AttentionSchedule)}. */
    public static AttentionField of(AttentionHead head) {
        return of(Attention.of(Arguments.notNull("head", head)));
    }

    /** This field with ({@code true}) or without a causal mask \( j \le i \). */
    public AttentionField causal(boolean on) {
        return new AttentionField(schedule, dimension, on, normalisation, sphere);
    }

    /** This field with the given normalisation of the attention weights. */
    public AttentionField normalisation(Normalisation value) {
        return new AttentionField(schedule, dimension, causal, Arguments.notNull("normalisation", value), sphere);
    }

    /** This field projected ({@code true}) or not on the tangent spaces of the spheres through the tokens. */
    public AttentionField onSphere(boolean on) {
        return new AttentionField(schedule, dimension, causal, normalisation, on);
    }

    /** The token dimension \( d \). */
    public int dimension() {
        return dimension;
    }

    /** The parameter schedule. */
    public AttentionSchedule schedule() {
        return schedule;
    }

    /** Whether the causal mask is on. */
    public boolean isCausal() {
        return causal;
    }

    /** The normalisation of the attention weights. */
    public Normalisation getNormalisation() {
        return normalisation;
    }

    /** Whether the field is projected on the sphere's tangent spaces. */
    public boolean isOnSphere() {
        return sphere;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The weights enter as the log-biases \( c_j = \log w_j \) of {@link AttentionKernel}; {@code null} means
     * uniform weights.
     *
     * @throws IllegalArgumentException if {@code d} differs from the schedule's dimension at {@code t}, or the
     *                                  arrays have the wrong length
     */
    @Override
    public void velocities(double t, double[] points, int n, int d, double[] weights, double[] out) {
        Attention attention = schedule.at(t);
        if (attention == null || attention.dimension() != d) {
            throw new IllegalArgumentException("d = " + d + " must equal the dimension of the layer schedule.at("
                    + t + "), got " + attention);
        }
        double[][] bias = null;
        if (weights != null) {
            Arguments.length("weights", weights.length, n);
            double[] log = new double[n];
            for (int j = 0; j < n; j++) {
                log[j] = Math.log(weights[j]);
            }
            bias = new double[attention.size()][];
            Arrays.fill(bias, log);
        }
        AttentionKernel.evaluate(attention, points, n, d, bias, causal, normalisation, sphere, out);
    }

    /** The velocities \( v_t(x_i;\mu) \) of all tokens of {@code tokens}, row-major {@code n * d}. */
    public double[] velocities(double t, ParticleMeasure tokens) {
        Arguments.notNull("tokens", tokens);
        double[] out = new double[tokens.size() * tokens.dimension()];
        velocities(t, tokens.flatPoints(), tokens.size(), tokens.dimension(),
                tokens.isUniform() ? null : tokens.weights(), out);
        return out;
    }

    /**
     * The dense attention matrix of head {@code h} at depth {@code t}: \( A_{ij} = w_j e^{\ell_{ij}} /
     * \sum_{k} w_k e^{\ell_{ik}} \) (softmax) or \( w_j e^{\ell_{ij}} \) (unnormalised), zero where masked, so that
     * the head's output is \( V_h \sum_j A_{ij} x_j \); row-major {@code n x n}, \( O(n^2) \) memory.
     */
    public double[] attentionMatrix(double t, ParticleMeasure tokens, int h) {
        Arguments.notNull("tokens", tokens);
        Attention attention = schedule.at(t);
        double[] bias = null;
        if (!tokens.isUniform()) {
            bias = tokens.weights();
            for (int j = 0; j < bias.length; j++) {
                bias[j] = Math.log(bias[j]);
            }
        }
        return AttentionKernel.matrix(attention.head(h), tokens.flatPoints(), tokens.size(), tokens.dimension(),
                bias, causal, normalisation);
    }

    @Override
    public String toString() {
        return "AttentionField[d=" + dimension + ", " + normalisation + (causal ? ", causal" : "")
                + (sphere ? ", on sphere" : "") + "]";
    }
}
