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
        Arguments.atLeast("points (length)", points.length, Arguments.product("n * d", n, d));
        if (weights != null) {
            Arguments.length("weights", weights.length, n);
        }
    }
}
