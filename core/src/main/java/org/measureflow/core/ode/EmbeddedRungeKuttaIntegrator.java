package org.measureflow.core.ode;

import org.measureflow.core.parallel.Chunks;

/**
 * The adaptive loop shared by embedded explicit Runge&ndash;Kutta pairs whose last stage is evaluated at the new
 * state (first same as last): the step-size control, the starting-step heuristic, the runaway guard and the
 * {@link Step} view. A method supplies its tableau (nodes \( c_i \), coefficients \( a_{ij} \), the last row being
 * the propagated weights \( b_j \)), its local error estimate and its dense output.
 *
 * <p>A step is accepted when the error norm
 * \[ \|e\| = \Big( \frac1N \sum_i \Big( \frac{e_i}{\mathrm{atol} + \mathrm{rtol} \max(|y_{k,i}|, |y_{k+1,i}|)}
 * \Big)^2 \Big)^{1/2} \le 1. \]
 * The next step is \( h \cdot \mathrm{clip}(0.9\, \|e\|^{-\alpha}\, \|e_{\mathrm{prev}}\|^{\beta}, 0.2, 10) \)
 * after an accepted step (a PI controller with \( \beta = 0.04 \), \( \alpha = 1/(q+1) - 0.75\beta \) for an error
 * estimate of order \( q \), \( \|e_{\mathrm{prev}}\| \ge 10^{-4} \) the norm of the previous accepted step, and no
 * growth right after a rejection), and \( h \max(0.2, 0.9 \|e\|^{-1/(q+1)}) \) after a rejected one. The first step
 * is chosen by the heuristic of Hairer, N&oslash;rsett and Wanner (Solving ODEs I, II.4), which costs one
 * evaluation, unless the settings give it. No step exceeds the largest step; the last step is shortened to land on
 * \( t_1 \) exactly (and stretched by up to 1% rather than leave a sliver).
 */
abstract class EmbeddedRungeKuttaIntegrator implements OdeIntegrator {
    private static final double SAFETY = 0.9;
    private static final double MIN_GROWTH = 0.2;
    private static final double MAX_GROWTH = 10.0;
    private static final double BETA = 0.04;
    private static final double UNDERFLOW = 1e-14;

    final AdaptiveStepSettings settings;
    private final double[] c;
    private final double[][] a;
    private final int stages;
    private final double acceptExponent;
    private final double rejectExponent;

    /**
     * @param settings   tolerances and step bounds
     * @param c          nodes \( c_i \), one per stage
     * @param a          coefficients: {@code a[i][j]} for {@code j < i}; the last row holds the propagated weights
     * @param errorOrder order \( q \) of the embedded error estimate
     */
    EmbeddedRungeKuttaIntegrator(AdaptiveStepSettings settings, double[] c, double[][] a, int errorOrder) {
        this.settings = settings;
        this.c = c;
        this.a = a;
        this.stages = c.length;
        this.rejectExponent = 1.0 / (errorOrder + 1);
        this.acceptExponent = rejectExponent - 0.75 * BETA;
    }

    /** The method's name for messages. */
    abstract String name();

    /**
     * The sum over {@code from <= i < to} of the squared scaled local error
     * \( (e_i / (\mathrm{atol} + \mathrm{rtol}\max(|y_{0,i}|, |y_{1,i}|)))^2 \) of a step of size {@code h}, with
     * \( e = h \sum_j (b_j - \hat b_j) k_j \).
     */
    abstract double errorSquares(double[][] k, double[] y0, double[] y1, double h, double atol, double rtol,
                                 int from, int to);

    /** The weights \( B_j(\theta) \) of the dense output \( y_k + h \sum_j B_j(\theta) k_j \), into {@code w}. */
    abstract void denseWeights(double theta, double[] w);

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the step size underflows (\( |h| &lt; 10^{-14} \max(|t|, |t_1 - t_0|) \),
     *                               e.g. at a singularity) or the integration would exceed the largest number of
     *                               evaluations; the message gives the time reached, the step size and the
     *                               evaluations spent
     */
    @Override
    public final IntegrationResult integrate(OdeSystem system, double t0, double[] y, double t1,
                                             StepObserver observer) {
        OdeArguments.check(system, t0, y, t1, observer);
        return new Run(system, y.length).integrate(t0, y, t1, observer);
    }

    /** One integration call: work arrays, the step loop, and the {@link Step} view. */
    private final class Run implements Step, Chunks.Body {
        private final OdeSystem system;
        private final int n;
        private final double[][] k;
        private final double[] stage;
        private final double[] weights;
        private final double[] partials;
        private final LinearCombination combination;
        private final double rtol = settings.relativeTolerance();
        private final double atol = settings.absoluteTolerance();
        private double[] start;
        private double[] end;
        private double startTime;
        private double endTime;
        private double h;
        private long index;
        private long evaluations;

        Run(OdeSystem system, int n) {
            this.system = system;
            this.n = n;
            k = new double[stages][];
            for (int j = 0; j < stages; j++) {
                k[j] = new double[n];
            }
            weights = new double[stages];
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
            double maxStep = Math.min(settings.maxStep(), span);
            start = y;
            system.derivative(t0, y, k[0]);
            evaluations = 1;
            double size = settings.initialStep() > 0 ? Math.min(settings.initialStep(), maxStep)
                    : initialStep(t0, y, direction, maxStep);
            double t = t0;
            double previousError = 1e-4;
            boolean rejectedLast = false;
            long accepted = 0;
            long rejected = 0;
            while (true) {
                if (size < UNDERFLOW * Math.max(Math.abs(t), span) || !(size > 0)) {
                    throw failure("step size underflow (|h| < 1e-14 max(|t|, |t1 - t0|)); the solution may be"
                            + " singular here", t, size, accepted, rejected);
                }
                if (evaluations + stages - 1 > settings.maxEvaluations()) {
                    throw failure("the next step would exceed maxEvaluations = " + settings.maxEvaluations(), t,
                            size, accepted, rejected);
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
                    boolean stop = !observer.handleStep(this);
                    swapStepEnds();
                    t = tNew;
                    double growth = SAFETY * Math.pow(Math.max(error, 1e-10), -acceptExponent)
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
                    double shrink = error > 0 ? Math.max(MIN_GROWTH, SAFETY * Math.pow(error, -rejectExponent))
                            : MIN_GROWTH;
                    size = Math.abs(h) * shrink;
                }
            }
            if (start != y) {
                System.arraycopy(start, 0, y, 0, n);
            }
            OdeArguments.checkFiniteResult(name(), y, t0, t);
            observer.finish(t, y);
            return new IntegrationResult(t, accepted, rejected, evaluations, t != t1);
        }

        /** After an accepted step: the end state becomes the start, and the last stage the next first (FSAL). */
        private void swapStepEnds() {
            double[] swap = start;
            start = end;
            end = swap;
            swap = k[0];
            k[0] = k[stages - 1];
            k[stages - 1] = swap;
        }

        private IllegalStateException failure(String reason, double t, double size, long accepted, long rejected) {
            return new IllegalStateException(name() + ": " + reason + "; stopped at t = " + t
                    + " with step size " + size + " after " + evaluations + " evaluations (" + accepted
                    + " accepted and " + rejected + " rejected steps; rtol = " + rtol + ", atol = " + atol + ")");
        }

        /** Stages 2 to s of a step from ({@code startTime}, {@code start}) with size {@code h}. */
        private void attempt() {
            for (int i = 1; i < stages; i++) {
                double[] target = i == stages - 1 ? end : stage;
                combination.into(target, start);
                double[] row = a[i];
                for (int j = 0; j < i; j++) {
                    combination.plus(h * row[j], k[j]);
                }
                combination.apply();
                system.derivative(i == stages - 1 ? endTime : startTime + c[i] * h, target, k[i]);
            }
            evaluations += stages - 1;
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
            partials[chunk] = errorSquares(k, start, end, h, atol, rtol, from, to);
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
        public long index() {
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
            for (int j = 0; j < stages; j++) {
                combination.plus(h * weights[j], k[j]);
            }
            combination.apply();
        }
    }
}
