package org.measureflow.gradientflow.meanfield;

import org.measureflow.core.Arguments;
import org.measureflow.core.nn.Activation;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InteractionPotential;
import org.measureflow.gradientflow.energy.MeasureEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;

/**
 * The quadratic risk of a two-layer network as an energy on the measure of its neurons (survey eqs. 19&ndash;22):
 * \[ R(\mu) = \frac{1}{2m}\sum_k \big(f_\mu(x_k) - y_k\big)^2
 *    = C + \int V\, d\mu + \frac12 \iint K\, d\mu\, d\mu, \]
 * \[ V(\theta) = -\frac1m \sum_k y_k \phi(\theta, x_k), \qquad K(\theta, \theta') = \frac1m \sum_k \phi(\theta, x_k)
 *    \phi(\theta', x_k), \qquad C = \frac{1}{2m}\sum_k y_k^2 , \]
 * a potential plus an interaction energy of this module (eq. 22, {@link #interactionPotential()}, {@link #potential()},
 * {@link #asPotentialPlusInteraction()}), with first variation
 * \( \frac{\delta R}{\delta\mu}(\theta) = \frac1m\sum_k (f(x_k) - y_k)\phi(\theta, x_k) \). Its Wasserstein gradient
 * flow (eq. 21) moves each neuron at
 * \[ \dot\theta_i = -\nabla_\theta \frac{\delta R}{\delta\mu}(\theta_i)
 *    = -\frac1m \sum_k \big(f(x_k) - y_k\big) \nabla_\theta\phi(\theta_i, x_k), \]
 * which is gradient descent on the neurons with the step scaled by \( N \) (mean field). This class evaluates that
 * velocity in \( O(N m d) \) (outputs first, then one pass per neuron), not through the \( O(N^2 m d) \) double sum;
 * the two routes agree (a test checks it). With {@link Scaling#LAZY} the velocity is \( -\partial_{\theta_i} R \)
 * for \( f = N^{-1/2}\sum_i\phi(\theta_i,\cdot) \) instead.
 *
 * <p>Being a {@link ParticleEnergy}, the risk trains with the module's particle machinery: deterministic flow by
 * any core integrator ({@link org.measureflow.gradientflow.particles.ParticleGradientFlow}), noisy mean-field
 * Langevin ({@link org.measureflow.gradientflow.particles.Langevin}), or {@link MeanFieldTrainer}'s gradient steps.
 * It is a particle energy only: neurons live in \( \mathbb R^{d+2} \), \( d + 2 \ge 3 \), beyond the 1-D and 2-D
 * grids of the JKO scheme. Immutable.
 */
public final class TwoLayerRisk implements ParticleEnergy {
    private final RegressionData data;
    private final Activation activation;
    private final Scaling scaling;

    private TwoLayerRisk(RegressionData data, Activation activation, Scaling scaling) {
        this.data = data;
        this.activation = activation;
        this.scaling = scaling;
    }

    /**
     * The risk on {@code data} of networks with this activation and scaling.
     *
     * @param data       the data set
     * @param activation \( \sigma \)
     * @param scaling    mean-field or lazy
     * @return the risk
     * @throws IllegalArgumentException if an argument is null
     */
    public static TwoLayerRisk of(RegressionData data, Activation activation, Scaling scaling) {
        Arguments.notNull("data", data);
        Arguments.notNull("activation", activation);
        Arguments.notNull("scaling", scaling);
        return new TwoLayerRisk(data, activation, scaling);
    }

    /** The data set. */
    public RegressionData data() {
        return data;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** The scaling. */
    public Scaling scaling() {
        return scaling;
    }

    private void check(double[] points, int n, int dim, double[] weights) {
        Arguments.notNull("points", points);
        Arguments.sameDimension("neurons", dim, data.dimension() + 2, "the data plus 2: (a, w, b)");
        Arguments.length("points", points.length, Arguments.product("n * dim", n, dim));
        if (weights != null) {
            Arguments.length("weights", weights.length, n);
            if (scaling == Scaling.LAZY) {
                // a rule of the model, not of one argument: the lazy output factor N^{-1/2} assumes uniform weights
                throw new IllegalArgumentException("weights must be uniform (null) in the lazy scaling");
            }
        }
    }

    @Override
    public double value(double[] points, int n, int dim, double[] weights) {
        check(points, n, dim, weights);
        double[] f = new double[data.size()];
        TwoLayerNetwork.outputs(points, n, weights, activation, scaling, data.flatInputs(), data.size(),
                data.dimension(), f);
        return TwoLayerNetwork.halfMeanSquare(f, data.flatTargets());
    }

    @Override
    public void addVelocities(double[] points, int n, int dim, double[] weights, double[] out) {
        addVelocities(points, n, dim, weights, out, false);
    }

    /**
     * {@link #addVelocities}, returning the risk \( R \) at {@code points} that the residuals give on the way
     * (the same number as {@link #value(double[], int, int, double[])}, at \( O(m) \) extra cost).
     */
    double addVelocitiesAndRisk(double[] points, int n, int dim, double[] weights, double[] out) {
        return addVelocities(points, n, dim, weights, out, true);
    }

    private double addVelocities(double[] points, int n, int dim, double[] weights, double[] out, boolean withRisk) {
        check(points, n, dim, weights);
        int m = data.size();
        double[] r = new double[m];
        TwoLayerNetwork.outputs(points, n, weights, activation, scaling, data.flatInputs(), m, data.dimension(), r);
        double risk = withRisk ? TwoLayerNetwork.halfMeanSquare(r, data.flatTargets()) : Double.NaN;
        double[] y = data.flatTargets();
        for (int k = 0; k < m; k++) {
            r[k] -= y[k];
        }
        double[] g = new double[n * dim];
        TwoLayerNetwork.neuronGradients(points, n, dim, activation, data.flatInputs(), r, m, g);
        // Mean field: -(1/w_i) dR/dtheta_i = -g_i. Lazy: -dR/dtheta_i = -N^{-1/2} g_i.
        double s = scaling == Scaling.MEAN_FIELD ? 1.0 : scaling.outputFactor(n);
        for (int i = 0; i < n * dim; i++) {
            out[i] -= s * g[i];
        }
        return risk;
    }

    /** The feature \( \phi(\theta, x_k) = a\sigma(\langle w, x_k\rangle + b) \) of the neuron at {@code o}. */
    private double feature(double[] theta, int o, int k) {
        int d = data.dimension();
        double[] x = data.flatInputs();
        double z = theta[o + d + 1];
        for (int c = 0; c < d; c++) {
            z += theta[o + 1 + c] * x[k * d + c];
        }
        return theta[o] * activation.value(z);
    }

    /** Adds \( s\,r\,\nabla_\theta\phi(\theta, x_k) \) to {@code out} at {@code oo}. */
    private void addFeatureGradient(double[] theta, int o, int k, double s, double[] out, int oo) {
        int d = data.dimension();
        double[] x = data.flatInputs();
        double z = theta[o + d + 1];
        for (int c = 0; c < d; c++) {
            z += theta[o + 1 + c] * x[k * d + c];
        }
        double da = theta[o] * activation.derivative(z);
        out[oo] += s * activation.value(z);
        for (int c = 0; c < d; c++) {
            out[oo + 1 + c] += s * da * x[k * d + c];
        }
        out[oo + d + 1] += s * da;
    }

    /**
     * The interaction potential of eq. 22, \( K(\theta, \theta') = \frac1m\sum_k \phi(\theta, x_k)\phi(\theta', x_k) \)
     * (mean-field scaling), for {@link InteractionEnergy}: \( O(m d) \) per pair.
     *
     * @return \( K \)
     */
    public InteractionPotential interactionPotential() {
        int m = data.size();
        return new InteractionPotential() {
            @Override
            public double value(double[] x, int xo, double[] y, int yo, int dim) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += feature(x, xo, k) * feature(y, yo, k);
                }
                return s / m;
            }

            @Override
            public void addGradient(double[] x, int xo, double[] y, int yo, int dim, double s, double[] out,
                                    int oo) {
                for (int k = 0; k < m; k++) {
                    addFeatureGradient(x, xo, k, s * feature(y, yo, k) / m, out, oo);
                }
            }

            @Override
            public String toString() {
                return "K(theta, theta') = E_x[phi(theta, x) phi(theta', x)]";
            }
        };
    }

    /**
     * The potential of eq. 22, \( V(\theta) = -\frac1m\sum_k y_k\phi(\theta, x_k) \).
     *
     * @return \( V \)
     */
    public Potential potential() {
        int m = data.size();
        int dim = data.dimension() + 2;
        double[] y = data.flatTargets();
        return new Potential() {
            @Override
            public int dimension() {
                return dim;
            }

            @Override
            public double value(double[] x, int offset) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s -= y[k] * feature(x, offset, k);
                }
                return s / m;
            }

            @Override
            public void addGradient(double[] x, int offset, double s, double[] out, int outOffset) {
                for (int k = 0; k < m; k++) {
                    addFeatureGradient(x, offset, k, -s * y[k] / m, out, outOffset);
                }
            }

            @Override
            public String toString() {
                return "V(theta) = -E[y phi(theta, x)]";
            }
        };
    }

    /**
     * \( C = \frac{1}{2m}\sum_k y_k^2 \), the risk of the zero network.
     *
     * @return \( C \)
     */
    public double constant() {
        double[] y = data.flatTargets();
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return 0.5 * s / y.length;
    }

    /**
     * The same risk (minus the constant \( C \)) written literally as eq. 22: the potential energy of
     * {@link #potential()} plus the interaction energy of {@link #interactionPotential()}. Its velocities are this
     * class's (mean-field scaling) at \( O(N^2 m d) \) cost: a cross-check, not a training route.
     *
     * @return \( \int V d\mu + \frac12\iint K d\mu\,d\mu \)
     * @throws IllegalStateException in the lazy scaling
     */
    public MeasureEnergy asPotentialPlusInteraction() {
        if (scaling != Scaling.MEAN_FIELD) {
            throw new IllegalStateException("the potential-plus-interaction form is the mean-field scaling's");
        }
        return PotentialEnergy.of(potential()).plus(InteractionEnergy.of(interactionPotential()));
    }

    /** {@code TwoLayerRisk[RegressionData[...], RELU, MEAN_FIELD]}. */
    @Override
    public String toString() {
        return "TwoLayerRisk[" + data + ", " + activation + ", " + scaling + "]";
    }
}
