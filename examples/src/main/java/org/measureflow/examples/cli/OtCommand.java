package org.measureflow.examples.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.io.DataFiles;
import org.measureflow.core.io.SparseTriples;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.ConvergenceProgress;
import org.measureflow.examples.Plots;
import org.measureflow.ot.GroundCost;
import org.measureflow.ot.TransportPlan;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.sinkhorn.EntropicPlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mflow ot}: optimal transport between two point clouds read from CSV files, with the cost
 * \( c(x, y) = |x - y|^2 \): exact (network simplex, survey eq. 10) or entropic (Sinkhorn,
 * \( \min_P \langle C, P\rangle + \varepsilon\mathrm{KL}(P | a\otimes b) \)). Prints the transport cost, the
 * iterations, the L1 marginal error and the time, as text or JSON; optionally writes the plan as sparse triples and
 * a picture.
 *
 * <p>Limits (checked before running, see {@link Limits}): exact OT stores the \( n \times m \) cost matrix and takes
 * at most {@link #MAX_EXACT_ENTRIES} entries; Sinkhorn chooses its kernel ({@code --kernel}, by default the
 * solver's automatic choice): the online kernel evaluates at most {@link #MAX_SINKHORN_EVALUATIONS} cost entries,
 * \( n m \times \) its iteration cap (which is lowered to fit when not given), the stored kernel needs 24 bytes of
 * heap per entry, the multiscale kernel (large clouds at small epsilon) has no size limit; a Sinkhorn {@code --plan} has at most {@link #MAX_PLAN_ENTRIES} entries to scan. A plan that does not
 * meet the marginals, a non-finite cost or a Sinkhorn run that stops above its tolerance is exit status 3, and
 * nothing is written.
 */
@Command(name = "ot", mixinStandardHelpOptions = true,
        description = {"Optimal transport between two point clouds (CSV: one point per row, optional header, "
                + "optional 'weight' column), cost |x - y|^2.",
                "Exact by the network simplex (default) or entropic by Sinkhorn with --epsilon."},
        footer = {"", "Limits: exact OT on at most n x m = 3e8 cost entries (about a minute on 2 cores; the n x m "
                + "cost matrix takes 8 n m bytes of memory); Sinkhorn with the online kernel on at most 5e9 "
                + "cost-entry evaluations (n x m x iterations; without --max-iterations the cap of 10000 is lowered "
                + "to fit, and at least 100 iterations must fit), with the stored kernel on 24 n m bytes of heap, "
                + "with the multiscale kernel (large clouds, small epsilon) without a size limit; --plan with --epsilon on at most n x m = 1e7 entries. Coordinates "
                + "up to 1e150 in magnitude.",
                "", ExitStatus.HELP})
public final class OtCommand extends FileCommand {
    /** Largest {@code n * m} of exact OT: the network simplex took 52 s on 16,000 x 16,000 points (2 cores). */
    static final double MAX_EXACT_ENTRIES = 3e8;
    /**
     * Largest number of cost-entry evaluations of Sinkhorn on clouds, {@code n * m * iterations}: 80 iterations on
     * 2,000 x 2,000 points (3.2e8) took 6.8 s on 2 cores, so 5e9 is under two minutes.
     */
    static final double MAX_SINKHORN_EVALUATIONS = 5e9;
    /** Default iteration cap of Sinkhorn (the solver's default). */
    static final long DEFAULT_MAX_ITERATIONS = 10_000;
    /** Fewest iterations a lowered Sinkhorn cap may leave before the request is refused. */
    static final long MIN_ITERATIONS = 100;
    /** Largest {@code n * m} scanned to write a Sinkhorn plan (a file of up to that many lines). */
    static final double MAX_PLAN_ENTRIES = 1e7;
    /** Largest L1 marginal error of an exact plan: rounding of the masses, far above it means a broken plan. */
    static final double EXACT_MARGINAL_TOLERANCE = 1e-9;

    @Option(names = "--source", required = true, paramLabel = "FILE", description = "Source points (CSV).")
    private Path source;

    @Option(names = "--target", required = true, paramLabel = "FILE", description = "Target points (CSV).")
    private Path target;

    @ArgGroup(exclusive = true)
    private Method method = new Method();

    /** The two exclusive methods. */
    static final class Method {
        @Option(names = "--exact", description = "Exact OT by the network simplex (the default).")
        boolean exact;

        @Option(names = "--epsilon", paramLabel = "E",
                description = "Entropic OT by Sinkhorn with regularisation E > 0 (absolute, in cost units).")
        Double epsilon;
    }

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-9",
            description = "Sinkhorn's L1 marginal tolerance (default: ${DEFAULT-VALUE}).")
    private double tolerance;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Sinkhorn's iteration cap (default: 10000; with the online kernel lowered so that "
                    + "n x m x N <= 5e9).")
    private Long maxIterations;

    @Option(names = "--kernel", paramLabel = "K", defaultValue = "auto",
            description = "How Sinkhorn applies the kernel of the clouds: auto (default: stored when the n x m "
                    + "matrices fit in a quarter of the heap, else multiscale for epsilon below 5%% of the squared "
                    + "diameter in dimension up to 3, else online), stored, online, multiscale.")
    private String kernel;

    @Option(names = "--weighted", description = "Without a header, read the last column as weights.")
    private boolean weighted;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Write the plan: FILE.npy the dense n x m matrix, FILE.npz the nonzero entries (SciPy COO), "
                    + "otherwise CSV triples i,j,mass (0-based indices; Sinkhorn entries below 1e-12 "
                    + "of the largest are left out).")
    private Path plan;

    @Option(names = "--picture", paramLabel = "FILE",
            description = "Draw the two clouds and the plan (2-D points): segments x_i -> y_j for the exact plan, "
                    + "the barycentric map for Sinkhorn (PNG and SVG).")
    private Path picture;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    private boolean json;

    @Option(names = "--quiet", description = "Show no progress bar.")
    private boolean quiet;

    /** The kernel path of a Sinkhorn run, for the report (null for exact OT). */
    private String kernelName;
    /** The neglected-mass bound of a Sinkhorn run. */
    private double neglectedMass;

    /** Use through the {@code mflow} command line. */
    public OtCommand() {
    }

    @Override
    int run() throws CsvFormatException {
        PrintWriter out = spec.commandLine().getOut();
        Double epsilon = method.epsilon;
        if (epsilon != null) {
            CommandSupport.positive("--epsilon", epsilon);
        }
        CommandSupport.positive("--tolerance", tolerance);
        if (maxIterations != null) {
            if (epsilon == null) {
                throw CommandFailure.badInput("--max-iterations is Sinkhorn's iteration cap: it needs --epsilon");
            }
            CommandSupport.inRange("--max-iterations", maxIterations, 1, Long.MAX_VALUE);
        }
        try (OutputFiles outputs = new OutputFiles()) {
            OutputFiles.Output planFile = plan == null ? null : outputs.declare("--plan", plan);
            CommandSupport.Picture pictureFiles = picture == null ? null
                    : CommandSupport.declarePicture(outputs, "--picture", picture);
            ParticleMeasure x = readPoints(source, weighted);
            ParticleMeasure y = readPoints(target, weighted);
            if (x.dimension() != y.dimension()) {
                throw CommandFailure.badInput(String.format(Locale.ROOT,
                        "%s has points of dimension %d but %s has dimension %d", target, y.dimension(), source,
                        x.dimension()));
            }
            if (picture != null && x.dimension() != 2) {
                throw CommandFailure.badInput("--picture needs 2-D points, got dimension " + x.dimension());
            }
            double entries = (double) x.size() * y.size();
            String sizes = x.size() + " x " + y.size() + " points";
            String planName = plan == null ? "" : plan.getFileName().toString().toLowerCase(Locale.ROOT);
            if (planName.endsWith(".npy") || planName.endsWith(".npz")) {
                Limits.atMost("--plan as a NumPy file on " + sizes, entries, MAX_PLAN_ENTRIES,
                        "plan entries (n x m, written or scanned densely)");
            }
            long start;
            if (epsilon == null) {
                Limits.atMost("exact OT of " + sizes, entries, MAX_EXACT_ENTRIES, "cost entries (n x m, "
                        + Limits.bytes(8 * entries) + ")",
                        "use --epsilon (Sinkhorn's multiscale kernel stores no cost matrix) or fewer points");
                needsMemory("the " + x.size() + " x " + y.size() + " cost matrix of exact OT",
                        8 * entries * (hasZeroWeight(x) || hasZeroWeight(y) ? 2 : 1)
                                + 256.0 * (x.size() + y.size()));
                start = System.nanoTime();
                ExactOtResult r;
                // the network simplex has no tolerance and no fraction done: the bar counts its pivots
                try (ConvergenceProgress progress = ConvergenceProgress.start("ot", quiet, Double.NaN)) {
                    r = NetworkSimplex.withDefaults().solve(x, y, GroundCost.squaredEuclidean(), progress);
                }
                double seconds = (System.nanoTime() - start) * 1e-9;
                double marginal = marginalError(r.plan(), x, y);
                report(out, "exact (network simplex)", x, y, r.cost(), Double.NaN, r.iterations(), marginal,
                        r.converged(), seconds);
                if (!r.converged()) {
                    throw CommandFailure.notConverged("the network simplex stopped before optimality: "
                            + r.convergence() + "; nothing written");
                }
                CommandSupport.finiteResult("the transport cost", r.cost());
                if (!(marginal <= EXACT_MARGINAL_TOLERANCE)) {
                    throw CommandFailure.notConverged("the exact plan misses the marginals by " + marginal
                            + " (L1, more than " + EXACT_MARGINAL_TOLERANCE + "); nothing written");
                }
                if (planFile != null) {
                    outputs.write(planFile, f -> writePlan(f, r.plan(), () -> writeSparse(f, r.plan())));
                }
                List<String> drawn = pictureFiles == null ? List.of()
                        : CommandSupport.writePicture(outputs, pictureFiles, exactChart(x, y, r.plan()));
                outputs.commit();
                written(out, drawn);
            } else {
                if (plan != null) {
                    Limits.atMost("--plan with --epsilon on " + sizes, entries, MAX_PLAN_ENTRIES,
                            "plan entries (n x m)");
                }
                SinkhornSolver solver = SinkhornSolver.of(epsilon).withTolerance(tolerance)
                        .withPointCloudKernel(kernelChoice());
                SinkhornSolver.PointCloudKernel path = solver.pointCloudKernelFor(x, y);
                if (path == SinkhornSolver.PointCloudKernel.STORED) {
                    needsMemory("the " + x.size() + " x " + y.size() + " stored cost and kernel of Sinkhorn",
                            24 * entries + 256.0 * (x.size() + y.size()));
                }
                // only the online kernel evaluates all n x m entries in every iteration
                long cap = path == SinkhornSolver.PointCloudKernel.ONLINE ? sinkhornCap(entries, sizes)
                        : maxIterations != null ? maxIterations : DEFAULT_MAX_ITERATIONS;
                solver = solver.withMaxIterations(cap);
                kernelName = path.name().toLowerCase(Locale.ROOT);
                start = System.nanoTime();
                SinkhornResult r;
                try (ConvergenceProgress progress = ConvergenceProgress.start("ot", quiet, tolerance)) {
                    r = solver.solve(x, y, progress);
                }
                double seconds = (System.nanoTime() - start) * 1e-9;
                neglectedMass = r.neglectedMass();
                report(out, "sinkhorn eps=" + epsilon, x, y, r.cost(), r.objective(), r.iterations(), r.error(),
                        r.converged(), seconds);
                if (!r.converged()) {
                    throw CommandFailure.notConverged(String.format(Locale.ROOT, "Sinkhorn did not converge: "
                            + "marginal error %s > tolerance %s after %d iterations (cap %d); nothing written; "
                            + "raise --epsilon, --tolerance or --max-iterations", Limits.number(r.error()),
                            Limits.number(tolerance), r.iterations(), cap));
                }
                CommandSupport.finiteResult("the transport cost", r.cost());
                CommandSupport.finiteResult("the entropic objective", r.objective());
                if (planFile != null) {
                    outputs.write(planFile, f -> writePlan(f, r.plan(), () -> writeEntropic(f, r.plan())));
                }
                List<String> drawn = pictureFiles == null ? List.of()
                        : CommandSupport.writePicture(outputs, pictureFiles, entropicChart(x, y, r));
                outputs.commit();
                written(out, drawn);
            }
            return ExitStatus.SUCCESS;
        }
    }

    /** The {@code --kernel} option as the solver's setting; a bad value is a usage error. */
    private SinkhornSolver.PointCloudKernel kernelChoice() {
        switch (kernel.toLowerCase(Locale.ROOT)) {
            case "auto":
                return SinkhornSolver.PointCloudKernel.AUTOMATIC;
            case "stored":
                return SinkhornSolver.PointCloudKernel.STORED;
            case "online":
                return SinkhornSolver.PointCloudKernel.ONLINE;
            case "multiscale":
                return SinkhornSolver.PointCloudKernel.MULTISCALE;
            default:
                throw CommandFailure.badInput("--kernel must be auto, stored, online or multiscale, got '" + kernel
                        + "'");
        }
    }

    /**
     * Sinkhorn's iteration cap: {@code --max-iterations} if given (refused beyond the evaluation limit), otherwise
     * the default lowered so that {@code n * m * cap} fits, refused when fewer than {@link #MIN_ITERATIONS} fit.
     */
    private long sinkhornCap(double entries, String sizes) {
        if (maxIterations != null) {
            Limits.atMost("Sinkhorn on " + sizes + " with --max-iterations " + maxIterations,
                    entries * maxIterations, MAX_SINKHORN_EVALUATIONS, "cost-entry evaluations (n x m x N)");
            return maxIterations;
        }
        long fit = (long) Math.min(DEFAULT_MAX_ITERATIONS, Math.floor(MAX_SINKHORN_EVALUATIONS / entries));
        if (fit < MIN_ITERATIONS) {
            throw CommandFailure.badInput("Sinkhorn on " + sizes + " asks for " + Limits.count(entries)
                    + " cost entries per iteration; the limit of " + Limits.count(MAX_SINKHORN_EVALUATIONS)
                    + " evaluations leaves " + fit + " iterations, fewer than " + MIN_ITERATIONS
                    + "; use fewer points");
        }
        return fit;
    }

    private static boolean hasZeroWeight(ParticleMeasure m) {
        for (int i = 0; i < m.size(); i++) {
            if (m.weight(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** L1 marginal error of a sparse plan: \( \sum_i |P1 - a|_i + \sum_j |P^\top 1 - b|_j \). */
    static double marginalError(SparsePlan p, ParticleMeasure x, ParticleMeasure y) {
        double[] rows = p.sourceMarginal();
        double[] cols = p.targetMarginal();
        double e = 0;
        for (int i = 0; i < rows.length; i++) {
            e += Math.abs(rows[i] - x.weight(i));
        }
        for (int j = 0; j < cols.length; j++) {
            e += Math.abs(cols[j] - y.weight(j));
        }
        return e;
    }

    private void report(PrintWriter out, String methodName, ParticleMeasure x, ParticleMeasure y, double cost,
                        double objective, long iterations, double marginal, boolean converged, double seconds) {
        if (json) {
            out.println("{\"method\": " + CommandSupport.json(methodName)
                    + ", \"source_points\": " + x.size() + ", \"target_points\": " + y.size()
                    + ", \"dimension\": " + x.dimension()
                    + ", \"cost\": " + CommandSupport.json(cost)
                    + ", \"entropic_objective\": " + CommandSupport.json(objective)
                    + (kernelName == null ? "" : ", \"kernel\": " + CommandSupport.json(kernelName)
                            + ", \"neglected_mass\": " + CommandSupport.json(neglectedMass))
                    + ", \"iterations\": " + iterations
                    + ", \"marginal_error\": " + CommandSupport.json(marginal)
                    + ", \"converged\": " + converged
                    + ", \"seconds\": " + CommandSupport.json(seconds) + "}");
        } else {
            out.printf(Locale.ROOT, "source          %s (%d points, dimension %d)%n", source, x.size(), x.dimension());
            out.printf(Locale.ROOT, "target          %s (%d points)%n", target, y.size());
            out.printf(Locale.ROOT, "method          %s%n", methodName);
            out.printf(Locale.ROOT, "cost <C, P>     %.12g%n", cost);
            if (!Double.isNaN(objective)) {
                out.printf(Locale.ROOT, "objective OT_eps %.12g%n", objective);
            }
            if (kernelName != null) {
                out.printf(Locale.ROOT, "kernel          %s%s%n", kernelName, neglectedMass > 0
                        ? String.format(Locale.ROOT, " (neglected mass <= %.2e)", neglectedMass) : "");
            }
            out.printf(Locale.ROOT, "iterations      %d%n", iterations);
            out.printf(Locale.ROOT, "marginal error  %.3e (L1)%n", marginal);
            out.printf(Locale.ROOT, "converged       %s%n", converged);
            out.printf(Locale.ROOT, "time            %.3f s%n", seconds);
        }
        out.flush();
    }

    /** After the outputs are in place, names them (text mode). */
    private void written(PrintWriter out, List<String> drawn) {
        if (json) {
            return;
        }
        if (plan != null) {
            out.printf(Locale.ROOT, "plan            %s%n", plan);
        }
        if (!drawn.isEmpty()) {
            out.printf(Locale.ROOT, "picture         %s%n", String.join(", ", drawn));
        }
        out.flush();
    }

    /** Text that writes a plan as CSV triples. */
    @FunctionalInterface
    private interface CsvPlanWriter {
        void write() throws IOException;
    }

    /**
     * Writes the plan by the file's extension: {@code .npy} the dense {@code n x m} matrix (NumPy's
     * {@code np.load(f)}), {@code .npz} the nonzero entries in SciPy's COO layout ({@code scipy.sparse.load_npz(f)}),
     * anything else the CSV triples {@code i,j,mass}.
     */
    private static void writePlan(Path file, TransportPlan plan, CsvPlanWriter csv) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            DataFiles.writeMatrix(file, plan.toDense(), plan.sourceSize(), plan.targetSize());
        } else if (name.endsWith(".npz")) {
            double[] dense = plan.toDense();
            int m = plan.targetSize();
            int count = 0;
            for (double v : dense) {
                count += v > 0 ? 1 : 0;
            }
            int[] rows = new int[count];
            int[] cols = new int[count];
            double[] mass = new double[count];
            int k = 0;
            for (int e = 0; e < dense.length; e++) {
                if (dense[e] > 0) {
                    rows[k] = e / m;
                    cols[k] = e % m;
                    mass[k++] = dense[e];
                }
            }
            DataFiles.writeSparseTriples(file, new SparseTriples(plan.sourceSize(), m, rows, cols, mass));
        } else {
            csv.write();
        }
    }

    private static void writeSparse(Path file, SparsePlan p) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("i,j,mass");
            for (int k = 0; k < p.size(); k++) {
                if (p.mass(k) > 0) {
                    w.println(p.row(k) + "," + p.col(k) + "," + p.mass(k));
                }
            }
            if (w.checkError()) {
                throw new IOException("write error");
            }
        }
    }

    private static void writeEntropic(Path file, EntropicPlan p) throws IOException {
        double max = 0;
        for (int i = 0; i < p.sourceSize(); i++) {
            for (int j = 0; j < p.targetSize(); j++) {
                max = Math.max(max, p.entry(i, j));
            }
        }
        double floor = 1e-12 * max;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("i,j,mass");
            for (int i = 0; i < p.sourceSize(); i++) {
                for (int j = 0; j < p.targetSize(); j++) {
                    double m = p.entry(i, j);
                    if (m > floor) {
                        w.println(i + "," + j + "," + m);
                    }
                }
            }
            if (w.checkError()) {
                throw new IOException("write error");
            }
        }
    }

    private static XYChart exactChart(ParticleMeasure x, ParticleMeasure y, SparsePlan p) {
        XYChart chart = Plots.scatterChart("Exact optimal plan (network simplex)", "x1", "x2", 800, 800);
        Color grey = new Color(120, 120, 120, 90);
        for (int k = 0; k < p.size(); k++) {
            int i = p.row(k);
            int j = p.col(k);
            XYSeries s = chart.addSeries("plan " + k, new double[]{x.coordinate(i, 0), y.coordinate(j, 0)},
                    new double[]{x.coordinate(i, 1), y.coordinate(j, 1)});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(grey);
            s.setShowInLegend(false);
        }
        return withClouds(chart, x, y);
    }

    private static XYChart entropicChart(ParticleMeasure x, ParticleMeasure y, SinkhornResult r) {
        XYChart chart = Plots.scatterChart("Sinkhorn plan: barycentric map T(x_i) = sum_j P_ij y_j / a_i", "x1",
                "x2", 800, 800);
        // a large cloud is drawn through an evenly spaced sample of at most PICTURE_POINTS atoms of each side
        int[] rows = sample(x.size());
        ParticleMeasure xs = subset(x, rows);
        Plots.addParticles(chart, "T(x_i)", xs.withFlatPoints(r.plan().barycentricMap(rows)), new Color(20, 160, 60));
        return withClouds(chart, xs, subset(y, sample(y.size())));
    }

    /** Points drawn per cloud in a picture of a Sinkhorn plan. */
    static final int PICTURE_POINTS = 5000;

    private static int[] sample(int size) {
        int count = Math.min(size, PICTURE_POINTS);
        int[] rows = new int[count];
        for (int k = 0; k < count; k++) {
            rows[k] = (int) ((long) k * size / count);
        }
        return rows;
    }

    private static ParticleMeasure subset(ParticleMeasure m, int[] rows) {
        if (rows.length == m.size()) {
            return m;
        }
        int d = m.dimension();
        double[] flat = new double[rows.length * d];
        for (int k = 0; k < rows.length; k++) {
            for (int q = 0; q < d; q++) {
                flat[k * d + q] = m.coordinate(rows[k], q);
            }
        }
        return ParticleMeasure.fromFlat(flat, d);
    }

    private static XYChart withClouds(XYChart chart, ParticleMeasure x, ParticleMeasure y) {
        Plots.addParticles(chart, "source", x, new Color(40, 90, 200));
        Plots.addParticles(chart, "target", y, new Color(220, 60, 40));
        return chart;
    }
}
