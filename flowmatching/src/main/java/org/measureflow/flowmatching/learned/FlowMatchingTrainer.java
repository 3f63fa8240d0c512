package org.measureflow.flowmatching.learned;

import java.util.SplittableRandom;

import org.measureflow.core.nn.Activation;
import org.measureflow.core.Arguments;
import org.measureflow.flowmatching.PointSampler;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;

/**
 * Trains an {@link MlpVelocityField} on the flow-matching least-squares loss (survey eq. 8)
 * \[ \min_\theta\ \mathbb{E}_{t \sim U[0,1],\,(X_0, X_1) \sim \pi}\ \big|v_\theta(t, X_t) - (\dot\alpha_t X_0 +
 *    \dot\beta_t X_1)\big|^2, \qquad X_t = \alpha_t X_0 + \beta_t X_1 , \]
 * whose minimiser is the conditional-expectation field of Prop. 3.1. Each step draws a batch of latent points and a
 * batch of data points, pairs them with the {@link Coupling} \( \pi \) (independent, or minibatch OT as in OT-CFM),
 * draws one time per pair, and takes one {@link Adam} step on the batch loss computed by backpropagation.
 *
 * <p>Configured by an immutable {@link Options} object; defaults: 3 hidden layers of width 64 with
 * {@link Activation#SILU}, 2000 steps, batch 256, learning rate \( 10^{-3} \) (Adam's usual \( \beta_1 = 0.9,
 * \beta_2 = 0.999 \)), linear interpolant, independent coupling, seed 0, no listener. Same options and seed, same
 * bits, on one core or two.
 */
public final class FlowMatchingTrainer {
    private final Options options;

    private FlowMatchingTrainer(Options options) {
        this.options = options;
    }

    /** Options with the defaults listed in the class documentation. */
    public static Options options() {
        return new Options(64, 3, Activation.SILU, 2000, 256, 1e-3, LinearInterpolant.instance(),
                Coupling.independent(), 0L, TrainingListener.none());
    }

    /** The options of this trainer. */
    public Options optionsUsed() {
        return options;
    }

    /**
     * Trains a new network from the seed's initialisation.
     *
     * @param latent sampler of \( X_0 \)
     * @param data   sampler of \( X_1 \), same dimension
     * @throws IllegalArgumentException on null samplers or a dimension mismatch
     */
    public TrainingResult train(PointSampler latent, PointSampler data) {
        Arguments.notNull("latent", latent);
        Arguments.notNull("data", data);
        int d = latent.dimension();
        if (data.dimension() != d) {
            throw new IllegalArgumentException("data has dimension " + data.dimension() + ", expected the latent's "
                    + d);
        }
        int[] sizes = new int[options.hiddenLayers + 2];
        sizes[0] = d + 1;
        for (int l = 1; l <= options.hiddenLayers; l++) {
            sizes[l] = options.hiddenWidth;
        }
        sizes[sizes.length - 1] = d;
        SplittableRandom rng = new SplittableRandom(options.seed);
        double[] theta = Mlp.initialised(sizes, options.activation, rng).parameters();
        Mlp model = Mlp.sharing(sizes, options.activation, theta);
        Mlp.Workspace workspace = model.workspace(options.batchSize);
        Adam adam = new Adam(theta.length, options.learningRate);
        int batch = options.batchSize;
        double[] x0 = new double[batch * d];
        double[] x1 = new double[batch * d];
        double[] inputs = new double[batch * (d + 1)];
        double[] targets = new double[batch * d];
        double[] gradient = new double[theta.length];
        double[] history = new double[options.steps];
        Interpolant interpolant = options.interpolant;
        long start = System.nanoTime();
        for (int step = 0; step < options.steps; step++) {
            latent.sample(batch, rng, x0);
            data.sample(batch, rng, x1);
            int[] pi = options.coupling.pair(x0, x1, batch, d, rng);
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
            double loss = model.lossAndGradient(inputs, targets, batch, gradient, workspace);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged at step " + (step + 1) + " (loss = " + loss
                        + "); lower the learning rate");
            }
            adam.update(theta, gradient);
            history[step] = loss;
            options.listener.onStep(step + 1, options.steps, loss);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        MlpVelocityField field = MlpVelocityField.of(Mlp.of(sizes, options.activation, theta), interpolant);
        return new TrainingResult(field, history, (long) options.steps * batch, seconds);
    }

    /**
     * Immutable options with withers; {@link #trainer()} builds the trainer.
     */
    public static final class Options {
        private final int hiddenWidth;
        private final int hiddenLayers;
        private final Activation activation;
        private final int steps;
        private final int batchSize;
        private final double learningRate;
        private final Interpolant interpolant;
        private final Coupling coupling;
        private final long seed;
        private final TrainingListener listener;

        private Options(int hiddenWidth, int hiddenLayers, Activation activation, int steps, int batchSize,
                        double learningRate, Interpolant interpolant, Coupling coupling, long seed,
                        TrainingListener listener) {
            this.hiddenWidth = hiddenWidth;
            this.hiddenLayers = hiddenLayers;
            this.activation = activation;
            this.steps = steps;
            this.batchSize = batchSize;
            this.learningRate = learningRate;
            this.interpolant = interpolant;
            this.coupling = coupling;
            this.seed = seed;
            this.listener = listener;
        }

        private Options copy(int hiddenWidth, int hiddenLayers, Activation activation, int steps, int batchSize,
                             double learningRate, Interpolant interpolant, Coupling coupling, long seed,
                             TrainingListener listener) {
            return new Options(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate, interpolant,
                    coupling, seed, listener);
        }

        /** Width of each hidden layer (default 64). */
        public Options hiddenWidth(int width) {
            Arguments.positive("hiddenWidth", width);
            return copy(width, hiddenLayers, activation, steps, batchSize, learningRate, interpolant, coupling,
                    seed, listener);
        }

        /** Number of hidden layers (default 3; at least 1). */
        public Options hiddenLayers(int layers) {
            Arguments.positive("hiddenLayers", layers);
            return copy(hiddenWidth, layers, activation, steps, batchSize, learningRate, interpolant, coupling,
                    seed, listener);
        }

        /** Hidden activation (default SiLU). */
        public Options activation(Activation act) {
            Arguments.notNull("activation", act);
            return copy(hiddenWidth, hiddenLayers, act, steps, batchSize, learningRate, interpolant, coupling, seed,
                    listener);
        }

        /** Number of Adam steps (default 2000). */
        public Options steps(int count) {
            Arguments.positive("steps", count);
            return copy(hiddenWidth, hiddenLayers, activation, count, batchSize, learningRate, interpolant,
                    coupling, seed, listener);
        }

        /** Pairs per step (default 256). */
        public Options batchSize(int size) {
            Arguments.positive("batchSize", size);
            return copy(hiddenWidth, hiddenLayers, activation, steps, size, learningRate, interpolant, coupling,
                    seed, listener);
        }

        /** Adam's learning rate (default \( 10^{-3} \)). */
        public Options learningRate(double rate) {
            Arguments.positive("learningRate", rate);
            return copy(hiddenWidth, hiddenLayers, activation, steps, batchSize, rate, interpolant, coupling, seed,
                    listener);
        }

        /** The interpolant (default linear). */
        public Options interpolant(Interpolant value) {
            Arguments.notNull("interpolant", value);
            return copy(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate, value, coupling,
                    seed, listener);
        }

        /** The minibatch coupling (default independent). */
        public Options coupling(Coupling value) {
            Arguments.notNull("coupling", value);
            return copy(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate, interpolant, value,
                    seed, listener);
        }

        /** Seed of the initialisation and of every draw (default 0). */
        public Options seed(long value) {
            return copy(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate, interpolant,
                    coupling, value, listener);
        }

        /** Progress callback after every step (default none). */
        public Options listener(TrainingListener value) {
            Arguments.notNull("listener", value);
            return copy(hiddenWidth, hiddenLayers, activation, steps, batchSize, learningRate, interpolant,
                    coupling, seed, value);
        }

        /** The trainer with these options. */
        public FlowMatchingTrainer trainer() {
            return new FlowMatchingTrainer(this);
        }

        @Override
        public String toString() {
            return "FlowMatchingTrainer.Options[width=" + hiddenWidth + ", layers=" + hiddenLayers + ", "
                    + activation + ", steps=" + steps + ", batch=" + batchSize + ", lr=" + learningRate + ", "
                    + interpolant + ", coupling=" + coupling + ", seed=" + seed + "]";
        }
    }
}
