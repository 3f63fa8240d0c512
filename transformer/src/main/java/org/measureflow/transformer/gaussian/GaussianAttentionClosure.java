package org.measureflow.transformer.gaussian;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.Step;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionSchedule;

/**
 * The Gaussian closure of the transformer PDE (survey Thm. 7.1, eq. 30; docs/closed-forms.md CF-16 and docs/closed-forms.md CF-16(a)&ndash;(c)).
 *
 * <p><b>Softmax attention.</b> For \( \mu = \mathcal N(m, \Sigma) \) the tilted measure
 * \( e^{\langle a, y\rangle} \mu(dy) / \int e^{\langle a, y\rangle} d\mu \) is \( \mathcal N(m + \Sigma a, \Sigma) \),
 * so with \( a = K^\top Q x \) each head's field is affine, and summed over heads
 * \[ \Gamma[\mu](x) = \sum_h V_h (m + \Sigma K_h^\top Q_h x) = c + B x, \qquad
 * B = \sum_h V_h \Sigma K_h^\top Q_h, \quad c = \sum_h V_h m. \]
 * Characteristics are affine, so \( \mu_t \) stays Gaussian with
 * \[ \dot m = \Gamma(m) = \sum_h V_h (I + \Sigma K_h^\top Q_h) m, \qquad \dot \Sigma = B \Sigma + \Sigma B^\top. \]
 * In \( d = 1 \) with weights \( q, k, v \): \( \dot s = 2 v k q s^2 \), \( s(t) = s_0 / (1 - 2 v k q s_0 t) \), which
 * blows up at \( t^* = 1/(2 v k q s_0) \) when \( vkq > 0 \) ({@link ScalarGaussianClosure}).
 *
 * <p><b>Sinkhorn attention</b> (Sinkformer, \( \varepsilon = 1 \); docs/closed-forms.md CF-16). The doubly stochastic attention of
 * \( \mu \) with itself is the conditional mean of the entropic plan with cost \( -x^\top M y \),
 * \( M = Q^\top K \), whose marginals are both \( \mu \): a Gaussian plan with cross-covariance
 * \( C = \Sigma^{1/2} U \mathrm{diag}(s) W^\top \Sigma^{1/2} \), where
 * \( \Sigma^{1/2} M \Sigma^{1/2} = U \mathrm{diag}(\sigma) W^\top \) and
 * \( s_i = (\sqrt{1 + 4\sigma_i^2} - 1)/(2\sigma_i) \). Then \( \Gamma(x) = \sum_h V_h (m + C_h^\top \Sigma^{-1}(x - m)) \),
 * \( \dot m = \sum_h V_h m \) and \( \dot\Sigma = B\Sigma + \Sigma B^\top \) with
 * \( B = \sum_h V_h C_h^\top \Sigma^{-1} \). (Another temperature \( \varepsilon \) is \( Q \) replaced by
 * \( Q/\varepsilon \).)
 *
 * <p><b>Solving.</b> The state \( (m, \Sigma) \) is flattened into \( d + d^2 \) numbers and integrated by the
 * configured integrator; the parameters may depend on time through an {@link AttentionSchedule}. The requested
 * times are recorded by a {@link TrajectoryRecorder} through dense output. <b>Blow-up</b> is detected, not thrown:
 * the integration stops after the first step where \( \mathrm{tr}\,\Sigma \) exceeds {@link #blowUpFactor()} times
 * its initial value, and an integrator failure (step-size underflow, non-finite state) is caught; both are
 * reported in {@link GaussianClosureResult} with an estimate of the blow-up time.
 *
 * <p>Made by {@link #withDefaults()}; changed by withers on this immutable, thread-safe object. Defaults:
 * <ul>
 * <li>{@code attentionWeights = SOFTMAX} ({@link #withAttentionWeights(AttentionWeights)});</li>
 * <li>{@code integrator = DormandPrince54} with relative tolerance \( 10^{-10} \) and absolute tolerance
 *     \( 10^{-12} \) ({@link #withIntegrator(OdeIntegrator)});</li>
 * <li>{@code blowUpFactor = 1e6} ({@link #withBlowUpFactor(double)}): the integration stops when
 *     \( \mathrm{tr}\,\Sigma > \) this factor times \( \mathrm{tr}\,\Sigma_0 \).</li>
 * </ul>
 */
public final class GaussianAttentionClosure {
    /** Which attention weights the closure is for: how the kernel \( e^{\langle Qx, Ky\rangle} \) is normalised. */
    public enum AttentionWeights {
        /** Softmax attention, each query's weights divided by their sum (row-stochastic; docs/closed-forms.md CF-16). */
        SOFTMAX,
        /** Sinkhorn attention, rows and columns scaled (doubly stochastic), \( \varepsilon = 1 \) (docs/closed-forms.md CF-16). */
        SINKHORN
    }

    private static final GaussianAttentionClosure DEFAULTS = new GaussianAttentionClosure(AttentionWeights.SOFTMAX,
            DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-12), 1e6);

    private final AttentionWeights attentionWeights;
    private final OdeIntegrator integrator;
    private final double blowUpFactor;

    private GaussianAttentionClosure(AttentionWeights attentionWeights, OdeIntegrator integrator,
                                     double blowUpFactor) {
        this.attentionWeights = attentionWeights;
        this.integrator = integrator;
        this.blowUpFactor = blowUpFactor;
    }

    /**
     * The closure with the defaults of the class description.
     *
     * @return the closure
     */
    public static GaussianAttentionClosure withDefaults() {
        return DEFAULTS;
    }

    /**
     * This closure for other attention weights.
     *
     * @param attentionWeights softmax or Sinkhorn
     * @return a new closure (this one is unchanged)
     * @throws IllegalArgumentException if {@code attentionWeights} is null
     */
    public GaussianAttentionClosure withAttentionWeights(AttentionWeights attentionWeights) {
        return new GaussianAttentionClosure(Arguments.notNull("attentionWeights", attentionWeights), integrator,
                blowUpFactor);
    }

    /**
     * This closure with another ODE method.
     *
     * @param integrator the integrator of \( (m, \Sigma) \)
     * @return a new closure (this one is unchanged)
     * @throws IllegalArgumentException if {@code integrator} is null
     */
    public GaussianAttentionClosure withIntegrator(OdeIntegrator integrator) {
        return new GaussianAttentionClosure(attentionWeights, Arguments.notNull("integrator", integrator),
                blowUpFactor);
    }

    /**
     * This closure with another blow-up threshold.
     *
     * @param blowUpFactor the integration stops when \( \mathrm{tr}\,\Sigma > \) this factor times
     *                     \( \mathrm{tr}\,\Sigma_0 \); finite and {@code > 1}
     * @return a new closure (this one is unchanged)
     * @throws IllegalArgumentException if {@code blowUpFactor} is not finite and {@code > 1}
     */
    public GaussianAttentionClosure withBlowUpFactor(double blowUpFactor) {
        return new GaussianAttentionClosure(attentionWeights, integrator,
                Arguments.inOpenRange("blowUpFactor", blowUpFactor, 1, Double.POSITIVE_INFINITY));
    }

    /** The attention weights the closure is for. */
    public AttentionWeights attentionWeights() {
        return attentionWeights;
    }

    /** The ODE method. */
    public OdeIntegrator integrator() {
        return integrator;
    }

    /** The blow-up threshold, as a factor of the initial covariance trace. */
    public double blowUpFactor() {
        return blowUpFactor;
    }

    /**
     * The attention field of \( \mathcal N(m, \Sigma) \) under the layer {@code attention}, the affine map
     * \( \Gamma(x) = c + B x \) of the class description, for this closure's attention weights.
     *
     * @param attention  the layer, of dimension \( d \)
     * @param mean       \( m \), {@code d} finite entries
     * @param covariance \( \Sigma \), {@code d x d}, finite (SPD for Sinkhorn weights)
     * @return \( \Gamma \)
     * @throws IllegalArgumentException if the sizes differ, an entry is not finite, (Sinkhorn weights) \( \Sigma \) is
     *                                  not SPD, or the field overflows double precision
     */
    public AffineMap field(Attention attention, double[] mean, DMatrixRMaj covariance) {
        Arguments.notNull("attention", attention);
        int d = attention.dimension();
        Arguments.length("mean", Arguments.finite("mean", mean).length, d);
        Arguments.shape("covariance", covariance, d, d);
        Arguments.finite("covariance", covariance);
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        double[] c = new double[d];
        AffineAttention.slopeAndOffset(attention, mean, covariance, attentionWeights, b, c);
        Arguments.finiteResult("attention", "the attention field's slope B", b.data);
        return AffineMap.of(b, Arguments.finiteResult("attention", "the attention field's offset c", c));
    }

    /**
     * The right-hand side of the closure, \( (\dot m, \dot\Sigma) = (\Gamma(m), B\Sigma + \Sigma B^\top) \).
     *
     * @param attention  the layer, of dimension \( d \)
     * @param mean       \( m \), {@code d} finite entries
     * @param covariance \( \Sigma \), {@code d x d}, finite (SPD for Sinkhorn weights)
     * @return the two rates
     * @throws IllegalArgumentException as {@link #field(Attention, double[], DMatrixRMaj)}, or if a rate overflows
     */
    public Rates rates(Attention attention, double[] mean, DMatrixRMaj covariance) {
        AffineMap gamma = field(attention, mean, covariance);
        DMatrixRMaj b = gamma.matrix();
        DMatrixRMaj bs = new DMatrixRMaj(b.numRows, b.numRows);
        CommonOps_DDRM.mult(b, covariance, bs);
        DMatrixRMaj rate = new DMatrixRMaj(b.numRows, b.numRows);
        CommonOps_DDRM.transpose(bs, rate);
        CommonOps_DDRM.addEquals(rate, bs);
        Arguments.finiteResult("covariance", "the covariance rate B S + S B^T", rate.data);
        double[] meanRate = new double[mean.length];
        gamma.apply(mean, 0, meanRate, 0);
        return new Rates(Arguments.finiteResult("mean", "the mean rate", meanRate), rate);
    }

    /**
     * The rates of the mean and the covariance; arrays are copied in and out.
     *
     * @param mean       \( \dot m \)
     * @param covariance \( \dot \Sigma \)
     */
    public record Rates(double[] mean, DMatrixRMaj covariance) {
        /**
         * Validates and copies.
         *
         * @throws IllegalArgumentException if an argument is null or the covariance rate is not {@code d x d}
         */
        public Rates {
            Arguments.notNull("mean", mean);
            Arguments.shape("covariance", covariance, mean.length, mean.length);
            mean = mean.clone();
            covariance = covariance.copy();
        }

        /** A copy of \( \dot m \). */
        @Override
        public double[] mean() {
            return mean.clone();
        }

        /** A copy of \( \dot \Sigma \). */
        @Override
        public DMatrixRMaj covariance() {
            return covariance.copy();
        }

        /** One line, e.g. {@code Rates[d=2, mean=[0.1, -0.3], covariance=[[0.5, 0.1], [0.1, 0.2]]]}. */
        @Override
        public String toString() {
            return "Rates[d=" + mean.length + ", mean=" + TextSummary.array(mean) + ", covariance="
                    + TextSummary.matrix(covariance) + "]";
        }
    }

    /**
     * Solves the closure from \( \mathcal N(m_0, \Sigma_0) \) = {@code initial} over \( [0, t_1] \), recording
     * \( (m, \Sigma) \) at {@code recordTimes} (those in \( [0, t_1] \) that are reached; through dense output).
     *
     * @param initial     \( \mathcal N(m_0, \Sigma_0) \)
     * @param schedule    the attention parameters at each time, of the Gaussian's dimension
     * @param t1          the final time, finite and {@code > 0}
     * @param recordTimes the times to record, finite, in any order
     * @return the recorded moments, the final state and how the integration ended
     * @throws IllegalArgumentException if an argument is null, {@code t1} is not finite and {@code > 0}, a
     *                                  recorded time is not finite, or the schedule's dimension differs from the
     *                                  Gaussian's
     */
    public GaussianClosureResult solve(GaussianMeasure initial, AttentionSchedule schedule, double t1,
                                       double... recordTimes) {
        Arguments.notNull("initial", initial);
        Arguments.notNull("schedule", schedule);
        Arguments.positive("t1", t1);
        Arguments.finite("recordTimes", recordTimes);
        int d = initial.dimension();
        Attention first = Arguments.notNull("schedule.at(0)", schedule.at(0));
        Arguments.sameDimension("schedule.at(0)", first.dimension(), d, "initial");
        double[] y = new double[d + d * d];
        System.arraycopy(initial.mean(), 0, y, 0, d);
        System.arraycopy(initial.covariance().data, 0, y, d, d * d);
        OdeSystem system = system(schedule, d);
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(recordTimes);
        BlowUpWatch watch = new BlowUpWatch(d, blowUpFactor * trace(y, d), y);

        IntegrationResult result = null;
        GaussianClosureResult.Status status;
        String message;
        double reached;
        double[] last;
        try {
            result = integrator.integrate(system, 0.0, y, t1, StepObserver.all(recorder, watch));
            reached = result.finalTime();
            last = y;
            if (watch.exceeded) {
                status = GaussianClosureResult.Status.BLOW_UP;
                message = "covariance trace exceeded " + blowUpFactor + " x its initial value at t = " + reached;
            } else {
                status = GaussianClosureResult.Status.COMPLETED;
                message = "reached t = " + reached;
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            status = GaussianClosureResult.Status.INTEGRATOR_FAILED;
            reached = watch.lastTime;
            last = watch.lastState;
            message = "integrator failed after t = " + reached + ": " + e.getMessage();
        }
        double blowUp = status == GaussianClosureResult.Status.COMPLETED ? Double.NaN
                : blowUpEstimate(system, reached, last, d);
        List<double[]> means = new ArrayList<>();
        List<DMatrixRMaj> covariances = new ArrayList<>();
        for (double[] state : recorder.states()) {
            means.add(meanOf(state, d));
            covariances.add(covarianceOf(state, d));
        }
        return new GaussianClosureResult(recorder.times(), means, covariances, reached, meanOf(last, d),
                covarianceOf(last, d), status, blowUp, result, message);
    }

    /** The closure's right-hand side on the flat state \( (m, \Sigma) \); its work arrays serve one integration. */
    private OdeSystem system(AttentionSchedule schedule, int d) {
        AttentionWeights weights = attentionWeights;
        double[] mean = new double[d];
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        DMatrixRMaj bs = new DMatrixRMaj(d, d);
        double[] offset = new double[d];
        return OdeSystem.of(d + d * d, (t, state, rate) -> {
            System.arraycopy(state, 0, mean, 0, d);
            System.arraycopy(state, d, cov.data, 0, d * d);
            Attention attention = schedule.at(t);
            AffineAttention.slopeAndOffset(attention, mean, cov, weights, b, offset);
            for (int r = 0; r < d; r++) {
                double s = offset[r];
                for (int c = 0; c < d; c++) {
                    s += b.unsafe_get(r, c) * mean[c];
                }
                rate[r] = s;
            }
            CommonOps_DDRM.mult(b, cov, bs);
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    rate[d + r * d + c] = bs.unsafe_get(r, c) + bs.unsafe_get(c, r);
                }
            }
        });
    }

    /**
     * The blow-up time estimate \( t_s + \mathrm{tr}\,\Sigma / \mathrm{tr}\,\dot\Sigma \) at the stopping time
     * \( t_s \), or {@code NaN} when the trace does not grow or the rate cannot be evaluated there.
     */
    private static double blowUpEstimate(OdeSystem system, double reached, double[] last, int d) {
        double[] rate = new double[last.length];
        try {
            system.derivative(reached, last, rate);
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
        double traceRate = trace(rate, d);
        return traceRate > 0 ? reached + trace(last, d) / traceRate : Double.NaN;
    }

    private static double trace(double[] state, int d) {
        double t = 0;
        for (int k = 0; k < d; k++) {
            t += state[d + k * d + k];
        }
        return t;
    }

    private static double[] meanOf(double[] state, int d) {
        double[] m = new double[d];
        System.arraycopy(state, 0, m, 0, d);
        return m;
    }

    private static DMatrixRMaj covarianceOf(double[] state, int d) {
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        System.arraycopy(state, d, s.data, 0, d * d);
        return s;
    }

    /**
     * Keeps the last accepted state (reported if the integrator then fails) and stops the integration after the
     * first step whose covariance trace exceeds the threshold.
     */
    private static final class BlowUpWatch implements StepObserver {
        private final int d;
        private final double threshold;
        double lastTime;
        double[] lastState;
        boolean exceeded;

        BlowUpWatch(int d, double threshold, double[] y0) {
            this.d = d;
            this.threshold = threshold;
            this.lastState = y0.clone();
        }

        @Override
        public void init(double t0, double[] y0, double t1) {
            lastTime = t0;
            lastState = y0.clone();
        }

        @Override
        public boolean handleStep(Step step) {
            double[] state = step.state();
            lastTime = step.endTime();
            System.arraycopy(state, 0, lastState, 0, state.length);
            exceeded = !(trace(state, d) <= threshold);
            return !exceeded;
        }
    }

    /** One line with every setting, e.g. {@code GaussianAttentionClosure[attentionWeights=SOFTMAX, ...]}. */
    @Override
    public String toString() {
        return "GaussianAttentionClosure[attentionWeights=" + attentionWeights + ", blowUpFactor="
                + TextSummary.number(blowUpFactor) + ", integrator=" + integrator + "]";
    }
}
