package org.measureflow.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

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
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mflow flowmatch}: trains a flow-matching MLP (survey eq. 8) from a standard Gaussian latent to the user's
 * data, samples from it by RK4, writes the samples, and prints the Sinkhorn divergence between the samples and a
 * held-out part of the data.
 *
 * <p>The data are standardised coordinate by coordinate before training (the network sees \( (x - m)/s \)) and the
 * samples are mapped back, so the default learning rate suits any scale. The held-out part is a seeded random
 * {@code --holdout} fraction of the rows; the Sinkhorn divergence uses \( \varepsilon = 0.05 \) times the mean
 * coordinate variance unless {@code --epsilon} is given.
 */
@Command(name = "flowmatch", mixinStandardHelpOptions = true,
        description = {"Flow matching on your data (CSV: one point per row, optional header, optional 'weight' "
                + "column): trains an MLP field from N(0, I), samples, and prints the Sinkhorn divergence of the "
                + "samples to held-out data."},
        footer = {"", "Exit status: 0 success, 1 training failed, 2 bad input (the message names the file and "
                + "line)."})
public final class FlowMatchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

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
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParticleMeasure all;
        try {
            all = PointCsv.read(data, weighted);
        } catch (CsvFormatException e) {
            return CommandSupport.badInput(err, "flowmatch", e.getMessage());
        }
        Coupling pairing;
        switch (coupling.toLowerCase(Locale.ROOT)) {
            case "independent" -> pairing = Coupling.independent();
            case "ot" -> pairing = Coupling.exactOt();
            case "sinkhorn" -> pairing = Coupling.sinkhorn(SinkhornSolver.of(0.05).withTolerance(1e-6));
            default -> {
                return CommandSupport.badInput(err, "flowmatch", "--coupling must be independent, ot or sinkhorn, got '"
                        + coupling + "'");
            }
        }
        if (samples < 1 || epochs < 1 || batch < 1) {
            return CommandSupport.badInput(err, "flowmatch", "--samples, --epochs and --batch must be >= 1");
        }
        if (!(holdout > 0 && holdout < 1)) {
            return CommandSupport.badInput(err, "flowmatch", "--holdout must be in (0, 1), got " + holdout);
        }
        int n = all.size();
        int held = (int) Math.round(holdout * n);
        if (held < 1 || n - held < 2) {
            return CommandSupport.badInput(err, "flowmatch", data + ": " + n + " points are too few to hold out "
                    + holdout + " of them and train on the rest");
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
        ParticleMeasure train;
        ParticleMeasure heldOut;
        try {
            train = subset(all, perm, held, n, mean, scale);
            heldOut = subset(all, perm, 0, held, null, null);
        } catch (IllegalArgumentException e) {
            return CommandSupport.badInput(err, "flowmatch", data + ": " + e.getMessage());
        }
        int steps = Math.max(200, (int) Math.min(Integer.MAX_VALUE, (long) epochs * train.size() / batch));
        double eps = epsilon != null ? epsilon : 0.05 * (meanVariance > 0 ? meanVariance : 1);
        if (!(eps > 0)) {
            return CommandSupport.badInput(err, "flowmatch", "--epsilon must be > 0, got " + eps);
        }
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
            PointCsv.write(out, generated);
            double divergence = Progress.whileRunning("flowmatch: quality", quiet,
                    () -> SinkhornDivergence.of(SinkhornSolver.of(eps).withTolerance(1e-7)).value(generated,
                            heldOut));
            stdout.printf(Locale.ROOT, "data            %s (%d points, dimension %d; %d for training, %d held out)%n",
                    data, n, d, train.size(), held);
            stdout.printf(Locale.ROOT, "coupling        %s%n", pairing);
            stdout.printf(Locale.ROOT, "training        %d steps of %d pairs, %.1f s, final loss %.5g%n",
                    trained.steps(), batch, trained.seconds(), trained.finalLoss(50));
            stdout.printf(Locale.ROOT, "samples         %d written to %s%n", samples, out);
            stdout.printf(Locale.ROOT, "sinkhorn divergence to held-out data (eps = %.4g)  %.6g%n", eps, divergence);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            return CommandSupport.badInput(err, "flowmatch", "cannot write " + out + ": " + e.getMessage());
        } catch (Exception e) {
            err.println("mflow flowmatch: training failed: " + e.getMessage());
            return CommandSupport.FAILED;
        }
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
