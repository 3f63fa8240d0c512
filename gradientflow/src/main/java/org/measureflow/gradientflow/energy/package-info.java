/**
 * Energy functionals on probability measures and their first variations (survey &sect;5.2), in three types:
 * {@link org.measureflow.gradientflow.energy.GridEnergy} (value and first variation of a density on a grid, for
 * the JKO scheme, eq. 13), {@link org.measureflow.gradientflow.energy.ParticleEnergy} (value and velocities of
 * particles, for the particle flow, eq. 17) and {@link org.measureflow.gradientflow.energy.MeasureEnergy} (both).
 * Potential energies \( \int V d\rho \) and interaction energies \( \frac12\iint W d\rho\,d\rho \) with a general
 * symmetric interaction potential are measure energies; internal energies \( \int f(\rho) \) (negative entropy,
 * porous medium) are grid energies. Sums are made by {@code plus} and {@code sum} and keep the most precise of the
 * three types their terms allow.
 */
package org.measureflow.gradientflow.energy;
