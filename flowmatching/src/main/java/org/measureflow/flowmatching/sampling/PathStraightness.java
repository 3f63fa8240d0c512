package org.measureflow.flowmatching.sampling;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.core.parallel.Chunks;

/**
 * Straightness of the paths of a flow (Liu, Gong and Liu 2023, rectified flow):
 * \[ S(v) = \int_{t_0}^{t_1} \mathbb{E}\,\big|(x_{t_1} - x_{t_0})/(t_1 - t_0) - v_t(x_t)\big|^2\,dt \Big/ (t_1 - t_0), \]
 * the mean squared deviation of the velocity from the path's average velocity, over trajectories started at the
 * latent points. \( S = 0 \) iff every path is a straight line run at constant speed (then one Euler step is exact);
 * minibatch-OT couplings lower it. The time integral is the midpoint rule on {@code slices} equal slices, from
 * states recorded by dense output; the expectation is over the latent points' weights.
 */
public final class PathStraightness {
    private PathStraightness() {
    }

    /**
     * Computes \( S(v) \) over the paths from the latent points.
     *
     * @param field      the field
     * @param latent     the starting points at {@code t0}
     * @param integrator the integrator for the paths
     * @param t0         start time
     * @param t1         end time, \( > t_0 \)
     * @param slices     number of midpoint slices of \( [t_0, t_1] \)
     * @throws IllegalArgumentException on null arguments, invalid times or {@code slices &lt; 1}, or paths whose squared
     *                                  deviations overflow double precision
     */
    public static double of(VectorField field, ParticleMeasure latent, OdeIntegrator integrator, double t0, double t1,
                            int slices) {
        Arguments.notNull("field", field);
        Arguments.notNull("latent", latent);
        Arguments.notNull("integrator", integrator);
        Arguments.positive("slices", slices);
        FlowSampler.checkTime("t0", t0);
        FlowSampler.checkTime("t1", t1);
        if (!(t1 > t0)) {
            throw new IllegalArgumentException("t1 must be > t0, got t0 = " + t0 + ", t1 = " + t1);
        }
        double h = (t1 - t0) / slices;
        double[] times = new double[slices];
        for (int k = 0; k < slices; k++) {
            times[k] = t0 + (k + 0.5) * h;
        }
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(times);
        int n = latent.size();
        int d = latent.dimension();
        double[] start = latent.flatPoints();
        double[] end = start.clone();
        integrator.integrate(field.onParticles().system(n, d, null), t0, end, t1, recorder);
        List<double[]> states = recorder.states();
        if (states.size() != slices) {
            throw new IllegalStateException("the integrator recorded " + states.size() + " of " + slices + " times");
        }
        double[] perPoint = new double[n];
        double span = t1 - t0;
        Chunks.forEach(n, 64, 8L * slices * d, (chunk, from, to) -> {
            double[] v = new double[d];
            for (int i = from; i < to; i++) {
                double s = 0;
                for (int k = 0; k < slices; k++) {
                    field.velocity(times[k], states.get(k), i * d, v, 0);
                    for (int c = 0; c < d; c++) {
                        double dev = (end[i * d + c] - start[i * d + c]) / span - v[c];
                        s += dev * dev;
                    }
                }
                perPoint[i] = s / slices;
            }
        });
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += latent.weight(i) * perPoint[i];
        }
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("field and latent: the squared deviations from straight paths overflow "
                    + "double precision (" + total + "); rescale the problem");
        }
        return total;
    }

    /** \( S(v) \) over \( [0, 1] \) with 32 slices. */
    public static double of(VectorField field, ParticleMeasure latent, OdeIntegrator integrator) {
        return of(field, latent, integrator, 0, 1, 32);
    }
}
