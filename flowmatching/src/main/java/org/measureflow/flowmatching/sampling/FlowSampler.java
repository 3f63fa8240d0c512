package org.measureflow.flowmatching.sampling;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.ParticleFlowResult;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.flowmatching.field.DenoisingField;

/**
 * The deterministic sampler of flow matching: latent points \( x_0 \sim \rho_0 \) pushed along
 * \( \dot x = v_t(x) \) from \( t_0 \) to \( t_1 \) (survey eq. 1; sampling "integrates \( v \) from 0 to 1"
 * after eq. 8) by any core {@link OdeIntegrator}, on both cores through the field's
 * {@link VectorField#onParticles()}. The number of field evaluations per sample (NFE) is reported.
 *
 * <p>For fields singular at \( t = 1 \) (the exact empirical field behaves like \( 1/(1-t) \)),
 * {@link #sampleDenoised} integrates to \( t_1 &lt; 1 \) and finishes with the denoiser
 * \( x \mapsto \mathbb{E}[X_1 \mid X_{t_1} = x] \), the last step of diffusion samplers; for the linear
 * interpolant that step is exactly an Euler step of the field from \( t_1 \) to 1.
 */
public final class FlowSampler {
    private FlowSampler() {
    }

    /** Pushes the latent points from \( t = 0 \) to \( t = 1 \). */
    public static SampleResult sample(VectorField field, ParticleMeasure latent, OdeIntegrator integrator) {
        return sample(field, latent, integrator, 0, 1, StepObserver.none());
    }

    /**
     * Pushes the latent points from {@code t0} to {@code t1} with an observer (progress, trajectories).
     *
     * @throws IllegalArgumentException on null arguments or times outside \( [0, 1] \)
     */
    public static SampleResult sample(VectorField field, ParticleMeasure latent, OdeIntegrator integrator, double t0,
                                      double t1, StepObserver observer) {
        Arguments.notNull("field", field);
        Arguments.notNull("latent", latent);
        Arguments.notNull("integrator", integrator);
        Arguments.notNull("observer", observer);
        checkTime("t0", t0);
        checkTime("t1", t1);
        ParticleFlowResult flow = integrator.advect(latent, field.onParticles(), t0, t1, observer);
        IntegrationResult r = flow.integration();
        return new SampleResult(flow.measure(), r.evaluations(), r);
    }

    /**
     * The clouds along the flow at several times: {@code start} placed at {@code times[0]} and pushed along
     * \( \dot x = v_t(x) \) through {@code times[1]}, ..., {@code times[K-1]}, one integration per interval
     * \( [t_{k-1}, t_k] \) started from the cloud at \( t_{k-1} \) (so the stops are exact, not interpolated). With
     * a field of multi-marginal flow matching ({@link org.measureflow.flowmatching.learned.SnapshotTrainingResult})
     * and its knots as {@code times}, entry \( k \) is the model of snapshot \( k \) when {@code start} is drawn
     * from snapshot 0.
     *
     * @param field      the field
     * @param start      the cloud at {@code times[0]}
     * @param integrator the integrator of each interval
     * @param times      increasing times in \( [0, 1] \), at least one (copied)
     * @return the clouds at {@code times}, entry 0 being {@code start}, with the weights of {@code start}
     * @throws IllegalArgumentException on null arguments, an empty {@code times}, times outside \( [0, 1] \) or not
     *                                  strictly increasing, or as {@link #sample(VectorField, ParticleMeasure,
     *                                  OdeIntegrator, double, double, StepObserver)} on an interval
     */
    public static List<ParticleMeasure> marginals(VectorField field, ParticleMeasure start, OdeIntegrator integrator,
                                                  double[] times) {
        Arguments.notNull("field", field);
        Arguments.notNull("start", start);
        Arguments.notNull("integrator", integrator);
        double[] stops = Arguments.nonEmpty("times", times).clone();
        for (int k = 0; k < stops.length; k++) {
            checkTime("times[" + k + "]", stops[k]);
            if (k > 0 && !(stops[k] > stops[k - 1])) {
                // no Arguments rule for an increasing sequence
                throw new IllegalArgumentException("times must be strictly increasing, got times[" + (k - 1) + "] = "
                        + stops[k - 1] + " and times[" + k + "] = " + stops[k]);
            }
        }
        List<ParticleMeasure> clouds = new ArrayList<>(stops.length);
        clouds.add(start);
        for (int k = 1; k < stops.length; k++) {
            clouds.add(sample(field, clouds.get(k - 1), integrator, stops[k - 1], stops[k], StepObserver.none())
                    .samples());
        }
        return List.copyOf(clouds);
    }

    /**
     * Pushes the latent points from 0 to {@code tEnd} and maps them by the denoiser at {@code tEnd}.
     *
     * @throws IllegalArgumentException unless \( 0 &lt; t_{end} &lt; 1 \)
     */
    public static SampleResult sampleDenoised(DenoisingField field, ParticleMeasure latent, OdeIntegrator integrator,
                                              double tEnd) {
        Arguments.inOpenRange("tEnd", tEnd, 0, 1);
        SampleResult raw = sample(field, latent, integrator, 0, tEnd, StepObserver.none());
        ParticleMeasure denoised = denoise(field, raw.samples(), tEnd);
        return new SampleResult(denoised, raw.fieldEvaluations() + 1, raw.integration());
    }

    /** Maps every point \( x \) to \( \mathbb{E}[X_1 \mid X_t = x] \). */
    public static ParticleMeasure denoise(DenoisingField field, ParticleMeasure points, double t) {
        Arguments.notNull("field", field);
        Arguments.notNull("points", points);
        int d = points.dimension();
        Arguments.sameDimension("points", d, field.dimension(), "field");
        double[] x = points.flatPoints();
        double[] out = new double[x.length];
        Chunks.forEach(points.size(), 64, 1L << 12, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                field.denoise(t, x, i * d, out, i * d);
            }
        });
        return points.withFlatPoints(out);
    }

    static void checkTime(String name, double t) {
        Arguments.inRange(name, t, 0, 1);
    }
}
