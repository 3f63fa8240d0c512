package org.measureflow.flowmatching.field;

import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;

/**
 * The exact flow-matching field from a standard Gaussian latent \( X_0 \sim \mathcal N(0, I) \) to a Gaussian
 * mixture \( X_1 \sim \sum_k \pi_k \mathcal N(\mu_k, C_k) \) (docs/closed-forms.md CF-10; survey Prop. 3.3), a case where the score of
 * the interpolated density is exact and Tweedie's identity can be checked.
 *
 * <p>\( X_t = \alpha_t X_0 + \beta_t X_1 \) has the density \( \rho_t = \sum_k \pi_k \mathcal N(\beta_t\mu_k,
 * \Sigma_k) \), \( \Sigma_k = \beta_t^2 C_k + \alpha_t^2 I \). With the posterior component weights
 * \( w_k(x) \propto \pi_k \mathcal N(x; \beta_t\mu_k, \Sigma_k) \):
 * \[ D_t(x) = \mathbb{E}[X_1 \mid X_t = x] = \sum_k w_k \big(\mu_k + \beta_t C_k \Sigma_k^{-1}(x - \beta_t\mu_k)\big),
 *    \qquad \nabla\log\rho_t(x) = -\sum_k w_k \Sigma_k^{-1}(x - \beta_t \mu_k), \]
 * and \( v_t(x) = (\dot\alpha_t x + \kappa_t D_t(x))/\alpha_t \), \( \kappa_t = \alpha_t\dot\beta_t -
 * \beta_t\dot\alpha_t \) (the conditional-expectation form of eq. 7). The score is computed from the mixture
 * density, independently of \( D_t \), so the two sides of Tweedie's identity
 * \( D_t = (x + \alpha_t^2\nabla\log\rho_t)/\beta_t \) come from different formulas.
 *
 * <p>Valid for \( t \in [0, 1) \), and at \( t = 1 \) when every \( C_k \) is SPD (then \( \alpha_1 = 0 \) is
 * harmless for the score and the denoiser; the velocity still divides by \( \alpha_t \)). Per-time factorisations
 * are cached per thread.
 */
public final class GaussianMixtureFlowMatchingField implements DenoisingField {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Interpolant interpolant;
    private final int d;
    private final int k;
    private final double[] logPi;
    private final double[] mu;
    private final double[] cov;
    private final ThreadLocal<Workspace> workspace;

    private GaussianMixtureFlowMatchingField(double[] weights, GaussianMeasure[] components,
                                             Interpolant interpolant) {
        this.interpolant = interpolant;
        this.d = components[0].dimension();
        this.k = components.length;
        this.logPi = new double[k];
        this.mu = new double[k * d];
        this.cov = new double[k * d * d];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int j = 0; j < k; j++) {
            logPi[j] = Math.log(weights[j] / total);
            System.arraycopy(components[j].mean(), 0, mu, j * d, d);
            System.arraycopy(components[j].covariance().data, 0, cov, j * d * d, d * d);
        }
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(k, d));
    }

    /** The field of the linear interpolant; see {@link #of(double[], GaussianMeasure[], Interpolant)}. */
    public static GaussianMixtureFlowMatchingField of(double[] weights, GaussianMeasure[] components) {
        return of(weights, components, LinearInterpolant.instance());
    }

    /**
     * The field towards \( \sum_k \pi_k \mathcal N(\mu_k, C_k) \), \( \pi \) = {@code weights} normalised.
     *
     * @throws IllegalArgumentException on null or empty arguments, negative or non-finite weights, a zero total,
     *                                  a length mismatch, or components of different dimensions
     */
    public static GaussianMixtureFlowMatchingField of(double[] weights, GaussianMeasure[] components,
                                                      Interpolant interpolant) {
        Arguments.notNull("weights", weights);
        Arguments.notNull("components", components);
        Arguments.notNull("interpolant", interpolant);
        Arguments.nonEmpty("components", components);
        Arguments.length("weights", weights.length, components.length);
        Arguments.weights("weights", weights);
        for (int j = 0; j < components.length; j++) {
            Arguments.notNull("components[" + j + "]", components[j]);
            Arguments.sameDimension("components[" + j + "]", components[j].dimension(), components[0].dimension(),
                    "components[0]");
        }
        return new GaussianMixtureFlowMatchingField(weights, components, interpolant);
    }

    @Override
    public Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public int dimension() {
        return d;
    }

    /** \( \log\rho_t(x) \) of the interpolated mixture. */
    public double logDensity(double t, double[] x) {
        Arguments.length("x", x.length, d);
        Workspace w = evaluated(t, x, 0);
        return w.logZ;
    }

    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        double a = interpolant.alpha(t);
        if (!(a > 0)) {
            throw new IllegalArgumentException("t must be < 1 for the velocity (alpha_t = 0 at t = 1), got " + t);
        }
        double b = interpolant.beta(t);
        double ad = interpolant.alphaDot(t);
        double kappa = a * interpolant.betaDot(t) - b * ad;
        Workspace w = evaluated(t, x, xOffset);
        for (int c = 0; c < d; c++) {
            out[outOffset + c] = (ad * x[xOffset + c] + kappa * w.denoised[c]) / a;
        }
    }

    @Override
    public void denoise(double t, double[] x, int xOffset, double[] out, int outOffset) {
        Workspace w = evaluated(t, x, xOffset);
        System.arraycopy(w.denoised, 0, out, outOffset, d);
    }

    @Override
    public void score(double t, double[] x, int xOffset, double[] out, int outOffset) {
        Workspace w = evaluated(t, x, xOffset);
        System.arraycopy(w.score, 0, out, outOffset, d);
    }

    /**
     * \( \nabla\cdot v_t = d\dot\alpha_t/\alpha_t + (\kappa_t/\alpha_t)\nabla\cdot D_t \) with
     * \( \nabla\cdot D_t = \sum_k w_k \beta_t \operatorname{tr}(C_k\Sigma_k^{-1})
     * + \sum_k w_k\, m_k\cdot(g_k - \bar g) \), \( m_k \) the component denoisers, \( g_k = -\Sigma_k^{-1}(x -
     * \beta_t\mu_k) \) and \( \bar g = \sum_k w_k g_k \) the score.
     */
    @Override
    public double divergence(double t, double[] x, int xOffset) {
        double a = interpolant.alpha(t);
        if (!(a > 0)) {
            throw new IllegalArgumentException("t must be < 1 for the divergence (alpha_t = 0 at t = 1), got " + t);
        }
        double b = interpolant.beta(t);
        double ad = interpolant.alphaDot(t);
        double kappa = a * interpolant.betaDot(t) - b * ad;
        Workspace w = evaluated(t, x, xOffset);
        double divD = 0;
        for (int j = 0; j < k; j++) {
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += w.componentMean[j * d + c] * (-w.solved[j * d + c] - w.score[c]);
            }
            divD += w.weight[j] * (b * w.traceCSigmaInv[j] + dot);
        }
        return d * ad / a + kappa * divD / a;
    }

    /** Factors the \( \Sigma_k \) at time {@code t} (cached), then evaluates everything at the point. */
    private Workspace evaluated(double t, double[] x, int off) {
        Workspace w = workspace.get();
        if (w.time != t) {
            prepare(w, t);
        }
        double b = interpolant.beta(t);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            int base = j * d;
            for (int c = 0; c < d; c++) {
                w.residual[c] = x[off + c] - b * mu[base + c];
            }
            System.arraycopy(w.residual, 0, w.solved, base, d);
            FlatMatrices.choleskySolve(w.chol, j * d * d, d, w.solved, base);
            double quad = 0;
            for (int c = 0; c < d; c++) {
                quad += w.residual[c] * w.solved[base + c];
            }
            double logit = logPi[j] - 0.5 * (quad + w.logDet[j] + d * LOG_2PI);
            w.weight[j] = logit;
            max = Math.max(max, logit);
            int cb = j * d * d;
            for (int r = 0; r < d; r++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += cov[cb + r * d + c] * w.solved[base + c];
                }
                w.componentMean[base + r] = mu[base + r] + b * s;
            }
        }
        double z = 0;
        for (int j = 0; j < k; j++) {
            w.weight[j] = Math.exp(w.weight[j] - max);
            z += w.weight[j];
        }
        w.logZ = max + Math.log(z);
        for (int c = 0; c < d; c++) {
            w.denoised[c] = 0;
            w.score[c] = 0;
        }
        for (int j = 0; j < k; j++) {
            double p = w.weight[j] / z;
            w.weight[j] = p;
            for (int c = 0; c < d; c++) {
                w.denoised[c] += p * w.componentMean[j * d + c];
                w.score[c] -= p * w.solved[j * d + c];
            }
        }
        return w;
    }

    private void prepare(Workspace w, double t) {
        Arguments.inRange("t", t, 0, 1);
        double a = interpolant.alpha(t);
        double b = interpolant.beta(t);
        for (int j = 0; j < k; j++) {
            int cb = j * d * d;
            for (int i = 0; i < d * d; i++) {
                w.chol[cb + i] = b * b * cov[cb + i];
            }
            for (int i = 0; i < d; i++) {
                w.chol[cb + i * d + i] += a * a;
            }
            FlatMatrices.cholesky(w.chol, cb, d);
            w.logDet[j] = FlatMatrices.choleskyLogDet(w.chol, cb, d);
            double tr = 0;
            for (int c = 0; c < d; c++) {
                // (Sigma^{-1} C)_{cc}: solve Sigma z = C e_c and read z_c.
                for (int r = 0; r < d; r++) {
                    w.residual[r] = cov[cb + r * d + c];
                }
                FlatMatrices.choleskySolve(w.chol, cb, d, w.residual, 0);
                tr += w.residual[c];
            }
            w.traceCSigmaInv[j] = tr;
        }
        w.time = t;
    }

    /** Per-thread cache: factors at the last time, and the per-point results. */
    private static final class Workspace {
        final double[] chol;
        final double[] logDet;
        final double[] traceCSigmaInv;
        final double[] residual;
        final double[] solved;
        final double[] componentMean;
        final double[] weight;
        final double[] denoised;
        final double[] score;
        double logZ;
        double time = Double.NaN;

        Workspace(int k, int d) {
            chol = new double[k * d * d];
            logDet = new double[k];
            traceCSigmaInv = new double[k];
            residual = new double[d];
            solved = new double[k * d];
            componentMean = new double[k * d];
            weight = new double[k];
            denoised = new double[d];
            score = new double[d];
        }
    }

    @Override
    public String toString() {
        return "GaussianMixtureFlowMatchingField[K=" + k + ", d=" + d + ", " + interpolant + "]";
    }
}
