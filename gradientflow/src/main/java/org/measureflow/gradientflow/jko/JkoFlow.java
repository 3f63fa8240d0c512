package org.measureflow.gradientflow.jko;

import java.util.List;

import org.measureflow.core.measure.GridDensity;

/**
 * A run of the JKO scheme: \( \rho_0 \) and the steps \( \rho_1, \dots, \rho_K \), with \( \rho_k \) the
 * approximation of the gradient flow at time \( k\tau \) (survey eq. 13).
 *
 * @param initial the initial density \( \rho_0 \)
 * @param tau     the time step \( \tau \)
 * @param steps   the steps, in order (an unmodifiable copy)
 */
public record JkoFlow(GridDensity initial, double tau, List<JkoStep> steps) {
    /** Copies the list of steps. */
    public JkoFlow {
        steps = List.copyOf(steps);
    }

    /** The last density \( \rho_K \) (the initial one if there are no steps). */
    public GridDensity finalDensity() {
        return steps.isEmpty() ? initial : steps.get(steps.size() - 1).density();
    }

    /** The density after step {@code k} (\( k = 0 \) is the initial density), at time \( k\tau \). */
    public GridDensity density(int k) {
        if (k < 0 || k > steps.size()) {
            throw new IllegalArgumentException("k must be in [0, " + steps.size() + "], got " + k);
        }
        return k == 0 ? initial : steps.get(k - 1).density();
    }

    /** Whether every step converged. */
    public boolean converged() {
        for (JkoStep s : steps) {
            if (!s.converged()) {
                return false;
            }
        }
        return true;
    }

    /** The largest marginal error over the steps (0 without steps). */
    public double maxMarginalError() {
        double m = 0;
        for (JkoStep s : steps) {
            m = Math.max(m, s.marginalError());
        }
        return m;
    }
}
