package org.measureflow.examples.cli;

import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.examples.Plots;
import org.measureflow.examples.Progress;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.diagnostics.TokenDiagnostics;
import org.measureflow.transformer.dynamics.DiscreteTransformer;
import org.measureflow.transformer.dynamics.TokenFlow;
import org.measureflow.transformer.sinkformer.SinkformerField;
import org.measureflow.transformer.sphere.Sphere;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mflow transformer}: the user's tokens through self-attention layers with skip connections and \( 1/L \)
 * scaling (survey eq. 26), or through the continuous-depth transformer ODE (eq. 28), with softmax or Sinkhorn
 * (doubly stochastic) attention, on the sphere if asked. Prints the cluster count and the minimum pairwise cosine
 * before and after, and draws the tokens' first two coordinates.
 *
 * <p>Limits (checked before running, see {@link Limits}): at most {@link #MAX_LAYERS} layers, and at most
 * {@link #MAX_ATTENTION_TERMS} attention terms, field evaluations (one per layer, or 400 for the ODE: 100 RK4 steps
 * of 4 stages) x n^2 x (d + 2); with {@code --sinkhorn} each evaluation also runs a Sinkhorn scaling of up to 10000
 * iterations on the n x n logits, counted as n^2 x 10000 terms. An output that is not finite is exit status 3,
 * and nothing is written.
 */
@Command(name = "transformer", mixinStandardHelpOptions = true,
        description = {"Your tokens (CSV, one token per row) through attention layers x <- x + (1/L) V sum_j "
                + "softmax_j(<Qx, K x_j>) x_j (Q = beta I, K = V = I unless --query/--key/--value give d x d "
                + "matrices as CSV)."},
        footer = {"", "Limits: --layers <= 1e6; evaluations (--layers, or 400 for the ODE) x n^2 x (d + 2, plus 10000 "
                + "with --sinkhorn) <= 1e10 attention terms. Coordinates up to 1e150 in magnitude.",
                "", ExitStatus.HELP})
public final class TransformerCommand extends FileCommand {
    /** Largest {@code --layers}. */
    static final int MAX_LAYERS = 1_000_000;
    /**
     * Largest number of attention terms, evaluations x n^2 x (d + 2) (the 2 for the exponential and the sums; plus
     * the Sinkhorn iterations with --sinkhorn): 20 layers on 2,000 tokens of dimension 2 (3.2e8) took 3.8 s on 2
     * cores, so 1e10 is about two minutes.
     */
    static final double MAX_ATTENTION_TERMS = 1e10;
    /** Field evaluations of the ODE path: 100 RK4 steps of 4 stages. */
    static final int ODE_EVALUATIONS = 400;
    /** The Sinkformer's iteration cap per scaling (the solver's default). */
    static final double SINKHORN_MAX_ITERATIONS = 10_000;

    /** The Sinkhorn scaling of {@code --sinkhorn}: the Sinkformer's epsilon = 1, L1 marginal error 1e-10. */
    private static final SinkhornSolver SINKHORN = SinkhornSolver.of(1.0).withTolerance(1e-10);

    @Option(names = "--tokens", required = true, paramLabel = "FILE", description = "Tokens (CSV).")
    private Path tokens;

    @Option(names = "--layers", defaultValue = "20", paramLabel = "L",
            description = "Number of layers of eq. 26 (default: ${DEFAULT-VALUE}); 0 integrates the ODE by RK4.")
    private int layers;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "T", description = "Total depth (default: 1).")
    private double depth;

    @Option(names = "--beta", defaultValue = "1", description = "Inverse temperature (default: ${DEFAULT-VALUE}).")
    private double beta;

    @Option(names = "--sphere", description = "Normalise the tokens and keep them on the unit sphere.")
    private boolean sphere;

    @Option(names = "--sinkhorn", description = "Sinkformer: doubly stochastic attention by Sinkhorn.")
    private boolean sinkhorn;

    @Option(names = "--causal", description = "Causal mask (token i attends to tokens j <= i).")
    private boolean causal;

    @Option(names = "--query", paramLabel = "FILE", description = "Q as a d x d CSV matrix.")
    private Path query;

    @Option(names = "--key", paramLabel = "FILE", description = "K as a d x d CSV matrix.")
    private Path key;

    @Option(names = "--value", paramLabel = "FILE", description = "V as a d x d CSV matrix.")
    private Path value;

    @Option(names = "--threshold", defaultValue = "0.999",
            description = "Cosine above which two tokens share a cluster (default: ${DEFAULT-VALUE}).")
    private double threshold;

    @Option(names = "--picture", defaultValue = "transformer.png", paramLabel = "FILE",
            description = "Picture of the tokens before and after (default: ${DEFAULT-VALUE}).")
    private Path picture;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the output tokens as CSV.")
    private Path out;

    @Option(names = "--quiet", description = "Show no progress bar.")
    private boolean quiet;

    /** Use through the {@code mflow} command line. */
    public TransformerCommand() {
    }

    @Override
    int run() throws CsvFormatException {
        PrintWriter stdout = spec.commandLine().getOut();
        CommandSupport.inRange("--layers", layers, 0, MAX_LAYERS);
        CommandSupport.positive("--depth", depth);
        if (!Double.isFinite(beta)) {
            throw CommandFailure.badInput("--beta must be a finite number, got " + beta);
        }
        if (!(threshold >= -1 && threshold <= 1)) {
            throw CommandFailure.badInput("--threshold is a cosine: it must be in [-1, 1], got " + threshold);
        }
        if (sinkhorn && causal) {
            throw CommandFailure.badInput("--sinkhorn and --causal exclude each other");
        }
        try (OutputFiles outputs = new OutputFiles()) {
            CommandSupport.Picture pictureFiles = CommandSupport.declarePicture(outputs, "--picture", picture);
            OutputFiles.Output outFile = out == null ? null : outputs.declare("--out", out);
            ParticleMeasure x = readPoints(tokens, false);
            int zero = firstZeroToken(x);
            if (zero >= 0) {
                throw CommandFailure.badInput(tokens + ": token " + (zero + 1) + " is zero (its squared norm is 0 in "
                        + "double precision); its direction, which the cosines and --sphere use, is undefined");
            }
            int d = x.dimension();
            AttentionHead head = query == null && key == null && value == null ? AttentionHead.identity(d, beta)
                    : AttentionHead.of(matrix(query, d, beta), matrix(key, d, 1), matrix(value, d, 1));
            int n = x.size();
            double evaluations = layers > 0 ? layers : ODE_EVALUATIONS;
            double pairs = (double) n * n;
            Limits.atMost(String.format(Locale.ROOT, "%s on %d tokens of dimension %d (%s evaluations x n^2 x %s)",
                    layers > 0 ? "--layers " + layers : "the ODE", n, d, Limits.count(evaluations),
                    sinkhorn ? "(d + 2 + 10000 Sinkhorn iterations)" : "(d + 2)"),
                    evaluations * pairs * (d + 2 + (sinkhorn ? SINKHORN_MAX_ITERATIONS : 0)), MAX_ATTENTION_TERMS,
                    "attention terms");
            if (sinkhorn) {
                needsMemory("the " + n + " x " + n + " Sinkhorn attention matrices", 24 * pairs);
            }
            ParticleMeasure input = sphere ? Sphere.normalise(x) : x;
            ParticleField field = sinkhorn
                    ? SinkformerField.of(head, SINKHORN).withSphereProjection(sphere)
                    : AttentionField.of(head).withCausal(causal).withSphereProjection(sphere);
            long t0 = System.nanoTime();
            ParticleMeasure output;
            String how;
            try (Progress progress = Progress.start("transformer", quiet)) {
                if (layers > 0) {
                    how = String.format(Locale.ROOT, "%d layers of eq. 26 (skip connections, 1/L scaling)", layers);
                    DiscreteTransformer net = DiscreteTransformer.of(field, layers).withDepth(depth)
                            .withRenormalisation(sphere);
                    output = net.run(input, layers, IterationObserver.progress(progress)).last();
                } else {
                    how = "the transformer ODE (eq. 28), RK4 with h = depth / 100";
                    output = TokenFlow.of(field, RungeKutta4.of(depth / 100))
                            .integrate(input, new double[]{depth}, StepObserver.progress(progress)).last();
                }
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            CommandSupport.finitePoints("the output tokens", output);
            int zeroOut = firstZeroToken(output);
            if (zeroOut >= 0) {
                throw CommandFailure.notConverged("output token " + (zeroOut + 1) + " is zero: its cosines are "
                        + "undefined; nothing written");
            }
            double cosineBefore = TokenDiagnostics.minPairwiseCosine(input);
            double cosineAfter = TokenDiagnostics.minPairwiseCosine(output);
            stdout.printf(Locale.ROOT, "tokens          %s (%d tokens, dimension %d)%n", tokens, x.size(),
                    x.dimension());
            stdout.printf(Locale.ROOT, "attention       %s, beta = %s%s%s%n", sinkhorn ? "Sinkhorn (doubly stochastic)"
                    : "softmax", beta, causal ? ", causal" : "", sphere ? ", on the sphere" : "");
            stdout.printf(Locale.ROOT, "depth           %s by %s%n", depth, how);
            stdout.printf(Locale.ROOT, "clusters        %d -> %d (cosine >= %s)%n",
                    TokenDiagnostics.clusterCount(input, threshold), TokenDiagnostics.clusterCount(output, threshold),
                    threshold);
            stdout.printf(Locale.ROOT, "min cosine      %.6f -> %.6f%n", cosineBefore, cosineAfter);
            stdout.printf(Locale.ROOT, "time            %.3f s%n", seconds);
            stdout.flush();
            CommandSupport.finiteResult("the minimum cosine of the output tokens", cosineAfter);
            List<String> files = CommandSupport.writePicture(outputs, pictureFiles, chart(input, output));
            if (outFile != null) {
                ParticleMeasure written = output;
                outputs.write(outFile, f -> PointCsv.write(f, written));
            }
            outputs.commit();
            stdout.printf(Locale.ROOT, "picture         %s%n", String.join(", ", files));
            if (out != null) {
                stdout.printf(Locale.ROOT, "tokens written  %s%n", out);
            }
            stdout.flush();
            return ExitStatus.SUCCESS;
        }
    }

    /** The index of the first token whose squared norm is not {@code > 0} in double precision, or -1. */
    private static int firstZeroToken(ParticleMeasure m) {
        for (int i = 0; i < m.size(); i++) {
            double s = 0;
            for (int c = 0; c < m.dimension(); c++) {
                s += m.coordinate(i, c) * m.coordinate(i, c);
            }
            if (!(s > 0)) {
                return i;
            }
        }
        return -1;
    }

    /** A d x d matrix from a CSV file (no header, no weights), or {@code scale * I} when the file is absent. */
    private static DMatrixRMaj matrix(Path file, int d, double scale) throws CsvFormatException {
        if (file == null) {
            DMatrixRMaj m = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                m.set(i, i, scale);
            }
            return m;
        }
        ParticleMeasure rows = PointCsv.read(file, false);
        if (rows.size() != d || rows.dimension() != d) {
            throw new CsvFormatException(String.format(Locale.ROOT, "%s: a %d x %d matrix is needed, got %d x %d",
                    file, d, d, rows.size(), rows.dimension()));
        }
        return new DMatrixRMaj(rows.toArray());
    }

    private static XYChart chart(ParticleMeasure before, ParticleMeasure after) {
        XYChart chart = Plots.scatterChart("Tokens before and after the attention layers (first two coordinates)",
                "x1", "x2", 700, 700);
        Plots.addParticles(chart, "input", firstTwo(before), new Color(40, 90, 200));
        Plots.addParticles(chart, "output", firstTwo(after), new Color(220, 60, 40));
        return chart;
    }

    private static ParticleMeasure firstTwo(ParticleMeasure m) {
        double[] flat = new double[2 * m.size()];
        for (int i = 0; i < m.size(); i++) {
            flat[2 * i] = m.coordinate(i, 0);
            flat[2 * i + 1] = m.dimension() > 1 ? m.coordinate(i, 1) : 0;
        }
        return ParticleMeasure.fromFlat(flat, 2);
    }
}
