package org.measureflow.core.measure;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.linalg.Spd;

/**
 * The Gaussian measure \( \mathcal{N}(m, \Sigma) \) on \( \mathbb{R}^d \) with SPD covariance \( \Sigma \), the
 * family on which the survey's flows have closed forms: an affine map \( x \mapsto A x + b \) pushes it to
 * \( \mathcal{N}(A m + b, A \Sigma A^\top) \) (docs/closed-forms.md CF-1), and linear ODEs, Ornstein&ndash;Uhlenbeck
 * processes, flow matching between Gaussians (Prop. 3.2) and Bures&ndash;Wasserstein transport (Prop. 4.3) keep
 * it Gaussian.
 *
 * <p>Immutable; the constructor validates once and factors \( \Sigma = L L^\top \) (Cholesky). Sampling draws
 * \( x = m + L z \), \( z \sim \mathcal{N}(0, I) \), from the caller's generator only.
 */
public final class GaussianMeasure implements PointSampler {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] mean;
    private final DMatrixRMaj covariance;
    private final DMatrixRMaj cholesky; // lower triangular L with L L^T = covariance
    private final double logDet;
    private final int d;

    private GaussianMeasure(double[] mean, DMatrixRMaj covariance) {
        this.d = mean.length;
        this.mean = mean;
        this.covariance = covariance;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(covariance.copy())) {
            throw new IllegalArgumentException("covariance must be positive definite (its Cholesky factorisation failed)");
        }
        this.cholesky = chol.getT(null);
        double ld = 0;
        for (int i = 0; i < d; i++) {
            ld += Math.log(cholesky.unsafe_get(i, i));
        }
        this.logDet = 2 * ld;
    }

    /**
     * \( \mathcal{N}(m, \Sigma) \).
     *
     * @throws IllegalArgumentException if {@code mean} is empty or not finite, or {@code covariance} is not a
     *                                  {@code d x d} SPD matrix
     */
    public static GaussianMeasure of(double[] mean, DMatrixRMaj covariance) {
        Arguments.nonEmpty("mean", Arguments.finite("mean", mean));
        Arguments.shape("covariance", covariance, mean.length, mean.length);
        Arguments.spd("covariance", covariance);
        return new GaussianMeasure(mean.clone(), Spd.symmetrised(covariance));
    }

    /**
     * \( \mathcal{N}(m, \Sigma) \) with the covariance given by its rows, e.g.
     * {@code GaussianMeasure.of(new double[]{1, 0}, new double[][]{{0.3, 0.1}, {0.1, 0.2}})}.
     *
     * @throws IllegalArgumentException if {@code mean} is empty or not finite, or {@code covariance} is not a
     *                                  {@code d x d} SPD matrix (rows of equal length)
     */
    public static GaussianMeasure of(double[] mean, double[][] covariance) {
        Arguments.nonEmpty("mean", Arguments.finite("mean", mean));
        Arguments.noNulls("covariance", covariance);
        Arguments.length("covariance", covariance.length, mean.length);
        for (int i = 0; i < covariance.length; i++) {
            Arguments.length("covariance[" + i + "]", covariance[i].length, mean.length);
        }
        return of(mean, new DMatrixRMaj(covariance));
    }

    /** The standard Gaussian \( \mathcal{N}(0, I_d) \). */
    public static GaussianMeasure standard(int d) {
        Arguments.positive("d", d);
        return new GaussianMeasure(new double[d], CommonOps_DDRM.identity(d));
    }

    /**
     * The one-dimensional Gaussian \( \mathcal{N}(m, s^2) \) with standard deviation {@code sd > 0}.
     *
     * @throws IllegalArgumentException if {@code mean} is not finite, {@code sd} is not finite and positive, or the
     *                                  variance \( s^2 \) leaves the normal double range (it overflows for
     *                                  \( s \gt 1.3 \cdot 10^{154} \) and loses its precision below
     *                                  \( s \approx 1.5 \cdot 10^{-154} \))
     */
    public static GaussianMeasure of1d(double mean, double sd) {
        Arguments.finite("mean", mean);
        Arguments.positive("sd", sd);
        double variance = sd * sd;
        if (!(variance >= Double.MIN_NORMAL) || variance == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("sd = " + sd + ": the variance sd^2 = " + variance
                    + " leaves the normal double range [" + Double.MIN_NORMAL + ", " + Double.MAX_VALUE + "]");
        }
        DMatrixRMaj s = new DMatrixRMaj(1, 1);
        s.set(0, 0, variance);
        return new GaussianMeasure(new double[]{mean}, s);
    }

    /** Dimension {@code d}. */
    public int dimension() {
        return d;
    }

    /** A copy of the mean \( m \). */
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the covariance \( \Sigma \). */
    public DMatrixRMaj covariance() {
        return covariance.copy();
    }

    /** A copy of the lower-triangular Cholesky factor \( L \), \( L L^\top = \Sigma \). */
    public DMatrixRMaj choleskyFactor() {
        return cholesky.copy();
    }

    /** \( \log\det\Sigma \). */
    public double logDeterminant() {
        return logDet;
    }

    /** Differential entropy \( H = \frac12 \log\det(2\pi e \Sigma) \). */
    public double entropy() {
        return 0.5 * (logDet + d * (LOG_2PI + 1));
    }

    /**
     * {@code n} independent samples \( x = m + L z \) as a uniform {@link ParticleMeasure}. Draws exactly
     * {@code n * d} normals from {@code rng}, point after point, coordinate after coordinate.
     */
    @Override
    public ParticleMeasure sample(int n, RandomGenerator rng) {
        return PointSampler.super.sample(n, rng);
    }

    /**
     * Writes {@code n} independent samples \( x = m + L z \), row-major, into {@code out}; draws exactly
     * {@code n * d} normals from {@code rng}, point after point, coordinate after coordinate.
     */
    @Override
    public void sample(int n, RandomGenerator rng, double[] out) {
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                z[k] = rng.nextGaussian();
            }
            int row = i * d;
            for (int a = 0; a < d; a++) {
                double s = mean[a];
                for (int b = 0; b <= a; b++) {
                    s += cholesky.unsafe_get(a, b) * z[b];
                }
                out[row + a] = s;
            }
        }
    }

    /**
     * \( \log \rho(x) = -\frac12 \left[ (x-m)^\top \Sigma^{-1} (x-m) + d \log 2\pi + \log\det\Sigma \right] \).
     *
     * @throws IllegalArgumentException if {@code x} is null, of the wrong length or not finite, or so far from the mean
     *                                  (in standard deviations) that the log-density overflows
     */
    public double logDensity(double[] x) {
        Arguments.finite("x", x);
        Arguments.length("x", x.length, d);
        double[] y = whiten(x);
        double q = 0;
        for (double v : y) {
            q += v * v;
        }
        return Arguments.finiteResult("x", "the log-density", -0.5 * (q + d * LOG_2PI + logDet));
    }

    /**
     * The score \( \nabla \log \rho(x) = -\Sigma^{-1} (x - m) \), written into {@code out}.
     *
     * @throws IllegalArgumentException if an array is null or of the wrong length, {@code x} is not finite, or the
     *                                  score overflows (then {@code out} may hold a partial result)
     */
    public void score(double[] x, double[] out) {
        Arguments.finite("x", x);
        Arguments.notNull("out", out);
        Arguments.length("x", x.length, d);
        Arguments.length("out", out.length, d);
        double[] y = whiten(x);
        // out = -L^{-T} y by back substitution
        for (int a = d - 1; a >= 0; a--) {
            double s = y[a];
            for (int b = a + 1; b < d; b++) {
                s -= cholesky.unsafe_get(b, a) * out[b];
            }
            out[a] = s / cholesky.unsafe_get(a, a);
        }
        for (int a = 0; a < d; a++) {
            out[a] = -out[a];
        }
        Arguments.finiteResult("x", "the score", out);
    }

    /** \( y = L^{-1}(x - m) \) by forward substitution. */
    private double[] whiten(double[] x) {
        double[] y = new double[d];
        for (int a = 0; a < d; a++) {
            double s = x[a] - mean[a];
            for (int b = 0; b < a; b++) {
                s -= cholesky.unsafe_get(a, b) * y[b];
            }
            y[a] = s / cholesky.unsafe_get(a, a);
        }
        return y;
    }

    /**
     * The exact push-forward by the affine map \( x \mapsto A x + b \): \( \mathcal{N}(A m + b, A \Sigma A^\top) \)
     * (docs/closed-forms.md CF-1).
     *
     * @param a a {@code d' x d} matrix of full row rank (so that the image covariance is SPD)
     * @param b a vector of length {@code d'}
     * @throws IllegalArgumentException if an argument is null, not finite or of the wrong shape, {@code a} is not of
     *                                  full row rank, or the image mean or covariance overflows
     */
    public GaussianMeasure pushForward(DMatrixRMaj a, double[] b) {
        Arguments.notNull("a", a);
        Arguments.finite("a", a);
        if (a.numCols != d) {
            throw new IllegalArgumentException("a must have " + d + " columns (the dimension), got " + a.numCols);
        }
        Arguments.finite("b", b);
        Arguments.length("b", b.length, a.numRows);
        double[] m = new double[a.numRows];
        for (int i = 0; i < a.numRows; i++) {
            double s = b[i];
            for (int k = 0; k < d; k++) {
                s += a.unsafe_get(i, k) * mean[k];
            }
            m[i] = s;
        }
        Arguments.finiteResult("a and b", "the image mean A m + b", m);
        DMatrixRMaj s;
        try {
            s = Spd.congruence(a, covariance);
        } catch (IllegalArgumentException e) {
            // both factors are finite and of matching shapes: the only failure left is an overflow
            throw new IllegalArgumentException("a: the image covariance A S A^T overflows double precision", e);
        }
        if (!Spd.isSpd(s)) {
            throw new IllegalArgumentException("a must have full row rank: the image covariance A S A^T is not positive definite");
        }
        return new GaussianMeasure(m, s);
    }

    @Override
    public String toString() {
        return "GaussianMeasure[d=" + d + ", mean=" + TextSummary.array(mean) + ", covariance="
                + TextSummary.matrix(covariance) + "]";
    }
}
