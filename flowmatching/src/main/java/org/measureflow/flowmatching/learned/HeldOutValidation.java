package org.measureflow.flowmatching.learned;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;

/**
 * Validation of a {@link FlowMatchingTrainer} run on held-out data, with early stopping. Every
 * {@link #everySteps()} steps (and after the last step) the trainer pushes a fixed set of \( n \) start points
 * \( z_1, \dots, z_n \) (\( n \) the size of the held-out set, drawn once at the start of the run from the latent
 * sampler, or from the first snapshot in multi-marginal training) along the current field from \( t = 0 \) to
 * \( t = 1 \) with {@link #integrator()}, and measures the Sinkhorn divergence (survey &sect;4)
 * \( S_\varepsilon\big(\tfrac1n \sum_i \delta_{\Phi_1(z_i)}, \nu_{\text{held-out}}\big) \) with
 * {@link #divergence()}. The weights of the lowest divergence so far are kept; when {@link #patience()}
 * evaluations in a row bring no strict improvement, the run stops and the trainer returns those best weights
 * (early stopping, Prechelt 1998). With an exponential moving average of the weights
 * ({@link FlowMatchingTrainer#withEmaDecay(double)}), the averaged weights are the ones evaluated and kept.
 *
 * <p>An immutable configured object: {@code HeldOutValidation.of(heldOut, SinkhornDivergence.of(SinkhornSolver
 * .of(0.05)))}. The held-out set and the divergence (whose Sinkhorn solver carries epsilon, in the data's squared
 * units) are required. Defaults:
 * <ul>
 * <li>an evaluation every 100 steps;</li>
 * <li>patience 5 evaluations (use {@code Long.MAX_VALUE} to keep the curve and the best weights without
 *     stopping);</li>
 * <li>{@link RungeKutta4} with step 0.05 (20 steps, 80 field evaluations per point) as the sampling integrator.</li>
 * </ul>
 */
public final class HeldOutValidation {
    private final ParticleMeasure heldOut;
    private final SinkhornDivergence divergence;
    private final long everySteps;
    private final long patience;
    private final OdeIntegrator integrator;

    private HeldOutValidation(ParticleMeasure heldOut, SinkhornDivergence divergence, long everySteps, long patience,
                              OdeIntegrator integrator) {
        this.heldOut = heldOut;
        this.divergence = divergence;
        this.everySteps = everySteps;
        this.patience = patience;
        this.integrator = integrator;
    }

    /**
     * Validation on {@code heldOut} by {@code divergence}, with the defaults of the class comment.
     *
     * @param heldOut    the held-out data \( \nu \) (its weights count)
     * @param divergence the Sinkhorn divergence, with its configured solver
     * @return the validation setting
     * @throws IllegalArgumentException if an argument is null, or the held-out coordinates are so large that squared
     *                                  distances could pass \( 10^{300} \)
     */
    public static HeldOutValidation of(ParticleMeasure heldOut, SinkhornDivergence divergence) {
        Arguments.notNull("heldOut", heldOut);
        Arguments.notNull("divergence", divergence);
        double largest = 0;
        for (double v : heldOut.flatPoints()) {
            largest = Math.max(largest, Math.abs(v));
        }
        double bound = 4.0 * heldOut.dimension() * largest * largest;
        if (!(bound <= 1e300)) {
            // the divergence's squared distances are bounded by 4 d max|x|^2; no Arguments rule for that bound
            throw new IllegalArgumentException("heldOut: coordinates up to " + largest + " in dimension "
                    + heldOut.dimension() + " give squared distances up to 4 d max|x|^2 = " + bound
                    + ", beyond the 1e300 the Sinkhorn divergence accepts (standardise the data)");
        }
        return new HeldOutValidation(heldOut, divergence, 100, 5, RungeKutta4.of(0.05));
    }

    /**
     * @param steps the number of training steps between evaluations, {@code > 0}
     * @return a validation with that period
     * @throws IllegalArgumentException if {@code steps <= 0}
     */
    public HeldOutValidation withEverySteps(long steps) {
        return new HeldOutValidation(heldOut, divergence, Arguments.positive("everySteps", steps), patience,
                integrator);
    }

    /**
     * @param evaluations how many evaluations in a row without a strict improvement stop the run, {@code > 0}
     * @return a validation with that patience
     * @throws IllegalArgumentException if {@code evaluations <= 0}
     */
    public HeldOutValidation withPatience(long evaluations) {
        return new HeldOutValidation(heldOut, divergence, everySteps, Arguments.positive("patience", evaluations),
                integrator);
    }

    /**
     * @param value the integrator that pushes the start points from 0 to 1
     * @return a validation with that integrator
     * @throws IllegalArgumentException if {@code value} is null
     */
    public HeldOutValidation withIntegrator(OdeIntegrator value) {
        return new HeldOutValidation(heldOut, divergence, everySteps, patience, Arguments.notNull("integrator",
                value));
    }

    /** @return the held-out data */
    public ParticleMeasure heldOut() {
        return heldOut;
    }

    /** @return the Sinkhorn divergence measured */
    public SinkhornDivergence divergence() {
        return divergence;
    }

    /** @return the number of steps between evaluations */
    public long everySteps() {
        return everySteps;
    }

    /** @return the evaluations without improvement that stop the run */
    public long patience() {
        return patience;
    }

    /** @return the sampling integrator */
    public OdeIntegrator integrator() {
        return integrator;
    }

    /**
     * One line: {@code HeldOutValidation[n=1000, d=2, everySteps=100, patience=5, SinkhornDivergence[...],
     * RungeKutta4[...]]}.
     */
    @Override
    public String toString() {
        return "HeldOutValidation[n=" + heldOut.size() + ", d=" + heldOut.dimension() + ", everySteps=" + everySteps
                + ", patience=" + patience + ", " + divergence + ", " + integrator + "]";
    }
}
