/**
 * Trajectory inference from snapshots (survey &sect;5.4): a population observed at a few times
 * ({@link org.measureflow.gradientflow.snapshots.SnapshotSeries}), cell-to-cell transitions with growth between
 * consecutive snapshots by entropic optimal transport, balanced or with KL-relaxed marginals
 * ({@link org.measureflow.gradientflow.snapshots.SnapshotTransitions}), ancestors and descendants of a set of cells
 * and interpolation at unobserved times
 * ({@link org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult}), and recovery of the potential whose
 * Wasserstein gradient flow explains the snapshots.
 */
package org.measureflow.gradientflow.snapshots;
