/**
 * Data in and out, without a third-party dependency: point clouds, weights, dense matrices (cost matrices, dense
 * plans) and sparse plans as text ({@code .csv}, {@code .txt}, {@code .tsv}), NumPy {@code .npy} arrays and
 * {@code .npz} archives.
 *
 * <ul>
 * <li>{@link org.measureflow.core.io.DataFiles}: the typed entry points, choosing the format by the file's
 *     extension ({@code readPoints}, {@code readWeightedPoints}, {@code readWeights}, {@code readMatrix},
 *     {@code readSparseTriples} and the matching writers), with the strict text rules and the checks of values;</li>
 * <li>{@link org.measureflow.core.io.Npy} and {@link org.measureflow.core.io.Npz}: the NumPy containers, with the
 *     format described in the class documentation;</li>
 * <li>{@link org.measureflow.core.io.SavedArrays}: the named arrays of a saved model, as an {@code .npz} archive or
 *     a folder of {@code .npy} files, with the checks model layouts share (versions, text arrays, sizes, shapes,
 *     finite entries, no unknown array);</li>
 * <li>{@link org.measureflow.core.io.NpyArray} and {@link org.measureflow.core.io.SparseTriples}: the values read
 *     and written;</li>
 * <li>{@link org.measureflow.core.io.DataFileException}: every problem with a file, as one line
 *     {@code file:line: problem}, {@code file: offset N: problem} or {@code file: problem}.</li>
 * </ul>
 *
 * <p>From Python and back: {@code np.save("x.npy", x)} gives a file that
 * {@code DataFiles.readPoints(Path.of("x.npy"))} reads as a uniform cloud, and
 * {@code DataFiles.writeMatrix(Path.of("plan.npy"), plan.toDense(), n, m)} a file that {@code np.load("plan.npy")}
 * reads as an {@code (n, m)} array.
 */
package org.measureflow.core.io;
