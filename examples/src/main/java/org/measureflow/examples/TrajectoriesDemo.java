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
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.particles.Langevin;
import org.measureflow.gradientflow.snapshots.PotentialBasis;
import org.measureflow.gradientflow.snapshots.PotentialFitResult;
import org.measureflow.gradientflow.snapshots.PotentialRecovery;
import org.measureflow.gradientflow.snapshots.SnapshotSeries;
import org.measureflow.gradientflow.snapshots.SnapshotTransitions;
import org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * The trajectory-inference demo ({@code gradientflow-trajectories}, survey &sect;5.4): a population starting at the
 * saddle of the double-well landscape \( V(x) = (x_1^2 - 1)^2 + x_2^2/2 \) follows
 * \( dX = -\nabla V(X)\,dt + \sqrt{2D}\,dW \) and splits between the wells \( x_1 = \pm 1 \). It is observed at
 * {@link #TIMES}, {@link #CELLS} different cells each time (measuring destroys the cells, so the snapshots are
 * disjoint samples of one Langevin run). From the snapshots alone the demo infers
 * <ul>
 * <li>the transitions between consecutive snapshots (entropic OT, {@link SnapshotTransitions}), and from them
 *     trajectories: a cell of the first snapshot, then a successor drawn from its row of each coupling;</li>
 * <li>the potential, in the polynomial basis of degree 4 (which contains \( V \)), through the first-order
 *     conditions of the JKO step along the couplings ({@link PotentialRecovery}, \( D \) known); the demo prints the
 *     minima of the fitted potential along \( x_2 = 0 \) against the true wells \( \pm 1 \).</li>
 * </ul>
 */
public final class TrajectoriesDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "gradientflow-trajectories";
    /** Observation times. */
    static final double[] TIMES = {0, 0.25, 0.5, 0.75, 1.0, 1.5};
    /** Cells per snapshot. */
    public static final int CELLS = 600;
    /** Diffusion \( D \). */
    public static final double DIFFUSION = 0.05;
    /** Entropic regularisation of the couplings, in units of \( |x - y|^2 \). */
    public static final double EPSILON = 0.01;
    /** Inferred trajectories drawn. */
    public static final int DRAWN = 40;
    /** Label of the fitted wells among the readings. */
    public static final String WELLS = "minima of the fitted V along x2 = 0 (true: -1, 1)";
    /** Label of the fit's residual among the readings. */
    public static final String RESIDUAL = "residual of the JKO condition (velocity units)";

    /** The demo; stateless. */
    public TrajectoriesDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The landscape \( V(x) = (x_1^2 - 1)^2 + x_2^2/2 \). */
    static double trueV(double x1, double x2) {
        double a = x1 * x1 - 1;
        return a * a + 0.5 * x2 * x2;
    }

    /** The double-well potential as a {@link Potential} of the particle flows. */
    static Potential doubleWell() {
        return new Potential() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public double value(double[] x, int offset) {
                return trueV(x[offset], x[offset + 1]);
            }

            @Override
            public void addGradient(double[] x, int offset, double s, double[] out, int outOffset) {
                double x1 = x[offset];
                out[outOffset] += s * 4 * x1 * (x1 * x1 - 1);
                out[outOffset + 1] += s * x[offset + 1];
            }

            @Override
            public String toString() {
                return "(x1^2 - 1)^2 + x2^2/2";
            }
        };
    }

    /** The snapshots: one Langevin run of {@code TIMES.length * CELLS} cells, a disjoint block observed each time. */
    static SnapshotSeries snapshots() {
        int total = TIMES.length * CELLS;
        SplittableRandom rng = new SplittableRandom(2024);
        double[] start = new double[2 * total];
        for (int i = 0; i < total; i++) {
            start[2 * i] = 0.1 * rng.nextGaussian();
            start[2 * i + 1] = 0.3 * rng.nextGaussian();
        }
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(TIMES);
        Langevin.simulate(ParticleMeasure.fromFlat(start, 2), PotentialEnergy.of(doubleWell()), DIFFUSION,
                EulerMaruyama.of(0.005), 0, TIMES[TIMES.length - 1], rng, recorder);
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < TIMES.length; k++) {
            double[] all = recorder.state(k);
            double[] block = new double[2 * CELLS];
            System.arraycopy(all, 2 * k * CELLS, block, 0, 2 * CELLS);
            clouds.add(ParticleMeasure.fromFlat(block, 2));
        }
        return SnapshotSeries.of(TIMES, clouds);
    }

    /** The minima of {@code v} along the axis \( x_2 = 0 \) on \( [-2, 2] \), left and right of 0. */
    static double[] wells(PotentialFitResult fit) {
        double[] best = {Double.NaN, Double.NaN};
        double[] low = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int q = -2000; q <= 2000; q++) {
            double x1 = q / 1000.0;
            double v = fit.value(new double[] {x1, 0});
            int side = x1 < 0 ? 0 : 1;
            if (v < low[side]) {
                low[side] = v;
                best[side] = x1;
            }
        }
        return best;
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        SnapshotSeries series = snapshots();
        SinkhornSolver sinkhorn = SinkhornSolver.of(EPSILON).withTolerance(1e-6);
        SnapshotTransitionsResult transitions = SnapshotTransitions.of(sinkhorn).fit(series);
        PotentialFitResult fit = PotentialRecovery.of(PotentialBasis.polynomial(2, 4), sinkhorn)
                .withDiffusion(DIFFUSION).fit(series);
        double[] wells = wells(fit);

        int k = series.size();
        Color[] colours = Plots.ramp(k);
        XYChart cloudsChart = Plots.scatterChart("Snapshots and inferred trajectories", "x1", "x2", 700, 560);
        Plots.equalAxes(cloudsChart, -2, 2, -1.5, 1.5, 0.05);
        for (int s = 0; s < k; s++) {
            Plots.addParticles(cloudsChart, String.format(Locale.ROOT, "t = %.2f", series.time(s)),
                    series.snapshot(s), colours[s]);
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (int p = 0; p < DRAWN; p++) {
            int cell = (int) ((long) p * CELLS / DRAWN);
            double[] xs = new double[k];
            double[] ys = new double[k];
            for (int s = 0; s < k; s++) {
                ParticleMeasure snap = series.snapshot(s);
                xs[s] = snap.coordinate(cell, 0);
                ys[s] = snap.coordinate(cell, 1);
                if (s + 1 < k) {
                    double[] unit = new double[snap.size()];
                    unit[cell] = 1;
                    cell = draw(transitions.descendants(s, unit, s + 1), rng);
                }
            }
            XYSeries line = cloudsChart.addSeries("trajectory " + p, xs, ys);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(30, 30, 30, 170));
            line.setLineWidth(1.2f);
            line.setShowInLegend(false);
        }
        cloudsChart.getStyler().setMarkerSize(3);

        XYChart potentialChart = Plots.scatterChart("The landscape along x2 = 0: true and recovered", "x1", "V(x1, 0)",
                560, 560);
        int points = 161;
        double[] x1 = new double[points];
        double[] vTrue = new double[points];
        double[] vFit = new double[points];
        double fitAtZero = fit.value(new double[] {0, 0});
        for (int q = 0; q < points; q++) {
            x1[q] = -2 + 4.0 * q / (points - 1);
            vTrue[q] = trueV(x1[q], 0) - trueV(0, 0);
            vFit[q] = fit.value(new double[] {x1[q], 0}) - fitAtZero;
        }
        addLine(potentialChart, "true V", x1, vTrue, new Color(40, 40, 40));
        addLine(potentialChart, "recovered V (degree 4)", x1, vFit, new Color(200, 60, 30));
        List<String> pictures = Plots.saveSideBySide(List.of(cloudsChart, potentialChart), outDir, NAME);

        List<DemoResult.Reading> readings = new ArrayList<>();
        readings.add(DemoResult.Reading.scalar("snapshots", k));
        readings.add(DemoResult.Reading.scalar("cells per snapshot", CELLS));
        readings.add(DemoResult.Reading.vector(WELLS, wells));
        readings.add(DemoResult.Reading.scalar(RESIDUAL, fit.residual()));
        readings.add(DemoResult.Reading.scalar("Sinkhorn iterations, all intervals", transitions.iterations()));
        return new DemoResult(String.format(Locale.ROOT, "Trajectory inference: %d snapshots of %d cells in a "
                + "double-well landscape", k, CELLS), pictures,
                List.of("Left: the snapshots (colour = time; different cells each time) and trajectories inferred "
                                + "from them, each step drawn from the entropic OT coupling of two snapshots: the "
                                + "population splits between the two wells.",
                        String.format(Locale.ROOT, "Right: the potential recovered from the snapshots alone (JKO "
                                + "first-order conditions, degree-4 polynomials, D = %s known) against the true "
                                + "(x1^2 - 1)^2 + x2^2/2; its wells along x2 = 0 are at %.2f and %.2f.", DIFFUSION,
                                wells[0], wells[1])),
                readings);
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color colour) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineWidth(2f);
    }

    /** An index drawn with probability proportional to {@code mass} (the last index with positive mass on round-off). */
    private static int draw(double[] mass, SplittableRandom rng) {
        double total = 0;
        for (double v : mass) {
            total += v;
        }
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int j = 0; j < mass.length; j++) {
            if (mass[j] > 0) {
                last = j;
                u -= mass[j];
                if (u < 0) {
                    return j;
                }
            }
        }
        return last;
    }
}
