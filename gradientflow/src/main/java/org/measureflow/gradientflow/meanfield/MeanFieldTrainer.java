package org.measureflow.gradientflow.meanfield;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.measureflow.core.Arguments;
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
 * (stochastic) gradient method of practice.
 *
 * <p>Options (immutable, with withers): step \( h = 0.1 \), 1000 steps, full batch, \( \lambda = 0 \),
 * \( \tau = 0 \), risk recorded every 10 steps, no snapshots, seed 0, no listener. Same seed, same result.
 */
public final class MeanFieldTrainer {
    /** Called after each recorded step with the step count and the full-batch risk. */
    @FunctionalInterface
    public interface Listener {
        /** Step {@code step} of {@code steps} is done; {@code risk} is the full-batch risk now. */
        void onRecord(int step, int steps, double risk);
    }

    private final double step;
    private final int steps;
    private final int batchSize;
    private final double weightDecay;
    private final double temperature;
    private final int recordEvery;
    private final boolean snapshots;
    private final long seed;
    private final Listener listener;

    private MeanFieldTrainer(double step, int steps, int batchSize, double weightDecay, double temperature,
                             int recordEvery, boolean snapshots, long seed, Listener listener) {
        this.step = step;
        this.steps = steps;
        this.batchSize = batchSize;
        this.weightDecay = weightDecay;
        this.temperature = temperature;
        this.recordEvery = recordEvery;
        this.snapshots = snapshots;
        this.seed = seed;
        this.listener = listener;
    }

    /** The trainer with the defaults listed in the class documentation. */
    public static MeanFieldTrainer withDefaults() {
        return new MeanFieldTrainer(0.1, 1000, 0, 0, 0, 10, false, 0L, (s, n, r) -> {
        });
    }

    /** Step \( h > 0 \) in flow time. */
    public MeanFieldTrainer step(double h) {
        return new MeanFieldTrainer(Arguments.positive("step", h), steps, batchSize, weightDecay, temperature,
                recordEvery, snapshots, seed, listener);
    }

    /** Number of steps. */
    public MeanFieldTrainer steps(int count) {
        return new MeanFieldTrainer(step, Arguments.positive("steps", count), batchSize, weightDecay, temperature,
                recordEvery, snapshots, seed, listener);
    }

    /** Minibatch size (0 = full batch). */
    public MeanFieldTrainer batchSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0 (0 = full batch), got " + size);
        }
        return new MeanFieldTrainer(step, steps, size, weightDecay, temperature, recordEvery, snapshots, seed,
                listener);
    }

    /** Weight decay \( \lambda \ge 0 \). */
    public MeanFieldTrainer weightDecay(double lambda) {
        return new MeanFieldTrainer(step, steps, batchSize, Arguments.nonNegative("weightDecay", lambda), temperature,
                recordEvery, snapshots, seed, listener);
    }

    /** Temperature \( \tau \ge 0 \) of the Langevin noise. */
    public MeanFieldTrainer temperature(double tau) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, Arguments.nonNegative("temperature", tau),
                recordEvery, snapshots, seed, listener);
    }

    /** Record the full-batch risk (and snapshots) every {@code k} steps, and after the last. */
    public MeanFieldTrainer recordEvery(int k) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature,
                Arguments.positive("recordEvery", k), snapshots, seed, listener);
    }

    /** Keep the neurons at every recorded step (for trajectory plots). */
    public MeanFieldTrainer snapshots(boolean keep) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature, recordEvery, keep, seed,
                listener);
    }

    /** Seed of the minibatches and the noise. */
    public MeanFieldTrainer seed(long value) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature, recordEvery, snapshots, value,
                listener);
    }

    /** Progress callback at every recorded step. */
    public MeanFieldTrainer listener(Listener value) {
        return new MeanFieldTrainer(step, steps, batchSize, weightDecay, temperature, recordEvery, snapshots, seed,
                Arguments.notNull("listener", value));
    }

    /**
     * Trains the network's neurons on {@code data}.
     *
     * @throws IllegalArgumentException on null arguments or a data set whose dimension does not match
     * @throws IllegalStateException    if the neurons overflow (the step is too large)
     */
    public MeanFieldRun train(TwoLayerNetwork network, RegressionData data) {
        Arguments.notNull("network", network);
        Arguments.notNull("data", data);
        if (data.dimension() != network.inputDimension()) {
            throw new IllegalArgumentException("data has input dimension " + data.dimension() + ", expected "
                    + network.inputDimension());
        }
        ParticleMeasure start = network.neurons();
        int n = start.size();
        int dim = start.dimension();
        double[] weights = start.isUniform() ? null : start.weights();
        double[] theta = start.flatPoints();
        double[] velocity = new double[n * dim];
        TwoLayerRisk full = TwoLayerRisk.of(data, network.activation(), network.scaling());
        SplittableRandom rng = new SplittableRandom(seed);
        double noise = Math.sqrt(2 * temperature * step);
        List<Double> times = new ArrayList<>();
        List<Double> risks = new ArrayList<>();
        List<ParticleMeasure> kept = new ArrayList<>();
        record(full, theta, n, dim, weights, start, 0, times, risks, kept);
        int[] rows = batchSize > 0 ? new int[batchSize] : null;
        for (int k = 1; k <= steps; k++) {
            TwoLayerRisk risk = full;
            if (rows != null) {
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = rng.nextInt(data.size());
                }
                risk = TwoLayerRisk.of(data.rows(rows), network.activation(), network.scaling());
            }
            risk.velocities(theta, n, dim, weights, velocity);
            for (int i = 0; i < theta.length; i++) {
                theta[i] += step * (velocity[i] - weightDecay * theta[i]);
            }
            if (noise > 0) {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] += noise * rng.nextGaussian();
                }
            }
            if (k % recordEvery == 0 || k == steps) {
                for (double v : theta) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalStateException("neurons overflowed at step " + k + "; lower the step " + step);
                    }
                }
                double r = record(full, theta, n, dim, weights, start, k * step, times, risks, kept);
                listener.onRecord(k, steps, r);
            }
        }
        double[] t = new double[times.size()];
        double[] r = new double[risks.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
            r[i] = risks.get(i);
        }
        return new MeanFieldRun(start.withFlatPoints(theta), t, r, kept);
    }

    private double record(TwoLayerRisk full, double[] theta, int n, int dim, double[] weights, ParticleMeasure start,
                          double time, List<Double> times, List<Double> risks, List<ParticleMeasure> kept) {
        double r = full.value(theta, n, dim, weights);
        times.add(time);
        risks.add(r);
        if (snapshots) {
            kept.add(start.withFlatPoints(theta.clone()));
        }
        return r;
    }

    @Override
    public String toString() {
        return "MeanFieldTrainer[h=" + step + ", steps=" + steps + ", batch=" + batchSize + ", lambda=" + weightDecay
                + ", tau=" + temperature + ", seed=" + seed + "]";
    }
}
