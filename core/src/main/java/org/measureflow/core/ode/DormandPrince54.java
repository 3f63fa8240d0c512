package org.measureflow.core.ode;

/**
 * The adaptive embedded Runge&ndash;Kutta pair of Dormand and Prince (1980), RK5(4) with seven stages, first same
 * as last (the seventh stage \( F(t_{k+1}, y_{k+1}) \) is the next step's first), so six evaluations per step. The
 * state is advanced with the fifth-order solution \( y_{k+1} = y_k + h \sum_j b_j k_j \) (local extrapolation), and
 * the local error is estimated by the difference with the embedded fourth-order solution,
 * \( e = h \sum_j (b_j - \hat b_j) k_j \), in the norm
 * \[ \|e\| = \Big( \frac1N \sum_i \Big( \frac{e_i}{\mathrm{atol} + \mathrm{rtol} \max(|y_{k,i}|, |y_{k+1,i}|)}
 * \Big)^2 \Big)^{1/2}. \]
 * A step is accepted when \( \|e\| \le 1 \); the step size follows a PI controller, the first step the heuristic of
 * Hairer, N&oslash;rsett and Wanner, and the last step lands on \( t_1 \) exactly (the loop shared by embedded pairs,
 * described in full on the package's {@code EmbeddedRungeKuttaIntegrator}).
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
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>relative tolerance \( 10^{-6} \) and absolute tolerance \( 10^{-9} \) of the error norm;</li>
 * <li>initial step {@code 0}: chosen automatically;</li>
 * <li>largest step {@code +Infinity}: bounded by the interval only;</li>
 * <li>at most \( 10^7 \) evaluations per integration (a runaway guard: the integration throws
 *     {@link IllegalStateException} rather than exceed it).</li>
 * </ul>
 */
public final class DormandPrince54 extends EmbeddedRungeKuttaIntegrator {
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
    /** Order of the embedded error estimate. */
    private static final int ERROR_ORDER = 4;

    private DormandPrince54(AdaptiveStepSettings settings) {
        super(settings, C, A, ERROR_ORDER);
    }

    /** The integrator with the defaults listed in the class documentation. */
    public static DormandPrince54 withDefaults() {
        return new DormandPrince54(AdaptiveStepSettings.DEFAULTS);
    }

    /**
     * This integrator with another relative tolerance of the error norm.
     *
     * @param relativeTolerance rtol, finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code relativeTolerance} is not finite and positive
     */
    public DormandPrince54 withRelativeTolerance(double relativeTolerance) {
        AdaptiveStepSettings s = settings;
        return new DormandPrince54(new AdaptiveStepSettings(relativeTolerance, s.absoluteTolerance(),
                s.initialStep(), s.maxStep(), s.maxEvaluations()));
    }

    /**
     * This integrator with another absolute tolerance of the error norm.
     *
     * @param absoluteTolerance atol, finite and {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code absoluteTolerance} is not finite and positive
     */
    public DormandPrince54 withAbsoluteTolerance(double absoluteTolerance) {
        AdaptiveStepSettings s = settings;
        return new DormandPrince54(new AdaptiveStepSettings(s.relativeTolerance(), absoluteTolerance,
                s.initialStep(), s.maxStep(), s.maxEvaluations()));
    }

    /**
     * This integrator with another first step.
     *
     * @param initialStep size of the first attempted step, finite and {@code > 0}, or {@code 0} for the automatic
     *                    choice
     * @return a new integrator
     * @throws IllegalArgumentException if {@code initialStep} is negative or not finite
     */
    public DormandPrince54 withInitialStep(double initialStep) {
        AdaptiveStepSettings s = settings;
        return new DormandPrince54(new AdaptiveStepSettings(s.relativeTolerance(), s.absoluteTolerance(),
                initialStep, s.maxStep(), s.maxEvaluations()));
    }

    /**
     * This integrator with another largest step.
     *
     * @param maxStep the largest step size, {@code > 0} (may be {@code +Infinity})
     * @return a new integrator
     * @throws IllegalArgumentException if {@code maxStep} is not {@code > 0}
     */
    public DormandPrince54 withMaxStep(double maxStep) {
        AdaptiveStepSettings s = settings;
        return new DormandPrince54(new AdaptiveStepSettings(s.relativeTolerance(), s.absoluteTolerance(),
                s.initialStep(), maxStep, s.maxEvaluations()));
    }

    /**
     * This integrator with another runaway guard.
     *
     * @param maxEvaluations the most evaluations of one integration, {@code > 0}
     * @return a new integrator
     * @throws IllegalArgumentException if {@code maxEvaluations <= 0}
     */
    public DormandPrince54 withMaxEvaluations(long maxEvaluations) {
        AdaptiveStepSettings s = settings;
        return new DormandPrince54(new AdaptiveStepSettings(s.relativeTolerance(), s.absoluteTolerance(),
                s.initialStep(), s.maxStep(), maxEvaluations));
    }

    /** The relative tolerance rtol of the error norm. */
    public double relativeTolerance() {
        return settings.relativeTolerance();
    }

    /** The absolute tolerance atol of the error norm. */
    public double absoluteTolerance() {
        return settings.absoluteTolerance();
    }

    /** The first attempted step, or {@code 0} for the automatic choice. */
    public double initialStep() {
        return settings.initialStep();
    }

    /** The largest step size (may be {@code +Infinity}). */
    public double maxStep() {
        return settings.maxStep();
    }

    /** The most evaluations of one integration. */
    public long maxEvaluations() {
        return settings.maxEvaluations();
    }

    @Override
    String name() {
        return "DormandPrince54";
    }

    /** {@inheritDoc} The second stage has no weight in the error (\( b_2 = \hat b_2 = 0 \)) and is skipped. */
    @Override
    double errorSquares(double[][] k, double[] y0, double[] y1, double h, double atol, double rtol, int from,
                        int to) {
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
        return sum;
    }

    /** The weights \( B_j(\theta) \) of the dense output \( y_k + h \sum_j B_j(\theta) k_j \). */
    @Override
    void denseWeights(double theta, double[] w) {
        double s = 1 - theta;
        double cubic = theta * theta * (3 - 2 * theta);
        double quartic = theta * theta * s * s;
        for (int j = 0; j < STAGES; j++) {
            w[j] = cubic * B[j] + quartic * D[j];
        }
        w[0] += theta * s * s;
        w[STAGES - 1] -= theta * theta * s;
    }

    /** One line: the method and its settings. */
    @Override
    public String toString() {
        return "DormandPrince54[" + settings + "]";
    }
}
