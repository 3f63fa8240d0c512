package org.measureflow.core.field;

import org.measureflow.core.Arguments;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.parallel.Chunks;

/**
 * The velocities of all particles of a weighted measure \( \mu = \sum_i w_i \delta_{x_i} \) at once, for fields
 * that depend on the measure itself: \( \dot x_i = v_t(x_i; \mu_t) \) (survey eqs. 17, 21, 27). The weights
 * travel with the particles and do not change along the flow.
 *
 * <p>Points are stored row-major: particle {@code i} occupies {@code points[i*d .. i*d + d - 1]}, and its velocity
 * goes to the same place in {@code out}. Implementations must not allocate per call in their hot loop, must not
 * write to {@code points}, and, when they run in parallel, must give the same bits as a serial run
 * (see {@link Chunks}).
 */
@FunctionalInterface
public interface ParticleField {
    /**
     * Writes the velocity of every particle into {@code out}.
     *
     * @param t       time
     * @param points  the {@code n * d} particle coordinates, row-major
     * @param n       number of particles
     * @param d       dimension
     * @param weights the particle weights (summing to 1), or {@code null} for uniform weights {@code 1/n}
     * @param out     the {@code n * d} velocities, row-major
     */
    void velocities(double t, double[] points, int n, int d, double[] weights, double[] out);

    /**
     * The field {@code field} applied to each particle independently (a measure-independent field), evaluated in
     * parallel over fixed chunks of particles when there are many.
     */
    static ParticleField pointwise(VectorField field) {
        return (t, points, n, d, weights, out) -> Chunks.forEach(n, 8L * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                field.velocity(t, points, i * d, out, i * d);
            }
        });
    }

    /**
     * The particle system \( \dot y = F(t, y) \) on the flat state {@code y} of {@code n} particles in
     * dimension {@code d}, for the integrators of {@link org.measureflow.core.ode}.
     *
     * @param weights particle weights, or {@code null} for uniform; not copied, so the caller must not change them
     * @throws IllegalArgumentException if {@code n} or {@code d} is not positive, {@code n * d} exceeds the largest
     *                                  array, or {@code weights} has the wrong length
     */
    default OdeSystem system(int n, int d, double[] weights) {
        if (n <= 0 || d <= 0) {
            throw new IllegalArgumentException("n and d must be > 0, got n=" + n + ", d=" + d);
        }
        if (weights != null && weights.length != n) {
            throw new IllegalArgumentException("weights has length " + weights.length + ", expected n = " + n);
        }
        ParticleField field = this;
        int size = Arguments.product("n * d", n, d);
        return new OdeSystem() {
            @Override
            public int dimension() {
                return size;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                field.velocities(t, y, n, d, weights, dydt);
            }
        };
    }
}
