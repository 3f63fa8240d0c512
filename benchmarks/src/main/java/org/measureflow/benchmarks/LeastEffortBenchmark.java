package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.velocity.DacorognaMoser;
import org.measureflow.core.velocity.LeastEffort;
import org.measureflow.core.velocity.LeastEffortResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Velocity reconstruction on an n x n grid of [-6, 6]^2 (survey eqs. 3&ndash;6): the density of an anisotropic
 * Gaussian \( \mathcal N(m, S) \), \( m = (0.3, -0.2) \), \( S = [[1, 0.15], [0.15, 0.25]] \) (sd 1 and 0.5), and its
 * exact rate for \( \dot m = (0.5, 0.2) \), \( \dot S = [[0.4, 0.1], [0.1, -0.2]] \).
 *
 * <ul>
 * <li>{@code leastEffort}: one {@link LeastEffort} solve with the defaults (relative residual 1e-10, density floor
 *     1e-8): preconditioned conjugate gradients, each iteration one weighted stencil and one DCT Poisson solve. The
 *     iteration count is printed by the setup.</li>
 * <li>{@code dacorognaMoser}: one {@link DacorognaMoser} solve (one DCT Poisson solve and a division), for scale.</li>
 * </ul>
 * {@code parallel=false} runs the conjugate-gradient loops on one thread (the Poisson solver's transforms stay
 * chunked); the bits are the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeastEffortBenchmark {
    /** Cells per axis. */
    @Param({"128", "256"})
    public int n;

    /** Whether the conjugate-gradient loops may run in parallel chunks. */
    @Param({"true", "false"})
    public boolean parallel;

    private GridDensity rho;
    private double[] rate;
    private LeastEffort leastEffort;

    /** Builds the density and its rate; prints one solve's result (iterations, residual). */
    @Setup
    public void setUp() {
        GridDensity.Grid grid = GridDensity.Grid.of2d(-6, 6, n, -6, 6, n);
        double[][] inverse = inverse(new double[][]{{1, 0.15}, {0.15, 0.25}});
        double[] m = {0.3, -0.2};
        double[] mDot = {0.5, 0.2};
        double[][] sDot = {{0.4, 0.1}, {0.1, -0.2}};
        double[] centres = grid.cellCentres();
        double[] density = new double[grid.size()];
        rate = new double[grid.size()];
        double trace = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                trace += inverse[i][j] * sDot[j][i];
            }
        }
        for (int c = 0; c < density.length; c++) {
            double[] z = {centres[2 * c] - m[0], centres[2 * c + 1] - m[1]};
            double[] w = {inverse[0][0] * z[0] + inverse[0][1] * z[1], inverse[1][0] * z[0] + inverse[1][1] * z[1]};
            double quadratic = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    quadratic += w[i] * sDot[i][j] * w[j];
                }
            }
            density[c] = Math.exp(-0.5 * (z[0] * w[0] + z[1] * w[1]));
            rate[c] = density[c] * (w[0] * mDot[0] + w[1] * mDot[1] + 0.5 * quadratic - 0.5 * trace);
        }
        rho = GridDensity.of(grid, density);
        leastEffort = LeastEffort.withDefaults().withParallel(parallel);
        LeastEffortResult result = leastEffort.solve(rho, rate);
        System.out.println("n=" + n + ", parallel=" + parallel + ": " + result);
    }

    private static double[][] inverse(double[][] s) {
        double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
        return new double[][]{{s[1][1] / det, -s[0][1] / det}, {-s[1][0] / det, s[0][0] / det}};
    }

    /** One least-effort solve; returns the kinetic energy. */
    @Benchmark
    public double leastEffort() {
        return leastEffort.solve(rho, rate).kineticEnergy();
    }

    /** One Dacorogna-Moser solve; returns the kinetic energy. */
    @Benchmark
    public double dacorognaMoser() {
        return DacorognaMoser.withDefaults().solve(rho, rate).kineticEnergy();
    }
}
