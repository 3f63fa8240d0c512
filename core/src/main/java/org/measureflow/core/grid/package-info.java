/**
 * Numerics on regular cell-centred grids shared by the Eulerian solvers: the orthonormal discrete cosine transform
 * ({@link org.measureflow.core.grid.DiscreteCosineTransform}) and the Neumann Poisson solver built on it
 * ({@link org.measureflow.core.grid.NeumannPoisson}). The grids themselves are
 * {@link org.measureflow.core.measure.GridDensity.Grid}.
 */
package org.measureflow.core.grid;
