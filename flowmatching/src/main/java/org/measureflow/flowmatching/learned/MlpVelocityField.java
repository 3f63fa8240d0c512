package org.measureflow.flowmatching.learned;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.flowmatching.field.FlowMatchingField;
import org.measureflow.flowmatching.interpolant.Interpolant;

/**
 * A learned flow-matching field \( v_\theta(t, x) = f_\theta(x, t) \): an {@link Mlp} with input \( (x, t) \in
 * \mathbb{R}^{d+1} \) and output in \( \mathbb{R}^d \), fitted to the conditional velocities of an interpolant by
 * the least-squares loss of survey eq. 8 ({@link FlowMatchingTrainer}). Its divergence
 * \( \nabla_x\cdot v_\theta = \sum_c \partial f_c/\partial x_c \) is exact (forward-mode differentiation, \( d \)
 * tangent passes), so likelihoods by the change of variables are exact up to the integrator in low dimension.
 *
 * <p>Immutable and thread-safe (per-thread scratch memory, no allocation per evaluation after the first on a
 * thread). {@link NetworkFiles} saves and loads the network as a documented NumPy {@code .npz} archive (readable
 * outside Java, docs/models.md); {@link #save}/{@link #load} keep the older undocumented binary form. Both keep the
 * network bit for bit; the interpolant is given again on loading.
 */
public final class MlpVelocityField implements FlowMatchingField {
    private final Mlp network;
    private final Interpolant interpolant;
    private final int d;
    private final ThreadLocal<double[]> scratch;

    private MlpVelocityField(Mlp network, Interpolant interpolant) {
        this.network = network;
        this.interpolant = interpolant;
        this.d = network.outputSize();
        this.scratch = ThreadLocal.withInitial(() -> {
            double[] s = network.rowScratch();
            double[] withInput = new double[s.length + d + 1];
            return withInput;
        });
    }

    /**
     * The field of a network with input width \( d + 1 \) and output width \( d \).
     *
     * @throws IllegalArgumentException on null arguments or widths that do not fit
     */
    public static MlpVelocityField of(Mlp network, Interpolant interpolant) {
        Arguments.notNull("network", network);
        Arguments.notNull("interpolant", interpolant);
        if (network.inputSize() != network.outputSize() + 1) {
            throw new IllegalArgumentException("network must map (x, t) in R^{d+1} to R^d, got input width "
                    + network.inputSize() + " and output width " + network.outputSize());
        }
        return new MlpVelocityField(network, interpolant);
    }

    /** The network. */
    public Mlp network() {
        return network;
    }

    @Override
    public Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        double[] s = scratch.get();
        int in = s.length - d - 1;
        System.arraycopy(x, xOffset, s, in, d);
        s[in + d] = t;
        network.forward(s, in, out, outOffset, s);
    }

    @Override
    public double divergence(double t, double[] x, int xOffset) {
        double[] s = scratch.get();
        int in = s.length - d - 1;
        System.arraycopy(x, xOffset, s, in, d);
        s[in + d] = t;
        return network.inputJacobianTrace(s, in, d, s);
    }

    /** All particles at once, over fixed chunks on both cores. */
    @Override
    public ParticleField onParticles() {
        long cost = 2L * network.parameterCount();
        return (t, points, n, dim, weights, out) -> {
            if (dim != d) {
                Arguments.sameDimension("points", dim, d, "field");
            }
            Chunks.forEach(n, 256, cost, (chunk, start, end) -> {
                for (int i = start; i < end; i++) {
                    velocity(t, points, i * d, out, i * d);
                }
            });
        };
    }

    /**
     * Writes the network to {@code file} in the undocumented binary form of {@link Mlp#write}; prefer
     * {@link NetworkFiles#write(Path, MlpVelocityField)}, whose {@code .npz} files NumPy reads.
     */
    public void save(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            network.write(out);
        }
    }

    /** Reads a network saved by {@link #save} and attaches the interpolant it was trained with. */
    public static MlpVelocityField load(Path file, Interpolant interpolant) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(Mlp.read(in), interpolant);
        }
    }

    @Override
    public String toString() {
        return "MlpVelocityField[" + network + ", " + interpolant + "]";
    }
}
