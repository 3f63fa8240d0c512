package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.jko.EntropicJko;
import org.measureflow.gradientflow.jko.JkoEpsilon;
import org.measureflow.gradientflow.jko.JkoStepResult;
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
 * Wasserstein gradient flows (survey &sect;5): one entropic JKO step (eq. 13) and the particle interaction flow
 * (eq. 17).
 *
 * <ul>
 * <li>{@link Jko}: one step of {@link EntropicJko} on an {@code n x n} grid of \( [-4, 4]^2 \), from
 *     \( \mathcal N((0.5, -0.3), \mathrm{diag}(0.5, 0.8)) \) sampled on the cells, for the Fokker&ndash;Planck energy
 *     \( \int\rho\log\rho + \int |x|^2/2\,d\rho \) with \( \tau = 0.05 \) and the automatic
 *     \( \varepsilon = \max(2h^2, \tau) = \tau \), and for the porous medium \( \int\rho^2 \) with
 *     \( \varepsilon = 2h^2 \); tolerance \( 10^{-9} \) (L1, mass units). Each scaling iteration costs two separable
 *     Gaussian convolutions, \( O(n^2 R) \) with a kernel radius of \( R \) cells, plus one proximal solve per
 *     cell.</li>
 * <li>{@link Interaction}: the attraction&ndash;repulsion flow \( W(z) = |z|^2/2 - \log|z| \) on \( n \) samples of
 *     \( \mathcal N(0, I_2) \): one velocity evaluation (\( O(n^2 d) \), parallel over particles) and one RK4 step
 *     (four evaluations).</li>
 * </ul>
 */
public class GradientFlowBenchmark {
    private GradientFlowBenchmark() {
    }

    /** One entropic JKO step on an {@code n x n} grid. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    @Fork(value = 1, jvmArgsAppend = "-Xmx4g")
    public static class Jko {
        /** Cells per axis. */
        @Param({"256", "512"})
        public int n;

        /** The energy: {@code fokker-planck} (entropy + quadratic potential) or {@code porous} (m = 2). */
        @Param({"fokker-planck", "porous"})
        public String energy;

        private GridDensity rho;
        private GridEnergy f;
        private EntropicJko solver;

        /** Samples the initial density and configures the step. */
        @Setup
        public void setUp() {
            GridDensity.Grid grid = GridDensity.Grid.of2d(-4, 4, n, -4, 4, n);
            rho = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - 0.5) * (x[0] - 0.5) / 1.0
                    - (x[1] + 0.3) * (x[1] + 0.3) / 1.6)).normalised();
            solver = EntropicJko.of(0.05, JkoEpsilon.gridAdapted()).withTolerance(1e-9);
            if (energy.equals("porous")) {
                f = InternalEnergy.porousMedium(2);
            } else {
                f = InternalEnergy.entropy().plus(PotentialEnergy.of(Potential.isotropic(1, new double[2])));
            }
        }

        /** One JKO step; returns the report (iterations, marginal error). */
        @Benchmark
        public JkoStepResult step() {
            return solver.step(rho, f);
        }
    }

    /** The attraction&ndash;repulsion particle flow with {@code n} particles in 2-D. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public static class Interaction {
        /** Number of particles. */
        @Param({"1000", "10000"})
        public int n;

        private double[] points;
        private double[] velocities;
        private double[] state;
        private InteractionEnergy energy;
        private RungeKutta4 rk4;

        /** Samples the particles. */
        @Setup
        public void setUp() {
            points = GaussianMeasure.standard(2).sample(n, new SplittableRandom(1)).flatPoints();
            velocities = new double[2 * n];
            state = points.clone();
            energy = InteractionEnergy.attractionRepulsion();
            rk4 = RungeKutta4.of(0.01);
        }

        /** One evaluation of all velocities \( -\sum_j w_j \nabla W(x_i - x_j) \). */
        @Benchmark
        public double[] velocity() {
            energy.velocities(points, n, 2, null, velocities);
            return velocities;
        }

        /** One RK4 step of length 0.01 (four evaluations), in place from the current state. */
        @Benchmark
        public double[] rk4Step() {
            rk4.integrate(energy.field().system(n, 2, null), 0, state, 0.01);
            return state;
        }
    }
}
