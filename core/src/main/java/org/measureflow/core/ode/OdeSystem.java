package org.measureflow.core.ode;

/**
 * An ordinary differential equation \( \dot y = F(t, y) \) on a flat state \( y \in \mathbb{R}^N \). Particle
 * systems (survey eq. 1) are ODEs on the {@code n * d} flat coordinates of all particles; build them with
 * {@link org.measureflow.core.field.ParticleField#system(int, int, double[])}.
 */
public interface OdeSystem {
    /** Length {@code N} of the state vector. */
    int dimension();

    /**
     * Writes \( F(t, y) \) into {@code dydt}. Must not write to {@code y}, nor allocate in hot loops.
     *
     * @param t    time
     * @param y    state, length {@link #dimension()}
     * @param dydt output, length {@link #dimension()}
     */
    void derivative(double t, double[] y, double[] dydt);

    /** The right-hand side of an ODE, as a lambda. */
    @FunctionalInterface
    interface RightHandSide {
        /** Writes \( F(t, y) \) into {@code dydt}. */
        void compute(double t, double[] y, double[] dydt);
    }

    /** An ODE of dimension {@code dimension} with right-hand side {@code rhs}. */
    static OdeSystem of(int dimension, RightHandSide rhs) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
        }
        if (rhs == null) {
            throw new IllegalArgumentException("rhs must not be null");
        }
        return new OdeSystem() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                rhs.compute(t, y, dydt);
            }
        };
    }
}
