package org.measureflow.gradientflow.energy;

import org.measureflow.core.Arguments;

/** Boundary checks shared by the particle energies. */
final class ParticleArguments {
    private ParticleArguments() {
    }

    static void check(double[] points, int n, int d, double[] weights) {
        Arguments.notNull("points", points);
        Arguments.positive("n", n);
        Arguments.positive("d", d);
        if ((long) n * d > points.length) {
            throw new IllegalArgumentException("points has length " + points.length + ", expected at least n * d = "
                    + (long) n * d);
        }
        if (weights != null) {
            Arguments.length("weights", weights.length, n);
        }
    }
}
