package org.measureflow.core.ode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * A {@link StepObserver} that records the trajectory \( t \mapsto y(t) \) of an integration: either at requested
 * times, through the integrator's dense output ({@link #atTimes(double...)}), or after every step
 * ({@link #everyStep()}). For particles, each recorded state is the flat array of all particle positions at that
 * time, i.e. the measure \( \mu_t \) transported by the flow (survey eq. 1).
 *
 * <p>Every recorded state is a copy. A recorder is reset by {@link #init(double, double[], double)}, so it can be
 * reused for another integration (it then holds only the latest one); it is not thread-safe.
 */
public final class TrajectoryRecorder implements StepObserver {
    private final double[] requested; // null: every step
    private double[] order;           // requested times in the direction of the current integration
    private int next;
    private double direction;
    private final List<Double> times = new ArrayList<>();
    private final List<double[]> states = new ArrayList<>();

    private TrajectoryRecorder(double[] requested) {
        this.requested = requested;
    }

    /**
     * A recorder of the states at the given times. A time inside the integrated interval \( [t_0, t_1] \) (or
     * \( [t_1, t_0] \) backwards) is recorded when the integration passes it: exactly at \( t_0 \) (from
     * {@link #init(double, double[], double)}) and at step ends, by dense output
     * ({@link Step#interpolate(double, double[])}) in between. Times outside the interval, or beyond an early stop,
     * are not recorded. Records come in the order of integration (increasing times forwards, decreasing
     * backwards); a time requested twice is recorded twice.
     *
     * @param times the requested times, finite, in any order
     * @throws IllegalArgumentException if {@code times} is null or holds a non-finite value
     */
    public static TrajectoryRecorder atTimes(double... times) {
        Arguments.finite("times", times);
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new TrajectoryRecorder(sorted);
    }

    /** A recorder of the initial state and of the state after every accepted step, with the step end times. */
    public static TrajectoryRecorder everyStep() {
        return new TrajectoryRecorder(null);
    }

    @Override
    public void init(double t0, double[] y0, double t1) {
        times.clear();
        states.clear();
        if (requested == null) {
            record(t0, y0.clone());
            return;
        }
        direction = t1 >= t0 ? 1 : -1;
        order = requested.clone();
        if (direction < 0) {
            for (int i = 0, j = order.length - 1; i < j; i++, j--) {
                double swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        next = 0;
        while (next < order.length && direction * (order[next] - t0) < 0) {
            next++;
        }
        while (next < order.length && order[next] == t0) {
            record(t0, y0.clone());
            next++;
        }
    }

    @Override
    public boolean handleStep(Step step) {
        if (requested == null) {
            record(step.endTime(), step.state().clone());
            return true;
        }
        double end = step.endTime();
        while (next < order.length && direction * (order[next] - end) <= 0) {
            double t = order[next++];
            double[] y;
            if (t == end) {
                y = step.state().clone();
            } else {
                y = new double[step.state().length];
                step.interpolate(t, y);
            }
            record(t, y);
        }
        return true;
    }

    private void record(double t, double[] y) {
        times.add(t);
        states.add(y);
    }

    /** Number of recorded states. */
    public int size() {
        return times.size();
    }

    /** The times of the recorded states, in recording order (a copy). */
    public double[] times() {
        double[] t = new double[times.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
        }
        return t;
    }

    /** The recorded states, in recording order (copies). */
    public List<double[]> states() {
        List<double[]> copy = new ArrayList<>(states.size());
        for (double[] s : states) {
            copy.add(s.clone());
        }
        return copy;
    }

    /**
     * A copy of the {@code k}-th recorded state.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [0, size())}
     */
    public double[] state(int k) {
        return states.get(Arguments.index("k", k, states.size())).clone();
    }

    /**
     * The time of the {@code k}-th recorded state.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [0, size())}
     */
    public double time(int k) {
        return times.get(Arguments.index("k", k, times.size()));
    }

    /** One line: what is recorded and the recorded times so far. */
    @Override
    public String toString() {
        double[] t = times();
        return "TrajectoryRecorder[" + (requested == null ? "every step" : "at " + requested.length + " times")
                + ", " + t.length + " states recorded at t=" + TextSummary.array(t) + "]";
    }
}
