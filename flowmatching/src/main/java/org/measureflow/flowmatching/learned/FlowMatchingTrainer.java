package org.measureflow.flowmatching.learned;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;

/**
 * Trains an {@link MlpVelocityField} on the flow-matching least-squares loss (survey eq. 8)
 * \[ \min_\theta\ \mathbb{E}_{t \sim U[0,1],\,(X_0, X_1) \sim \pi}\ \big|v_\theta(t, X_t) - (\dot\alpha_t X_0 +
 *    \dot\beta_t X_1)\big|^2, \qquad X_t = \alpha_t X_0 + \beta_t X_1 , \]
 * whose minimiser is the conditional-expectation field of Prop. 3.1. Each step draws a batch of latent points and a
 * batch of data points, pairs them with the {@link Coupling} \( \pi \) (independent, or minibatch OT as in OT-CFM),
 * draws one time per pair, and takes one Adam step (Kingma and Ba 2015, \( \beta_1 = 0.9, \beta_2 = 0.999 \),
 * \( \epsilon = 10^{-8} \)) on the batch loss computed by backpropagation ({@link MlpSquaredErrorGradient}).
 *
 * <p>An immutable configured object: {@code FlowMatchingTrainer.withDefaults().withSteps(5000).withCoupling(
 * Coupling.exactOt())}. Defaults:
 * <ul>
 * <li>3 hidden layers of width 64 with {@link Activation#SILU};</li>
 * <li>2000 steps of batch 256, peak learning rate \( 10^{-2} \);</li>
 * <li>the {@linkplain LearningRateSchedule#relativeWarmupCosine(double, double) schedule} warming up over the first
 *     5% of the run, then decaying by a cosine to 5% of the peak;</li>
 * <li>the bias-corrected moving average of the weights with \( \beta = 0.99 \) ({@link #withEmaDecay}), which
 *     the returned field holds;</li>
 * <li>the linear interpolant \( \alpha_t = 1 - t, \beta_t = t \) and the independent coupling;</li>
 * <li>no held-out validation, so no early stopping ({@link #withValidation(HeldOutValidation)}).</li>
 * </ul>
 * The defaults were chosen on the planar tasks of {@link org.measureflow.core.measure.ToyDistributions} (eight
 * Gaussians or \( N(0, I) \) to two moons, \( N(0, I) \) to the checkerboard): there they reach a held-out Sinkhorn
 * divergence at most 1.8 times what 20,000 steps reach, where a constant rate of \( 10^{-3} \) without the
 * average stayed 4 to 7 times above it (measurements in the project's benchmarks/RESULTS.md, "Issue 19"). Two
 * hidden layers of 64 are not enough for the eight Gaussians: 0.055-0.062 against 0.017-0.026 with three.
 * Every random number (initial weights, batches, times, stochastic couplings) comes from the generator passed to
 * {@link #train}: the same generator state gives the same bits, on one core or two.
 *
 * <p>{@link #train(double[], List, RandomGenerator)} fits one field across several snapshots instead of from a
 * latent to data (multi-marginal flow matching, survey section 5.4), with the same network, budget and coupling.
 */
public final class FlowMatchingTrainer {
    private final int hiddenWidth;
    private final int hiddenLayers;
    private final Activation activation;
    private final long steps;
    private final int batchSize;
    private final double learningRate;
    private final Interpolant interpolant;
    private final Coupling coupling;
    private final LearningRateSchedule schedule;
    private final double emaDecay;
    /** The held-out validation, or null when off. */
    private final HeldOutValidation validation;

    private FlowMatchingTrainer(int hiddenWidth, int hiddenLayers, Activation activation, long steps, int batchSize,
                                double learningRate, Interpolant interpolant, Coupling coupling,
                                LearningRateSchedule schedule, double emaDecay, HeldOutValidation validation) {
        this.hiddenWidth = hiddenWidth;
        this.hiddenLayers = hiddenLayers;
        this.activation = activation;
        this.steps = steps;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.interpolant = interpolant;
        this.coupling = coupling;
        this.schedule = schedule;
        this.emaDecay = emaDecay;
        this.validation = validation;
    }

    /**
     * The trainer with the defaults listed in the class comment.
     *
     * @return the trainer
     */
    public static FlowMatchingTrainer withDefaults() {
        return new FlowMatchingTrainer(64, 3, Activation.SILU, 2000, 256, 1e-2, LinearInterpolant.instance(),
                Coupling.independent(), LearningRateSchedule.relativeWarmupCosine(0.05, 0.05), 0.99, null);
    }

    /**
     * @param width the width of each hidden layer, {@code > 0}
     * @return a trainer with that width
     * @throws IllegalArgumentException if {@code width <= 0}
     */
    public FlowMatchingTrainer withHiddenWidth(int width) {
        return new FlowMatchingTrainer(Arguments.positive("hiddenWidth", width), hiddenLayers, activation, steps,
                batchSize, learningRate, interpolant, coupling, schedule, emaDecay, validation);
    }

    /**
     * @param layers the number of hidden layers, {@code > 0}
     * @return a trainer with that depth
     * @throws IllegalArgumentException if {@code layers <= 0}
     */
    public FlowMatchingTrainer withHiddenLayers(int layers) {
        return new FlowMatchingTrainer(hiddenWidth, Arguments.positive("hiddenLayers", layers), activation, steps,
                batchSize, learningRate, interpolant, coupling, schedule, emaDecay, validation);
    }

    /**
     * @param value the hidden activation \( \sigma \)
     * @return a trainer with that activation
     * @throws IllegalArgumentException if {@code value} is null
     */
    public FlowMatchingTrainer withActivation(Activation value) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, Arguments.notNull("activation", value), steps,
                batchSize, learningRate, interpolant, coupling, schedule, emaDecay, validation);
    }

    /**
     * @param count the number of Adam steps, {@code > 0}
     * @return a trainer with that budget
     * @throws IllegalArgumentException if {@code count <= 0}
     */
    public FlowMatchingTrainer withSteps(long count) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, Arguments.positive("steps", count),
                batchSize, learningRate, interpolant, coupling, schedule, emaDecay, validation);
    }

    /**
     * @param size the number of pairs per step, {@code > 0}
     * @return a trainer with that batch size
     * @throws IllegalArgumentException if {@code size <= 0}
     */
    public FlowMatchingTrainer withBatchSize(int size) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps,
                Arguments.positive("batchSize", size), learningRate, interpolant, coupling, schedule, emaDecay,
                validation);
    }

    /**
     * @param rate Adam's step size \( \eta \), finite and {@code > 0}
     * @return a trainer with that learning rate
     * @throws IllegalArgumentException unless {@code rate} is finite and positive
     */
    public FlowMatchingTrainer withLearningRate(double rate) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize,
                Arguments.positive("learningRate", rate), interpolant, coupling, schedule, emaDecay, validation);
    }

    /**
     * @param value the interpolant \( X_t = \alpha_t X_0 + \beta_t X_1 \)
     * @return a trainer with that interpolant
     * @throws IllegalArgumentException if {@code value} is null
     */
    public FlowMatchingTrainer withInterpolant(Interpolant value) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                Arguments.notNull("interpolant", value), coupling, schedule, emaDecay, validation);
    }

    /**
     * @param value the minibatch coupling \( \pi \)
     * @return a trainer with that coupling
     * @throws IllegalArgumentException if {@code value} is null
     */
    public FlowMatchingTrainer withCoupling(Coupling value) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                interpolant, Arguments.notNull("coupling", value), schedule, emaDecay, validation);
    }

    /**
     * @param value the learning-rate schedule: step \( k \) of a run of {@link #steps()} steps uses the step size
     *              {@link #learningRate()} times {@code value.factor(k, steps())}
     * @return a trainer with that schedule
     * @throws IllegalArgumentException if {@code value} is null (a warm-up not shorter than the run is rejected by
     *                                  {@code train}, naming {@code schedule})
     */
    public FlowMatchingTrainer withSchedule(LearningRateSchedule value) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                interpolant, coupling, Arguments.notNull("schedule", value), emaDecay, validation);
    }

    /**
     * The exponential moving average of the weights (Polyak and Juditsky 1992), with the bias correction of Adam's
     * moments: with \( \theta_k \) the weights after Adam step \( k \),
     * \[ \bar\theta_k = \frac{\sum_{j=1}^k \beta^{k-j}(1 - \beta)\,\theta_j}{1 - \beta^k}, \qquad
     *    \bar\theta_k = \bar\theta_{k-1} + \frac{1 - \beta}{1 - \beta^k}\,(\theta_k - \bar\theta_{k-1}) , \]
     * a weighted mean of the iterates whose weights sum to one at every step (the random initial weights get none,
     * so short runs are averaged over their own iterates). When \( \beta \gt 0 \) the returned field (and the
     * held-out validation) uses \( \bar\theta \); the optimiser keeps stepping \( \theta \). The average spans
     * about \( 1/(1 - \beta) \) steps; \( \beta = 0 \) turns it off (the field holds \( \theta \)).
     *
     * @param decay \( \beta \in [0, 1) \)
     * @return a trainer with that decay
     * @throws IllegalArgumentException unless {@code 0 <= decay < 1}
     */
    public FlowMatchingTrainer withEmaDecay(double decay) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                interpolant, coupling, schedule, MovingAverage.checkedDecay(decay), validation);
    }

    /**
     * Held-out validation with early stopping (see {@link HeldOutValidation}): the run is measured every
     * {@link HeldOutValidation#everySteps()} steps, stops after {@link HeldOutValidation#patience()} evaluations
     * without improvement, and returns the best weights.
     *
     * @param value the validation setting; its held-out data must have the dimension of the training data
     * @return a trainer with that validation
     * @throws IllegalArgumentException if {@code value} is null
     */
    public FlowMatchingTrainer withValidation(HeldOutValidation value) {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                interpolant, coupling, schedule, emaDecay, Arguments.notNull("validation", value));
    }

    /** @return this trainer without held-out validation (the default) */
    public FlowMatchingTrainer withoutValidation() {
        return new FlowMatchingTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                interpolant, coupling, schedule, emaDecay, null);
    }

    /** @return the width of each hidden layer */
    public int hiddenWidth() {
        return hiddenWidth;
    }

    /** @return the number of hidden layers */
    public int hiddenLayers() {
        return hiddenLayers;
    }

    /** @return the hidden activation */
    public Activation activation() {
        return activation;
    }

    /** @return the number of Adam steps */
    public long steps() {
        return steps;
    }

    /** @return the number of pairs per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return Adam's step size */
    public double learningRate() {
        return learningRate;
    }

    /** @return the interpolant */
    public Interpolant interpolant() {
        return interpolant;
    }

    /** @return the minibatch coupling */
    public Coupling coupling() {
        return coupling;
    }

    /** @return the learning-rate schedule */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** @return the decay \( \beta \) of the weights' moving average (0: off) */
    public double emaDecay() {
        return emaDecay;
    }

    /** @return the held-out validation, empty when off */
    public Optional<HeldOutValidation> validation() {
        return Optional.ofNullable(validation);
    }

    /**
     * Trains a new network, initialised from {@code rng} (LeCun-normal weights, zero biases).
     *
     * @param latent sampler of \( X_0 \) (a {@link org.measureflow.core.measure.GaussianMeasure} is one)
     * @param data   sampler of \( X_1 \), same dimension ({@link PointSampler#of(org.measureflow.core.measure
     *               .ParticleMeasure)} resamples a data set)
     * @param rng    the source of every random number of the run
     * @return the trained field and the loss history
     * @throws IllegalArgumentException on null arguments or a dimension mismatch
     * @throws IllegalStateException    if the loss stops being finite (the learning rate is too large)
     */
    public TrainingResult train(PointSampler latent, PointSampler data, RandomGenerator rng) {
        return train(latent, data, rng, IterationObserver.none());
    }

    /**
     * {@link #train(PointSampler, PointSampler, RandomGenerator)}, reporting every step to {@code observer} with the
     * minibatch loss as error and {@code step / steps} as the fraction done. Training stops after a step for which
     * the observer returns {@code false}; the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED}. A {@link TrainingObserver} also receives every
     * held-out evaluation (the held-out curve) when the trainer has a {@link HeldOutValidation}.
     *
     * @param latent   sampler of \( X_0 \)
     * @param data     sampler of \( X_1 \), same dimension
     * @param rng      the source of every random number of the run
     * @param observer called after every step
     * @return the trained field and the loss history
     * @throws IllegalArgumentException on null arguments, a dimension mismatch, or a sampler that draws a coordinate
     *                                  beyond \( 10^{150} \) or not finite
     * @throws IllegalStateException    if the loss stops being finite (the learning rate is too large)
     */
    public TrainingResult train(PointSampler latent, PointSampler data, RandomGenerator rng,
                                IterationObserver observer) {
        Arguments.notNull("latent", latent);
        Arguments.notNull("data", data);
        Arguments.notNull("rng", rng);
        Arguments.notNull("observer", observer);
        int d = latent.dimension();
        Arguments.sameDimension("data", data.dimension(), d, "latent");
        int batch = batchSize;
        Arguments.product("batchSize * (d + 1)", batch, d + 1);
        double[] x0 = new double[batch * d];
        double[] x1 = new double[x0.length];
        return run(d, (random, inputs, targets) -> {
            latent.sample(batch, random, x0);
            data.sample(batch, random, x1);
            checkDrawn("latent", x0);
            checkDrawn("data", x1);
            int[] pi = coupling.pair(x0, x1, batch, d, random);
            pairsAtRandomTimes(x0, x1, pi, batch, d, random, inputs, targets);
        }, interpolant, latent, rng, observer);
    }

    /**
     * Multi-marginal flow matching (Tong et al. 2023, MMOT-CFM; survey section 5.4): one field over the whole time
     * range of \( K \ge 2 \) snapshots \( \mu_0, \dots, \mu_{K-1} \) observed at times
     * \( t_0 \lt \dots \lt t_{K-1} \). Time is rescaled to \( \tau = (t - t_0)/(t_{K-1} - t_0) \in [0, 1] \),
     * the knots \( \tau_k \) of a {@link org.measureflow.flowmatching.interpolant.PiecewiseLinearInterpolant}, and
     * the network \( v_\theta(\tau, x) \) is fitted by
     * \[ \min_\theta\ \sum_{k=0}^{K-2}\ \mathbb{E}_{\tau \sim U[\tau_k, \tau_{k+1}],\,(X_k, X_{k+1}) \sim
     *    \pi_k}\ \Big|v_\theta\big(\tau, (1 - s) X_k + s X_{k+1}\big) - \frac{X_{k+1} - X_k}{\tau_{k+1} -
     *    \tau_k}\Big|^2, \qquad s = \frac{\tau - \tau_k}{\tau_{k+1} - \tau_k}, \]
     * the loss of survey eq. 8 for the piecewise-linear path, whose minimiser is, at each \( \tau \), the
     * conditional expectation of the path's velocity given \( X_\tau \) (Prop. 3.1 on each segment). Its flow
     * carries \( \mu_0 \) through (approximately, up to the fit) \( \mu_k \) at \( \tau_k \) when each
     * \( \pi_k \) is a coupling of \( \mu_k \) and \( \mu_{k+1} \). Each step splits the batch into \( K - 1 \)
     * segment batches of equal size (\( \lfloor B/(K-1) \rfloor \), the first \( B \bmod (K-1) \) one more),
     * draws each from its two snapshots by resampling ({@link PointSampler#of(ParticleMeasure)}, so weights count),
     * pairs them with this trainer's {@link #coupling()} (independent, or minibatch OT between consecutive snapshots
     * as in MMOT-CFM), and draws one \( \tau \) per pair uniformly on its segment.
     *
     * <p>The field is in the rescaled clock: it is sampled by {@link org.measureflow.flowmatching.sampling.FlowSampler}
     * on \( [0, 1] \) (the marginals at every snapshot time by
     * {@link org.measureflow.flowmatching.sampling.FlowSampler#marginals}), and the velocity in the original time is
     * \( v_\theta(\tau, x)/(t_{K-1} - t_0) \). This trainer's {@link #interpolant()} does not apply here; the
     * field is attached to the {@link LinearInterpolant}, the interpolant of each segment in its own clock \( s \).
     *
     * @param times     the observation times \( t_0 \lt \dots \lt t_{K-1} \), finite, strictly increasing, as many
     *                  as snapshots (copied)
     * @param snapshots the point clouds \( \mu_k \), at least two, of one dimension, coordinates within
     *                  \( 10^{150} \)
     * @param rng       the source of every random number of the run
     * @return the trained field in the rescaled clock, the times and the loss history
     * @throws IllegalArgumentException on null arguments or elements, fewer than two snapshots, as many times as
     *                                  snapshots not given, times not strictly increasing (or too close to tell apart
     *                                  once rescaled), snapshots of different dimensions, a coordinate beyond
     *                                  \( 10^{150} \) or squared distances beyond \( 10^{300} \), a batch smaller
     *                                  than \( K - 1 \), or target velocities beyond \( 10^{150} \)
     * @throws IllegalStateException    if the loss stops being finite (the learning rate is too large)
     */
    public SnapshotTrainingResult train(double[] times, List<ParticleMeasure> snapshots, RandomGenerator rng) {
        return train(times, snapshots, rng, IterationObserver.none());
    }

    /**
     * {@link #train(double[], List, RandomGenerator)}, reporting every step to {@code observer} with the minibatch
     * loss as error and {@code step / steps} as the fraction done; a {@code false} from the observer stops the run
     * after that step ({@link org.measureflow.core.iteration.Termination#STOPPED}); a {@link TrainingObserver}
     * also receives the held-out evaluations.
     *
     * @param times     the observation times, strictly increasing
     * @param snapshots the point clouds, at least two, of one dimension
     * @param rng       the source of every random number of the run
     * @param observer  called after every step
     * @return the trained field in the rescaled clock, the times and the loss history
     * @throws IllegalArgumentException as {@link #train(double[], List, RandomGenerator)}
     * @throws IllegalStateException    if the loss stops being finite
     */
    public SnapshotTrainingResult train(double[] times, List<ParticleMeasure> snapshots, RandomGenerator rng,
                                        IterationObserver observer) {
        Arguments.finite("times", times);
        Arguments.notNull("snapshots", snapshots);
        Arguments.notNull("rng", rng);
        Arguments.notNull("observer", observer);
        ParticleMeasure[] clouds = Arguments.noNulls("snapshots", snapshots.toArray(new ParticleMeasure[0]));
        int count = Arguments.atLeast("snapshots (count)", clouds.length, 2);
        Arguments.length("times", times.length, count);
        int d = clouds[0].dimension();
        double largest = 0;
        for (int k = 0; k < count; k++) {
            Arguments.sameDimension("snapshots[" + k + "]", clouds[k].dimension(), d, "snapshots[0]");
            double[] flat = clouds[k].flatPoints();
            checkDrawn("snapshots[" + k + "]", flat);
            for (double v : flat) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        double[] knots = rescaled(times);
        double shortest = 1;
        for (int k = 1; k < count; k++) {
            shortest = Math.min(shortest, knots[k] - knots[k - 1]);
        }
        if (4.0 * d * largest * largest > 1e300) {
            // the couplings' squared distances are bounded by 4 d max|x|^2; no Arguments rule for that bound
            throw new IllegalArgumentException("snapshots: coordinates up to " + largest + " in dimension " + d
                    + " give squared distances up to 4 d max|x|^2 = " + 4.0 * d * largest * largest
                    + ", beyond the 1e300 the couplings accept (standardise the data)");
        }
        double fastest = 2 * largest / shortest;
        if (!(fastest <= 1e150)) {
            // the loss squares the target velocities; no Arguments rule for that bound
            throw new IllegalArgumentException("times: the target velocities reach 2 max|x| / min(tau_{k+1} - tau_k) = "
                    + fastest + " (times close together relative to their range); beyond 1e150 their squares "
                    + "overflow");
        }
        int segments = count - 1;
        int batch = batchSize;
        Arguments.atLeast("batchSize (one pair per segment at least)", batch, segments);
        PointSampler[] samplers = new PointSampler[count];
        for (int k = 0; k < count; k++) {
            samplers[k] = PointSampler.of(clouds[k]);
        }
        int widest = batch / segments + (batch % segments == 0 ? 0 : 1);
        double[] xa = new double[Arguments.product("batchSize * d", widest, d)];
        double[] xb = new double[xa.length];
        TrainingResult training = run(d, (random, inputs, targets) -> {
            int row = 0;
            for (int k = 0; k < segments; k++) {
                int m = batch / segments + (k < batch % segments ? 1 : 0);
                samplers[k].sample(m, random, xa);
                samplers[k + 1].sample(m, random, xb);
                int[] pi = coupling.pair(xa, xb, m, d, random);
                double lo = knots[k];
                double width = knots[k + 1] - lo;
                for (int i = 0; i < m; i++, row++) {
                    double s = random.nextDouble();
                    int j = pi[i];
                    for (int c = 0; c < d; c++) {
                        double u0 = xa[i * d + c];
                        double u1 = xb[j * d + c];
                        inputs[row * (d + 1) + c] = (1 - s) * u0 + s * u1;
                        targets[row * d + c] = (u1 - u0) / width;
                    }
                    inputs[row * (d + 1) + d] = lo + s * width;
                }
            }
        }, LinearInterpolant.instance(), samplers[0], rng, observer);
        return new SnapshotTrainingResult(training, times);
    }

    /**
     * The knots \( \tau_k = (t_k - t_0)/(t_{K-1} - t_0) \), checked strictly increasing both before and after the
     * rescaling (times that differ by less than the rounding of the range collapse).
     */
    private static double[] rescaled(double[] times) {
        int last = times.length - 1;
        double span = Arguments.finiteResult("times", "t_{K-1} - t_0", times[last] - times[0]);
        double[] knots = new double[times.length];
        for (int k = 0; k <= last; k++) {
            knots[k] = (times[k] - times[0]) / span;
            if (k > 0 && !(times[k] > times[k - 1] && knots[k] > knots[k - 1])) {
                // no Arguments rule for an increasing sequence
                throw new IllegalArgumentException("times must be strictly increasing (and distinct once rescaled to "
                        + "[0, 1]), got times[" + (k - 1) + "] = " + times[k - 1] + " and times[" + k + "] = "
                        + times[k]);
            }
        }
        knots[last] = 1;
        return knots;
    }

    /** Fills one batch of network inputs \( (x, t) \) and regression targets. */
    @FunctionalInterface
    private interface BatchFiller {
        void fill(RandomGenerator rng, double[] inputs, double[] targets);
    }

    /**
     * The training loop shared by both problems: a new network initialised from {@code rng}, then {@link #steps}
     * Adam steps on the batches {@code filler} makes, with the schedule's step sizes, the moving average of the
     * weights when {@link #emaDecay} is positive, and the held-out validation (start points drawn from
     * {@code start}) when set.
     */
    private TrainingResult run(int d, BatchFiller filler, Interpolant fieldInterpolant, PointSampler start,
                               RandomGenerator rng, IterationObserver observer) {
        int batch = batchSize;
        Arguments.product("batchSize * (d + 1)", batch, d + 1);
        Arguments.atMost("steps (one loss per step is kept)", steps, Integer.MAX_VALUE - 8);
        schedule.checkFits(steps);
        if (validation != null) {
            Arguments.sameDimension("validation (heldOut)", validation.heldOut().dimension(), d, "data");
        }
        int[] sizes = new int[hiddenLayers + 2];
        sizes[0] = d + 1;
        for (int l = 1; l <= hiddenLayers; l++) {
            sizes[l] = hiddenWidth;
        }
        sizes[sizes.length - 1] = d;
        double[] theta = Mlp.initialised(sizes, activation, rng).parameters();
        Mlp model = Mlp.sharing(sizes, activation, theta);
        MlpSquaredErrorGradient lossGradient = MlpSquaredErrorGradient.of(model, batch);
        Adam adam = new Adam(theta.length, learningRate);
        double[] inputs = new double[batch * (d + 1)];
        double[] targets = new double[batch * d];
        double[] gradient = new double[theta.length];
        double[] history = new double[(int) steps];
        double[] ema = emaDecay > 0 ? theta.clone() : null;
        double[] used = ema != null ? ema : theta;
        Validator validator = validation == null ? null
                : new Validator(validation, start, sizes, activation, fieldInterpolant, used, rng);
        long began = System.nanoTime();
        long done = 0;
        boolean stopped = false;
        for (long step = 1; step <= steps; step++) {
            filler.fill(rng, inputs, targets);
            double loss = lossGradient.lossAndGradient(inputs, targets, batch, gradient);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged at step " + step + " (loss = " + loss
                        + "): lower the learning rate, or standardise the data if their scale is far from 1");
            }
            adam.update(theta, gradient, schedule.factorUnchecked(step, steps));
            if (ema != null) {
                MovingAverage.update(ema, theta, emaDecay, step);
            }
            history[(int) step - 1] = loss;
            done = step;
            boolean patienceLost = false;
            boolean go = true;
            if (validator != null && (step % validation.everySteps() == 0 || step == steps)) {
                patienceLost = !validator.evaluate(step);
                if (observer instanceof TrainingObserver t) {
                    go = t.observeHeldOut(step, validator.values[validator.count - 1], validator.bestStep);
                }
            }
            go &= observer.observe(new IterationStatus(step, loss, (double) step / steps));
            if (!go && step < steps) {
                stopped = true;
                break;
            }
            if (patienceLost) {
                break;
            }
        }
        double seconds = (System.nanoTime() - began) * 1e-9;
        double[] kept = validator != null && validator.evaluations() > 0 ? validator.best : used;
        long bestStep = validator != null && validator.evaluations() > 0 ? validator.bestStep : done;
        MlpVelocityField field = MlpVelocityField.of(Mlp.of(sizes, activation, kept), fieldInterpolant);
        double[] losses = done == steps ? history : Arrays.copyOf(history, (int) done);
        long[] validatedAt = validator == null ? new long[0] : Arrays.copyOf(validator.steps, validator.count);
        double[] validated = validator == null ? new double[0] : Arrays.copyOf(validator.values, validator.count);
        return new TrainingResult(field, losses, validatedAt, validated, bestStep, done * batch, seconds,
                Convergence.completed(done, losses[losses.length - 1], stopped));
    }

    /**
     * The held-out evaluations of one run: the fixed start points, the evaluated weights (read in place), the
     * curve, and a copy of the best weights.
     */
    private static final class Validator {
        private final HeldOutValidation validation;
        private final ParticleMeasure start;
        private final int[] sizes;
        private final Activation activation;
        private final Interpolant interpolant;
        private final double[] weights;
        private final double[] best;
        private long[] steps = new long[16];
        private double[] values = new double[16];
        private int count;
        private double bestValue = Double.POSITIVE_INFINITY;
        private long bestStep;
        private long sinceBest;

        Validator(HeldOutValidation validation, PointSampler start, int[] sizes, Activation activation,
                  Interpolant interpolant, double[] weights, RandomGenerator rng) {
            this.validation = validation;
            ParticleMeasure drawn = start.sample(validation.heldOut().size(), rng);
            checkDrawn("validation start points", drawn.flatPoints());
            this.start = drawn;
            this.sizes = sizes;
            this.activation = activation;
            this.interpolant = interpolant;
            this.weights = weights;
            this.best = weights.clone();
        }

        int evaluations() {
            return count;
        }

        /**
         * Measures \( S_\varepsilon \) of the pushed start points to the held-out data, keeps the weights if they
         * improve strictly, and returns false once {@code patience} evaluations in a row did not.
         */
        boolean evaluate(long step) {
            // a network of the current weights (an Mlp keeps a transposed copy made when it is built)
            MlpVelocityField field = MlpVelocityField.of(Mlp.of(sizes, activation, weights), interpolant);
            ParticleMeasure generated = validation.integrator().advect(start, field.onParticles(), 0, 1).measure();
            double value;
            try {
                value = validation.divergence().value(generated, validation.heldOut());
            } catch (IllegalArgumentException e) {
                // the held-out data were checked; only the generated cloud, made by the training, can fail here
                throw new IllegalStateException("validation at step " + step + ": the generated samples cannot be "
                        + "compared with the held-out data (" + e.getMessage() + "): lower the learning rate", e);
            }
            if (count == steps.length) {
                steps = Arrays.copyOf(steps, 2 * count);
                values = Arrays.copyOf(values, 2 * count);
            }
            steps[count] = step;
            values[count] = value;
            count++;
            if (value < bestValue) {
                bestValue = value;
                bestStep = step;
                sinceBest = 0;
                System.arraycopy(weights, 0, best, 0, weights.length);
                return true;
            }
            sinceBest++;
            return sinceBest < validation.patience();
        }
    }

    /**
     * Rejects a batch with a point beyond \( 10^{150} \) in some coordinate (or not finite): the squared distances
     * of the couplings and the loss would overflow. Linear in the batch, negligible beside the network's work.
     */
    private static void checkDrawn(String sampler, double[] batch) {
        for (double v : batch) {
            if (!(Math.abs(v) <= 1e150)) {
                throw new IllegalArgumentException(sampler + ": drew the coordinate " + v + "; beyond 1e150 squared "
                        + "distances overflow double precision (standardise the data)");
            }
        }
    }

    /**
     * The regression pairs of one batch: for each latent point \( i \), a time \( t \sim U[0,1] \), the input
     * \( (X_t, t) \) with \( X_t = \alpha_t x_0^{(i)} + \beta_t x_1^{(\pi(i))} \) and the target
     * \( \dot\alpha_t x_0^{(i)} + \dot\beta_t x_1^{(\pi(i))} \).
     */
    private void pairsAtRandomTimes(double[] x0, double[] x1, int[] pi, int batch, int d, RandomGenerator rng,
                                    double[] inputs, double[] targets) {
        for (int i = 0; i < batch; i++) {
            double t = rng.nextDouble();
            double a = interpolant.alpha(t);
            double b = interpolant.beta(t);
            double ad = interpolant.alphaDot(t);
            double bd = interpolant.betaDot(t);
            int j = pi[i];
            for (int c = 0; c < d; c++) {
                double u0 = x0[i * d + c];
                double u1 = x1[j * d + c];
                inputs[i * (d + 1) + c] = a * u0 + b * u1;
                targets[i * d + c] = ad * u0 + bd * u1;
            }
            inputs[i * (d + 1) + d] = t;
        }
    }

    /**
     * One line: {@code FlowMatchingTrainer[hidden 3 x 64 SILU, steps=2000, batchSize=256, learningRate=0.01,
     * LinearInterpolant, coupling=independent, schedule=relativeWarmupCosine(warmupFraction=0.05,
     * finalFraction=0.05), emaDecay=0.99]} (the schedule and the average are left out when off).
     */
    @Override
    public String toString() {
        return "FlowMatchingTrainer[hidden " + hiddenLayers + " x " + hiddenWidth + " " + activation + ", steps="
                + steps + ", batchSize=" + batchSize + ", learningRate=" + TextSummary.number(learningRate) + ", "
                + interpolant + ", coupling=" + coupling + (schedule.equals(LearningRateSchedule.constant()) ? ""
                : ", schedule=" + schedule) + (emaDecay == 0 ? "" : ", emaDecay=" + TextSummary.number(emaDecay))
                + (validation == null ? "" : ", " + validation) + "]";
    }
}
