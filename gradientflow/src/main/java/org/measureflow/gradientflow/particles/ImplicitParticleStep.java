package org.measureflow.gradientflow.particles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
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
 * \( (\sum_i w_i |(x_i - x_i^k)/\tau - v_i|^2)^{1/2} \) is at most the tolerance.
 *
 * <p><b>Made by</b> {@link #of(double)}: the time step \( \tau \) has no scale-free default. <b>Defaults</b>:
 * <ul>
 * <li>{@code tolerance = 1e-10}: the residual (velocity units) at which the inner minimisation stops;</li>
 * <li>{@code maxIterations = 10000} inner iterations per step.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ImplicitParticleStep {
    private final double tau;
    private final double tolerance;
    private final long maxIterations;

    private ImplicitParticleStep(double tau, double tolerance, long maxIterations) {
        this.tau = tau;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /**
     * The implicit step of length {@code tau}, other settings at their defaults (see the class comment).
     *
     * @param tau the time step \( \tau \), finite and {@code > 0}
     * @return the step
     * @throws IllegalArgumentException if {@code tau} is not finite and positive
     */
    public static ImplicitParticleStep of(double tau) {
        return new ImplicitParticleStep(Arguments.positive("tau", tau), 1e-10, 10_000);
    }

    /**
     * This step with another time step.
     *
     * @param tau \( \tau \), finite and {@code > 0}
     * @return a new step
     * @throws IllegalArgumentException if {@code tau} is not finite and positive
     */
    public ImplicitParticleStep withTau(double tau) {
        return new ImplicitParticleStep(Arguments.positive("tau", tau), tolerance, maxIterations);
    }

    /**
     * This step with another residual tolerance (velocity units).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new step
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public ImplicitParticleStep withTolerance(double tolerance) {
        return new ImplicitParticleStep(tau, Arguments.positive("tolerance", tolerance), maxIterations);
    }

    /**
     * This step with another budget of inner iterations.
     *
     * @param maxIterations {@code > 0}
     * @return a new step
     * @throws IllegalArgumentException if {@code maxIterations} is not positive
     */
    public ImplicitParticleStep withMaxIterations(long maxIterations) {
        return new ImplicitParticleStep(tau, tolerance, Arguments.positive("maxIterations", maxIterations));
    }

    /**
     * The time step \( \tau \).
     *
     * @return \( \tau \)
     */
    public double tau() {
        return tau;
    }

    /**
     * The residual tolerance.
     *
     * @return the tolerance
     */
    public double tolerance() {
        return tolerance;
    }

    /**
     * The budget of inner iterations per step.
     *
     * @return the budget
     */
    public long maxIterations() {
        return maxIterations;
    }

    /**
     * One implicit step from {@code mu}.
     *
     * @param mu     \( \mu_k \)
     * @param energy \( F \)
     * @return \( \mu_{k+1} \) and how the inner minimisation ended
     * @throws IllegalArgumentException if an argument is null, naming {@code tau} if the inner minimisation
     *                                  diverges, or naming {@code mu} if its energy overflows double precision
     */
    public ImplicitStepResult step(ParticleMeasure mu, ParticleEnergy energy) {
        return step(mu, energy, IterationObserver.none());
    }

    /**
     * {@link #step(ParticleMeasure, ParticleEnergy)}, reporting every inner iteration to {@code observer} (error:
     * the residual; fraction done unknown, NaN); the step stops when the observer returns {@code false} (then
     * {@link org.measureflow.core.iteration.Termination#STOPPED} unless the tolerance was met).
     *
     * @param mu       \( \mu_k \)
     * @param energy   \( F \)
     * @param observer called after every inner iteration
     * @return \( \mu_{k+1} \) and how the inner minimisation ended
     * @throws IllegalArgumentException if an argument is null, naming {@code tau} if the inner minimisation
     *                                  diverges, or naming {@code mu} if its energy overflows double precision
     */
    public ImplicitStepResult step(ParticleMeasure mu, ParticleEnergy energy, IterationObserver observer) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        Arguments.notNull("observer", observer);
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
        // explicit Euler predictor
        Arguments.finiteResult("mu", "the energy", energy.value(x0, n, d, w));
        Arrays.fill(v, 0, n * d, 0.0); // the unchecked velocities: a diverging iterate is this step's to report
        energy.addVelocities(x0, n, d, w, v);
        for (int k = 0; k < size; k++) {
            x[k] = x0[k] + tau * v[k];
        }
        double phi = objective(energy, x, x0, n, d, w);
        double alpha = tau;
        long it = 0;
        boolean stopped = false;
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
            if (!observer.observe(new IterationStatus(it, residual, Double.NaN)) && residual > tolerance) {
                stopped = true;
                break;
            }
        }
        if (!Double.isFinite(residual)) {
            throw new IllegalArgumentException("tau: the implicit step diverged (residual " + residual + "); tau = "
                    + tau + " is too large for this energy");
        }
        return new ImplicitStepResult(mu.withFlatPoints(x), Convergence.tested(it, residual, tolerance, stopped));
    }

    /**
     * {@code steps} implicit steps from {@code mu}: the JKO approximation of the flow at times \( k\tau \).
     *
     * @param mu     \( \mu_0 \)
     * @param energy \( F \)
     * @param steps  the number of steps, {@code >= 0}
     * @return the steps, in order
     * @throws IllegalArgumentException if an argument is null or {@code steps < 0}, or naming {@code tau} if an inner
     *                                  minimisation diverges
     */
    public List<ImplicitStepResult> flow(ParticleMeasure mu, ParticleEnergy energy, int steps) {
        return flow(mu, energy, steps, IterationObserver.none());
    }

    /**
     * {@link #flow(ParticleMeasure, ParticleEnergy, int)}, reporting one {@link IterationStatus} per step to
     * {@code observer} (the step count, the step's residual, the fraction done \( k/K \)); the flow stops after a
     * step for which the observer returns {@code false}, and the list then holds the steps done.
     *
     * @param mu       \( \mu_0 \)
     * @param energy   \( F \)
     * @param steps    the number of steps, {@code >= 0}
     * @param observer called after every step
     * @return the steps done, in order
     * @throws IllegalArgumentException if an argument is null or {@code steps < 0}, or naming {@code tau} if an inner
     *                                  minimisation diverges
     */
    public List<ImplicitStepResult> flow(ParticleMeasure mu, ParticleEnergy energy, int steps,
                                         IterationObserver observer) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        Arguments.nonNegative("steps", steps);
        Arguments.notNull("observer", observer);
        List<ImplicitStepResult> out = new ArrayList<>(steps);
        ParticleMeasure current = mu;
        for (int k = 0; k < steps; k++) {
            ImplicitStepResult s = step(current, energy);
            out.add(s);
            current = s.measure();
            if (!observer.observe(new IterationStatus(k + 1, s.error(), (k + 1.0) / steps))) {
                break;
            }
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
        return s / (2 * tau) + energy.value(x, n, d, w);
    }

    /** Writes \( G_i = (x_i - x_i^0)/\tau - v_i \) and returns \( (\sum_i w_i|G_i|^2)^{1/2} \). */
    private double gradient(ParticleEnergy energy, double[] x, double[] x0, int n, int d, double[] w, double[] v,
                            double[] g) {
        Arrays.fill(v, 0, n * d, 0.0);
        energy.addVelocities(x, n, d, w, v);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 / n : w[i];
            double r = 0;
            for (int k = i * d; k < i * d + d; k++) {
                double gk = (x[k] - x0[k]) / tau - v[k];
                g[k] = gk;
                r += gk * gk;
            }
            s += wi * r;
        }
        return Math.sqrt(s);
    }

    /** One line: {@code ImplicitParticleStep[tau=0.01, tolerance=1e-10, maxIterations=10000]}. */
    @Override
    public String toString() {
        return "ImplicitParticleStep[tau=" + TextSummary.number(tau) + ", tolerance=" + TextSummary.brief(tolerance)
                + ", maxIterations=" + maxIterations + "]";
    }
}
