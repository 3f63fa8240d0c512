package org.measureflow.gradientflow.particles;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.gradientflow.energy.ParticleEnergy;

/**
 * The implicit (JKO, proximal-point) step on a discrete measure, survey eq. 14:
 * \[ X^{k+1} = \arg\min_X \Phi(X), \qquad \Phi(X) = \sum_i w_i \frac{|x_i - x_i^k|^2}{2\tau} + F\Big(\sum_i w_i
 *    \delta_{x_i}\Big), \]
 * whose optimality condition is the backward Euler step \( x_i^{k+1} = x_i^k + \tau\, v_i(X^{k+1}) \),
 * \( v_i = -\nabla\frac{\delta F}{\delta\mu}(x_i) \). (For small moves the particles keep their identities, and
 * \( \sum_i w_i|x_i - x_i^k|^2 \) is the squared Wasserstein distance of the two measures.) Unconditionally stable
 * for \( \lambda \)-convex \( F \): no step-size limit from stiff potentials, unlike the explicit flow.
 *
 * <p>The minimisation is gradient descent in the metric \( \sum_i w_i|\cdot|^2 \) with Barzilai&ndash;Borwein step
 * sizes and an Armijo backtracking guard, started from the explicit Euler predictor, until the residual
 * \( (\sum_i w_i |(x_i - x_i^k)/\tau - v_i|^2)^{1/2} \) is at most the tolerance. Immutable.
 */
public final class ImplicitParticleStep {
    private final Options options;

    private ImplicitParticleStep(Options options) {
        this.options = options;
    }

    /** The default options; change them with the withers and build with {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** A step with the default options. */
    public static ImplicitParticleStep withDefaults() {
        return new ImplicitParticleStep(Options.DEFAULTS);
    }

    /** The options. */
    public Options getOptions() {
        return options;
    }

    /**
     * One implicit step from {@code mu}.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public ImplicitStep step(ParticleMeasure mu, ParticleEnergy energy) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        int n = mu.size();
        int d = mu.dimension();
        int size = n * d;
        double[] w = mu.isUniform() ? null : mu.weights();
        double[] x0 = mu.flatPoints();
        double[] x = x0.clone();
        double[] v = new double[size];
        double[] g = new double[size];
        double[] gPrev = new double[size];
        double[] xPrev = new double[size];
        double[] trial = new double[size];
        double tau = options.tau;
        // explicit Euler predictor
        energy.velocities(x0, n, d, w, v);
        for (int k = 0; k < size; k++) {
            x[k] = x0[k] + tau * v[k];
        }
        double phi = objective(energy, x, x0, n, d, w);
        double tolerance = options.tolerance;
        int maxIterations = options.maxIterations;
        double alpha = tau;
        int it = 0;
        double residual = gradient(energy, x, x0, n, d, w, v, g);
        while (residual > tolerance && it < maxIterations) {
            it++;
            double g2 = residual * residual;
            double step = alpha;
            double phiTrial;
            int backtracks = 0;
            while (true) {
                for (int k = 0; k < size; k++) {
                    trial[k] = x[k] - step * g[k];
                }
                phiTrial = objective(energy, trial, x0, n, d, w);
                if (phiTrial <= phi - 1e-4 * step * g2 || backtracks >= 60) {
                    break;
                }
                step *= 0.5;
                backtracks++;
            }
            System.arraycopy(x, 0, xPrev, 0, size);
            System.arraycopy(g, 0, gPrev, 0, size);
            System.arraycopy(trial, 0, x, 0, size);
            phi = phiTrial;
            residual = gradient(energy, x, x0, n, d, w, v, g);
            // Barzilai-Borwein step <s, s>_w / <s, y>_w for the next iteration
            double ss = 0;
            double sy = 0;
            for (int i = 0; i < n; i++) {
                double wi = w == null ? 1.0 / n : w[i];
                for (int k = i * d; k < i * d + d; k++) {
                    double s = x[k] - xPrev[k];
                    ss += wi * s * s;
                    sy += wi * s * (g[k] - gPrev[k]);
                }
            }
            alpha = sy > 0 ? ss / sy : tau;
        }
        if (!Double.isFinite(residual)) {
            throw new IllegalStateException("the implicit step diverged (residual " + residual + ")");
        }
        return new ImplicitStep(mu.withFlatPoints(x), it, residual, residual <= tolerance);
    }

    /**
     * {@code steps} implicit steps from {@code mu}: the JKO approximation of the flow at times \( k\tau \).
     *
     * @throws IllegalArgumentException if an argument is null or {@code steps < 0}
     */
    public List<ImplicitStep> flow(ParticleMeasure mu, ParticleEnergy energy, int steps) {
        Arguments.notNull("mu", mu);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        List<ImplicitStep> out = new ArrayList<>(steps);
        ParticleMeasure current = mu;
        for (int k = 0; k < steps; k++) {
            ImplicitStep s = step(current, energy);
            out.add(s);
            current = s.measure();
        }
        return out;
    }

    private double objective(ParticleEnergy energy, double[] x, double[] x0, int n, int d, double[] w) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 / n : w[i];
            double r = 0;
            for (int k = i * d; k < i * d + d; k++) {
                double z = x[k] - x0[k];
                r += z * z;
            }
            s += wi * r;
        }
        return s / (2 * options.tau) + energy.value(x, n, d, w);
    }

    /** Writes \( G_i = (x_i - x_i^0)/\tau - v_i \) and returns \( (\sum_i w_i|G_i|^2)^{1/2} \). */
    private double gradient(ParticleEnergy energy, double[] x, double[] x0, int n, int d, double[] w, double[] v,
                            double[] g) {
        energy.velocities(x, n, d, w, v);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 / n : w[i];
            double r = 0;
            for (int k = i * d; k < i * d + d; k++) {
                double gk = (x[k] - x0[k]) / options.tau - v[k];
                g[k] = gk;
                r += gk * gk;
            }
            s += wi * r;
        }
        return Math.sqrt(s);
    }

    /**
     * Options of {@link ImplicitParticleStep}, immutable; every wither returns a new object. Defaults:
     * {@code tau = 1e-2}, {@code tolerance = 1e-10} (on the residual, in velocity units) and
     * {@code maxIterations = 10000} inner iterations per step.
     */
    public static final class Options {
        static final Options DEFAULTS = new Options(1e-2, 1e-10, 10_000);

        final double tau;
        final double tolerance;
        final int maxIterations;

        private Options(double tau, double tolerance, int maxIterations) {
            this.tau = tau;
            this.tolerance = tolerance;
            this.maxIterations = maxIterations;
        }

        /** The time step \( \tau > 0 \). */
        public Options tau(double tau) {
            return new Options(Arguments.positive("tau", tau), tolerance, maxIterations);
        }

        /** The residual tolerance, {@code > 0}. */
        public Options tolerance(double tolerance) {
            return new Options(tau, Arguments.positive("tolerance", tolerance), maxIterations);
        }

        /** The inner iteration budget, {@code > 0}. */
        public Options maxIterations(int maxIterations) {
            return new Options(tau, tolerance, Arguments.positive("maxIterations", maxIterations));
        }

        /** A step with these options. */
        public ImplicitParticleStep solver() {
            return new ImplicitParticleStep(this);
        }

        /** \( \tau \). */
        public double tau() {
            return tau;
        }

        /** The residual tolerance. */
        public double tolerance() {
            return tolerance;
        }

        /** The inner iteration budget. */
        public int maxIterations() {
            return maxIterations;
        }

        @Override
        public String toString() {
            return "ImplicitParticleStep.Options[tau=" + tau + ", tolerance=" + tolerance + ", maxIterations="
                    + maxIterations + "]";
        }
    }
}
