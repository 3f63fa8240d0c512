package org.measureflow.gradientflow.meanfield;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.nn.Activation;

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
    /**
     * A smooth path of layer parameters \( t \mapsto \theta(t) = (W(t), b(t), U(t)) \), \( t \in [0, 1] \), in the
     * layout of one layer: the parameters of the neural ODE (eq. 25), sampled at \( t = l/L \) by
     * {@link ResidualNetwork#sampled}.
     */
    @FunctionalInterface
    public interface ParameterPath {
        /**
         * Writes \( \theta(t) \) into {@code out}.
         *
         * @param t   the depth time, in \( [0, 1] \)
         * @param out the parameters \( (W, b, U) \) of one layer, length \( 2hd + h \), overwritten
         */
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

    /**
     * Parameters of one layer, \( 2 h d + h \).
     *
     * @param d the state dimension, {@code > 0}
     * @param h the hidden width, {@code > 0}
     * @return \( 2hd + h \)
     * @throws IllegalArgumentException if a size is not positive or the count overflows an array index
     */
    public static int layerSize(int d, int h) {
        Arguments.positive("d", d);
        Arguments.positive("h", h);
        Arguments.product("2 * h * d", 2, h, d);
        return Arguments.product("(2 * d + 1) * h", 2 * d + 1, h);
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
        Arguments.length("parameters", parameters.length, Arguments.product("layers * layerSize", layers,
                layerSize(d, h)));
        return new ResidualNetwork(d, h, layers, activation, parameters.clone());
    }

    /** The network of \( L \) layers with \( \theta_l = \theta(l / L) \) (Euler sampling of the path). */
    public static ResidualNetwork sampled(ParameterPath path, int d, int h, int layers, Activation activation) {
        Arguments.notNull("path", path);
        Arguments.positive("layers", layers);
        int p = layerSize(d, h);
        double[] theta = new double[Arguments.product("layers * layerSize", layers, p)];
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

    /**
     * The output \( x_L \) for the input \( x_0 \).
     *
     * @param x0 the input, length \( d \), finite
     * @return \( x_L \)
     * @throws IllegalArgumentException if {@code x0} is null, has the wrong length or a non-finite entry, or the
     *                                  output overflows (naming {@code x0})
     */
    public double[] apply(double[] x0) {
        Arguments.notNull("x0", x0);
        Arguments.length("x0", x0.length, d);
        Arguments.finite("x0", x0);
        double[] x = x0.clone();
        double[] hidden = new double[h];
        int p = layerSize(d, h);
        for (int l = 0; l < layers; l++) {
            layerUpdate(theta, l * p, d, h, activation, x.clone(), 0, hidden, 0, x, 0, 1.0 / layers, true);
        }
        return Arguments.finiteResult("x0", "x_L", x);
    }

    /** State dimension \( d \). */
    public int dimension() {
        return d;
    }

    /**
     * The hidden width \( h \) of a layer.
     *
     * @return \( h \)
     */
    public int hiddenWidth() {
        return h;
    }

    /** Number of layers \( L \). */
    public int layers() {
        return layers;
    }

    /**
     * The activation \( \sigma \).
     *
     * @return \( \sigma \)
     */
    public Activation activation() {
        return activation;
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
        Arguments.notNull("z", z);
        Arguments.notNull("y", y);
        Arguments.notNull("gradient", gradient);
        int size = Arguments.product("m * d", Arguments.positive("m", m), d);
        Arguments.length("z", z.length, size);
        Arguments.length("y", y.length, size);
        Arguments.length("gradient", gradient.length, theta.length);
        Arrays.fill(gradient, 0);
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
     * @param z            the inputs, \( m \times d \), flat
     * @param y            the targets, \( m \times d \), flat
     * @param m            the number of samples
     * @param learningRate \( \eta \), finite and {@code > 0}
     * @param steps        the number of steps, {@code > 0}
     * @return the trained network and the loss before each step and after the last
     * @throws IllegalArgumentException on invalid sizes, a non-positive rate or step count, or a loss that
     *                                  overflows (at the start: naming {@code z and y}; later: the descent diverged,
     *                                  naming {@code learningRate})
     */
    public ResidualTrainingResult train(double[] z, double[] y, int m, double learningRate, long steps) {
        return train(z, y, m, learningRate, steps, IterationObserver.none());
    }

    /**
     * {@link #train(double[], double[], int, double, long)}, reporting every step to {@code observer}: the step
     * count, the loss before the step (its error) and the fraction done {@code step / steps}. Training stops after a
     * step for which the observer returns {@code false} (the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED}).
     *
     * @param z            the inputs, \( m \times d \), flat
     * @param y            the targets, \( m \times d \), flat
     * @param m            the number of samples
     * @param learningRate \( \eta \), finite and {@code > 0}
     * @param steps        the number of steps, {@code > 0}
     * @param observer     called after every step
     * @return the trained network and the loss before each step and after the last
     * @throws IllegalArgumentException on invalid sizes, a non-positive rate or step count, a null observer, or a
     *                                  loss that overflows (as {@link #train(double[], double[], int, double, long)})
     */
    public ResidualTrainingResult train(double[] z, double[] y, int m, double learningRate, long steps,
                                        IterationObserver observer) {
        Arguments.positive("learningRate", learningRate);
        Arguments.positive("steps", steps);
        Arguments.atMost("steps", steps, Integer.MAX_VALUE - 1L);
        Arguments.notNull("observer", observer);
        double[] th = theta.clone();
        double[] g = new double[th.length];
        double[] losses = new double[(int) steps + 1];
        ResidualNetwork current = this;
        int done = 0;
        boolean stopped = false;
        while (done < steps) {
            losses[done] = requireFiniteLoss(current.lossAndGradient(z, y, m, g), done, learningRate);
            for (int i = 0; i < th.length; i++) {
                th[i] -= learningRate * layers * g[i];
            }
            current = new ResidualNetwork(d, h, layers, activation, th.clone());
            done++;
            if (!observer.observe(new IterationStatus(done, losses[done - 1], (double) done / steps))
                    && done < steps) {
                stopped = true;
                break;
            }
        }
        losses[done] = requireFiniteLoss(current.lossAndGradient(z, y, m, g), done, learningRate);
        return new ResidualTrainingResult(current, Arrays.copyOf(losses, done + 1),
                Convergence.completed(done, losses[done], stopped));
    }

    /**
     * The loss after {@code step} steps, if finite: an overflowing initial loss names the data and this network's
     * parameters, a later one the learning rate (the descent diverged).
     */
    private static double requireFiniteLoss(double loss, int step, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException(step == 0
                    ? "z and y: the initial loss overflows double precision (got " + loss
                    + "); the data or the parameters are too large"
                    : "learningRate: the loss diverged at step " + step + " (got " + loss + "); lower the rate "
                    + learningRate);
        }
        return loss;
    }

    /** One line: {@code ResidualNetwork[d=3, h=8, L=16, TANH]}. */
    @Override
    public String toString() {
        return "ResidualNetwork[d=" + d + ", h=" + h + ", L=" + layers + ", " + activation + "]";
    }
}
