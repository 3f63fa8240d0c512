/**
 * Particle methods for Wasserstein gradient flows: the particle flow of eq. 17, the implicit (JKO) particle
 * step of eq. 14, Langevin dynamics for Fokker&ndash;Planck equations, and a deterministic kernel-density score
 * (blob) method for the heat equation.
 */
package org.measureflow.gradientflow.particles;
