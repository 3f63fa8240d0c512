package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.Property;
import org.measureflow.testing.Seeds;

/**
 * The multiscale solver with its truncated kernel ({@link SinkhornSolver.PointCloudKernel#MULTISCALE}) against the
 * full kernel on seeded random clouds. Small sizes of the coarsest level and of the full-kernel levels are passed
 * to the package-private entry so that a few hundred atoms already run several levels and the truncated kernel.
 */
class MultiscaleSinkhornTest {
    /** Both solves stop at this L1 marginal error, far below the agreement asked for. */
    private static final double TOLERANCE = 1e-11;

    /** Uniform or random weights (some zero), clouds of two Gaussian-like shapes, in dimension d. */
    private static ParticleMeasure cloud(SplittableRandom rng, int n, int d, double shift, boolean zeros) {
        double[] flat = new double[n * d];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = shift + (1 + (i % d)) * gaussian(rng);
        }
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = zeros && i % 7 == 3 ? 0 : 0.2 + rng.nextDouble();
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return ParticleMeasure.fromFlat(flat, d, w);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static SinkhornResult multiscale(SinkhornSolver solver, ParticleMeasure x, ParticleMeasure y,
            double eps) {
        // coarsest level of 64 atoms, full kernel only below 2000 pairs: several levels and the truncated kernel
        return solver.withEpsilon(eps).withPointCloudKernel(SinkhornSolver.PointCloudKernel.MULTISCALE)
                .withMultiscaleSizes(64, 2000).solve(x, y);
    }

    static java.util.stream.LongStream seeds() {
        return Seeds.of(12);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesTheFullKernelAndItsNeglectedMassBoundsTheDifference(long seed) {
        Property.check(seed, rng -> {
            int d = 1 + rng.nextInt(3);
            int n = 150 + rng.nextInt(250);
            int m = 150 + rng.nextInt(250);
            ParticleMeasure x = cloud(rng, n, d, 0, rng.nextBoolean());
            ParticleMeasure y = cloud(rng, m, d, 1, rng.nextBoolean());
            double range = LogDomainGibbsKernel.cloud(x, y, false).costScale();
            double eps = range * Math.pow(10, -3 + 3 * rng.nextDouble()); // 1e-3 to 1 times the cost's range
            SinkhornSolver solver = SinkhornSolver.of(eps).withTolerance(TOLERANCE)
                    .withPointCloudKernel(SinkhornSolver.PointCloudKernel.ONLINE);
            SinkhornResult full = solver.solve(x, y);
            SinkhornResult fast = multiscale(solver, x, y, eps);
            String where = "d=" + d + ", n=" + n + ", m=" + m + ", eps/R=" + eps / range;
            assertEquals(Termination.CONVERGED, full.convergence().termination(), where);
            assertEquals(Termination.CONVERGED, fast.convergence().termination(), where);
            // two solutions converged to 1e-11 agree to about 1e-11 relative: 1e-8 is the accuracy promised
            assertEquals(full.cost(), fast.cost(), 1e-8 * Math.abs(full.cost()), where);
            assertEquals(full.objective(), fast.objective(), 1e-8 * Math.abs(full.objective()), where);
            // potentials up to the constant shift (f + t, g - t) that leaves the plan unchanged
            assertClose(centred(full.f(), x.weights()), centred(fast.f(), x.weights()), range, where);
            assertClose(centred(full.g(), y.weights()), centred(fast.g(), y.weights()), range, where);
            // the reported error bounds the exact marginal error of the full plan of the returned potentials
            double exact = fullMarginalError(x, y, fast, eps);
            assertTrue(exact <= fast.error() * (1 + 1e-9) + 1e-15, where + ": full-plan error " + exact
                    + " above the reported " + fast.error() + " (neglected mass " + fast.neglectedMass() + ")");
        });
    }

    /** The potentials' spread is at most the cost's range: 1e-6 of it is the agreement asked for. */
    private static void assertClose(double[] expected, double[] actual, double range, String where) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-6 * range, where + ": potentials differ by " + worst + " (range " + range + ")");
    }

    private static double[] centred(double[] f, double[] a) {
        double mean = 0;
        for (int i = 0; i < f.length; i++) {
            mean += a[i] * f[i];
        }
        double[] out = f.clone();
        for (int i = 0; i < f.length; i++) {
            out[i] -= mean;
        }
        return out;
    }

    /** \( \|P\mathbf 1 - a\|_1 + \|P^\top \mathbf 1 - b\|_1 \) of the full plan, every entry computed. */
    private static double fullMarginalError(ParticleMeasure x, ParticleMeasure y, SinkhornResult r, double eps) {
        LogDomainGibbsKernel full = LogDomainGibbsKernel.of(x, y, false);
        double[] a = x.weights();
        double[] b = y.weights();
        double[] h = SinkhornSolver.hOf(r.f(), SinkhornSolver.logs(a), eps);
        double[] w = SinkhornSolver.hOf(r.g(), SinkhornSolver.logs(b), eps);
        double[] rows = new double[a.length];
        double[] cols = new double[b.length];
        full.statistics(h, w, eps, rows, cols);
        double error = 0;
        for (int i = 0; i < a.length; i++) {
            error += Math.abs(rows[i] - a[i]);
        }
        for (int j = 0; j < b.length; j++) {
            error += Math.abs(cols[j] - b[j]);
        }
        return error;
    }

    @Test
    void theTruncatedKernelGivesTheSameBitsInParallelAsSerially() {
        SplittableRandom rng = new SplittableRandom(7);
        ParticleMeasure x = cloud(rng, 1500, 2, 0, false);
        ParticleMeasure y = cloud(rng, 1200, 2, 1, true);
        double eps = 0.05;
        SinkhornSolver solver = SinkhornSolver.of(eps).withTolerance(1e-8);
        SinkhornResult parallel = multiscale(solver.withParallel(true), x, y, eps);
        SinkhornResult serial = multiscale(solver.withParallel(false), x, y, eps);
        assertArrayEquals(serial.f(), parallel.f());
        assertArrayEquals(serial.g(), parallel.g());
        assertEquals(serial.cost(), parallel.cost());
        assertEquals(serial.neglectedMass(), parallel.neglectedMass());
    }

    @Test
    void anyDimensionWorks() {
        SplittableRandom rng = new SplittableRandom(11);
        ParticleMeasure x = cloud(rng, 300, 5, 0, false);
        ParticleMeasure y = cloud(rng, 280, 5, 1, false);
        double range = LogDomainGibbsKernel.cloud(x, y, false).costScale();
        double eps = 1e-2 * range;
        SinkhornSolver solver = SinkhornSolver.of(eps).withTolerance(1e-10)
                .withPointCloudKernel(SinkhornSolver.PointCloudKernel.ONLINE);
        SinkhornResult full = solver.solve(x, y);
        SinkhornResult fast = multiscale(solver, x, y, eps);
        assertEquals(Termination.CONVERGED, fast.convergence().termination());
        // converged to 1e-10 both: the costs agree far within 1e-7 relative
        assertEquals(full.cost(), fast.cost(), 1e-7 * full.cost());
    }

    @Test
    void thePublicChoiceRunsTheMultiscaleSolverAndReportsItsNeglectedMass() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure x = cloud(rng, 1500, 2, 0, false);
        ParticleMeasure y = cloud(rng, 1500, 2, 1, false);
        double eps = 0.05;
        SinkhornResult fast = SinkhornSolver.of(eps).withTolerance(1e-8)
                .withPointCloudKernel(SinkhornSolver.PointCloudKernel.MULTISCALE).solve(x, y);
        assertEquals(Termination.CONVERGED, fast.convergence().termination());
        assertTrue(fast.neglectedMass() >= 0 && fast.neglectedMass() <= 1e-8,
                "neglected mass " + fast.neglectedMass() + " within the budget of 1e-2 times the tolerance");
        assertTrue(fast.toString().contains("neglected mass") || fast.neglectedMass() == 0, fast.toString());
        double exact = fullMarginalError(x, y, fast, eps);
        assertTrue(exact <= fast.error() * (1 + 1e-9) + 1e-15, "full-plan error " + exact + " vs " + fast.error());
    }

    @Test
    void aSourceOfCoincidentPointsSendsEveryAtomToTheWholeTarget() {
        // every source atom at z: the only coupling is a x b, so the cost is sum_j b_j |z - y_j|^2 exactly
        SplittableRandom rng = new SplittableRandom(13);
        double[] same = new double[2 * 1500];
        java.util.Arrays.fill(same, 0.25);
        ParticleMeasure x = ParticleMeasure.fromFlat(same, 2);
        ParticleMeasure y = cloud(rng, 1300, 2, 1, true);
        double exact = 0;
        for (int j = 0; j < y.size(); j++) {
            double d0 = 0.25 - y.coordinate(j, 0);
            double d1 = 0.25 - y.coordinate(j, 1);
            exact += y.weight(j) * (d0 * d0 + d1 * d1);
        }
        SinkhornResult r = multiscale(SinkhornSolver.of(0.01).withTolerance(1e-10), x, y, 0.01);
        assertEquals(Termination.CONVERGED, r.convergence().termination());
        // the plan is a x b up to the marginal error 1e-10, on costs of a few units
        assertEquals(exact, r.cost(), 1e-8 * exact);
    }

    @Test
    void theAutomaticChoiceFollowsTheHeapAndEpsilon() {
        long gigabyte = 1L << 30;
        assertEquals(SinkhornSolver.PointCloudKernel.STORED,
                SinkhornSolver.PointCloudKernel.choose(4000, 4000, 2, 100, 0.01, 6 * gigabyte));
        assertEquals(SinkhornSolver.PointCloudKernel.MULTISCALE,
                SinkhornSolver.PointCloudKernel.choose(100_000, 100_000, 2, 100, 0.01, 6 * gigabyte));
        assertEquals(SinkhornSolver.PointCloudKernel.MULTISCALE,
                SinkhornSolver.PointCloudKernel.choose(100_000, 100_000, 3, 100, 0.01, 6 * gigabyte));
        // the cells cut three coordinates at most: in 10 dimensions they cannot prune, so the online kernel
        assertEquals(SinkhornSolver.PointCloudKernel.ONLINE,
                SinkhornSolver.PointCloudKernel.choose(100_000, 100_000, 10, 100, 0.01, 6 * gigabyte));
        assertEquals(SinkhornSolver.PointCloudKernel.ONLINE,
                SinkhornSolver.PointCloudKernel.choose(100_000, 100_000, 2, 100, 10, 6 * gigabyte));
    }
}
