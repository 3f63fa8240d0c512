package org.measureflow.flowmatching.sampling;

import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;

/**
 * Log-densities of points under a flow, from {@link LogLikelihood}.
 *
 * @param logDensities \( \log\rho_{t_1}(x_i) \) for each point
 * @param latentPoints the points pulled back to \( t_0 \)
 * @param integration  the integrator's counts
 */
public record LikelihoodResult(double[] logDensities, ParticleMeasure latentPoints, IntegrationResult integration) {
    /** Copies the log-densities. */
    public LikelihoodResult {
        logDensities = logDensities.clone();
    }

    /** A copy of the log-densities. */
    @Override
    public double[] logDensities() {
        return logDensities.clone();
    }

    /** The mean log-likelihood \( \frac1n \sum_i \log\rho_{t_1}(x_i) \) (unweighted). */
    public double mean() {
        double s = 0;
        for (double v : logDensities) {
            s += v;
        }
        return s / logDensities.length;
    }

    /**
     * One line: {@code LikelihoodResult[n=500, mean log-density=-2.81, logDensities=[-2.5, -3.1, ...] (500),
     * IntegrationResult[...]]}.
     */
    @Override
    public String toString() {
        return "LikelihoodResult[n=" + logDensities.length + ", mean log-density=" + TextSummary.number(mean())
                + ", logDensities=" + TextSummary.array(logDensities) + ", " + integration + "]";
    }
}
