package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The shape of a learning-rate schedule: the factor \( s_k \in (0, 1] \) by which a trainer multiplies its
 * learning rate \( \eta \) (its peak) at step \( k = 1, \dots, T \) of a run of \( T \) steps, so that step
 * \( k \) of Adam uses the step size \( \eta\, s_k \). An immutable value; three kinds:
 * <ul>
 * <li>{@link #constant()}: \( s_k = 1 \);</li>
 * <li>{@link #warmupCosine(long, double)}: a linear warm-up over \( W \) steps, \( s_k = k / W \) for
 *     \( k \le W \), then a cosine decay (Loshchilov and Hutter 2017, without restarts) to the fraction \( f \),
 *     \( s_k = f + (1 - f)\,\tfrac12\big(1 + \cos(\pi\,(k - W)/(T - W))\big) \) for \( W \lt k \le T \), which
 *     ends at \( s_T = f \);</li>
 * <li>{@link #relativeWarmupCosine(double, double)}: the same with a warm-up that is a fraction \( \phi \) of
 *     the run, \( W = \min(\lceil \phi T \rceil, T - 1) \), so that it fits every run length (the default of
 *     {@link FlowMatchingTrainer}, \( \phi = f = 0.05 \), and of {@link SinkhornGeneratorTrainer});</li>
 * <li>{@link #stepDecay(long, double)}: \( s_k = \gamma^{\lfloor (k - 1)/P \rfloor} \), the rate multiplied by
 *     \( \gamma \) every \( P \) steps.</li>
 * </ul>
 * The run length \( T \) is the trainer's {@link FlowMatchingTrainer#steps()} budget; a warm-up given in steps must
 * be shorter than it (the trainer rejects the schedule otherwise).
 */
public final class LearningRateSchedule {
    private enum Kind { CONSTANT, WARMUP_COSINE, RELATIVE_WARMUP_COSINE, STEP_DECAY }

    private static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0, 0, 1);

    private final Kind kind;
    /** The warm-up length \( W \) or the decay period \( P \). */
    private final long period;
    /** The warm-up fraction \( \phi \) of a relative warm-up, 0 otherwise. */
    private final double warmupFraction;
    /** The final fraction \( f \) or the decay factor \( \gamma \). */
    private final double fraction;

    private LearningRateSchedule(Kind kind, long period, double warmupFraction, double fraction) {
        this.kind = kind;
        this.period = period;
        this.warmupFraction = warmupFraction;
        this.fraction = fraction;
    }

    /**
     * The constant schedule \( s_k = 1 \).
     *
     * @return the constant schedule
     */
    public static LearningRateSchedule constant() {
        return CONSTANT;
    }

    /**
     * Linear warm-up over {@code warmupSteps} steps, then cosine decay to {@code finalFraction} of the peak at the
     * last step (see the class comment).
     *
     * @param warmupSteps   the warm-up length \( W \ge 0 \) (0: cosine decay from the first step)
     * @param finalFraction the factor \( f \in [0, 1] \) at the last step
     * @return the schedule
     * @throws IllegalArgumentException if {@code warmupSteps < 0} or {@code finalFraction} is not in \( [0, 1] \)
     */
    public static LearningRateSchedule warmupCosine(long warmupSteps, double finalFraction) {
        return new LearningRateSchedule(Kind.WARMUP_COSINE, Arguments.nonNegative("warmupSteps", warmupSteps), 0,
                Arguments.inRange("finalFraction", finalFraction, 0, 1));
    }

    /**
     * Linear warm-up over the first fraction \( \phi \) of the run, \( W = \min(\lceil \phi T \rceil, T - 1) \)
     * steps, then cosine decay to {@code finalFraction} of the peak at the last step (see the class comment). The
     * warm-up scales with the run, so one schedule serves runs of any length.
     *
     * @param warmupFraction the fraction \( \phi \in [0, 1) \) of the run spent warming up
     * @param finalFraction  the factor \( f \in [0, 1] \) at the last step
     * @return the schedule
     * @throws IllegalArgumentException if {@code warmupFraction} is not in \( [0, 1) \) or {@code finalFraction} is
     *                                  not in \( [0, 1] \)
     */
    public static LearningRateSchedule relativeWarmupCosine(double warmupFraction, double finalFraction) {
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            // Arguments has no half-open range rule
            throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
        }
        return new LearningRateSchedule(Kind.RELATIVE_WARMUP_COSINE, 0, warmupFraction,
                Arguments.inRange("finalFraction", finalFraction, 0, 1));
    }

    /**
     * The rate multiplied by {@code factor} every {@code everySteps} steps: \( s_k = \gamma^{\lfloor (k-1)/P
     * \rfloor} \).
     *
     * @param everySteps the period \( P \ge 1 \)
     * @param factor     the factor \( \gamma \in (0, 1] \)
     * @return the schedule
     * @throws IllegalArgumentException if {@code everySteps <= 0} or {@code factor} is not in \( (0, 1] \)
     */
    public static LearningRateSchedule stepDecay(long everySteps, double factor) {
        Arguments.positive("everySteps", everySteps);
        if (!(factor > 0 && factor <= 1)) {
            // Arguments has no half-open range rule
            throw new IllegalArgumentException("factor must be in (0, 1], got " + factor);
        }
        return new LearningRateSchedule(Kind.STEP_DECAY, everySteps, 0, factor);
    }

    /** @return the warm-up length \( W \) of a warm-up cosine schedule in steps, 0 for the other kinds */
    public long warmupSteps() {
        return kind == Kind.WARMUP_COSINE ? period : 0;
    }

    /** @return the warm-up fraction \( \phi \) of a {@link #relativeWarmupCosine relative} warm-up, 0 otherwise */
    public double warmupFraction() {
        return warmupFraction;
    }

    /** The warm-up length in a run of {@code steps} steps (0 without warm-up). */
    private long warmupLength(long steps) {
        switch (kind) {
            case WARMUP_COSINE:
                return period;
            case RELATIVE_WARMUP_COSINE:
                return Math.min((long) Math.ceil(warmupFraction * steps), steps - 1);
            default:
                return 0;
        }
    }

    /**
     * The factor \( s_k \) at step {@code step} of a run of {@code steps} steps.
     *
     * @param step  the step \( k \), from 1 to {@code steps}
     * @param steps the run length \( T \ge 1 \)
     * @return \( s_k \), in \( [0, 1] \) (exactly 1 for the constant schedule)
     * @throws IllegalArgumentException if {@code steps <= 0}, {@code step} is not in \( [1, T] \), or a warm-up is
     *                                  not shorter than the run
     */
    public double factor(long step, long steps) {
        Arguments.positive("steps", steps);
        Arguments.atLeast("step", step, 1L);
        Arguments.atMost("step", step, steps);
        checkFits(steps);
        return factorUnchecked(step, steps);
    }

    /**
     * Rejects a warm-up that is not shorter than the run.
     *
     * @throws IllegalArgumentException naming {@code schedule} if \( W \ge T \)
     */
    void checkFits(long steps) {
        if (kind == Kind.WARMUP_COSINE && period >= steps) {
            // a rule between two settings; Arguments states rules on one value
            throw new IllegalArgumentException("schedule: the warm-up of " + period + " steps must be shorter than "
                    + "the run of steps = " + steps);
        }
    }

    /** \( s_k \) without checks (the trainer's loop, after {@link #checkFits}). */
    double factorUnchecked(long step, long steps) {
        switch (kind) {
            case WARMUP_COSINE:
            case RELATIVE_WARMUP_COSINE:
                long warmup = warmupLength(steps);
                if (step <= warmup) {
                    return (double) step / warmup;
                }
                double progress = (double) (step - warmup) / (steps - warmup);
                return fraction + (1 - fraction) * 0.5 * (1 + Math.cos(Math.PI * progress));
            case STEP_DECAY:
                return Math.pow(fraction, (step - 1) / period);
            default:
                return 1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.kind == kind && s.period == period
                && Double.compare(s.warmupFraction, warmupFraction) == 0 && Double.compare(s.fraction, fraction) == 0;
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + Long.hashCode(period)) * 31 + Double.hashCode(warmupFraction)) * 31
                + Double.hashCode(fraction);
    }

    /** One line: {@code constant}, {@code warmupCosine(warmupSteps=100, finalFraction=0.1)},
     * {@code relativeWarmupCosine(warmupFraction=0.05, finalFraction=0.1)} or
     * {@code stepDecay(everySteps=500, factor=0.5)}. */
    @Override
    public String toString() {
        switch (kind) {
            case WARMUP_COSINE:
                return "warmupCosine(warmupSteps=" + period + ", finalFraction=" + TextSummary.number(fraction) + ")";
            case RELATIVE_WARMUP_COSINE:
                return "relativeWarmupCosine(warmupFraction=" + TextSummary.number(warmupFraction) + ", finalFraction="
                        + TextSummary.number(fraction) + ")";
            case STEP_DECAY:
                return "stepDecay(everySteps=" + period + ", factor=" + TextSummary.number(fraction) + ")";
            default:
                return "constant";
        }
    }
}
