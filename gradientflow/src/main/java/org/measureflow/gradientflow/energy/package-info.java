/**
 * Energy functionals on probability measures and their first variations (survey &sect;5.2): potential
 * \( \int V d\rho \), interaction \( \frac12\iint W d\rho\,d\rho \) with a general symmetric kernel, internal
 * energies \( \int f(\rho) \) (negative entropy, porous medium), and sums.
 */
package org.measureflow.gradientflow.energy;
