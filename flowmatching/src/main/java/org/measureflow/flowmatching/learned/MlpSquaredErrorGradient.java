package org.measureflow.flowmatching.learned;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.nn.Activation;
import org.measureflow.core.parallel.Chunks;

/**
 * The batch regression loss of an {@link Mlp} and its gradient by backpropagation: for inputs \( u_i \) and targets
 * \( y_i \), \( i = 1..B \),
 * \[ \mathcal L(\theta) = \frac1B \sum_{i=1}^B |f_\theta(u_i) - y_i|^2 , \]
 * the flow-matching least-squares loss of survey eq. 8 on one minibatch. With
 * \( \delta_K = \tfrac2B (f_\theta(u_i) - y_i) \): \( \nabla_{W_l}\mathcal L = \sum_i \delta_l a_{l-1}^\top \),
 * \( \nabla_{b_l}\mathcal L = \sum_i \delta_l \), \( \delta_{l-1} = \sigma'(z_{l-1}) \odot W_l^\top\delta_l \).
 *
 * <p>The batch is cut into fixed chunks of rows whose gradients are summed in chunk order, so both cores give the
 * same bits as one. An instance holds the per-chunk work arrays for batches of up to {@link #maxRows()} rows and
 * reads the network's parameters at each call (the trainer updates them in place between steps); it allocates
 * nothing per call. It is not safe for concurrent calls: use one per thread.
 *
 * <p>Each chunk's rows are processed as small matrix products over separate row arrays (the weights copied once
 * per call into rows of \( W_l \) and of \( W_l^\top \)), four rows or columns per pass, so that the JIT vectorises
 * the inner loops; every sum is still taken in the order of the row-by-row backpropagation above (bias first, then
 * input index ascending; gradients over rows ascending, then over chunks), so the results are the same bits.
 */
public final class MlpSquaredErrorGradient {
    private final Mlp network;
    private final int maxRows;
    private final ChunkBuffers[] chunks;
    /** Per layer, the columns of \( W_l^\top \) as rows: {@code columns[l][k][o]} \( = (W_l)_{ok} \). */
    private final double[][][] columns;
    /** Per layer, the rows of \( W_l \): {@code rows[l][o][k]} \( = (W_l)_{ok} \). */
    private final double[][][] rows;
    /** Per layer, \( b_l \). */
    private final double[][] biases;

    private MlpSquaredErrorGradient(Mlp network, int maxRows) {
        this.network = network;
        this.maxRows = maxRows;
        int count = Chunks.count(maxRows, Mlp.CHUNK_ROWS);
        this.chunks = new ChunkBuffers[count];
        int[] sizes = network.layerSizes();
        int maxWidth = Arrays.stream(sizes).max().orElseThrow();
        for (int c = 0; c < count; c++) {
            chunks[c] = new ChunkBuffers(sizes, maxWidth);
        }
        int layers = sizes.length - 1;
        this.columns = new double[layers][][];
        this.rows = new double[layers][][];
        this.biases = new double[layers][];
        for (int l = 0; l < layers; l++) {
            columns[l] = new double[sizes[l]][sizes[l + 1]];
            rows[l] = new double[sizes[l + 1]][sizes[l]];
            biases[l] = new double[sizes[l + 1]];
        }
    }

    /**
     * The loss and gradient of {@code network} on batches of up to {@code maxRows} rows.
     *
     * @param network the network \( f_\theta \)
     * @param maxRows the largest batch, {@code > 0}
     * @return the loss with its work arrays
     * @throws IllegalArgumentException if {@code network} is null or {@code maxRows <= 0}
     */
    public static MlpSquaredErrorGradient of(Mlp network, int maxRows) {
        Arguments.notNull("network", network);
        Arguments.positive("maxRows", maxRows);
        return new MlpSquaredErrorGradient(network, maxRows);
    }

    /** @return the network */
    public Mlp network() {
        return network;
    }

    /** @return the largest batch this instance accepts */
    public int maxRows() {
        return maxRows;
    }

    /**
     * \( \mathcal L(\theta) \) over a batch, and its gradient with respect to the parameters, written into
     * {@code gradient}.
     *
     * @param inputs   \( B \times n_0 \), row-major
     * @param targets  \( B \times n_K \), row-major
     * @param rows     \( B \), at most {@link #maxRows()}
     * @param gradient receives \( \nabla_\theta \mathcal L \) (length {@link Mlp#parameterCount()})
     * @return the loss
     * @throws IllegalArgumentException on wrong lengths or {@code rows} outside {@code [1, maxRows]}
     */
    public double lossAndGradient(double[] inputs, double[] targets, int rows, double[] gradient) {
        Arguments.inRange("rows", rows, 1, maxRows);
        Arguments.length("inputs", inputs.length, rows * network.inputSize());
        Arguments.length("targets", targets.length, rows * network.outputSize());
        Arguments.length("gradient", gradient.length, network.parameterCount());
        int count = Chunks.count(rows, Mlp.CHUNK_ROWS);
        // The parameters may have changed since the last call (the trainer updates them in place).
        copyWeights();
        long costPerRow = 6L * network.parameterCount();
        Chunks.forEach(rows, Mlp.CHUNK_ROWS, costPerRow, (chunk, start, end) ->
                chunkLossAndGradient(inputs, targets, rows, start, end, chunks[chunk]));
        sumChunkGradients(count, gradient);
        double loss = 0;
        for (int c = 0; c < count; c++) {
            loss += chunks[c].loss;
        }
        return loss;
    }

    /**
     * The pull-back of an output gradient through the network: for inputs \( u_i \) and given vectors
     * \( g_i = \partial \mathcal F / \partial f_\theta(u_i) \) of some function \( \mathcal F \) of the outputs,
     * \[ \nabla_\theta \mathcal F = \sum_{i=1}^B J_\theta f_\theta(u_i)^\top g_i , \]
     * by the same backpropagation as {@link #lossAndGradient} with \( \delta_K = g_i \) (the chain rule of a
     * generator trained on a loss of its samples, survey section 4). Same chunking, so the same bits on one core or
     * two; allocates nothing.
     *
     * @param inputs         \( B \times n_0 \), row-major
     * @param outputGradient \( B \times n_K \), row-major, the vectors \( g_i \)
     * @param rows           \( B \), at most {@link #maxRows()}
     * @param gradient       receives \( \nabla_\theta \mathcal F \) (length {@link Mlp#parameterCount()})
     * @throws IllegalArgumentException on wrong lengths or {@code rows} outside {@code [1, maxRows]}
     */
    public void pullBack(double[] inputs, double[] outputGradient, int rows, double[] gradient) {
        Arguments.inRange("rows", rows, 1, maxRows);
        Arguments.length("inputs", inputs.length, rows * network.inputSize());
        Arguments.length("outputGradient", outputGradient.length, rows * network.outputSize());
        Arguments.length("gradient", gradient.length, network.parameterCount());
        copyWeights();
        long costPerRow = 6L * network.parameterCount();
        int nOut = network.outputSize();
        Chunks.forEach(rows, Mlp.CHUNK_ROWS, costPerRow, (chunk, start, end) -> {
            ChunkBuffers buf = chunks[chunk];
            forward(inputs, start, end, buf);
            for (int i = 0; i < end - start; i++) {
                System.arraycopy(outputGradient, (start + i) * nOut, buf.deltaA[i], 0, nOut);
            }
            backward(buf, end - start);
        });
        sumChunkGradients(Chunks.count(rows, Mlp.CHUNK_ROWS), gradient);
    }

    /** Copies the network's current weights into {@link #rows}, {@link #columns} and {@link #biases}. */
    private void copyWeights() {
        double[] theta = network.liveParameters();
        int[] sizes = network.layerSizes();
        for (int l = 0; l + 1 < sizes.length; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = network.weightOffset(l);
            for (int o = 0; o < nOut; o++) {
                System.arraycopy(theta, w + o * nIn, rows[l][o], 0, nIn);
            }
            for (int k = 0; k < nIn; k++) {
                double[] column = columns[l][k];
                for (int o = 0; o < nOut; o++) {
                    column[o] = theta[w + o * nIn + k];
                }
            }
            System.arraycopy(theta, network.biasOffset(l), biases[l], 0, nOut);
        }
    }

    /** {@code gradient} \( = \sum_c \) (chunk {@code c}'s gradient), from zero, chunks in ascending order. */
    private void sumChunkGradients(int count, double[] gradient) {
        Arrays.fill(gradient, 0);
        int[] sizes = network.layerSizes();
        for (int c = 0; c < count; c++) {
            ChunkBuffers buf = chunks[c];
            for (int l = 0; l + 1 < sizes.length; l++) {
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                int w = network.weightOffset(l);
                if (usesTransposedGradient(nIn, nOut)) {
                    double[][] gt = buf.transposedWeightGradient[l];
                    for (int o = 0; o < nOut; o++) {
                        for (int k = 0; k < nIn; k++) {
                            gradient[w + o * nIn + k] += gt[k][o];
                        }
                    }
                } else {
                    double[][] gw = buf.weightGradient[l];
                    for (int o = 0; o < nOut; o++) {
                        double[] row = gw[o];
                        int off = w + o * nIn;
                        for (int k = 0; k < nIn; k++) {
                            gradient[off + k] += row[k];
                        }
                    }
                }
                double[] gb = buf.biasGradient[l];
                int b = network.biasOffset(l);
                for (int o = 0; o < nOut; o++) {
                    gradient[b + o] += gb[o];
                }
            }
        }
    }

    /** The forward pass, loss and output deltas of rows {@code [start, end)}, then {@link #backward}. */
    private void chunkLossAndGradient(double[] inputs, double[] targets, int batch, int start, int end,
                                      ChunkBuffers buf) {
        int layers = network.layerSizes().length - 1;
        int r = end - start;
        forward(inputs, start, end, buf);
        int nOutLast = network.outputSize();
        double[][] out = buf.activations[layers];
        double scale = 2.0 / batch;
        double loss = 0;
        for (int i = 0; i < r; i++) {
            double[] outRow = out[i];
            double[] delta = buf.deltaA[i];
            for (int o = 0; o < nOutLast; o++) {
                double e = outRow[o] - targets[(start + i) * nOutLast + o];
                loss += e * e;
                delta[o] = scale * e;
            }
        }
        buf.loss = loss / batch;
        backward(buf, r);
    }

    /**
     * The forward pass of rows {@code [start, end)}: activations and activation derivatives into {@code buf}, and its
     * partial gradient cleared. Each layer is a small matrix product ({@link #affineWide} or {@link #affineNarrow});
     * a hidden layer then applies \( \sigma \) and keeps \( \sigma'(z) \) for the backward pass.
     */
    private void forward(double[] inputs, int start, int end, ChunkBuffers buf) {
        int[] sizes = network.layerSizes();
        Activation activation = network.activation();
        int layers = sizes.length - 1;
        int r = end - start;
        double[][][] act = buf.activations;
        buf.clearGradient();
        for (int i = 0; i < r; i++) {
            System.arraycopy(inputs, (start + i) * sizes[0], act[0][i], 0, sizes[0]);
        }
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            if (nOut < 8) {
                affineNarrow(rows[l], biases[l], nIn, nOut, act[l], r, act[l + 1]);
            } else {
                affineWide(columns[l], biases[l], nIn, nOut, act[l], r, act[l + 1]);
            }
            if (l < layers - 1) {
                for (int i = 0; i < r; i++) {
                    activate(activation, act[l + 1][i], buf.derivatives[l + 1][i], nOut);
                }
            }
        }
    }

    /**
     * \( a \leftarrow \sigma(z) \) and \( s \leftarrow \sigma'(z) \) in place over the first {@code n} entries of
     * {@code z}, with the same formulas (and bits) as {@link Activation#value} and {@link Activation#derivative(double)};
     * SiLU shares one exponential between the two.
     */
    private static void activate(Activation activation, double[] z, double[] derivative, int n) {
        if (activation == Activation.SILU) {
            // The exponentials first (scalar calls), then a loop free of calls, which the JIT vectorises.
            for (int i = 0; i < n; i++) {
                derivative[i] = Math.exp(-z[i]);
            }
            for (int i = 0; i < n; i++) {
                double x = z[i];
                double denominator = 1 + derivative[i];
                double s = 1 / denominator;
                z[i] = x / denominator;
                derivative[i] = s * (1 + x * (1 - s));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double x = z[i];
                z[i] = activation.value(x);
                derivative[i] = activation.derivative(x);
            }
        }
    }

    /**
     * \( z_i = b + \sum_k a_{ik} (W^\top)_k \) for rows {@code i < r}: each output row starts from the bias and adds
     * the columns of \( W^\top \) scaled by \( a_{ik} \), four per pass (for {@code k} ascending, the order of
     * {@link Mlp#affine}).
     */
    private static void affineWide(double[][] columns, double[] bias, int nIn, int nOut, double[][] a, int r,
                                   double[][] z) {
        for (int i = 0; i < r; i++) {
            double[] zi = z[i];
            double[] ai = a[i];
            System.arraycopy(bias, 0, zi, 0, nOut);
            addCombination(zi, columns, ai, nIn, nOut);
        }
    }

    /**
     * The same sums as {@link #affineWide} for few outputs (the output layer): each \( z_{io} \) is a dot product
     * with row {@code o} of \( W \) summed in a register, four rows of {@code a} at a time.
     */
    private static void affineNarrow(double[][] weights, double[] bias, int nIn, int nOut, double[][] a, int r,
                                     double[][] z) {
        int i = 0;
        for (; i + 4 <= r; i += 4) {
            double[] a0 = a[i];
            double[] a1 = a[i + 1];
            double[] a2 = a[i + 2];
            double[] a3 = a[i + 3];
            for (int o = 0; o < nOut; o++) {
                double[] wo = weights[o];
                double s0 = bias[o];
                double s1 = s0;
                double s2 = s0;
                double s3 = s0;
                for (int k = 0; k < nIn; k++) {
                    double wk = wo[k];
                    s0 += wk * a0[k];
                    s1 += wk * a1[k];
                    s2 += wk * a2[k];
                    s3 += wk * a3[k];
                }
                z[i][o] = s0;
                z[i + 1][o] = s1;
                z[i + 2][o] = s2;
                z[i + 3][o] = s3;
            }
        }
        for (; i < r; i++) {
            double[] ai = a[i];
            for (int o = 0; o < nOut; o++) {
                double[] wo = weights[o];
                double s = bias[o];
                for (int k = 0; k < nIn; k++) {
                    s += wo[k] * ai[k];
                }
                z[i][o] = s;
            }
        }
    }

    /**
     * Backpropagation through one chunk of {@code r} rows whose forward pass is in {@code buf} and whose output
     * deltas \( \delta_K \) are in {@code buf.deltaA}: accumulates the chunk's gradient into its gradient rows.
     * Every gradient entry is summed over the rows in ascending order, as in a row-by-row loop.
     */
    private void backward(ChunkBuffers buf, int r) {
        int[] sizes = network.layerSizes();
        int layers = sizes.length - 1;
        double[][][] act = buf.activations;
        double[][] delta = buf.deltaA;
        double[][] deltaPrev = buf.deltaB;
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            biasGradient(delta, r, nOut, buf.biasGradient[l]);
            if (usesTransposedGradient(nIn, nOut)) {
                sumOuterProducts(act[l], delta, r, nIn, nOut, buf.transposedWeightGradient[l]);
            } else {
                sumOuterProducts(delta, act[l], r, nOut, nIn, buf.weightGradient[l]);
            }
            if (l > 0) {
                propagate(delta, rows[l], r, nIn, nOut, buf.derivatives[l], deltaPrev);
                double[][] tmp = delta;
                delta = deltaPrev;
                deltaPrev = tmp;
            }
        }
    }

    /**
     * Whether a layer's weight gradient is summed transposed (rows of \( G^\top \)): few inputs (the first layer),
     * whose rows of \( G \) would be too short to vectorise.
     */
    private static boolean usesTransposedGradient(int nIn, int nOut) {
        return nIn < 8 && nIn < nOut;
    }

    /** \( g_o \mathrel{+}= \sum_i \delta_{io} \), rows in ascending order, four rows per pass. */
    private static void biasGradient(double[][] delta, int r, int nOut, double[] g) {
        int i = 0;
        for (; i + 4 <= r; i += 4) {
            double[] d0 = delta[i];
            double[] d1 = delta[i + 1];
            double[] d2 = delta[i + 2];
            double[] d3 = delta[i + 3];
            for (int o = 0; o < nOut; o++) {
                g[o] = g[o] + d0[o] + d1[o] + d2[o] + d3[o];
            }
        }
        for (; i < r; i++) {
            double[] d = delta[i];
            for (int o = 0; o < nOut; o++) {
                g[o] += d[o];
            }
        }
    }

    /**
     * \( y_p \mathrel{+}= \sum_{i < r} c_{ip}\, x_i \) for {@code p < count}, over vectors of {@code length}: rows
     * {@code i} in ascending order, four per pass over \( y_p \). With \( c = \delta \), \( x = a \) it is the weight
     * gradient \( G_{ok} \mathrel{+}= \sum_i \delta_{io} a_{ik} \) by rows of \( G \); with \( c = a \),
     * \( x = \delta \) the same sums by rows of \( G^\top \) (for layers with few inputs).
     */
    private static void sumOuterProducts(double[][] c, double[][] x, int r, int count, int length, double[][] y) {
        for (int p = 0; p < count; p++) {
            double[] yp = y[p];
            int i = 0;
            for (; i + 4 <= r; i += 4) {
                addScaled4(yp, x[i], c[i][p], x[i + 1], c[i + 1][p], x[i + 2], c[i + 2][p], x[i + 3], c[i + 3][p],
                        length);
            }
            for (; i < r; i++) {
                addScaled(yp, x[i], c[i][p], length);
            }
        }
    }

    /**
     * \( \delta_{l-1} = \sigma'(z_{l-1}) \odot W_l^\top \delta_l \) row by row into {@code deltaPrev}, the sum over
     * outputs \( o \) in ascending order from zero, four rows of \( W_l \) per pass.
     */
    private static void propagate(double[][] delta, double[][] weights, int r, int nIn, int nOut,
                                  double[][] derivative, double[][] deltaPrev) {
        for (int i = 0; i < r; i++) {
            double[] p = deltaPrev[i];
            double[] d = delta[i];
            Arrays.fill(p, 0, nIn, 0);
            addCombination(p, weights, d, nOut, nIn);
            double[] s = derivative[i];
            for (int k = 0; k < nIn; k++) {
                p[k] *= s[k];
            }
        }
    }

    /**
     * \( y \mathrel{+}= \sum_{k < count} c_k x_k \) over vectors of {@code length}, the terms added in ascending
     * {@code k}, four per pass over \( y \) (a matrix-vector product by rows of the matrix).
     */
    private static void addCombination(double[] y, double[][] x, double[] c, int count, int length) {
        int k = 0;
        for (; k + 4 <= count; k += 4) {
            addScaled4(y, x[k], c[k], x[k + 1], c[k + 1], x[k + 2], c[k + 2], x[k + 3], c[k + 3], length);
        }
        for (; k < count; k++) {
            addScaled(y, x[k], c[k], length);
        }
    }

    /**
     * \( y_j \leftarrow (((y_j + s_0 x_{0j}) + s_1 x_{1j}) + s_2 x_{2j}) + s_3 x_{3j} \) for {@code j < n}: four
     * axpys in one pass, each product added in turn (the bits of four separate axpys). All arrays start at index 0
     * (no offsets), which lets the JIT prove the store and the loads independent and vectorise the loop.
     */
    private static void addScaled4(double[] y, double[] x0, double s0, double[] x1, double s1, double[] x2, double s2,
                                   double[] x3, double s3, int n) {
        for (int j = 0; j < n; j++) {
            y[j] = y[j] + x0[j] * s0 + x1[j] * s1 + x2[j] * s2 + x3[j] * s3;
        }
    }

    /** \( y_j \leftarrow y_j + s x_j \) for {@code j < n}. */
    private static void addScaled(double[] y, double[] x, double s, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += x[j] * s;
        }
    }

    /** One line: {@code MlpSquaredErrorGradient[Mlp[3, 64, 64, 2][SILU, 4546 parameters], maxRows=256]}. */
    @Override
    public String toString() {
        return "MlpSquaredErrorGradient[" + network + ", maxRows=" + maxRows + "]";
    }

    /**
     * One chunk's rows: activations and activation derivatives per layer, two delta buffers, and its partial
     * gradient as rows (weight rows, or rows of the transpose for the first layer, and biases).
     */
    private static final class ChunkBuffers {
        final double[][][] activations;
        final double[][][] derivatives;
        final double[][] deltaA;
        final double[][] deltaB;
        final double[][][] weightGradient;
        final double[][][] transposedWeightGradient;
        final double[][] biasGradient;
        double loss;

        ChunkBuffers(int[] sizes, int maxWidth) {
            int layers = sizes.length - 1;
            activations = new double[sizes.length][][];
            derivatives = new double[sizes.length][][];
            for (int l = 0; l < sizes.length; l++) {
                activations[l] = new double[Mlp.CHUNK_ROWS][sizes[l]];
                derivatives[l] = l > 0 && l < layers ? new double[Mlp.CHUNK_ROWS][sizes[l]] : null;
            }
            deltaA = new double[Mlp.CHUNK_ROWS][maxWidth];
            deltaB = new double[Mlp.CHUNK_ROWS][maxWidth];
            weightGradient = new double[layers][][];
            transposedWeightGradient = new double[layers][][];
            biasGradient = new double[layers][];
            for (int l = 0; l < layers; l++) {
                if (usesTransposedGradient(sizes[l], sizes[l + 1])) {
                    transposedWeightGradient[l] = new double[sizes[l]][sizes[l + 1]];
                } else {
                    weightGradient[l] = new double[sizes[l + 1]][sizes[l]];
                }
                biasGradient[l] = new double[sizes[l + 1]];
            }
        }

        /** Zeroes the partial gradient. */
        void clearGradient() {
            for (int l = 0; l < biasGradient.length; l++) {
                double[][] g = weightGradient[l] != null ? weightGradient[l] : transposedWeightGradient[l];
                for (double[] row : g) {
                    Arrays.fill(row, 0);
                }
                Arrays.fill(biasGradient[l], 0);
            }
        }
    }
}
