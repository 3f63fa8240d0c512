package org.measureflow.gradientflow.meanfield;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of {@link ResidualNetwork#train}: a fixed budget of gradient steps, so the convergence record says
 * {@link org.measureflow.core.iteration.Termination#COMPLETED} (or {@code STOPPED} when an observer stopped it) with
 * the steps done, a NaN tolerance, and as error the final loss \( \frac{1}{2m}\sum_k |x_L(z_k) - y_k|^2 \) of the
 * trained network.
 *
 * @param network     the trained network
 * @param losses      the loss before each step and, last, after the last step (steps done + 1 values)
 * @param convergence the steps done and the final loss
 */
public record ResidualTrainingResult(ResidualNetwork network, double[] losses, Convergence convergence)
        implements IterativeResult {
    /**
     * Copies the losses.
     *
     * @throws IllegalArgumentException if an argument is null or {@code losses} is empty
     */
    public ResidualTrainingResult {
        Arguments.notNull("network", network);
        losses = Arguments.nonEmpty("losses", losses).clone();
        Arguments.notNull("convergence", convergence);
    }

    /** A copy of the losses. */
    @Override
    public double[] losses() {
        return losses.clone();
    }

    /**
     * The loss of the trained network.
     *
     * @return the last entry of {@link #losses()}
     */
    public double finalLoss() {
        return losses[losses.length - 1];
    }

    /**
     * One line: {@code ResidualTrainingResult[ResidualNetwork[d=3, h=8, L=16, TANH], initial loss=0.52, final
     * loss=0.031, completed 300 iterations (final 0.031)]}.
     */
    @Override
    public String toString() {
        return "ResidualTrainingResult[" + network + ", initial loss=" + TextSummary.number(losses[0])
                + ", final loss=" + TextSummary.number(finalLoss()) + ", " + convergence + "]";
    }
}
