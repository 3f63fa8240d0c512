package org.measureflow.gradientflow.meanfield;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.gradientflow.energy.ParticleEnergy;

/**
 * The mean-field linear network and its exact moment closure (survey Prop. 6.2, eq. 23; docs/closed-forms.md CF-15).
 *
 * <p>A neuron is \( x = (u, v) \in \mathbb{R}^d \times \mathbb{R}^{d'} \) and the network is \( z \mapsto Q z \),
 * \( Q = \int v u^\top d\alpha \). With input moment \( S = \mathbb{E}[z z^\top] \) and cross moment
 * \( R = \mathbb{E}[y z^\top] \), the risk \( f(\alpha) = \tfrac12\mathbb{E}|Qz - y|^2 \) has first variation
 * \( v^\top H u \), \( H = Q S - R \), so the Wasserstein gradient flow moves every neuron by the linear field
 * \[ \dot x = -M x, \qquad M = \begin{pmatrix} 0 &amp; H^\top \\ H &amp; 0 \end{pmatrix} , \]
 * and for any initial law the raw second moment \( \Gamma = \int x x^\top d\alpha \) obeys the closed ODE
 * \[ \dot\Gamma = -(M\Gamma + \Gamma M), \qquad M = M(\Gamma_{vu}) , \]
 * (a Gaussian law stays Gaussian, with \( \dot\mu = -M\mu \), \( \dot\Sigma = -(M\Sigma + \Sigma M) \)). Invariants:
 * \( \det\Gamma \) (the field is trace-free) and \( \operatorname{tr}\Gamma_{uu} - \operatorname{tr}\Gamma_{vv} \).
 * In the scalar case with \( u = v \), \( q = Q \) follows the logistic \( \dot q = 2q(r - q) \).
 */
public final class LinearNetworkClosure {
    private final int d;
    private final int dOut;
    private final DMatrixRMaj s;
    private final DMatrixRMaj r;
    private final double targetSecondMoment;

    private LinearNetworkClosure(DMatrixRMaj s, DMatrixRMaj r, double targetSecondMoment) {
        this.d = s.numRows;
        this.dOut = r.numRows;
        this.s = s;
        this.r = r;
        this.targetSecondMoment = targetSecondMoment;
    }

    /**
     * The closure for input moment {@code inputMoment} \( S \) (d x d, SPD), cross moment {@code crossMoment}
     * \( R \) (d' x d) and target second moment \( \mathbb{E}|y|^2 \) (only used for the risk's value).
     *
     * @throws IllegalArgumentException on a non-SPD \( S \), a mis-shaped \( R \) or a negative second moment
     */
    public static LinearNetworkClosure of(DMatrixRMaj inputMoment, DMatrixRMaj crossMoment,
                                          double targetSecondMoment) {
        Arguments.spd("inputMoment", inputMoment);
        Arguments.finite("crossMoment", crossMoment);
        Arguments.shape("crossMoment", crossMoment, crossMoment.numRows, inputMoment.numRows);
        Arguments.positive("crossMoment (rows)", crossMoment.numRows);
        Arguments.nonNegative("targetSecondMoment", targetSecondMoment);
        return new LinearNetworkClosure(inputMoment.copy(), crossMoment.copy(), targetSecondMoment);
    }

    /** Input dimension \( d \). */
    public int inputDimension() {
        return d;
    }

    /** Output dimension \( d' \). */
    public int outputDimension() {
        return dOut;
    }

    /** Neuron dimension \( d + d' \). */
    public int neuronDimension() {
        return d + dOut;
    }

    /** The block \( Q = \Gamma_{vu} \) (d' x d) of a \( (d+d') \times (d+d') \) moment matrix. */
    public DMatrixRMaj predictor(DMatrixRMaj gamma) {
        checkMoment(gamma);
        DMatrixRMaj q = new DMatrixRMaj(dOut, d);
        CommonOps_DDRM.extract(gamma, d, d + dOut, 0, d, q, 0, 0);
        return q;
    }

    /** \( H = Q S - R \), the gradient of the risk in \( Q \) (d' x d). */
    public DMatrixRMaj residual(DMatrixRMaj q) {
        Arguments.shape("q", q, dOut, d);
        DMatrixRMaj h = new DMatrixRMaj(dOut, d);
        CommonOps_DDRM.mult(q, s, h);
        CommonOps_DDRM.subtractEquals(h, r);
        return h;
    }

    /** The matrix \( M = [[0, H^\top], [H, 0]] \) of the velocity \( -Mx \), for the moment matrix \( \Gamma \). */
    public DMatrixRMaj velocityMatrix(DMatrixRMaj gamma) {
        DMatrixRMaj h = residual(predictor(gamma));
        DMatrixRMaj m = new DMatrixRMaj(d + dOut, d + dOut);
        for (int i = 0; i < dOut; i++) {
            for (int j = 0; j < d; j++) {
                m.set(d + i, j, h.get(i, j));
                m.set(j, d + i, h.get(i, j));
            }
        }
        return m;
    }

    /** \( \dot\Gamma = -(M\Gamma + \Gamma M) \). */
    public DMatrixRMaj momentDerivative(DMatrixRMaj gamma) {
        DMatrixRMaj m = velocityMatrix(gamma);
        DMatrixRMaj out = new DMatrixRMaj(d + dOut, d + dOut);
        CommonOps_DDRM.mult(-1, m, gamma, out);
        CommonOps_DDRM.multAdd(-1, gamma, m, out);
        return out;
    }

    /** The risk \( \tfrac12\mathbb{E}|Qz - y|^2 = \tfrac12\operatorname{tr}(Q S Q^\top) - \operatorname{tr}(Q R^\top)
     * + \tfrac12\mathbb{E}|y|^2 \). */
    public double risk(DMatrixRMaj q) {
        Arguments.shape("q", q, dOut, d);
        Arguments.finite("q", q);
        DMatrixRMaj qs = new DMatrixRMaj(dOut, d);
        CommonOps_DDRM.mult(q, s, qs);
        double quad = 0;
        double cross = 0;
        for (int i = 0; i < dOut; i++) {
            for (int j = 0; j < d; j++) {
                quad += qs.get(i, j) * q.get(i, j);
                cross += q.get(i, j) * r.get(i, j);
            }
        }
        return Arguments.finiteResult("q", "the risk", 0.5 * quad - cross + 0.5 * targetSecondMoment);
    }

    /** The moment ODE as a system on the flattened (row-major) \( \Gamma \). */
    public OdeSystem momentSystem() {
        int n = d + dOut;
        return OdeSystem.of(n * n, (t, y, dydt) -> {
            DMatrixRMaj gamma = DMatrixRMaj.wrap(n, n, y);
            DMatrixRMaj der = momentDerivative(gamma);
            System.arraycopy(der.data, 0, dydt, 0, n * n);
        });
    }

    /**
     * Solves the moment ODE from \( \Gamma_0 \) over \( [0, t] \) with the integrator; returns \( \Gamma_t \).
     *
     * @throws IllegalArgumentException if {@code gamma0} is null, mis-shaped or not finite (named {@code gamma}),
     *                                  {@code t} is not finite, {@code integrator} is null, or the integration fails
     *                                  (its state overflows: naming {@code integrator})
     */
    public DMatrixRMaj solveMoments(DMatrixRMaj gamma0, double t, OdeIntegrator integrator) {
        checkMoment(gamma0);
        Arguments.finite("t", t);
        Arguments.notNull("integrator", integrator);
        double[] y = gamma0.data.clone();
        integrate(integrator, momentSystem(), y, t);
        return new DMatrixRMaj(d + dOut, d + dOut, true, y);
    }

    /**
     * Runs {@code integrator} from 0 to {@code t}; its failure (an overflowing state: a step too large, or moments
     * that blow up) is reported naming {@code integrator}.
     */
    private static void integrate(OdeIntegrator integrator, OdeSystem system, double[] y, double t) {
        try {
            integrator.integrate(system, 0, y, t);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("integrator: " + e.getMessage(), e);
        }
    }

    /** \( \Gamma = \sum_i w_i x_i x_i^\top \) of particle neurons. */
    public DMatrixRMaj secondMoment(ParticleMeasure neurons) {
        Arguments.notNull("neurons", neurons);
        int n = d + dOut;
        Arguments.length("neurons' dimension", neurons.dimension(), n);
        double[] x = neurons.flatPoints();
        DMatrixRMaj gamma = new DMatrixRMaj(n, n);
        for (int i = 0; i < neurons.size(); i++) {
            double w = neurons.weight(i);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    gamma.data[a * n + b] += w * x[i * n + a] * x[i * n + b];
                }
            }
        }
        return gamma;
    }

    /**
     * The Gaussian law \( \mathcal N(\mu_t, \Sigma_t) \) of the neurons at time \( t \) from a Gaussian
     * initial law: \( \dot\mu = -M\mu \), \( \dot\Sigma = -(M\Sigma + \Sigma M) \), \( Q = \Sigma_{vu} +
     * \mu_v\mu_u^\top \).
     *
     * @throws IllegalArgumentException if an argument is null, {@code t} is not finite, the dimensions differ, or the
     *                                  integration fails (naming {@code integrator})
     */
    public GaussianMeasure gaussianFlow(GaussianMeasure initial, double t, OdeIntegrator integrator) {
        Arguments.notNull("initial", initial);
        Arguments.finite("t", t);
        Arguments.notNull("integrator", integrator);
        int n = d + dOut;
        Arguments.length("initial's dimension", initial.dimension(), n);
        double[] y = new double[n + n * n];
        System.arraycopy(initial.mean(), 0, y, 0, n);
        System.arraycopy(initial.covariance().data, 0, y, n, n * n);
        OdeSystem system = OdeSystem.of(y.length, (time, state, der) -> {
            DMatrixRMaj mean = DMatrixRMaj.wrap(n, 1, java.util.Arrays.copyOfRange(state, 0, n));
            DMatrixRMaj sigma = DMatrixRMaj.wrap(n, n, java.util.Arrays.copyOfRange(state, n, n + n * n));
            DMatrixRMaj gamma = sigma.copy();
            CommonOps_DDRM.multAddTransB(mean, mean, gamma);
            DMatrixRMaj m = velocityMatrix(gamma);
            DMatrixRMaj dm = new DMatrixRMaj(n, 1);
            CommonOps_DDRM.mult(-1, m, mean, dm);
            DMatrixRMaj ds = new DMatrixRMaj(n, n);
            CommonOps_DDRM.mult(-1, m, sigma, ds);
            CommonOps_DDRM.multAdd(-1, sigma, m, ds);
            System.arraycopy(dm.data, 0, der, 0, n);
            System.arraycopy(ds.data, 0, der, n, n * n);
        });
        integrate(integrator, system, y, t);
        DMatrixRMaj sigma = new DMatrixRMaj(n, n, true, java.util.Arrays.copyOfRange(y, n, n + n * n));
        Spd.symmetriseInPlace(sigma);
        return GaussianMeasure.of(java.util.Arrays.copyOf(y, n), sigma);
    }

    /**
     * The risk as an energy on particle neurons: \( f(\alpha) \) with \( Q = \sum_i w_i v_i u_i^\top \), and the
     * Wasserstein velocity \( -M x_i = -(H^\top v_i, H u_i) \) (the flow of Prop. 6.2). A particle energy only:
     * the neurons live in \( \mathbb R^{d + d'} \) and the law is followed through its moments, not on a grid.
     *
     * @return the energy
     */
    public ParticleEnergy particleEnergy() {
        int n = d + dOut;
        return new ParticleEnergy() {
            @Override
            public double value(double[] points, int count, int dim, double[] weights) {
                return risk(predictorOf(points, count, dim, weights));
            }

            @Override
            public void addVelocities(double[] points, int count, int dim, double[] weights, double[] out) {
                DMatrixRMaj h = residual(predictorOf(points, count, dim, weights));
                for (int i = 0; i < count; i++) {
                    int o = i * n;
                    for (int a = 0; a < d; a++) {
                        double sum = 0;
                        for (int b = 0; b < dOut; b++) {
                            sum += h.get(b, a) * points[o + d + b];
                        }
                        out[o + a] -= sum;
                    }
                    for (int b = 0; b < dOut; b++) {
                        double sum = 0;
                        for (int a = 0; a < d; a++) {
                            sum += h.get(b, a) * points[o + a];
                        }
                        out[o + d + b] -= sum;
                    }
                }
            }

            @Override
            public String toString() {
                return "LinearNetworkRisk[d=" + d + ", d'=" + dOut + "]";
            }
        };
    }

    private DMatrixRMaj predictorOf(double[] points, int count, int dim, double[] weights) {
        int n = d + dOut;
        Arguments.sameDimension("points", dim, n, "the neurons (d + d')");
        Arguments.notNull("points", points);
        Arguments.length("points", points.length, Arguments.product("count * dim", count, dim));
        if (weights != null) {
            Arguments.length("weights", weights.length, count);
        }
        DMatrixRMaj q = new DMatrixRMaj(dOut, d);
        for (int i = 0; i < count; i++) {
            double w = weights == null ? 1.0 / count : weights[i];
            for (int b = 0; b < dOut; b++) {
                for (int a = 0; a < d; a++) {
                    q.data[b * d + a] += w * points[i * n + d + b] * points[i * n + a];
                }
            }
        }
        return q;
    }

    private void checkMoment(DMatrixRMaj gamma) {
        Arguments.notNull("gamma", gamma);
        Arguments.shape("gamma", gamma, d + dOut, d + dOut);
        Arguments.finite("gamma", gamma);
    }

    /** One line: {@code LinearNetworkClosure[d=2, d'=1, S=[[1, 0], [0, 1]], R=[[0.5, 0.2]]]}. */
    @Override
    public String toString() {
        return "LinearNetworkClosure[d=" + d + ", d'=" + dOut + ", S=" + TextSummary.matrix(s) + ", R="
                + TextSummary.matrix(r) + "]";
    }
}
