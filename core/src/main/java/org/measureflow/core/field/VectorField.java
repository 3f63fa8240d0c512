package org.measureflow.core.field;

/**
 * A time-dependent vector field \( v : [0,1] \times \mathbb{R}^d \to \mathbb{R}^d \) evaluated at one point: the
 * velocity of a particle that follows \( \dot x(t) = v_t(x(t)) \) (survey eq. 1). A field that does not depend on
 * the measure being transported is a {@code VectorField}; one that does (interactions, attention, mean-field
 * gradients) is a {@link ParticleField}.
 *
 * <p>Points live in flat row-major arrays, so the point and its velocity are addressed by offsets: the field reads
 * {@code x[xOffset .. xOffset + d - 1]} and writes {@code out[outOffset .. outOffset + d - 1]}, where {@code d} is
 * the dimension the field was built for. Implementations must not allocate, must not write to {@code x}, and must
 * be safe to call from several threads at once (they are evaluated on particle chunks in parallel).
 */
@FunctionalInterface
public interface VectorField {
    /**
     * Writes \( v_t(x) \) into {@code out}. An unchecked kernel: the integrators call it in their hot loops, so it
     * checks neither the arrays nor the finiteness of {@code x}; the checked entry points are the integrators and
     * samplers, which validate their inputs once and report a state that leaves the double range.
     *
     * @param t         time
     * @param x         array holding the point
     * @param xOffset   index of the point's first coordinate in {@code x}
     * @param out       array receiving the velocity
     * @param outOffset index of the velocity's first coordinate in {@code out}
     */
    void velocity(double t, double[] x, int xOffset, double[] out, int outOffset);

    /** Writes \( v_t(x) \) into {@code out} for a point stored alone in {@code x}. */
    default void velocity(double t, double[] x, double[] out) {
        velocity(t, x, 0, out, 0);
    }

    /** This field applied to every particle independently, in parallel over fixed chunks of particles. */
    default ParticleField onParticles() {
        return ParticleField.pointwise(this);
    }
}
