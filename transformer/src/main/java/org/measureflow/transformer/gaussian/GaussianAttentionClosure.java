package org.measureflow.transformer.gaussian;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.measureflow.core.Arguments;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.Step;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionSchedule;

/**
 * The Gaussian closure of the transformer PDE (survey Thm. 7.1, eq. 30; spec item 16 and B8(a)&ndash;(c)).
 *
 * <p><b>Softmax attention.</b> For \( \mu = \mathcal N(m, \Sigma) \) the tilted measure
 * \( e^{\langle a, y\rangle} \mu(dy) / \int e^{\langle a, y\rangle} d\mu \) is \( \mathcal N(m + \Sigma a, \Sigma) \),
 * so with \( a = K^\top Q x \) each head's field is affine, and summed over heads
 * \[ \Gamma[\mu](x) = \sum_h V_h (m + \Sigma K_h^\top Q_h x) = c + B x, \qquad
 * B = \sum_h V_h \Sigma K_h^\top Q_h, \quad c = \sum_h V_h m. \]
 * Characteristics are affine, so \( \mu_t \) stays Gaussian with
 * \[ \dot m = \Gamma(m) = \sum_h V_h (I + \Sigma K_h^\top Q_h) m, \qquad \dot \Sigma = B \Sigma + \Sigma B^\top. \]
 * In \( d = 1 \) with weights \( q, k, v \): \( \dot s = 2 v k q s^2 \), \( s(t) = s_0 / (1 - 2 v k q s_0 t) \), which
 * blows up at \( t^* = 1/(2 v k q s_0) \) when \( vkq > 0 \).
 *
 * <p><b>Sinkhorn attention</b> (Sinkformer, \( \varepsilon = 1 \); spec B8(b)). The doubly stochastic attention of
 * \( \mu \) with itself is the conditional mean of the entropic plan with cost \( -x^\top M y \),
 * \( M = Q^\top K \), whose marginals are both \( \mu \): a Gaussian plan with cross-covariance
 * \( C = \Sigma^{1/2} U \mathrm{diag}(s) W^\top \Sigma^{1/2} \), where
 * \( \Sigma^{1/2} M \Sigma^{1/2} = U \mathrm{diag}(\sigma) W^\top \) and
 * \( s_i = (\sqrt{1 + 4\sigma_i^2} - 1)/(2\sigma_i) \). Then \( \Gamma(x) = \sum_h V_h (m + C_h^\top \Sigma^{-1}(x - m)) \),
 * \( \dot m = \sum_h V_h m \) and \( \dot\Sigma = B\Sigma + \Sigma B^\top \) with
 * \( B = \sum_h V_h C_h^\top \Sigma^{-1} \).
 *
 * <p><b>Solving.</b> The state \( (m, \Sigma) \) is flattened into \( d + d^2 \) numbers and integrated by a core
 * integrator (default {@link DormandPrince54} with relative tolerance \( 10^{-10} \), absolute \( 10^{-12} \)); the
 * parameters may depend on time through an {@link AttentionSchedule}. <b>Blow-up</b> is detected, not thrown:
 * the integration stops after the first step where \( \mathrm{tr}\,\Sigma \) exceeds
 * {@link Options#blowUpFactor()} times its initial value, and an integrator failure (step-size underflow,
 * non-finite state) is caught; both are reported in {@link GaussianClosureResult} with an estimate of the blow-up
 * time.
 */
public final class GaussianAttentionClosure {
    /** Which normalisation of the attention kernel is closed. */
    public enum Kernel {
        /** Softmax attention (spec B8(a)). */
        SOFTMAX,
        /** Doubly stochastic Sinkhorn attention, \( \varepsilon = 1 \) (spec B8(b)). */
        SINKHORN
    }

    /**
     * The configuration of the closure.
     *
     * @param kernel       softmax or Sinkhorn attention; default {@link Kernel#SOFTMAX}
     * @param integrator   the ODE method; default {@link DormandPrince54} with rtol \( 10^{-10} \), atol
     *                     \( 10^{-12} \)
     * @param blowUpFactor the integration stops when \( \mathrm{tr}\,\Sigma > \) this factor times
     *                     \( \mathrm{tr}\,\Sigma_0 \), finite and {@code > 1}; default \( 10^6 \)
     */
    public record Options(Kernel kernel, OdeIntegrator integrator, double blowUpFactor) {
        static final Options DEFAULTS = new Options(Kernel.SOFTMAX, DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-12), 1e6);

        /**
         * Validates the options.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public Options {
            Arguments.notNull("kernel", kernel);
            Arguments.notNull("integrator", integrator);
            Arguments.finite("blowUpFactor", blowUpFactor);
            if (!(blowUpFactor > 1)) {
                throw new IllegalArgumentException("blowUpFactor must be > 1, got " + blowUpFactor);
            }
        }

        /** These options with the given kernel. */
        public Options kernel(Kernel value) {
            return new Options(value, integrator, blowUpFactor);
        }

        /** These options with the given integrator. */
        public Options integrator(OdeIntegrator value) {
            return new Options(kernel, value, blowUpFactor);
        }

        /** These options with the given blow-up factor (finite, {@code > 1}). */
        public Options blowUpFactor(double value) {
            return new Options(kernel, integrator, value);
        }

        /** The closure with these options. */
        public GaussianAttentionClosure build() {
            return new GaussianAttentionClosure(this);
        }
    }

    private final Options options;

    private GaussianAttentionClosure(Options options) {
        this.options = options;
    }

    /** The default options (see {@link Options}), to be changed with withers and built. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** The closure with the default options. */
    public static GaussianAttentionClosure withDefaults() {
        return new GaussianAttentionClosure(Options.DEFAULTS);
    }

    /** This closure's options. */
    public Options settings() {
        return options;
    }

    /**
     * The attention field of \( \mathcal N(m, \Sigma) \) under the layer {@code attention}, the affine map
     * \( \Gamma(x) = c + B x \) of the class description.
     *
     * @throws IllegalArgumentException if the sizes differ, an entry is not finite, or (Sinkhorn kernel)
     *                                  \( \Sigma \) is not SPD
     */
    public static AffineMap field(Attention attention, double[] mean, DMatrixRMaj covariance, Kernel kernel) {
        Arguments.notNull("attention", attention);
        Arguments.notNull("kernel", kernel);
        int d = attention.dimension();
        Arguments.length("mean", Arguments.finite("mean", mean).length, d);
        Arguments.shape("covariance", covariance, d, d);
        Arguments.finite("covariance", covariance);
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        double[] c = new double[d];
        slopeAndOffset(attention, mean, covariance, kernel, b, c);
        return AffineMap.of(b, c);
    }

    /**
     * The right-hand side of the closure, \( (\dot m, \dot\Sigma) = (\Gamma(m), B\Sigma + \Sigma B^\top) \).
     *
     * @return a record with the two rates
     * @throws IllegalArgumentException as {@link #field(Attention, double[], DMatrixRMaj, Kernel)}
     */
    public static Rates rates(Attention attention, double[] mean, DMatrixRMaj covariance, Kernel kernel) {
        AffineMap gamma = field(attention, mean, covariance, kernel);
        DMatrixRMaj b = gamma.matrix();
        DMatrixRMaj bs = new DMatrixRMaj(b.numRows, b.numRows);
        CommonOps_DDRM.mult(b, covariance, bs);
        DMatrixRMaj rate = new DMatrixRMaj(b.numRows, b.numRows);
        CommonOps_DDRM.transpose(bs, rate);
        CommonOps_DDRM.addEquals(rate, bs);
        return new Rates(gamma.apply(mean), rate);
    }

    /**
     * The rates of the mean and the covariance.
     *
     * @param mean       \( \dot m \)
     * @param covariance \( \dot \Sigma \)
     */
    public record Rates(double[] mean, DMatrixRMaj covariance) {
    }

    /**
     * Solves the closure from \( \mathcal N(m_0, \Sigma_0) \) = {@code initial} over \( [0, t_1] \), recording
     * \( (m, \Sigma) \) at {@code recordTimes} (those in \( [0, t_1] \) that are reached; through dense output).
     *
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
        Attention first = schedule.at(0);
        if (first == null || first.dimension() != d) {
            throw new IllegalArgumentException("schedule.at(0) must be a layer of dimension " + d + ", got " + first);
        }
        Kernel kernel = options.kernel;
        int size = d + d * d;
        double[] y = new double[size];
        System.arraycopy(initial.mean(), 0, y, 0, d);
        System.arraycopy(initial.covariance().data, 0, y, d, d * d);
        double trace0 = trace(y, d);
        double threshold = options.blowUpFactor * trace0;

        double[] mean = new double[d];
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        DMatrixRMaj bs = new DMatrixRMaj(d, d);
        double[] offset = new double[d];
        OdeSystem system = OdeSystem.of(size, (t, state, rate) -> {
            System.arraycopy(state, 0, mean, 0, d);
            System.arraycopy(state, d, cov.data, 0, d * d);
            Attention attention = schedule.at(t);
            slopeAndOffset(attention, mean, cov, kernel, b, offset);
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

        Watcher watcher = new Watcher(d, threshold, recordTimes, y);
        IntegrationResult result = null;
        GaussianClosureResult.Status status;
        String message;
        double reached;
        double[] last;
        try {
            result = options.integrator.integrate(system, 0.0, y, t1, watcher);
            reached = result.finalTime();
            last = y;
            if (watcher.exceeded) {
                status = GaussianClosureResult.Status.BLOW_UP;
                message = "covariance trace exceeded " + options.blowUpFactor + " x its initial value at t = "
                        + reached;
            } else {
                status = GaussianClosureResult.Status.COMPLETED;
                message = "reached t = " + reached;
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            status = GaussianClosureResult.Status.INTEGRATOR_FAILED;
            reached = watcher.lastTime;
            last = watcher.lastState;
            message = "integrator failed after t = " + reached + ": " + e.getMessage();
        }
        double[] finalMean = new double[d];
        DMatrixRMaj finalCov = new DMatrixRMaj(d, d);
        System.arraycopy(last, 0, finalMean, 0, d);
        System.arraycopy(last, d, finalCov.data, 0, d * d);
        double blowUp = Double.NaN;
        if (status != GaussianClosureResult.Status.COMPLETED) {
            double[] rate = new double[size];
            try {
                system.derivative(reached, last, rate);
                double traceRate = trace(rate, d);
                blowUp = traceRate > 0 ? reached + trace(last, d) / traceRate : Double.NaN;
            } catch (IllegalArgumentException e) {
                blowUp = Double.NaN;
            }
        }
        return new GaussianClosureResult(watcher.times(), watcher.means, watcher.covariances, reached, finalMean,
                finalCov, status, blowUp, result, message);
    }

    /** \( B \) and \( c \) of \( \Gamma(x) = c + B x \) into the given outputs. */
    private static void slopeAndOffset(Attention attention, double[] mean, DMatrixRMaj covariance, Kernel kernel,
                                       DMatrixRMaj b, double[] c) {
        int d = attention.dimension();
        b.zero();
        java.util.Arrays.fill(c, 0.0);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj vs = new DMatrixRMaj(d, d);
        DMatrixRMaj half = null;
        DMatrixRMaj invHalf = null;
        if (kernel == Kernel.SINKHORN) {
            DMatrixRMaj sym = Spd.symmetrised(covariance);
            half = Spd.sqrt(sym);
            invHalf = Spd.invSqrt(sym);
        }
        for (AttentionHead head : attention.heads()) {
            DMatrixRMaj v = head.value();
            if (kernel == Kernel.SOFTMAX) {
                // B += V S (K^T Q), c += V m
                CommonOps_DDRM.mult(v, covariance, vs);
                CommonOps_DDRM.mult(vs, head.keyTransposeQuery(), tmp);
                CommonOps_DDRM.addEquals(b, tmp);
                addMatVec(v, mean, c);
            } else {
                // B_h = V C^T S^{-1} = V S^{1/2} W diag(s) U^T S^{-1/2}, with S^{1/2} Q^T K S^{1/2} = U diag(sig) W^T;
                // Gamma_h(x) = V m + B_h (x - m)
                DMatrixRMaj m = new DMatrixRMaj(d, d);
                CommonOps_DDRM.multTransA(head.query(), head.key(), m);
                DMatrixRMaj g = new DMatrixRMaj(d, d);
                CommonOps_DDRM.mult(half, m, tmp);
                CommonOps_DDRM.mult(tmp, half, g);
                SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
                if (!svd.decompose(g)) {
                    throw new IllegalStateException("SVD of S^{1/2} Q^T K S^{1/2} failed");
                }
                DMatrixRMaj u = svd.getU(null, false);
                DMatrixRMaj w = svd.getV(null, false);
                double[] sig = svd.getSingularValues();
                int rank = Math.min(sig.length, d);
                // W diag(s) U^T
                DMatrixRMaj wsu = new DMatrixRMaj(d, d);
                for (int r = 0; r < d; r++) {
                    for (int col = 0; col < d; col++) {
                        double s = 0;
                        for (int i = 0; i < rank; i++) {
                            s += w.unsafe_get(r, i) * correlation(sig[i]) * u.unsafe_get(col, i);
                        }
                        wsu.unsafe_set(r, col, s);
                    }
                }
                DMatrixRMaj left = new DMatrixRMaj(d, d);
                CommonOps_DDRM.mult(v, half, left);
                CommonOps_DDRM.mult(left, wsu, tmp);
                DMatrixRMaj bh = new DMatrixRMaj(d, d);
                CommonOps_DDRM.mult(tmp, invHalf, bh);
                CommonOps_DDRM.addEquals(b, bh);
                addMatVec(v, mean, c);
                double[] bm = new double[d];
                addMatVec(bh, mean, bm);
                for (int r = 0; r < d; r++) {
                    c[r] -= bm[r];
                }
            }
        }
    }

    /**
     * The correlation \( s = (\sqrt{1 + 4\sigma^2} - 1)/(2\sigma) = 2\sigma / (1 + \sqrt{1 + 4\sigma^2}) \) of the
     * entropic plan (\( \varepsilon = 1 \)) between two standard normals with coupling \( e^{\sigma u z} \); the
     * second form has no cancellation and gives 0 at \( \sigma = 0 \).
     */
    static double correlation(double sigma) {
        return 2 * sigma / (1 + Math.sqrt(1 + 4 * sigma * sigma));
    }

    private static void addMatVec(DMatrixRMaj a, double[] x, double[] out) {
        int d = x.length;
        for (int r = 0; r < d; r++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += a.unsafe_get(r, c) * x[c];
            }
            out[r] += s;
        }
    }

    private static double trace(double[] state, int d) {
        double t = 0;
        for (int k = 0; k < d; k++) {
            t += state[d + k * d + k];
        }
        return t;
    }

    /**
     * The blow-up time \( t^* = 1/(2 v k q s_0) \) of the one-dimensional closure (spec B8(c)), or
     * \( +\infty \) when \( v k q \le 0 \) (the variance then stays bounded: it collapses like
     * \( 1/(2|vkq| t) \) if \( vkq &lt; 0 \)).
     *
     * @throws IllegalArgumentException if a weight is not finite or \( s_0 \le 0 \)
     */
    public static double scalarBlowUpTime(double q, double k, double v, double s0) {
        double c = scalarRate(q, k, v, s0);
        return c > 0 ? 1.0 / (2 * c * s0) : Double.POSITIVE_INFINITY;
    }

    /**
     * The variance \( s(t) = s_0 / (1 - 2 v k q s_0 t) \) of the one-dimensional closure (spec B8(c)), for
     * \( 0 \le t &lt; t^* \).
     *
     * @throws IllegalArgumentException on invalid weights or a time outside \( [0, t^*) \)
     */
    public static double scalarVariance(double q, double k, double v, double s0, double t) {
        return s0 / scalarDenominator(q, k, v, s0, t);
    }

    /**
     * The mean \( m(t) = m_0 e^{v t} (1 - 2 v k q s_0 t)^{-1/2} \) of the one-dimensional closure (spec B8(c)), for
     * \( 0 \le t &lt; t^* \).
     *
     * @throws IllegalArgumentException on invalid weights or a time outside \( [0, t^*) \)
     */
    public static double scalarMean(double q, double k, double v, double m0, double s0, double t) {
        Arguments.finite("m0", m0);
        return m0 * Math.exp(v * t) / Math.sqrt(scalarDenominator(q, k, v, s0, t));
    }

    private static double scalarRate(double q, double k, double v, double s0) {
        Arguments.finite("q", q);
        Arguments.finite("k", k);
        Arguments.finite("v", v);
        Arguments.positive("s0", s0);
        return v * k * q;
    }

    private static double scalarDenominator(double q, double k, double v, double s0, double t) {
        double c = scalarRate(q, k, v, s0);
        Arguments.nonNegative("t", t);
        double den = 1 - 2 * c * s0 * t;
        if (!(den > 0)) {
            throw new IllegalArgumentException("t must be < the blow-up time " + scalarBlowUpTime(q, k, v, s0)
                    + ", got " + t);
        }
        return den;
    }

    /** Records requested times, keeps the last accepted state, and stops at the blow-up threshold. */
    private static final class Watcher implements StepObserver {
        private final int d;
        private final double threshold;
        private final double[] requested;
        private int next;
        private final List<Double> times = new ArrayList<>();
        final List<double[]> means = new ArrayList<>();
        final List<DMatrixRMaj> covariances = new ArrayList<>();
        double lastTime;
        double[] lastState;
        boolean exceeded;

        Watcher(int d, double threshold, double[] recordTimes, double[] y0) {
            this.d = d;
            this.threshold = threshold;
            this.requested = recordTimes.clone();
            java.util.Arrays.sort(this.requested);
            this.lastState = y0.clone();
        }

        @Override
        public void init(double t0, double[] y0, double t1) {
            lastTime = t0;
            lastState = y0.clone();
            while (next < requested.length && requested[next] < t0) {
                next++;
            }
            while (next < requested.length && requested[next] == t0) {
                record(t0, y0);
                next++;
            }
        }

        @Override
        public boolean handleStep(Step step) {
            double end = step.endTime();
            double[] state = step.state();
            double[] buffer = new double[state.length];
            while (next < requested.length && requested[next] <= end) {
                double t = requested[next++];
                if (t == end) {
                    record(t, state);
                } else {
                    step.interpolate(t, buffer);
                    record(t, buffer);
                }
            }
            lastTime = end;
            System.arraycopy(state, 0, lastState, 0, state.length);
            exceeded = !(trace(state, d) <= threshold);
            return !exceeded;
        }

        private void record(double t, double[] state) {
            times.add(t);
            double[] m = new double[d];
            System.arraycopy(state, 0, m, 0, d);
            DMatrixRMaj s = new DMatrixRMaj(d, d);
            System.arraycopy(state, d, s.data, 0, d * d);
            means.add(m);
            covariances.add(s);
        }

        double[] times() {
            double[] t = new double[times.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = times.get(i);
            }
            return t;
        }
    }
}
