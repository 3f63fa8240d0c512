/** Quantities watched along a gradient flow: energy, mass, moments and the distance to equilibrium. */
package org.measureflow.gradientflow.diagnostics;
