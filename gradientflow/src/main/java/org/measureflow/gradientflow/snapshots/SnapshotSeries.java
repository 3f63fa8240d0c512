package org.measureflow.gradientflow.snapshots;

import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * A population observed at a few times: snapshots \( \mu_{t_0}, \dots, \mu_{t_{K-1}} \), each a weighted point cloud
 * \( \mu_{t_k} = \sum_i w_{k,i} \delta_{x_{k,i}} \) in one dimension \( d \), at strictly increasing times, with a
 * total mass \( M_k \) per snapshot (the population size, relative; 1 by default). The data of trajectory inference
 * (survey &sect;5.4): the cells measured at \( t_k \) are destroyed, so only the laws \( \mu_{t_k} \) are known, and
 * the transitions, growth and driving landscape between them are to be inferred. Snapshot sizes may differ.
 *
 * <p>Immutable; arrays are copied in and out ({@link ParticleMeasure} is immutable).
 */
public final class SnapshotSeries {
    private final double[] times;
    private final ParticleMeasure[] snapshots;
    private final double[] masses;

    private SnapshotSeries(double[] times, ParticleMeasure[] snapshots, double[] masses) {
        this.times = times;
        this.snapshots = snapshots;
        this.masses = masses;
    }

    /**
     * The series of {@code snapshots.get(k)} observed at {@code times[k]}, each of mass 1.
     *
     * @throws IllegalArgumentException if an argument or element is null, there are fewer than two snapshots, the
     *                                  lengths differ, a time is not finite or not above the previous one, an
     *                                  interval between two times overflows, or the snapshots' dimensions differ
     */
    public static SnapshotSeries of(double[] times, List<ParticleMeasure> snapshots) {
        Arguments.notNull("times", times);
        double[] ones = new double[times.length];
        Arrays.fill(ones, 1.0);
        return of(times, snapshots, ones);
    }

    /**
     * The series of {@code snapshots.get(k)} observed at {@code times[k]} with total mass {@code masses[k]} (a
     * population size in any unit: growth is read from the ratios \( M_{k+1}/M_k \)).
     *
     * @throws IllegalArgumentException as {@link #of(double[], List)}, or if a mass is not finite and positive
     */
    public static SnapshotSeries of(double[] times, List<ParticleMeasure> snapshots, double[] masses) {
        Arguments.finite("times", times);
        Arguments.notNull("snapshots", snapshots);
        Arguments.positive("masses", masses);
        ParticleMeasure[] array = snapshots.toArray(new ParticleMeasure[0]);
        Arguments.noNulls("snapshots", array);
        Arguments.atLeast("snapshots (count)", array.length, 2);
        Arguments.length("times", times.length, array.length);
        Arguments.length("masses", masses.length, array.length);
        for (int k = 1; k < times.length; k++) {
            if (!(times[k] > times[k - 1])) {
                // no Arguments rule for an increasing sequence
                throw new IllegalArgumentException("times must be strictly increasing, got times[" + (k - 1) + "] = "
                        + times[k - 1] + " and times[" + k + "] = " + times[k]);
            }
            Arguments.finiteResult("times", "the interval times[" + k + "] - times[" + (k - 1) + "]",
                    times[k] - times[k - 1]);
            Arguments.length("snapshots[" + k + "] (dimension)", array[k].dimension(), array[0].dimension());
        }
        for (double m : masses) {
            Arguments.finite("masses", m);
        }
        return new SnapshotSeries(times.clone(), array, masses.clone());
    }

    /** Number of snapshots \( K \ge 2 \). */
    public int size() {
        return snapshots.length;
    }

    /** Dimension \( d \) of the points. */
    public int dimension() {
        return snapshots[0].dimension();
    }

    /** The observation times, a copy. */
    public double[] times() {
        return times.clone();
    }

    /** Time \( t_k \) of snapshot {@code k}. */
    public double time(int k) {
        Arguments.index("k", k, snapshots.length);
        return times[k];
    }

    /** Snapshot {@code k}, \( \mu_{t_k} \) (weights summing to 1). */
    public ParticleMeasure snapshot(int k) {
        Arguments.index("k", k, snapshots.length);
        return snapshots[k];
    }

    /** The snapshots in time order. */
    public List<ParticleMeasure> snapshots() {
        return List.of(snapshots);
    }

    /** The total masses \( M_k \), a copy. */
    public double[] masses() {
        return masses.clone();
    }

    /** Mass \( M_k \) of snapshot {@code k}. */
    public double mass(int k) {
        Arguments.index("k", k, snapshots.length);
        return masses[k];
    }

    @Override
    public String toString() {
        int[] sizes = new int[snapshots.length];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = snapshots[k].size();
        }
        return "SnapshotSeries[" + snapshots.length + " snapshots, d=" + dimension() + ", times="
                + TextSummary.array(times) + ", sizes=" + Arrays.toString(sizes) + "]";
    }
}
