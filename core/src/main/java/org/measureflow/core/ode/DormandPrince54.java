package org.measureflow.core.ode;

import org.measureflow.core.Arguments;
import org.measureflow.core.parallel.Chunks;

/**
 * The adaptive embedded Runge&ndash;Kutta pair of Dormand and Prince (1980), RK5(4) with seven stages, first same
 * as last (the seventh stage \( F(t_{k+1}, y_{k+1}) \) is the next step's first), so six evaluations per step. The
 * state is advanced with the fifth-order solution \( y_{k+1} = y_k + h \sum_j b_j k_j \) (local extrapolation), and
 * the local error is estimated by the difference with the embedded fourth-order solution,
 * \( e = h \sum_j (b_j - \hat b_j) k_j \), in the norm
 * \[ \|e\| = \Big( \frac1N \sum_i \Big( \frac{e_i}{\mathrm{atol} + \mathrm{rtol} \max(|y_{k,i}|, |y_{k+1,i}|)}
 * \Big)^2 \Big)^{1/2}. \]
 * A step is accepted when \( \|e\| \le 1 \). The next step is \( h \cdot \mathrm{clip}(0.9\,
 * \|e\|^{-0.17}\, \|e_{\mathrm{prev}}\|^{0.04}, 0.2, 10) \) after an accepted step (a PI controller, with
 * \( \|e_{\mathrm{prev}}\| \ge 10^{-4} \) the norm of the previous accepted step, and no growth right after a
 * rejection), and \( h \max(0.2, 0.9 \|e\|^{-1/5}) \) after a rejected one. The first step is chosen by the
 * heuristic of Hairer, N&oslash;rsett and Wanner (Solving ODEs I, II.4), which costs one evaluation, unless
 * {@link Options#initialStep(double)} gives it. No step exceeds {@link Options#maxStep(double)}; the last step is
 * shortened to land on \( t_1 \) exactly (and stretched by up to 1% rather than leave a sliver).
 *
 * <p>Dense output ({@link Step#interpolate(double, double[])}) is the standard continuous extension of order 4 of
 * DOPRI5: with \( \theta = (t - t_k)/h \),
 * \( y(t) \approx y_k + \theta^2 (3 - 2\theta)(y_{k+1} - y_k) + \theta(1-\theta)^2 h k_1
 * - \theta^2 (1-\theta) h k_7 + \theta^2 (1-\theta)^2 h \sum_j d_j k_j \), a Hermite cubic corrected by a quartic
 * term; it costs no evaluation.
 *
 * <p>Applied to particles it solves the characteristics of the continuity equation (survey eqs. 1&ndash;2). Work
 * arrays are allocated once per call; for large states (from about \( 2^{15} \) coordinates) the vector updates
 * and the error norm run in parallel over fixed chunks (partial sums combined in chunk order), with the same bits
 * as serially. Immutable and thread-safe.
 *
 * <p>Defaults ({@link #options()}): relative tolerance \( 10^{-6} \), absolute tolerance \( 10^{-9} \), initial
 * step automatic, maximal step unbounded (the whole interval), at most \( 10^7 \) evaluations.
 */
public final class DormandPrince54 implements OdeIntegrator {
    /** Nodes \( c_i \). */
    static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    /** Coefficients \( a_{ij} \), {@code A[i][j]} for {@code j < i}; the last row holds the weights \( b_j \). */
    static final double[][] A = {
            {},
            {1.0 / 5},
            {3.0 / 40, 9.0 / 40},
            {44.0 / 45, -56.0 / 15, 32.0 / 9},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
            {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
    };
    /** Fifth-order weights \( b_j \) (the last row of {@link #A}, and \( b_7 = 0 \)). */
    static final double[] B = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
    /** Error weights \( b_j - \hat b_j \), with \( \hat b \) the embedded fourth-order weights. */
    static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525,
            -1.0 / 40};
    /** Weights \( d_j \) of the quartic correction of the dense output. */
    static final double[] D = {-12715105075.0 / 11282082432.0, 0, 87487479700.0 / 32700410799.0,
            -10690763975.0 / 1880347072.0, 701980252875.0 / 199316789632.0, -1453857185.0 / 822651844.0,
            69997945.0 / 29380423.0};

    private static final int STAGES = 7;
    private static final double SAFETY = 0.9;
    private static final double MIN_GROWTH = 0.2;
    private static final double MAX_GROWTH = 10.0;
    private static final double BETA = 0.04;
    private static final double ALPHA = 0.2 - 0.75 * BETA;
    private static final double UNDERFLOW = 1e-14;

    private final Options options;

    private DormandPrince54(Options options) {
        this.options = options;
    }

    /**
     * An integrator with the given tolerances and the other defaults of {@link #options()}.
     *
     * @param relativeTolerance rtol, finite and {@code > 0}
     * @param absoluteTolerance atol, finite and {@code > 0}
     * @throws IllegalArgumentException if a tolerance is not finite and positive
     */
    public static DormandPrince54 of(double relativeTolerance, double absoluteTolerance) {
        return options().relativeTolerance(relativeTolerance).absoluteTolerance(absoluteTolerance).build();
    }

    /**
     * The default options, to be changed with the withers and turned into an integrator with
     * {@link Options#build()}: relative tolerance \( 10^{-6} \), absolute tolerance \( 10^{-9} \), initial step
     * {@code 0} (automatic), maximal step {@code +Infinity} (bounded by the interval), maximal evaluations
     * \( 10^7 \).
     */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** The options this integrator was built with. */
    public Options settings() {
        return options;
    }

    @Override
    public String toString() {
        return "DormandPrince54" + options;
    }

    /**
     * Configuration of {@link DormandPrince54}; immutable, changed by withers that return a copy.
     *
     * @param relativeTolerance rtol of the error norm, finite and {@code > 0}; default \( 10^{-6} \)
     * @param absoluteTolerance atol of the error norm, finite and {@code > 0}; default \( 10^{-9} \)
     * @param initialStep       size of the first attempted step, finite and {@code > 0}, or {@code 0} for the
     *                          automatic choice; default {@code 0}
     * @param maxStep           largest step size, {@code > 0} (may be {@code +Infinity}); default
     *                          {@code +Infinity}
     * @param maxEvaluations    runaway guard: the integration throws {@link IllegalStateException} rather than
     *                          exceed this number of evaluations, {@code > 0}; default \( 10^7 \)
     */
    public record Options(double relativeTolerance, double absoluteTolerance, double initialStep, double maxStep,
                          long maxEvaluations) {
        static final Options DEFAULTS = new Options(1e-6, 1e-9, 0.0, Double.POSITIVE_INFINITY, 10_000_000L);

        /**
         * Validates the options.
         *
         * @throws IllegalArgumentException naming the first option that breaks its rule
         */
        public Options {
            Arguments.positive("relativeTolerance", relativeTolerance);
            Arguments.positive("absoluteTolerance", absoluteTolerance);
            Arguments.nonNegative("initialStep", initialStep);
            if (!(maxStep > 0)) {
                throw new IllegalArgumentException("maxStep must be > 0 (or +Infinity), got " + maxStep);
            }
            if (maxEvaluations <= 0) {
                throw new IllegalArgumentException("maxEvaluations must be > 0, got " + maxEvaluations);
            }
        }

        /** These options with relative tolerance {@code value} (finite, {@code > 0}). */
        public Options relativeTolerance(double value) {
            return new Options(value, absoluteTolerance, initialStep, maxStep, maxEvaluations);
        }

        /** These options with absolute tolerance {@code value} (finite, {@code > 0}). */
        public Options absoluteTolerance(double value) {
            return new Options(relativeTolerance, value, initialStep, maxStep, maxEvaluations);
        }

        /** These options with first step size {@code value} (finite, {@code > 0}), or automatic if {@code 0}. */
        public Options initialStep(double value) {
            return new Options(relativeTolerance, absoluteTolerance, value, maxStep, maxEvaluations);
        }

        /** These options with largest step size {@code value} ({@code > 0}, may be {@code +Infinity}). */
        public Options maxStep(double value) {
            return new Options(relativeTolerance, absoluteTolerance, initialStep, value, maxEvaluations);
        }

        /** These options with at most {@code value} ({@code > 0}) evaluations per integration. */
        public Options maxEvaluations(long value) {
            return new Options(relativeTolerance, absoluteTolerance, initialStep, maxStep, value);
        }

        /** An integrator with these options. */
        public DormandPrince54 build() {
            return new DormandPrince54(this);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the step size underflows (\( |h| < 10^{-14} \max(|t|, |t_1 - t_0|) \),
     *                               e.g. at a singularity) or the integration would exceed
     *                               {@link Options#maxEvaluations()}; the message gives the time reached, the
     *                               step size and the evaluations spent
     */
    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1, StepObserver observer) {
        OdeArguments.check(system, t0, y, t1, observer);
        return new Run(system, y.length).integrate(t0, y, t1, observer);
    }

    /** The weights \( B_j(\theta) \) of the dense output \( y_k + h \sum_j B_j(\theta) k_j \). */
    static void denseWeights(double theta, double[] w) {
        double s = 1 - theta;
        double cubic = theta * theta * (3 - 2 * theta);
        double quartic = theta * theta * s * s;
        for (int j = 0; j < STAGES; j++) {
            w[j] = cubic * B[j] + quartic * D[j];
        }
        w[0] += theta * s * s;
        w[STAGES - 1] -= theta * theta * s;
    }

    /** One integration call: work arrays, the step loop, and the {@link Step} view. */
    private final class Run implements Step, Chunks.Body {
        private final OdeSystem system;
        private final int n;
        private final double[][] k = new double[STAGES][];
        private final double[] stage;
        private final double[] weights = new double[STAGES];
        private final double[] partials;
        private final LinearCombination combination;
        private final double rtol = options.relativeTolerance;
        private final double atol = options.absoluteTolerance;
        private double[] start;
        private double[] end;
        private double startTime;
        private double endTime;
        private double h;
        private int index;
        private long evaluations;

        Run(OdeSystem system, int n) {
            this.system = system;
            this.n = n;
            for (int j = 0; j < STAGES; j++) {
                k[j] = new double[n];
            }
            stage = new double[n];
            end = new double[n];
            partials = new double[Chunks.count(n, LinearCombination.CHUNK)];
            combination = new LinearCombination(n);
        }

        IntegrationResult integrate(double t0, double[] y, double t1, StepObserver observer) {
            observer.init(t0, y, t1);
            if (t0 == t1) {
                observer.finish(t1, y);
                return new IntegrationResult(t1, 0, 0, 0, false);
            }
            double direction = Math.signum(t1 - t0);
            double span = Math.abs(t1 - t0);
            double maxStep = Math.min(options.maxStep, span);
            start = y;
            system.derivative(t0, y, k[0]);
            evaluations = 1;
            double size = options.initialStep > 0 ? Math.min(options.initialStep, maxStep)
                    : initialStep(t0, y, direction, maxStep);
            double t = t0;
            double previousError = 1e-4;
            boolean rejectedLast = false;
            int accepted = 0;
            int rejected = 0;
            boolean stop = false;
            while (true) {
                if (size < UNDERFLOW * Math.max(Math.abs(t), span) || !(size > 0)) {
                    throw failure("step size underflow (|h| < 1e-14 max(|t|, |t1 - t0|)); the solution may be"
                            + " singular here", t, size, accepted, rejected);
                }
                if (evaluations + STAGES - 1 > options.maxEvaluations) {
                    throw failure("the next step would exceed maxEvaluations = " + options.maxEvaluations, t, size,
                            accepted, rejected);
                }
                boolean last = Math.abs(t1 - t) <= 1.01 * size;
                double tNew = last ? t1 : t + direction * size;
                h = tNew - t;
                startTime = t;
                endTime = tNew;
                attempt();
                double error = errorNorm();
                if (error <= 1) {
                    index = accepted++;
                    stop = !observer.handleStep(this);
                    double[] swap = start;
                    start = end;
                    end = swap;
                    swap = k[0];
                    k[0] = k[STAGES - 1];
                    k[STAGES - 1] = swap;
                    t = tNew;
                    double growth = SAFETY * Math.pow(Math.max(error, 1e-10), -ALPHA)
                            * Math.pow(previousError, BETA);
                    growth = Math.min(MAX_GROWTH, Math.max(MIN_GROWTH, growth));
                    if (rejectedLast) {
                        growth = Math.min(growth, 1.0);
                    }
                    previousError = Math.max(error, 1e-4);
                    rejectedLast = false;
                    size = Math.min(Math.abs(h) * growth, maxStep);
                    if (last || stop) {
                        break;
                    }
                } else {
                    rejected++;
                    rejectedLast = true;
                    double shrink = error > 0 ? Math.max(MIN_GROWTH, SAFETY * Math.pow(error, -0.2)) : MIN_GROWTH;
                    size = Math.abs(h) * shrink;
                }
            }
            if (start != y) {
                System.arraycopy(start, 0, y, 0, n);
            }
            OdeArguments.checkFiniteResult("DormandPrince54", y, t0, t);
            observer.finish(t, y);
            return new IntegrationResult(t, accepted, rejected, evaluations, t != t1);
        }

        private IllegalStateException failure(String reason, double t, double size, int accepted, int rejected) {
            return new IllegalStateException("DormandPrince54: " + reason + "; stopped at t = " + t
                    + " with step size " + size + " after " + evaluations + " evaluations (" + accepted
                    + " accepted and " + rejected + " rejected steps; rtol = " + rtol + ", atol = " + atol + ")");
        }

        /** Stages 2 to 7 of a step from ({@code startTime}, {@code start}) with size {@code h}. */
        private void attempt() {
            for (int i = 1; i < STAGES; i++) {
                double[] target = i == STAGES - 1 ? end : stage;
                combination.into(target, start);
                double[] row = A[i];
                for (int j = 0; j < i; j++) {
                    combination.plus(h * row[j], k[j]);
                }
                combination.apply();
                system.derivative(i == STAGES - 1 ? endTime : startTime + C[i] * h, target, k[i]);
            }
            evaluations += STAGES - 1;
        }

        /** The error norm of the last attempt: chunk sums in {@link #run}, combined here in chunk order. */
        private double errorNorm() {
            Chunks.forEach(n, LinearCombination.CHUNK, 24, this);
            double sum = 0;
            for (double p : partials) {
                sum += p;
            }
            return Math.sqrt(sum / n);
        }

        @Override
        public void run(int chunk, int from, int to) {
            double[] y0 = start;
            double[] y1 = end;
            double[] k1 = k[0];
            double[] k3 = k[2];
            double[] k4 = k[3];
            double[] k5 = k[4];
            double[] k6 = k[5];
            double[] k7 = k[6];
            double e1 = h * E[0];
            double e3 = h * E[2];
            double e4 = h * E[3];
            double e5 = h * E[4];
            double e6 = h * E[5];
            double e7 = h * E[6];
            double sum = 0;
            for (int i = from; i < to; i++) {
                double err = e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i];
                double scale = atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
                double r = err / scale;
                sum += r * r;
            }
            partials[chunk] = sum;
        }

        /**
         * The starting step of Hairer, N&oslash;rsett and Wanner (Solving ODEs I, II.4): \( h_0 = 0.01\, d_0 / d_1 \)
         * from the norms of \( y_0 \) and \( F(t_0, y_0) \), an Euler step of size \( h_0 \) to estimate the second
         * derivative \( d_2 \), then \( h_1 = (0.01 / \max(d_1, d_2))^{1/5} \) and \( h = \min(100 h_0, h_1) \).
         */
        private double initialStep(double t0, double[] y0, double direction, double maxStep) {
            double[] f0 = k[0];
            double d0 = 0;
            double d1 = 0;
            for (int i = 0; i < n; i++) {
                double scale = atol + rtol * Math.abs(y0[i]);
                d0 += (y0[i] / scale) * (y0[i] / scale);
                d1 += (f0[i] / scale) * (f0[i] / scale);
            }
            d0 = Math.sqrt(d0 / n);
            d1 = Math.sqrt(d1 / n);
            double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
            h0 = Math.min(h0, maxStep);
            combination.into(stage, y0).plus(direction * h0, f0).apply();
            double[] f1 = k[1];
            system.derivative(t0 + direction * h0, stage, f1);
            evaluations++;
            double d2 = 0;
            for (int i = 0; i < n; i++) {
                double scale = atol + rtol * Math.abs(y0[i]);
                double r = (f1[i] - f0[i]) / scale;
                d2 += r * r;
            }
            d2 = Math.sqrt(d2 / n) / h0;
            double dmax = Math.max(d1, d2);
            double h1 = dmax <= 1e-15 ? Math.max(1e-6, 1e-3 * h0) : Math.pow(0.01 / dmax, 0.2);
            double size = Math.min(Math.min(100 * h0, h1), maxStep);
            return Double.isFinite(size) && size > 0 ? size : maxStep;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public double startTime() {
            return startTime;
        }

        @Override
        public double endTime() {
            return endTime;
        }

        @Override
        public double[] state() {
            return end;
        }

        @Override
        public void interpolate(double t, double[] out) {
            OdeArguments.checkInterpolation(t, out, n);
            denseWeights((t - startTime) / h, weights);
            combination.into(out, start);
            for (int j = 0; j < STAGES; j++) {
                combination.plus(h * weights[j], k[j]);
            }
            combination.apply();
        }
    }
}
