package org.measureflow.core.field;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.linalg.MatrixFunctions;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointMap;

/**
 * The time-independent affine vector field \( v(x) = A x + b \) on \( \mathbb{R}^d \), whose flow is known exactly
 * (docs/closed-forms.md CF-2): the characteristics \( \dot x = A x + b \) of the continuity equation (survey eqs. 1&ndash;2)
 * are \( x(t) = e^{tA} x(0) + \Psi(t)\, b \) with \( \Psi(t) = \int_0^t e^{sA} ds \), so the flow map is affine,
 * and a Gaussian \( \mathcal{N}(m, \Sigma) \) stays Gaussian: \( \mathcal{N}(e^{tA} m + \Psi(t) b,\;
 * e^{tA} \Sigma e^{tA^\top}) \), which solves \( \dot m = A m + b \), \( \dot\Sigma = A\Sigma + \Sigma A^\top \).
 *
 * <p>Immutable and thread-safe. {@link #velocity(double, double[], int, double[], int)} does not allocate. The
 * exact flows serve as references for the numerical integrators of {@link org.measureflow.core.ode}.
 */
public final class LinearField implements VectorField {
    private final DMatrixRMaj a;
    private final double[] b;
    private final int d;
    private final AffineMap velocityMap; // x -> A x + b, the field itself

    private LinearField(DMatrixRMaj a, double[] b) {
        this.a = a;
        this.b = b;
        this.d = b.length;
        this.velocityMap = AffineMap.of(a, b);
    }

    /**
     * The field \( v(x) = A x + b \). Both arguments are copied.
     *
     * @param a a square {@code d x d} matrix with finite entries
     * @param b a finite vector of length {@code d}
     * @throws IllegalArgumentException if {@code a} is not square or not finite, or {@code b} is not finite or has
     *                                  the wrong length
     */
    public static LinearField of(DMatrixRMaj a, double[] b) {
        int d = Arguments.square("a", a);
        Arguments.finite("a", a);
        Arguments.finite("b", b);
        Arguments.length("b", b.length, d);
        return new LinearField(a.copy(), b.clone());
    }

    /** The linear field \( v(x) = A x \) (no offset). */
    public static LinearField of(DMatrixRMaj a) {
        Arguments.square("a", a);
        return of(a, new double[a.numRows]);
    }

    /** Dimension {@code d}. */
    public int dimension() {
        return d;
    }

    /** A copy of the matrix \( A \). */
    public DMatrixRMaj a() {
        return a.copy();
    }

    /** A copy of the offset \( b \). */
    public double[] b() {
        return b.clone();
    }

    /** Writes \( v(x) = A x + b \) (independent of {@code t}); {@code out} must not overlap the point in {@code x}. */
    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        velocityMap.apply(x, xOffset, out, outOffset);
    }

    /**
     * The exact time-{@code t} flow map \( x \mapsto e^{tA} x + \Psi(t) b \), \( \Psi(t) = \int_0^t e^{sA} ds \)
     * (docs/closed-forms.md CF-2), from one exponential of a \( 2d \times 2d \) block matrix
     * ({@link MatrixFunctions#expIntegral(DMatrixRMaj, double)}). Negative {@code t} gives the inverse flow.
     *
     * @param t a finite time
     * @throws IllegalArgumentException if {@code t} is not finite or \( e^{tA} \) or \( \Psi(t) b \) overflows
     */
    public AffineMap flowMap(double t) {
        Arguments.finite("t", t);
        MatrixFunctions.ExpIntegral e = MatrixFunctions.expIntegral(a, t);
        DMatrixRMaj psi = e.integral();
        double[] offset = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += psi.unsafe_get(i, k) * b[k];
            }
            offset[i] = s;
        }
        return AffineMap.of(e.exp(), Arguments.finiteResult("t", "the flow map's offset Psi(t) b", offset));
    }

    /**
     * The exact law at time {@code t} of \( x(t) \) with \( x(0) \sim \mathcal{N}(m, \Sigma) \):
     * \( \mathcal{N}(e^{tA} m + \Psi(t) b,\; e^{tA} \Sigma e^{tA^\top}) \) (docs/closed-forms.md CF-1, CF-2).
     *
     * @throws IllegalArgumentException if the dimensions differ, {@code t} is not finite, or the image covariance
     *                                  is not numerically positive definite (\( e^{tA} \) is always invertible,
     *                                  but it can underflow for large negative \( t\,\mathrm{Re}\,\lambda(A) \))
     */
    public GaussianMeasure flow(GaussianMeasure mu, double t) {
        Arguments.notNull("mu", mu);
        Arguments.length("mu (dimension)", mu.dimension(), d);
        return flowMap(t).pushForward(mu);
    }

    /**
     * The push-forward of {@code mu} by the exact time-{@code t} flow map: every particle moves to
     * \( e^{tA} x_i + \Psi(t) b \), the weights stay.
     *
     * @throws IllegalArgumentException if the dimensions differ or {@code t} is not finite
     */
    public ParticleMeasure flow(ParticleMeasure mu, double t) {
        Arguments.notNull("mu", mu);
        Arguments.length("mu (dimension)", mu.dimension(), d);
        return mu.pushForward(flowMap(t));
    }

    @Override
    public String toString() {
        return "LinearField[d=" + d + ", A=" + TextSummary.matrix(a) + ", b=" + TextSummary.array(b) + "]";
    }
}
