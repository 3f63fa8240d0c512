package org.measureflow.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.Progress;
import org.measureflow.gradientflow.snapshots.PotentialBasis;
import org.measureflow.gradientflow.snapshots.PotentialFitResult;
import org.measureflow.gradientflow.snapshots.PotentialRecovery;
import org.measureflow.gradientflow.snapshots.SnapshotSeries;
import org.measureflow.gradientflow.snapshots.SnapshotTransitions;
import org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mflow trajectories}: trajectory inference from snapshots (survey &sect;5.4). The snapshots are point clouds
 * (CSV, any dimension, sizes may differ) at increasing times; the command couples consecutive snapshots by entropic
 * OT (balanced, or with a KL-relaxed source marginal so that growth and death are explained,
 * {@link SnapshotTransitions}), prints per interval the transport cost, the iterations and the fitted growth rates,
 * writes clouds interpolated at unobserved times along the couplings (McCann interpolation), and fits the potential
 * \( V_\theta \) of \( dX = -\nabla V\,dt + \sqrt{2D}\,dW \) in a polynomial basis through the first-order conditions
 * of the JKO step ({@link PotentialRecovery}), printing and writing its coefficients.
 *
 * <p>Bad input (a times list that does not match the snapshots, times not increasing, fewer than two snapshots,
 * snapshots of different dimensions, an interpolation time outside the observed range) exits with status 2 and one
 * line per problem. Limits: at most {@link #MAX_POINTS} points per snapshot and {@link #MAX_PAIRS} pairs per
 * interval; where Sinkhorn evaluates every pair in each iteration (the online kernel), its iterations per solve are
 * capped so that one solve evaluates at most {@link OtCommand#MAX_SINKHORN_EVALUATIONS} kernel entries, as in
 * {@code mflow ot}, and a pair of snapshots that would leave fewer than {@link OtCommand#MIN_ITERATIONS} is refused.
 */
@Command(name = "trajectories", mixinStandardHelpOptions = true,
        description = {"Trajectory inference from snapshots (CSV point clouds at increasing times): entropic OT "
                + "transitions with growth between consecutive snapshots, clouds interpolated at unobserved times, "
                + "and the potential of the drift fitted in a polynomial basis (JKO first-order conditions)."},
        footer = {"", "Example: mflow trajectories --snapshot day0.csv --snapshot day2.csv --snapshot day4.csv "
                + "--times 0,2,4 --interpolate 1 --interpolate 3 --out-dir out --potential-out potential.csv",
                "", "Limits: at most 1e5 points per snapshot and 1e9 pairs per interval; on the online kernel "
                + "(dimension > 3, or --epsilon above 5% of the squared diameter) iterations x pairs <= 5e9 per solve, "
                + "at least 100 iterations.", "", ExitStatus.HELP})
public final class TrajectoriesCommand extends FileCommand {
    /** Largest snapshot. */
    static final int MAX_POINTS = 100_000;
    /** Largest number of pairs n m of one interval. */
    static final double MAX_PAIRS = 1e9;
    /** Largest number of interpolated points per time. */
    static final int MAX_SAMPLES = 1_000_000;
    /** Largest polynomial degree of the potential's basis. */
    static final int MAX_DEGREE = 6;

    @Option(names = "--snapshot", required = true, paramLabel = "FILE",
            description = "A snapshot (CSV points); repeat, in time order, at least twice.")
    List<Path> snapshots = new ArrayList<>();

    @Option(names = "--times", required = true, split = ",", paramLabel = "T",
            description = "The snapshots' times, comma-separated, strictly increasing, one per --snapshot.")
    List<Double> times = new ArrayList<>();

    @Option(names = "--masses", split = ",", paramLabel = "M",
            description = "The populations' sizes (relative), one per snapshot; default all 1.")
    List<Double> masses;

    @Option(names = "--epsilon", paramLabel = "E",
            description = "Entropic regularisation in units of |x - y|^2 (default: 0.05 x dimension x the mean "
                    + "coordinate variance of the snapshots).")
    Double epsilon;

    @Option(names = "--relaxation", paramLabel = "RHO",
            description = "KL relaxation of the source marginal (unbalanced transitions: growth and death); "
                    + "default: balanced.")
    Double relaxation;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-6",
            description = "Sinkhorn's marginal tolerance (default: 1e-6).")
    double tolerance;

    @Option(names = "--interpolate", paramLabel = "T",
            description = "A time strictly between two snapshots at which to write an interpolated cloud; repeat.")
    List<Double> interpolate = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Points per interpolated cloud (default: 1000).")
    int samples;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Where the interpolated clouds go, as interpolated-1.csv, interpolated-2.csv, ...")
    Path outDir;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "2",
            description = "Degree of the polynomial basis of the fitted potential; 0 fits none (default: 2).")
    int degree;

    @Option(names = "--diffusion", paramLabel = "D", defaultValue = "0",
            description = "Known diffusion D of dX = -grad V dt + sqrt(2D) dW (default: 0).")
    double diffusion;

    @Option(names = "--estimate-diffusion", description = "Estimate D with the potential instead of taking --diffusion.")
    boolean estimateDiffusion;

    @Option(names = "--potential-out", paramLabel = "FILE",
            description = "Where to write the potential's coefficients (CSV: term,coefficient).")
    Path potentialOut;

    @Option(names = "--weighted", description = "Without a header, read the last column as weights.")
    boolean weighted;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the interpolation's draws (default: 0).")
    long seed;

    @Option(names = "--quiet", description = "Show no progress bar.")
    boolean quiet;

    /** Use through the {@code mflow} command line. */
    public TrajectoriesCommand() {
    }

    @Override
    int run() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<String> problems = new ArrayList<>();
        checkOptions(problems);
        if (!problems.isEmpty()) {
            throw failure(stderr, problems);
        }
        try (OutputFiles outputs = new OutputFiles()) {
            List<OutputFiles.Output> clouds = new ArrayList<>();
            for (int q = 0; q < interpolate.size(); q++) {
                clouds.add(outputs.declare("--out-dir", outDir.resolve("interpolated-" + (q + 1) + ".csv")));
            }
            OutputFiles.Output potentialFile = potentialOut == null ? null
                    : outputs.declare("--potential-out", potentialOut);
            List<ParticleMeasure> clouds0 = new ArrayList<>();
            for (Path file : snapshots) {
                clouds0.add(readPoints(file, weighted));
            }
            checkSnapshots(clouds0, problems);
            if (!problems.isEmpty()) {
                throw failure(stderr, problems);
            }
            return run(clouds0, outputs, clouds, potentialFile, stdout);
        }
    }

    /** Problems with the options alone, one line each. */
    private void checkOptions(List<String> problems) {
        int k = snapshots.size();
        if (k < 2) {
            problems.add("at least two --snapshot files are needed, got " + k);
        }
        if (times.size() != k) {
            problems.add("--times lists " + times.size() + " time(s) for " + k + " --snapshot file(s)");
        }
        for (int i = 0; i < times.size(); i++) {
            if (!Double.isFinite(times.get(i))) {
                problems.add("--times: time " + (i + 1) + " is not finite: " + times.get(i));
            } else if (i > 0 && !(times.get(i) > times.get(i - 1))) {
                problems.add("--times must be strictly increasing, got " + times.get(i - 1) + " then " + times.get(i));
            }
        }
        if (masses != null) {
            if (masses.size() != k) {
                problems.add("--masses lists " + masses.size() + " mass(es) for " + k + " --snapshot file(s)");
            }
            for (double m : masses) {
                if (!(m > 0) || !Double.isFinite(m)) {
                    problems.add("--masses must be finite and > 0, got " + m);
                }
            }
        }
        if (epsilon != null && !(epsilon > 0 && Double.isFinite(epsilon))) {
            problems.add("--epsilon must be finite and > 0, got " + epsilon);
        }
        if (relaxation != null && !(relaxation > 0)) {
            problems.add("--relaxation must be > 0, got " + relaxation);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            problems.add("--tolerance must be in (0, 1), got " + tolerance);
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            problems.add("--samples must be in [1, " + MAX_SAMPLES + "], got " + samples);
        }
        if (degree < 0 || degree > MAX_DEGREE) {
            problems.add("--degree must be in [0, " + MAX_DEGREE + "], got " + degree);
        }
        if (!(diffusion >= 0) || !Double.isFinite(diffusion)) {
            problems.add("--diffusion must be finite and >= 0, got " + diffusion);
        }
        if (!interpolate.isEmpty() && outDir == null) {
            problems.add("--interpolate needs --out-dir for the clouds it writes");
        }
        boolean timesOk = times.size() == k && k >= 2 && problems.stream().noneMatch(p -> p.startsWith("--times"));
        for (double t : interpolate) {
            if (!Double.isFinite(t) || (timesOk && !(t > times.get(0) && t < times.get(k - 1)))) {
                problems.add("--interpolate " + t + " is not strictly between the first and the last time"
                        + (timesOk ? " (" + times.get(0) + ", " + times.get(k - 1) + ")" : ""));
            }
        }
        if (potentialOut != null && degree == 0) {
            problems.add("--potential-out needs a potential: --degree must be at least 1");
        }
    }

    /** Problems with the snapshots read, one line each. */
    private void checkSnapshots(List<ParticleMeasure> clouds, List<String> problems) {
        int d = clouds.get(0).dimension();
        for (int k = 0; k < clouds.size(); k++) {
            ParticleMeasure c = clouds.get(k);
            if (c.dimension() != d) {
                problems.add(snapshots.get(k) + ": dimension " + c.dimension() + ", but " + snapshots.get(0)
                        + " has dimension " + d);
            }
            if (c.size() > MAX_POINTS) {
                problems.add(snapshots.get(k) + ": " + c.size() + " points, more than the limit of " + MAX_POINTS);
            }
            if (k > 0 && (double) c.size() * clouds.get(k - 1).size() > MAX_PAIRS) {
                problems.add(snapshots.get(k - 1) + " and " + snapshots.get(k) + ": " + clouds.get(k - 1).size()
                        + " x " + c.size() + " pairs, more than the limit of " + Limits.number(MAX_PAIRS));
            }
            CommandSupport.finitePoints(String.valueOf(snapshots.get(k)), c);
        }
    }

    /** Prints all problems but the last, and returns the failure that reports the last. */
    private CommandFailure failure(PrintWriter stderr, List<String> problems) {
        for (int i = 0; i < problems.size() - 1; i++) {
            stderr.println("mflow " + spec.name() + ": " + problems.get(i));
        }
        stderr.flush();
        return CommandFailure.badInput(problems.get(problems.size() - 1));
    }

    private int run(List<ParticleMeasure> clouds, OutputFiles outputs, List<OutputFiles.Output> cloudFiles,
            OutputFiles.Output potentialFile, PrintWriter stdout) throws Exception {
        int k = clouds.size();
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        double[] m = masses == null ? null : masses.stream().mapToDouble(Double::doubleValue).toArray();
        SnapshotSeries series = m == null ? SnapshotSeries.of(t, clouds) : SnapshotSeries.of(t, clouds, m);
        int d = series.dimension();
        double eps = epsilon != null ? epsilon : 0.05 * d * meanVariance(clouds);
        CommandSupport.positive("the default --epsilon (0.05 x dimension x mean variance; the snapshots are single "
                + "points?)", eps);
        SinkhornSolver sinkhorn = SinkhornSolver.of(eps).withTolerance(tolerance);
        long cap = OtCommand.DEFAULT_MAX_ITERATIONS;
        for (int i = 0; i + 1 < k; i++) {
            ParticleMeasure x = clouds.get(i);
            ParticleMeasure y = clouds.get(i + 1);
            if (sinkhorn.pointCloudKernelFor(x, y) == SinkhornSolver.PointCloudKernel.ONLINE) {
                double pairs = (double) x.size() * y.size();
                long fits = (long) Math.floor(OtCommand.MAX_SINKHORN_EVALUATIONS / pairs);
                if (fits < OtCommand.MIN_ITERATIONS) {
                    throw CommandFailure.badInput(snapshots.get(i) + " and " + snapshots.get(i + 1) + ": "
                            + x.size() + " x " + y.size() + " pairs on the online kernel leave " + fits
                            + " Sinkhorn iterations within the limit of " + Limits.number(
                            OtCommand.MAX_SINKHORN_EVALUATIONS) + " kernel evaluations per solve (at least "
                            + OtCommand.MIN_ITERATIONS + " needed); use fewer cells");
                }
                cap = Math.min(cap, fits);
            }
        }
        sinkhorn = sinkhorn.withMaxIterations(cap);
        SnapshotTransitions transitions = SnapshotTransitions.of(sinkhorn);
        if (relaxation != null) {
            transitions = transitions.withMarginalRelaxation(relaxation);
        }
        SnapshotTransitions fitter = transitions;
        SnapshotTransitionsResult result;
        try (Progress progress = Progress.start("trajectories: transitions", quiet)) {
            result = fitter.fit(series, status -> {
                progress.accept(status.fractionDone());
                return true;
            });
        }
        stdout.printf(Locale.ROOT, "snapshots       %d in dimension %d, epsilon %.4g, %s transitions%n", k, d, eps,
                relaxation == null ? "balanced" : "unbalanced (relaxation " + relaxation + ")");
        for (int i = 0; i < k; i++) {
            stdout.printf(Locale.ROOT, "  t = %-10.6g %7d cells  %s%n", t[i], clouds.get(i).size(), snapshots.get(i));
        }
        for (int i = 0; i + 1 < k; i++) {
            SinkhornResult c = result.couplings().get(i);
            double[] rates = result.growthRates(i);
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            stdout.printf(Locale.ROOT, "interval %d      [%.6g, %.6g]: cost %.6g, %d iterations%s, growth rate per unit "
                            + "time min %.4g, median %.4g, max %.4g%n", i, t[i], t[i + 1], c.cost(), c.iterations(),
                    c.converged() ? "" : " (NOT CONVERGED)", sorted[0], sorted[sorted.length / 2],
                    sorted[sorted.length - 1]);
        }
        stdout.flush();
        if (!result.converged()) {
            throw CommandFailure.notConverged("the transitions did not converge (" + result.convergence()
                    + "); nothing written; raise --epsilon or --tolerance");
        }
        List<ParticleMeasure> interpolated = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (double time : interpolate) {
            interpolated.add(CommandSupport.finitePoints("the interpolated cloud at t = " + time,
                    result.interpolate(time, samples, rng)));
        }
        PotentialFitResult potential = null;
        if (degree > 0) {
            PotentialRecovery recovery = PotentialRecovery.of(PotentialBasis.polynomial(d, degree), sinkhorn);
            recovery = estimateDiffusion ? recovery.withDiffusionEstimated(true) : recovery.withDiffusion(diffusion);
            PotentialRecovery fitting = recovery;
            potential = Progress.whileRunning("trajectories: potential", quiet, () -> fitting.fit(series));
            PotentialBasis basis = potential.basis();
            double[] theta = potential.theta();
            stdout.printf(Locale.ROOT, "potential       degree %d, %d terms, diffusion %.6g (%s), residual %.4g%n",
                    degree, theta.length, potential.diffusion(), estimateDiffusion ? "estimated" : "given",
                    potential.residual());
            for (int l = 0; l < theta.length; l++) {
                stdout.printf(Locale.ROOT, "  %-14s %.8g%n", basis.term(l), theta[l]);
            }
            stdout.flush();
        }
        for (int q = 0; q < interpolated.size(); q++) {
            ParticleMeasure cloud = interpolated.get(q);
            outputs.write(cloudFiles.get(q), f -> PointCsv.write(f, cloud));
        }
        if (potentialFile != null) {
            PotentialFitResult fit = potential;
            outputs.write(potentialFile, f -> writeCoefficients(f, fit));
        }
        outputs.commit();
        for (int q = 0; q < interpolated.size(); q++) {
            stdout.printf(Locale.ROOT, "interpolated    t = %.6g: %d points written to %s%n", interpolate.get(q),
                    samples, cloudFiles.get(q).target());
        }
        if (potentialFile != null) {
            stdout.printf(Locale.ROOT, "coefficients    written to %s%n", potentialOut);
        }
        stdout.flush();
        return ExitStatus.SUCCESS;
    }

    private static void writeCoefficients(Path file, PotentialFitResult fit) throws java.io.IOException {
        StringBuilder s = new StringBuilder("term,coefficient\n");
        double[] theta = fit.theta();
        for (int l = 0; l < theta.length; l++) {
            s.append(fit.basis().term(l)).append(',').append(theta[l]).append('\n');
        }
        java.nio.file.Files.writeString(file, s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static double meanVariance(List<ParticleMeasure> clouds) {
        double total = 0;
        int d = clouds.get(0).dimension();
        for (ParticleMeasure c : clouds) {
            org.ejml.data.DMatrixRMaj covariance = c.covariance();
            for (int a = 0; a < d; a++) {
                total += covariance.get(a, a) / (d * clouds.size());
            }
        }
        return total;
    }
}
