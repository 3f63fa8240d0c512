package org.measureflow.ot.gaussian;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.linalg.SymmetricEigensolver;
import org.measureflow.core.measure.GaussianMeasure;

/**
 * The Bures&ndash;Wasserstein barycentre \( \arg\min_\nu \sum_k w_k W_2^2(\mu_k, \nu) \) of Gaussians
 * \( \mu_k = \mathcal{N}(m_k, \Sigma_k) \) (survey Prop. 4.3; docs/closed-forms.md CF-12): it is
 * \( \mathcal{N}(\bar m, \bar\Sigma) \) with \( \bar m = \sum_k w_k m_k \) and \( \bar\Sigma \) the fixed point of
 * \[ \Sigma \leftarrow \Sigma^{-1/2} \Big( \sum_k w_k (\Sigma^{1/2}\Sigma_k\Sigma^{1/2})^{1/2} \Big)^2 \Sigma^{-1/2}, \]
 * which converges from any SPD start (&Aacute;lvarez-Esteban, del Barrio, Cuesta-Albertos, Matr&aacute;n 2016);
 * here the start is \( \sum_k w_k \Sigma_k \). Each step takes one symmetric eigendecomposition of \( \Sigma \) (for
 * \( \Sigma^{\pm 1/2} \)) and one per measure of positive weight; the next iterate is formed as \( Y^\top Y \),
 * \( Y = Q\Sigma^{-1/2} \), so it is symmetric by construction.
 *
 * <p>The iteration stops when the relative change \( \lVert \Sigma_{k+1} - \Sigma_k \rVert_F / \lVert \Sigma_k
 * \rVert_F \), the fixed-point residual and {@link BuresBarycenterResult#error()}, is at most the tolerance; reaching
 * the iteration limit is reported in the result, not thrown.
 *
 * <p>The iteration is homogeneous in the covariances (scaling all of them by \( c \) scales the barycentre by
 * \( c \)), so covariances far from 1 are rescaled by a power of 4 first and the result scaled back, as in
 * {@link BuresWasserstein}: the products inside a step then stay in the double range.
 *
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>tolerance {@value #DEFAULT_TOLERANCE} on the relative change ({@link #withTolerance(double)});</li>
 * <li>at most {@value #DEFAULT_MAX_ITERATIONS} fixed-point steps ({@link #withMaxIterations(long)}).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; work arrays are allocated once per solve.
 */
public final class BuresBarycenter {
    /** Default tolerance on the relative change of \( \Sigma \) in one step: {@value}. */
    public static final double DEFAULT_TOLERANCE = 1e-12;
    /** Default limit on fixed-point steps: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 1000;

    private final double tolerance;
    private final long maxIterations;

    private BuresBarycenter(double tolerance, long maxIterations) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** The iteration with the defaults listed in the class documentation. */
    public static BuresBarycenter withDefaults() {
        return new BuresBarycenter(DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * This iteration with another tolerance on the relative change
     * \( \lVert \Sigma_{k+1} - \Sigma_k \rVert_F / \lVert \Sigma_k \rVert_F \).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new configured iteration; this one is unchanged
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public BuresBarycenter withTolerance(double tolerance) {
        return new BuresBarycenter(Arguments.positive("tolerance", tolerance), maxIterations);
    }

    /**
     * This iteration with another limit on the fixed-point steps.
     *
     * @param maxIterations {@code > 0}
     * @return a new configured iteration; this one is unchanged
     * @throws IllegalArgumentException if {@code maxIterations <= 0}
     */
    public BuresBarycenter withMaxIterations(long maxIterations) {
        return new BuresBarycenter(tolerance, Arguments.positive("maxIterations", maxIterations));
    }

    /** The tolerance on the relative change of \( \Sigma \). */
    public double tolerance() {
        return tolerance;
    }

    /** The limit on fixed-point steps. */
    public long maxIterations() {
        return maxIterations;
    }

    /**
     * The barycentre of {@code measures} with {@code weights}.
     *
     * @param measures at least one Gaussian, all of the same dimension
     * @param weights  one non-negative weight per measure, summing to 1 (within
     *                 {@link Arguments#PROBABILITY_SUM_TOLERANCE})
     * @return the last iterate and how the iteration ended
     * @throws IllegalArgumentException on an empty, null-holding or ragged {@code measures}, or bad {@code weights}, or
     *                                  if the barycentre's covariance overflows double precision
     */
    public BuresBarycenterResult solve(GaussianMeasure[] measures, double[] weights) {
        return solve(measures, weights, IterationObserver.none());
    }

    /**
     * {@link #solve(GaussianMeasure[], double[])} watched by an observer, called after every step with the step count
     * and the relative change of that step; returning {@code false} stops the iteration (the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED} unless that step met the tolerance).
     *
     * @throws IllegalArgumentException as {@link #solve(GaussianMeasure[], double[])}, or if {@code observer} is null
     */
    public BuresBarycenterResult solve(GaussianMeasure[] measures, double[] weights, IterationObserver observer) {
        Arguments.noNulls("measures", Arguments.nonEmpty("measures", measures));
        int d = measures[0].dimension();
        for (int k = 1; k < measures.length; k++) {
            Arguments.sameDimension("measures[" + k + "]", measures[k].dimension(), d, "measures[0]");
        }
        Arguments.probabilityVector("weights", weights, measures.length);
        Arguments.notNull("observer", observer);
        double[][] covariances = new double[measures.length][];
        for (int k = 0; k < measures.length; k++) {
            covariances[k] = measures[k].covariance().data;
        }
        int scale = CovarianceScale.exponent(covariances);
        FixedPoint iteration = new FixedPoint(measures, weights, scale);
        double residual = Double.POSITIVE_INFINITY;
        long iterations = 0;
        boolean stopped = false;
        while (iterations < maxIterations) {
            iterations++;
            residual = iteration.step();
            boolean goOn = observer.observe(new IterationStatus(iterations, residual, Double.NaN));
            if (residual <= tolerance) {
                break;
            }
            if (!goOn) {
                stopped = true;
                break;
            }
        }
        double[] s = scale == 0 ? iteration.s : Arguments.finiteResult("measures", "the barycentre's covariance",
                CovarianceScale.scaled(iteration.s, -2 * scale));
        GaussianMeasure barycenter = GaussianMeasure.of(iteration.mean, Pair.matrix(s, d));
        return new BuresBarycenterResult(barycenter, Convergence.tested(iterations, residual, tolerance, stopped));
    }

    @Override
    public String toString() {
        return "BuresBarycenter[tolerance=" + tolerance + ", maxIterations=" + maxIterations + "]";
    }

    /** The state and work arrays of one solve. */
    private static final class FixedPoint {
        private final int d;
        private final int n;
        private final double[] weights;
        private final double[][] cov;
        final double[] mean;
        /** The current iterate \( \Sigma \), flat. */
        double[] s;
        private double[] next;
        private final SymmetricEigensolver eigen;
        private final double[] values;
        private final double[] vectors;
        private final double[] root;
        private final double[] inverseRoot;
        private final double[] sHalf;
        private final double[] sInvHalf;
        private final double[] inner;
        private final double[] innerHalf;
        private final double[] q;
        private final double[] y;
        private final double[] tmp;

        /**
         * The weighted mean \( \bar m \) and the start \( \sum_k w_k \Sigma_k \), on covariances scaled by
         * \( 4^{-scale} \) ({@link CovarianceScale}; the iteration is homogeneous in them).
         */
        FixedPoint(GaussianMeasure[] measures, double[] weights, int scale) {
            this.n = measures.length;
            this.d = measures[0].dimension();
            this.weights = weights;
            cov = new double[n][];
            mean = new double[d];
            s = new double[d * d];
            for (int k = 0; k < n; k++) {
                cov[k] = scale == 0 ? measures[k].covariance().data
                        : CovarianceScale.scaled(measures[k].covariance().data, 2 * scale);
                double[] mk = measures[k].mean();
                for (int i = 0; i < d; i++) {
                    mean[i] += weights[k] * mk[i];
                }
                for (int i = 0; i < d * d; i++) {
                    s[i] += weights[k] * cov[k][i];
                }
            }
            eigen = SymmetricEigensolver.of(d);
            values = new double[d];
            vectors = new double[d * d];
            root = new double[d];
            inverseRoot = new double[d];
            sHalf = new double[d * d];
            sInvHalf = new double[d * d];
            inner = new double[d * d];
            innerHalf = new double[d * d];
            q = new double[d * d];
            y = new double[d * d];
            next = new double[d * d];
            tmp = new double[d * d];
        }

        /** One fixed-point step \( \Sigma \leftarrow \Sigma^{-1/2} Q^2 \Sigma^{-1/2} \); returns the relative change. */
        double step() {
            squareRoots();
            Arrays.fill(q, 0.0);
            for (int k = 0; k < n; k++) {
                if (weights[k] == 0) {
                    continue;
                }
                FlatMatrices.product(sHalf, cov[k], d, tmp);
                FlatMatrices.product(tmp, sHalf, d, inner);
                FlatMatrices.symmetrise(inner, d);
                eigen.decompose(inner, values, vectors);
                for (int i = 0; i < d; i++) {
                    root[i] = Math.sqrt(Math.max(values[i], 0));
                }
                FlatMatrices.scaledProduct(vectors, root, vectors, d, tmp, innerHalf);
                for (int i = 0; i < d * d; i++) {
                    q[i] += weights[k] * innerHalf[i];
                }
            }
            FlatMatrices.symmetrise(q, d);
            FlatMatrices.product(q, sInvHalf, d, y); // Y = Q S^{-1/2}; the next iterate is Y^T Y
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    double acc = 0;
                    for (int k = 0; k < d; k++) {
                        acc += y[k * d + i] * y[k * d + j];
                    }
                    next[i * d + j] = acc;
                    next[j * d + i] = acc;
                }
            }
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < d * d; i++) {
                double delta = next[i] - s[i];
                diff += delta * delta;
                norm += s[i] * s[i];
            }
            double[] swap = s;
            s = next;
            next = swap;
            return Math.sqrt(diff / norm);
        }

        /** \( \Sigma^{1/2} \) and \( \Sigma^{-1/2} \) of the current iterate (eigenvalues floored at the least normal). */
        private void squareRoots() {
            eigen.decompose(s, values, vectors);
            for (int i = 0; i < d; i++) {
                double lambda = Math.max(values[i], Double.MIN_NORMAL);
                root[i] = Math.sqrt(lambda);
                inverseRoot[i] = 1 / root[i];
            }
            FlatMatrices.scaledProduct(vectors, root, vectors, d, tmp, sHalf);
            FlatMatrices.scaledProduct(vectors, inverseRoot, vectors, d, tmp, sInvHalf);
            FlatMatrices.symmetrise(sHalf, d);
            FlatMatrices.symmetrise(sInvHalf, d);
        }
    }
}
