/**
 * Batches of optimal transport problems on Apache Spark: the pairwise matrix of a distance or divergence between
 * \( K \) measures ({@link org.measureflow.spark.PairwiseMatrix}, split into blocks so that each measure is shipped
 * once per block), independent problems given as rows ({@link org.measureflow.spark.SinkhornBatch}), measures read
 * from NumPy, CSV or Parquet files ({@link org.measureflow.spark.MeasureBatch}), and the command
 * {@link org.measureflow.spark.PairwiseCommand} behind {@code ./mflow-spark}.
 *
 * <p>Every value is computed by the single-machine solvers of {@code measureflow-ot}, one pair per call, in one
 * thread per Spark task: the numbers are the bits of the same calls made in a plain loop on one machine, whatever the
 * master ({@code local[*]} or a cluster), the block size or the task retries. See {@code docs/spark.md}.
 */
package org.measureflow.spark;
