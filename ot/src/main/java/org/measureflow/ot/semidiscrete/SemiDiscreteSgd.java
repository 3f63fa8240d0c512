package org.measureflow.ot.semidiscrete;

import java.util.random.RandomGenerator;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

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
 * <p>After the iterations, the cell masses, the dual value \( \Phi(\bar\psi) \), the transport cost of the Laguerre
 * map and the centroids are estimated from {@code evaluationSamples} fresh samples (Monte Carlo error
 * \( \sqrt{b_i(1-b_i)/M} \) on each mass); {@code converged} reports whether the estimated largest mass error is within
 * the tolerance. Sequential and deterministic for a given generator state. Configured by {@link #options()}.
 */
public final class SemiDiscreteSgd {
    private final Options options;

    private SemiDiscreteSgd(Options options) {
        this.options = options;
    }

    /** The solver with default options. */
    public static SemiDiscreteSgd withDefaults() {
        return new SemiDiscreteSgd(Options.DEFAULTS);
    }

    /** The default options; change them with the withers and call {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** This solver's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * Immutable options. Defaults: \( 2 \cdot 10^5 \) gradient steps, step constant \( C \) automatic
     * ({@code NaN}: \( C = \) {@link #AUTO_STEP} times the mean squared distance of the points to their barycentre),
     * \( 10^5 \) evaluation samples, tolerance \( 10^{-2} \) on the estimated largest mass error.
     */
    public static final class Options {
        static final Options DEFAULTS = new Options(200_000, Double.NaN, 100_000, 1e-2);
        private final long iterations;
        private final double stepSize;
        private final int evaluationSamples;
        private final double tolerance;

        private Options(long iterations, double stepSize, int evaluationSamples, double tolerance) {
            this.iterations = iterations;
            this.stepSize = stepSize;
            this.evaluationSamples = evaluationSamples;
            this.tolerance = tolerance;
        }

        /** Number of stochastic gradient steps (one sample each), {@code >= 1}. */
        public Options iterations(long iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
            return new Options(iterations, stepSize, evaluationSamples, tolerance);
        }

        /** The step constant \( C \) of \( C/\sqrt k \), in squared length units; {@code NaN} for automatic. */
        public Options stepSize(double stepSize) {
            if (!Double.isNaN(stepSize)) {
                Arguments.positive("stepSize", stepSize);
            }
            return new Options(iterations, stepSize, evaluationSamples, tolerance);
        }

        /** Number of fresh samples for the final estimates, {@code >= 1}. */
        public Options evaluationSamples(int evaluationSamples) {
            return new Options(iterations, stepSize, Arguments.positive("evaluationSamples", evaluationSamples),
                    tolerance);
        }

        /** The tolerance on the estimated largest mass error that sets {@code converged} ({@code > 0}). */
        public Options tolerance(double tolerance) {
            return new Options(iterations, stepSize, evaluationSamples, Arguments.positive("tolerance", tolerance));
        }

        /** The number of gradient steps. */
        public long iterations() {
            return iterations;
        }

        /** The step constant ({@code NaN}: automatic). */
        public double stepSize() {
            return stepSize;
        }

        /** The number of evaluation samples. */
        public int evaluationSamples() {
            return evaluationSamples;
        }

        /** The tolerance on the estimated mass error. */
        public double tolerance() {
            return tolerance;
        }

        /** The solver with these options. */
        public SemiDiscreteSgd solver() {
            return new SemiDiscreteSgd(this);
        }
    }

    /**
     * The automatic step constant as a multiple of the points' mean squared distance to their barycentre. Measured on
     * the uniform density of the unit square with 16 to 48 random points and \( 10^5 \) steps, as the root mean
     * square of \( (\bar\psi_i - \psi^\star_i) \) over its Polyak&ndash;Juditsky standard deviation (1 is the
     * optimum): 1.3 at this constant, 1.1 at 3 times it, 1.4 at 10 times it (but single weights up to 6 standard
     * deviations off), 6 at 0.3 times it and 18 at 0.1 times it (the iterates have not reached the optimum yet).
     */
    public static final double AUTO_STEP = 1.0;

    /**
     * Transport from the Gaussian {@code source} to {@code target}.
     *
     * @throws IllegalArgumentException as {@link #solve(DensitySampler, ParticleMeasure, RandomGenerator)}
     */
    public SemiDiscreteResult solve(GaussianMeasure source, ParticleMeasure target, RandomGenerator rng) {
        return solve(DensitySampler.gaussian(source), target, rng);
    }

    /**
     * Transport from the density sampled by {@code source} to {@code target} (its weights are \( b \)).
     *
     * @throws IllegalArgumentException if an argument is null or the dimensions differ
     */
    public SemiDiscreteResult solve(DensitySampler source, ParticleMeasure target, RandomGenerator rng) {
        Arguments.notNull("source", source);
        Arguments.notNull("target", target);
        Arguments.notNull("rng", rng);
        int d = target.dimension();
        Arguments.length("target (dimension)", d, source.dimension());
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
        double step = Double.isNaN(options.stepSize) ? AUTO_STEP * (spread > 0 ? spread : 1.0) : options.stepSize;
        double[] psi = new double[n];
        double[] avg = new double[n];
        double[] x = new double[d];
        long iterations = options.iterations;
        for (long k = 1; k <= iterations; k++) {
            source.sample(rng, x);
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
        }
        double mean = 0;
        for (double v : avg) {
            mean += v;
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            avg[i] -= mean;
        }
        return evaluate(source, y, norms, b, avg, d, iterations, rng);
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

    private SemiDiscreteResult evaluate(DensitySampler source, double[] y, double[] norms, double[] b, double[] psi,
                                        int d, long iterations, RandomGenerator rng) {
        int n = b.length;
        int m = options.evaluationSamples;
        long[] counts = new long[n];
        double[] sums = new double[n * d];
        double[] x = new double[d];
        double minSum = 0;
        double costSum = 0;
        for (int s = 0; s < m; s++) {
            source.sample(rng, x);
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
        return new SemiDiscreteResult(psi, masses, err, iterations, err <= options.tolerance, dual, costSum / m,
                centroids, d);
    }

    @Override
    public String toString() {
        return "SemiDiscreteSgd[iterations=" + options.iterations + ", stepSize=" + options.stepSize + "]";
    }
}
