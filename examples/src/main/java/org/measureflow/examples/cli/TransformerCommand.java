package org.measureflow.examples.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mflow transformer}: the user's tokens through self-attention layers with skip connections and \( 1/L \)
 * scaling (survey eq. 26), or through the continuous-depth transformer ODE (eq. 28), with softmax or Sinkhorn
 * (doubly stochastic) attention, on the sphere if asked. Prints the cluster count and the minimum pairwise cosine
 * before and after, and draws the tokens' first two coordinates.
 */
@Command(name = "transformer", mixinStandardHelpOptions = true,
        description = {"Your tokens (CSV, one token per row) through attention layers x <- x + (1/L) V sum_j "
                + "softmax_j(<Qx, K x_j>) x_j (Q = beta I, K = V = I unless --query/--key/--value give d x d "
                + "matrices as CSV)."},
        footer = {"", "Exit status: 0 success, 1 the run failed, 2 bad input."})
public final class TransformerCommand implements Callable<Integer> {
    /** The Sinkhorn scaling of {@code --sinkhorn}: the Sinkformer's epsilon = 1, L1 marginal error 1e-10. */
    private static final SinkhornSolver SINKHORN = SinkhornSolver.of(1.0).withTolerance(1e-10);

    @Spec
    private CommandSpec spec;

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
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParticleMeasure x;
        AttentionHead head;
        try {
            x = PointCsv.read(tokens, false);
            int d = x.dimension();
            head = query == null && key == null && value == null ? AttentionHead.identity(d, beta)
                    : AttentionHead.of(matrix(query, d, beta), matrix(key, d, 1), matrix(value, d, 1));
        } catch (CsvFormatException e) {
            return CommandSupport.badInput(err, "transformer", e.getMessage());
        }
        if (layers < 0 || !(depth > 0) || !Double.isFinite(depth) || !Double.isFinite(beta)) {
            return CommandSupport.badInput(err, "transformer", "--layers must be >= 0, --depth > 0 and --beta finite");
        }
        if (sinkhorn && causal) {
            return CommandSupport.badInput(err, "transformer", "--sinkhorn and --causal exclude each other");
        }
        try {
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
            stdout.printf(Locale.ROOT, "tokens          %s (%d tokens, dimension %d)%n", tokens, x.size(),
                    x.dimension());
            stdout.printf(Locale.ROOT, "attention       %s, beta = %s%s%s%n", sinkhorn ? "Sinkhorn (doubly stochastic)"
                    : "softmax", beta, causal ? ", causal" : "", sphere ? ", on the sphere" : "");
            stdout.printf(Locale.ROOT, "depth           %s by %s%n", depth, how);
            stdout.printf(Locale.ROOT, "clusters        %d -> %d (cosine >= %s)%n",
                    TokenDiagnostics.clusterCount(input, threshold), TokenDiagnostics.clusterCount(output, threshold),
                    threshold);
            stdout.printf(Locale.ROOT, "min cosine      %.6f -> %.6f%n", TokenDiagnostics.minPairwiseCosine(input),
                    TokenDiagnostics.minPairwiseCosine(output));
            stdout.printf(Locale.ROOT, "time            %.3f s%n", seconds);
            List<String> files = CommandSupport.savePicture(chart(input, output), picture);
            stdout.printf(Locale.ROOT, "picture         %s%n", String.join(", ", files));
            if (out != null) {
                PointCsv.write(out, output);
                stdout.printf(Locale.ROOT, "tokens written  %s%n", out);
            }
            stdout.flush();
            return 0;
        } catch (IOException e) {
            return CommandSupport.badInput(err, "transformer", "cannot write: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return CommandSupport.badInput(err, "transformer", e.getMessage());
        } catch (Exception e) {
            err.println("mflow transformer: the run failed: " + e.getMessage());
            return CommandSupport.FAILED;
        }
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
