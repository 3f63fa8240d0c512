package org.measureflow.gradientflow.meanfield;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Training of a two-layer network by gradient steps on its neurons, the time discretisation of the Wasserstein
 * gradient flow of the risk (survey eqs. 20&ndash;21):
 * \[ \theta_i^{k+1} = \theta_i^k + h\,\big(v_i(\mu^k) - \lambda\theta_i^k\big) + \sqrt{2\tau h}\,\xi_i^k , \]
 * with \( v_i = -\nabla_\theta\frac{\delta R}{\delta\mu}(\theta_i) \) from {@link TwoLayerRisk} (mean-field or lazy
 * {@link Scaling}), evaluated on the full data set or on a minibatch drawn at each step (SGD), an optional weight
 * decay \( \lambda \) and an optional temperature \( \tau \) (mean-field Langevin dynamics, whose limit minimises
 * \( R + \frac\lambda2\int|\theta|^2 + \tau\int\mu\log\mu \)). Time \( t = k h \) is the flow's time, so runs with
 * different \( N \) are comparable. For an accurate deterministic flow use a core integrator on the same energy
 * instead ({@link org.measureflow.gradientflow.particles.ParticleGradientFlow#flow}); this class is the plain
 * (stochastic) gradient method of practice. The minibatches and the noise are drawn from the
 * {@link RandomGenerator} argument of {@link #train}: the same generator state gives the same result.
 *
 * <p><b>Made by</b> {@link #of(double)}: the step \( h \) (a time step of the flow) has no scale-free default.
 * <b>Defaults</b>:
 * <ul>
 * <li>{@code steps = 1000} gradient steps;</li>
 * <li>{@code batchSize = 0}: full batch;</li>
 * <li>{@code weightDecay = 0}: \( \lambda = 0 \);</li>
 * <li>{@code temperature = 0}: no noise;</li>
 * <li>{@code recordEvery = 10}: the full-batch risk is recorded every 10 steps (and after the last);</li>
 * <li>{@code snapshots = false}: the neurons are not kept at the recorded steps.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class MeanFieldTrainer {
    private final double step;
    private final long steps;
    private final int batchSize;
    private final double weightDecay;
    private final double temperature;
    private final long recordEvery;
    private final boolean snapshots;

    private MeanFieldTrainer(double step, long steps, int batchSize, double weightDecay, double temperature,
                             long recordEvery, boolean snapshots) {
        this.step = step;
        this.steps = steps;
        this.batchSize = batchSize;
        this.weightDecay = weightDecay;
        this.temperature = temperature;
        this.recordEvery = recordEvery;
        this.snapshots = snapshots;
    }

    /**
     * The trainer with step \( h \), other settings at their defaults (see the class comment).
     *
     * @param step \( h \) in flow time, finite and {@code > 0}
     * @return the trainer
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public static MeanFieldTrainer of(double step) {
        return new MeanFieldTrainer(Arguments.positive("step", step), 1000, 0, 0, 0, 10, false);
    }

    /**
     * This trainer with another step.
     *
     * @param step \( h \) in flow time, finite and {@code > 0}
     * @return a new trainer
     * @throws IllegalArgumentException if {@code step} is not finite and positive
     */
    public MeanFieldTrainer withStep(double step) {
        return new MeanFieldTrainer(Arguments.positive("step", step), steps, batchSize, weightDecay, temperature,
                recordEvery, snapshots);
    }

    /**
     * This trainer with another number of steps.
     *
     * @param steps {@code > 0}
     * @return a new trainer
     * @throws IllegalArgumentException if {@code steps} is not positive
     */
    public MeanFieldTrainer withSteps(long steps) {
        return new MeanFieldTrainer(step, Arguments.positive("steps", steps), batchSize, weightDecay, temperature,
                recordEvery, snapshots);
    }

    /**
     * This trainer with another minibatch size.
     *
     * @param batchSize {@code >= 0}; 0 = full batch
     * @return a new trainer
     * @throws IllegalArgumentException if {@code batchSize} is negative
     */
    public MeanFieldTrainer withBatchSize(int batchSize) {
        return new MeanFieldTrainer(step, steps, Arguments.nonNegative("batchSize", batchSize), weightDecay,
                temperature, recordEvery, snapshots);
    }

    /**
     * This trainer with another weight decay.
     *
     * @param weightDecay \( \lambda \), finite and {@code >= 0}
     * @return a new trainer
     * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
     */
    public MeanFieldTrainer withWeightDecay(double weightDecay) {
        return new MeanFieldTrainer(step, steps, batchSize, Arguments.nonNegative("weightDecay", weightDecay),
                temperature, recordEvery, snapshots);
    }

    /**
     * This trainer with another temperature of the Langevin noise.
     *
     * @param temperature \( \tau \), finite and {@code >= 0}
     * @return a new trainer
     * @throws IllegalArgumentException if {@code temperature} is negative or not finite
     */
    public MeanFieldTrainer withTemperature(double temperature) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay,
                Arguments.nonNegative("temperature", temperature), recordEvery, snapshots);
    }

    /**
     * This trainer recording the full-batch risk (and snapshots) every {@code recordEvery} steps, and after the
     * last.
     *
     * @param recordEvery {@code > 0}
     * @return a new trainer
     * @throws IllegalArgumentException if {@code recordEvery} is not positive
     */
    public MeanFieldTrainer withRecordEvery(long recordEvery) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature,
                Arguments.positive("recordEvery", recordEvery), snapshots);
    }

    /**
     * This trainer keeping (or not) the neurons at every recorded step, for trajectory plots.
     *
     * @param snapshots whether to keep them
     * @return a new trainer
     */
    public MeanFieldTrainer withSnapshots(boolean snapshots) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature, recordEvery, snapshots);
    }

    /**
     * The step \( h \) in flow time.
     *
     * @return \( h \)
     */
    public double step() {
        return step;
    }

    /**
     * The number of steps.
     *
     * @return the steps
     */
    public long steps() {
        return steps;
    }

    /**
     * The minibatch size (0 = full batch).
     *
     * @return the size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The weight decay \( \lambda \).
     *
     * @return \( \lambda \)
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * The temperature \( \tau \) of the Langevin noise.
     *
     * @return \( \tau \)
     */
    public double temperature() {
        return temperature;
    }

    /**
     * The recording interval, in steps.
     *
     * @return the interval
     */
    public long recordEvery() {
        return recordEvery;
    }

    /**
     * Whether the neurons are kept at the recorded steps.
     *
     * @return whether they are
     */
    public boolean snapshots() {
        return snapshots;
    }

    /**
     * Trains the network's neurons on {@code data}.
     *
     * @param network the network (its neurons are the starting point)
     * @param data    the data set
     * @param rng     the minibatches and the Langevin noise (not used in full-batch training at zero temperature)
     * @return the trained neurons and the recorded risks
     * @throws IllegalArgumentException on null arguments or a data set whose dimension does not match
     *                                  or, naming {@code step}, if the neurons overflow (the step is too large)
     */
    public MeanFieldResult train(TwoLayerNetwork network, RegressionData data, RandomGenerator rng) {
        return train(network, data, rng, IterationObserver.none());
    }

    /**
     * {@link #train(TwoLayerNetwork, RegressionData, RandomGenerator)}, reporting every step to {@code observer}: the
     * step count, the risk (the full-batch risk after the step at recorded steps; otherwise the risk of the step's
     * minibatch, or of the full batch, before the step, which the gradient computes anyway), and the fraction done
     * {@code step / steps}. Training stops after a step for which the observer returns {@code false}; the final
     * neurons are then recorded and the result reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED}.
     *
     * @param network  the network (its neurons are the starting point)
     * @param data     the data set
     * @param rng      the minibatches and the Langevin noise
     * @param observer called after every step
     * @return the trained neurons and the recorded risks
     * @throws IllegalArgumentException on null arguments or a data set whose dimension does not match
     *                                  or, naming {@code step}, if the neurons overflow (the step is too large)
     */
    public MeanFieldResult train(TwoLayerNetwork network, RegressionData data, RandomGenerator rng,
                                 IterationObserver observer) {
        Arguments.notNull("network", network);
        Arguments.notNull("data", data);
        Arguments.notNull("rng", rng);
        Arguments.notNull("observer", observer);
        Arguments.sameDimension("data", data.dimension(), network.inputDimension(), "the network's inputs");
        ParticleMeasure start = network.neurons();
        int n = start.size();
        int dim = start.dimension();
        double[] weights = start.isUniform() ? null : start.weights();
        double[] theta = start.flatPoints();
        double[] velocity = new double[n * dim];
        TwoLayerRisk full = TwoLayerRisk.of(data, network.activation(), network.scaling());
        double noise = Arguments.finiteResult("temperature", "the noise amplitude sqrt(2 T step)",
                Math.sqrt(2 * temperature * step));
        Records records = new Records(full, start, n, dim, weights);
        records.add(theta, 0, 0);
        int[] rows = batchSize > 0 ? new int[batchSize] : null;
        long done = 0;
        boolean stopped = false;
        for (long k = 1; k <= steps; k++) {
            TwoLayerRisk risk = full;
            if (rows != null) {
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = rng.nextInt(data.size());
                }
                risk = TwoLayerRisk.of(data.rows(rows), network.activation(), network.scaling());
            }
            Arrays.fill(velocity, 0.0);
            double loss = risk.addVelocitiesAndRisk(theta, n, dim, weights, velocity);
            for (int i = 0; i < theta.length; i++) {
                theta[i] += step * (velocity[i] - weightDecay * theta[i]);
            }
            if (noise > 0) {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] += noise * rng.nextGaussian();
                }
            }
            done = k;
            boolean recorded = k % recordEvery == 0 || k == steps;
            if (recorded) {
                loss = records.add(theta, k, k * step);
            }
            if (!observer.observe(new IterationStatus(k, loss, (double) k / steps)) && k < steps) {
                if (!recorded) {
                    records.add(theta, k, k * step);
                }
                stopped = true;
                break;
            }
        }
        return new MeanFieldResult(start.withFlatPoints(theta), records.times(), records.risks(), records.kept,
                Convergence.completed(done, records.last(), stopped));
    }

    /** The recorded times, full-batch risks and snapshots of one training run. */
    private final class Records {
        private final TwoLayerRisk full;
        private final ParticleMeasure start;
        private final int n;
        private final int dim;
        private final double[] weights;
        private final List<Double> times = new ArrayList<>();
        private final List<Double> risks = new ArrayList<>();
        private final List<ParticleMeasure> kept = new ArrayList<>();

        Records(TwoLayerRisk full, ParticleMeasure start, int n, int dim, double[] weights) {
            this.full = full;
            this.start = start;
            this.n = n;
            this.dim = dim;
            this.weights = weights;
        }

        /** Records the neurons {@code theta} after step {@code k} (time {@code time}); returns the risk. */
        double add(double[] theta, long k, double time) {
            for (double v : theta) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("step: the neurons overflowed at step " + k + "; lower the step "
                            + step);
                }
            }
            double r = full.value(theta, n, dim, weights);
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException(k == 0
                        ? "network and data: the initial risk overflows double precision (got " + r + ")"
                        : "step: the risk overflowed at step " + k + " (got " + r + "); lower the step " + step);
            }
            times.add(time);
            risks.add(r);
            if (snapshots) {
                kept.add(start.withFlatPoints(theta.clone()));
            }
            return r;
        }

        double last() {
            return risks.get(risks.size() - 1);
        }

        double[] times() {
            return unbox(times);
        }

        double[] risks() {
            return unbox(risks);
        }

        private double[] unbox(List<Double> values) {
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }

    /**
     * One line: {@code MeanFieldTrainer[step=0.1, steps=1000, batchSize=0, weightDecay=0.0, temperature=0.0,
     * recordEvery=10, snapshots=false]}.
     */
    @Override
    public String toString() {
        return "MeanFieldTrainer[step=" + TextSummary.number(step) + ", steps=" + steps + ", batchSize=" + batchSize
                + ", weightDecay=" + TextSummary.number(weightDecay) + ", temperature="
                + TextSummary.number(temperature) + ", recordEvery=" + recordEvery + ", snapshots=" + snapshots + "]";
    }
}
