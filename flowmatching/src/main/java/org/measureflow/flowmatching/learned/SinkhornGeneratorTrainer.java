package org.measureflow.flowmatching.learned;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.nn.Activation;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Trains a {@link Generator} \( g_\theta\#\zeta \) by minimising the Sinkhorn divergence to the data (survey
 * section 4, the debiased divergence
 * \( S_\varepsilon(\alpha, \beta) = \mathrm{OT}_\varepsilon(\alpha, \beta) - \tfrac12\mathrm{OT}_\varepsilon(\alpha,
 * \alpha) - \tfrac12\mathrm{OT}_\varepsilon(\beta, \beta) \); Genevay, Peyr&eacute; and Cuturi 2018):
 * \[ \min_\theta\ \mathbb{E}\ S_\varepsilon\Big(\tfrac1B \sum_{i=1}^B \delta_{g_\theta(z_i)},\
 *    \tfrac1B \sum_{j=1}^B \delta_{y_j}\Big), \qquad z_i \sim \zeta,\ y_j \sim \nu \text{ independent}, \]
 * by minibatch stochastic gradient. Each step draws \( B \) latent points and \( B \) data points, pushes the latent
 * points through \( g_\theta \), computes \( S_\varepsilon \) and its gradient with respect to the generated points
 * \( x_i = g_\theta(z_i) \) ({@link SinkhornDivergence#valueAndGradient}: by the envelope theorem
 * \( \nabla_{x_i} S_\varepsilon = \tfrac2B\big(T^{xx}(x_i) - T^{xy}(x_i)\big) \) with the barycentric maps of the
 * self and cross plans), pulls it back to the parameters by the chain rule
 * \( \nabla_\theta S_\varepsilon = \sum_i J_\theta g_\theta(z_i)^\top \nabla_{x_i} S_\varepsilon \)
 * ({@link MlpSquaredErrorGradient#pullBack}), and takes one Adam step (\( \beta_1 = 0.9, \beta_2 = 0.999 \),
 * \( \epsilon = 10^{-8} \)) of size {@link #learningRate()} times the {@link LearningRateSchedule}'s factor; with
 * {@link #emaDecay()} positive the returned generator holds the exponential moving average of the weights, as in
 * {@link FlowMatchingTrainer}.
 *
 * <p>Two kinds of generator: an {@link Mlp} with {@link #hiddenLayers()} hidden layers of {@link #hiddenWidth()}
 * units, and, with {@code withHiddenLayers(0)}, the affine map \( g(z) = A z + b \), \( A \in
 * \mathbb{R}^{d\times p} \) (a network without hidden layer). Initial weights are LeCun-normal with zero biases.
 *
 * <p>An immutable configured object: {@code SinkhornGeneratorTrainer.withDefaults().withSteps(5000)}. Defaults, for
 * data of order-one scale (standardised data, or the tour's data sets, of standard deviation 1 to 2.2 per
 * coordinate):
 * <ul>
 * <li>2 hidden layers of width 64 with {@link Activation#SILU};</li>
 * <li>3000 steps of batch 256, peak learning rate \( 3 \cdot 10^{-3} \), the schedule
 *     {@link LearningRateSchedule#relativeWarmupCosine(double, double) relativeWarmupCosine(1/30, 0.1)}: a warm-up
 *     over the first 30th of the run (100 steps of the default 3000), then a cosine decay to 10% of the peak;</li>
 * <li>a moving average of the weights with decay \( \beta = 0.99 \) (a window of about 100 steps;
 *     \( \beta^{3000} \approx 10^{-13} \) leaves nothing of the initial weights);</li>
 * <li>the divergence {@code SinkhornDivergence.of(SinkhornSolver.of(0.05).withTolerance(1e-6))}: epsilon in the
 *     units of the squared Euclidean cost \( |x - y|^2 \) (absolute, as {@link SinkhornSolver#of(double)} takes
 *     it), so a blur \( \sqrt\varepsilon \approx 0.22 \) units, a fraction of a standard deviation: fine enough
 *     to separate the modes of the tour's data sets (eight Gaussians of standard deviation 0.3 three units from the
 *     origin, two moons of noise 0.15), while the three problems of a 256-point batch converge in 130 to 470
 *     iterations together (measured); a smaller epsilon costs more iterations and a noisier
 *     gradient, a larger one blurs the modes. The tolerance \( 10^{-6} \) on the L1 marginal error bounds the
 *     relative error of the gradient far below the minibatch noise (\( \sim 1/\sqrt B \)); the test of the
 *     gradient against finite differences uses \( 10^{-12} \).</li>
 * </ul>
 * Measured with these defaults from \( N(0, I_2) \) (seed 7, {@code benchmarks/RESULTS.md}): the Sinkhorn divergence
 * at \( \varepsilon = 0.05 \) between 1000 generated and 1000 held-out points is 0.049 on the tour's two moons and
 * 0.20 on its eight Gaussians, within the spread of the same measure between two independent 1000-point samples of
 * the data (0.024 to 0.059 and 0.11 to 0.23); a peak rate of \( 10^{-3} \) gave 0.063 and 0.25.
 * Every random number (initial weights, latent and data batches) comes from the generator passed to {@link #train}:
 * the same generator state gives the same bits, on one core or two. There is no held-out validation: the held-out
 * Sinkhorn divergence of a trained generator is one call,
 * {@code divergence.value(result.generator().sample(n, rng), heldOut)}.
 */
public final class SinkhornGeneratorTrainer {
    private final int hiddenWidth;
    private final int hiddenLayers;
    private final Activation activation;
    private final long steps;
    private final int batchSize;
    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final double emaDecay;
    private final SinkhornDivergence divergence;

    private SinkhornGeneratorTrainer(int hiddenWidth, int hiddenLayers, Activation activation, long steps,
                                     int batchSize, double learningRate, LearningRateSchedule schedule,
                                     double emaDecay, SinkhornDivergence divergence) {
        this.hiddenWidth = hiddenWidth;
        this.hiddenLayers = hiddenLayers;
        this.activation = activation;
        this.steps = steps;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.schedule = schedule;
        this.emaDecay = emaDecay;
        this.divergence = divergence;
    }

    /**
     * The trainer with the defaults listed in the class comment.
     *
     * @return the trainer
     */
    public static SinkhornGeneratorTrainer withDefaults() {
        return new SinkhornGeneratorTrainer(64, 2, Activation.SILU, 3000, 256, 3e-3,
                LearningRateSchedule.relativeWarmupCosine(1.0 / 30, 0.1), 0.99,
                SinkhornDivergence.of(SinkhornSolver.of(0.05).withTolerance(1e-6)));
    }

    /**
     * @param width the width of each hidden layer, {@code > 0} (unused by the affine generator)
     * @return a trainer with that width
     * @throws IllegalArgumentException if {@code width <= 0}
     */
    public SinkhornGeneratorTrainer withHiddenWidth(int width) {
        return new SinkhornGeneratorTrainer(Arguments.positive("hiddenWidth", width), hiddenLayers, activation, steps,
                batchSize, learningRate, schedule, emaDecay, divergence);
    }

    /**
     * @param layers the number of hidden layers, {@code >= 0}; 0 makes the affine generator \( g(z) = A z + b \)
     * @return a trainer with that depth
     * @throws IllegalArgumentException if {@code layers < 0}
     */
    public SinkhornGeneratorTrainer withHiddenLayers(int layers) {
        return new SinkhornGeneratorTrainer(hiddenWidth, Arguments.nonNegative("hiddenLayers", layers), activation,
                steps, batchSize, learningRate, schedule, emaDecay, divergence);
    }

    /**
     * @param value the hidden activation \( \sigma \)
     * @return a trainer with that activation
     * @throws IllegalArgumentException if {@code value} is null
     */
    public SinkhornGeneratorTrainer withActivation(Activation value) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, Arguments.notNull("activation", value), steps,
                batchSize, learningRate, schedule, emaDecay, divergence);
    }

    /**
     * @param count the number of Adam steps, {@code > 0}
     * @return a trainer with that budget
     * @throws IllegalArgumentException if {@code count <= 0}
     */
    public SinkhornGeneratorTrainer withSteps(long count) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, Arguments.positive("steps", count),
                batchSize, learningRate, schedule, emaDecay, divergence);
    }

    /**
     * @param size the number \( B \) of generated points, and of data points, per step, {@code > 0}
     * @return a trainer with that batch size
     * @throws IllegalArgumentException if {@code size <= 0}
     */
    public SinkhornGeneratorTrainer withBatchSize(int size) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, steps,
                Arguments.positive("batchSize", size), learningRate, schedule, emaDecay, divergence);
    }

    /**
     * @param rate Adam's peak step size \( \eta \), finite and {@code > 0}
     * @return a trainer with that learning rate
     * @throws IllegalArgumentException unless {@code rate} is finite and positive
     */
    public SinkhornGeneratorTrainer withLearningRate(double rate) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize,
                Arguments.positive("learningRate", rate), schedule, emaDecay, divergence);
    }

    /**
     * @param value the learning-rate schedule: step \( k \) of a run of {@link #steps()} steps uses the step size
     *              {@link #learningRate()} times {@code value.factor(k, steps())}
     * @return a trainer with that schedule
     * @throws IllegalArgumentException if {@code value} is null (a warm-up not shorter than the run is rejected by
     *                                  {@code train}, naming {@code schedule})
     */
    public SinkhornGeneratorTrainer withSchedule(LearningRateSchedule value) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                Arguments.notNull("schedule", value), emaDecay, divergence);
    }

    /**
     * The bias-corrected exponential moving average of the weights, as
     * {@link FlowMatchingTrainer#withEmaDecay(double)}:
     * \( \bar\theta_k = \sum_{j=1}^k \beta^{k-j}(1 - \beta)\,\theta_j / (1 - \beta^k) \); the returned generator
     * holds \( \bar\theta \) when \( \beta \gt 0 \), the last iterate when \( \beta = 0 \).
     *
     * @param decay \( \beta \in [0, 1) \)
     * @return a trainer with that decay
     * @throws IllegalArgumentException unless {@code 0 <= decay < 1}
     */
    public SinkhornGeneratorTrainer withEmaDecay(double decay) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                schedule, MovingAverage.checkedDecay(decay), divergence);
    }

    /**
     * @param value the Sinkhorn divergence minimised; its solver carries epsilon (absolute in the data's squared
     *              units, or relative to the mean cost of each batch), the tolerance and the iteration budget
     * @return a trainer with that divergence
     * @throws IllegalArgumentException if {@code value} is null
     */
    public SinkhornGeneratorTrainer withDivergence(SinkhornDivergence value) {
        return new SinkhornGeneratorTrainer(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate,
                schedule, emaDecay, Arguments.notNull("divergence", value));
    }

    /** @return the width of each hidden layer */
    public int hiddenWidth() {
        return hiddenWidth;
    }

    /** @return the number of hidden layers (0: the affine generator) */
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

    /** @return the number of generated (and data) points per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return Adam's peak step size */
    public double learningRate() {
        return learningRate;
    }

    /** @return the learning-rate schedule */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** @return the decay \( \beta \) of the weights' moving average (0: off) */
    public double emaDecay() {
        return emaDecay;
    }

    /** @return the Sinkhorn divergence minimised */
    public SinkhornDivergence divergence() {
        return divergence;
    }

    /**
     * Trains a new generator, initialised from {@code rng}.
     *
     * @param latent the latent law \( \zeta \) on \( \mathbb{R}^p \) (a
     *               {@link org.measureflow.core.measure.GaussianMeasure} is one)
     * @param data   sampler of the data \( \nu \) on \( \mathbb{R}^d \) ({@link PointSampler#of(ParticleMeasure)}
     *               resamples a data set)
     * @param rng    the source of every random number of the run
     * @return the trained generator and the loss history
     * @throws IllegalArgumentException on null arguments, a warm-up not shorter than the run, or a sampler that draws
     *                                  a coordinate that is not finite or whose squared distances could overflow
     *                                  (beyond \( \sqrt{10^{300}/(4d)} \))
     * @throws IllegalStateException    if the training diverges (a divergence or gradient that is not finite, or
     *                                  generated points beyond that bound): lower the learning rate
     */
    public GeneratorTrainingResult train(PointSampler latent, PointSampler data, RandomGenerator rng) {
        return train(latent, data, rng, IterationObserver.none());
    }

    /**
     * {@link #train(PointSampler, PointSampler, RandomGenerator)}, reporting every step to {@code observer} with the
     * minibatch divergence as error and {@code step / steps} as the fraction done. Training stops after a step for
     * which the observer returns {@code false}; the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED}.
     *
     * @param latent   the latent law \( \zeta \)
     * @param data     sampler of the data \( \nu \)
     * @param rng      the source of every random number of the run
     * @param observer called after every step
     * @return the trained generator and the loss history
     * @throws IllegalArgumentException as {@link #train(PointSampler, PointSampler, RandomGenerator)}
     * @throws IllegalStateException    if the training diverges
     */
    public GeneratorTrainingResult train(PointSampler latent, PointSampler data, RandomGenerator rng,
                                         IterationObserver observer) {
        Arguments.notNull("latent", latent);
        Arguments.notNull("data", data);
        Arguments.notNull("rng", rng);
        Arguments.notNull("observer", observer);
        int p = latent.dimension();
        int d = data.dimension();
        int batch = batchSize;
        Arguments.product("batchSize * max(p, d)", batch, Math.max(p, d));
        Arguments.atMost("steps (one loss per step is kept)", steps, Integer.MAX_VALUE - 8);
        schedule.checkFits(steps);
        int[] sizes = new int[hiddenLayers + 2];
        sizes[0] = p;
        for (int l = 1; l <= hiddenLayers; l++) {
            sizes[l] = hiddenWidth;
        }
        sizes[sizes.length - 1] = d;
        double[] theta = Mlp.initialised(sizes, activation, rng).parameters();
        BatchObjective objective = new BatchObjective(Mlp.sharing(sizes, activation, theta), divergence, batch);
        Adam adam = new Adam(theta.length, learningRate);
        double[] z = new double[batch * p];
        double[] y = new double[batch * d];
        double[] gradient = new double[theta.length];
        double[] history = new double[(int) steps];
        double[] ema = emaDecay > 0 ? theta.clone() : null;
        double bound = coordinateBound(d);
        long began = System.nanoTime();
        long done = 0;
        long iterations = 0;
        long unconverged = 0;
        boolean stopped = false;
        for (long step = 1; step <= steps; step++) {
            latent.sample(batch, rng, z);
            data.sample(batch, rng, y);
            checkDrawn("latent", z, bound);
            checkDrawn("data", y, bound);
            double loss = objective.valueAndGradient(z, y, gradient, step);
            iterations += objective.iterations;
            unconverged += objective.converged ? 0 : 1;
            adam.update(theta, gradient, schedule.factorUnchecked(step, steps));
            if (ema != null) {
                MovingAverage.update(ema, theta, emaDecay, step);
            }
            history[(int) step - 1] = loss;
            done = step;
            if (!observer.observe(new IterationStatus(step, loss, (double) step / steps)) && step < steps) {
                stopped = true;
                break;
            }
        }
        double seconds = (System.nanoTime() - began) * 1e-9;
        double[] kept = ema != null ? ema : theta;
        for (double w : kept) {
            if (!Double.isFinite(w)) {
                // only a learning rate near the double range can step a finite weight to an infinite one
                throw BatchObjective.diverged(done, "a weight is " + w);
            }
        }
        Generator generator = Generator.of(Mlp.of(sizes, activation, kept), latent);
        double[] losses = done == steps ? history : Arrays.copyOf(history, (int) done);
        return new GeneratorTrainingResult(generator, losses, iterations, unconverged, done * batch, seconds,
                Convergence.completed(done, losses[losses.length - 1], stopped));
    }

    /**
     * The largest coordinate \( L = \sqrt{10^{300}/(4d)} \) accepted in a batch: then every squared distance,
     * at most \( 4 d L^2 \), stays within the \( 10^{300} \) the Sinkhorn solver accepts.
     */
    static double coordinateBound(int d) {
        return Math.sqrt(1e300 / (4.0 * d));
    }

    /** Rejects a drawn batch with a coordinate beyond {@code bound} (or not finite), naming its sampler. */
    private static void checkDrawn(String sampler, double[] batch, double bound) {
        for (double v : batch) {
            if (!(Math.abs(v) <= bound)) {
                throw new IllegalArgumentException(sampler + ": drew the coordinate " + v + "; beyond " + bound
                        + " squared distances overflow double precision (standardise the data)");
            }
        }
    }

    /**
     * The batch objective \( \theta \mapsto S_\varepsilon(\tfrac1B\sum_i\delta_{g_\theta(z_i)},
     * \tfrac1B\sum_j\delta_{y_j}) \) and its parameter gradient for a network whose parameter array the trainer
     * updates in place (package-private: the tests check the trainer's own code against finite differences).
     */
    static final class BatchObjective {
        private final Mlp network;
        private final MlpSquaredErrorGradient backprop;
        private final SinkhornDivergence divergence;
        private final int batch;
        private final double[] generated;
        private final double[] scratch;
        private final double bound;
        /** The Sinkhorn iterations of the last evaluation (three problems). */
        long iterations;
        /** Whether the last evaluation's three problems reached the tolerance. */
        boolean converged;

        BatchObjective(Mlp network, SinkhornDivergence divergence, int batch) {
            this.network = network;
            this.backprop = MlpSquaredErrorGradient.of(network, batch);
            this.divergence = divergence;
            this.batch = batch;
            this.generated = new double[batch * network.outputSize()];
            this.scratch = network.rowScratch();
            this.bound = coordinateBound(network.outputSize());
        }

        /**
         * \( S_\varepsilon \) of the generated batch \( g_\theta(z_i) \) and the data batch \( y_j \), with
         * \( \nabla_\theta S_\varepsilon \) written into {@code gradient}.
         *
         * @param step the training step, for the messages
         * @throws IllegalStateException if the generated points, the divergence or the gradient are not finite
         *                               within the solver's range (a diverged training)
         */
        double valueAndGradient(double[] z, double[] y, double[] gradient, long step) {
            int p = network.inputSize();
            int d = network.outputSize();
            network.refreshTransposed();
            for (int i = 0; i < batch; i++) {
                network.forward(z, i * p, generated, i * d, scratch);
            }
            for (double v : generated) {
                if (!(Math.abs(v) <= bound)) {
                    throw diverged(step, "a generated coordinate is " + v);
                }
            }
            SinkhornDivergenceResult result;
            try {
                result = divergence.valueAndGradient(ParticleMeasure.fromFlat(generated, d),
                        ParticleMeasure.fromFlat(y, d));
            } catch (IllegalArgumentException e) {
                // the data were checked; the generated cloud, made by the training, is what the solver rejects
                throw diverged(step, "the generated samples cannot be compared with the data (" + e.getMessage()
                        + ")");
            }
            double value = result.value();
            backprop.pullBack(z, result.gradient(), batch, gradient);
            double norm = 0;
            for (double g : gradient) {
                norm += g * g;
            }
            if (!Double.isFinite(value) || !Double.isFinite(norm)) {
                throw diverged(step, "the divergence is " + value + " and the gradient's squared norm " + norm);
            }
            iterations = result.iterations();
            converged = result.converged();
            return value;
        }

        private static IllegalStateException diverged(long step, String what) {
            return new IllegalStateException("training diverged at step " + step + ": " + what + "; lower the "
                    + "learning rate, or standardise the data if their scale is far from 1 (epsilon is in their "
                    + "squared units)");
        }
    }

    /**
     * One line: {@code SinkhornGeneratorTrainer[hidden 2 x 64 SILU, steps=3000, batchSize=256, learningRate=0.003,
     * schedule=relativeWarmupCosine(...), emaDecay=0.99, SinkhornDivergence[...]]}; {@code affine} for no hidden layer.
     */
    @Override
    public String toString() {
        return "SinkhornGeneratorTrainer[" + (hiddenLayers == 0 ? "affine" : "hidden " + hiddenLayers + " x "
                + hiddenWidth + " " + activation) + ", steps=" + steps + ", batchSize=" + batchSize
                + ", learningRate=" + TextSummary.number(learningRate) + ", schedule=" + schedule
                + (emaDecay == 0 ? "" : ", emaDecay=" + TextSummary.number(emaDecay)) + ", " + divergence + "]";
    }
}
