package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.measureflow.testing.Rejections.assertRejected;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.measure.GridDensity.Grid;

/** {@link PathField} joins its node fields linearly in time and keeps the first and last outside. */
class PathFieldTest {
    private static final Grid GRID = Grid.of2d(0, 1, 8, 0, 2, 4);

    private static GridVectorField uniform(double vx, double vy) {
        return GridVectorField.fromField(GRID, (t, x, xo, out, oo) -> {
            out[oo] = vx;
            out[oo + 1] = vy;
        }, 0);
    }

    @Test
    void linearInTimeBetweenNodesAndConstantOutside() {
        PathField field = PathField.of(new double[]{0.25, 0.5, 1.0},
                List.of(uniform(1, 0), uniform(3, -2), uniform(0, 4)));
        double[] x = {0.5, 1.0}; // an interior point: every interpolation node carries the uniform value
        double[] v = new double[2];
        double[][] expected = {{0, 1, 0}, {0.25, 1, 0}, {0.375, 2, -1}, {0.5, 3, -2}, {0.75, 1.5, 1}, {1, 0, 4},
            {2, 0, 4}};
        for (double[] e : expected) {
            field.velocity(e[0], x, v);
            assertEquals(e[1], v[0], 1e-15, "t = " + e[0]);
            assertEquals(e[2], v[1], 1e-15, "t = " + e[0]);
        }
        assertEquals(3, field.size());
        assertEquals(GRID, field.grid());
    }

    @Test
    void badNodesAreRejectedByName() {
        GridVectorField a = uniform(1, 0);
        GridVectorField other = GridVectorField.zero(Grid.of2d(0, 1, 8, 0, 2, 5));
        assertRejected("times", () -> PathField.of(new double[]{1, 1}, List.of(a, a)));
        assertRejected("times", () -> PathField.of(new double[]{}, List.of()));
        assertRejected("fields", () -> PathField.of(new double[]{0, 1}, List.of(a)));
        assertRejected("fields[1]", () -> PathField.of(new double[]{0, 1}, List.of(a, other)));
        assertRejected("times", () -> PathField.of(new double[]{Double.NaN}, List.of(a)));
    }
}
