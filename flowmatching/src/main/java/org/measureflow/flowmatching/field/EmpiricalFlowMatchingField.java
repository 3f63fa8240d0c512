package org.measureflow.flowmatching.field;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;

/**
 * The exact flow-matching field (survey eq. 7) from a standard Gaussian latent \( X_0 \sim \mathcal N(0, I) \) to a
 * finite data set \( \beta = \sum_k w_k \delta_{y_k} \) (docs/closed-forms.md CF-10, items 9&ndash;10): the field that a perfectly
 * trained network would learn, which memorises the data.
 *
 * <p>\( X_t = \alpha_t X_0 + \beta_t X_1 \) has the density \( \rho_t = \sum_k w_k \mathcal N(\beta_t y_k,
 * \alpha_t^2 I) \), and the posterior weights of the data points are the softmax
 * \[ \pi_k(x) = \frac{w_k \exp(-|x - \beta_t y_k|^2 / (2\alpha_t^2))}{\sum_l w_l \exp(-|x - \beta_t y_l|^2 /
 *    (2\alpha_t^2))}, \qquad D_t(x) = \mathbb{E}[X_1 \mid X_t = x] = \sum_k \pi_k(x) y_k , \]
 * so that, with \( \kappa_t = \alpha_t\dot\beta_t - \beta_t\dot\alpha_t \),
 * \[ v_t(x) = \frac{\dot\alpha_t x + \kappa_t D_t(x)}{\alpha_t}
 *    \quad\big(\text{linear: } v_t(x) = \tfrac{D_t(x) - x}{1 - t}\big), \qquad
 *    \nabla\log\rho_t(x) = \frac{\beta_t D_t(x) - x}{\alpha_t^2}, \]
 * \[ \nabla\cdot v_t(x) = \frac{d\,\dot\alpha_t}{\alpha_t} + \frac{\kappa_t \beta_t}{\alpha_t^3}
 *    \Big(\sum_k \pi_k |y_k|^2 - |D_t(x)|^2\Big). \]
 *
 * <p>Numerics: the softmax is accumulated in one pass in log space (a running maximum rescales the partial sums), so
 * no weight underflows to a 0/0 as \( t \to 1 \), where the logits scale like \( 1/\alpha_t^2 \). The field is
 * singular at \( t = 1 \) (it behaves like \( 1/(1-t) \)): evaluating it requires \( \alpha_t > 0 \). Integrate to
 * \( 1 - \delta \) and finish with the denoiser, as
 * {@link org.measureflow.flowmatching.sampling.FlowSampler#sampleDenoised} does. One evaluation costs
 * \( O(K d) \) for \( K \) data points; {@link #onParticles()} runs over the particles on both cores.
 */
public final class EmpiricalFlowMatchingField implements DenoisingField {
    private final ParticleMeasure data;
    private final Interpolant interpolant;
    private final int d;
    private final int k;
    private final double[] y;
    private final double[] logWeights;
    private final double[] squaredNorms;
    private final ThreadLocal<double[]> scratch;

    private EmpiricalFlowMatchingField(ParticleMeasure data, Interpolant interpolant) {
        this.data = data;
        this.interpolant = interpolant;
        this.d = data.dimension();
        this.k = data.size();
        this.y = data.flatPoints();
        this.logWeights = new double[k];
        this.squaredNorms = new double[k];
        for (int j = 0; j < k; j++) {
            logWeights[j] = Math.log(data.weight(j));
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += y[j * d + c] * y[j * d + c];
            }
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("data: the squared norm of point " + j
                        + " overflows double precision (" + s + "); rescale the data (the field is scale-covariant)");
            }
            squaredNorms[j] = s;
        }
        this.scratch = ThreadLocal.withInitial(() -> new double[d + 2]);
    }

    /** The field of the linear interpolant to the data set. */
    public static EmpiricalFlowMatchingField of(ParticleMeasure data) {
        return of(data, LinearInterpolant.instance());
    }

    /**
     * The field of an arbitrary interpolant to the data set.
     *
     * @throws IllegalArgumentException on null arguments, or data whose squared norms overflow double precision
     *                                  (coordinates beyond about 1e154)
     */
    public static EmpiricalFlowMatchingField of(ParticleMeasure data, Interpolant interpolant) {
        Arguments.notNull("data", data);
        Arguments.notNull("interpolant", interpolant);
        return new EmpiricalFlowMatchingField(data, interpolant);
    }

    /** The data measure. */
    public ParticleMeasure data() {
        return data;
    }

    @Override
    public Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public int dimension() {
        return d;
    }

    /**
     * Accumulates the softmax over the data into {@code acc}: {@code acc[0..d-1]} receives \( D_t(x) \) and
     * {@code acc[d]} receives \( \sum_k \pi_k |y_k|^2 \).
     */
    private void posterior(double alpha, double beta, double[] x, int off, double[] acc) {
        double inv = 0.5 / (alpha * alpha);
        double max = Double.NEGATIVE_INFINITY;
        double z = 0;
        double norms = 0;
        for (int c = 0; c < d; c++) {
            acc[c] = 0;
        }
        for (int j = 0; j < k; j++) {
            int base = j * d;
            double dist = 0;
            for (int c = 0; c < d; c++) {
                double r = x[off + c] - beta * y[base + c];
                dist += r * r;
            }
            double logit = logWeights[j] - dist * inv;
            if (logit > max) {
                double scale = Math.exp(max - logit);
                z *= scale;
                norms *= scale;
                for (int c = 0; c < d; c++) {
                    acc[c] *= scale;
                }
                max = logit;
            }
            double e = Math.exp(logit - max);
            z += e;
            norms += e * squaredNorms[j];
            for (int c = 0; c < d; c++) {
                acc[c] += e * y[base + c];
            }
        }
        double invZ = 1 / z;
        for (int c = 0; c < d; c++) {
            acc[c] *= invZ;
        }
        acc[d] = norms * invZ;
    }

    private double alphaChecked(double t) {
        double a = interpolant.alpha(t);
        if (!(a > 0) || !(t >= 0)) {
            throw new IllegalArgumentException("t must be in [0, 1) (the empirical field is singular where alpha_t = 0,"
                    + " i.e. at t = 1: integrate to 1 - delta and finish with denoise), got t = " + t);
        }
        return a;
    }

    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        double a = alphaChecked(t);
        double b = interpolant.beta(t);
        double ad = interpolant.alphaDot(t);
        double kappa = a * interpolant.betaDot(t) - b * ad;
        double[] acc = scratch.get();
        posterior(a, b, x, xOffset, acc);
        for (int c = 0; c < d; c++) {
            out[outOffset + c] = (ad * x[xOffset + c] + kappa * acc[c]) / a;
        }
    }

    @Override
    public double divergence(double t, double[] x, int xOffset) {
        double a = alphaChecked(t);
        double b = interpolant.beta(t);
        double ad = interpolant.alphaDot(t);
        double kappa = a * interpolant.betaDot(t) - b * ad;
        double[] acc = scratch.get();
        posterior(a, b, x, xOffset, acc);
        double mean2 = 0;
        for (int c = 0; c < d; c++) {
            mean2 += acc[c] * acc[c];
        }
        double spread = Math.max(0, acc[d] - mean2);
        return d * ad / a + kappa * b * spread / (a * a * a);
    }

    @Override
    public void denoise(double t, double[] x, int xOffset, double[] out, int outOffset) {
        double a = alphaChecked(t);
        double[] acc = scratch.get();
        posterior(a, interpolant.beta(t), x, xOffset, acc);
        System.arraycopy(acc, 0, out, outOffset, d);
    }

    @Override
    public void score(double t, double[] x, int xOffset, double[] out, int outOffset) {
        double a = alphaChecked(t);
        double b = interpolant.beta(t);
        double[] acc = scratch.get();
        posterior(a, b, x, xOffset, acc);
        for (int c = 0; c < d; c++) {
            out[outOffset + c] = (b * acc[c] - x[xOffset + c]) / (a * a);
        }
    }

    /** All particles at once, over fixed chunks on both cores (each evaluation costs about \( 4 K d \) flops). */
    @Override
    public ParticleField onParticles() {
        long cost = 4L * k * (d + 2);
        return (t, points, n, dim, weights, out) -> {
            if (dim != d) {
                Arguments.sameDimension("points", dim, d, "field");
            }
            Chunks.forEach(n, 64, cost, (chunk, start, end) -> {
                for (int i = start; i < end; i++) {
                    velocity(t, points, i * d, out, i * d);
                }
            });
        };
    }

    @Override
    public String toString() {
        return "EmpiricalFlowMatchingField[K=" + k + ", d=" + d + ", " + interpolant + "]";
    }
}
