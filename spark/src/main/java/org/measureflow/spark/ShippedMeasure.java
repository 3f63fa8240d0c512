package org.measureflow.spark;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * One measure of a {@link MeasureBatch} as it travels to an executor: its index and name, and either the points
 * (row-major, with the normalised weights, {@code null} when uniform) of a cloud or the mean and covariance of a
 * Gaussian. The executor rebuilds the measure with the same factory the batch used on the driver
 * ({@link MeasureBatch#rebuilt}), so both hold the same bits.
 */
final class ShippedMeasure implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final String name;
    final int d;
    /** Cloud: points, row-major n * d; Gaussian: the mean. */
    final double[] values;
    /** Cloud: the weights, {@code null} when uniform; Gaussian: the covariance, row-major d * d. */
    final double[] extra;
    final boolean gaussian;

    private ShippedMeasure(int index, String name, int d, double[] values, double[] extra, boolean gaussian) {
        this.index = index;
        this.name = name;
        this.d = d;
        this.values = values;
        this.extra = extra;
        this.gaussian = gaussian;
    }

    static ShippedMeasure cloud(int index, String name, ParticleMeasure m) {
        return new ShippedMeasure(index, name, m.dimension(), m.flatPoints(), m.isUniform() ? null : m.weights(),
                false);
    }

    static ShippedMeasure gaussian(int index, String name, GaussianMeasure g) {
        return new ShippedMeasure(index, name, g.dimension(), g.mean(), g.covariance().getData().clone(), true);
    }

    ParticleMeasure toCloud() {
        return ParticleMeasure.fromFlat(values, d, extra);
    }

    GaussianMeasure toGaussian() {
        return GaussianMeasure.of(values, new DMatrixRMaj(d, d, true, extra));
    }

    /** {@code measures[7] ('cells-t3.csv')}: how messages name this measure. */
    String label() {
        return MeasureBatch.label(index, name);
    }
}
