package org.measureflow.ot.semidiscrete;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;

/**
 * Semi-discrete optimal transport by averaged stochastic gradient ascent on the semi-dual (Genevay, Cuturi,
 * Peyr&eacute; &amp; Bach, NeurIPS 2016, with \( \varepsilon = 0 \)), for a density \( \rho \) on \( \mathbb{R}^d \)
 * known only through samples, and weighted points \( \nu = \sum_i b_i \delta_{y_i} \), cost \( |x-y|^2 \) (survey
 * &sect;4, eq. 10):
 * \[ \max_\psi\ \Phi(\psi) = \mathbb{E}_{x\sim\rho}\Big[\min_i\big(|x-y_i|^2 - \psi_i\big)\Big] + \sum_i b_i\psi_i,
 * \qquad \nabla\Phi(\psi) = b - \big(\rho(\mathrm{Lag}_i(\psi))\big)_i . \]
 * One sample \( x_k \) gives the unbiased gradient \( g_k = b - e_{i(x_k)} \), \( i(x) = \arg\min_i |x-y_i|^2 -
 * \psi_i \) (the nearest power cell, found by a linear scan of \( 2\langle x, y_i\rangle - |y_i|^2 + \psi_i \), the
 * lifted form: \( O(nd) \) per sample). The iterates \( \psi_k = \psi_{k-1} + (C/\sqrt{k})\, g_k \) are averaged,
 * \( \bar\psi_K = \frac1K\sum_k \psi_k \): by Polyak&ndash;Juditsky, \( \sqrt K(\bar\psi_K - \psi^\star) \) tends to
 * \( \mathcal N(0, H^{+} S H^{+}) \) with \( H = -\nabla^2\Phi \) the Laplacian of
 * {@link SemiDiscreteNewton} and \( S = \mathrm{diag}(b) - bb^\top \), so the error decreases like \( K^{-1/2} \).
 *
 * <p>After the steps, the cell masses, the dual value \( \Phi(\bar\psi) \), the transport cost of the Laguerre
 * map and the centroids are estimated from {@code evaluationSamples} fresh samples (Monte Carlo error
 * \( \sqrt{b_i(1-b_i)/M} \) on each mass); the estimated largest mass error is {@link SemiDiscreteResult#error()},
 * tested against the tolerance (a run that does not meet it reports
 * {@link org.measureflow.core.iteration.Termination#ITERATION_LIMIT}: all its steps were done).
 *
 * <p>Randomness: every sample is drawn from the generator given to {@link #solve}, first the {@code steps} samples of
 * the iteration, then the evaluation samples, each point by {@link PointSampler#sample(int, RandomGenerator, double[])}
 * in its order ({@code sample(1, rng, x)} per point), so the same generator state gives the same bits.
 *
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>{@value #DEFAULT_STEPS} gradient steps ({@link #withSteps(long)});</li>
 * <li>step constant \( C \) automatic ({@code NaN}: {@link #AUTO_STEP} times the weighted mean squared distance of the
 *     points to their barycentre, a length squared of the data, so scale-free) ({@link #withStepSize(double)});</li>
 * <li>{@value #DEFAULT_EVALUATION_SAMPLES} evaluation samples ({@link #withEvaluationSamples(int)});</li>
 * <li>tolerance {@value #DEFAULT_TOLERANCE} on the estimated largest mass error ({@link #withTolerance(double)}).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; sequential.
 */
public final class SemiDiscreteSgd {
    /** Default number of stochastic gradient steps: {@value}. */
    public static final long DEFAULT_STEPS = 200_000;
    /** Default number of evaluation samples: {@value}. */
    public static final int DEFAULT_EVALUATION_SAMPLES = 100_000;
    /** Default tolerance on the estimated largest mass error: {@value}. */
    public static final double DEFAULT_TOLERANCE = 1e-2;
    /**
     * The automatic step constant as a multiple of the points' mean squared distance to their barycentre. Measured on
     * the uniform density of the unit square with 16 to 48 random points and \( 10^5 \) steps, as the root mean
     * square of \( (\bar\psi_i - \psi^\star_i) \) over its Polyak&ndash;Juditsky standard deviation (1 is the
     * optimum): 1.3 at this constant, 1.1 at 3 times it, 1.4 at 10 times it (but single weights up to 6 standard
     * deviations off), 6 at 0.3 times it and 18 at 0.1 times it (the iterates have not reached the optimum yet).
     */
    public static final double AUTO_STEP = 1.0;
    private final long steps;
    private final double stepSize;
    private final int evaluationSamples;
    private final double tolerance;

    private SemiDiscreteSgd(long steps, double stepSize, int evaluationSamples, double tolerance) {
        this.steps = steps;
        this.stepSize = stepSize;
        this.evaluationSamples = evaluationSamples;
        this.tolerance = tolerance;
    }

    /** The solver with the defaults listed in the class documentation. */
    public static SemiDiscreteSgd withDefaults() {
        return new SemiDiscreteSgd(DEFAULT_STEPS, Double.NaN, DEFAULT_EVALUATION_SAMPLES, DEFAULT_TOLERANCE);
    }

    /**
     * This solver with another number of stochastic gradient steps (one sample each).
     *
     * @param steps {@code >= 1}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code steps < 1}
     */
    public SemiDiscreteSgd withSteps(long steps) {
        return new SemiDiscreteSgd(Arguments.positive("steps", steps), stepSize, evaluationSamples, tolerance);
    }

    /**
     * This solver with another step constant \( C \) of \( C/\sqrt k \), in squared length units.
     *
     * @param stepSize finite and {@code > 0}, or {@code NaN} for the automatic choice
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code stepSize} is neither {@code NaN} nor finite and positive
     */
    public SemiDiscreteSgd withStepSize(double stepSize) {
        if (!Double.isNaN(stepSize)) {
            Arguments.positive("stepSize", stepSize);
        }
        return new SemiDiscreteSgd(steps, stepSize, evaluationSamples, tolerance);
    }

    /**
     * This solver with another number of fresh samples for the final estimates.
     *
     * @param evaluationSamples {@code >= 1}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code evaluationSamples < 1}
     */
    public SemiDiscreteSgd withEvaluationSamples(int evaluationSamples) {
        return new SemiDiscreteSgd(steps, stepSize, Arguments.positive("evaluationSamples", evaluationSamples),
                tolerance);
    }

    /**
     * This solver with another tolerance on the estimated largest mass error.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public SemiDiscreteSgd withTolerance(double tolerance) {
        return new SemiDiscreteSgd(steps, stepSize, evaluationSamples, Arguments.positive("tolerance", tolerance));
    }

    /** The number of gradient steps. */
    public long steps() {
        return steps;
    }

    /** The step constant ({@code NaN}: automatic). */
    public double stepSize() {
        return stepSize;
    }

    /** The number of evaluation samples. */
    public int evaluationSamples() {
        return evaluationSamples;
    }

    /** The tolerance on the estimated largest mass error. */
    public double tolerance() {
        return tolerance;
    }

    /**
     * Transport from the density sampled by {@code source} (a {@link org.measureflow.core.measure.GaussianMeasure},
     * {@link PointSampler#of(org.measureflow.core.measure.GridDensity)}, {@link PointSampler#uniform}...) to
     * {@code target} (its weights are \( b \)).
     *
     * @param rng the source of every sample
     * @throws IllegalArgumentException if an argument is null or the dimensions differ, or if the estimated semi-dual
     *                                  overflows double precision (samples and points too far apart, or a huge
     *                                  {@link #stepSize()}; checked after the run)
     */
    public SemiDiscreteResult solve(PointSampler source, ParticleMeasure target, RandomGenerator rng) {
        return solve(source, target, rng, IterationObserver.none());
    }

    /**
     * {@link #solve(PointSampler, ParticleMeasure, RandomGenerator)} watched by an observer, called after every
     * gradient step with the step count, no error ({@code NaN}: a step measures none) and the fraction of the steps
     * done; returning {@code false} ends the steps there (the evaluation still follows, and the result reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED} unless the estimated error meets the tolerance).
     *
     * @throws IllegalArgumentException as {@link #solve(PointSampler, ParticleMeasure, RandomGenerator)}, or if
     *                                  {@code observer} is null
     */
    public SemiDiscreteResult solve(PointSampler source, ParticleMeasure target, RandomGenerator rng,
                                    IterationObserver observer) {
        Arguments.notNull("source", source);
        Arguments.notNull("target", target);
        Arguments.notNull("rng", rng);
        Arguments.notNull("observer", observer);
        int d = target.dimension();
        Arguments.sameDimension("target", d, source.dimension(), "source");
        int n = target.size();
        double[] y = target.flatPoints();
        double[] b = target.weights();
        double[] norms = new double[n];
        double[] centre = target.mean();
        double spread = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double v = y[i * d + k];
                s += v * v;
                double c = v - centre[k];
                spread += b[i] * c * c;
            }
            norms[i] = s;
        }
        double step = Double.isNaN(stepSize) ? AUTO_STEP * (spread > 0 ? spread : 1.0) : stepSize;
        double[] avg = new double[n];
        PointSampler draw = source instanceof GaussianMeasure g ? new GaussianDraws(g) : source;
        long done = ascend(draw, y, norms, b, step, avg, rng, observer);
        double mean = 0;
        for (double v : avg) {
            mean += v;
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            avg[i] -= mean;
        }
        SemiDualEvaluation at = SemiDiscreteNewton.requireFinite("source and target (or stepSize)",
                evaluate(draw, y, norms, b, avg, d, rng));
        return new SemiDiscreteResult(at, Convergence.tested(done, at.massError(), tolerance, done < steps));
    }

    /**
     * The averaged stochastic gradient ascent: writes \( \bar\psi \) into {@code avg}; returns the steps done (fewer
     * than {@link #steps()} only if the observer stopped the run).
     */
    private long ascend(PointSampler source, double[] y, double[] norms, double[] b, double step, double[] avg,
                        RandomGenerator rng, IterationObserver observer) {
        int n = b.length;
        int d = y.length / n;
        long total = steps;
        double[] psi = new double[n];
        double[] x = new double[d];
        for (long k = 1; k <= total; k++) {
            source.sample(1, rng, x);
            int best = nearest(x, y, norms, psi, n, d);
            double gk = step / Math.sqrt(k);
            for (int i = 0; i < n; i++) {
                psi[i] += gk * b[i];
            }
            psi[best] -= gk;
            double w = 1.0 / k;
            for (int i = 0; i < n; i++) {
                avg[i] += w * (psi[i] - avg[i]);
            }
            if (!observer.observe(new IterationStatus(k, Double.NaN, (double) k / total))) {
                return k;
            }
        }
        return total;
    }

    private static int nearest(double[] x, double[] y, double[] norms, double[] psi, int n, int d) {
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double dot = 0;
            int row = i * d;
            for (int k = 0; k < d; k++) {
                dot += x[k] * y[row + k];
            }
            double v = 2 * dot - norms[i] + psi[i];
            if (v > bestV) {
                bestV = v;
                best = i;
            }
        }
        return best;
    }

    /** Monte Carlo estimates of the semi-dual and the cell integrals at {@code psi} from fresh samples. */
    private SemiDualEvaluation evaluate(PointSampler source, double[] y, double[] norms, double[] b, double[] psi,
                                        int d, RandomGenerator rng) {
        int n = b.length;
        int m = evaluationSamples;
        long[] counts = new long[n];
        double[] sums = new double[n * d];
        double[] x = new double[d];
        double minSum = 0;
        double costSum = 0;
        for (int s = 0; s < m; s++) {
            source.sample(1, rng, x);
            int best = nearest(x, y, norms, psi, n, d);
            double dist = 0;
            for (int k = 0; k < d; k++) {
                double diff = x[k] - y[best * d + k];
                dist += diff * diff;
                sums[best * d + k] += x[k];
            }
            counts[best]++;
            costSum += dist;
            minSum += dist - psi[best];
        }
        double[] masses = new double[n];
        double[] centroids = new double[n * d];
        double err = 0;
        double dual = minSum / m;
        for (int i = 0; i < n; i++) {
            masses[i] = (double) counts[i] / m;
            err = Math.max(err, Math.abs(masses[i] - b[i]));
            dual += b[i] * psi[i];
            for (int k = 0; k < d; k++) {
                centroids[i * d + k] = counts[i] > 0 ? sums[i * d + k] / counts[i] : y[i * d + k];
            }
        }
        return new SemiDualEvaluation(psi, masses, err, dual, costSum / m, centroids, d);
    }

    /**
     * The draws of {@link GaussianMeasure#sample(int, RandomGenerator, double[])}, the same numbers in the same order
     * (\( d \) normals per point, then \( x = m + Lz \) row by row, \( b = 0..a \)), with the work vector allocated
     * once per solve instead of once per call: the steps draw one point at a time.
     */
    private static final class GaussianDraws implements PointSampler {
        private final int d;
        private final double[] mean;
        private final double[] lower; // the Cholesky factor, flat row-major
        private final double[] z;

        GaussianDraws(GaussianMeasure g) {
            d = g.dimension();
            mean = g.mean();
            lower = g.choleskyFactor().data; // a copy
            z = new double[d];
        }

        @Override
        public int dimension() {
            return d;
        }

        @Override
        public void sample(int count, RandomGenerator rng, double[] out) {
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < d; k++) {
                    z[k] = rng.nextGaussian();
                }
                int row = i * d;
                for (int a = 0; a < d; a++) {
                    double s = mean[a];
                    for (int b = 0; b <= a; b++) {
                        s += lower[a * d + b] * z[b];
                    }
                    out[row + a] = s;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SemiDiscreteSgd[steps=" + steps + ", stepSize=" + stepSize + ", evaluationSamples="
                + evaluationSamples + ", tolerance=" + tolerance + "]";
    }
}
