package org.measureflow.transformer.gaussian;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.ode.IntegrationResult;

/**
 * The solution of the Gaussian closure (survey eq. 30) on \( [0, t_1] \), or up to a detected blow-up. An ODE
 * integration, not an iteration with a tolerance: how it ended is its {@link Status}, which says when the covariance
 * blew up.
 *
 * @param times           the recorded times that were reached, increasing (accessor copies)
 * @param means           the mean \( m(t) \) at each recorded time (copies)
 * @param covariances     the covariance \( \Sigma(t) \) at each recorded time (copies)
 * @param finalTime       the time reached: \( t_1 \), or where the integration stopped
 * @param finalMean       \( m \) at {@code finalTime} (copy)
 * @param finalCovariance \( \Sigma \) at {@code finalTime} (copy)
 * @param status          how the integration ended
 * @param blowUpTime      for {@link Status#BLOW_UP} and {@link Status#INTEGRATOR_FAILED}, the estimate
 *                        \( t_s + \mathrm{tr}\,\Sigma / \mathrm{tr}\,\dot\Sigma \) at the stopping time \( t_s \), which
 *                        is exact when the trace follows a scalar Riccati law \( \dot s = c s^2 \) (in particular in
 *                        \( d = 1 \), docs/closed-forms.md CF-16); {@code NaN} when the integration completed
 * @param integration     step and evaluation counts ({@code null} if the integrator failed)
 * @param message         a one-line description of the outcome
 */
public record GaussianClosureResult(double[] times, List<double[]> means, List<DMatrixRMaj> covariances,
                                    double finalTime, double[] finalMean, DMatrixRMaj finalCovariance, Status status,
                                    double blowUpTime, IntegrationResult integration, String message) {
    /** How the integration of the closure ended. */
    public enum Status {
        /** The target time was reached. */
        COMPLETED,
        /** The covariance trace exceeded the blow-up threshold; the integration stopped there. */
        BLOW_UP,
        /**
         * The integrator failed (step-size underflow or a non-finite state), which near a finite-time singularity
         * means blow-up; the result holds the last accepted state.
         */
        INTEGRATOR_FAILED
    }

    /**
     * Validates and copies every array and matrix.
     *
     * @throws IllegalArgumentException if an argument other than {@code integration} is null, or the recorded
     *                                  lists do not match the recorded times
     */
    public GaussianClosureResult {
        Arguments.notNull("times", times);
        Arguments.length("means", Arguments.notNull("means", means).size(), times.length);
        Arguments.length("covariances", Arguments.notNull("covariances", covariances).size(), times.length);
        Arguments.notNull("finalMean", finalMean);
        Arguments.shape("finalCovariance", finalCovariance, finalMean.length, finalMean.length);
        Arguments.notNull("status", status);
        Arguments.notNull("message", message);
        times = times.clone();
        means = copyVectors(means);
        covariances = copyMatrices(covariances);
        finalMean = finalMean.clone();
        finalCovariance = finalCovariance.copy();
    }

    /**
     * Whether a blow-up was detected (status other than {@link Status#COMPLETED}).
     *
     * @return {@code true} for {@link Status#BLOW_UP} and {@link Status#INTEGRATOR_FAILED}
     */
    public boolean blewUp() {
        return status != Status.COMPLETED;
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public List<double[]> means() {
        return copyVectors(means);
    }

    @Override
    public List<DMatrixRMaj> covariances() {
        return copyMatrices(covariances);
    }

    @Override
    public double[] finalMean() {
        return finalMean.clone();
    }

    @Override
    public DMatrixRMaj finalCovariance() {
        return finalCovariance.copy();
    }

    /**
     * Number of recorded times reached.
     *
     * @return the number of recorded times
     */
    public int size() {
        return times.length;
    }

    /**
     * One line: the dimension, how the integration ended (and the blow-up time estimate when it did not complete),
     * the recorded times, the final moments and the integrator's counts, e.g. {@code GaussianClosureResult[d=1,
     * BLOW_UP (covariance trace exceeded 1000000.0 x its initial value at t = 0.505), blowUpTime=0.505, times=[],
     * finalMean=[3.1], finalCovariance=[[500000]], IntegrationResult[...]]}.
     */
    @Override
    public String toString() {
        return "GaussianClosureResult[d=" + finalMean.length + ", " + status + " (" + message + ")"
                + (status == Status.COMPLETED ? "" : ", blowUpTime=" + TextSummary.number(blowUpTime))
                + ", times=" + TextSummary.array(times) + ", finalMean=" + TextSummary.array(finalMean)
                + ", finalCovariance=" + TextSummary.matrix(finalCovariance) + ", "
                + (integration == null ? "no IntegrationResult (the integrator failed)" : integration) + "]";
    }

    private static List<double[]> copyVectors(List<double[]> list) {
        List<double[]> out = new ArrayList<>(list.size());
        for (double[] v : list) {
            out.add(v.clone());
        }
        return List.copyOf(out);
    }

    private static List<DMatrixRMaj> copyMatrices(List<DMatrixRMaj> list) {
        List<DMatrixRMaj> out = new ArrayList<>(list.size());
        for (DMatrixRMaj m : list) {
            out.add(m.copy());
        }
        return List.copyOf(out);
    }
}
