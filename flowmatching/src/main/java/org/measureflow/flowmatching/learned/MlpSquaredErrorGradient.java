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
 */
public final class MlpSquaredErrorGradient {
    private final Mlp network;
    private final int maxRows;
    private final ChunkBuffers[] chunks;
    private final double[] transposed;

    private MlpSquaredErrorGradient(Mlp network, int maxRows) {
        this.network = network;
        this.maxRows = maxRows;
        int count = Chunks.count(maxRows, Mlp.CHUNK_ROWS);
        this.chunks = new ChunkBuffers[count];
        int[] sizes = network.layerSizes();
        int maxWidth = Arrays.stream(sizes).max().orElseThrow();
        for (int c = 0; c < count; c++) {
            chunks[c] = new ChunkBuffers(sizes, maxWidth, network.parameterCount());
        }
        this.transposed = new double[network.parameterCount()];
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
        network.transposeWeights(network.liveParameters(), transposed);
        long costPerRow = 6L * network.parameterCount();
        Chunks.forEach(rows, Mlp.CHUNK_ROWS, costPerRow, (chunk, start, end) ->
                chunkLossAndGradient(inputs, targets, rows, start, end, chunks[chunk]));
        Arrays.fill(gradient, 0);
        double loss = 0;
        for (int c = 0; c < count; c++) {
            ChunkBuffers buf = chunks[c];
            loss += buf.loss;
            double[] g = buf.gradient;
            for (int i = 0; i < g.length; i++) {
                gradient[i] += g[i];
            }
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
        network.transposeWeights(network.liveParameters(), transposed);
        long costPerRow = 6L * network.parameterCount();
        Chunks.forEach(rows, Mlp.CHUNK_ROWS, costPerRow, (chunk, start, end) -> {
            ChunkBuffers buf = chunks[chunk];
            forward(inputs, start, end, buf);
            int nOut = network.outputSize();
            System.arraycopy(outputGradient, start * nOut, buf.deltaA, 0, (end - start) * nOut);
            backward(buf, end - start);
        });
        Arrays.fill(gradient, 0);
        int count = Chunks.count(rows, Mlp.CHUNK_ROWS);
        for (int c = 0; c < count; c++) {
            double[] g = chunks[c].gradient;
            for (int i = 0; i < g.length; i++) {
                gradient[i] += g[i];
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
        double[] out = buf.activations[layers];
        double[] delta = buf.deltaA;
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
        backward(buf, r);
    }

    /**
     * The forward pass of rows {@code [start, end)}: activations and pre-activations into {@code buf}, and its
     * partial gradient cleared.
     */
    private void forward(double[] inputs, int start, int end, ChunkBuffers buf) {
        int[] sizes = network.layerSizes();
        Activation activation = network.activation();
        int layers = sizes.length - 1;
        int r = end - start;
        double[][] act = buf.activations;
        double[][] pre = buf.preActivations;
        Arrays.fill(buf.gradient, 0);
        System.arraycopy(inputs, start * sizes[0], act[0], 0, r * sizes[0]);
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = network.weightOffset(l);
            int b = network.biasOffset(l);
            boolean last = l == layers - 1;
            double[] ain = act[l];
            double[] z = pre[l + 1];
            double[] aout = act[l + 1];
            double[] wt = transposed;
            for (int i = 0; i < r; i++) {
                int outRow = i * nOut;
                Mlp.affine(wt, w, b, nIn, nOut, ain, i * nIn, z, outRow);
                for (int o = 0; o < nOut; o++) {
                    aout[outRow + o] = last ? z[outRow + o] : activation.value(z[outRow + o]);
                }
            }
        }
    }

    /**
     * Backpropagation through one chunk of {@code r} rows whose forward pass is in {@code buf} and whose output
     * deltas \( \delta_K \) are in {@code buf.deltaA}: accumulates the chunk's gradient into {@code buf.gradient}.
     */
    private void backward(ChunkBuffers buf, int r) {
        int[] sizes = network.layerSizes();
        double[] theta = network.liveParameters();
        Activation activation = network.activation();
        int layers = sizes.length - 1;
        double[][] act = buf.activations;
        double[][] pre = buf.preActivations;
        double[] delta = buf.deltaA;
        double[] deltaPrev = buf.deltaB;
        double[] g = buf.gradient;
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = network.weightOffset(l);
            int b = network.biasOffset(l);
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

    /** One line: {@code MlpSquaredErrorGradient[Mlp[3, 64, 64, 2][SILU, 4546 parameters], maxRows=256]}. */
    @Override
    public String toString() {
        return "MlpSquaredErrorGradient[" + network + ", maxRows=" + maxRows + "]";
    }

    /** One chunk's activations, pre-activations, deltas and partial gradient. */
    private static final class ChunkBuffers {
        final double[][] activations;
        final double[][] preActivations;
        final double[] deltaA;
        final double[] deltaB;
        final double[] gradient;
        double loss;

        ChunkBuffers(int[] sizes, int maxWidth, int parameters) {
            activations = new double[sizes.length][];
            preActivations = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                activations[l] = new double[Mlp.CHUNK_ROWS * sizes[l]];
                preActivations[l] = new double[Mlp.CHUNK_ROWS * sizes[l]];
            }
            deltaA = new double[Mlp.CHUNK_ROWS * maxWidth];
            deltaB = new double[Mlp.CHUNK_ROWS * maxWidth];
            gradient = new double[parameters];
        }
    }
}
