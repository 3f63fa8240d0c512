package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.continuity.ContinuityResult;
import org.measureflow.core.continuity.ContinuitySolver;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.measure.GridDensity;
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
 * The continuity equation \( \partial_t \rho + \mathrm{div}(\rho v) = 0 \) (survey eq. 2) on an {@code n x n} grid
 * of \( [-2, 2]^2 \) by {@link ContinuitySolver} (MUSCL with the monotonized central limiter, upwind fluxes,
 * SSP-RK2, closed box), for {@code n} = 256 and 512, on all cores or on one ({@code parallel}). The density is the
 * Gaussian \( \mathcal N((-0.3, 0.2), [[0.09, 0.02], [0.02, 0.05]]) \) at the cell centres, the field the affine
 * \( v(x) = A x + b \), \( A = [[0.1, -0.8], [0.8, -0.3]] \), \( b = (0.2, -0.1) \) (the field of the solver's
 * Gaussian tests).
 * <ul>
 *   <li>{@link #step}: one checked step {@code solver.step(rho, v, 0, dt)} at 0.9 times the CFL bound: the two
 *   stages (a flux pass and an update pass each), the field at both stage times (two evaluations per face), the
 *   allocation of the work arrays, the scaling of the density in and out, and the new {@link GridDensity}.</li>
 *   <li>{@link #tenSteps}: {@code advect} over exactly ten steps at 0.9 times the bound: the steady cost of a step
 *   is this score / 10 (one field evaluation per face and step: the end-of-step velocities start the next step;
 *   the allocation and the copies are paid once per call).</li>
 * </ul>
 * Neither call modifies its input, so every call does the same work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ContinuityBenchmark {
    /** Steps of {@link #tenSteps}. */
    public static final int STEPS = 10;

    /** Cells per axis. */
    @Param({"256", "512"})
    public int n;

    /** Whether the passes run on all cores. */
    @Param({"true", "false"})
    public boolean parallel;

    private ContinuitySolver solver;
    private GridDensity rho;
    private LinearField field;
    private double dt;
    private double interval;

    /** Builds the density, the field, the step at 0.9 times the bound and the ten-step interval. */
    @Setup
    public void setUp() {
        field = LinearField.of(DMatrixRMaj.wrap(2, 2, new double[]{0.1, -0.8, 0.8, -0.3}), new double[]{0.2, -0.1});
        GridDensity.Grid grid = GridDensity.Grid.of2d(-2, 2, n, -2, 2, n);
        double[] m = {-0.3, 0.2};
        double a = 0.09;
        double b = 0.02;
        double c = 0.05;
        double det = a * c - b * b;
        rho = GridDensity.fromFunction(grid, x -> {
            double u = x[0] - m[0];
            double w = x[1] - m[1];
            return Math.exp(-0.5 * (c * u * u - 2 * b * u * w + a * w * w) / det);
        });
        solver = ContinuitySolver.withDefaults().withParallel(parallel);
        double bound = solver.cflBound(grid, field, 0);
        dt = solver.courantNumber() * bound;
        interval = STEPS * dt * (1 - 1e-12);
        long steps = solver.advect(rho, field, 0, interval).steps();
        if (steps != STEPS) {
            throw new IllegalStateException("expected " + STEPS + " steps, got " + steps);
        }
    }

    /** One checked step at 0.9 times the CFL bound; returns the new density. */
    @Benchmark
    public GridDensity step() {
        return solver.step(rho, field, 0, dt);
    }

    /** {@value #STEPS} steps of {@code advect}; returns the result. */
    @Benchmark
    public ContinuityResult tenSteps() {
        return solver.advect(rho, field, 0, interval);
    }
}
