package org.measureflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.gradientflow.snapshots.SnapshotSeries;
import org.measureflow.gradientflow.snapshots.SnapshotTransitions;
import org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult;
import org.measureflow.ot.Epsilon;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Single-shot timing of issue 18's transitions: 5 snapshots of \( n \) cells in \( d = 10 \) dimensions at times
 * 0, 1, 2, 3, 4, drawn from \( \mathcal N(0.5\,t\,e_1, (1 + 0.1 t) I) \) with masses \( 1.2^t \); epsilon 0.05 times
 * the mean squared distance between consecutive snapshots, tolerance \( 10^{-6} \) (and the solver's other
 * defaults). Each interval is fitted as its own two-snapshot series so that its time can be read; a line per
 * interval gives the wall time, the iterations and the convergence, for balanced transitions and for transitions
 * with the source relaxed by \( \rho \) = the mean squared distance (the target exact, no growth refinement: one
 * solve per interval). Then one {@code interpolate} of \( n \) points and one {@code descendants} over the 4
 * intervals are timed. A plain main, not JMH (one run; JIT warm-up included).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.measureflow.benchmarks.SnapshotTransitionsTiming [n [balanced|unbalanced|both|online]]
 * </pre>
 * ({@code online}: balanced only, on the {@link SinkhornSolver.PointCloudKernel#ONLINE} kernel, which in 10-D is
 * faster than the automatic choice of {@link SinkhornSolver.PointCloudKernel#MULTISCALE}.)
 */
public final class SnapshotTransitionsTiming {
    private SnapshotTransitionsTiming() {
    }

    /**
     * Entry point.
     *
     * @param args the number of cells per snapshot (default 10000), and which transitions (default both)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String which = args.length > 1 ? args[1] : "both";
        int d = 10;
        int snapshots = 5;
        SplittableRandom rng = new SplittableRandom(2026);
        double[] times = new double[snapshots];
        double[] masses = new double[snapshots];
        List<ParticleMeasure> clouds = new ArrayList<>();
        for (int k = 0; k < snapshots; k++) {
            times[k] = k;
            masses[k] = Math.pow(1.2, k);
            double sd = Math.sqrt(1 + 0.1 * k);
            double[] flat = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    flat[i * d + c] = (c == 0 ? 0.5 * k : 0) + sd * rng.nextGaussian();
                }
            }
            clouds.add(ParticleMeasure.fromFlat(flat, d));
        }
        SnapshotSeries series = SnapshotSeries.of(times, clouds, masses);
        // mean squared distance between N(m1, s1 I) and N(m2, s2 I) in d dimensions: d (s1 + s2) + |m1 - m2|^2
        double meanCost = d * (2 + 0.1) + 0.25;
        SinkhornSolver solver = SinkhornSolver.of(Epsilon.relativeToMeanCost(0.05)).withTolerance(1e-6);
        List<SnapshotTransitions> configurations = new ArrayList<>();
        if (which.equals("online")) {
            // the balanced solve on the online log-domain kernel instead of the automatic choice (multiscale here)
            configurations.add(SnapshotTransitions.of(solver.withPointCloudKernel(
                    SinkhornSolver.PointCloudKernel.ONLINE)));
        } else if (!which.equals("unbalanced")) {
            configurations.add(SnapshotTransitions.of(solver));
        }
        if (which.equals("unbalanced") || which.equals("both")) {
            configurations.add(SnapshotTransitions.of(solver).withMarginalRelaxation(meanCost)
                    .withGrowthRefinements(0));
        }
        System.out.println("n=" + n + ", d=" + d + ", " + snapshots + " snapshots, cores="
                + Runtime.getRuntime().availableProcessors() + ", max heap=" + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB");
        for (SnapshotTransitions transitions : configurations) {
            System.out.println(transitions + (which.equals("online") ? " (ONLINE kernel)" : ""));
            for (int k = 0; k + 1 < snapshots; k++) {
                SnapshotSeries pair = SnapshotSeries.of(new double[] {times[k], times[k + 1]},
                        List.of(clouds.get(k), clouds.get(k + 1)), new double[] {masses[k], masses[k + 1]});
                long start = System.nanoTime();
                SnapshotTransitionsResult fit = transitions.fit(pair);
                double seconds = (System.nanoTime() - start) * 1e-9;
                // the unbalanced solver always runs the online log domain on point clouds
                System.out.printf("  interval %d: %.1f s, %s, kernel %s%n", k, seconds, fit.convergence(),
                        transitions.marginalRelaxation() == Double.POSITIVE_INFINITY
                                ? transitions.sinkhorn().pointCloudKernelFor(clouds.get(k), clouds.get(k + 1))
                                : "ONLINE (unbalanced)");
            }
        }
        SnapshotTransitions last = configurations.get(configurations.size() - 1);
        long start = System.nanoTime();
        SnapshotTransitionsResult all = last.fit(series);
        System.out.printf("whole series (%s): %.1f s, %s%n", last, (System.nanoTime() - start) * 1e-9,
                all.convergence());
        start = System.nanoTime();
        ParticleMeasure middle = all.interpolate(0.5, n, new SplittableRandom(1));
        System.out.printf("interpolate(0.5, %d): %.1f s, mean[0] = %.4f%n", n, (System.nanoTime() - start) * 1e-9,
                middle.mean()[0]);
        double[] followed = series.snapshot(0).weights();
        start = System.nanoTime();
        double[] late = all.descendants(0, followed, snapshots - 1);
        double total = 0;
        for (double v : late) {
            total += v;
        }
        System.out.printf("descendants(0 -> %d): %.1f s, total %.4f%n", snapshots - 1,
                (System.nanoTime() - start) * 1e-9, total);
    }
}
