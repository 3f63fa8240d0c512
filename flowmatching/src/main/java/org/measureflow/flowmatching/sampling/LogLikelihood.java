package org.measureflow.flowmatching.sampling;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.flowmatching.field.FlowMatchingField;

/**
 * Log-likelihoods under a flow by the instantaneous change of variables (survey eqs. 1&ndash;2 along
 * characteristics): along \( \dot x_t = v_t(x_t) \), \( \tfrac{d}{dt}\log\rho_t(x_t) = -\nabla\cdot v_t(x_t) \), so
 * \[ \log\rho_{t_1}(x) = \log\rho_{t_0}(x_{t_0}) - \int_{t_0}^{t_1} \nabla\cdot v_s(x_s)\,ds , \qquad x_{t_1} = x. \]
 * Each point is integrated backwards from \( t_1 \) to \( t_0 \) together with the running integral of the exact
 * divergence ({@link FlowMatchingField#divergence}), in one state of size \( n(d+1) \), over both cores; the error
 * is the integrator's.
 */
public final class LogLikelihood {
    private LogLikelihood() {
    }

    /**
     * \( \log\rho_{t_1}(x_i) \) for every point, with \( \rho_{t_0} \) the Gaussian {@code latent}.
     *
     * @param field      a field with exact divergence
     * @param latent     the law at {@code t0}
     * @param points     the points at {@code t1}
     * @param integrator any core integrator (run backwards in time)
     * @param t0         latent time (usually 0)
     * @param t1         time of the points (usually 1; below 1 for fields singular there)
     * @throws IllegalArgumentException on null arguments, dimension mismatches or times outside \( [0,1] \)
     */
    public static LikelihoodResult evaluate(FlowMatchingField field, GaussianMeasure latent, ParticleMeasure points,
                                            OdeIntegrator integrator, double t0, double t1) {
        Arguments.notNull("field", field);
        Arguments.notNull("latent", latent);
        Arguments.notNull("points", points);
        Arguments.notNull("integrator", integrator);
        FlowSampler.checkTime("t0", t0);
        FlowSampler.checkTime("t1", t1);
        int d = field.dimension();
        Arguments.sameDimension("points", points.dimension(), d, "field");
        Arguments.sameDimension("latent", latent.dimension(), d, "field");
        int n = points.size();
        int w = d + 1;
        double[] state = new double[n * w];
        double[] x = points.flatPoints();
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, state, i * w, d);
        }
        OdeSystem augmented = OdeSystem.of(n * w, (t, y, dydt) ->
                Chunks.forEach(n, 64, 1L << 10, (chunk, start, end) -> {
                    for (int i = start; i < end; i++) {
                        field.velocity(t, y, i * w, dydt, i * w);
                        dydt[i * w + d] = field.divergence(t, y, i * w);
                    }
                }));
        IntegrationResult r = integrator.integrate(augmented, t1, state, t0);
        double[] logDensities = new double[n];
        double[] z = new double[n * d];
        double[] point = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(state, i * w, point, 0, d);
            System.arraycopy(point, 0, z, i * d, d);
            // state[d] = integral from t1 down to t0 of div v = -(integral from t0 to t1).
            logDensities[i] = latent.logDensity(point) + state[i * w + d];
        }
        return new LikelihoodResult(logDensities, points.withFlatPoints(z), r);
    }
}
