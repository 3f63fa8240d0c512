package org.measureflow.flowmatching.learned;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;

/**
 * A generative model \( g_\theta \# \zeta \): a latent law \( \zeta \) on \( \mathbb{R}^p \) (a {@link PointSampler})
 * and a map \( g_\theta : \mathbb{R}^p \to \mathbb{R}^d \) given by an {@link Mlp} with \( p \) inputs and \( d \)
 * outputs (survey section 4, generative models by push-forward; Genevay, Peyr&eacute; and Cuturi 2018). A sample is
 * \( g_\theta(Z) \), \( Z \sim \zeta \). A network without hidden layer (sizes \( [p, d] \)) is the affine map
 * \( g(z) = A z + b \), \( A \in \mathbb{R}^{d \times p} \); {@link #affine()} tells, and {@link #linearPart()} and
 * {@link #offset()} give \( A \) and \( b \).
 *
 * <p>Trained by {@link SinkhornGeneratorTrainer}; made from parts by {@link #of(Mlp, PointSampler)}. Immutable and
 * thread-safe (the sampler keeps no state; every random number comes from the caller's generator).
 */
public final class Generator {
    private final Mlp network;
    private final PointSampler latent;

    private Generator(Mlp network, PointSampler latent) {
        this.network = network;
        this.latent = latent;
    }

    /**
     * The generator \( g_\theta \# \zeta \) of a network and a latent law.
     *
     * @param network the map \( g_\theta \), {@link Mlp#inputSize()} equal to the latent dimension
     * @param latent  the latent law \( \zeta \)
     * @return the generator
     * @throws IllegalArgumentException if an argument is null or the dimensions differ
     */
    public static Generator of(Mlp network, PointSampler latent) {
        Arguments.notNull("network", network);
        Arguments.notNull("latent", latent);
        Arguments.sameDimension("network (input size)", network.inputSize(), latent.dimension(), "latent");
        return new Generator(network, latent);
    }

    /** @return the map \( g_\theta \) */
    public Mlp network() {
        return network;
    }

    /** @return the latent law \( \zeta \) */
    public PointSampler latent() {
        return latent;
    }

    /** @return the latent dimension \( p \) */
    public int latentDimension() {
        return network.inputSize();
    }

    /** @return the data dimension \( d \) */
    public int dimension() {
        return network.outputSize();
    }

    /** @return whether \( g_\theta \) is affine, \( g(z) = A z + b \) (a network without hidden layer) */
    public boolean affine() {
        return network.layerSizes().length == 2;
    }

    /**
     * @return \( A \), row-major \( d \times p \) (a copy)
     * @throws IllegalStateException if the generator is not {@linkplain #affine() affine}
     */
    public double[] linearPart() {
        requireAffine();
        return Arrays.copyOf(network.liveParameters(), dimension() * latentDimension());
    }

    /**
     * @return \( b \in \mathbb{R}^d \) (a copy)
     * @throws IllegalStateException if the generator is not {@linkplain #affine() affine}
     */
    public double[] offset() {
        requireAffine();
        int from = dimension() * latentDimension();
        return Arrays.copyOfRange(network.liveParameters(), from, from + dimension());
    }

    private void requireAffine() {
        if (!affine()) {
            throw new IllegalStateException("the generator " + network + " has hidden layers: it is not affine");
        }
    }

    /**
     * \( g_\theta(z) \) for one latent point.
     *
     * @param z a latent point, length \( p \)
     * @return \( g_\theta(z) \), length \( d \)
     * @throws IllegalArgumentException if {@code z} is null, of another length or not finite, or makes a generated
     *                                  coordinate that is not finite
     */
    public double[] apply(double[] z) {
        Arguments.finite("z", z);
        Arguments.length("z", z.length, latentDimension());
        return forward(z, 1, "z");
    }

    /**
     * The push-forward \( g_\theta \# \mu = \sum_i w_i \delta_{g_\theta(z_i)} \) of a latent cloud (its weights
     * kept).
     *
     * @param latentPoints \( \mu = \sum_i w_i \delta_{z_i} \) in dimension \( p \)
     * @return the generated cloud in dimension \( d \)
     * @throws IllegalArgumentException if {@code latentPoints} is null or of another dimension, or makes a
     *                                  generated coordinate that is not finite (points far outside the latent range)
     */
    public ParticleMeasure push(ParticleMeasure latentPoints) {
        Arguments.notNull("latentPoints", latentPoints);
        Arguments.sameDimension("latentPoints", latentPoints.dimension(), latentDimension(), "generator (p)");
        int n = latentPoints.size();
        double[] out = forward(latentPoints.flatPoints(), n, "latentPoints");
        return ParticleMeasure.fromFlat(out, dimension(), latentPoints.isUniform() ? null : latentPoints.weights());
    }

    /**
     * \( n \) independent samples \( g_\theta(Z_i) \), \( Z_i \sim \zeta \), as a uniform cloud.
     *
     * @param n   the number of samples, {@code > 0}
     * @param rng the source of the latent draws
     * @return the samples
     * @throws IllegalArgumentException if {@code n <= 0}, {@code rng} is null or {@code n * d} overflows
     * @throws IllegalStateException    if a generated coordinate is not finite
     */
    public ParticleMeasure sample(int n, RandomGenerator rng) {
        Arguments.positive("n", n);
        Arguments.notNull("rng", rng);
        Arguments.product("n * d", n, Math.max(dimension(), latentDimension()));
        double[] z = new double[n * latentDimension()];
        latent.sample(n, rng, z);
        return ParticleMeasure.fromFlat(forward(z, n, null), dimension());
    }

    /**
     * \( g_\theta \) on {@code n} latent rows; a non-finite output is an {@link IllegalArgumentException} naming
     * {@code argument}, or with a null {@code argument} (the latent points were drawn here) an
     * {@link IllegalStateException}.
     */
    private double[] forward(double[] z, int n, String argument) {
        int p = latentDimension();
        int d = dimension();
        double[] out = new double[Arguments.product("n * d", n, d)];
        double[] scratch = network.rowScratch();
        for (int i = 0; i < n; i++) {
            network.forward(z, i * p, out, i * d, scratch);
        }
        for (double v : out) {
            if (!Double.isFinite(v) && argument != null) {
                Arguments.finiteResult(argument, "g(z)", v);
            }
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("the generator made the non-finite coordinate " + v + " from its "
                        + "latent draws (a latent law with heavy tails, or weights from a diverged training)");
            }
        }
        return out;
    }

    /**
     * One line: {@code Generator[Mlp[2, 64, 64, 2][SILU, 4546 parameters], latent=GaussianMeasure[...]]}, with
     * \( A \) and \( b \) for an affine generator.
     */
    @Override
    public String toString() {
        return "Generator[" + network + ", latent=" + latent + (affine() ? ", A="
                + TextSummary.matrix(linearPart(), dimension(), latentDimension()) + ", b="
                + TextSummary.array(offset()) : "") + "]";
    }
}
