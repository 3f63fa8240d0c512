package org.measureflow.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.dynamic.BenamouBrenier;
import org.measureflow.ot.dynamic.BenamouBrenierResult;
import org.measureflow.ot.exact.OneDimensionalOt;

/**
 * The dynamic OT demo ({@code ot-benamou-brenier}): the Benamou&ndash;Brenier problem (survey eq. 11)
 * \( \min \int_0^1\!\int |m|^2/\rho \) subject to \( \partial_t \rho + \partial_x m = 0 \) between a bimodal and a
 * unimodal density on \( [0, 1] \), solved by {@link BenamouBrenier} on a {@value #CELLS} x {@value #STEPS}
 * space&ndash;time grid. The picture shows the density path \( \rho(t, \cdot) \) at five times: the two bumps slide
 * towards each other and merge, mass moving along straight characteristics (McCann's interpolation), not fading
 * in and out as the linear mixture \( (1-t)\rho_0 + t\rho_1 \) would. The minimal kinetic energy is compared with
 * \( W_2^2 \) from the 1-D closed form \( \int_0^1 |F_0^{-1} - F_1^{-1}|^2 \) of {@link OneDimensionalOt}.
 */
public final class OtBenamouBrenierDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "ot-benamou-brenier";
    /** Spatial cells on [0, 1]. */
    public static final int CELLS = 64;
    /** Time steps. */
    public static final int STEPS = 32;
    /** Label of the kinetic energy among the readings. */
    public static final String ENERGY = "kinetic energy int int |m|^2/rho (Benamou-Brenier)";
    /** Label of the closed-form W2^2 among the readings. */
    public static final String W2 = "W2^2 by the 1-D quantile formula";

    /** The demo; stateless. */
    public OtBenamouBrenierDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** \( \rho_0 \): equal bumps \( \mathcal N(0.2, 0.05^2) \) and \( \mathcal N(0.5, 0.05^2) \), normalised on the grid. */
    public static GridDensity source() {
        return GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, CELLS),
                x -> bump(x[0], 0.2, 0.05) + bump(x[0], 0.5, 0.05)).normalised();
    }

    /** \( \rho_1 \): one bump \( \mathcal N(0.7, 0.08^2) \), normalised on the grid. */
    public static GridDensity target() {
        return GridDensity.fromFunction(GridDensity.Grid.of1d(0, 1, CELLS), x -> bump(x[0], 0.7, 0.08)).normalised();
    }

    private static double bump(double x, double m, double s) {
        return Math.exp(-0.5 * (x - m) * (x - m) / (s * s)) / s;
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        GridDensity rho0 = source();
        GridDensity rho1 = target();
        BenamouBrenierResult r = BenamouBrenier.of(STEPS).withTolerance(1e-5).solve(rho0, rho1);
        double w2 = OneDimensionalOt.cost(rho0.toParticleMeasure(), rho1.toParticleMeasure(), 2);

        XYChart chart = Plots.scatterChart("Benamou-Brenier density path rho(t, x)", "x", "rho(t, x)", 900, 560);
        double[] x = new double[CELLS];
        for (int i = 0; i < CELLS; i++) {
            x[i] = rho0.grid().centre(0, i);
        }
        int[] slices = {0, STEPS / 4, STEPS / 2, 3 * STEPS / 4, STEPS};
        Color[] colours = Plots.ramp(slices.length);
        for (int k = 0; k < slices.length; k++) {
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "t = %.2f", r.time(slices[k])), x,
                    r.densityValues(slices[k]));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[k]);
            s.setLineStyle(new BasicStroke(2.2f));
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        List<String> pictures = Plots.save(chart, outDir, NAME);

        List<DemoResult.Reading> readings = new ArrayList<>();
        readings.add(DemoResult.Reading.scalar(ENERGY, r.kineticEnergy()));
        readings.add(DemoResult.Reading.scalar(W2, w2));
        readings.add(DemoResult.Reading.scalar("Douglas-Rachford iterations", r.iterations()));
        readings.add(DemoResult.Reading.scalar("relative fixed-point residual", r.error()));
        readings.add(DemoResult.Reading.scalar("mass at t = 1/2", r.mass(STEPS / 2)));
        return new DemoResult(
                String.format(Locale.ROOT, "Dynamic OT (Benamou-Brenier) on a %d x %d space-time grid", CELLS, STEPS),
                pictures,
                List.of("Density path rho(t, .) at t = 0, 1/4, 1/2, 3/4, 1 from two bumps (blue) to one (orange), "
                                + "minimising int int |m|^2/rho under the continuity equation.",
                        "The bumps slide and merge instead of fading: mass moves on straight lines, and the minimal "
                                + "kinetic energy matches W2^2 from the quantile formula."),
                readings);
    }
}
