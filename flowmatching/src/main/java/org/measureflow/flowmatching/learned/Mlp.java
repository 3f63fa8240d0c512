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
import org.measureflow.core.parallel.Chunks;

/**
 * A fully connected network \( f_\theta = L_K \circ \sigma \circ L_{K-1} \circ \cdots \circ \sigma \circ L_1 \) with
 * affine layers \( L_l(a) = W_l a + b_l \) and a pointwise activation \( \sigma \) between them (none after the last
 * layer): the parametric model \( v_\theta \) of the flow-matching regression (survey eq. 8).
 *
 * <p>Parameters live in one flat array, layer by layer: \( W_l \) (row-major, \( n_l \times n_{l-1} \)) then
 * \( b_l \). {@link #lossAndGradient} computes the mean squared error
 * \( \mathcal L(\theta) = \frac1B \sum_{i=1}^B |f_\theta(u_i) - y_i|^2 \) and its gradient by backpropagation:
 * with \( \delta_K = \tfrac2B (f_\theta(u_i) - y_i) \), \( \nabla_{W_l}\mathcal L = \sum_i \delta_l a_{l-1}^\top \),
 * \( \nabla_{b_l}\mathcal L = \sum_i \delta_l \), \( \delta_{l-1} = \sigma'(z_{l-1}) \odot W_l^\top\delta_l \).
 * The batch is cut into fixed chunks of rows whose gradients are summed in chunk order, so both cores give the
 * same bits as one. {@link #inputJacobianTrace(double[], int)} gives \( \partial f_c / \partial u_c \) by forward-mode
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
        if (sizes.length < 2) {
            throw new IllegalArgumentException("sizes must list at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("sizes must be > 0, got " + Arrays.toString(sizes));
            }
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

    /** A copy of the parameters. */
    public double[] parameters() {
        return theta.clone();
    }

    /** Writes the parameters with every weight matrix transposed into {@code out} (biases copied). */
    private void transposeWeights(double[] params, double[] out) {
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
    private static void affine(double[] wt, int w, int b, int nIn, int nOut, double[] a, int aOff, double[] z,
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
        if (m < 0 || m > Math.min(inputSize(), outputSize())) {
            throw new IllegalArgumentException("m must be in [0, min(input, output size)], got " + m);
        }
        return inputJacobianTrace(input, 0, m, rowScratch());
    }

    /** Work arrays for {@link #lossAndGradient} on batches of up to {@code rows} rows; reuse across steps. */
    public Workspace workspace(int rows) {
        Arguments.positive("rows", rows);
        return new Workspace(rows);
    }

    /**
     * The mean squared error \( \frac1B \sum_i |f_\theta(u_i) - y_i|^2 \) over a batch, and its gradient with
     * respect to the parameters, written into {@code gradient}.
     *
     * @param inputs    \( B \times n_0 \), row-major
     * @param targets   \( B \times n_K \), row-major
     * @param rows      \( B \)
     * @param gradient  receives \( \nabla_\theta \mathcal L \) (length {@link #parameterCount()})
     * @param workspace from {@link #workspace(int)} with at least {@code rows} rows
     * @return the loss
     */
    public double lossAndGradient(double[] inputs, double[] targets, int rows, double[] gradient,
                                  Workspace workspace) {
        Arguments.positive("rows", rows);
        Arguments.length("inputs", inputs.length, rows * inputSize());
        Arguments.length("targets", targets.length, rows * outputSize());
        Arguments.length("gradient", gradient.length, theta.length);
        if (workspace.rows < rows || !Arrays.equals(workspace.sizes, sizes)) {
            throw new IllegalArgumentException("workspace was made for " + workspace.rows
                    + " rows of another network or fewer rows than " + rows);
        }
        int chunks = Chunks.count(rows, CHUNK_ROWS);
        // theta may have changed since construction (the trainer updates it in place): transpose it now.
        transposeWeights(theta, workspace.transposed);
        for (int c = 0; c < chunks; c++) {
            workspace.chunks[c].transposed = workspace.transposed;
        }
        long costPerRow = 6L * theta.length;
        Chunks.forEach(rows, CHUNK_ROWS, costPerRow, (chunk, start, end) ->
                chunkLossAndGradient(inputs, targets, rows, start, end, workspace.chunks[chunk]));
        Arrays.fill(gradient, 0);
        double loss = 0;
        for (int c = 0; c < chunks; c++) {
            ChunkBuffers buf = workspace.chunks[c];
            loss += buf.loss;
            double[] g = buf.gradient;
            for (int i = 0; i < g.length; i++) {
                gradient[i] += g[i];
            }
        }
        return loss;
    }

    private void chunkLossAndGradient(double[] inputs, double[] targets, int batch, int start, int end,
                                      ChunkBuffers buf) {
        int layers = sizes.length - 1;
        int r = end - start;
        double[][] act = buf.activations;
        double[][] pre = buf.preActivations;
        Arrays.fill(buf.gradient, 0);
        System.arraycopy(inputs, start * sizes[0], act[0], 0, r * sizes[0]);
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            boolean last = l == layers - 1;
            double[] ain = act[l];
            double[] z = pre[l + 1];
            double[] aout = act[l + 1];
            double[] wt = buf.transposed;
            for (int i = 0; i < r; i++) {
                int outRow = i * nOut;
                affine(wt, w, b, nIn, nOut, ain, i * nIn, z, outRow);
                for (int o = 0; o < nOut; o++) {
                    aout[outRow + o] = last ? z[outRow + o] : activation.value(z[outRow + o]);
                }
            }
        }
        int nOutLast = sizes[layers];
        double[] out = act[layers];
        double[] delta = buf.deltaA;
        double[] deltaPrev = buf.deltaB;
        double scale = 2.0 / batch;
        double loss = 0;
        for (int i = 0; i < r; i++) {
            for (int o = 0; o < nOutLast; o++) {
                double e = out[i * nOutLast + o] - targets[(start + i) * nOutLast + o];
                loss += e * e;
                delta[i * nOutLast + o] = scale * e;
            }
        }
        buf.loss = loss / batch;
        double[] g = buf.gradient;
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            double[] ain = act[l];
            for (int i = 0; i < r; i++) {
                int inRow = i * nIn;
                for (int o = 0; o < nOut; o++) {
                    double dl = delta[i * nOut + o];
                    g[b + o] += dl;
                    int wRow = w + o * nIn;
                    for (int k = 0; k < nIn; k++) {
                        g[wRow + k] += dl * ain[inRow + k];
                    }
                }
            }
            if (l > 0) {
                double[] zPrev = pre[l];
                for (int i = 0; i < r; i++) {
                    int inRow = i * nIn;
                    Arrays.fill(deltaPrev, inRow, inRow + nIn, 0);
                    for (int o = 0; o < nOut; o++) {
                        double dl = delta[i * nOut + o];
                        int wRow = w + o * nIn;
                        for (int k = 0; k < nIn; k++) {
                            deltaPrev[inRow + k] += dl * theta[wRow + k];
                        }
                    }
                    for (int k = 0; k < nIn; k++) {
                        deltaPrev[inRow + k] *= activation.derivative(zPrev[inRow + k]);
                    }
                }
                double[] tmp = delta;
                delta = deltaPrev;
                deltaPrev = tmp;
            }
        }
    }

    /** Per-chunk activations, deltas and partial gradients for {@link #lossAndGradient}. */
    public final class Workspace {
        private final int rows;
        private final int[] sizes;
        private final ChunkBuffers[] chunks;
        private final double[] transposed = new double[theta.length];

        private Workspace(int rows) {
            this.rows = rows;
            this.sizes = Mlp.this.sizes;
            int count = Chunks.count(rows, CHUNK_ROWS);
            this.chunks = new ChunkBuffers[count];
            for (int c = 0; c < count; c++) {
                chunks[c] = new ChunkBuffers(sizes, maxWidth, theta.length);
            }
        }
    }

    private static final class ChunkBuffers {
        final double[][] activations;
        final double[][] preActivations;
        final double[] deltaA;
        final double[] deltaB;
        final double[] gradient;
        double[] transposed;
        double loss;

        ChunkBuffers(int[] sizes, int maxWidth, int parameters) {
            activations = new double[sizes.length][];
            preActivations = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                activations[l] = new double[CHUNK_ROWS * sizes[l]];
                preActivations[l] = new double[CHUNK_ROWS * sizes[l]];
            }
            deltaA = new double[CHUNK_ROWS * maxWidth];
            deltaB = new double[CHUNK_ROWS * maxWidth];
            gradient = new double[parameters];
        }
    }

    /**
     * Writes the network (format tag, activation, sizes, parameters) in a portable binary form; {@link #read}
     * restores it bit for bit.
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
