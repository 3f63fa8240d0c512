package org.measureflow.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.ConvergenceProgress;
import org.measureflow.ot.GroundCost;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.sinkhorn.EntropicPlan;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mflow ot}: optimal transport between two point clouds read from CSV files, with the cost
 * \( c(x, y) = |x - y|^2 \): exact (network simplex, survey eq. 10) or entropic (Sinkhorn,
 * \( \min_P \langle C, P\rangle + \varepsilon\mathrm{KL}(P | a\otimes b) \)). Prints the transport cost, the
 * iterations, the L1 marginal error and the time, as text or JSON; optionally writes the plan as sparse triples.
 */
@Command(name = "ot", mixinStandardHelpOptions = true,
        description = {"Optimal transport between two point clouds (CSV: one point per row, optional header, "
                + "optional 'weight' column), cost |x - y|^2.",
                "Exact by the network simplex (default) or entropic by Sinkhorn with --epsilon."},
        footer = {"", "Exit status: 0 success, 1 the solver failed, 2 bad input (the message names the file and "
                + "line)."})
public final class OtCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

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

    @Option(names = "--weighted", description = "Without a header, read the last column as weights.")
    private boolean weighted;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Write the plan as CSV triples i,j,mass (0-based indices; Sinkhorn entries below 1e-12 "
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

    /** Use through the {@code mflow} command line. */
    public OtCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParticleMeasure x;
        ParticleMeasure y;
        try {
            x = PointCsv.read(source, weighted);
            y = PointCsv.read(target, weighted);
        } catch (CsvFormatException e) {
            return CommandSupport.badInput(err, "ot", e.getMessage());
        }
        if (x.dimension() != y.dimension()) {
            return CommandSupport.badInput(err, "ot", String.format(Locale.ROOT,
                    "%s has points of dimension %d but %s has dimension %d", target, y.dimension(), source,
                    x.dimension()));
        }
        if (method.epsilon != null && !(method.epsilon > 0 && Double.isFinite(method.epsilon))) {
            return CommandSupport.badInput(err, "ot", "--epsilon must be a finite number > 0, got " + method.epsilon);
        }
        if (picture != null && x.dimension() != 2) {
            return CommandSupport.badInput(err, "ot", "--picture needs 2-D points, got dimension " + x.dimension());
        }
        if (!(tolerance > 0)) {
            return CommandSupport.badInput(err, "ot", "--tolerance must be > 0, got " + tolerance);
        }
        try {
            long start = System.nanoTime();
            if (method.epsilon == null) {
                ExactOtResult r;
                // the network simplex has no tolerance and no fraction done: the bar counts its pivots
                try (ConvergenceProgress progress = ConvergenceProgress.start("ot", quiet, Double.NaN)) {
                    r = NetworkSimplex.withDefaults().solve(x, y, GroundCost.squaredEuclidean(), progress);
                }
                double seconds = (System.nanoTime() - start) * 1e-9;
                double marginal = marginalError(r.plan(), x, y);
                report(out, "exact (network simplex)", x, y, r.cost(), Double.NaN, r.iterations(), marginal,
                        r.converged(), seconds);
                if (plan != null) {
                    writeSparse(plan, r.plan());
                }
                if (picture != null) {
                    drawExact(x, y, r.plan(), out);
                }
            } else {
                SinkhornSolver solver = SinkhornSolver.of(method.epsilon).withTolerance(tolerance);
                SinkhornResult r;
                try (ConvergenceProgress progress = ConvergenceProgress.start("ot", quiet, tolerance)) {
                    r = solver.solve(x, y, progress);
                }
                double seconds = (System.nanoTime() - start) * 1e-9;
                report(out, "sinkhorn eps=" + method.epsilon, x, y, r.cost(), r.objective(), r.iterations(),
                        r.error(), r.converged(), seconds);
                if (plan != null) {
                    writeEntropic(plan, r.plan());
                }
                if (picture != null) {
                    drawEntropic(x, y, r, out);
                }
            }
            return 0;
        } catch (IOException e) {
            return CommandSupport.badInput(err, "ot", "cannot write " + plan + ": " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("mflow ot: the solver failed: " + e.getMessage());
            return CommandSupport.FAILED;
        }
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
            out.printf(Locale.ROOT, "iterations      %d%n", iterations);
            out.printf(Locale.ROOT, "marginal error  %.3e (L1)%n", marginal);
            out.printf(Locale.ROOT, "converged       %s%n", converged);
            out.printf(Locale.ROOT, "time            %.3f s%n", seconds);
            if (plan != null) {
                out.printf(Locale.ROOT, "plan            %s%n", plan);
            }
        }
        out.flush();
    }

    private static void writeSparse(Path file, SparsePlan p) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("i,j,mass");
            for (int k = 0; k < p.size(); k++) {
                if (p.mass(k) > 0) {
                    w.println(p.row(k) + "," + p.col(k) + "," + p.mass(k));
                }
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
        }
    }

    private void drawExact(ParticleMeasure x, ParticleMeasure y, SparsePlan p, PrintWriter out) throws IOException {
        org.knowm.xchart.XYChart chart = org.measureflow.examples.Plots.scatterChart(
                "Exact optimal plan (network simplex)", "x1", "x2", 800, 800);
        java.awt.Color grey = new java.awt.Color(120, 120, 120, 90);
        for (int k = 0; k < p.size(); k++) {
            int i = p.row(k);
            int j = p.col(k);
            org.knowm.xchart.XYSeries s = chart.addSeries("plan " + k,
                    new double[]{x.coordinate(i, 0), y.coordinate(j, 0)},
                    new double[]{x.coordinate(i, 1), y.coordinate(j, 1)});
            s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            s.setLineColor(grey);
            s.setShowInLegend(false);
        }
        savePicture(chart, x, y, out);
    }

    private void drawEntropic(ParticleMeasure x, ParticleMeasure y, SinkhornResult r, PrintWriter out)
            throws IOException {
        org.knowm.xchart.XYChart chart = org.measureflow.examples.Plots.scatterChart(
                "Sinkhorn plan: barycentric map T(x_i) = sum_j P_ij y_j / a_i", "x1", "x2", 800, 800);
        org.measureflow.examples.Plots.addParticles(chart, "T(x_i)", x.withFlatPoints(r.plan().barycentricMap()),
                new java.awt.Color(20, 160, 60));
        savePicture(chart, x, y, out);
    }

    private void savePicture(org.knowm.xchart.XYChart chart, ParticleMeasure x, ParticleMeasure y, PrintWriter out)
            throws IOException {
        org.measureflow.examples.Plots.addParticles(chart, "source", x, new java.awt.Color(40, 90, 200));
        org.measureflow.examples.Plots.addParticles(chart, "target", y, new java.awt.Color(220, 60, 40));
        List<String> files = CommandSupport.savePicture(chart, picture);
        if (!json) {
            out.printf(Locale.ROOT, "picture         %s%n", String.join(", ", files));
            out.flush();
        }
    }
}
