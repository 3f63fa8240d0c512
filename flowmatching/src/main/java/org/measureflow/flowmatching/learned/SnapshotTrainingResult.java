package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.flowmatching.interpolant.PiecewiseLinearInterpolant;

/**
 * The outcome of multi-marginal flow matching ({@link FlowMatchingTrainer#train(double[], java.util.List,
 * java.util.random.RandomGenerator)}): the training record of one field over the whole range of the snapshots and
 * the observation times \( t_0 \lt \dots \lt t_{K-1} \). The field runs in the rescaled clock
 * \( \tau = (t - t_0)/(t_{K-1} - t_0) \in [0, 1] \); the snapshot \( k \) sits at
 * \( \tau_k \) ({@link #knots()}), and the velocity in the original clock is \( v_\theta(\tau, x)/(t_{K-1} - t_0) \).
 * The convergence record is the training's: {@code COMPLETED} (or {@code STOPPED}) after the steps done, NaN
 * tolerance, and as error the last minibatch loss.
 *
 * @param training the training record (field, loss history, pairs seen, time)
 * @param times    the observation times \( t_k \) (copied in and out)
 */
public record SnapshotTrainingResult(TrainingResult training, double[] times) implements IterativeResult {
    /**
     * Copies the times.
     *
     * @throws IllegalArgumentException if an argument is null, or there are fewer than two times, or they are not
     *                                  finite and strictly increasing
     */
    public SnapshotTrainingResult {
        Arguments.notNull("training", training);
        times = PiecewiseLinearInterpolant.of(Arguments.notNull("times", times)).knots();
    }

    /** @return a copy of the observation times \( t_0, \dots, t_{K-1} \) */
    @Override
    public double[] times() {
        return times.clone();
    }

    /** @return the trained field \( v_\theta(\tau, x) \) in the rescaled clock */
    public MlpVelocityField field() {
        return training.field();
    }

    /** @return the training's convergence record */
    @Override
    public Convergence convergence() {
        return training.convergence();
    }

    /**
     * The rescaled time \( \tau = (t - t_0)/(t_{K-1} - t_0) \).
     *
     * @param t a finite time (outside \( [t_0, t_{K-1}] \) it maps outside \( [0, 1] \))
     * @return \( \tau \)
     * @throws IllegalArgumentException if {@code t} is not finite
     */
    public double rescaled(double t) {
        Arguments.finite("t", t);
        int last = times.length - 1;
        return t == times[last] ? 1 : (t - times[0]) / (times[last] - times[0]);
    }

    /** @return the snapshots' rescaled times \( \tau_k \), from 0 to 1 (the knots of the path) */
    public double[] knots() {
        double[] knots = new double[times.length];
        for (int k = 0; k < knots.length; k++) {
            knots[k] = rescaled(times[k]);
        }
        return knots;
    }

    /** @return the path the field was fitted to, with knots {@link #knots()} */
    public PiecewiseLinearInterpolant interpolant() {
        return PiecewiseLinearInterpolant.of(knots());
    }

    /**
     * One line: {@code SnapshotTrainingResult[times=[0, 1, 2], TrainingResult[...]]}.
     */
    @Override
    public String toString() {
        return "SnapshotTrainingResult[times=" + TextSummary.array(times) + ", " + training + "]";
    }
}
