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
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.gradientflow.meanfield.MeanFieldResult;
import org.measureflow.gradientflow.meanfield.MeanFieldTrainer;
import org.measureflow.gradientflow.meanfield.RegressionData;
import org.measureflow.gradientflow.meanfield.Scaling;
import org.measureflow.gradientflow.meanfield.TwoLayerNetwork;

/**
 * The mean-field training demo ({@code meanfield-neurons}, {@code meanfield-loss}): a planted ReLU teacher with
 * three neurons in 2-D is learned by students trained by gradient steps in the mean-field scaling, the time
 * discretisation of the Wasserstein gradient flow of the risk (survey eqs. 20&ndash;21, Thm. 6.1 of Chizat and
 * Bach). The first picture shows every student neuron as the point \( a_i w_i \in \mathbb{R}^2 \) along training
 * (as in Chizat and Bach's figures); the second the risk against time for several widths.
 */
public final class MeanFieldDemo implements TourDemo {
    /** The demo's name. */
    public static final String NAME = "meanfield";
    /** Output weights of the teacher's neurons (at angles 0, 2pi/3, 4pi/3). */
    public static final double[] TEACHER_A = {1, -1, 1};
    /** Widths of the loss picture. */
    public static final int[] WIDTHS = {3, 10, 50, 200};
    /** Label prefix of the final-risk readings. */
    public static final String FINAL_RISK = "final risk / initial risk, N = ";

    private static final int SAMPLES = 300;
    private static final int STEPS = 1500;
    private static final double STEP = 0.2;
    private static final int NEURONS_SHOWN = 60;

    /** The demo; stateless. */
    public MeanFieldDemo() {
    }

    @Override
    public boolean reportsProgress() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The teacher's data: \( y = \sum_j a^*_j \mathrm{relu}(\langle w^*_j, x\rangle) \) on standard Gaussian inputs. */
    public static RegressionData teacherData(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * SAMPLES];
        double[] y = new double[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            x[2 * k] = rng.nextGaussian();
            x[2 * k + 1] = rng.nextGaussian();
            double f = 0;
            for (int j = 0; j < 3; j++) {
                double angle = 2 * Math.PI * j / 3;
                f += TEACHER_A[j] * Math.max(0, Math.cos(angle) * x[2 * k] + Math.sin(angle) * x[2 * k + 1]);
            }
            y[k] = f;
        }
        return RegressionData.fromFlat(x, 2, y);
    }

    /** Students \( (a, w, b) \): \( a, b \sim \mathcal N(0, 0.1^2) \), \( w \) uniform on the unit circle. */
    public static ParticleMeasure students(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[4 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * rng.nextDouble();
            theta[4 * i] = 0.1 * rng.nextGaussian();
            theta[4 * i + 1] = Math.cos(angle);
            theta[4 * i + 2] = Math.sin(angle);
            theta[4 * i + 3] = 0.1 * rng.nextGaussian();
        }
        return ParticleMeasure.fromFlat(theta, 4);
    }

    /**
     * Trains {@code n} students (seed {@code seed}) on the teacher's data (full batch, no noise: the generator
     * argument draws nothing), reporting the fraction of the steps done to {@code progress}.
     */
    public static MeanFieldResult train(int n, long seed, boolean snapshots,
                                       java.util.function.DoubleConsumer progress) {
        TwoLayerNetwork net = TwoLayerNetwork.of(students(n, seed), Activation.RELU, Scaling.MEAN_FIELD);
        return MeanFieldTrainer.of(STEP).withSteps(STEPS).withRecordEvery(15).withSnapshots(snapshots)
                .train(net, teacherData(1001), new SplittableRandom(0), IterationObserver.progress(progress));
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        List<MeanFieldResult> runs = new ArrayList<>();
        MeanFieldResult shown;
        try (Progress progress = Progress.start(NAME, quiet)) {
            int total = WIDTHS.length + 1;
            shown = train(NEURONS_SHOWN, 1, true, f -> progress.accept(f / total));
            for (int k = 0; k < WIDTHS.length; k++) {
                int base = k + 1;
                runs.add(train(WIDTHS[k], 2, false, f -> progress.accept((base + f) / total)));
            }
        }
        List<String> pictures = new ArrayList<>(Plots.save(neuronChart(shown), outDir, NAME + "-neurons"));
        pictures.addAll(Plots.save(lossChart(runs), outDir, NAME + "-loss"));
        List<DemoResult.Reading> readings = new ArrayList<>();
        readings.add(DemoResult.Reading.scalar(FINAL_RISK + NEURONS_SHOWN + " (trajectories)",
                shown.finalRisk() / shown.risks()[0]));
        for (int k = 0; k < WIDTHS.length; k++) {
            MeanFieldResult r = runs.get(k);
            readings.add(DemoResult.Reading.scalar(FINAL_RISK + WIDTHS[k], r.finalRisk() / r.risks()[0]));
        }
        readings.add(DemoResult.Reading.scalar("training time (flow time t = steps x h)", STEPS * STEP));
        return new DemoResult(
                String.format(Locale.ROOT, "Mean-field training of a two-layer ReLU network on a 3-neuron teacher"
                        + " (%d gradient steps, h = %s)", STEPS, STEP),
                pictures,
                List.of("Left: each of " + NEURONS_SHOWN + " student neurons drawn as a_i w_i in the plane along "
                                + "training (grey paths, red: a > 0, blue: a < 0); they gather on the rays of the teacher's "
                                + "neurons a*_j w*_j (diamonds, dashed rays), as in Chizat-Bach.",
                        "Right: the risk against the flow time for N = 3, 10, 50, 200 students from the same law; wide "
                                + "networks converge to zero risk, N = 3 can stall at a spurious critical point."),
                readings);
    }

    private static XYChart neuronChart(MeanFieldResult run) {
        XYChart chart = Plots.scatterChart("Student neurons a_i w_i during training (mean-field gradient flow)",
                "(a w)_1", "(a w)_2", 750, 750);
        List<ParticleMeasure> snaps = run.snapshots();
        int n = snaps.get(0).size();
        Color grey = new Color(120, 120, 120, 120);
        for (int i = 0; i < n; i++) {
            double[] xs = new double[snaps.size()];
            double[] ys = new double[snaps.size()];
            for (int k = 0; k < snaps.size(); k++) {
                double a = snaps.get(k).coordinate(i, 0);
                xs[k] = a * snaps.get(k).coordinate(i, 1);
                ys[k] = a * snaps.get(k).coordinate(i, 2);
            }
            XYSeries path = chart.addSeries("path " + i, xs, ys);
            path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            path.setMarker(SeriesMarkers.NONE);
            path.setLineColor(grey);
            path.setLineStyle(new BasicStroke(1f));
            path.setShowInLegend(false);
        }
        ParticleMeasure last = snaps.get(snaps.size() - 1);
        List<double[]> pos = new ArrayList<>();
        List<double[]> neg = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = last.coordinate(i, 0);
            double[] p = {a * last.coordinate(i, 1), a * last.coordinate(i, 2)};
            (a >= 0 ? pos : neg).add(p);
        }
        addPoints(chart, "students, a > 0", pos, new Color(220, 60, 40), SeriesMarkers.CIRCLE);
        addPoints(chart, "students, a < 0", neg, new Color(40, 90, 200), SeriesMarkers.CIRCLE);
        for (int j = 0; j < 3; j++) {
            double angle = 2 * Math.PI * j / 3;
            // Homogeneity of ReLU: only the direction of a w and the total mass along it matter, so the
            // students gather on the rays through the teacher's a*_j w*_j (dashed; diamond at a*_j w*_j).
            double ux = TEACHER_A[j] * Math.cos(angle);
            double uy = TEACHER_A[j] * Math.sin(angle);
            XYSeries ray = chart.addSeries("teacher ray " + j, new double[]{0, 8 * ux}, new double[]{0, 8 * uy});
            ray.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            ray.setMarker(SeriesMarkers.NONE);
            ray.setLineColor(Color.BLACK);
            ray.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[]{6f, 4f}, 0f));
            ray.setShowInLegend(false);
            addPoints(chart, j == 0 ? "teacher a*_j w*_j (rays dashed)" : "teacher " + j,
                    List.of(new double[]{ux, uy}), Color.BLACK, SeriesMarkers.DIAMOND).setShowInLegend(j == 0);
        }
        chart.getStyler().setMarkerSize(8);
        return chart;
    }

    private static XYSeries addPoints(XYChart chart, String name, List<double[]> points, Color colour,
                                      org.knowm.xchart.style.markers.Marker marker) {
        double[] xs = new double[Math.max(1, points.size())];
        double[] ys = new double[Math.max(1, points.size())];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        if (points.isEmpty()) {
            xs[0] = Double.NaN;
            ys[0] = Double.NaN;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(marker);
        s.setMarkerColor(colour);
        return s;
    }

    private static XYChart lossChart(List<MeanFieldResult> runs) {
        XYChart chart = Plots.scatterChart("Risk along training for several widths (mean-field scaling)",
                "flow time t", "risk R(mu_t)", 750, 600);
        chart.getStyler().setYAxisLogarithmic(true);
        Color[] colours = Plots.ramp(runs.size());
        for (int k = 0; k < runs.size(); k++) {
            XYSeries s = chart.addSeries("N = " + WIDTHS[k], runs.get(k).times(), runs.get(k).risks());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[k]);
            s.setLineStyle(new BasicStroke(2f));
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return chart;
    }
}
