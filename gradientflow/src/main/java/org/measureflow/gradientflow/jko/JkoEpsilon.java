package org.measureflow.gradientflow.jko;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;

/**
 * The entropic regularisation \( \varepsilon > 0 \) of an entropic JKO step ({@link EntropicJko}), given either
 * absolutely, in the units of the cost \( |x - y|^2 \), or adapted to the grid and the energy:
 * \[ \varepsilon = \max(2 h_{\max}^2,\ \tau D), \]
 * with \( h_{\max} \) the largest cell size and \( D \) the total entropy coefficient of the energy (0 without
 * entropy). \( 2h^2 \) gives the Gibbs kernel \( e^{-|x-y|^2/\varepsilon} \) a standard deviation of one cell;
 * \( \tau D \) keeps the scalings of diffusive flows within floating-point range (their dual potentials grow like
 * \( \tau|x|^2/\varepsilon \)) while the blur \( \varepsilon/(4\tau) = D/4 \) is compensated. Neither is a silent
 * default: a JKO scheme is made with one of them ({@link EntropicJko#of(double, JkoEpsilon)}). Immutable.
 */
public final class JkoEpsilon {
    private static final JkoEpsilon ADAPTED = new JkoEpsilon(Double.NaN);

    /** The absolute value, NaN when adapted to the grid. */
    private final double value;

    private JkoEpsilon(double value) {
        this.value = value;
    }

    /**
     * An absolute epsilon, in the units of the cost \( |x - y|^2 \).
     *
     * @param epsilon finite and {@code > 0}
     * @return the epsilon
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static JkoEpsilon absolute(double epsilon) {
        return new JkoEpsilon(Arguments.positive("epsilon", epsilon));
    }

    /**
     * The epsilon adapted to the grid and the energy, \( \varepsilon = \max(2 h_{\max}^2, \tau D) \) (see the class
     * comment).
     *
     * @return the epsilon
     */
    public static JkoEpsilon gridAdapted() {
        return ADAPTED;
    }

    /**
     * Whether this epsilon is adapted to the grid ({@link #gridAdapted()}) rather than absolute.
     *
     * @return whether it is grid-adapted
     */
    public boolean isGridAdapted() {
        return Double.isNaN(value);
    }

    /**
     * The absolute value of \( \varepsilon \) for a step of length {@code tau} on {@code grid} for an energy whose
     * entropy terms sum to \( D \) = {@code entropyCoefficient}.
     *
     * @param grid               the grid
     * @param tau                the time step \( \tau > 0 \)
     * @param entropyCoefficient \( D \ge 0 \), the sum of the coefficients of the energy's entropy terms
     * @return \( \varepsilon \)
     * @throws IllegalArgumentException if {@code grid} is null, {@code tau} is not positive or
     *                                  {@code entropyCoefficient} is negative
     */
    public double resolve(GridDensity.Grid grid, double tau, double entropyCoefficient) {
        Arguments.notNull("grid", grid);
        Arguments.positive("tau", tau);
        Arguments.nonNegative("entropyCoefficient", entropyCoefficient);
        if (!isGridAdapted()) {
            return value;
        }
        double h = grid.cellSize(0);
        if (grid.dimension() == 2) {
            h = Math.max(h, grid.cellSize(1));
        }
        return Math.max(2 * h * h, tau * entropyCoefficient);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JkoEpsilon e && Double.compare(e.value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    /** {@code "0.01"}, or {@code "max(2 h^2, tau D)"} when grid-adapted. */
    @Override
    public String toString() {
        return isGridAdapted() ? "max(2 h^2, tau D)" : TextSummary.number(value);
    }
}
