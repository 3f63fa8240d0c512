package org.measureflow.gradientflow.energy;

import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * An energy of discrete measures \( \mu = \sum_i w_i \delta_{x_i} \) (potential and interaction energies, the risk
 * of a mean-field network; not entropies, which are infinite on them): its particle Wasserstein gradient flow is
 * the ODE system
 * \[ \dot x_i = -\nabla \frac{\delta F}{\delta \mu}(\mu)(x_i), \]
 * (survey eq. 17), which is the gradient flow of \( X \mapsto F(\sum_i w_i\delta_{x_i}) \) in the metric
 * \( \sum_i w_i |\dot x_i|^2 \): \( \dot x_i = -\frac{1}{w_i}\partial_{x_i} F \). Weights do not move.
 *
 * <p>Points are flat and row-major (particle {@code i} at {@code points[i*d .. i*d + d - 1]}); {@code weights}
 * {@code null} means uniform weights \( 1/n \). Implementations must not write to {@code points}, must not
 * allocate per particle, and when parallel (through {@link org.measureflow.core.parallel.Chunks}) must give the
 * same bits as serially. Energies defined on grid densities too are {@link MeasureEnergy}s. Sums are made by
 * {@link #plus(ParticleEnergy)} or {@link #sum(ParticleEnergy...)}.
 */
public interface ParticleEnergy {
    /**
     * The value \( F(\mu) \) of the discrete measure: the unchecked primitive of solvers (a line search may evaluate
     * trial points where it overflows, and reject them); {@link #value(ParticleMeasure)} is the checked form.
     *
     * @param points  {@code n * d} coordinates
     * @param n       number of particles
     * @param d       dimension
     * @param weights weights summing to 1, or {@code null} for uniform
     * @return \( F(\sum_i w_i \delta_{x_i}) \)
     */
    double value(double[] points, int n, int d, double[] weights);

    /**
     * Adds the Wasserstein velocity \( -\nabla \frac{\delta F}{\delta\mu}(x_i) \) of every particle to {@code out}
     * (so that sums of energies need no work array).
     *
     * @param points  {@code n * d} coordinates (read only)
     * @param n       number of particles
     * @param d       dimension
     * @param weights weights, or {@code null} for uniform
     * @param out     {@code n * d} velocities, accumulated into
     */
    void addVelocities(double[] points, int n, int d, double[] weights, double[] out);

    /**
     * {@link #value(double[], int, int, double[])} of a particle measure.
     *
     * @param mu the measure
     * @return \( F(\mu) \)
     * @throws IllegalArgumentException if {@code mu} is null, or the energy overflows double precision (particles too
     *                                  far out for the potential or the interaction)
     */
    default double value(ParticleMeasure mu) {
        Arguments.notNull("mu", mu);
        return Arguments.finiteResult("mu", "the energy", value(mu.flatPoints(), mu.size(), mu.dimension(),
                mu.isUniform() ? null : mu.weights()));
    }

    /**
     * Writes the velocities \( v_i = -\nabla \frac{\delta F}{\delta\mu}(x_i) \) (survey eq. 17) into {@code out}.
     *
     * @param points  {@code n * d} coordinates (read only)
     * @param n       number of particles
     * @param d       dimension
     * @param weights weights, or {@code null} for uniform
     * @param out     {@code n * d} velocities, overwritten
     * @throws IllegalArgumentException naming {@code points} if a velocity overflows double precision
     */
    default void velocities(double[] points, int n, int d, double[] weights, double[] out) {
        Arrays.fill(out, 0, n * d, 0.0);
        addVelocities(points, n, d, weights, out);
        for (int k = 0; k < n * d; k++) {
            if (!Double.isFinite(out[k])) {
                Arguments.finiteResult("points", "the velocity of particle " + k / d, out[k]);
            }
        }
    }

    /**
     * The particle field \( x_i \mapsto -\nabla \frac{\delta F}{\delta\mu}(x_i) \) (time-independent), for the core
     * integrators: the velocities unchecked (the integrators check their states).
     *
     * @return the field
     */
    default ParticleField field() {
        return (t, points, n, d, weights, out) -> {
            Arrays.fill(out, 0, n * d, 0.0);
            addVelocities(points, n, d, weights, out);
        };
    }

    /**
     * The sum \( F + G \) of two particle energies, itself a particle energy (flattened).
     *
     * @param other \( G \)
     * @return the sum
     * @throws IllegalArgumentException if {@code other} is null
     */
    default ParticleEnergy plus(ParticleEnergy other) {
        return sum(this, other);
    }

    /**
     * The sum \( F = \sum_k F_k \) of particle energies: \( F(\mu) = \sum_k F_k(\mu) \) and the velocity
     * \( -\sum_k \nabla \frac{\delta F_k}{\delta\mu} \) (survey eq. 17), accumulated term by term into the output
     * without work arrays. Nested sums are flattened; a single energy is returned as it is.
     *
     * @param energies the summands, at least one
     * @return the sum
     * @throws IllegalArgumentException if no energy is given or one is null
     */
    static ParticleEnergy sum(ParticleEnergy... energies) {
        List<ParticleEnergy> terms = EnergySum.flatten(energies);
        return terms.size() == 1 ? terms.get(0) : new EnergySum.OfParticles(terms);
    }
}
