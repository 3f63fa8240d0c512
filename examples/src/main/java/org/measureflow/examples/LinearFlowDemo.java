package org.measureflow.examples;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.ParticleFlowResult;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.ode.TrajectoryRecorder;

/**
 * The core demo ({@code core-linear-flow}): a Gaussian cloud of particles transported by a rotating and dilating
 * linear field, compared with the exact Gaussian solution.
 *
 * <p>Particles \( x_i(0) \sim \mathcal{N}(m_0, \Sigma_0) \) follow \( \dot x = A x + b \) (survey eq. 1) with
 * \( A = \begin{pmatrix} a &amp; -\omega \\ \omega &amp; a \end{pmatrix} \), \( a = 0.3 \), \( \omega = 2 \): the flow map
 * \( x \mapsto e^{tA} x + \int_0^t e^{sA} b\,ds \) rotates by the angle \( \omega t \) and dilates by
 * \( e^{a t} \) around the fixed point \( c = -A^{-1} b \) (here \( c = (-1, 0) \)). The measure solves the
 * continuity equation (eq. 2) and stays Gaussian, \( \mathcal{N}(m_t, \Sigma_t) \) with
 * \( m_t = e^{tA} m_0 + \int_0^t e^{sA} b\,ds \) and \( \Sigma_t = e^{tA} \Sigma_0 e^{tA^\top} \) (docs/closed-forms.md CF-2), computed by {@link LinearField#flow}. The
 * particles are integrated by {@link RungeKutta4} with step {@value #STEP} and recorded at
 * {@code t = 0, 0.25, 0.5, 0.75, 1} by a {@link TrajectoryRecorder}; the demo prints the empirical and exact mean
 * and covariance at {@code t = 1}. Their difference is sampling error: entry \( (j,k) \) of the empirical
 * covariance of \( n \) Gaussian samples has standard deviation
 * \( \sqrt{(\Sigma_{jj}\Sigma_{kk} + \Sigma_{jk}^2)/n} \), which the demo also prints.
 */
public final class LinearFlowDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "core-linear-flow";
    /** Number of particles. */
    public static final int PARTICLES = 2000;
    /** Seed of the particle sample. */
    public static final long SEED = 42L;
    /** Step of the Runge&ndash;Kutta integrator. */
    public static final double STEP = 0.01;
    /** Dilation rate \( a \). */
    public static final double DILATION = 0.3;
    /** Angular velocity \( \omega \). */
    public static final double ROTATION = 2.0;

    /** Label of the empirical covariance at {@code t = 1} among the readings. */
    public static final String COVARIANCE_PARTICLES = "covariance t=1, particles";
    /** Label of the exact covariance at {@code t = 1} among the readings. */
    public static final String COVARIANCE_EXACT = "covariance t=1, closed form";
    /** Label of the empirical mean at {@code t = 1} among the readings. */
    public static final String MEAN_PARTICLES = "mean t=1, particles";
    /** Label of the exact mean at {@code t = 1} among the readings. */
    public static final String MEAN_EXACT = "mean t=1, closed form";

    private static final double[] TIMES = {0, 0.25, 0.5, 0.75, 1};

    /**
     * The outcome of {@link #simulate(StepObserver)}.
     *
     * @param initial     the initial Gaussian \( \mathcal{N}(m_0, \Sigma_0) \)
     * @param field       the linear field \( x \mapsto A x + b \)
     * @param times       the snapshot times
     * @param snapshots   the particles at each snapshot time (the first is the initial sample)
     * @param exact       the exact Gaussian at each snapshot time
     * @param integration step and evaluation counts of the Runge&ndash;Kutta run
     */
    public record Simulation(GaussianMeasure initial, LinearField field, double[] times,
                             List<ParticleMeasure> snapshots, List<GaussianMeasure> exact,
                             IntegrationResult integration) {
        /** Copies the arrays and lists. */
        public Simulation {
            times = times.clone();
            snapshots = List.copyOf(snapshots);
            exact = List.copyOf(exact);
        }

        /** A copy of the snapshot times. */
        @Override
        public double[] times() {
            return times.clone();
        }
    }

    /** The demo; stateless. */
    public LinearFlowDemo() {
    }

    @Override
    public boolean reportsProgress() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The initial Gaussian \( \mathcal{N}((1, 0), [[0.3, 0.1], [0.1, 0.2]]) \). */
    public static GaussianMeasure initialMeasure() {
        return GaussianMeasure.of(new double[]{1, 0},
                new DMatrixRMaj(new double[][]{{0.3, 0.1}, {0.1, 0.2}}));
    }

    /**
     * The field \( x \mapsto A x + b = A (x - c) \) with \( A = [[a, -\omega], [\omega, a]] \) and
     * \( b = -A c \) for the centre \( c = (-1, 0) \), that is \( b = (a, \omega) = (0.3, 2) \): the flow turns
     * and dilates the plane about \( c \), so the cloud, which starts at distance 2 from it, travels far enough
     * between snapshots to be seen apart.
     */
    public static LinearField field() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][]{{DILATION, -ROTATION}, {ROTATION, DILATION}});
        return LinearField.of(a, new double[]{DILATION, ROTATION});
    }

    /**
     * Samples {@link #PARTICLES} particles with seed {@link #SEED}, integrates them from 0 to 1 with
     * {@link RungeKutta4} and records them at the snapshot times; {@code observer} also watches the steps (for a
     * progress bar).
     */
    public Simulation simulate(StepObserver observer) {
        GaussianMeasure mu = initialMeasure();
        LinearField field = field();
        ParticleMeasure particles = mu.sample(PARTICLES, new SplittableRandom(SEED));
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(TIMES);
        ParticleFlowResult flow = RungeKutta4.of(STEP).advect(particles, field.onParticles(), 0, 1,
                StepObserver.all(recorder, observer));
        List<double[]> states = recorder.states();
        if (!Arrays.equals(recorder.times(), TIMES)) {
            throw new IllegalStateException("the trajectory recorder returned snapshots at "
                    + Arrays.toString(recorder.times()) + ", expected " + Arrays.toString(TIMES));
        }
        List<ParticleMeasure> snapshots = new ArrayList<>();
        List<GaussianMeasure> exact = new ArrayList<>();
        for (int k = 0; k < TIMES.length; k++) {
            snapshots.add(particles.withFlatPoints(states.get(k)));
            exact.add(field.flow(mu, TIMES[k]));
        }
        return new Simulation(mu, field, TIMES, snapshots, exact, flow.integration());
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        Simulation sim;
        try (Progress progress = Progress.start(NAME, quiet)) {
            sim = simulate(StepObserver.progress(progress));
        }
        List<String> pictures = Plots.save(chart(sim), outDir, NAME);

        int last = TIMES.length - 1;
        ParticleMeasure end = sim.snapshots().get(last);
        GaussianMeasure exact = sim.exact().get(last);
        double[] mean = end.mean();
        double[] exactMean = exact.mean();
        DMatrixRMaj cov = end.covariance();
        DMatrixRMaj exactCov = exact.covariance();
        double meanDiff = 0;
        for (int k = 0; k < 2; k++) {
            meanDiff = Math.max(meanDiff, Math.abs(mean[k] - exactMean[k]));
        }
        double covDiff = 0;
        double stdError = 0;
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
                covDiff = Math.max(covDiff, Math.abs(cov.get(j, k) - exactCov.get(j, k)));
                double s = exactCov.get(j, j) * exactCov.get(k, k) + exactCov.get(j, k) * exactCov.get(j, k);
                stdError = Math.max(stdError, Math.sqrt(s / PARTICLES));
            }
        }
        List<DemoResult.Reading> readings = List.of(
                DemoResult.Reading.vector(MEAN_PARTICLES, mean),
                DemoResult.Reading.vector(MEAN_EXACT, exactMean),
                DemoResult.Reading.scalar("max |mean difference|", meanDiff),
                DemoResult.Reading.matrix(COVARIANCE_PARTICLES, cov),
                DemoResult.Reading.matrix(COVARIANCE_EXACT, exactCov),
                DemoResult.Reading.scalar("max |covariance difference|", covDiff),
                DemoResult.Reading.scalar("sampling std. error of a covariance entry (max)", stdError),
                DemoResult.Reading.scalar("RK4 steps", sim.integration().steps()),
                DemoResult.Reading.scalar("field evaluations", sim.integration().evaluations()));
        return new DemoResult(
                String.format(Locale.ROOT, "Gaussian cloud under x' = Ax + b (RK4, %,d particles)", PARTICLES),
                pictures,
                List.of(String.format(Locale.ROOT, "%,d particles from N((1, 0), [[0.3, 0.1], [0.1, 0.2]]) follow "
                                + "x' = Ax + b, A = [[%s, -%s], [%s, %s]], b = (%s, %s), by RK4 with h = %s; "
                                + "colours are t = 0, 0.25, 0.5, 0.75, 1.", PARTICLES, DILATION, ROTATION, ROTATION,
                                DILATION, DILATION, ROTATION, STEP),
                        "Lines are the exact Gaussian N(m_t, S_t) (2-sigma ellipses) and its mean path: the cloud "
                                + "turns by 2 rad and grows by e^0.3 about the fixed point -A^-1 b = (-1, 0)."),
                readings);
    }

    /** The scatter plot of the snapshots, with the exact 2-sigma ellipses and the exact mean path. */
    static XYChart chart(Simulation sim) {
        XYChart chart = Plots.scatterChart("Gaussian cloud under a rotating, dilating linear field",
                "x1", "x2", 800, 800);
        Color[] colours = Plots.ramp(TIMES.length);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < TIMES.length; k++) {
            ParticleMeasure p = sim.snapshots().get(k);
            Plots.addParticles(chart, String.format(Locale.ROOT, "t = %.2f", TIMES[k]), p,
                    Plots.withAlpha(colours[k], 0.45));
            for (int i = 0; i < p.size(); i++) {
                xMin = Math.min(xMin, p.coordinate(i, 0));
                xMax = Math.max(xMax, p.coordinate(i, 0));
                yMin = Math.min(yMin, p.coordinate(i, 1));
                yMax = Math.max(yMax, p.coordinate(i, 1));
            }
        }
        for (int k = 0; k < TIMES.length; k++) {
            GaussianMeasure g = sim.exact().get(k);
            Plots.addEllipse(chart, "exact 2-sigma, t = " + TIMES[k], g.mean(), g.covariance(), 2.0,
                    colours[k].darker());
        }
        int points = 101;
        double[] mx = new double[points];
        double[] my = new double[points];
        for (int j = 0; j < points; j++) {
            double[] m = sim.field().flow(sim.initial(), (double) j / (points - 1)).mean();
            mx[j] = m[0];
            my[j] = m[1];
        }
        XYSeries path = chart.addSeries("exact mean path", mx, my);
        path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        path.setMarker(SeriesMarkers.NONE);
        path.setLineColor(Color.DARK_GRAY);
        path.setLineWidth(1.5f);
        Plots.equalAxes(chart, xMin, xMax, yMin, yMax, 0.08);
        return chart;
    }
}
