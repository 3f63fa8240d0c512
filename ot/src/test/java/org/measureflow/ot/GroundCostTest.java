package org.measureflow.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.RandomInputs;

class GroundCostTest {
    @Test
    void squaredEuclideanIsTheNotHalvedSquaredDistance() {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 0}, {1, 2}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{3, 4}});
        CostMatrix c = GroundCost.squaredEuclidean().matrix(x, y);
        assertEquals(25, c.get(0, 0), 0); // 3^2 + 4^2, exact in binary
        assertEquals(8, c.get(1, 0), 0); // 2^2 + 2^2
        assertEquals(2, GroundCost.squaredEuclidean().exponent(), 0);
        assertEquals(GroundCost.squaredEuclidean(), GroundCost.euclideanPower(2));
    }

    @Test
    void euclideanPowerMatchesTheCostMatrixFactory() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 7, 3);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 5, 3);
        // the same factory underneath: identical bits
        assertArrayEquals(CostMatrix.euclideanPower(x, y, 1.5).values(),
                GroundCost.euclideanPower(1.5).matrix(x, y).values(), 0);
    }

    @Test
    void invalidExponentAndDimensionMismatchAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GroundCost.euclideanPower(-1));
        assertThrows(IllegalArgumentException.class, () -> GroundCost.euclideanPower(Double.NaN));
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 0}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroundCost.squaredEuclidean().matrix(x, y));
        assertEquals('y', e.getMessage().charAt(0)); // names the argument y
    }
}
