package org.measureflow.gradientflow.meanfield;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.core.parallel.Chunks;

/**
 * A two-layer network whose neurons are the particles of a measure (survey section 6.1, eq. 20):
 * \[ f_\mu(x) = \int \phi(\theta, x)\, d\mu(\theta), \qquad \phi(\theta, x) = a\, \sigma(\langle w, x\rangle + b),
 *    \qquad \theta = (a, w, b) \in \mathbb{R}^{d+2}, \]
 * so with \( N \) neurons of weights \( w_i \) (uniform: \( 1/N \)) in the mean-field scaling
 * \( f(x) = \sum_i w_i\, a_i \sigma(\langle w_i, x\rangle + b_i) \), and in the lazy scaling
 * \( f(x) = N^{-1/2}\sum_i a_i \sigma(\langle w_i, x\rangle + b_i) \) ({@link Scaling}).
 *
 * <p>A neuron is stored as the row \( (a, w_1, \dots, w_d, b) \) of a {@link ParticleMeasure} of dimension
 * \( d + 2 \). Evaluations cost \( O(N d) \) per input and run over fixed chunks of inputs on both cores, with the
 * same bits as serially. Immutable.
 */
public final class TwoLayerNetwork {
    private final ParticleMeasure neurons;
    private final Activation activation;
    private final Scaling scaling;

    private TwoLayerNetwork(ParticleMeasure neurons, Activation activation, Scaling scaling) {
        this.neurons = neurons;
        this.activation = activation;
        this.scaling = scaling;
    }

    /**
     * The network of the given neurons.
     *
     * @param neurons    the neurons \( (a, w, b) \), of dimension \( d + 2 \)
     * @param activation \( \sigma \)
     * @param scaling    mean-field or lazy
     * @return the network
     * @throws IllegalArgumentException on null arguments, neurons of dimension below 3 (\( d \ge 1 \)), or
     *                                  non-uniform weights with the lazy scaling
     */
    public static TwoLayerNetwork of(ParticleMeasure neurons, Activation activation, Scaling scaling) {
        Arguments.notNull("neurons", neurons);
        Arguments.notNull("activation", activation);
        Arguments.notNull("scaling", scaling);
        Arguments.atLeast("neurons (dimension d + 2 of (a, w, b))", neurons.dimension(), 3);
        if (scaling == Scaling.LAZY && !neurons.isUniform()) {
            // a rule of the model, not of one argument: the lazy output factor N^{-1/2} assumes uniform weights
            throw new IllegalArgumentException("neurons must have uniform weights in the lazy scaling");
        }
        return new TwoLayerNetwork(neurons, activation, scaling);
    }

    /**
     * The neurons.
     *
     * @return the neurons
     */
    public ParticleMeasure neurons() {
        return neurons;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** The scaling. */
    public Scaling scaling() {
        return scaling;
    }

    /** Input dimension \( d \). */
    public int inputDimension() {
        return neurons.dimension() - 2;
    }

    /**
     * \( f(x) \) at one input.
     *
     * @param x the input, length \( d \)
     * @return \( f(x) \)
     * @throws IllegalArgumentException if {@code x} is null or has the wrong length
     */
    public double apply(double[] x) {
        Arguments.notNull("x", x);
        Arguments.length("x", x.length, inputDimension());
        double[] out = new double[1];
        Arguments.finite("x", x);
        outputs(neurons.flatPoints(), neurons.size(), weightsOrNull(), activation, scaling, x, 1, inputDimension(),
                out);
        return Arguments.finiteResult("x", "f(x)", out[0]);
    }

    /**
     * \( f(x_k) \) for every input of the data set.
     *
     * @throws IllegalArgumentException if {@code data} is null or of another dimension, or an output overflows
     */
    public double[] outputs(RegressionData data) {
        checkData(data);
        double[] out = new double[data.size()];
        outputs(neurons.flatPoints(), neurons.size(), weightsOrNull(), activation, scaling, data.flatInputs(),
                data.size(), data.dimension(), out);
        return Arguments.finiteResult("data", "the network's output", out);
    }

    /**
     * The risk \( R = \frac{1}{2m} \sum_k (f(x_k) - y_k)^2 \) (survey eq. 19).
     *
     * @throws IllegalArgumentException as {@link #outputs(RegressionData)}, or if the risk overflows
     */
    public double risk(RegressionData data) {
        double[] f = outputs(data);
        return Arguments.finiteResult("data", "the risk", halfMeanSquare(f, data.flatTargets()));
    }

    /**
     * The Euclidean gradient \( \partial R / \partial \theta_i \) of the risk with respect to every neuron, flat
     * \( N \times (d+2) \): \( \partial_{\theta_i} R = c_i \frac1m \sum_k (f(x_k) - y_k) \nabla_\theta\phi(\theta_i,
     * x_k) \), \( c_i = w_i \) (mean field) or \( N^{-1/2} \) (lazy).
     *
     * @throws IllegalArgumentException as {@link #outputs(RegressionData)}, or if the gradient overflows
     */
    public double[] riskGradient(RegressionData data) {
        checkData(data);
        int n = neurons.size();
        int dim = neurons.dimension();
        double[] theta = neurons.flatPoints();
        double[] r = outputs(data);
        double[] y = data.flatTargets();
        for (int k = 0; k < r.length; k++) {
            r[k] -= y[k];
        }
        double[] out = new double[n * dim];
        neuronGradients(theta, n, dim, activation, data.flatInputs(), r, data.size(), out);
        double[] w = weightsOrNull();
        for (int i = 0; i < n; i++) {
            double c = w == null ? scaling.outputFactor(n) : w[i];
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] *= c;
            }
        }
        return Arguments.finiteResult("data", "the risk gradient", out);
    }

    private double[] weightsOrNull() {
        return neurons.isUniform() ? null : neurons.weights();
    }

    private void checkData(RegressionData data) {
        Arguments.notNull("data", data);
        Arguments.sameDimension("data", data.dimension(), inputDimension(), "the network's inputs");
    }

    static double halfMeanSquare(double[] f, double[] y) {
        double s = 0;
        for (int k = 0; k < f.length; k++) {
            double e = f[k] - y[k];
            s += e * e;
        }
        return 0.5 * s / f.length;
    }

    /**
     * \( f(x_k) = \sum_i c_i a_i\sigma(\langle w_i, x_k\rangle + b_i) \) for {@code m} inputs, with \( c_i \) the
     * weights (or the scaling's factor when {@code weights} is null), over chunks of inputs.
     */
    static void outputs(double[] theta, int n, double[] weights, Activation act, Scaling scaling, double[] x, int m,
                        int d, double[] out) {
        int dim = d + 2;
        double uniform = scaling.outputFactor(n);
        Chunks.forEach(m, 64, 4L * n * dim, (chunk, start, end) -> {
            for (int k = start; k < end; k++) {
                int xo = k * d;
                double f = 0;
                int i = 0;
                // Four neurons at a time: four independent dot-product chains instead of one latency-bound chain.
                for (; i + 3 < n; i += 4) {
                    int o0 = i * dim;
                    int o1 = o0 + dim;
                    int o2 = o1 + dim;
                    int o3 = o2 + dim;
                    double z0 = theta[o0 + dim - 1];
                    double z1 = theta[o1 + dim - 1];
                    double z2 = theta[o2 + dim - 1];
                    double z3 = theta[o3 + dim - 1];
                    for (int c = 0; c < d; c++) {
                        double xc = x[xo + c];
                        z0 += theta[o0 + 1 + c] * xc;
                        z1 += theta[o1 + 1 + c] * xc;
                        z2 += theta[o2 + 1 + c] * xc;
                        z3 += theta[o3 + 1 + c] * xc;
                    }
                    f += (weights == null ? uniform : weights[i]) * theta[o0] * act.value(z0);
                    f += (weights == null ? uniform : weights[i + 1]) * theta[o1] * act.value(z1);
                    f += (weights == null ? uniform : weights[i + 2]) * theta[o2] * act.value(z2);
                    f += (weights == null ? uniform : weights[i + 3]) * theta[o3] * act.value(z3);
                }
                for (; i < n; i++) {
                    int o = i * dim;
                    double z = theta[o + dim - 1];
                    for (int c = 0; c < d; c++) {
                        z += theta[o + 1 + c] * x[xo + c];
                    }
                    f += (weights == null ? uniform : weights[i]) * theta[o] * act.value(z);
                }
                out[k] = f;
            }
        });
    }

    /**
     * Writes \( g_i = \frac1m \sum_k r_k \nabla_\theta \phi(\theta_i, x_k) \) for every neuron, with
     * \( \nabla_\theta\phi = (\sigma(z), a\sigma'(z) x, a\sigma'(z)) \), \( z = \langle w, x\rangle + b \), over
     * chunks of neurons.
     */
    static void neuronGradients(double[] theta, int n, int dim, Activation act, double[] x, double[] r, int m,
                                double[] out) {
        int d = dim - 2;
        double inv = 1.0 / m;
        Chunks.forEach(n, 16, 4L * m * dim, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int o = i * dim;
                double a = theta[o];
                double b = theta[o + dim - 1];
                double ga = 0;
                double gb = 0;
                for (int c = 0; c < dim; c++) {
                    out[o + c] = 0;
                }
                int k = 0;
                // Two samples at a time: two independent dot-product chains.
                for (; k + 1 < m; k += 2) {
                    int x0 = k * d;
                    int x1 = x0 + d;
                    double z0 = b;
                    double z1 = b;
                    for (int c = 0; c < d; c++) {
                        double w = theta[o + 1 + c];
                        z0 += w * x[x0 + c];
                        z1 += w * x[x1 + c];
                    }
                    double sigma0 = act.value(z0);
                    double sigma1 = act.value(z1);
                    ga += r[k] * sigma0 + r[k + 1] * sigma1;
                    double s0 = r[k] * a * act.derivative(z0, sigma0);
                    double s1 = r[k + 1] * a * act.derivative(z1, sigma1);
                    gb += s0 + s1;
                    for (int c = 0; c < d; c++) {
                        out[o + 1 + c] += s0 * x[x0 + c] + s1 * x[x1 + c];
                    }
                }
                for (; k < m; k++) {
                    int xo = k * d;
                    double z = b;
                    for (int c = 0; c < d; c++) {
                        z += theta[o + 1 + c] * x[xo + c];
                    }
                    double sigma = act.value(z);
                    ga += r[k] * sigma;
                    double s = r[k] * a * act.derivative(z, sigma);
                    gb += s;
                    for (int c = 0; c < d; c++) {
                        out[o + 1 + c] += s * x[xo + c];
                    }
                }
                out[o] = ga * inv;
                for (int c = 0; c < d; c++) {
                    out[o + 1 + c] *= inv;
                }
                out[o + dim - 1] = gb * inv;
            }
        });
    }

    /** One line: {@code TwoLayerNetwork[N=60, d=2, RELU, MEAN_FIELD]}. */
    @Override
    public String toString() {
        return "TwoLayerNetwork[N=" + neurons.size() + ", d=" + inputDimension() + ", " + activation + ", " + scaling
                + "]";
    }
}
