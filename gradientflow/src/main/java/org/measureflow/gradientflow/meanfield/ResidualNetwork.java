package org.measureflow.gradientflow.meanfield;

import org.measureflow.core.nn.Activation;
import org.measureflow.core.Arguments;
import org.measureflow.core.field.VectorField;

/**
 * A residual network with \( 1/L \) scaling (survey eq. 24) and its neural-ODE limit (eq. 25):
 * \[ x_{l+1} = x_l + \frac1L U_l\, \sigma(W_l x_l + b_l), \quad l = 0, \dots, L-1, \qquad
 *    \dot x(t) = U(t)\,\sigma(W(t) x(t) + b(t)), \quad t \in [0, 1] . \]
 * With \( \theta_l = \theta(l/L) \) sampled from a smooth parameter path, the network is the explicit Euler scheme
 * of the ODE with step \( 1/L \), so its output converges to the ODE's flow at first order in \( 1/L \).
 *
 * <p>Parameters of a layer, \( W \) (\( h \times d \), row-major), \( b \) (\( h \)), \( U \) (\( d \times h \)),
 * are stored one layer after the other in one flat array. {@link #lossAndGradient} gives the mean squared error
 * \( \frac{1}{2m}\sum_k |x_L(z_k) - y_k|^2 \) and its gradient by backpropagation (the discrete adjoint
 * \( p_l = p_{l+1} + \frac1L W_l^\top(\sigma'(W_l x_l + b_l) \odot U_l^\top p_{l+1}) \)); {@link #train} runs
 * gradient descent with the step multiplied by \( L \), the depth-independent scaling under which the layers
 * move as a parameter path \( \theta(t) \) does. Immutable.
 */
public final class ResidualNetwork {
    /** A path of layer parameters \( t \mapsto \theta(t) = (W(t), b(t), U(t)) \) in the layout of one layer. */
    @FunctionalInterface
    public interface ParameterPath {
        /** Writes \( \theta(t) \) into {@code out} (length \( 2hd + h \)). */
        void parameters(double t, double[] out);
    }

    private final int d;
    private final int h;
    private final int layers;
    private final Activation activation;
    private final double[] theta;

    private ResidualNetwork(int d, int h, int layers, Activation activation, double[] theta) {
        this.d = d;
        this.h = h;
        this.layers = layers;
        this.activation = activation;
        this.theta = theta;
    }

    /** Parameters of one layer, \( 2 h d + h \). */
    public static int layerSize(int d, int h) {
        return 2 * h * d + h;
    }

    /**
     * The network with given parameters (copied).
     *
     * @throws IllegalArgumentException on non-positive sizes, a wrong parameter count or non-finite values
     */
    public static ResidualNetwork of(int d, int h, int layers, Activation activation, double[] parameters) {
        Arguments.positive("d", d);
        Arguments.positive("h", h);
        Arguments.positive("layers", layers);
        Arguments.notNull("activation", activation);
        Arguments.finite("parameters", parameters);
        Arguments.length("parameters", parameters.length, layers * layerSize(d, h));
        return new ResidualNetwork(d, h, layers, activation, parameters.clone());
    }

    /** The network of \( L \) layers with \( \theta_l = \theta(l / L) \) (Euler sampling of the path). */
    public static ResidualNetwork sampled(ParameterPath path, int d, int h, int layers, Activation activation) {
        Arguments.notNull("path", path);
        Arguments.positive("layers", layers);
        int p = layerSize(d, h);
        double[] theta = new double[layers * p];
        double[] one = new double[p];
        for (int l = 0; l < layers; l++) {
            path.parameters((double) l / layers, one);
            System.arraycopy(one, 0, theta, l * p, p);
        }
        return of(d, h, layers, activation, theta);
    }

    /** The neural ODE's field \( v_t(x) = U(t)\sigma(W(t)x + b(t)) \) (eq. 25) for the core integrators. */
    public static VectorField neuralOde(ParameterPath path, int d, int h, Activation activation) {
        Arguments.notNull("path", path);
        Arguments.notNull("activation", activation);
        int p = layerSize(d, h);
        ThreadLocal<double[]> scratch = ThreadLocal.withInitial(() -> new double[p + h]);
        return (t, x, xo, out, oo) -> {
            double[] s = scratch.get();
            path.parameters(t, s);
            layerUpdate(s, 0, d, h, activation, x, xo, s, p, out, oo, 1.0, false);
        };
    }

    /**
     * Writes \( \text{scale} \cdot U\sigma(Wx + b) \) (added to {@code out} when {@code add}) using {@code hidden}
     * (length h at {@code ho}) as scratch.
     */
    private static void layerUpdate(double[] th, int off, int d, int h, Activation act, double[] x, int xo,
                                    double[] hidden, int ho, double[] out, int oo, double scale, boolean add) {
        int wOff = off;
        int bOff = off + h * d;
        int uOff = bOff + h;
        for (int j = 0; j < h; j++) {
            double z = th[bOff + j];
            for (int c = 0; c < d; c++) {
                z += th[wOff + j * d + c] * x[xo + c];
            }
            hidden[ho + j] = act.value(z);
        }
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int j = 0; j < h; j++) {
                s += th[uOff + c * h + j] * hidden[ho + j];
            }
            out[oo + c] = (add ? out[oo + c] : 0) + scale * s;
        }
    }

    /** The output \( x_L \) for the input \( x_0 \). */
    public double[] apply(double[] x0) {
        Arguments.length("x0", x0.length, d);
        double[] x = x0.clone();
        double[] hidden = new double[h];
        int p = layerSize(d, h);
        for (int l = 0; l < layers; l++) {
            layerUpdate(theta, l * p, d, h, activation, x.clone(), 0, hidden, 0, x, 0, 1.0 / layers, true);
        }
        return x;
    }

    /** State dimension \( d \). */
    public int dimension() {
        return d;
    }

    /** Number of layers \( L \). */
    public int layers() {
        return layers;
    }

    /** A copy of the parameters. */
    public double[] parameters() {
        return theta.clone();
    }

    /**
     * The loss \( \frac{1}{2m}\sum_k |x_L(z_k) - y_k|^2 \) over {@code m} inputs {@code z} and targets {@code y}
     * (both \( m \times d \), flat), with its gradient written into {@code gradient}.
     */
    public double lossAndGradient(double[] z, double[] y, int m, double[] gradient) {
        Arguments.length("z", z.length, m * d);
        Arguments.length("y", y.length, m * d);
        Arguments.length("gradient", gradient.length, theta.length);
        java.util.Arrays.fill(gradient, 0);
        int p = layerSize(d, h);
        double[] states = new double[(layers + 1) * d];
        double[] pre = new double[layers * h];
        double[] adj = new double[d];
        double[] back = new double[h];
        double inv = 1.0 / layers;
        double loss = 0;
        for (int k = 0; k < m; k++) {
            System.arraycopy(z, k * d, states, 0, d);
            for (int l = 0; l < layers; l++) {
                int off = l * p;
                for (int j = 0; j < h; j++) {
                    double s = theta[off + h * d + j];
                    for (int c = 0; c < d; c++) {
                        s += theta[off + j * d + c] * states[l * d + c];
                    }
                    pre[l * h + j] = s;
                }
                for (int c = 0; c < d; c++) {
                    double s = 0;
                    for (int j = 0; j < h; j++) {
                        s += theta[off + h * d + h + c * h + j] * activation.value(pre[l * h + j]);
                    }
                    states[(l + 1) * d + c] = states[l * d + c] + inv * s;
                }
            }
            for (int c = 0; c < d; c++) {
                double e = states[layers * d + c] - y[k * d + c];
                loss += 0.5 * e * e / m;
                adj[c] = e / m;
            }
            for (int l = layers - 1; l >= 0; l--) {
                int off = l * p;
                int uOff = off + h * d + h;
                for (int j = 0; j < h; j++) {
                    double sig = activation.value(pre[l * h + j]);
                    double utp = 0;
                    for (int c = 0; c < d; c++) {
                        utp += theta[uOff + c * h + j] * adj[c];
                        gradient[uOff + c * h + j] += inv * adj[c] * sig;
                    }
                    back[j] = inv * activation.derivative(pre[l * h + j]) * utp;
                    gradient[off + h * d + j] += back[j];
                    for (int c = 0; c < d; c++) {
                        gradient[off + j * d + c] += back[j] * states[l * d + c];
                    }
                }
                for (int c = 0; c < d; c++) {
                    double s = 0;
                    for (int j = 0; j < h; j++) {
                        s += theta[off + j * d + c] * back[j];
                    }
                    adj[c] += s;
                }
            }
        }
        return loss;
    }

    /**
     * Gradient descent on the loss: \( \theta_l \leftarrow \theta_l - \eta L \nabla_{\theta_l}\mathcal L \) for
     * {@code steps} steps (the factor \( L \) makes the update of a layer independent of the depth).
     *
     * @return the trained network and, in {@code lossHistory} (length {@code steps + 1}), the loss before each
     *         step and after the last
     */
    public ResidualNetwork train(double[] z, double[] y, int m, double learningRate, int steps, double[] lossHistory) {
        Arguments.positive("learningRate", learningRate);
        Arguments.positive("steps", steps);
        Arguments.length("lossHistory", lossHistory.length, steps + 1);
        double[] th = theta.clone();
        double[] g = new double[th.length];
        ResidualNetwork current = this;
        for (int s = 0; s < steps; s++) {
            lossHistory[s] = current.lossAndGradient(z, y, m, g);
            for (int i = 0; i < th.length; i++) {
                th[i] -= learningRate * layers * g[i];
            }
            current = new ResidualNetwork(d, h, layers, activation, th.clone());
        }
        lossHistory[steps] = current.lossAndGradient(z, y, m, g);
        return current;
    }

    @Override
    public String toString() {
        return "ResidualNetwork[d=" + d + ", h=" + h + ", L=" + layers + ", " + activation + "]";
    }
}
