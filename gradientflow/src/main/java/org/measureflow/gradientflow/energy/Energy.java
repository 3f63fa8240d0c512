package org.measureflow.gradientflow.energy;

import java.util.List;

import org.measureflow.core.measure.GridDensity;

/**
 * A functional \( F(\rho) \) on probability densities, with its first variation \( \frac{\delta F}{\delta\rho} \),
 * the object whose Wasserstein gradient flow \( \partial_t \rho = \mathrm{div}\big(\rho\, \nabla
 * \frac{\delta F}{\delta \rho}\big) \) (survey eq. 15) and JKO scheme (eq. 13) this module computes.
 *
 * <p>On a {@link GridDensity} the integrals are midpoint sums over the cells, \( \int g\,dx \approx \sum_c g(x_c)
 * |\Delta| \), and the first variation is returned at the cell centres. Implementations are immutable.
 * Sums are built with {@link #plus(Energy)}; {@link #terms()} lists the summands of a sum (the JKO step treats
 * each kind of term by its own proximal map).
 */
public interface Energy {
    /**
     * The value \( F(\rho) \) of the density (discretised by the midpoint rule).
     *
     * @param rho the density (its mass need not be 1; the formula is applied as it stands)
     * @return \( F(\rho) \)
     */
    double value(GridDensity rho);

    /**
     * The first variation \( \frac{\delta F}{\delta \rho}(x_c) \) at every cell centre: the function such that
     * \( \frac{d}{ds} F(\rho + s\chi)|_{s=0} = \int \frac{\delta F}{\delta\rho}\, \chi \) (survey eq. 15).
     *
     * @param rho the density
     * @return one value per cell, row-major like the density
     */
    double[] firstVariation(GridDensity rho);

    /** The summands of this energy: itself for a single term, the flattened list for a {@link EnergySum}. */
    default List<Energy> terms() {
        return List.of(this);
    }

    /**
     * The sum \( F + G \).
     *
     * @throws IllegalArgumentException if {@code other} is null
     */
    default Energy plus(Energy other) {
        return EnergySum.of(this, other);
    }
}
