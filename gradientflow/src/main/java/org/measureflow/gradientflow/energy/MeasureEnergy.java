package org.measureflow.gradientflow.energy;

import java.util.List;

/**
 * An energy defined on every probability measure, densities on a grid and discrete measures alike: the potential
 * energy \( \int V\,d\mu \) ({@link PotentialEnergy}) and the interaction energy
 * \( \tfrac12\iint W\,d\mu\,d\mu \) ({@link InteractionEnergy}) of survey &sect;5.2, and their sums. It is both a
 * {@link GridEnergy} (value and first variation \( \frac{\delta F}{\delta\rho} \) at the cell centres, for the JKO
 * scheme, eq. 13) and a {@link ParticleEnergy} (value and velocities \( -\nabla\frac{\delta F}{\delta\mu}(x_i) \),
 * for the particle flow, eq. 17).
 *
 * <p>The sum of two measure energies is a measure energy ({@link #plus(MeasureEnergy)}); adding an internal energy
 * gives a {@link GridEnergy}, adding a particle-only energy a {@link ParticleEnergy}.
 */
public interface MeasureEnergy extends GridEnergy, ParticleEnergy {
    /**
     * The sum \( F + G \), itself defined on grids and particles (flattened).
     *
     * @param other \( G \)
     * @return the sum
     * @throws IllegalArgumentException if {@code other} is null
     */
    default MeasureEnergy plus(MeasureEnergy other) {
        return sum(this, other);
    }

    /**
     * The sum \( F = \sum_k F_k \) of measure energies: its value, first variation and particle velocities are the
     * sums of the terms' (survey eqs. 15 and 17). Nested sums are flattened; a single energy is returned as it is.
     *
     * @param energies the summands, at least one
     * @return the sum
     * @throws IllegalArgumentException if no energy is given or one is null
     */
    static MeasureEnergy sum(MeasureEnergy... energies) {
        List<MeasureEnergy> terms = EnergySum.flatten(energies);
        return terms.size() == 1 ? terms.get(0) : new EnergySum.OfMeasures(terms);
    }
}
