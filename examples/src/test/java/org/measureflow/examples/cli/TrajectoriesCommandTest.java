package org.measureflow.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.gradientflow.snapshots.SnapshotSeries;
import org.measureflow.gradientflow.snapshots.SnapshotTransitions;
import org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** {@code mflow trajectories} on seeded snapshot files, checked against the library, and its bad-input lines. */
class TrajectoriesCommandTest {
    /** Three snapshots of a drifting, contracting Gaussian cloud (200 cells each), written as CSV. */
    private static List<Path> snapshots(Path dir, int dimension) throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            double[] flat = new double[200 * dimension];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = 0.5 * k + Math.exp(-0.3 * k) * rng.nextGaussian();
            }
            Path file = dir.resolve("s" + k + ".csv");
            PointCsv.write(file, ParticleMeasure.fromFlat(flat, dimension));
            files.add(file);
        }
        return files;
    }

    @Test
    void printsTheLibrarysCouplingsAndWritesCloudsAndCoefficients(@TempDir Path dir) throws Exception {
        List<Path> s = snapshots(dir, 2);
        Path out = Files.createDirectory(dir.resolve("out"));
        Path coefficients = dir.resolve("potential.csv");
        FileCommandsTest.Run r = FileCommandsTest.run("trajectories", "--snapshot", s.get(0).toString(),
                "--snapshot", s.get(1).toString(), "--snapshot", s.get(2).toString(), "--times", "0,1,2",
                "--epsilon", "0.1", "--interpolate", "0.5", "--interpolate", "1.5", "--samples", "300",
                "--out-dir", out.toString(), "--potential-out", coefficients.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (Path f : s) {
            clouds.add(PointCsv.read(f, false));
        }
        SnapshotTransitionsResult lib = SnapshotTransitions.of(SinkhornSolver.of(0.1).withTolerance(1e-6))
                .fit(SnapshotSeries.of(new double[] {0, 1, 2}, clouds));
        Matcher m = Pattern.compile("interval 1 .*cost (\\S+),").matcher(r.out());
        assertTrue(m.find(), r.out());
        double cost = lib.couplings().get(1).cost();
        // printed with 6 significant digits
        assertEquals(cost, Double.parseDouble(m.group(1)), 1e-5 * cost, r.out());
        assertEquals(300, PointCsv.read(out.resolve("interpolated-1.csv"), false).size());
        assertEquals(300, PointCsv.read(out.resolve("interpolated-2.csv"), false).size());
        List<String> lines = Files.readAllLines(coefficients);
        // a header, then one line per term of the library's degree-2 basis in 2 dimensions
        assertEquals(1 + org.measureflow.gradientflow.snapshots.PotentialBasis.polynomial(2, 2).size(), lines.size(),
                lines.toString());
        assertEquals("term,coefficient", lines.get(0));
    }

    @Test
    void badSnapshotsGiveOneLinePerProblemAndStatusTwo(@TempDir Path dir) throws Exception {
        List<Path> two = snapshots(dir, 2);
        Path threeD = snapshots(Files.createDirectory(dir.resolve("three")), 3).get(0);
        FileCommandsTest.Run r = FileCommandsTest.run("trajectories", "--snapshot", two.get(0).toString(),
                "--snapshot", threeD.toString(), "--times", "1,0,3", "--quiet");
        assertEquals(2, r.status(), r.err());
        // two problems with the options: three times for two files, and times not increasing
        assertEquals(2, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--times lists 3"), r.err());
        assertTrue(r.err().contains("strictly increasing"), r.err());

        FileCommandsTest.Run dims = FileCommandsTest.run("trajectories", "--snapshot", two.get(0).toString(),
                "--snapshot", threeD.toString(), "--times", "0,1", "--quiet");
        assertEquals(2, dims.status(), dims.err());
        assertTrue(dims.err().contains("dimension 3"), dims.err());
        assertEquals(1, dims.err().strip().lines().count(), dims.err());

        FileCommandsTest.Run one = FileCommandsTest.run("trajectories", "--snapshot", two.get(0).toString(),
                "--times", "0", "--quiet");
        assertEquals(2, one.status(), one.err());
        assertTrue(one.err().contains("at least two"), one.err());
        assertTrue(one.err().lines().allMatch(l -> l.startsWith("mflow trajectories: ")), one.err());
    }
}
