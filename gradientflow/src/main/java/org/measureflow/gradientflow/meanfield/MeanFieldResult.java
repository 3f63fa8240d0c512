package org.measureflow.gradientflow.meanfield;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * The outcome of {@link MeanFieldTrainer#train}: a fixed budget of gradient steps, so the convergence record says
 * {@link org.measureflow.core.iteration.Termination#COMPLETED} (or {@code STOPPED} when an observer stopped it) with
 * the steps done, a NaN tolerance, and as error the last recorded full-batch risk \( R(\mu) \) (at the final
 * neurons, {@link #finalRisk()}).
 *
 * @param neurons     the neurons after training
 * @param times       the training times \( t = k h \) at which the full-batch risk was recorded
 * @param risks       the full-batch risk \( R(\mu_t) \) at those times
 * @param snapshots   the neurons at those times when snapshots were asked for, else empty
 * @param convergence the steps done and the final risk
 */
public record MeanFieldResult(ParticleMeasure neurons, double[] times, double[] risks, List<ParticleMeasure> snapshots,
                              Convergence convergence) implements IterativeResult {
    /**
     * Copies the arrays and the list.
     *
     * @throws IllegalArgumentException if an argument is null, {@code times} is empty or the lengths of
     *                                  {@code times} and {@code risks} differ
     */
    public MeanFieldResult {
        Arguments.notNull("neurons", neurons);
        times = Arguments.nonEmpty("times", times).clone();
        risks = Arguments.notNull("risks", risks).clone();
        Arguments.length("risks", risks.length, times.length);
        snapshots = List.copyOf(Arguments.notNull("snapshots", snapshots));
        Arguments.notNull("convergence", convergence);
    }

    /** A copy of the recorded times. */
    @Override
    public double[] times() {
        return times.clone();
    }

    /** A copy of the recorded risks. */
    @Override
    public double[] risks() {
        return risks.clone();
    }

    /**
     * The last recorded risk, at the final neurons.
     *
     * @return \( R(\mu) \) after training
     */
    public double finalRisk() {
        return risks[risks.length - 1];
    }

    /**
     * One line: {@code MeanFieldResult[N=60, d+2=4, records=101, initial risk=0.61, final risk=1.5e-05, completed
     * 1500 iterations (final 1.55e-05)]}.
     */
    @Override
    public String toString() {
        return "MeanFieldResult[N=" + neurons.size() + ", d+2=" + neurons.dimension() + ", records=" + times.length
                + ", snapshots=" + snapshots.size() + ", initial risk=" + TextSummary.number(risks[0])
                + ", final risk=" + TextSummary.number(finalRisk()) + ", " + convergence + "]";
    }
}
