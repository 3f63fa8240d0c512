package org.measureflow.flowmatching.learned;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.measureflow.core.nn.Activation;
import org.measureflow.core.Arguments;

/**
 * A fully connected network \( f_\theta = L_K \circ \sigma \circ L_{K-1} \circ \cdots \circ \sigma \circ L_1 \) with
 * affine layers \( L_l(a) = W_l a + b_l \) and a pointwise activation \( \sigma \) between them (none after the last
 * layer): the parametric model \( v_\theta \) of the flow-matching regression (survey eq. 8).
 *
 * <p>Parameters live in one flat array, layer by layer: \( W_l \) (row-major, \( n_l \times n_{l-1} \)) then
 * \( b_l \). {@link MlpSquaredErrorGradient} computes the batch mean squared error and its gradient by
 * backpropagation. {@link #inputJacobianTrace(double[], int)} gives \( \partial f_c / \partial u_c \) by forward-mode
 * differentiation, for exact divergences.
 *
 * <p>Instances are immutable; training produces new ones ({@link #withParameters}).
 */
public final class Mlp {
    private static final int MAGIC = 0x4D464D31; // "MFM1"
    /** Rows per chunk of the batched loss. */
    static final int CHUNK_ROWS = 32;

    private final int[] sizes;
    private final Activation activation;
    private final double[] theta;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int maxWidth;
    /** The weights with each \( W_l \) transposed (\( n_{l-1} \times n_l \)), for axpy-shaped forward loops. */
    private final double[] thetaTransposed;

    private Mlp(int[] sizes, Activation activation, double[] theta) {
        this.sizes = sizes;
        this.activation = activation;
        this.theta = theta;
        int layers = sizes.length - 1;
        this.weightOffset = new int[layers];
        this.biasOffset = new int[layers];
        int off = 0;
        int width = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = off;
            off += sizes[l + 1] * sizes[l];
            biasOffset[l] = off;
            off += sizes[l + 1];
        }
        for (int s : sizes) {
            width = Math.max(width, s);
        }
        this.maxWidth = width;
        this.thetaTransposed = new double[theta.length];
        transposeWeights(theta, thetaTransposed);
    }

    /** Number of parameters of a network with these layer sizes. */
    public static int parameterCount(int[] sizes) {
        long p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            p += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
        }
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sizes give " + p + " parameters, more than an array holds");
        }
        return (int) p;
    }

    private static int[] checkedSizes(int[] sizes) {
        Arguments.notNull("sizes", sizes);
        Arguments.atLeast("sizes.length (an input and an output size at least)", sizes.length, 2);
        for (int l = 0; l < sizes.length; l++) {
            Arguments.positive("sizes[" + l + "]", sizes[l]);
        }
        return sizes.clone();
    }

    /**
     * A network with LeCun-normal weights \( W_l \sim \mathcal N(0, 1/n_{l-1}) \) and zero biases.
     *
     * @param sizes      layer widths \( n_0 \) (input), ..., \( n_K \) (output)
     * @param activation the hidden activation
     * @param rng        the source of the initial weights
     */
    public static Mlp initialised(int[] sizes, Activation activation, RandomGenerator rng) {
        int[] s = checkedSizes(sizes);
        Arguments.notNull("activation", activation);
        Arguments.notNull("rng", rng);
        double[] theta = new double[parameterCount(s)];
        int off = 0;
        for (int l = 0; l + 1 < s.length; l++) {
            double scale = 1 / Math.sqrt(s[l]);
            for (int i = 0; i < s[l + 1] * s[l]; i++) {
                theta[off++] = scale * rng.nextGaussian();
            }
            off += s[l + 1];
        }
        return new Mlp(s, activation, theta);
    }

    /**
     * A network with given parameters (copied).
     *
     * @throws IllegalArgumentException on a parameter count that does not match the sizes or non-finite values
     */
    public static Mlp of(int[] sizes, Activation activation, double[] parameters) {
        int[] s = checkedSizes(sizes);
        Arguments.notNull("activation", activation);
        Arguments.finite("parameters", parameters);
        Arguments.length("parameters", parameters.length, parameterCount(s));
        return new Mlp(s, activation, parameters.clone());
    }

    /**
     * A network that reads its parameters from {@code parameters} without copying: the trainer updates that array
     * in place between steps. Package-private, so the public instances stay immutable.
     */
    static Mlp sharing(int[] sizes, Activation activation, double[] parameters) {
        return new Mlp(sizes.clone(), activation, parameters);
    }

    /** The same architecture with other parameters (copied). */
    public Mlp withParameters(double[] parameters) {
        return of(sizes, activation, parameters);
    }

    /** Layer widths, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The hidden activation. */
    public Activation activation() {
        return activation;
    }

    /** Input width \( n_0 \). */
    public int inputSize() {
        return sizes[0];
    }

    /** Output width \( n_K \). */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Number of parameters. */
    public int parameterCount() {
        return theta.length;
    }

    /** The layer widths, not copied (for this package's loops). */
    int[] layerSizes() {
        return sizes;
    }

    /** The parameter array itself, not copied: the trainer's network updates it in place. */
    double[] liveParameters() {
        return theta;
    }

    /** Offset of \( W_l \) in the parameter array. */
    int weightOffset(int layer) {
        return weightOffset[layer];
    }

    /** Offset of \( b_l \) in the parameter array. */
    int biasOffset(int layer) {
        return biasOffset[layer];
    }

    /** A copy of the parameters. */
    public double[] parameters() {
        return theta.clone();
    }

    /**
     * Recomputes the transposed copy of the weights used by {@link #forward} from the live parameters: a network made
     * by {@link #sharing} whose array a trainer updated in place evaluates the new weights after this call.
     */
    void refreshTransposed() {
        transposeWeights(theta, thetaTransposed);
    }

    /** Writes the parameters with every weight matrix transposed into {@code out} (biases copied). */
    void transposeWeights(double[] params, double[] out) {
        for (int l = 0; l + 1 < sizes.length; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = weightOffset[l];
            for (int o = 0; o < nOut; o++) {
                for (int k = 0; k < nIn; k++) {
                    out[w + k * nOut + o] = params[w + o * nIn + k];
                }
            }
            System.arraycopy(params, biasOffset[l], out, biasOffset[l], nOut);
        }
    }

    /**
     * \( z = W a + b \) for one row, as axpys over the columns of \( W \) (contiguous in the transposed layout, so
     * the JIT vectorises them), written to {@code z[zOff ..]}.
     */
    static void affine(double[] wt, int w, int b, int nIn, int nOut, double[] a, int aOff, double[] z,
                               int zOff) {
        System.arraycopy(wt, b, z, zOff, nOut);
        for (int k = 0; k < nIn; k++) {
            double ak = a[aOff + k];
            int col = w + k * nOut;
            for (int o = 0; o < nOut; o++) {
                z[zOff + o] += wt[col + o] * ak;
            }
        }
    }

    /** Scratch memory for single-row evaluation and its tangent: {@code 4 * maxWidth} doubles. */
    double[] rowScratch() {
        return new double[4 * maxWidth];
    }

    /**
     * Evaluates \( f_\theta(u) \) for one row, using {@code scratch} from {@link #rowScratch()} (no allocation).
     */
    void forward(double[] in, int inOff, double[] out, int outOff, double[] scratch) {
        int layers = sizes.length - 1;
        double[] a = scratch;
        int aOff = 0;
        int bOff = maxWidth;
        System.arraycopy(in, inOff, a, aOff, sizes[0]);
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            if (l == layers - 1) {
                affine(thetaTransposed, w, b, nIn, nOut, a, aOff, out, outOff);
            } else {
                affine(thetaTransposed, w, b, nIn, nOut, a, aOff, a, bOff);
                for (int o = 0; o < nOut; o++) {
                    a[bOff + o] = activation.value(a[bOff + o]);
                }
            }
            int tmp = aOff;
            aOff = bOff;
            bOff = tmp;
        }
    }

    /** \( f_\theta(u) \) for one input (allocates; for tests and single calls). */
    public double[] apply(double[] input) {
        Arguments.length("input", input.length, inputSize());
        double[] out = new double[outputSize()];
        forward(input, 0, out, 0, rowScratch());
        return out;
    }

    /**
     * The diagonal entries \( \partial f_c / \partial u_c \), \( c &lt; m \), of the input Jacobian at one row, by
     * forward-mode differentiation (one tangent pass per entry, \( m \) times the cost of a forward pass). With
     * \( u = (x, t) \) and \( m = d \), their sum is the divergence \( \nabla_x \cdot v_\theta \).
     *
     * @param scratch at least {@code 4 * maxWidth} doubles ({@link #rowScratch()})
     */
    double inputJacobianTrace(double[] in, int inOff, int m, double[] scratch) {
        int layers = sizes.length - 1;
        double trace = 0;
        for (int c = 0; c < m; c++) {
            int aOff = 0;
            int bOff = maxWidth;
            int daOff = 2 * maxWidth;
            int dbOff = 3 * maxWidth;
            System.arraycopy(in, inOff, scratch, aOff, sizes[0]);
            Arrays.fill(scratch, daOff, daOff + sizes[0], 0);
            scratch[daOff + c] = 1;
            for (int l = 0; l < layers; l++) {
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                int w = weightOffset[l];
                int b = biasOffset[l];
                boolean last = l == layers - 1;
                for (int o = 0; o < nOut; o++) {
                    double z = theta[b + o];
                    double dz = 0;
                    int row = w + o * nIn;
                    for (int k = 0; k < nIn; k++) {
                        z += theta[row + k] * scratch[aOff + k];
                        dz += theta[row + k] * scratch[daOff + k];
                    }
                    if (last) {
                        if (o == c) {
                            trace += dz;
                        }
                    } else {
                        scratch[bOff + o] = activation.value(z);
                        scratch[dbOff + o] = activation.derivative(z) * dz;
                    }
                }
                int tmp = aOff;
                aOff = bOff;
                bOff = tmp;
                tmp = daOff;
                daOff = dbOff;
                dbOff = tmp;
            }
        }
        return trace;
    }

    /**
     * \( \sum_{c &lt; m} \partial f_c / \partial u_c \) at one input: the divergence of the first {@code m} outputs
     * with respect to the first {@code m} inputs.
     */
    public double inputJacobianTrace(double[] input, int m) {
        Arguments.length("input", input.length, inputSize());
        Arguments.inRange("m", m, 0, Math.min(inputSize(), outputSize()));
        return inputJacobianTrace(input, 0, m, rowScratch());
    }

    /**
     * Writes the network (format tag, activation, sizes, parameters) in a portable binary form; {@link #read}
     * restores it bit for bit. Nothing outside this class reads this form: {@link NetworkFiles} writes the documented
     * NumPy {@code .npz} layout instead.
     */
    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeUTF(activation.name());
        data.writeInt(sizes.length);
        for (int s : sizes) {
            data.writeInt(s);
        }
        for (double v : theta) {
            data.writeDouble(v);
        }
        data.flush();
    }

    /**
     * Reads a network written by {@link #write}.
     *
     * @throws IOException on a stream that does not hold a network in this format
     */
    public static Mlp read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a measureflow MLP file (bad format tag)");
        }
        Activation act;
        try {
            act = Activation.valueOf(data.readUTF());
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown activation in MLP file", e);
        }
        int layers = data.readInt();
        if (layers < 2 || layers > 1000) {
            throw new IOException("implausible layer count " + layers + " in MLP file");
        }
        int[] sizes = new int[layers];
        for (int l = 0; l < layers; l++) {
            sizes[l] = data.readInt();
            if (sizes[l] <= 0 || sizes[l] > 1 << 20) {
                throw new IOException("implausible layer width " + sizes[l] + " in MLP file");
            }
        }
        double[] theta = new double[parameterCount(sizes)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = data.readDouble();
        }
        try {
            return of(sizes, act, theta);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid MLP file: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes) + "[" + activation + ", " + theta.length + " parameters]";
    }
}
