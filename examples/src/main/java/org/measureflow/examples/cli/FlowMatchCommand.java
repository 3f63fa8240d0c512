package org.measureflow.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.examples.Progress;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.flowmatching.coupling.Coupling;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.flowmatching.sampling.FlowSampler;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mflow flowmatch}: trains a flow-matching MLP (survey eq. 8) from a standard Gaussian latent to the user's
 * data, samples from it by RK4, writes the samples, and prints the Sinkhorn divergence between the samples and a
 * held-out part of the data.
 *
 * <p>The data are standardised coordinate by coordinate before training (the network sees \( (x - m)/s \)) and the
 * samples are mapped back, so the default learning rate suits any scale. The held-out part is a seeded random
 * {@code --holdout} fraction of the rows; the Sinkhorn divergence uses \( \varepsilon = 0.05 \) times the mean
 * coordinate variance unless {@code --epsilon} is given, and at most {@link #QUALITY_POINTS} samples and as many
 * held-out points (the first ones: both are random draws) so that its cost stays bounded.
 *
 * <p>Limits (checked before training, see {@link Limits}): {@link #MAX_SAMPLES} samples, a batch of at most
 * {@link #MAX_BATCH} pairs, {@link #MAX_STEPS} steps, {@link #MAX_PAIRS} pairs in all (steps x batch), and at most
 * {@link #MAX_OT_COUPLING_ENTRIES} (OT coupling) or {@link #MAX_SINKHORN_COUPLING_ENTRIES} (Sinkhorn coupling)
 * minibatch cost entries in all (steps x batch^2). A diverged training, non-finite samples or a divergence that is not finite or whose Sinkhorn
 * solves did not converge is exit status 3, and no samples are written.
 */
@Command(name = "flowmatch", mixinStandardHelpOptions = true,
        description = {"Flow matching on your data (CSV: one point per row, optional header, optional 'weight' "
                + "column): trains an MLP field from N(0, I), samples, and prints the Sinkhorn divergence of the "
                + "samples to held-out data."},
        footer = {"", "Limits: --samples <= 300000; --batch <= 65536; steps = max(200, epochs x rows / batch) <= "
                + "1e6; steps x batch <= 2.5e6 training pairs; steps x batch^2 <= 2e9 minibatch cost entries with "
                + "--coupling ot, 1e8 with --coupling sinkhorn. The divergence uses at most 2000 samples and 2000 "
                + "held-out points. Coordinates up to 1e150 in magnitude.",
                "", ExitStatus.HELP})
public final class FlowMatchCommand extends FileCommand {
    /** Largest {@code --samples}: 100,000 samples (RK4, 20 steps) took 30 s on 2 cores. */
    static final int MAX_SAMPLES = 300_000;
    /** Largest {@code --batch}. */
    static final int MAX_BATCH = 65_536;
    /** Largest number of training steps. */
    static final double MAX_STEPS = 1e6;
    /**
     * Largest number of training pairs, steps x batch: the default training (625 steps of 256 pairs, 1.6e5) took
     * 7.4 s on 2 cores, so 2.5e6 is under two minutes.
     */
    static final double MAX_PAIRS = 2.5e6;
    /** Largest number of minibatch cost entries of the exact OT coupling, steps x batch^2 (8.4e8 took 12 s). */
    static final double MAX_OT_COUPLING_ENTRIES = 2e9;
    /** Largest number of minibatch cost entries of the Sinkhorn coupling, steps x batch^2 (4.1e7 took 42 s). */
    static final double MAX_SINKHORN_COUPLING_ENTRIES = 1e8;
    /** Most generated and held-out points the Sinkhorn divergence is computed on. */
    static final int QUALITY_POINTS = 2000;
    /** Sinkhorn's tolerance in the divergence (that of {@code SampleQuality.sinkhornDivergence}). */
    static final double QUALITY_TOLERANCE = 1e-7;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data points (CSV).")
    private Path data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Number of samples to generate (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the samples (CSV).")
    private Path out;

    @Option(names = "--coupling", paramLabel = "KIND", defaultValue = "independent",
            description = "Minibatch coupling: independent, ot (exact) or sinkhorn (default: ${DEFAULT-VALUE}).")
    private String coupling;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "200",
            description = "Passes over the training data (default: ${DEFAULT-VALUE}); steps = epochs x rows / "
                    + "batch, at least 200.")
    private int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "256",
            description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--holdout", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction of the rows held out for the quality measure (default: ${DEFAULT-VALUE}).")
    private double holdout;

    @Option(names = "--epsilon", paramLabel = "E",
            description = "Regularisation of the Sinkhorn divergence (default: 0.05 x mean coordinate variance).")
    private Double epsilon;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything random (default: 0).")
    private long seed;

    @Option(names = "--weighted", description = "Without a header, read the last column as weights.")
    private boolean weighted;

    @Option(names = "--quiet", description = "Show no progress bar.")
    private boolean quiet;

    /** Use through the {@code mflow} command line. */
    public FlowMatchCommand() {
    }

    @Override
    int run() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Coupling pairing;
        switch (coupling.toLowerCase(Locale.ROOT)) {
            case "independent" -> pairing = Coupling.independent();
            case "ot" -> pairing = Coupling.exactOt();
            case "sinkhorn" -> pairing = Coupling.sinkhorn(SinkhornSolver.of(0.05).withTolerance(1e-6));
            default -> throw CommandFailure.badInput("--coupling must be independent, ot or sinkhorn, got '"
                    + coupling + "'");
        }
        CommandSupport.inRange("--samples", samples, 1, MAX_SAMPLES);
        CommandSupport.inRange("--epochs", epochs, 1, Integer.MAX_VALUE);
        CommandSupport.inRange("--batch", batch, 1, MAX_BATCH);
        if (!(holdout > 0 && holdout < 1)) {
            throw CommandFailure.badInput("--holdout must be in (0, 1), got " + holdout);
        }
        if (epsilon != null) {
            CommandSupport.positive("--epsilon", epsilon);
        }
        try (OutputFiles outputs = new OutputFiles()) {
            OutputFiles.Output samplesFile = outputs.declare("--out", out);
            ParticleMeasure all = readPoints(data, weighted);
            return run(all, pairing, outputs, samplesFile, stdout);
        }
    }

    private int run(ParticleMeasure all, Coupling pairing, OutputFiles outputs, OutputFiles.Output samplesFile,
                    PrintWriter stdout) {
        int n = all.size();
        int held = (int) Math.round(holdout * n);
        if (held < 1 || n - held < 2) {
            throw CommandFailure.badInput(data + ": " + n + " points are too few to hold out " + holdout
                    + " of them and train on the rest");
        }
        double requestedSteps = Math.max(200, Math.floor((double) epochs * (n - held) / batch));
        Limits.atMost("--epochs " + epochs + " x " + (n - held) + " training rows / --batch " + batch,
                requestedSteps, MAX_STEPS, "steps");
        Limits.atMost(Limits.count(requestedSteps) + " steps x --batch " + batch, requestedSteps * batch,
                MAX_PAIRS, "training pairs");
        if (!coupling.equalsIgnoreCase("independent")) {
            Limits.atMost(Limits.count(requestedSteps) + " steps of --coupling " + coupling + " on batches of "
                    + batch, requestedSteps * batch * batch, coupling.equalsIgnoreCase("ot") ? MAX_OT_COUPLING_ENTRIES
                    : MAX_SINKHORN_COUPLING_ENTRIES, "minibatch cost entries (steps x batch^2)");
            needsMemory("the " + batch + " x " + batch + " minibatch cost matrix", 16.0 * batch * batch);
        }
        int d = all.dimension();
        int[] perm = shuffled(n, seed);
        double[] mean = all.mean();
        double[] scale = new double[d];
        double meanVariance = 0;
        for (int c = 0; c < d; c++) {
            double v = all.covariance().get(c, c);
            scale[c] = v > 0 ? Math.sqrt(v) : 1;
            meanVariance += v / d;
        }
        if (!Double.isFinite(meanVariance)) {
            throw CommandFailure.badInput(data + ": the coordinates' variance overflows double precision ("
                    + meanVariance + "); rescale the data");
        }
        ParticleMeasure train;
        ParticleMeasure heldOut;
        ParticleMeasure reference;
        try {
            train = subset(all, perm, held, n, mean, scale);
            heldOut = subset(all, perm, 0, held, null, null);
            reference = first(heldOut, QUALITY_POINTS);
        } catch (IllegalArgumentException e) {
            // a part of the seeded split whose weights are all zero
            throw CommandFailure.badInput(data + ": the training or held-out part of the rows (seed " + seed
                    + ") cannot be a measure: " + e.getMessage());
        }
        int steps = Math.max(200, (int) Math.min(Integer.MAX_VALUE, (long) epochs * train.size() / batch));
        double eps = epsilon != null ? epsilon : 0.05 * (meanVariance > 0 ? meanVariance : 1);
        CommandSupport.positive("the divergence's epsilon (0.05 x mean variance)", eps);
        try {
            TrainingResult trained;
            try (Progress progress = Progress.start("flowmatch: training", quiet)) {
                trained = FlowMatchingTrainer.withDefaults().withSteps(steps).withBatchSize(batch)
                        .withCoupling(pairing).train(GaussianMeasure.standard(d), PointSampler.of(train),
                                new SplittableRandom(seed), status -> {
                                    progress.accept(status.fractionDone());
                                    return true;
                                });
            }
            ParticleMeasure latent = GaussianMeasure.standard(d).sample(samples, new SplittableRandom(seed + 1));
            ParticleMeasure standard = FlowSampler.sample(trained.field(), latent, RungeKutta4.of(0.05)).samples();
            double[] flat = standard.flatPoints();
            for (int i = 0; i < samples; i++) {
                for (int c = 0; c < d; c++) {
                    flat[i * d + c] = mean[c] + scale[c] * flat[i * d + c];
                }
            }
            ParticleMeasure generated = ParticleMeasure.fromFlat(flat, d);
            CommandSupport.finiteResult("the final training loss", trained.finalLoss(50));
            CommandSupport.finitePoints("the samples", generated);
            ParticleMeasure judged = first(generated, QUALITY_POINTS);
            long cap = qualityCap(judged.size(), reference.size());
            SinkhornDivergenceResult quality = Progress.whileRunning("flowmatch: quality", quiet,
                    () -> SinkhornDivergence.of(SinkhornSolver.of(eps).withTolerance(QUALITY_TOLERANCE)
                            .withMaxIterations(cap)).valueAndGradient(judged, reference));
            double divergence = quality.value();
            stdout.printf(Locale.ROOT, "data            %s (%d points, dimension %d; %d for training, %d held out)%n",
                    data, n, d, train.size(), held);
            stdout.printf(Locale.ROOT, "coupling        %s%n", pairing);
            stdout.printf(Locale.ROOT, "training        %d steps of %d pairs, %.1f s, final loss %.5g%n",
                    trained.steps(), batch, trained.seconds(), trained.finalLoss(50));
            String on = judged.size() < samples || reference.size() < held ? String.format(Locale.ROOT,
                    " on %d samples and %d held-out points", judged.size(), reference.size()) : "";
            stdout.printf(Locale.ROOT, "sinkhorn divergence to held-out data (eps = %.4g)  %.6g%s%n", eps, divergence,
                    on);
            stdout.flush();
            if (!quality.converged()) {
                throw CommandFailure.notConverged("the Sinkhorn divergence did not converge (" + quality.convergence()
                        + "); no samples written; raise --epsilon");
            }
            CommandSupport.finiteResult("the Sinkhorn divergence", divergence);
            outputs.write(samplesFile, f -> PointCsv.write(f, generated));
            outputs.commit();
            stdout.printf(Locale.ROOT, "samples         %d written to %s%n", samples, out);
            stdout.flush();
            return ExitStatus.SUCCESS;
        } catch (IllegalStateException e) {
            throw CommandFailure.notConverged("training failed: " + e.getMessage() + "; no samples written");
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new RuntimeException(e);
        }
    }

    /**
     * The divergence's iteration cap: Sinkhorn's default of 10,000 lowered so that the three problems
     * ({@code k x h}, {@code k x k}, {@code h x h} cost entries per iteration) stay within the Sinkhorn limit of
     * {@code mflow ot}.
     */
    private static long qualityCap(int k, int h) {
        double perIteration = (double) k * h + (double) k * k + (double) h * h;
        return (long) Math.max(OtCommand.MIN_ITERATIONS, Math.min(OtCommand.DEFAULT_MAX_ITERATIONS,
                Math.floor(OtCommand.MAX_SINKHORN_EVALUATIONS / perIteration)));
    }

    /** The first {@code k} points of {@code m} (all of them if it has no more), weights renormalised. */
    private static ParticleMeasure first(ParticleMeasure m, int k) {
        if (m.size() <= k) {
            return m;
        }
        int d = m.dimension();
        double[] flat = java.util.Arrays.copyOf(m.flatPoints(), k * d);
        if (m.isUniform()) {
            return ParticleMeasure.fromFlat(flat, d);
        }
        return ParticleMeasure.fromFlat(flat, d, java.util.Arrays.copyOf(m.weights(), k));
    }

    /**
     * The seeded split: a random permutation of the rows (Fisher-Yates with {@code SplittableRandom(seed)}); its
     * first {@code round(holdout * n)} entries are held out.
     */
    static int[] shuffled(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** Rows {@code perm[from..to)} of {@code m}, standardised when {@code mean} is given. */
    private static ParticleMeasure subset(ParticleMeasure m, int[] perm, int from, int to, double[] mean,
                                          double[] scale) {
        int d = m.dimension();
        double[] flat = new double[(to - from) * d];
        double[] w = m.isUniform() ? null : new double[to - from];
        for (int r = from; r < to; r++) {
            for (int c = 0; c < d; c++) {
                double v = m.coordinate(perm[r], c);
                flat[(r - from) * d + c] = mean == null ? v : (v - mean[c]) / scale[c];
            }
            if (w != null) {
                w[r - from] = m.weight(perm[r]);
            }
        }
        return w == null ? ParticleMeasure.fromFlat(flat, d) : ParticleMeasure.fromFlat(flat, d, w);
    }
}
