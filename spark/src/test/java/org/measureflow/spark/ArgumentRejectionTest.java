package org.measureflow.spark;

import static org.measureflow.testing.Rejections.assertRejected;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;

/** Bad arguments of the public entry points, rejected on the driver naming the argument (no Spark needed). */
class ArgumentRejectionTest {
    private static final ParticleMeasure A = ParticleMeasure.of(new double[][]{{0, 0}, {1, 0}});
    private static final ParticleMeasure B3 = ParticleMeasure.of(new double[][]{{0, 0, 0}});

    @Test
    void methodsRejectBadSettings() {
        for (double eps : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("epsilon", () -> PairMethod.sinkhornDivergence(eps));
        }
        assertRejected("theta", () -> PairMethod.slicedW2(new double[]{1, Double.NaN}));
        assertRejected("theta", () -> PairMethod.slicedW2(new double[0]));
        assertRejected("count", () -> PairMethod.slicedW2(0, 2, new SplittableRandom(1)));
        assertRejected("divergence", () -> PairMethod.sinkhornDivergence(() -> null));
        assertRejected("simplex", () -> PairMethod.exactW2(null));
        assertRejected("solver", () -> SinkhornBatch.of(() -> null));
        assertRejected("method", () -> PairwiseMatrix.of(null));
        assertRejected("blockSize", () -> PairwiseMatrix.of(PairMethod.exactW2()).withBlockSize(-1));
        assertRejected("k", () -> PairwiseMatrix.of(PairMethod.exactW2()).blockSizeFor(0, 2));
    }

    @Test
    void batchesRejectBadMeasures() {
        assertRejected("clouds", () -> MeasureBatch.ofClouds(List.of()));
        assertRejected("clouds[1]", () -> MeasureBatch.ofClouds(List.of(A, B3)));
        assertRejected("clouds[1]", () -> MeasureBatch.ofClouds(Arrays.asList(A, null)));
        assertRejected("names", () -> MeasureBatch.ofClouds(List.of("a"), List.of(A, A)));
        assertRejected("gaussians[1]", () -> MeasureBatch.ofGaussians(List.of("a", "b"),
                List.of(GaussianMeasure.standard(2), GaussianMeasure.standard(3))));
        assertRejected("k", () -> MeasureBatch.ofClouds(List.of(A)).cloud(1));
        assertRejected("k", () -> MeasureBatch.ofClouds(List.of(A)).gaussianMeasure(0));
    }

    @Test
    void aMethodThatDoesNotFitTheBatchIsRejectedBeforeAnyJob() {
        MeasureBatch gaussians = MeasureBatch.ofGaussians(List.of("a", "b"),
                List.of(GaussianMeasure.standard(2), GaussianMeasure.standard(2)));
        assertRejected("batch", () -> PairMethod.exactW2().check(gaussians));
        MeasureBatch clouds = MeasureBatch.ofClouds(List.of(A, A));
        assertRejected("theta", () -> PairMethod.slicedW2(new double[]{1, 0, 0}).check(clouds));
    }
}
