package org.measureflow.examples;

import java.awt.Color;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.examples.cli.OutputFiles;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.AttentionSchedule;
import org.measureflow.transformer.diagnostics.TokenDiagnostics;
import org.measureflow.transformer.dynamics.TokenFlow;
import org.measureflow.transformer.dynamics.TokenFlowResult;
import org.measureflow.transformer.gaussian.GaussianAttentionClosure;
import org.measureflow.transformer.gaussian.GaussianClosureResult;
import org.measureflow.transformer.sphere.Sphere;

/**
 * The transformer demo ({@code transformer}): tokens as interacting particles (survey &sect;7).
 *
 * <p><b>Clustering</b> ({@code transformer-clustering.png}). {@value #TOKENS} tokens drawn uniformly on the unit
 * circle follow the normalised softmax attention dynamics \( \dot x_i = P_{x_i}\big(\sum_j e^{\beta\langle x_i,
 * x_j\rangle} x_j / \sum_k e^{\beta\langle x_i, x_k\rangle}\big) \) (\( Q = \beta I \), \( K = V = I \),
 * \( \beta = \) {@value #BETA}; docs/closed-forms.md CF-18, Geshkovski et al.), the continuous-depth transformer (eq. 28) with
 * the projected field, integrated by RK4. The left panel shows the tokens at several depths on concentric rings
 * (ring \( k \) has radius \( 1 + k/2 \)); the right panel shows the number of clusters (tokens joined when their
 * cosine is at least {@value #CLUSTER_COSINE}) over depth: the tokens gather into a few clusters quickly, which
 * then merge slowly.
 *
 * <p><b>Gaussian closure</b> ({@code transformer-gaussian-closure.png}). {@value #GAUSSIAN_TOKENS} tokens drawn
 * from \( \mathcal N(m_0, \Sigma_0) \) follow softmax attention with fixed \( Q, K, V \); their empirical covariance
 * entries over depth (markers) are compared with the closed-form ODE of Thm. 7.1 (eq. 30, lines)
 * \( \dot\Sigma = B\Sigma + \Sigma B^\top \), \( B = V \Sigma K^\top Q \), started from the sample's own moments
 * and solved by {@link GaussianAttentionClosure}, which also reports the finite-time blow-up of \( \Sigma \). The
 * particles drift below the closure as the depth approaches the blow-up: the attention of a token is a mean under
 * a tilt \( e^{\langle K^\top Q x, y\rangle} \) that grows with \( \Sigma \), and the empirical tilted mean of
 * \( n \) samples underestimates the Gaussian one once few samples carry the weight (at 1500 tokens the gap
 * reaches 0.06 at depth 0.7; at 3000 tokens and depth 0.6 it stays near 0.02).
 */
public final class TransformerDemo implements TourDemo {
    /** The demo's name. */
    public static final String NAME = "transformer";
    /** Stem of the clustering picture. */
    public static final String CLUSTERING = "transformer-clustering";
    /** Stem of the Gaussian-closure picture. */
    public static final String GAUSSIAN = "transformer-gaussian-closure";
    /** Tokens on the circle. */
    public static final int TOKENS = 64;
    /** Inverse temperature of the clustering run. */
    public static final double BETA = 5.0;
    /** Cosine threshold of the cluster count. */
    public static final double CLUSTER_COSINE = 0.999;
    /** Depths drawn on the rings. */
    public static final double[] RING_DEPTHS = {0, 1, 3, 10, 30};
    /** Gaussian tokens. */
    public static final int GAUSSIAN_TOKENS = 3000;
    /** Last depth of the Gaussian run (before the blow-up). */
    public static final double GAUSSIAN_DEPTH = 0.6;
    /** Label of the blow-up time reading. */
    public static final String BLOW_UP = "Gaussian closure: blow-up time of the covariance (from N(m0, S0))";
    /** Label of the final cluster count reading. */
    public static final String FINAL_CLUSTERS = "clusters at the last depth";

    /** The demo; stateless. */
    public TransformerDemo() {
    }

    @Override
    public boolean reportsProgress() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The head \( Q, K, V \) of the Gaussian run. */
    public static AttentionHead gaussianHead() {
        return AttentionHead.of(new DMatrixRMaj(new double[][]{{0.9, 0.2}, {-0.1, 0.7}}),
                new DMatrixRMaj(new double[][]{{0.8, 0.1}, {0.3, 0.9}}),
                new DMatrixRMaj(new double[][]{{1.0, -0.2}, {0.1, 0.8}}));
    }

    /** The initial Gaussian \( \mathcal N(m_0, \Sigma_0) \) of the Gaussian run. */
    public static GaussianMeasure gaussianStart() {
        return GaussianMeasure.of(new double[]{0.3, -0.2}, new DMatrixRMaj(new double[][]{{0.5, 0.15}, {0.15, 0.4}}));
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        List<DemoResult.Reading> readings = new ArrayList<>();
        List<String> pictures = new ArrayList<>();
        try (Progress progress = Progress.start(NAME, quiet)) {
            pictures.addAll(clustering(outDir, readings, fraction -> progress.accept(0.5 * fraction)));
            pictures.addAll(gaussian(outDir, readings, fraction -> progress.accept(0.5 + 0.5 * fraction)));
        }
        return new DemoResult(
                String.format(Locale.ROOT, "Attention as interacting particles: %d tokens cluster on the circle; "
                        + "Gaussian tokens follow the closed-form covariance ODE", TOKENS),
                pictures,
                List.of("Left: tokens on the unit circle under normalised softmax attention (Q = " + BETA
                                + " I, K = V = I) at several depths, drawn on rings of growing radius; right: the "
                                + "number of clusters over depth.",
                        "Gaussian tokens: empirical covariance entries (markers) against the closure "
                                + "S' = B S + S B^T, B = V S K^T Q (lines, Thm 7.1), which blows up in finite "
                                + "time."),
                readings);
    }

    private static List<String> clustering(Path outDir, List<DemoResult.Reading> readings,
                                           java.util.function.DoubleConsumer progress) throws IOException {
        ParticleMeasure tokens = Sphere.uniform(TOKENS, 2, new SplittableRandom(7));
        AttentionField field = AttentionField.of(AttentionHead.identity(2, BETA)).withSphereProjection(true);
        double end = RING_DEPTHS[RING_DEPTHS.length - 1];
        int samples = 121; // every 0.25 in depth: the ring depths are among them
        double[] depths = new double[samples];
        for (int k = 0; k < samples; k++) {
            depths[k] = end * k / (samples - 1);
        }
        TokenFlowResult run = TokenFlow.of(field, RungeKutta4.of(0.05)).integrate(tokens, depths,
                StepObserver.progress(progress));
        double[] counts = new double[samples];
        for (int k = 0; k < samples; k++) {
            counts[k] = TokenDiagnostics.clusterCount(run.at(k), CLUSTER_COSINE);
        }

        XYChart rings = Plots.scatterChart("Tokens at several depths (ring k: radius 1 + k/2)", "x1", "x2", 700, 700);
        Color[] colours = Plots.ramp(RING_DEPTHS.length);
        for (int ring = 0; ring < RING_DEPTHS.length; ring++) {
            int k = (int) Math.round(RING_DEPTHS[ring] / end * (samples - 1));
            ParticleMeasure x = run.at(k);
            ParticleMeasure scaled = x.withFlatPoints(scale(x.flatPoints(), 1 + 0.5 * ring));
            int c = (int) counts[k];
            Plots.addParticles(rings, String.format(Locale.ROOT, "t = %s: %d cluster%s", fmt(RING_DEPTHS[ring]), c,
                    c == 1 ? "" : "s"), scaled, colours[ring]);
            readings.add(DemoResult.Reading.scalar(
                    ring == RING_DEPTHS.length - 1 ? FINAL_CLUSTERS : "clusters at depth " + fmt(RING_DEPTHS[ring]), c));
        }
        rings.getStyler().setMarkerSize(6);
        Plots.equalAxes(rings, -3, 3, -3, 3, 0.05);
        readings.add(DemoResult.Reading.scalar("min pairwise cosine at depth " + fmt(end),
                TokenDiagnostics.minPairwiseCosine(run.last())));

        XYChart count = Plots.scatterChart("Number of clusters (cosine >= " + CLUSTER_COSINE + ")", "depth t",
                "clusters", 500, 700);
        XYSeries s = count.addSeries("clusters", depths, counts);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(new Color(40, 90, 200));
        s.setMarkerColor(new Color(40, 90, 200));
        count.getStyler().setYAxisLogarithmic(true);
        count.getStyler().setYAxisMin(0.8);
        count.getStyler().setLegendVisible(false);

        List<String> files = Plots.save(rings, outDir, CLUSTERING);
        // the PNG shows both panels; the SVG keeps the token rings
        OutputFiles.writeAtomically(outDir.resolve(CLUSTERING + ".png"), f -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
                BitmapEncoder.saveBitmap(List.of(rings, count), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
        return files;
    }

    private static List<String> gaussian(Path outDir, List<DemoResult.Reading> readings,
                                         java.util.function.DoubleConsumer progress) throws IOException {
        AttentionHead head = gaussianHead();
        AttentionSchedule schedule = AttentionSchedule.constant(head);
        ParticleMeasure tokens = gaussianStart().sample(GAUSSIAN_TOKENS, new SplittableRandom(11));
        int points = 11;
        double[] depths = new double[points];
        for (int k = 0; k < points; k++) {
            depths[k] = GAUSSIAN_DEPTH * k / (points - 1);
        }
        TokenFlowResult particles = TokenFlow.of(AttentionField.of(head),
                RungeKutta4.of(GAUSSIAN_DEPTH / (points - 1))).integrate(tokens, depths,
                StepObserver.progress(fraction -> progress.accept(0.9 * fraction)));
        double[] fine = new double[101];
        for (int k = 0; k < fine.length; k++) {
            fine[k] = GAUSSIAN_DEPTH * k / (fine.length - 1);
        }
        GaussianClosureResult closure = GaussianAttentionClosure.withDefaults().solve(
                GaussianMeasure.of(tokens.mean(), tokens.covariance()), schedule, GAUSSIAN_DEPTH, fine);
        GaussianClosureResult blowUp = GaussianAttentionClosure.withDefaults().solve(gaussianStart(), schedule, 10);
        progress.accept(1.0);

        XYChart chart = Plots.scatterChart(String.format(Locale.ROOT,
                "Covariance of %d attention tokens vs the Gaussian closure (blow-up at t* = %.3f)", GAUSSIAN_TOKENS,
                blowUp.blowUpTime()), "depth t", "covariance entry", 800, 600);
        String[] names = {"S11", "S12", "S22"};
        int[][] entries = {{0, 0}, {0, 1}, {1, 1}};
        Color[] colours = {new Color(40, 90, 200), new Color(20, 160, 60), new Color(220, 60, 40)};
        double maxError = 0;
        for (int e = 0; e < 3; e++) {
            int r = entries[e][0];
            int c = entries[e][1];
            double[] exact = new double[fine.length];
            for (int k = 0; k < fine.length; k++) {
                exact[k] = closure.covariances().get(k).get(r, c);
            }
            XYSeries line = chart.addSeries(names[e] + " closed form", fine, exact);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colours[e]);
            line.setLineWidth(2f);
            double[] empirical = new double[particles.size()];
            for (int k = 0; k < particles.size(); k++) {
                empirical[k] = particles.at(k).covariance().get(r, c);
                double t = particles.depths()[k];
                double closed = closure.covariances().get((int) Math.round(t / GAUSSIAN_DEPTH * (fine.length - 1)))
                        .get(r, c);
                maxError = Math.max(maxError, Math.abs(empirical[k] - closed));
            }
            XYSeries dots = chart.addSeries(names[e] + " particles", particles.depths(), empirical);
            dots.setMarker(SeriesMarkers.CIRCLE);
            dots.setMarkerColor(colours[e]);
        }
        chart.getStyler().setMarkerSize(7);
        readings.add(DemoResult.Reading.scalar(BLOW_UP, blowUp.blowUpTime()));
        readings.add(DemoResult.Reading.matrix("covariance at depth " + GAUSSIAN_DEPTH + ", particles",
                particles.last().covariance()));
        readings.add(DemoResult.Reading.matrix("covariance at depth " + GAUSSIAN_DEPTH + ", closure",
                closure.finalCovariance()));
        readings.add(DemoResult.Reading.scalar("max |particles - closure| over the covariance entries and depths",
                maxError));
        return Plots.save(chart, outDir, GAUSSIAN);
    }

    private static double[] scale(double[] x, double s) {
        double[] y = x.clone();
        for (int k = 0; k < y.length; k++) {
            y[k] *= s;
        }
        return y;
    }

    private static String fmt(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    }
}
