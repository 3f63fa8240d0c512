package org.measureflow.gradientflow.energy;

import java.util.List;

import org.measureflow.core.measure.GridDensity;

/**
 * A functional \( F(\rho) \) of probability densities on a grid, with its first variation
 * \( \frac{\delta F}{\delta\rho} \): the object whose Wasserstein gradient flow
 * \( \partial_t \rho = \mathrm{div}\big(\rho\, \nabla \frac{\delta F}{\delta \rho}\big) \) (survey eq. 15) the
 * entropic JKO scheme (eq. 13, {@link org.measureflow.gradientflow.jko.EntropicJko}) computes.
 *
 * <p>On a {@link GridDensity} the integrals are midpoint sums over the cells, \( \int g\,dx \approx \sum_c g(x_c)
 * |\Delta| \), and the first variation is returned at the cell centres. Internal energies
 * ({@link InternalEnergy}: entropy, porous medium) are grid energies only; potential and interaction energies are
 * defined on particles too ({@link MeasureEnergy}). Implementations are immutable.
 *
 * <p>Sums are made by {@link #plus(GridEnergy)} or {@link #sum(GridEnergy...)}; {@link #terms()} lists the summands
 * of a sum (the JKO step treats each kind of term by its own proximal map).
 */
public interface GridEnergy {
    /**
     * The value \( F(\rho) \) of the density (discretised by the midpoint rule).
     *
     * @param rho the density (its mass need not be 1; the formula is applied as it stands)
     * @return \( F(\rho) \)
     * @throws IllegalArgumentException (the library's energies) naming {@code rho} if the energy overflows double
     *                                  precision
     */
    double value(GridDensity rho);

    /**
     * The first variation \( \frac{\delta F}{\delta \rho}(x_c) \) at every cell centre: the function such that
     * \( \frac{d}{ds} F(\rho + s\chi)|_{s=0} = \int \frac{\delta F}{\delta\rho}\, \chi \) (survey eq. 15).
     *
     * @param rho the density
     * @return one value per cell, row-major like the density ({@code -Infinity} where the energy documents it, as
     *         the entropy on empty cells)
     * @throws IllegalArgumentException (the library's energies) naming {@code rho} or {@code grid} if a value
     *                                  overflows double precision
     */
    double[] firstVariation(GridDensity rho);

    /**
     * The summands of this energy: the flattened list of a sum made by {@link #plus(GridEnergy)} or
     * {@link #sum(GridEnergy...)}, the energy itself otherwise.
     *
     * @return the summands, unmodifiable
     */
    default List<GridEnergy> terms() {
        return List.of(this);
    }

    /**
     * The sum \( F + G \) (flattened: the terms of sums are listed one by one).
     *
     * @param other \( G \)
     * @return the sum, a grid energy
     * @throws IllegalArgumentException if {@code other} is null
     */
    default GridEnergy plus(GridEnergy other) {
        return sum(this, other);
    }

    /**
     * The sum \( F = \sum_k F_k \): \( F(\rho) = \sum_k F_k(\rho) \) and
     * \( \frac{\delta F}{\delta\rho} = \sum_k \frac{\delta F_k}{\delta\rho} \) (the first variation is linear in the
     * functional). Nested sums are flattened; a single energy is returned as it is.
     *
     * @param energies the summands, at least one
     * @return the sum
     * @throws IllegalArgumentException if no energy is given or one is null
     */
    static GridEnergy sum(GridEnergy... energies) {
        List<GridEnergy> terms = EnergySum.flatten(energies);
        return terms.size() == 1 ? terms.get(0) : new EnergySum.OfGrid(terms);
    }
}
