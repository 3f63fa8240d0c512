package org.measureflow.transformer.sinkformer;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionSchedule;
import org.measureflow.transformer.attention.Normalisation;
import org.measureflow.transformer.attention.SelfAttention;

/**
 * The Sinkformer field (Sander et al. 2022): attention whose matrix is made doubly stochastic by Sinkhorn scaling,
 * as a {@link ParticleField} on a weighted token measure \( \mu = \sum_j w_j \delta_{x_j} \):
 * \[ v(x_i; \mu) = \sum_h V_h \sum_j A^h_{ij} x_j, \qquad A^h_{ij} = \frac{P^h_{ij}}{w_i}, \qquad
 * P^h = \arg\min_{P \in U(w, w)} \langle P, -L^h\rangle + \varepsilon\,\mathrm{KL}(P \mid w \otimes w), \]
 * with logits \( L^h_{ij} = \langle Q_h x_i, K_h x_j\rangle \). The plan is \( P_{ij} = w_i w_j
 * e^{(f_i + g_j + L_{ij})/\varepsilon} \) with both marginals \( w \): the attention kernel scaled on both sides
 * (Sinkhorn's theorem), so the attention matrix is row-stochastic and \( \sum_i w_i A_{ij} = w_j \) (doubly
 * stochastic for uniform weights). The regularisation \( \varepsilon \) is a temperature:
 * \( \varepsilon = 1 \) is the Sinkformer of Sander et al., and \( \varepsilon \) acts like replacing \( Q \) by
 * \( Q/\varepsilon \).
 *
 * <p><b>Why the OT solver.</b> Scaling the kernel \( w_i w_j e^{L_{ij}/\varepsilon} \) to marginals \( (w, w) \) is
 * exactly entropic OT with cost \( C = -L \) (convention of spec "Entropic OT"), so the configured
 * {@link SinkhornSolver} computes it with its stabilised kernel iterations, log-domain fallback and marginal-error
 * stopping rule, for any range of logits, instead of a second, less robust scaling loop here. The logits are
 * stored as an \( n \times n \) cost matrix for the solve (\( O(n^2) \) memory per head, as for any Sinkformer).
 * Every setting of the solve (epsilon, tolerance, iteration limit, ...) is the solver's: this field copies none.
 *
 * <p><b>The field from the potentials.</b> In the row-normalised matrix the row potential cancels:
 * \( A_{ij} = w_j e^{(g_j + L_{ij})/\varepsilon} / \sum_k w_k e^{(g_k + L_{ik})/\varepsilon} \), a softmax of the
 * logits \( L/\varepsilon \) with per-key biases \( c_j = g_j/\varepsilon + \log w_j \). The field is therefore
 * evaluated by {@link SelfAttention} (stable, parallel, no \( n \times n \) temporary), and its rows sum to 1
 * exactly even when Sinkhorn stops before its tolerance (the columns are then off by about the reported marginal
 * error); {@link #attention(double, ParticleMeasure, int)} reports the convergence of a solve.
 *
 * <p>Made by {@link #of(AttentionSchedule, SinkhornSolver)} (the parameters and the solver are required: epsilon
 * has no default); changed by withers on this immutable object. Defaults:
 * <ul>
 * <li>{@code sphereProjection = false} ({@link #withSphereProjection(boolean)}): with {@code true}, each velocity is
 *     projected on the tangent space of the sphere through its token, as in
 *     {@link org.measureflow.transformer.attention.AttentionField}.</li>
 * </ul>
 */
public final class SinkformerField implements ParticleField {
    private final AttentionSchedule schedule;
    private final int dimension;
    private final SinkhornSolver sinkhorn;
    private final boolean sphereProjection;

    private SinkformerField(AttentionSchedule schedule, int dimension, SinkhornSolver sinkhorn,
                            boolean sphereProjection) {
        this.schedule = schedule;
        this.dimension = dimension;
        this.sinkhorn = sinkhorn;
        this.sphereProjection = sphereProjection;
    }

    /**
     * The Sinkformer field of a depth-dependent schedule, scaled by {@code sinkhorn}, not projected.
     *
     * @param schedule the parameters at each depth; its dimension is read from {@code schedule.at(0)}
     * @param sinkhorn the Sinkhorn solver, with an absolute epsilon (the temperature; 1 for the Sinkformer of
     *                 Sander et al.), e.g. {@code SinkhornSolver.of(1.0).withTolerance(1e-10)}
     * @return the field
     * @throws IllegalArgumentException if an argument is null, {@code schedule} returns null at depth 0, or the
     *                                  solver's epsilon is relative
     */
    public static SinkformerField of(AttentionSchedule schedule, SinkhornSolver sinkhorn) {
        Arguments.notNull("schedule", schedule);
        Attention first = Arguments.notNull("schedule.at(0)", schedule.at(0));
        return new SinkformerField(schedule, first.dimension(), checked(sinkhorn), false);
    }

    /**
     * The Sinkformer field of fixed parameters; see {@link #of(AttentionSchedule, SinkhornSolver)}.
     *
     * @param attention the layer used at every depth
     * @param sinkhorn  the Sinkhorn solver, with an absolute epsilon
     * @return the field
     * @throws IllegalArgumentException if an argument is null or the solver's epsilon is relative
     */
    public static SinkformerField of(Attention attention, SinkhornSolver sinkhorn) {
        return of(AttentionSchedule.constant(attention), sinkhorn);
    }

    /**
     * The Sinkformer field of one fixed head; see {@link #of(AttentionSchedule, SinkhornSolver)}.
     *
     * @param head     the head used at every depth
     * @param sinkhorn the Sinkhorn solver, with an absolute epsilon
     * @return the field
     * @throws IllegalArgumentException if an argument is null or the solver's epsilon is relative
     */
    public static SinkformerField of(AttentionHead head, SinkhornSolver sinkhorn) {
        return of(AttentionSchedule.constant(head), sinkhorn);
    }

    /**
     * This field with another Sinkhorn solver.
     *
     * @param sinkhorn the solver, with an absolute epsilon
     * @return a new field (this one is unchanged)
     * @throws IllegalArgumentException if {@code sinkhorn} is null or its epsilon is relative
     */
    public SinkformerField withSinkhorn(SinkhornSolver sinkhorn) {
        return new SinkformerField(schedule, dimension, checked(sinkhorn), sphereProjection);
    }

    /**
     * This field projected ({@code true}) or not on the tangent spaces of the spheres through the tokens.
     *
     * @param sphereProjection whether to project each velocity, \( v \mapsto v - \langle v, x\rangle x/|x|^2 \)
     * @return a new field (this one is unchanged)
     */
    public SinkformerField withSphereProjection(boolean sphereProjection) {
        return new SinkformerField(schedule, dimension, sinkhorn, sphereProjection);
    }

    private static SinkhornSolver checked(SinkhornSolver sinkhorn) {
        Arguments.notNull("sinkhorn", sinkhorn);
        if (sinkhorn.epsilon().isRelative()) {
            // a rule Arguments cannot state: the temperature of attention is a model parameter, and the mean of
            // the cost -L (relative to which it would be resolved) has no sign
            throw new IllegalArgumentException("sinkhorn must have an absolute epsilon (the temperature of the "
                    + "attention), got " + sinkhorn.epsilon());
        }
        return sinkhorn;
    }

    /** The token dimension \( d \). */
    public int dimension() {
        return dimension;
    }

    /** The parameter schedule. */
    public AttentionSchedule schedule() {
        return schedule;
    }

    /** The Sinkhorn solver of the doubly stochastic scaling. */
    public SinkhornSolver sinkhorn() {
        return sinkhorn;
    }

    /** Whether the field is projected on the sphere's tangent spaces. */
    public boolean sphereProjection() {
        return sphereProjection;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One Sinkhorn solve per head and evaluation.
     */
    @Override
    public void velocities(double t, double[] points, int n, int d, double[] weights, double[] out) {
        Attention attention = layer(t, d);
        double[] w = marginal(weights, n);
        double epsilon = sinkhorn.epsilon().value();
        double[][] bias = new double[attention.size()][];
        for (int h = 0; h < attention.size(); h++) {
            bias[h] = keyBias(solve(attention.head(h), points, n, d, w, IterationObserver.none()), w, epsilon);
        }
        SelfAttention.evaluate(tempered(attention, epsilon), points, n, d, bias, false, Normalisation.SOFTMAX,
                sphereProjection, out);
    }

    /**
     * The velocities of all tokens of {@code tokens}.
     *
     * @param t      the depth
     * @param tokens the token measure
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
     * The doubly stochastic attention matrix of head {@code h} at depth {@code t} and how its Sinkhorn scaling
     * ended; \( O(n^2) \) memory.
     *
     * @param t      the depth
     * @param tokens the token measure
     * @param h      the head, {@code 0 <= h <} the number of heads at depth {@code t}
     * @return the matrix and the solve's convergence
     * @throws IllegalArgumentException if {@code tokens} is null or not of the schedule's dimension, or {@code h}
     *                                  is out of range, or the logits are too large for the solver's epsilon (more
     *                                  than \( 10^{10} \) epsilons; naming {@code points}) or overflow
     */
    public SinkhornAttentionResult attention(double t, ParticleMeasure tokens, int h) {
        return attention(t, tokens, h, IterationObserver.none());
    }

    /**
     * {@link #attention(double, ParticleMeasure, int)} with the Sinkhorn solve watched by an observer (see
     * {@link SinkhornSolver#solve(double[], double[], CostMatrix, IterationObserver)}); when it stops the solve, the
     * result says {@code STOPPED} and the matrix is the row-normalised plan of the last potentials.
     *
     * @param t        the depth
     * @param tokens   the token measure
     * @param h        the head, {@code 0 <= h <} the number of heads at depth {@code t}
     * @param observer the observer of the Sinkhorn iterations
     * @return the matrix and the solve's convergence
     * @throws IllegalArgumentException if an argument is null, the tokens are not of the schedule's dimension, or
     *                                  {@code h} is out of range
     */
    public SinkhornAttentionResult attention(double t, ParticleMeasure tokens, int h, IterationObserver observer) {
        Arguments.notNull("tokens", tokens);
        Arguments.notNull("observer", observer);
        int n = tokens.size();
        int d = tokens.dimension();
        AttentionHead head = layer(t, d).head(h);
        double[] points = tokens.flatPoints();
        double[] w = tokens.weights();
        double epsilon = sinkhorn.epsilon().value();
        SinkhornResult r = solve(head, points, n, d, w, observer);
        double[] matrix = SelfAttention.matrix(tempered(head, epsilon), points, n, d, keyBias(r, w, epsilon), false,
                Normalisation.SOFTMAX);
        return new SinkhornAttentionResult(matrix, n, r.epsilon(), r.convergence());
    }

    private Attention layer(double t, int d) {
        Attention attention = schedule.at(t);
        if (attention == null || attention.dimension() != d) { // names built only on failure: called per evaluation
            Arguments.notNull("schedule.at(" + t + ")", attention);
            Arguments.sameDimension("d", d, attention.dimension(), "the layer schedule.at(" + t + ")");
        }
        return attention;
    }

    private static double[] marginal(double[] weights, int n) {
        if (weights == null) {
            double[] w = new double[n];
            Arrays.fill(w, 1.0 / n);
            return w;
        }
        Arguments.length("weights", weights.length, n);
        return weights;
    }

    /**
     * The largest \( \max|L| / \varepsilon \) accepted: Sinkhorn's log-domain iterates are of that size and their
     * rounding (about \( 10^{-16} \) of it) must stay far below 1 for the scalings to mean anything.
     */
    static final double MAX_LOGIT_OVER_EPSILON = 1e10;

    /**
     * Sinkhorn with cost \( -L \) and both marginals \( w \), by the configured solver; logits too large for its
     * epsilon, and a solve that ends with non-finite potentials, are rejected.
     */
    private SinkhornResult solve(AttentionHead head, double[] points, int n, int d, double[] w,
                                 IterationObserver observer) {
        double[] cost = SelfAttention.logits(head, points, n, d);
        double max = 0;
        for (int k = 0; k < cost.length; k++) {
            cost[k] = -cost[k];
            max = Math.max(max, Math.abs(cost[k]));
        }
        double epsilon = sinkhorn.epsilon().value();
        if (!(max / epsilon <= MAX_LOGIT_OVER_EPSILON)) {
            throw new IllegalArgumentException("points: the logits reach " + max + ", " + (max / epsilon)
                    + " times the Sinkhorn epsilon " + epsilon + " (more than " + MAX_LOGIT_OVER_EPSILON
                    + " and the log-domain scalings are lost to rounding); rescale the tokens or raise epsilon");
        }
        SinkhornResult r = sinkhorn.solve(w, w, CostMatrix.of(n, n, cost), observer);
        for (double v : r.g()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("sinkhorn: the solve ended with a non-finite potential ("
                        + r.convergence() + ")");
            }
        }
        return r;
    }

    /**
     * The per-key biases \( c_j = g_j/\varepsilon + \log w_j \) of the row-normalised plan (for \( \varepsilon = 1 \)
     * exactly \( g_j + \log w_j \)).
     */
    private static double[] keyBias(SinkhornResult r, double[] w, double epsilon) {
        double[] g = r.g();
        for (int j = 0; j < g.length; j++) {
            g[j] = (epsilon == 1 ? g[j] : g[j] / epsilon) + Math.log(w[j]);
        }
        return g;
    }

    /** The layer whose logits are \( L/\varepsilon \) (the layer itself at \( \varepsilon = 1 \)). */
    private static Attention tempered(Attention attention, double epsilon) {
        if (epsilon == 1) {
            return attention;
        }
        AttentionHead[] heads = new AttentionHead[attention.size()];
        for (int h = 0; h < heads.length; h++) {
            heads[h] = tempered(attention.head(h), epsilon);
        }
        return Attention.of(heads);
    }

    /** The head \( (Q/\varepsilon, K, V) \), whose logits are \( L/\varepsilon \). */
    private static AttentionHead tempered(AttentionHead head, double epsilon) {
        if (epsilon == 1) {
            return head;
        }
        DMatrixRMaj q = head.query();
        for (int k = 0; k < q.data.length; k++) {
            q.data[k] /= epsilon;
        }
        return head.withQuery(q);
    }

    /**
     * One line with every setting, e.g. {@code SinkformerField[d=2, sphereProjection=false, sinkhorn=SinkhornSolver[
     * epsilon=1.0, tolerance=1e-10, ...], schedule=constant Attention[d=2, heads=1]]}.
     */
    @Override
    public String toString() {
        return "SinkformerField[d=" + dimension + ", sphereProjection=" + sphereProjection + ", sinkhorn=" + sinkhorn
                + ", schedule=" + schedule + "]";
    }
}
