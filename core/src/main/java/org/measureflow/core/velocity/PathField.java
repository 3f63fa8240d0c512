package org.measureflow.core.velocity;

import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * A time-dependent field along a density path: grid fields \( v^{(0)}, \dots, v^{(m-1)} \) (reconstructed at node
 * times \( s_0 \lt \dots \lt s_{m-1} \)) joined linearly in time,
 * \( v_t = (1 - \theta) v^{(j)} + \theta v^{(j+1)} \), \( \theta = (t - s_j)/(s_{j+1} - s_j) \) on
 * \( [s_j, s_{j+1}] \),
 * and constant before \( s_0 \) and after \( s_{m-1} \). In space each field is the multilinear interpolation of
 * {@link GridVectorField}. This is the bridge from the Eulerian reconstruction to particles: any
 * {@link org.measureflow.core.ode.OdeIntegrator} can advect particles with it (survey eq. 1).
 *
 * <p>With the fields that {@link LeastEffort#solve(DensityPath)} and {@link DacorognaMoser#solve(DensityPath)} put
 * at the midpoints of the path's intervals (where the finite-difference rates are centred), the linear joining is
 * second-order accurate in time for a smooth path. The field is continuous in time, which suits adaptive integrators.
 *
 * <p>Immutable and thread-safe; {@link #velocity(double, double[], int, double[], int)} does not allocate.
 */
public final class PathField implements VectorField {
    private final double[] times;
    private final GridVectorField[] fields;

    private PathField(double[] times, GridVectorField[] fields) {
        this.times = times;
        this.fields = fields;
    }

    /**
     * The field joining {@code fields[j]} at {@code times[j]} linearly in time.
     *
     * @param times  at least one finite, strictly increasing time
     * @param fields one field per time, all on the grid of the first
     * @return the field
     * @throws IllegalArgumentException if an argument or element is null, the lengths differ, there is no time, a
     *                                  time is not finite or not above the previous one, or a field is on another
     *                                  grid
     */
    public static PathField of(double[] times, List<GridVectorField> fields) {
        Arguments.finite("times", times);
        Arguments.notNull("fields", fields);
        GridVectorField[] array = fields.toArray(new GridVectorField[0]);
        Arguments.noNulls("fields", array);
        Arguments.length("fields", array.length, times.length);
        Arguments.atLeast("times (length)", times.length, 1);
        for (int j = 1; j < times.length; j++) {
            if (!(times[j] > times[j - 1])) {
                // no Arguments rule for an increasing sequence
                throw new IllegalArgumentException("times must be strictly increasing, got times[" + (j - 1) + "] = "
                        + times[j - 1] + " and times[" + j + "] = " + times[j]);
            }
            if (!array[0].grid().equals(array[j].grid())) {
                // no Arguments rule compares grids
                throw new IllegalArgumentException("fields[" + j + "] must be on the grid of fields[0] "
                        + array[0].grid() + ", got " + array[j].grid());
            }
        }
        return new PathField(times.clone(), array);
    }

    /** The grid of the fields. */
    public Grid grid() {
        return fields[0].grid();
    }

    /** The dimension {@code d}. */
    public int dimension() {
        return fields[0].dimension();
    }

    /** Number of node fields. */
    public int size() {
        return times.length;
    }

    /** A copy of the node times. */
    public double[] times() {
        return times.clone();
    }

    /** The field at node {@code j}. */
    public GridVectorField field(int j) {
        return fields[Arguments.index("j", j, times.length)];
    }

    /** The node fields, in time order (an unmodifiable list). */
    public List<GridVectorField> fields() {
        return List.of(fields);
    }

    /** Writes \( v_t(x) \), linear in time between the nodes (see the class comment). */
    @Override
    public void velocity(double t, double[] x, int xOffset, double[] out, int outOffset) {
        int last = times.length - 1;
        if (!(t > times[0]) || last == 0) {
            fields[0].velocity(t, x, xOffset, out, outOffset);
            return;
        }
        if (t >= times[last]) {
            fields[last].velocity(t, x, xOffset, out, outOffset);
            return;
        }
        int j = Arrays.binarySearch(times, t);
        if (j >= 0) {
            fields[j].velocity(t, x, xOffset, out, outOffset);
            return;
        }
        j = -j - 2; // times[j] < t < times[j + 1]
        double theta = (t - times[j]) / (times[j + 1] - times[j]);
        GridVectorField a = fields[j];
        GridVectorField b = fields[j + 1];
        int d = a.dimension();
        for (int k = 0; k < d; k++) {
            double va = a.velocityComponent(k, x, xOffset);
            double vb = b.velocityComponent(k, x, xOffset);
            out[outOffset + k] = va + theta * (vb - va);
        }
    }

    /** One line: the number of nodes, their time range and the grid. */
    @Override
    public String toString() {
        return "PathField[" + times.length + " fields, t in [" + TextSummary.number(times[0]) + ", "
                + TextSummary.number(times[times.length - 1]) + "], " + grid() + "]";
    }
}
