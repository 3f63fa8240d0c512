package org.measureflow.benchmarks;

import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.GridDensity;
import org.measureflow.ot.dynamic.BenamouBrenier;
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
 * Dynamic OT (survey eq. 11, \( \min \int_0^1\!\int |m|^2/\rho \) under the continuity equation) by
 * {@link BenamouBrenier}: a fixed number of 500 Douglas&ndash;Rachford iterations (no early stop: tolerance
 * \( 10^{-300} \)), so the time per iteration is the time divided by 500. Two grids: 1-D with 64 cells and 64 time
 * steps (Gaussians \( \mathcal N(0.35, 0.05^2) \to \mathcal N(0.65, 0.07^2) \) on [0, 1]), and 2-D with 32 x 32
 * cells and 16 time steps (a Gaussian bump of sd 0.08 translated from (0.35, 0.4) to (0.6, 0.55)).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class BenamouBrenierBenchmark {
    /** Iterations per solve. */
    public static final int ITERATIONS = 500;

    /** The grid: {@code 1d-64x64} or {@code 2d-32x32x16}. */
    @Param({"1d-64x64", "2d-32x32x16"})
    public String grid;

    private GridDensity rho0;
    private GridDensity rho1;
    private int steps;
    private BenamouBrenier solver;

    /** Builds the densities. */
    @Setup
    public void setUp() {
        if (grid.startsWith("1d")) {
            GridDensity.Grid g = GridDensity.Grid.of1d(0, 1, 64);
            rho0 = GridDensity.fromFunction(g, x -> Math.exp(-0.5 * Math.pow((x[0] - 0.35) / 0.05, 2)));
            rho1 = GridDensity.fromFunction(g, x -> Math.exp(-0.5 * Math.pow((x[0] - 0.65) / 0.07, 2)));
            steps = 64;
        } else {
            GridDensity.Grid g = GridDensity.Grid.of2d(0, 1, 32, 0, 1, 32);
            rho0 = GridDensity.fromFunction(g,
                    x -> Math.exp(-(Math.pow(x[0] - 0.35, 2) + Math.pow(x[1] - 0.4, 2)) / (2 * 0.0064)));
            rho1 = GridDensity.fromFunction(g,
                    x -> Math.exp(-(Math.pow(x[0] - 0.6, 2) + Math.pow(x[1] - 0.55, 2)) / (2 * 0.0064)));
            steps = 16;
        }
        solver = BenamouBrenier.of(steps).withMaxIterations(ITERATIONS).withTolerance(1e-300);
    }

    /** {@value #ITERATIONS} iterations; returns the kinetic energy. */
    @Benchmark
    public double fixedIterations() {
        return solver.solve(rho0, rho1).kineticEnergy();
    }
}
