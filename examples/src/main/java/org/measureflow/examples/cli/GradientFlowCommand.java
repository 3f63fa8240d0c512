package org.measureflow.examples.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.examples.Plots;
import org.measureflow.examples.Progress;
import org.measureflow.gradientflow.diagnostics.FlowDiagnostics;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.jko.EntropicJko;
import org.measureflow.gradientflow.jko.JkoEpsilon;
import org.measureflow.gradientflow.jko.JkoResult;
import org.measureflow.gradientflow.particles.Langevin;
import org.measureflow.gradientflow.particles.ParticleGradientFlow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mflow gradientflow}: the Wasserstein gradient flow (survey eqs. 13&ndash;17) of
 * \( F = \tfrac\lambda2\int|x|^2 + \tfrac12\iint W + D\int\rho\log\rho + \int\rho^m/(m-1) \) started from the
 * user's points, either on the particles themselves (eq. 17 by RK4, or Langevin dynamics when \( D > 0 \)) or on
 * their histogram by the entropic JKO scheme (eq. 13). Prints the energy, mass and second moment at the start and
 * the end, and draws the start and the end.
 *
 * <p>Limits (checked before running, see {@link Limits}): {@link #MAX_STEPS} time steps; a particle flow evaluates
 * at most {@link #MAX_PARTICLE_EVALUATIONS} particle (or, with an interaction, particle-pair) terms, steps x stages
 * (4 for RK4, 1 for Langevin) x n (or n^2); the JKO scheme at most {@link #MAX_JKO_STEPS} steps on at most 2048
 * cells (1-D) or 512 x 512 cells (2-D), and at most {@link #MAX_JKO_CELL_ITERATIONS} cell updates, steps x cells x
 * the scaling iterations allowed per step (10000, lowered to fit, at least {@link #MIN_JKO_ITERATIONS}). An initial
 * energy that is not finite is bad input; a final state or energy that is not finite, or a JKO step that did not
 * converge, is exit status 3, and nothing is written.
 */
@Command(name = "gradientflow", mixinStandardHelpOptions = true,
        description = {"Wasserstein gradient flow from your points (CSV, 1-D or 2-D): particles (RK4, or Langevin "
                + "with --diffusion) or JKO on their histogram (--method jko). Energy: --confinement L "
                + "(L|x|^2/2), --interaction quadratic|attraction-repulsion, --diffusion D (entropy), --porous m "
                + "(JKO only)."},
        footer = {"", "Limits: steps = time / step <= 1e7; particles: steps x stages (4 RK4, 1 Langevin) x n "
                + "(n^2 with --interaction) <= 1e10 evaluations; JKO: steps <= 1e5, --grid <= 2048 (1-D) or 512 "
                + "(2-D), steps x cells x iterations per step <= 1e9 (the cap of 10000 scaling iterations per step is "
                + "lowered to fit, at least 100). Coordinates up to 1e150 in magnitude.",
                "", ExitStatus.HELP})
public final class GradientFlowCommand extends FileCommand {
    /** Largest number of time steps, {@code ceil(time / step)}. */
    static final double MAX_STEPS = 1e7;
    /**
     * Largest number of particle (or particle-pair) terms of a particle flow, steps x stages x n (or n^2): about
     * 1e8 pair terms per second were measured with RK4 on 300 points (2 cores), so 1e10 is under two minutes.
     */
    static final double MAX_PARTICLE_EVALUATIONS = 1e10;
    /** Largest number of JKO steps. */
    static final double MAX_JKO_STEPS = 1e5;
    /** Largest number of JKO cell updates, steps x cells x scaling iterations per step. */
    static final double MAX_JKO_CELL_ITERATIONS = 1e9;
    /** Fewest scaling iterations per JKO step a lowered cap may leave before the request is refused. */
    static final long MIN_JKO_ITERATIONS = 100;
    /** The JKO scheme's default cap of scaling iterations per step. */
    static final long JKO_MAX_ITERATIONS = 10_000;

    @Option(names = "--points", required = true, paramLabel = "FILE", description = "Initial points (CSV, d = 1 or 2).")
    private Path points;

    @Option(names = "--method", defaultValue = "particles", paramLabel = "M",
            description = "particles or jko (default: ${DEFAULT-VALUE}).")
    private String method;

    @Option(names = "--interaction", defaultValue = "none", paramLabel = "W",
            description = "none, quadratic (|z|^2/2) or attraction-repulsion (|z|^2/2 - log|z|) (default: "
                    + "${DEFAULT-VALUE}).")
    private String interaction;

    @Option(names = "--confinement", defaultValue = "0", paramLabel = "L",
            description = "Potential L|x|^2/2 (default: ${DEFAULT-VALUE}).")
    private double confinement;

    @Option(names = "--diffusion", defaultValue = "0", paramLabel = "D",
            description = "Entropy coefficient D (heat / Fokker-Planck term) (default: ${DEFAULT-VALUE}).")
    private double diffusion;

    @Option(names = "--porous", paramLabel = "m", description = "Porous-medium exponent m > 1 (JKO only).")
    private Double porous;

    @Option(names = "--time", defaultValue = "1", paramLabel = "T", description = "Final time (default: ${DEFAULT-VALUE}).")
    private double time;

    @Option(names = "--step", defaultValue = "0.01", paramLabel = "H",
            description = "Time step: RK4 / Euler-Maruyama step, or the JKO step tau (default: ${DEFAULT-VALUE}).")
    private double step;

    @Option(names = "--grid", paramLabel = "N", description = "JKO cells per side (default: 200 in 1-D, 64 in 2-D).")
    private Integer grid;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the Langevin noise (default: 0).")
    private long seed;

    @Option(names = "--weighted", description = "Without a header, read the last column as weights.")
    private boolean weighted;

    @Option(names = "--picture", defaultValue = "gradientflow.png", paramLabel = "FILE",
            description = "Picture of the start and the end (PNG and SVG) (default: ${DEFAULT-VALUE}).")
    private Path picture;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the final points (or density) as CSV.")
    private Path out;

    @Option(names = "--quiet", description = "Show no progress bar.")
    private boolean quiet;

    /** Use through the {@code mflow} command line. */
    public GradientFlowCommand() {
    }

    @Override
    int run() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        String problem = checkOptions();
        if (problem != null) {
            throw CommandFailure.badInput(problem);
        }
        try (OutputFiles outputs = new OutputFiles()) {
            CommandSupport.Picture pictureFiles = CommandSupport.declarePicture(outputs, "--picture", picture);
            OutputFiles.Output outFile = out == null ? null : outputs.declare("--out", out);
            ParticleMeasure mu = readPoints(points, weighted);
            int d = mu.dimension();
            if (d > 2) {
                throw CommandFailure.badInput(points + " has points of dimension " + d
                        + "; the flows here are 1-D or 2-D");
            }
            if (method.equals("jko")) {
                return jko(mu, stdout, outputs, pictureFiles, outFile);
            }
            return particles(mu, stdout, outputs, pictureFiles, outFile);
        }
    }

    private String checkOptions() {
        if (!method.equals("particles") && !method.equals("jko")) {
            return "--method must be particles or jko, got '" + method + "'";
        }
        if (!List.of("none", "quadratic", "attraction-repulsion").contains(interaction)) {
            return "--interaction must be none, quadratic or attraction-repulsion, got '" + interaction + "'";
        }
        if (!(confinement >= 0) || !Double.isFinite(confinement)) {
            return "--confinement must be a finite number >= 0, got " + confinement;
        }
        if (!(diffusion >= 0) || !Double.isFinite(2 * diffusion)) {
            return "--diffusion must be a number >= 0 with 2 D finite (the noise is sqrt(2 D) dW), got "
                    + Limits.number(diffusion);
        }
        if (porous != null && (!(porous > 1) || !Double.isFinite(porous))) {
            return "--porous must be a finite exponent > 1, got " + porous;
        }
        if (porous != null && method.equals("particles")) {
            return "--porous needs --method jko (the porous-medium energy is not defined on particles)";
        }
        if (!(time > 0 && step > 0 && step <= time) || !Double.isFinite(time)) {
            return "--time and --step must satisfy 0 < step <= time, got --time " + Limits.number(time) + " and --step "
                    + Limits.number(step);
        }
        double steps = Math.ceil(time / step);
        if (!(steps <= (method.equals("jko") ? MAX_JKO_STEPS : MAX_STEPS))) {
            return "--time " + Limits.number(time) + " / --step " + Limits.number(step) + " asks for " + Limits.count(steps) + " steps; at most "
                    + Limits.count(method.equals("jko") ? MAX_JKO_STEPS : MAX_STEPS) + " allowed"
                    + (method.equals("jko") ? " for --method jko" : "");
        }
        if (grid != null && (grid < 8 || grid > 2048)) {
            return "--grid must be in [8, 2048], got " + grid;
        }
        if (interaction.equals("none") && confinement == 0 && diffusion == 0 && porous == null) {
            return "nothing to flow: give --confinement, --interaction, --diffusion or --porous";
        }
        return null;
    }

    private ParticleEnergy particleEnergy(int d) {
        List<ParticleEnergy> terms = new ArrayList<>();
        if (confinement > 0 || interaction.equals("none")) {
            terms.add(PotentialEnergy.of(Potential.isotropic(confinement, new double[d])));
        }
        if (interaction.equals("quadratic")) {
            terms.add(InteractionEnergy.quadratic());
        } else if (interaction.equals("attraction-repulsion")) {
            terms.add(InteractionEnergy.attractionRepulsion());
        }
        return ParticleEnergy.sum(terms.toArray(new ParticleEnergy[0]));
    }

    private int particles(ParticleMeasure mu, PrintWriter stdout, OutputFiles outputs,
                          CommandSupport.Picture pictureFiles, OutputFiles.Output outFile) {
        boolean pairs = !interaction.equals("none");
        double steps = Math.ceil(time / step);
        double perStep = (diffusion > 0 ? 1 : 4) * (pairs ? (double) mu.size() * mu.size() : mu.size());
        Limits.atMost(String.format(Locale.ROOT, "--time %s / --step %s on %d points (%s steps x %s)",
                Limits.number(time), Limits.number(step), mu.size(), Limits.count(steps),
                pairs ? "stages x n^2 pairs" : "stages x n"), steps * perStep,
                MAX_PARTICLE_EVALUATIONS, pairs ? "pair evaluations" : "particle evaluations");
        if (interaction.equals("attraction-repulsion")) {
            requireDistinct(mu);
        }
        ParticleEnergy energy = particleEnergy(mu.dimension());
        FlowDiagnostics start = FlowDiagnostics.of(mu, energy, null);
        initialEnergy(start.energy());
        long t0 = System.nanoTime();
        ParticleMeasure end;
        String how;
        if (diffusion > 0) {
            how = String.format(Locale.ROOT, "Langevin (Euler-Maruyama, h = %s, D = %s)", step, diffusion);
            try (Progress progress = Progress.start("gradientflow", quiet)) {
                end = Langevin.simulate(mu, energy, diffusion, EulerMaruyama.of(step), 0, time,
                        new SplittableRandom(seed), StepObserver.progress(progress)).measure();
            }
        } else {
            how = String.format(Locale.ROOT, "particle flow (RK4, h = %s)", step);
            try (Progress progress = Progress.start("gradientflow", quiet)) {
                end = ParticleGradientFlow.flow(mu, energy, RungeKutta4.of(step), 0, time,
                        StepObserver.progress(progress)).measure();
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        CommandSupport.finitePoints("the flow blew up", end);
        FlowDiagnostics last = FlowDiagnostics.of(end, energy, null);
        stdout.printf(Locale.ROOT, "points          %s (%d points, dimension %d)%n", points, mu.size(), mu.dimension());
        stdout.printf(Locale.ROOT, "method          %s to t = %s%n", how, time);
        report(stdout, start, last, diffusion > 0 ? "(without the entropy, undefined on particles)" : "");
        stdout.printf(Locale.ROOT, "time            %.3f s%n", seconds);
        stdout.flush();
        finalState(last);
        List<String> files = CommandSupport.writePicture(outputs, pictureFiles, particleChart(mu, end));
        if (outFile != null) {
            outputs.write(outFile, f -> PointCsv.write(f, end));
        }
        outputs.commit();
        stdout.printf(Locale.ROOT, "picture         %s%n", String.join(", ", files));
        if (out != null) {
            stdout.printf(Locale.ROOT, "points written  %s%n", out);
        }
        stdout.flush();
        return ExitStatus.SUCCESS;
    }

    /** Bad input unless the initial energy is finite (its terms overflow or, for -log|z|, two points coincide). */
    private void initialEnergy(double energy) {
        if (!Double.isFinite(energy)) {
            throw CommandFailure.badInput(points + ": the energy of the initial points is " + energy
                    + "; rescale the points or the coefficients");
        }
    }

    /** Not converged unless the final energy, mass and second moment are finite. */
    private static void finalState(FlowDiagnostics last) {
        CommandSupport.finiteResult("the final energy", last.energy());
        CommandSupport.finiteResult("the final mass", last.mass());
        CommandSupport.finiteResult("the final second moment", last.secondMoment());
    }

    /**
     * Bad input if two points coincide: \( -\log|x_i - x_j| \) is infinite there. Compares the points in sorted
     * order (n log n), naming the two rows.
     */
    private void requireDistinct(ParticleMeasure mu) {
        int n = mu.size();
        int d = mu.dimension();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Comparator<Integer> byCoordinates = (i, j) -> {
            for (int c = 0; c < d; c++) {
                int k = Double.compare(mu.coordinate(i, c), mu.coordinate(j, c));
                if (k != 0) {
                    return k;
                }
            }
            return 0;
        };
        java.util.Arrays.sort(order, byCoordinates.thenComparing(i -> i));
        for (int k = 1; k < n; k++) {
            if (byCoordinates.compare(order[k - 1], order[k]) == 0) {
                throw CommandFailure.badInput(String.format(Locale.ROOT, "%s: points %d and %d coincide; the "
                        + "attraction-repulsion energy (-log|x - y|) is infinite there", points, order[k - 1] + 1,
                        order[k] + 1));
            }
        }
    }

    private int jko(ParticleMeasure mu, PrintWriter stdout, OutputFiles outputs, CommandSupport.Picture pictureFiles,
                    OutputFiles.Output outFile) {
        int d = mu.dimension();
        int cells = grid != null ? grid : (d == 1 ? 200 : 64);
        if (d == 2 && cells > 512) {
            throw CommandFailure.badInput("--grid must be in [8, 512] for 2-D points, got " + cells);
        }
        int steps = (int) Math.round(time / step);
        double gridCells = Math.pow(cells, d);
        long fit = (long) Math.min(JKO_MAX_ITERATIONS, Math.floor(MAX_JKO_CELL_ITERATIONS / (steps * gridCells)));
        if (fit < MIN_JKO_ITERATIONS) {
            throw CommandFailure.badInput(String.format(Locale.ROOT, "--time %s / --step %s asks for %d JKO steps on "
                    + "%s cells; the limit of %s cell updates leaves %d scaling iterations per step, fewer than %d; "
                    + "use fewer steps or a coarser --grid", Limits.number(time), Limits.number(step), steps, Limits.count(gridCells),
                    Limits.count(MAX_JKO_CELL_ITERATIONS), fit, MIN_JKO_ITERATIONS));
        }
        double[] lo = new double[d];
        double[] hi = new double[d];
        double spread = 4 * Math.sqrt(2 * diffusion * time) + 0.5;
        for (int c = 0; c < d; c++) {
            lo[c] = Double.POSITIVE_INFINITY;
            hi[c] = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < mu.size(); i++) {
                lo[c] = Math.min(lo[c], mu.coordinate(i, c));
                hi[c] = Math.max(hi[c], mu.coordinate(i, c));
            }
            double pad = 0.25 * (hi[c] - lo[c]) + spread;
            lo[c] -= pad;
            hi[c] += pad;
            if (!Double.isFinite(lo[c]) || !Double.isFinite(hi[c]) || !Double.isFinite(hi[c] - lo[c])) {
                throw CommandFailure.badInput(String.format(Locale.ROOT, "the JKO grid around %s, padded by the "
                        + "spread 4 sqrt(2 D T) of --diffusion %s and --time %s, exceeds double precision; rescale the "
                        + "points or the coefficients", points, Limits.number(diffusion), Limits.number(time)));
            }
        }
        GridDensity.Grid g = d == 1 ? GridDensity.Grid.of1d(lo[0], hi[0], cells)
                : GridDensity.Grid.of2d(lo[0], hi[0], cells, lo[1], hi[1], cells);
        GridDensity rho0 = GridDensity.histogram(mu, g);
        List<GridEnergy> terms = new ArrayList<>();
        if (diffusion > 0) {
            terms.add(InternalEnergy.entropy(diffusion));
        }
        if (porous != null) {
            terms.add(InternalEnergy.porousMedium(porous));
        }
        if (confinement > 0) {
            terms.add(PotentialEnergy.of(Potential.isotropic(confinement, new double[d])));
        }
        if (interaction.equals("quadratic")) {
            terms.add(InteractionEnergy.quadratic());
        } else if (interaction.equals("attraction-repulsion")) {
            terms.add(InteractionEnergy.attractionRepulsion());
        }
        GridEnergy energy = GridEnergy.sum(terms.toArray(new GridEnergy[0]));
        // cold starts (b = 1 at every step), as this command has always printed them
        EntropicJko solver = EntropicJko.of(step, JkoEpsilon.gridAdapted()).withWarmStart(false)
                .withMaxIterations(fit);
        FlowDiagnostics start = FlowDiagnostics.of(rho0, energy, null);
        initialEnergy(start.energy());
        long t0 = System.nanoTime();
        JkoResult flow;
        try (Progress progress = Progress.start("gradientflow", quiet)) {
            // one status per JKO step, with the fraction of the time done
            flow = solver.flow(rho0, energy, steps, IterationObserver.progress(progress));
        }
        GridDensity rho = flow.finalDensity();
        long iterations = flow.iterations();
        boolean converged = flow.converged();
        double seconds = (System.nanoTime() - t0) * 1e-9;
        FlowDiagnostics last = FlowDiagnostics.of(rho, energy, null);
        stdout.printf(Locale.ROOT, "points          %s (%d points, dimension %d), histogram on %s%n", points,
                mu.size(), d, d == 1 ? cells + " cells" : cells + " x " + cells + " cells");
        stdout.printf(Locale.ROOT, "method          entropic JKO, tau = %s, %d steps, epsilon = %.3g%n", step, steps,
                solver.epsilon(g, energy));
        report(stdout, start, last, "");
        stdout.printf(Locale.ROOT, "iterations      %d in total, all steps converged: %s%n", iterations, converged);
        stdout.printf(Locale.ROOT, "time            %.3f s%n", seconds);
        stdout.flush();
        if (!converged) {
            long failed = flow.steps().stream().filter(r -> !r.converged()).count();
            throw CommandFailure.notConverged(String.format(Locale.ROOT, "%d of %d JKO steps did not converge "
                    + "within %d scaling iterations (%s); nothing written; use a larger --step or fewer steps",
                    failed, steps, fit, flow.convergence()));
        }
        for (double v : rho.values()) {
            CommandSupport.finiteResult("the final density", v);
        }
        finalState(last);
        List<String> files;
        if (d == 1) {
            files = CommandSupport.writePicture(outputs, pictureFiles, densityChart(rho0, rho));
        } else {
            outputs.write(pictureFiles.png(), f -> Plots.writePng(DensityImage.sideBySide(List.of(rho0, rho)), f));
            files = List.of(pictureFiles.png().target().getFileName().toString());
        }
        if (outFile != null) {
            outputs.write(outFile, f -> writeDensity(f, rho));
        }
        outputs.commit();
        stdout.printf(Locale.ROOT, "picture         %s%n", String.join(", ", files));
        if (out != null) {
            stdout.printf(Locale.ROOT, "density written %s%n", out);
        }
        stdout.flush();
        return ExitStatus.SUCCESS;
    }

    private static void report(PrintWriter stdout, FlowDiagnostics start, FlowDiagnostics last, String note) {
        stdout.printf(Locale.ROOT, "energy F        %.8g -> %.8g %s%n", start.energy(), last.energy(), note);
        stdout.printf(Locale.ROOT, "mass            %.15g -> %.15g%n", start.mass(), last.mass());
        stdout.printf(Locale.ROOT, "second moment   %.8g -> %.8g%n", start.secondMoment(), last.secondMoment());
    }

    private static XYChart particleChart(ParticleMeasure start, ParticleMeasure end) {
        XYChart chart = Plots.scatterChart("Gradient flow of the particles: start and end", "x1",
                start.dimension() == 2 ? "x2" : "index / n", 700, 700);
        Plots.addParticles(chart, "t = 0", asPlane(start), new Color(40, 90, 200));
        Plots.addParticles(chart, "end", asPlane(end), new Color(220, 60, 40));
        return chart;
    }

    /** 2-D points as they are; 1-D points at height i / n (their rank order is kept by 1-D flows). */
    private static ParticleMeasure asPlane(ParticleMeasure m) {
        if (m.dimension() == 2) {
            return m;
        }
        double[] flat = new double[2 * m.size()];
        for (int i = 0; i < m.size(); i++) {
            flat[2 * i] = m.coordinate(i, 0);
            flat[2 * i + 1] = (double) i / m.size();
        }
        return ParticleMeasure.fromFlat(flat, 2);
    }

    private static XYChart densityChart(GridDensity start, GridDensity end) {
        XYChart chart = Plots.scatterChart("JKO flow of the density: start (histogram) and end", "x", "density",
                800, 500);
        double[] x = start.cellCentres();
        for (GridDensity rho : List.of(start, end)) {
            XYSeries s = chart.addSeries(rho == start ? "t = 0" : "end", x, rho.values());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(rho == start ? new Color(40, 90, 200) : new Color(220, 60, 40));
        }
        return chart;
    }

    private static void writeDensity(Path file, GridDensity rho) throws IOException {
        int d = rho.dimension();
        double[] centres = rho.cellCentres();
        double[] values = rho.values();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println(d == 1 ? "x,density" : "x1,x2,density");
            for (int c = 0; c < values.length; c++) {
                StringBuilder row = new StringBuilder();
                for (int k = 0; k < d; k++) {
                    row.append(centres[c * d + k]).append(',');
                }
                w.println(row.append(values[c]));
            }
            if (w.checkError()) {
                throw new IOException("write error");
            }
        }
    }
}
