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
 * <p>Made by {@link #of(AttentionSchedule)} (or {@link #of(Attention)}, {@link #of(AttentionHead)} for fixed
 * parameters: the parameters are required); changed by withers on this immutable, thread-safe object. Defaults:
 * <ul>
 * <li>{@code normalisation = SOFTMAX} ({@link #withNormalisation(Normalisation)}): softmax, or the unnormalised
 *     attention \( \sum_j w_j e^{\ell_{ij}} x_j \) (USA);</li>
 * <li>{@code causal = false} ({@link #withCausal(boolean)}): with {@code true}, token \( i \) attends only to
 *     tokens \( j \le i \) (in storage order), as in decoder transformers; the flow is then no longer
 *     permutation-equivariant;</li>
 * <li>{@code sphereProjection = false} ({@link #withSphereProjection(boolean)}): with {@code true}, the projected
 *     field \( P_x v = v - \langle v, x\rangle x/|x|^2 \), tangent to the sphere of radius \( |x| \), so that the
 *     exact flow keeps every token's norm: started on the unit sphere it is the normalised dynamics of Geshkovski
 *     et al. (docs/closed-forms.md CF-18).</li>
 * </ul>
 * The computation is {@link SelfAttention#evaluate}: stable (log-sum-exp per row), \( O(n^2 d) \) per head in tiles
 * of queries and keys, no \( n \times n \) matrix (\( O(n d) \) memory), both cores for large \( n \), same bits
 * whatever the thread count and the blocking.
 */
public final class AttentionField implements ParticleField {
    private final AttentionSchedule schedule;
    private final int dimension;
    private final boolean causal;
    private final Normalisation normalisation;
    private final boolean sphereProjection;

    private AttentionField(AttentionSchedule schedule, int dimension, boolean causal, Normalisation normalisation,
                           boolean sphereProjection) {
        this.schedule = schedule;
        this.dimension = dimension;
        this.causal = causal;
        this.normalisation = normalisation;
        this.sphereProjection = sphereProjection;
    }

    /**
     * The attention field of a depth-dependent schedule, with the defaults of the class description.
     *
     * @param schedule the parameters at each depth; its dimension is read from {@code schedule.at(0)}
     * @return the field
     * @throws IllegalArgumentException if {@code schedule} is null or returns null at depth 0
     */
    public static AttentionField of(AttentionSchedule schedule) {
        Arguments.notNull("schedule", schedule);
        Attention first = Arguments.notNull("schedule.at(0)", schedule.at(0));
        return new AttentionField(schedule, first.dimension(), false, Normalisation.SOFTMAX, false);
    }

    /**
     * The attention field of fixed parameters; see {@link #of(AttentionSchedule)}.
     *
     * @param attention the layer used at every depth
     * @return the field
     * @throws IllegalArgumentException if {@code attention} is null
     */
    public static AttentionField of(Attention attention) {
        return of(AttentionSchedule.constant(attention));
    }

    /**
     * The attention field of one fixed head; see {@link #of(AttentionSchedule)}.
     *
     * @param head the head used at every depth
     * @return the field
     * @throws IllegalArgumentException if {@code head} is null
     */
    public static AttentionField of(AttentionHead head) {
        return of(AttentionSchedule.constant(head));
    }

    /**
     * This field with ({@code true}) or without a causal mask \( j \le i \).
     *
     * @param causal whether token \( i \) attends only to tokens \( j \le i \)
     * @return a new field (this one is unchanged)
     */
    public AttentionField withCausal(boolean causal) {
        return new AttentionField(schedule, dimension, causal, normalisation, sphereProjection);
    }

    /**
     * This field with another normalisation of the attention weights.
     *
     * @param normalisation softmax or unnormalised
     * @return a new field (this one is unchanged)
     * @throws IllegalArgumentException if {@code normalisation} is null
     */
    public AttentionField withNormalisation(Normalisation normalisation) {
        return new AttentionField(schedule, dimension, causal, Arguments.notNull("normalisation", normalisation),
                sphereProjection);
    }

    /**
     * This field projected ({@code true}) or not on the tangent spaces of the spheres through the tokens.
     *
     * @param sphereProjection whether to project each velocity, \( v \mapsto v - \langle v, x\rangle x/|x|^2 \)
     * @return a new field (this one is unchanged)
     */
    public AttentionField withSphereProjection(boolean sphereProjection) {
        return new AttentionField(schedule, dimension, causal, normalisation, sphereProjection);
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
    public boolean causal() {
        return causal;
    }

    /** The normalisation of the attention weights. */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** Whether the field is projected on the sphere's tangent spaces. */
    public boolean sphereProjection() {
        return sphereProjection;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The weights enter as the log-biases \( c_j = \log w_j \) of {@link SelfAttention}; {@code null} means
     * uniform weights.
     *
     * @throws IllegalArgumentException if {@code d} differs from the schedule's dimension at {@code t}, or the
     *                                  arrays have the wrong length
     */
    @Override
    public void velocities(double t, double[] points, int n, int d, double[] weights, double[] out) {
        Attention attention = layer(schedule, t, d);
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
        SelfAttention.evaluate(attention, points, n, d, bias, causal, normalisation, sphereProjection, out);
    }

    /**
     * The velocities \( v_t(x_i;\mu) \) of all tokens of {@code tokens}.
     *
     * @param t      the depth
     * @param tokens the token measure \( \mu \)
     * @return the {@code n * d} velocities, row-major
     * @throws IllegalArgumentException if {@code tokens} is null or not of the schedule's dimension
     */
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
     * the head's output is \( V_h \sum_j A_{ij} x_j \); \( O(n^2) \) memory.
     *
     * @param t      the depth
     * @param tokens the token measure
     * @param h      the head, {@code 0 <= h <} the number of heads at depth {@code t}
     * @return the {@code n x n} matrix, row-major
     * @throws IllegalArgumentException if {@code tokens} is null or not of the schedule's dimension, or {@code h}
     *                                  is out of range
     */
    public double[] attentionMatrix(double t, ParticleMeasure tokens, int h) {
        Arguments.notNull("tokens", tokens);
        Attention attention = layer(schedule, t, tokens.dimension());
        double[] bias = null;
        if (!tokens.isUniform()) {
            bias = tokens.weights();
            for (int j = 0; j < bias.length; j++) {
                bias[j] = Math.log(bias[j]);
            }
        }
        return SelfAttention.matrix(attention.head(h), tokens.flatPoints(), tokens.size(), tokens.dimension(),
                bias, causal, normalisation);
    }

    /**
     * The layer {@code schedule.at(t)}, checked against the tokens' dimension {@code d}.
     *
     * @param schedule the schedule
     * @param t        the depth
     * @param d        the tokens' dimension
     * @return the layer
     * @throws IllegalArgumentException if the schedule returns null or a layer of another dimension
     */
    static Attention layer(AttentionSchedule schedule, double t, int d) {
        Attention attention = schedule.at(t);
        if (attention == null || attention.dimension() != d) { // names built only on failure: called per evaluation
            Arguments.notNull("schedule.at(" + t + ")", attention);
            Arguments.sameDimension("d", d, attention.dimension(), "the layer schedule.at(" + t + ")");
        }
        return attention;
    }

    /**
     * One line with every setting, e.g. {@code AttentionField[d=2, normalisation=SOFTMAX, causal=false,
     * sphereProjection=true, schedule=constant Attention[d=2, heads=1]]}.
     */
    @Override
    public String toString() {
        return "AttentionField[d=" + dimension + ", normalisation=" + normalisation + ", causal=" + causal
                + ", sphereProjection=" + sphereProjection + ", schedule=" + schedule + "]";
    }
}
