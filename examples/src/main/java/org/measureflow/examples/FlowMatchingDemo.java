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
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.measure.ToyDistributions;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.flowmatching.sampling.PathStraightness;
import org.measureflow.flowmatching.sampling.SampleResult;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * The flow-matching demo ({@code flowmatching-trajectories}): a learned field \( v_\theta \) trained on the
 * least-squares loss of survey eq. 8 carries eight Gaussians to two moons, once with the independent coupling and
 * once with minibatch exact OT (OT-CFM). The picture shows sampled paths \( t \mapsto x_t \) of both fields (ODE
 * integrated by RK4); the readings give the Sinkhorn divergence \( S_\varepsilon \) between generated and held-out
 * samples, the path straightness and the training time of each.
 */
public final class FlowMatchingDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "flowmatching-trajectories";
    /** Entropic regularisation of the quality measure (squared-distance units; the scene is ~8 wide). */
    public static final double EPSILON = 0.05;
    /** The quality measure: the Sinkhorn divergence at {@link #EPSILON}, solved to an L1 marginal error of 1e-7. */
    public static final SinkhornDivergence QUALITY = SinkhornDivergence.of(SinkhornSolver.of(EPSILON)
            .withTolerance(1e-7));
    /** Label prefix of the Sinkhorn divergence readings. */
    public static final String DIVERGENCE = "Sinkhorn divergence S_eps(generated, held-out), eps=0.05, ";
    /** Label prefix of the straightness readings. */
    public static final String STRAIGHTNESS = "path straightness, ";

    private static final int PATHS = 120;
    private static final double STEP = 0.05;

    /**
     * Sizes of a run.
     *
     * @param steps   Adam steps per coupling
     * @param batch   pairs per step
     * @param samples generated and held-out samples for the quality measure
     */
    public record Config(int steps, int batch, int samples) {
        /** The tour's run: 2000 steps of 256 pairs, 1000 samples. */
        public static Config tour() {
            return new Config(2000, 256, 1000);
        }
    }

    /**
     * One trained coupling.
     *
     * @param coupling     the coupling's name
     * @param training     the training result
     * @param samples      generated samples at \( t = 1 \)
     * @param paths        states of {@value #PATHS} paths at the recorded times
     * @param divergence   \( S_\varepsilon \) to held-out data
     * @param straightness path straightness of the learned field
     */
    public record Run(String coupling, TrainingResult training, ParticleMeasure samples, List<double[]> paths,
                      double divergence, double straightness) {
    }

    /** The demo; stateless. */
    public FlowMatchingDemo() {
    }

    @Override
    public boolean reportsProgress() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The tour's data: two moons ({@link ToyDistributions#twoMoons()}), {@code n} points drawn from {@code seed}. */
    public static ParticleMeasure twoMoons(int n, long seed) {
        return ToyDistributions.twoMoons().sample(n, new SplittableRandom(seed));
    }

    /** Trains with one coupling and measures the result; {@code progress} receives the fraction of steps done. */
    public static Run train(String name, Coupling coupling, Config config, java.util.function.DoubleConsumer progress) {
        ParticleMeasure data = twoMoons(20_000, 1);
        ParticleMeasure heldOut = twoMoons(config.samples(), 2);
        TrainingResult trained = FlowMatchingTrainer.withDefaults().withSteps(config.steps())
                .withBatchSize(config.batch()).withHiddenWidth(64).withHiddenLayers(2).withCoupling(coupling)
                .train(ToyDistributions.eightGaussians(), PointSampler.of(data), new SplittableRandom(7), status -> {
                    progress.accept(status.fractionDone());
                    return true;
                });
        double[] latent = new double[2 * config.samples()];
        ToyDistributions.eightGaussians().sample(config.samples(), new SplittableRandom(3), latent);
        ParticleMeasure start = ParticleMeasure.fromFlat(latent, 2);
        RungeKutta4 rk4 = RungeKutta4.of(STEP);
        SampleResult result = FlowSampler.sample(trained.field(), start, rk4);
        double[] pathStart = java.util.Arrays.copyOf(latent, 2 * PATHS);
        double[] times = new double[21];
        for (int k = 0; k <= 20; k++) {
            times[k] = k / 20.0;
        }
        TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(times);
        rk4.advect(ParticleMeasure.fromFlat(pathStart, 2), trained.field().onParticles(), 0, 1, recorder);
        double divergence = QUALITY.value(result.samples(), heldOut);
        double straightness = PathStraightness.of(trained.field(), start, rk4, 0, 1, 20);
        return new Run(name, trained, result.samples(), recorder.states(), divergence, straightness);
    }

    /** Runs both couplings with the given sizes. */
    public static List<Run> simulate(Config config, boolean quiet) {
        List<Run> runs = new ArrayList<>();
        try (Progress progress = Progress.start(NAME, quiet)) {
            runs.add(train("independent", Coupling.independent(), config, f -> progress.accept(0.5 * f)));
            runs.add(train("minibatch OT", Coupling.exactOt(), config, f -> progress.accept(0.5 + 0.5 * f)));
        }
        return runs;
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        return report(simulate(Config.tour(), quiet), outDir);
    }

    /** Draws the runs and collects their readings. */
    static DemoResult report(List<Run> runs, Path outDir) throws java.io.IOException {
        List<XYChart> charts = new ArrayList<>();
        List<DemoResult.Reading> readings = new ArrayList<>();
        for (Run run : runs) {
            charts.add(chart(run));
            readings.add(DemoResult.Reading.scalar(DIVERGENCE + run.coupling(), run.divergence()));
            readings.add(DemoResult.Reading.scalar(STRAIGHTNESS + run.coupling(), run.straightness()));
            readings.add(DemoResult.Reading.scalar("final training loss (mean of last 100 steps), " + run.coupling(),
                    run.training().finalLoss(100)));
            readings.add(DemoResult.Reading.scalar("training seconds, " + run.coupling(), run.training().seconds()));
            readings.add(DemoResult.Reading.scalar("training pairs per second, " + run.coupling(),
                    run.training().samplesSeen() / run.training().seconds()));
        }
        List<String> pictures = Plots.saveSideBySide(charts, outDir, NAME);
        Run first = runs.get(0);
        return new DemoResult(
                String.format(Locale.ROOT, "Flow matching, 8 Gaussians to two moons: independent vs minibatch-OT"
                        + " coupling (%d Adam steps of %d pairs each)", first.training().steps(),
                        first.training().samplesSeen() / first.training().steps()),
                pictures,
                List.of("Grey lines: paths x_t of the learned field v_theta (an MLP trained on the flow-matching "
                                + "loss, eq. 8), integrated by RK4 from the 8 Gaussians (blue) to t = 1 (red); "
                                + "left: independent pairs, right: minibatch exact-OT pairs (OT-CFM).",
                        "OT pairs give nearly straight paths (lower straightness, so fewer steps suffice); the "
                                + "Sinkhorn divergence compares generated and held-out samples."),
                readings);
    }

    private static XYChart chart(Run run) {
        XYChart chart = Plots.scatterChart(String.format(Locale.ROOT, "%s coupling: straightness %.3f, S_eps %.4f",
                run.coupling(), run.straightness(), run.divergence()), "x1", "x2", 700, 700);
        List<double[]> states = run.paths();
        int n = states.get(0).length / 2;
        Color grey = new Color(120, 120, 120, 110);
        for (int i = 0; i < n; i++) {
            double[] xs = new double[states.size()];
            double[] ys = new double[states.size()];
            for (int k = 0; k < states.size(); k++) {
                xs[k] = states.get(k)[2 * i];
                ys[k] = states.get(k)[2 * i + 1];
            }
            XYSeries path = chart.addSeries("path " + i, xs, ys);
            path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            path.setMarker(SeriesMarkers.NONE);
            path.setLineColor(grey);
            path.setLineStyle(new BasicStroke(1f));
            path.setShowInLegend(false);
        }
        ParticleMeasure starts = ParticleMeasure.fromFlat(states.get(0), 2);
        ParticleMeasure ends = ParticleMeasure.fromFlat(states.get(states.size() - 1), 2);
        Plots.addParticles(chart, "t = 0 (8 Gaussians)", starts, new Color(40, 90, 200));
        Plots.addParticles(chart, "t = 1 (generated)", ends, new Color(220, 60, 40));
        Plots.addParticles(chart, "generated samples", run.samples(), new Color(220, 60, 40, 60));
        chart.getStyler().setMarkerSize(4);
        Plots.equalAxes(chart, -4, 4, -4, 4, 0.02);
        return chart;
    }
}
