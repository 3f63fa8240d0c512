package org.measureflow.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.Mflow;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

import picocli.CommandLine;

/** The file commands on small CSV files under {@code src/test/resources/cli}, checked against the library. */
class FileCommandsTest {
    /** Exit status, standard output and standard error of one run. */
    record Run(int status, String out, String err) {
    }

    static Path resource(String name) throws Exception {
        return Paths.get(FileCommandsTest.class.getResource("/cli/" + name).toURI());
    }

    static Run run(String... args) {
        return run(Mflow.commandLine(), args);
    }

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static double number(String text, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+([-+0-9.eE]+)").matcher(text);
        assertTrue(m.find(), "no '" + label + "' in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void exactOtPrintsTheNetworkSimplexCost() throws Exception {
        Run r = run("ot", "--source", resource("a.csv").toString(), "--target", resource("b.csv").toString(),
                "--weighted", "--quiet");
        assertEquals(0, r.status(), r.err());
        ParticleMeasure a = PointCsv.read(resource("a.csv"), false);
        ParticleMeasure b = PointCsv.read(resource("b.csv"), true);
        double expected = NetworkSimplex.withDefaults().solve(a, b).cost();
        // Printed with 12 significant digits.
        assertEquals(expected, number(r.out(), "cost <C, P>"), 1e-11 * Math.abs(expected));
        assertTrue(number(r.out(), "marginal error") < 1e-12);
    }

    @Test
    void otWritesThePlanAsNumpyDenseAndSparse(@TempDir Path dir) throws Exception {
        ParticleMeasure a = PointCsv.read(resource("a.csv"), false);
        ParticleMeasure b = PointCsv.read(resource("b.csv"), true);
        double[] expected = NetworkSimplex.withDefaults().solve(a, b).plan().toDense();
        Path dense = dir.resolve("plan.npy");
        Run r = run("ot", "--source", resource("a.csv").toString(), "--target", resource("b.csv").toString(),
                "--weighted", "--quiet", "--plan", dense.toString());
        assertEquals(0, r.status(), r.err());
        org.measureflow.core.io.NpyArray read = org.measureflow.core.io.Npy.read(dense);
        assertEquals(a.size(), read.rows());
        assertEquals(b.size(), read.cols());
        // the same solver on the same files: the same plan to the last bit
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, read.data(), 0.0);
        Path sparse = dir.resolve("plan.npz");
        r = run("ot", "--source", resource("a.csv").toString(), "--target", resource("b.csv").toString(),
                "--weighted", "--quiet", "--plan", sparse.toString());
        assertEquals(0, r.status(), r.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected,
                org.measureflow.core.io.DataFiles.readSparseTriples(sparse).toDense(), 0.0);
    }

    @Test
    void otDrawsThePlanOfTwoDimensionalClouds(@TempDir Path dir) throws Exception {
        Path picture = dir.resolve("plan.png");
        Run r = run("ot", "--source", resource("a.csv").toString(), "--target", resource("cloud.csv").toString(),
                "--picture", picture.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.size(picture) > 1000 && Files.exists(dir.resolve("plan.svg")), r.out());
        Run threeD = run("ot", "--source", resource("three-d.csv").toString(), "--target",
                resource("three-d.csv").toString(), "--picture", picture.toString());
        assertEquals(2, threeD.status());
        assertTrue(threeD.err().contains("--picture needs 2-D points"), threeD.err());
    }

    @Test
    void sinkhornJsonAndPlanMatchTheSolver(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.csv");
        Run r = run("ot", "--source", resource("a.csv").toString(), "--target", resource("b-header.csv").toString(),
                "--epsilon", "0.5", "--json", "--plan", plan.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        ParticleMeasure a = PointCsv.read(resource("a.csv"), false);
        ParticleMeasure b = PointCsv.read(resource("b-header.csv"), false);
        assertFalse(b.isUniform(), "the 'Weight' header column holds weights");
        SinkhornResult s = SinkhornSolver.of(0.5).withTolerance(1e-9).solve(a, b);
        // JSON prints the double exactly (Double.toString), and the run is deterministic.
        assertEquals(s.cost(), number(r.out(), "\"cost\":"), 0.0);
        assertEquals(s.iterations(), (int) number(r.out(), "\"iterations\":"));
        List<String> lines = Files.readAllLines(plan);
        assertEquals("i,j,mass", lines.get(0));
        double[] rows = new double[a.size()];
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows[Integer.parseInt(f[0])] += Double.parseDouble(f[2]);
        }
        for (int i = 0; i < rows.length; i++) {
            // Sinkhorn stopped at an L1 marginal error of 1e-9; dropped entries are below 1e-12 of the maximum.
            assertEquals(a.weight(i), rows[i], 1e-9);
        }
    }

    @Test
    void largeCloudsTakeTheMultiscaleKernelAndReportItsNeglectedMass(@TempDir Path dir) throws Exception {
        // 3000 x 3000 points: the automatic choice would store the matrices here (the test JVM's heap is large
        // enough), so the path is forced; the answer must be the online kernel's to the agreement of two runs
        // converged to 1e-9 (the multiscale solver is checked against the full kernel in the ot module)
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        Path xs = dir.resolve("x.csv");
        Path ys = dir.resolve("y.csv");
        StringBuilder sx = new StringBuilder();
        StringBuilder sy = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            sx.append(rng.nextDouble() * 3).append(',').append(rng.nextDouble() * 2).append('\n');
            sy.append(1 + rng.nextDouble() * 2).append(',').append(rng.nextDouble() * 3).append('\n');
        }
        Files.writeString(xs, sx);
        Files.writeString(ys, sy);
        Run r = run("ot", "--source", xs.toString(), "--target", ys.toString(), "--epsilon", "0.02", "--json",
                "--quiet", "--kernel", "multiscale");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"kernel\": \"multiscale\""), r.out());
        assertTrue(r.out().contains("\"converged\": true"), r.out());
        double neglected = number(r.out(), "\"neglected_mass\":");
        assertTrue(neglected >= 0 && neglected <= 1e-11, "neglected mass within 1e-2 of the tolerance 1e-9: " + r.out());
        SinkhornResult full = SinkhornSolver.of(0.02).withTolerance(1e-9)
                .withPointCloudKernel(SinkhornSolver.PointCloudKernel.STORED)
                .solve(PointCsv.read(xs, false), PointCsv.read(ys, false));
        assertEquals(full.cost(), number(r.out(), "\"cost\":"), 1e-7 * full.cost());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ragged.csv|ragged.csv:4: 1 value, expected 2 (as in the header",
            "not-a-number.csv|not-a-number.csv:2: 'abc' is not a decimal number (column 2)",
            "empty.csv|empty.csv: no points",
            "header-only.csv|header-only.csv: no points",
            "negative-weight.csv|negative-weight.csv:3: the weight -0.5 is not a finite number >= 0",
            "three-d.csv|has points of dimension 2 but",
    })
    void malformedInputGivesOneLineAndExitStatusTwo(String file, String message) throws Exception {
        Run r = run("ot", "--source", resource(file).toString(), "--target", resource("a.csv").toString(), "--quiet");
        assertEquals(2, r.status());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().startsWith("mflow ot: "));
    }

    @Test
    void missingFilesAndBadOptionsAreUsageErrors() throws Exception {
        Run missing = run("ot", "--source", "no/such/file.csv", "--target", resource("a.csv").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no/such/file.csv: no such file"), missing.err());
        Run eps = run("ot", "--source", resource("a.csv").toString(), "--target", resource("a.csv").toString(),
                "--epsilon", "-1");
        assertEquals(2, eps.status());
        assertTrue(eps.err().contains("--epsilon must be"), eps.err());
        Run coupling = run("flowmatch", "--data", resource("cloud.csv").toString(), "--out", "x.csv",
                "--coupling", "magic");
        assertEquals(2, coupling.status());
        assertTrue(coupling.err().contains("--coupling must be"), coupling.err());
    }

    @Test
    void validInputNeverLosesARow() throws Exception {
        assertEquals(12, PointCsv.read(resource("a.csv"), false).size());
        assertEquals(10, PointCsv.read(resource("b.csv"), true).size());
        assertEquals(3, PointCsv.read(resource("b.csv"), false).dimension());
        assertEquals(1000, PointCsv.read(Paths.get("data/moons.csv"), false).size());
    }

    @Test
    void flowmatchWritesSamplesAndPrintsTheirDivergenceToHeldOutData(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("samples.csv");
        Run r = run("flowmatch", "--data", resource("cloud.csv").toString(), "--samples", "150", "--out",
                out.toString(), "--epochs", "40", "--batch", "64", "--seed", "3", "--quiet");
        assertEquals(0, r.status(), r.err());
        ParticleMeasure samples = PointCsv.read(out, false);
        assertEquals(150, samples.size());
        // Recompute the held-out part with the command's seeded split and the divergence with the library.
        ParticleMeasure data = PointCsv.read(resource("cloud.csv"), false);
        int[] perm = FlowMatchCommand.shuffled(data.size(), 3);
        int held = (int) Math.round(0.2 * data.size());
        double[] flat = new double[held * 2];
        double var = 0;
        for (int i = 0; i < held; i++) {
            flat[2 * i] = data.coordinate(perm[i], 0);
            flat[2 * i + 1] = data.coordinate(perm[i], 1);
        }
        for (int c = 0; c < 2; c++) {
            var += data.covariance().get(c, c) / 2;
        }
        double expected = SinkhornDivergence.of(SinkhornSolver.of(0.05 * var).withTolerance(1e-7)).value(samples,
                ParticleMeasure.fromFlat(flat, 2));
        // The samples file holds the doubles in full; the printout has 6 significant digits.
        assertEquals(expected, number(r.out(), "(eps = " + String.format(java.util.Locale.ROOT, "%.4g", 0.05 * var)
                + ")"), 1e-5 * Math.abs(expected) + 1e-9);
        // Samples land on the data's cloud, centred at (3, -1).
        assertEquals(3, samples.mean()[0], 0.3);
        assertEquals(-1, samples.mean()[1], 0.3);
    }

    @Test
    void gradientflowPrintsTheLibrarysParticleFlow(@TempDir Path dir) throws Exception {
        Path picture = dir.resolve("gf.png");
        Run r = run("gradientflow", "--points", resource("cloud.csv").toString(), "--interaction", "quadratic",
                "--confinement", "0.5", "--time", "1", "--step", "0.1", "--picture", picture.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.size(picture) > 1000, "picture written");
        ParticleMeasure x = PointCsv.read(resource("cloud.csv"), false);
        org.measureflow.gradientflow.energy.ParticleEnergy energy =
                org.measureflow.gradientflow.energy.ParticleEnergy.sum(
                        org.measureflow.gradientflow.energy.PotentialEnergy.of(
                                org.measureflow.gradientflow.energy.Potential.isotropic(0.5, new double[2])),
                        org.measureflow.gradientflow.energy.InteractionEnergy.quadratic());
        ParticleMeasure end = org.measureflow.gradientflow.particles.ParticleGradientFlow.flow(x, energy,
                org.measureflow.core.ode.RungeKutta4.of(0.1), 0, 1).measure();
        double second = org.measureflow.gradientflow.diagnostics.FlowDiagnostics.of(end, energy, null).secondMoment();
        Matcher m = Pattern.compile("second moment\\s+\\S+ -> (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        // Printed with 8 significant digits.
        assertEquals(second, Double.parseDouble(m.group(1)), 1e-7 * second);
    }

    @Test
    void transformerPrintsTheLibrarysClusteringNumbers(@TempDir Path dir) throws Exception {
        Path picture = dir.resolve("tr.png");
        Run r = run("transformer", "--tokens", Paths.get("data/tokens.csv").toString(), "--sphere", "--depth", "3",
                "--layers", "30", "--picture", picture.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        ParticleMeasure x = org.measureflow.transformer.sphere.Sphere.normalise(
                PointCsv.read(Paths.get("data/tokens.csv"), false));
        ParticleMeasure y = org.measureflow.transformer.dynamics.DiscreteTransformer.of(
                org.measureflow.transformer.attention.AttentionField.of(
                        org.measureflow.transformer.attention.AttentionHead.identity(3, 1))
                        .withSphereProjection(true), 30)
                .withDepth(3).withRenormalisation(true).apply(x);
        Matcher m = Pattern.compile("min cosine\\s+\\S+ -> (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        // Printed with 6 decimals.
        assertEquals(org.measureflow.transformer.diagnostics.TokenDiagnostics.minPairwiseCosine(y),
                Double.parseDouble(m.group(1)), 1e-6);
    }

    @Test
    void gradientflowAndTransformerRejectMalformedInputInOneLine() throws Exception {
        Run threeD = run("gradientflow", "--points", resource("three-d.csv").toString(), "--confinement", "1");
        assertEquals(2, threeD.status());
        assertTrue(threeD.err().contains("dimension 3"), threeD.err());
        Run nothing = run("gradientflow", "--points", resource("a.csv").toString());
        assertEquals(2, nothing.status());
        assertTrue(nothing.err().contains("nothing to flow"), nothing.err());
        Run ragged = run("transformer", "--tokens", resource("ragged.csv").toString());
        assertEquals(2, ragged.status());
        assertTrue(ragged.err().contains("ragged.csv:4:"), ragged.err());
        assertEquals(1, ragged.err().strip().lines().count());
    }
}
