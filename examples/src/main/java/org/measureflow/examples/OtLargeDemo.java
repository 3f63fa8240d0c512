package org.measureflow.examples;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * The large OT demo ({@code ot-large}): entropic optimal transport between two clouds of {@link #POINTS} points each,
 * the benchmarks' clouds \( x_i \sim \mathcal N(0, I_2) \), \( y_j \sim \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \)
 * with uniform weights and the cost \( |x - y|^2 \), at \( \varepsilon \) = {@link #EPSILON} (about \( 10^{-4} \) of
 * the squared diameter). The \( n m \) kernel entries are never all computed: {@link SinkhornSolver}
 * chooses its multiscale path (coarse-to-fine on grid cells with a truncated kernel, survey &sect;4 with the
 * stabilised sparse scaling of Schmitzer 2019), which reports a bound of the plan mass it neglected. The Gaussian
 * OT map is linear, \( T(x) = (1,1) + \mathrm{diag}(\sqrt 2, \sqrt{0.5})\,x \), and the entropic barycentric map
 * \( T_\varepsilon(x_i) = \sum_j P_{ij} y_j / a_i \), drawn for a sample of the source points, lies close to it;
 * the demo prints the mean distance between the two on that sample.
 */
public final class OtLargeDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "ot-large";
    /** Points per cloud of the tour's run (\( 9\cdot 10^8 \) pairs; the benchmarks run \( 10^5 \)). */
    public static final int POINTS = 30_000;
    /** The regularisation, in cost units (the squared diameter of the clouds is about 100). */
    public static final double EPSILON = 0.01;
    /** Marginal tolerance of the run (L1): enough for a picture and four digits of the cost. */
    public static final double TOLERANCE = 1e-4;
    /** Source points drawn with their barycentric map. */
    public static final int DRAWN = 2000;
    /** Label of the neglected-mass reading. */
    public static final String NEGLECTED = "neglected plan mass (bound)";
    /** Label of the mean distance to the exact Gaussian map. */
    public static final String MAP_DISTANCE = "mean |T_eps(x_i) - T(x_i)| on the drawn sample";

    private final int points;

    /** The tour's demo, {@link #POINTS} points per cloud. */
    public OtLargeDemo() {
        this(POINTS);
    }

    /**
     * The demo on clouds of another size (tests run it smaller).
     *
     * @param points points per cloud, {@code >= DRAWN}
     */
    public OtLargeDemo(int points) {
        if (points < DRAWN) {
            throw new IllegalArgumentException("points: at least " + DRAWN + ", got " + points);
        }
        this.points = points;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reportsProgress() {
        return true;
    }

    /** The source cloud: samples of \( \mathcal N(0, I_2) \), seed 1 (the benchmarks' {@code x}). */
    public static ParticleMeasure source(int n) {
        return GaussianMeasure.standard(2).sample(n, new SplittableRandom(1));
    }

    /** The target cloud: samples of \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \), seed 2 (the benchmarks' {@code y}). */
    public static ParticleMeasure target(int n) {
        return GaussianMeasure.of(new double[] {1, 1}, new DMatrixRMaj(2, 2, true, 2, 0, 0, 0.5))
                .sample(n, new SplittableRandom(2));
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        ParticleMeasure x = source(points);
        ParticleMeasure y = target(points);
        SinkhornSolver solver = SinkhornSolver.of(EPSILON).withTolerance(TOLERANCE);
        SinkhornSolver.PointCloudKernel kernel = solver.pointCloudKernelFor(x, y);
        long start = System.nanoTime();
        SinkhornResult r;
        try (Progress progress = Progress.start(NAME, quiet)) {
            r = solver.solve(x, y, ConvergenceProgress.towardsTolerance(TOLERANCE, progress::accept));
        }
        double seconds = (System.nanoTime() - start) * 1e-9;

        int[] rows = new int[DRAWN];
        for (int k = 0; k < DRAWN; k++) {
            rows[k] = (int) ((long) k * points / DRAWN);
        }
        double[] mapped = r.plan().barycentricMap(rows);
        double[] sample = new double[2 * DRAWN];
        double distance = 0;
        for (int k = 0; k < DRAWN; k++) {
            double x0 = x.coordinate(rows[k], 0);
            double x1 = x.coordinate(rows[k], 1);
            sample[2 * k] = x0;
            sample[2 * k + 1] = x1;
            distance += Math.hypot(mapped[2 * k] - (1 + Math.sqrt(2) * x0), mapped[2 * k + 1]
                    - (1 + Math.sqrt(0.5) * x1)) / DRAWN;
        }
        ParticleMeasure drawn = ParticleMeasure.fromFlat(sample, 2);
        XYChart chart = Plots.scatterChart(String.format(Locale.ROOT,
                "Sinkhorn, two clouds of %,d points, eps = %s: map of %d sources", points,
                EPSILON, DRAWN), "x1", "x2", 800, 800);
        Plots.addParticles(chart, "source x_i (sample)", drawn, new Color(40, 90, 200));
        Plots.addParticles(chart, "T_eps(x_i)", drawn.withFlatPoints(mapped), new Color(20, 160, 60));
        chart.getStyler().setMarkerSize(3);
        List<String> pictures = Plots.save(chart, outDir, NAME);

        List<DemoResult.Reading> readings = new ArrayList<>();
        readings.add(DemoResult.Reading.scalar("points per cloud", points));
        readings.add(DemoResult.Reading.scalar("transport cost <C, P_eps>", r.cost()));
        readings.add(DemoResult.Reading.scalar("entropic objective OT_eps", r.objective()));
        readings.add(DemoResult.Reading.scalar("iterations (all levels)", r.iterations()));
        readings.add(DemoResult.Reading.scalar("L1 marginal error", r.error()));
        readings.add(DemoResult.Reading.scalar(NEGLECTED, r.neglectedMass()));
        readings.add(DemoResult.Reading.scalar(MAP_DISTANCE, distance));
        readings.add(DemoResult.Reading.scalar("seconds", seconds));
        return new DemoResult(String.format(Locale.ROOT, "Entropic OT between two clouds of %,d points (%s kernel)",
                points, kernel.name().toLowerCase(Locale.ROOT)), pictures,
                List.of("Blue: a sample of the Gaussian source; green: its entropic barycentric map, close to the "
                                + "linear Gaussian OT map x -> (1,1) + diag(sqrt 2, sqrt 0.5) x.",
                        String.format(Locale.ROOT, "The %.1e kernel entries are never all computed: the multiscale "
                                + "solver keeps the cell pairs that can matter and bounds the mass of the rest.",
                                (double) points * points)),
                readings);
    }
}
