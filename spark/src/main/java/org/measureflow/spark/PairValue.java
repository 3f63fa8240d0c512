package org.measureflow.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.measureflow.core.iteration.Convergence;

/**
 * One computed pair as it travels back from an executor: the indices, the value and how the solve ended (the
 * fields of a {@link Convergence}, which is not serializable). A row of {@link PairwiseMatrix#schema()}.
 */
record PairValue(int i, int j, double value, long iterations, boolean converged, double error, double tolerance,
        String termination) implements Serializable {
    private static final long serialVersionUID = 1L;

    static PairValue of(int i, int j, double value, Convergence c) {
        return new PairValue(i, j, value, c.iterations(), c.converged(), c.error(), c.tolerance(),
                c.termination().name());
    }

    Row toRow(String source, String target) {
        return RowFactory.create(i, j, source, target, value, iterations, converged, error, tolerance, termination);
    }
}
