package org.measureflow.examples;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.ParticleFlowResult;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.core.velocity.DacorognaMoser;
import org.measureflow.core.velocity.DacorognaMoserPathResult;
import org.measureflow.core.velocity.DensityPath;
import org.measureflow.core.velocity.HodgeSplitResult;
import org.measureflow.core.velocity.LeastEffort;
import org.measureflow.core.velocity.LeastEffortPathResult;
import org.measureflow.core.velocity.PathField;
import org.measureflow.ot.gaussian.BuresWasserstein;

/**
 * The velocity-field demo ({@code core-velocity-fields}): one density path, three vector fields that all move along
 * it (survey &sect;2.1). The path is \( \rho_t = (1 - \beta)\,\gamma_t + \beta\,U \), the McCann geodesic
 * \( \gamma_t \) between two Gaussians mixed with a uniform background \( U \) on the box (\( \beta \) =
 * {@value #BACKGROUND}; Dacorogna&ndash;Moser divides by \( \rho \), so it needs a density bounded below: on a bare
 * Gaussian its kinetic energy \( \int |\nabla\Delta^{-1}\partial_t\rho|^2/\rho \) diverges in the tails). The fields
 * are reconstructed on a grid from the densities alone:
 * <ul>
 * <li>least effort (eqs. 4&ndash;6): \( v = \nabla\varphi \) with \( -\nabla\cdot(\rho\nabla\varphi) =
 *     \partial_t\rho \), the field of smallest kinetic energy \( \int\rho|v|^2 \). Its action
 *     \( \int_0^1\!\!\int \rho_t |v_t|^2 \) is at most \( (1 - \beta) W_2^2(\gamma_0, \gamma_1) \): the field
 *     \( (1-\beta)\gamma_t u_t/\rho_t \), with \( u_t \) the geodesic's own velocity, has the same flux divergence
 *     and the energy \( (1-\beta)^2\int \gamma_t^2|u_t|^2/\rho_t \le (1-\beta)\int\gamma_t|u_t|^2 \), whose
 *     integral over time is \( (1-\beta) W_2^2 \) (Benamou&ndash;Brenier);</li>
 * <li>Dacorogna&ndash;Moser (eq. 3): \( v = -\nabla\Delta^{-1}(\partial_t\rho)/\rho \);</li>
 * <li>least effort plus a swirl: \( v + \lambda w \) with \( w \) the flux-free part (weighted Helmholtz&ndash;Hodge
 *     split, \( \nabla\cdot(\rho_t w) = 0 \)) of the rotation \( J(x - m_t) \) about the mean.</li>
 * </ul>
 * All three give the same \( \partial_t\rho \), so particles drawn from \( \rho_0 \) and advected by any of them
 * (adaptive Dormand&ndash;Prince) arrive distributed as \( \rho_1 \); their trajectories and kinetic energies differ.
 * The demo prints the three actions, the bound \( (1-\beta) W_2^2 \) with \( W_2^2 \) in closed form
 * ({@link BuresWasserstein}), and the mean and covariance of each particle cloud at \( t = 1 \) against
 * \( \rho_1 \)'s.
 */
public final class VelocityFieldsDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "core-velocity-fields";
    /** Cells per axis of the grid. */
    public static final int CELLS = 128;
    /** Intervals of the density path on [0, 1]. */
    public static final int INTERVALS = 10;
    /** Particles advected by each field. */
    public static final int PARTICLES = 2000;
    /** Particles whose trajectories are drawn. */
    public static final int DRAWN_PATHS = 40;
    /** Strength \( \lambda \) of the flux-free swirl added to the least-effort field. */
    public static final double SWIRL = 2.0;
    /** Weight \( \beta \) of the uniform background. */
    public static final double BACKGROUND = 0.1;
    /** Seed of the particle sample. */
    public static final long SEED = 11L;

    /** Label of the bound \( (1-\beta) W_2^2(\gamma_0, \gamma_1) \) among the readings. */
    public static final String BOUND = "(1 - beta) W2^2 of the Gaussians (closed form), a bound on the least action";
    /** Labels of the three actions among the readings, in the order least effort, Dacorogna-Moser, swirl. */
    public static final String[] ACTIONS = {"action of the least-effort field", "action of the Dacorogna-Moser field",
        "action of least effort + swirl"};
    /** Labels of the end-mean errors among the readings, in the order of {@link #ACTIONS}. */
    public static final String[] MEAN_ERRORS = {"max |mean(t=1) - m_1|, least effort",
        "max |mean(t=1) - m_1|, Dacorogna-Moser", "max |mean(t=1) - m_1|, least effort + swirl"};
    /** Labels of the end-covariance errors among the readings, in the order of {@link #ACTIONS}. */
    public static final String[] COVARIANCE_ERRORS = {"max |cov(t=1) - S_1|, least effort",
        "max |cov(t=1) - S_1|, Dacorogna-Moser", "max |cov(t=1) - S_1|, least effort + swirl"};
    /** Label of the sampling standard error of a covariance entry. */
    public static final String SAMPLING = "sampling std. error of a covariance entry (max)";

    private static final double XLO = -4;
    private static final double XHI = 4;
    private static final double YLO = -3.5;
    private static final double YHI = 4.5;

    /** The demo; stateless. */
    public VelocityFieldsDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The start of the path, \( \mathcal N((-1.5, -0.5), [[0.35, 0.1], [0.1, 0.15]]) \). */
    public static GaussianMeasure start() {
        return GaussianMeasure.of(new double[] {-1.5, -0.5}, new double[][] {{0.35, 0.1}, {0.1, 0.15}});
    }

    /** The end of the path, \( \mathcal N((1.5, 0.8), [[0.2, -0.08], [-0.08, 0.45]]) \). */
    public static GaussianMeasure end() {
        return GaussianMeasure.of(new double[] {1.5, 0.8}, new double[][] {{0.2, -0.08}, {-0.08, 0.45}});
    }

    /** The densities \( (1-\beta)\gamma_t + \beta U \) at {@code t = k / INTERVALS} on the demo's grid. */
    static DensityPath path(GridDensity.Grid grid) {
        double[] times = new double[INTERVALS + 1];
        GridDensity[] densities = new GridDensity[INTERVALS + 1];
        double uniform = 1 / ((XHI - XLO) * (YHI - YLO));
        for (int k = 0; k <= INTERVALS; k++) {
            times[k] = (double) k / INTERVALS;
            GaussianMeasure g = BuresWasserstein.geodesic(start(), end(), times[k]);
            densities[k] = GridDensity.fromFunction(grid,
                    x -> (1 - BACKGROUND) * Math.exp(g.logDensity(x)) + BACKGROUND * uniform);
        }
        return DensityPath.of(times, densities);
    }

    /** The three fields and their actions, in the order of {@link #ACTIONS}. */
    record Fields(PathField[] fields, double[] actions) {
    }

    /** Reconstructs the three fields from the path. */
    static Fields fields(DensityPath path) {
        LeastEffort leastEffort = LeastEffort.withDefaults();
        LeastEffortPathResult le = leastEffort.solve(path);
        DacorognaMoserPathResult dm = DacorognaMoser.withDefaults().solve(path);
        PathField base = le.field();
        double[] times = base.times();
        List<GridVectorField> swirled = new ArrayList<>();
        double swirlAction = 0;
        GridDensity.Grid grid = path.grid();
        for (int j = 0; j < times.length; j++) {
            double t = times[j];
            GridDensity rho = path.midpointDensity(j);
            double[] m = BuresWasserstein.geodesic(start(), end(), t).mean();
            GridVectorField rotation = GridVectorField.fromField(grid,
                    (time, x, xo, out, oo) -> {
                        out[oo] = -(x[xo + 1] - m[1]);
                        out[oo + 1] = x[xo] - m[0];
                    }, t);
            HodgeSplitResult split = leastEffort.split(rho, rotation);
            GridVectorField field = base.field(j).plus(split.fluxFreePart().scaled(SWIRL));
            swirled.add(field);
            swirlAction += (path.time(j + 1) - path.time(j)) * field.kineticEnergy(rho);
        }
        return new Fields(new PathField[] {base, dm.field(), PathField.of(times, swirled)},
                new double[] {le.action(), dm.action(), swirlAction});
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        GridDensity.Grid grid = GridDensity.Grid.of2d(XLO, XHI, CELLS, YLO, YHI, CELLS);
        DensityPath path = path(grid);
        Fields fields = fields(path);
        GaussianMeasure mu0 = start();
        GaussianMeasure mu1 = end();
        GridDensity rho1 = path.density(INTERVALS);
        double[] m1 = rho1.mean();
        double[] s1 = rho1.covariance().data;
        ParticleMeasure particles = path.density(0).sample(PARTICLES, new SplittableRandom(SEED));
        double[] times = new double[26];
        for (int k = 0; k < times.length; k++) {
            times[k] = k / 25.0;
        }
        String[] titles = {"least effort", "Dacorogna-Moser", "least effort + flux-free swirl"};
        Color[] colours = {new Color(20, 140, 60), new Color(200, 100, 20), new Color(120, 60, 180)};
        List<XYChart> charts = new ArrayList<>();
        List<DemoResult.Reading> readings = new ArrayList<>();
        double bound = (1 - BACKGROUND) * BuresWasserstein.squaredDistance(mu0, mu1);
        readings.add(DemoResult.Reading.scalar(BOUND, bound));
        double[] meanErrors = new double[3];
        double[] covErrors = new double[3];
        for (int f = 0; f < 3; f++) {
            TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(times);
            ParticleFlowResult flow = DormandPrince54.withDefaults().advect(particles,
                    fields.fields()[f].onParticles(), 0, 1, recorder);
            ParticleMeasure arrived = flow.measure();
            meanErrors[f] = maxDifference(arrived.mean(), m1);
            covErrors[f] = maxDifference(arrived.covariance().data, s1);
            readings.add(DemoResult.Reading.scalar(ACTIONS[f], fields.actions()[f]));
            charts.add(chart(String.format(Locale.ROOT, "%s: action %.2f", titles[f], fields.actions()[f]),
                    recorder.states(), particles, arrived, colours[f], mu0, mu1));
        }
        for (int f = 0; f < 3; f++) {
            readings.add(DemoResult.Reading.scalar(MEAN_ERRORS[f], meanErrors[f]));
        }
        for (int f = 0; f < 3; f++) {
            readings.add(DemoResult.Reading.scalar(COVARIANCE_ERRORS[f], covErrors[f]));
        }
        double stdError = 0;
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
                // Gaussian-like entries: the variance of an empirical covariance entry is (S_jj S_kk + S_jk^2) / n
                double s = s1[3 * j] * s1[3 * k] + s1[2 * j + k] * s1[2 * j + k];
                stdError = Math.max(stdError, Math.sqrt(s / PARTICLES));
            }
        }
        readings.add(DemoResult.Reading.scalar(SAMPLING, stdError));
        List<String> pictures = Plots.saveSideBySide(charts, outDir, NAME);
        return new DemoResult(String.format(Locale.ROOT,
                "One density path, three velocity fields (%d^2 grid, %,d particles each)", CELLS, PARTICLES),
                pictures,
                List.of(String.format(Locale.ROOT, "The path is the W2 geodesic between two Gaussians (grey: 2-sigma "
                                + "ellipses at t = 0 and 1) over a %.0f%% uniform background; each field is "
                                + "reconstructed from the densities alone and moves the same particles (grey dots) to "
                                + "the same end law (coloured dots), along different trajectories.",
                                100 * BACKGROUND),
                        "The least-effort field spends the least kinetic energy (its action is below (1 - beta) W2^2 "
                                + "of the Gaussians); Dacorogna-Moser divides by rho and spends more, most of it in "
                                + "the thin background; a flux-free swirl (div(rho w) = 0) adds energy without "
                                + "changing a single density."),
                readings);
    }

    private static double maxDifference(double[] a, double[] b) {
        double m = 0;
        for (int k = 0; k < a.length; k++) {
            m = Math.max(m, Math.abs(a[k] - b[k]));
        }
        return m;
    }

    private static XYChart chart(String title, List<double[]> states, ParticleMeasure from, ParticleMeasure arrived,
            Color colour, GaussianMeasure mu0, GaussianMeasure mu1) {
        XYChart chart = Plots.scatterChart(title, "x1", "x2", 560, 560);
        Plots.equalAxes(chart, -3.2, 3.2, -2.2, 3.2, 0.02);
        for (int p = 0; p < DRAWN_PATHS; p++) {
            int i = (int) ((long) p * PARTICLES / DRAWN_PATHS);
            double[] xs = new double[states.size()];
            double[] ys = new double[states.size()];
            for (int k = 0; k < states.size(); k++) {
                xs[k] = states.get(k)[2 * i];
                ys[k] = states.get(k)[2 * i + 1];
            }
            XYSeries s = chart.addSeries("path " + p, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Plots.withAlpha(colour, 0.6));
            s.setLineWidth(1f);
            s.setShowInLegend(false);
        }
        Plots.addParticles(chart, "t = 0", from, new Color(150, 150, 150));
        Plots.addParticles(chart, "t = 1", arrived, colour);
        Plots.addEllipse(chart, "rho_0", mu0.mean(), mu0.covariance(), 2, new Color(90, 90, 90));
        Plots.addEllipse(chart, "rho_1", mu1.mean(), mu1.covariance(), 2, new Color(90, 90, 90));
        chart.getStyler().setMarkerSize(2);
        return chart;
    }
}
