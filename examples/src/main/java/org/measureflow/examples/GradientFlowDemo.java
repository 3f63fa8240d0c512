package org.measureflow.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.jko.EntropicJko;
import org.measureflow.gradientflow.jko.JkoResult;
import org.measureflow.gradientflow.jko.JkoStepResult;
import org.measureflow.gradientflow.particles.ParticleGradientFlow;

/**
 * The gradient-flow demo ({@code gradientflow}): two Wasserstein gradient flows (survey &sect;5).
 *
 * <p><b>Porous medium.</b> The JKO scheme (eq. 13) for \( F(\rho) = \int \rho^2 \) on a 1-D grid of
 * {@value #CELLS} cells, by entropic scaling iterations ({@link EntropicJko}), started from the Barenblatt profile
 * \( U(x, t) = t^{-1/3}(C - x^2 t^{-2/3}/12)_+ \) at \( t_0 = 1 \) (docs/closed-forms.md CF-6, mass 1) and compared with it at
 * later times: the picture {@code gradientflow-porous-medium.png} overlays the JKO densities (solid) and the
 * profiles (dashed).
 *
 * <p><b>Aggregation.</b> {@value #PARTICLES} particles under the attraction&ndash;repulsion interaction
 * \( W(z) = |z|^2/2 - \log|z| \) in 2-D (eq. 17, integrated by RK4), from a Gaussian cloud; the steady state is the
 * uniform measure on the unit disk (docs/closed-forms.md CF-17): the picture {@code gradientflow-aggregation.png} shows the
 * initial and final clouds and the unit circle around the (conserved) mean.
 */
public final class GradientFlowDemo implements TourDemo {
    /** The demo's name. */
    public static final String NAME = "gradientflow";
    /** Stem of the porous-medium picture. */
    public static final String POROUS_PICTURE = "gradientflow-porous-medium";
    /** Stem of the aggregation picture. */
    public static final String AGGREGATION_PICTURE = "gradientflow-aggregation";
    /** Grid cells of the porous-medium run. */
    public static final int CELLS = 120;
    /** Half-width of the grid. */
    public static final double HALF_WIDTH = 4.0;
    /** Start time \( t_0 \) of the Barenblatt profile. */
    public static final double T0 = 1.0;
    /** The snapshot times (absolute Barenblatt times). */
    public static final double[] TIMES = {1.0, 1.5, 2.5, 4.0};
    /** Number of particles of the aggregation run. */
    public static final int PARTICLES = 400;
    /** Step of the RK4 integration of the aggregation (the repulsion's stiffness is ~ 1/(n r^2) ~ 0.3 here). */
    public static final double AGGREGATION_STEP = 0.1;
    /** Final time of the aggregation run. */
    public static final double AGGREGATION_TIME = 8.0;

    /** Label of the L1 error against Barenblatt at the last time. */
    public static final String POROUS_L1 = "porous medium: L1 error vs Barenblatt at t = 4";
    /** Label of the largest mass change over the JKO steps. */
    public static final String POROUS_MASS = "porous medium: max |mass - 1| over the steps";
    /** Label of the fraction of particles within radius 1/2 of the mean. */
    public static final String INNER_FRACTION = "aggregation: fraction within r = 1/2 (disk: 0.25)";
    /** Label of the largest distance to the mean. */
    public static final String OUTER_RADIUS = "aggregation: max radius (disk: 1)";

    private static final double K = 1.0 / 12;
    private static final double C = Math.pow(0.75 * Math.sqrt(K), 2.0 / 3);

    /** The demo; stateless. */
    public GradientFlowDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The 1-D Barenblatt profile of \( \partial_t u = \Delta u^2 \) with mass 1 (docs/closed-forms.md CF-6). */
    public static double barenblatt(double x, double t) {
        double v = C - K * x * x * Math.pow(t, -2.0 / 3);
        return v > 0 ? Math.pow(t, -1.0 / 3) * v : 0.0;
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        List<DemoResult.Reading> readings = new ArrayList<>();
        List<String> pictures = new ArrayList<>(porousMedium(outDir, readings));
        pictures.addAll(aggregation(outDir, readings));
        return new DemoResult("Wasserstein gradient flows: porous medium by entropic JKO, aggregation by particles",
                pictures,
                List.of("Porous medium (rho_t = (rho^2)_xx): JKO densities (solid) against the Barenblatt profiles "
                                + "(dashed) at t = 1, 1.5, 2.5, 4; the support spreads like t^(1/3).",
                        "Aggregation with W = |z|^2/2 - log|z|: 400 particles from a Gaussian cloud spread into the "
                                + "unit disk (uniform steady state, density 1/pi)."),
                readings);
    }

    private static List<String> porousMedium(Path outDir, List<DemoResult.Reading> readings) throws Exception {
        GridDensity.Grid grid = GridDensity.Grid.of1d(-HALF_WIDTH, HALF_WIDTH, CELLS);
        double h = grid.cellSize(0);
        double tau = 0.5 * h;
        EntropicJko jko = EntropicJko.of(tau, h * h).withTolerance(1e-8);
        XYChart chart = Plots.scatterChart("Porous medium m = 2: entropic JKO vs Barenblatt", "x", "density", 900, 600);
        Color[] colours = Plots.ramp(TIMES.length);
        double[] xs = new double[CELLS];
        for (int c = 0; c < CELLS; c++) {
            xs[c] = grid.centre(0, c);
        }
        GridDensity rho = GridDensity.fromFunction(grid, x -> barenblatt(x[0], T0));
        double mass0 = rho.mass();
        double t = T0;
        long iterations = 0;
        double maxMassError = 0;
        double maxMarginal = 0;
        double l1 = 0;
        for (int k = 0; k < TIMES.length; k++) {
            int steps = (int) Math.round((TIMES[k] - t) / tau);
            if (steps > 0) {
                JkoResult flow = jko.flow(rho, InternalEnergy.porousMedium(2), steps);
                iterations += flow.iterations();
                maxMarginal = Math.max(maxMarginal, flow.error());
                for (JkoStepResult s : flow.steps()) {
                    maxMassError = Math.max(maxMassError, Math.abs(s.density().mass() - mass0));
                }
                rho = flow.finalDensity();
                t += steps * tau;
            }
            double[] exact = new double[CELLS];
            double[] values = rho.values();
            l1 = 0;
            for (int c = 0; c < CELLS; c++) {
                exact[c] = barenblatt(xs[c], t);
                l1 += Math.abs(values[c] - exact[c]) * h;
            }
            String label = String.format(Locale.ROOT, "t = %.2f", t);
            XYSeries jkoSeries = chart.addSeries("JKO " + label, xs, values);
            jkoSeries.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            jkoSeries.setMarker(SeriesMarkers.NONE);
            jkoSeries.setLineColor(colours[k]);
            jkoSeries.setLineWidth(2.5f);
            XYSeries exactSeries = chart.addSeries(k == 0 ? "Barenblatt (dashed)" : "Barenblatt " + label, xs, exact);
            exactSeries.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            exactSeries.setMarker(SeriesMarkers.NONE);
            exactSeries.setLineColor(Color.BLACK);
            exactSeries.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[]{5f, 4f}, 0f));
            exactSeries.setShowInLegend(k == 0);
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        readings.add(DemoResult.Reading.scalar(POROUS_L1, l1));
        readings.add(DemoResult.Reading.scalar(POROUS_MASS, maxMassError));
        readings.add(DemoResult.Reading.scalar("porous medium: tau", tau));
        readings.add(DemoResult.Reading.scalar("porous medium: epsilon (blur diffusion eps/(4 tau))", h * h));
        readings.add(DemoResult.Reading.scalar("porous medium: scaling iterations, all steps", iterations));
        readings.add(DemoResult.Reading.scalar("porous medium: max marginal error", maxMarginal));
        return Plots.save(chart, outDir, POROUS_PICTURE);
    }

    private static List<String> aggregation(Path outDir, List<DemoResult.Reading> readings) throws Exception {
        ParticleMeasure x0 = GaussianMeasure.standard(2).sample(PARTICLES, new SplittableRandom(5))
                .pushForward(2, (x, xo, out, oo) -> {
                    out[oo] = 0.4 * x[xo] + 0.5;
                    out[oo + 1] = 0.25 * x[xo + 1] - 0.3;
                });
        InteractionEnergy energy = InteractionEnergy.attractionRepulsion();
        ParticleMeasure x = ParticleGradientFlow.flow(x0, energy, RungeKutta4.of(AGGREGATION_STEP), 0, AGGREGATION_TIME)
                .measure();
        double[] m = x.mean();
        double maxRadius = 0;
        int inside = 0;
        for (int i = 0; i < PARTICLES; i++) {
            double r = Math.hypot(x.coordinate(i, 0) - m[0], x.coordinate(i, 1) - m[1]);
            maxRadius = Math.max(maxRadius, r);
            inside += r < 0.5 ? 1 : 0;
        }
        XYChart chart = Plots.scatterChart("Aggregation, W = |z|^2/2 - log|z|: particles fill the unit disk",
                "x1", "x2", 800, 800);
        Plots.addParticles(chart, "t = 0", x0, new Color(150, 150, 150));
        Plots.addParticles(chart, String.format(Locale.ROOT, "t = %.0f", AGGREGATION_TIME), x,
                new Color(200, 60, 40));
        int points = 181;
        double[] cx = new double[points];
        double[] cy = new double[points];
        for (int k = 0; k < points; k++) {
            double th = 2 * Math.PI * k / (points - 1);
            cx[k] = m[0] + Math.cos(th);
            cy[k] = m[1] + Math.sin(th);
        }
        XYSeries circle = chart.addSeries("unit circle (steady state)", cx, cy);
        circle.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        circle.setMarker(SeriesMarkers.NONE);
        circle.setLineColor(new Color(40, 90, 200));
        circle.setLineWidth(2f);
        Plots.equalAxes(chart, m[0] - 1.3, m[0] + 1.3, m[1] - 1.3, m[1] + 1.3, 0.05);
        readings.add(DemoResult.Reading.scalar(OUTER_RADIUS, maxRadius));
        readings.add(DemoResult.Reading.scalar(INNER_FRACTION, inside / (double) PARTICLES));
        readings.add(DemoResult.Reading.scalar("aggregation: energy at t = 0", energy.value(x0)));
        readings.add(DemoResult.Reading.scalar("aggregation: energy at the end", energy.value(x)));
        readings.add(DemoResult.Reading.vector("aggregation: mean (conserved)", m));
        return Plots.save(chart, outDir, AGGREGATION_PICTURE);
    }
}
