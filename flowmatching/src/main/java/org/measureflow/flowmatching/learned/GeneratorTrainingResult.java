package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The outcome of {@link SinkhornGeneratorTrainer#train}: a fixed budget of Adam steps on the minibatch Sinkhorn
 * divergence \( S_\varepsilon(g_\theta\#\zeta_B, \nu_B) \) (survey section 4), so the convergence record says
 * {@link org.measureflow.core.iteration.Termination#COMPLETED} (or {@code STOPPED} when an observer stopped the run)
 * with the steps done, a NaN tolerance, and as error the last minibatch divergence.
 *
 * <p>{@link #generator()} holds the weights after the last step done: the raw Adam iterate, or its exponential moving
 * average when {@link SinkhornGeneratorTrainer#emaDecay()} is positive.
 *
 * <p>Each step solves three entropic problems (the cross term and the two self terms of \( S_\varepsilon \));
 * {@link #sinkhornIterations()} counts their iterations over the run, and {@link #unconvergedSteps()} the steps
 * whose divergence did not reach the solver's tolerance within its budget (their gradient is then that of the
 * potentials reached, an approximation; zero with the defaults in the measured runs).
 *
 * @param generator          the trained generator \( g_\theta\#\zeta \)
 * @param lossHistory        the minibatch divergence \( S_\varepsilon \) at each step (before that step's update)
 * @param sinkhornIterations the Sinkhorn iterations of the three problems of every step, summed
 * @param unconvergedSteps   the steps whose divergence did not converge to the solver's tolerance
 * @param samplesSeen        generated (and data) points used in total (steps done times batch size)
 * @param seconds            wall-clock training time
 * @param convergence        the steps done and the last minibatch divergence
 */
public record GeneratorTrainingResult(Generator generator, double[] lossHistory, long sinkhornIterations,
                                      long unconvergedSteps, long samplesSeen, double seconds,
                                      Convergence convergence) implements IterativeResult {
    /**
     * Copies the loss history.
     *
     * @throws IllegalArgumentException if an argument is null, the loss history is empty or a count is negative
     */
    public GeneratorTrainingResult {
        Arguments.notNull("generator", generator);
        lossHistory = Arguments.nonEmpty("lossHistory", lossHistory).clone();
        Arguments.nonNegative("sinkhornIterations", sinkhornIterations);
        Arguments.nonNegative("unconvergedSteps", unconvergedSteps);
        Arguments.nonNegative("samplesSeen", samplesSeen);
        Arguments.notNull("convergence", convergence);
    }

    /** @return a copy of the loss history, one entry per step */
    @Override
    public double[] lossHistory() {
        return lossHistory.clone();
    }

    /** @return the number of steps taken */
    public long steps() {
        return lossHistory.length;
    }

    /**
     * One line: {@code GeneratorTrainingResult[Generator[...], first loss=1.3, last loss=0.012, 768000 samples in
     * 41 s, 310 Sinkhorn iterations per step, completed 3000 iterations (final 0.012)]}.
     */
    @Override
    public String toString() {
        return "GeneratorTrainingResult[" + generator + ", first loss=" + TextSummary.number(lossHistory[0])
                + ", last loss=" + TextSummary.number(lossHistory[lossHistory.length - 1]) + ", " + samplesSeen
                + " samples in " + TextSummary.brief(seconds) + " s, "
                + TextSummary.brief((double) sinkhornIterations / lossHistory.length) + " Sinkhorn iterations per step"
                + (unconvergedSteps == 0 ? "" : " (" + unconvergedSteps + " steps not converged)") + ", "
                + convergence + "]";
    }
}
