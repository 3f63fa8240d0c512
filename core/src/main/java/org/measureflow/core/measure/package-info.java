/**
 * Probability measures in their three working forms: weighted particles
 * ({@link org.measureflow.core.measure.ParticleMeasure}, the Lagrangian view), Gaussians
 * ({@link org.measureflow.core.measure.GaussianMeasure}, where most flows of the survey have closed forms), and
 * densities on regular grids ({@link org.measureflow.core.measure.GridDensity}, the Eulerian view).
 */
package org.measureflow.core.measure;
