package org.measureflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;

/**
 * The epsilon sweep of issue 14 as a Markdown table: iterations (and the wall time of one run) of balanced Sinkhorn
 * on its three paths (stored kernel, log domain, point clouds) and of unbalanced Sinkhorn (\( \rho = R \), target
 * mass 1.5; stored kernel and point clouds), all with their default settings (tolerance \( 10^{-9} \), at most
 * 10,000 iterations), for \( \varepsilon = 10^{-4}, \dots, 10 \) times the cost's range \( R = \max_{ij} C_{ij} \),
 * on the benchmarks' clouds ({@link WriteInstances#sample}: \( n \) samples of \( \mathcal N(0, I_2) \) and of
 * \( \mathcal N((1,1), \mathrm{diag}(2, 0.5)) \), squared Euclidean cost). A cell reads {@code iterations (seconds)},
 * with {@code NOT} when the run did not converge. Above 1000 points only the stored-kernel paths run (the other
 * paths take one exponential per entry and iteration: minutes per row). Uses only the public API, so the same class
 * measures older versions of the library.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.measureflow.benchmarks.EpsilonSweep [n ...]
 * </pre>
 * (default sizes 300 1000 4000).
 */
public final class EpsilonSweep {
    /** The regularisations, as multiples of the cost's range. */
    static final double[] RATIOS = {1e-4, 2e-4, 5e-4, 1e-3, 1e-2, 1e-1, 1, 10};
    /** The total mass of the unbalanced target. */
    static final double TARGET_MASS = 1.5;

    private EpsilonSweep() {
    }

    /**
     * Entry point: prints one table per size.
     *
     * @param args the sizes (default 300 1000 4000)
     */
    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(300, 1000, 4000);
        }
        for (int n : sizes) {
            table(n);
        }
    }

    private static void table(int n) {
        ParticleMeasure x = WriteInstances.sample(n, true);
        ParticleMeasure y = WriteInstances.sample(n, false);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double range = c.maxAbs();
        boolean all = n <= 1000;
        String[] paths = all
                ? new String[] {"stored kernel", "log domain", "point clouds", "unbalanced, stored kernel",
                    "unbalanced, point clouds"}
                : new String[] {"stored kernel", "unbalanced, stored kernel"};
        System.out.printf(Locale.ROOT, "%nn = m = %d, R = %.6g%n%n| eps / R |", n, range);
        for (String p : paths) {
            System.out.print(" " + p + " |");
        }
        System.out.print("\n|---:|");
        for (int k = 0; k < paths.length; k++) {
            System.out.print("---:|");
        }
        System.out.println();
        double[] b15 = y.weights();
        for (int j = 0; j < n; j++) {
            b15[j] *= TARGET_MASS;
        }
        for (double ratio : RATIOS) {
            double eps = ratio * range;
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.0e |", ratio));
            for (String p : paths) {
                long start = System.nanoTime();
                SinkhornSolver balanced = SinkhornSolver.of(eps);
                UnbalancedSinkhorn unbalanced = UnbalancedSinkhorn.of(eps, range);
                SinkhornResult r = switch (p) {
                    case "stored kernel" -> balanced.solve(x.weights(), y.weights(), c);
                    case "log domain" -> balanced.withLogDomain(true).solve(x.weights(), y.weights(), c);
                    case "point clouds" -> balanced.solve(x, y);
                    case "unbalanced, stored kernel" -> unbalanced.solve(x.weights(), b15, c);
                    default -> unbalanced.solve(x, 1.0, y, TARGET_MASS);
                };
                double seconds = (System.nanoTime() - start) / 1e9;
                row.append(String.format(Locale.ROOT, " %d%s (%.2f s) |", r.iterations(),
                        r.converged() ? "" : " NOT, error " + String.format(Locale.ROOT, "%.1e", r.error()), seconds));
            }
            System.out.println(row);
        }
    }
}
