package org.measureflow.flowmatching.field;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.Arguments;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.flowmatching.interpolant.Interpolant;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;

/**
 * The exact flow-matching field between two Gaussians under the independent coupling (survey Prop. 3.2, docs/closed-forms.md CF-8).
 *
 * <p>With \( X_0 \sim \mathcal N(m_0, S_0) \) independent of \( X_1 \sim \mathcal N(m_1, S_1) \) and
 * \( X_t = \alpha_t X_0 + \beta_t X_1 \), the interpolated law is \( \mathcal N(m_t, S_t) \),
 * \( m_t = \alpha_t m_0 + \beta_t m_1 \), \( S_t = \alpha_t^2 S_0 + \beta_t^2 S_1 \), and the field is affine:
 * \[ v_t(x) = \dot m_t + A_t (x - m_t), \qquad A_t = (\alpha_t\dot\alpha_t S_0 + \beta_t\dot\beta_t S_1) S_t^{-1}
 *    = \tfrac12 \dot S_t S_t^{-1} , \]
 * so \( A_t S_t + S_t A_t^\top = \dot S_t \). For the linear interpolant \( A_t = (t S_1 - (1-t) S_0) S_t^{-1} \).
 * \( A_t \) is symmetric, and \( v_t \) a gradient, iff \( S_0 \) and \( S_1 \) commute; then the time-1 map is the
 * Bures&ndash;Wasserstein (Monge) map of Prop. 4.3, otherwise the two differ.
 *
 * <p>The flow map is closed-form too ({@link #flowMap(double, double)}): with
 * \( C = S_0^{-1/2} S_1 S_0^{-1/2} \) and \( T_t = S_0^{1/2} (\alpha_t^2 I + \beta_t^2 C)^{1/2} S_0^{-1/2} \),
 * \( \Phi_{s \to t}(x) = m_t + T_t T_s^{-1} (x - m_s) \) (for the linear interpolant \( T_0 = I \) and
 * \( T_1 = S_0^{1/2} C^{1/2} S_0^{-1/2} \), docs/closed-forms.md CF-8).
 *
 * <p>Evaluation caches \( A_t, m_t, \dot m_t \) per thread for the last time seen, so advecting many particles at a
 * few times costs one \( O(d^3) \) solve per time and \( O(d^2) \) per particle, with no allocation.
 */
public final class GaussianFlowMatchingField implements DenoisingField {
    private final GaussianMeasure source;
    private final GaussianMeasure target;
    private final Interpolant interpolant;
    private final int d;
    private final double[] m0;
    private final double[] m1;
    private final double[] s0;
    private final double[] s1;
    private final ThreadLocal<Workspace> workspace;

    private GaussianFlowMatchingField(GaussianMeasure source, GaussianMeasure target, Interpolant interpolant) {
        this.source = source;
        this.target = target;
        this.interpolant = interpolant;
        this.d = source.dimension();
        this.m0 = source.mean();
        this.m1 = target.mean();
        this.s0 = source.covariance().data.clone();
        this.s1 = target.covariance().data.clone();
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(d));
    }

    /**
     * The field of the linear interpolant \( X_t = (1-t) X_0 + t X_1 \).
     *
     * @throws IllegalArgumentException on null measures or a dimension mismatch
     */
    public static GaussianFlowMatchingField of(GaussianMeasure source, GaussianMeasure target) {
        return of(source, target, LinearInterpolant.instance());
    }

    /**
     * The field of an arbitrary interpolant.
     *
     * @throws IllegalArgumentException on null arguments or a dimension mismatch
     */
    public static GaussianFlowMatchingField of(GaussianMeasure source, GaussianMeasure target,
                                               Interpolant interpolant) {
        Arguments.notNull("source", source);
        Arguments.notNull("target", target);
        Arguments.notNull("interpolant", interpolant);
        Arguments.sameDimension("target", target.dimension(), source.dimension(), "source");
        return new GaussianFlowMatchingField(source, target, interpolant);
    }

    /** The latent law \( \mathcal N(m_0, S_0) \). */
    public GaussianMeasure source() {
        return source;
    }

    /** The data law \( \mathcal N(m_1, S_1) \). */
    public GaussianMeasure target() {
        return target;
    }

    @Override
    public Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public int dimension() {
        return d;
    }

    /** \( m_t = \alpha_t m_0 + \beta_t m_1 \). */
    public double[] meanAt(double t) {
        Workspace w = prepared(t);
        return w.mt.clone();
    }

    /** \( S_t = \alpha_t^2 S_0 + \beta_t^2 S_1 \). */
    public DMatrixRMaj covarianceAt(double t) {
        checkTime(t);
        double a = interpolant.alpha(t);
        double b = interpolant.beta(t);
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        for (int i = 0; i < d * d; i++) {
            s.data[i] = a * a * s0[i] + b * b * s1[i];
        }
        return s;
    }

    /** The law \( \mathcal N(m_t, S_t) \) of \( X_t \). */
    public GaussianMeasure marginal(double t) {
        return GaussianMeasure.of(meanAt(t), covarianceAt(t));
    }

    /** The matrix \( A_t = \tfrac12 \dot S_t S_t^{-1} \) of the affine field. */
    public DMatrixRMaj matrixAt(double t) {
        Workspace w = prepared(t);
        return new DMatrixRMaj(d, d, true, w.at.clone());
    }

    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        Workspace w = prepared(t);
        for (int i = 0; i < d; i++) {
            double s = w.mdot[i];
            for (int k = 0; k < d; k++) {
                s += w.at[i * d + k] * (x[xOffset + k] - w.mt[k]);
            }
            out[outOffset + i] = s;
        }
    }

    /** \( \nabla\cdot v_t = \operatorname{tr} A_t \), the same at every point. */
    @Override
    public double divergence(double t, double[] x, int xOffset) {
        Workspace w = prepared(t);
        double tr = 0;
        for (int i = 0; i < d; i++) {
            tr += w.at[i * d + i];
        }
        return tr;
    }

    /** \( \nabla\log\rho_t(x) = -S_t^{-1}(x - m_t) \). */
    @Override
    public void score(double t, double[] x, int xOffset, double[] out, int outOffset) {
        Workspace w = prepared(t);
        for (int i = 0; i < d; i++) {
            out[outOffset + i] = w.mt[i] - x[xOffset + i];
        }
        FlatMatrices.choleskySolve(w.chol, 0, d, out, outOffset);
    }

    /** \( \mathbb{E}[X_1 \mid X_t = x] = m_1 + \beta_t S_1 S_t^{-1}(x - m_t) \). */
    @Override
    public void denoise(double t, double[] x, int xOffset, double[] out, int outOffset) {
        Workspace w = prepared(t);
        double b = interpolant.beta(t);
        for (int i = 0; i < d; i++) {
            w.r[i] = x[xOffset + i] - w.mt[i];
        }
        FlatMatrices.choleskySolve(w.chol, 0, d, w.r, 0);
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += s1[i * d + k] * w.r[k];
            }
            out[outOffset + i] = m1[i] + b * s;
        }
    }

    /**
     * The exact flow map from time {@code s} to time {@code t}, \( \Phi_{s\to t}(x) = m_t + T_t T_s^{-1}(x - m_s) \),
     * \( T_t = S_0^{1/2} (\alpha_t^2 I + \beta_t^2 C)^{1/2} S_0^{-1/2} \), \( C = S_0^{-1/2} S_1 S_0^{-1/2} \).
     */
    public AffineMap flowMap(double s, double t) {
        checkTime(s);
        checkTime(t);
        DMatrixRMaj root = Spd.sqrt(source.covariance());
        DMatrixRMaj invRoot = Spd.invSqrt(source.covariance());
        DMatrixRMaj c = Spd.congruence(invRoot, target.covariance());
        double as = interpolant.alpha(s);
        double bs = interpolant.beta(s);
        double at = interpolant.alpha(t);
        double bt = interpolant.beta(t);
        DMatrixRMaj middle = Spd.apply("C", c,
                lambda -> Math.sqrt((at * at + bt * bt * lambda) / (as * as + bs * bs * lambda)));
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj matrix = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.mult(root, middle, tmp);
        org.ejml.dense.row.CommonOps_DDRM.mult(tmp, invRoot, matrix);
        double[] ms = new double[d];
        double[] mt = new double[d];
        for (int i = 0; i < d; i++) {
            ms[i] = as * m0[i] + bs * m1[i];
            mt[i] = at * m0[i] + bt * m1[i];
        }
        return AffineMap.centred(matrix, ms, mt);
    }

    /** The exact flow map from time 0 to time {@code t}, \( \Phi_{0\to t} \). */
    public AffineMap flowMap(double t) {
        return flowMap(0, t);
    }

    private void checkTime(double t) {
        Arguments.inRange("t", t, 0, 1);
    }

    /** Brings the calling thread's cached \( m_t, \dot m_t, A_t \) and the factor of \( S_t \) to time {@code t}. */
    private Workspace prepared(double t) {
        Workspace w = workspace.get();
        if (w.time == t) {
            return w;
        }
        checkTime(t);
        double a = interpolant.alpha(t);
        double b = interpolant.beta(t);
        double ad = interpolant.alphaDot(t);
        double bd = interpolant.betaDot(t);
        for (int i = 0; i < d; i++) {
            w.mt[i] = a * m0[i] + b * m1[i];
            w.mdot[i] = ad * m0[i] + bd * m1[i];
        }
        for (int i = 0; i < d * d; i++) {
            w.chol[i] = a * a * s0[i] + b * b * s1[i];
            w.half[i] = a * ad * s0[i] + b * bd * s1[i];
        }
        FlatMatrices.cholesky(w.chol, 0, d);
        // A_t = N S_t^{-1} with N symmetric, so the rows of A_t are S_t^{-1} N e_i: solve column by column.
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                w.r[k] = w.half[k * d + i];
            }
            FlatMatrices.choleskySolve(w.chol, 0, d, w.r, 0);
            System.arraycopy(w.r, 0, w.at, i * d, d);
        }
        w.time = t;
        return w;
    }

    /** Per-thread cache of the quantities at one time. */
    private static final class Workspace {
        final double[] mt;
        final double[] mdot;
        final double[] chol;
        final double[] half;
        final double[] at;
        final double[] r;
        double time = Double.NaN;

        Workspace(int d) {
            mt = new double[d];
            mdot = new double[d];
            chol = new double[d * d];
            half = new double[d * d];
            at = new double[d * d];
            r = new double[d];
        }
    }

    @Override
    public String toString() {
        return "GaussianFlowMatchingField[d=" + d + ", " + interpolant + "]";
    }
}
