package org.measureflow.transformer.sinkformer;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionKernel;
import org.measureflow.transformer.attention.AttentionSchedule;
import org.measureflow.transformer.attention.Normalisation;

/**
 * The Sinkformer field (Sander et al. 2022): attention whose matrix is made doubly stochastic by Sinkhorn scaling,
 * as a {@link ParticleField} on a weighted token measure \( \mu = \sum_j w_j \delta_{x_j} \):
 * \[ v(x_i; \mu) = \sum_h V_h \sum_j A^h_{ij} x_j, \qquad A^h_{ij} = \frac{P^h_{ij}}{w_i}, \qquad
 * P^h = \arg\min_{P \in U(w, w)} \langle P, -L^h\rangle + \mathrm{KL}(P \mid w \otimes w), \]
 * with logits \( L^h_{ij} = \langle Q_h x_i, K_h x_j\rangle \). The plan is \( P_{ij} = w_i w_j e^{f_i + g_j +
 * L_{ij}} \) with both marginals \( w \): the attention kernel scaled on both sides (Sinkhorn's theorem), so the
 * attention matrix is row-stochastic and \( \sum_i w_i A_{ij} = w_j \) (doubly stochastic for uniform weights).
 *
 * <p><b>Why the OT solver.</b> Scaling the kernel \( w_i w_j e^{L_{ij}} \) to marginals \( (w, w) \) is exactly
 * entropic OT with cost \( C = -L \) and \( \varepsilon = 1 \) (convention of spec "Entropic OT"), so
 * {@link SinkhornSolver} computes it with its stabilised kernel iterations, log-domain fallback and marginal-error
 * stopping rule, for any range of logits, instead of a second, less robust scaling loop here. The logits are
 * stored as an \( n \times n \) cost matrix for the solve (\( O(n^2) \) memory per head, as for any Sinkformer).
 *
 * <p><b>The field from the potentials.</b> In the row-normalised matrix the row potential cancels:
 * \( A_{ij} = w_j e^{g_j + L_{ij}} / \sum_k w_k e^{g_k + L_{ik}} \), a softmax with per-key biases
 * \( c_j = g_j + \log w_j \). The field is therefore evaluated by {@link AttentionKernel} (stable, parallel, no
 * \( n \times n \) temporary), and its rows sum to 1 exactly even when Sinkhorn stops before its tolerance (the
 * columns are then off by about the reported marginal error); {@link #attention(double, ParticleMeasure, int)}
 * reports the convergence of a solve.
 *
 * <p>Options (withers on this immutable object): {@link #onSphere(boolean)} (project on the tangent space, as in
 * {@link org.measureflow.transformer.attention.AttentionField}), {@link #tolerance(double)} (L1 marginal error,
 * default \( 10^{-10} \)), {@link #maxIterations(int)} (default 10,000).
 */
public final class SinkformerField implements ParticleField {
    private final AttentionSchedule schedule;
    private final int dimension;
    private final boolean sphere;
    private final double tolerance;
    private final int maxIterations;

    private SinkformerField(AttentionSchedule schedule, int dimension, boolean sphere, double tolerance,
                            int maxIterations) {
        this.schedule = schedule;
        this.dimension = dimension;
        this.sphere = sphere;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /**
     * The Sinkformer field of a depth-dependent schedule, not projected, tolerance \( 10^{-10} \).
     *
     * @throws IllegalArgumentException if {@code schedule} is null or returns null at depth 0
     */
    public static SinkformerField of(AttentionSchedule schedule) {
        Arguments.notNull("schedule", schedule);
        Attention first = Arguments.notNull("schedule.at(0)", schedule.at(0));
        return new SinkformerField(schedule, first.dimension(), false, 1e-10, 10_000);
    }

    /** The Sinkformer field of fixed parameters. */
    public static SinkformerField of(Attention attention) {
        return of(AttentionSchedule.constant(attention));
    }

    /** The Sinkformer field of one fixed head. */
    public static SinkformerField of(AttentionHead head) {
        return of(Attention.of(Arguments.notNull("head", head)));
    }

    /** This field projected ({@code true}) or not on the tangent spaces of the spheres through the tokens. */
    public SinkformerField onSphere(boolean on) {
        return new SinkformerField(schedule, dimension, on, tolerance, maxIterations);
    }

    /** This field with Sinkhorn tolerance {@code value} (L1 marginal error, finite, {@code > 0}). */
    public SinkformerField tolerance(double value) {
        return new SinkformerField(schedule, dimension, sphere, Arguments.positive("tolerance", value),
                maxIterations);
    }

    /** This field with at most {@code value} ({@code > 0}) Sinkhorn iterations per solve. */
    public SinkformerField maxIterations(int value) {
        return new SinkformerField(schedule, dimension, sphere, tolerance, Arguments.positive("maxIterations", value));
    }

    /** The token dimension \( d \). */
    public int dimension() {
        return dimension;
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
        double[][] bias = new double[attention.size()][];
        for (int h = 0; h < attention.size(); h++) {
            bias[h] = keyBias(solve(attention.head(h), points, n, d, w), w);
        }
        AttentionKernel.evaluate(attention, points, n, d, bias, false, Normalisation.SOFTMAX, sphere, out);
    }

    /** The velocities of all tokens of {@code tokens}, row-major {@code n * d}. */
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
     */
    public SinkhornAttention attention(double t, ParticleMeasure tokens, int h) {
        Arguments.notNull("tokens", tokens);
        int n = tokens.size();
        int d = tokens.dimension();
        Attention attention = layer(t, d);
        AttentionHead head = attention.head(h);
        double[] points = tokens.flatPoints();
        double[] w = tokens.weights();
        SinkhornResult r = solve(head, points, n, d, w);
        double[] matrix = AttentionKernel.matrix(head, points, n, d, keyBias(r, w), false, Normalisation.SOFTMAX);
        return new SinkhornAttention(matrix, n, (int) r.iterations(), r.error(), r.converged());
    }

    private Attention layer(double t, int d) {
        Attention attention = schedule.at(t);
        if (attention == null || attention.dimension() != d) {
            throw new IllegalArgumentException("d = " + d + " must equal the dimension of the layer schedule.at("
                    + t + "), got " + attention);
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

    /** Sinkhorn with cost \( -L \), \( \varepsilon = 1 \) and both marginals \( w \). */
    private SinkhornResult solve(AttentionHead head, double[] points, int n, int d, double[] w) {
        double[] cost = AttentionKernel.logits(head, points, n, d);
        for (int k = 0; k < cost.length; k++) {
            cost[k] = -cost[k];
        }
        SinkhornSolver solver = SinkhornSolver.of(1.0).withTolerance(tolerance)
                .withMaxIterations(maxIterations);
        return solver.solve(w, w, CostMatrix.of(n, n, cost));
    }

    /** The per-key biases \( c_j = g_j + \log w_j \) of the row-normalised plan. */
    private static double[] keyBias(SinkhornResult r, double[] w) {
        double[] g = r.g();
        for (int j = 0; j < g.length; j++) {
            g[j] += Math.log(w[j]);
        }
        return g;
    }

    @Override
    public String toString() {
        return "SinkformerField[d=" + dimension + (sphere ? ", on sphere" : "") + ", tolerance=" + tolerance + "]";
    }
}
