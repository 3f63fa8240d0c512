package org.measureflow.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.ApiFuzz.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.continuity.Boundary;
import org.measureflow.core.continuity.ContinuitySolver;
import org.measureflow.core.continuity.SlopeLimiter;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.field.LinearField;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.NpyArray;
import org.measureflow.core.io.SavedArrays;
import org.measureflow.core.linalg.MatrixFunctions;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.core.measure.ToyDistributions;
import org.measureflow.core.ode.Diffusion;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.core.ode.Euler;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.Heun;
import org.measureflow.core.ode.OdeIntegrator;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.core.ode.TrajectoryRecorder;
import org.measureflow.core.velocity.DacorognaMoser;
import org.measureflow.core.velocity.DensityPath;
import org.measureflow.core.velocity.LeastEffort;
import org.measureflow.core.velocity.LeastEffortPathResult;
import org.measureflow.core.velocity.PathField;
import org.measureflow.testing.ApiFuzz;
import org.measureflow.testing.Hostile;

/**
 * The seeded API fuzz test of {@code core} (issue 14): every public entry point of the measures, the SPD and matrix
 * functions, the linear field and the ODE/SDE integrators is called many times with {@link Hostile} inputs; each
 * call must throw an {@link IllegalArgumentException} naming an argument or return finite numbers
 * ({@link ApiFuzz}). The integrators may also end in their documented {@link IllegalStateException} (an overflowing
 * state or an underflowing step: the run cannot go on, see {@code org.measureflow.core.ode}).
 */
class CoreApiFuzzTest {
    /** Calls per entry point: enough for every hostile kind to meet every argument several times. */
    private static final int CALLS = 300;

    /** Arguments of the velocity reconstruction and of the grids and densities it is given. */
    private static final String VELOCITY = "grid, rho, derivative, u, lo, hi, cells, values, tolerance, "
            + "maxIterations, densityFloor, times, densities, derivatives, fields, components, potential, field, t, "
            + "factor, other, path";

    /** A field that is finite wherever its point is: v(x) = (x_0 / 2, 0, ...). */
    private static final org.measureflow.core.field.VectorField LINEAR = (t, x, xo, out, oo) -> out[oo] = 0.5 * x[xo];

    /** Arguments named by the measures' own factories when a drawn cloud or Gaussian is rejected. */
    private static final String MEASURES = "points, flat, d, weights, mean, covariance, lo, hi, cells, values";

    /** Where the calls that write files write them (removed by JUnit after the test). */
    @TempDir
    static Path scratch;

    @Test
    void everyEntryPointRejectsHostileInputByNameOrReturnsFiniteNumbers() {
        ApiFuzz.Summary summary = ApiFuzz.check(CALLS, List.of(
                entry("ParticleMeasure.fromFlat", "flat, d, weights, points",
                        h -> ParticleMeasure.fromFlat(h.numbers(6), h.size(3), h.weights(3))),
                entry("ParticleMeasure.fromFlatNormalised", "flat, d, weights, points",
                        h -> ParticleMeasure.fromFlatNormalised(h.numbers(6), h.size(3),
                                h.chance(0.5) ? new double[]{0.25, 0.5, 0.25} : h.weights(3))),
                entry("SavedArrays.writeArchive/writeDirectory/open/copyFinite", "values, data, arrays, into, path, "
                        + "directory, file", h -> {
                    Map<String, NpyArray> arrays = new LinkedHashMap<>();
                    arrays.put(h.chance(0.9) ? "x" : "a/b", NpyArray.vector(h.numbers(4)));
                    Path target = Files.createTempDirectory(scratch, "call").resolve(h.chance(0.5) ? "m.npz" : "m");
                    if (target.toString().endsWith(".npz")) {
                        SavedArrays.writeArchive(target, arrays);
                    } else {
                        SavedArrays.writeDirectory(target, arrays);
                    }
                    double[] into = new double[4];
                    SavedArrays.open(target).copyFinite("x", 4, -1, into, 0);
                    return into;
                }).allowing(DataFileException.class),
                entry("ParticleMeasure.of(points, weights)", "points, weights", h -> {
                    int n = h.size(4);
                    double[][] points = new double[Math.min(Math.max(n, 0), 8)][];
                    for (int i = 0; i < points.length; i++) {
                        points[i] = h.numbers(2);
                    }
                    return ParticleMeasure.of(points, h.orNull(h.weights(points.length)));
                }),
                entry("ParticleMeasure.mean/covariance", MEASURES, h -> {
                    ParticleMeasure p = h.cloud(1 + h.rng().nextInt(6), 1 + h.rng().nextInt(3));
                    return List.of(p.mean(), p.covariance());
                }),
                entry("ParticleMeasure.pushForward", MEASURES + ", targetDimension, map, matrix, offset", h -> {
                    ParticleMeasure p = h.cloud(4, 2);
                    int target = h.size(3);
                    if (target <= 0 || target > 3) {
                        return p.pushForward(target, (x, i, out, o) -> { });
                    }
                    AffineMap map = AffineMap.of(h.matrix(target, 2), h.numbers(target));
                    return p.pushForward(target, h.orNull(map::apply));
                }),
                entry("ParticleMeasure.withFlatPoints", MEASURES,
                        h -> h.cloud(3, 2).withFlatPoints(h.numbers(6))),
                entry("GaussianMeasure.of", "mean, covariance", h -> GaussianMeasure.of(h.numbers(2), h.spd(2))),
                entry("GaussianMeasure.of1d", "mean, sd", h -> GaussianMeasure.of1d(h.scalar(1), h.scalar(1))),
                entry("GaussianMeasure.standard", "d", h -> GaussianMeasure.standard(Math.min(h.size(3), 64))),
                entry("GaussianMeasure.logDensity/score/entropy", MEASURES + ", x, out", h -> {
                    GaussianMeasure g = h.gaussian(2);
                    double[] x = h.numbers(2);
                    double[] score = new double[2];
                    g.score(x, score);
                    return List.of(g.logDensity(x), score, g.entropy());
                }),
                entry("GaussianMeasure.sample", MEASURES + ", n, rng",
                        h -> h.gaussian(3).sample(Math.min(h.size(20), 1 << 12), h.orNull(h.rng()))),
                entry("GaussianMeasure.pushForward", MEASURES + ", a, b",
                        h -> h.gaussian(2).pushForward(h.matrix(2, 2), h.numbers(2))),
                entry("ToyDistributions samplers", "n, rng, out, out (length), n * 2", h -> {
                    PointSampler[] laws = {ToyDistributions.eightGaussians(), ToyDistributions.twoMoons(),
                            ToyDistributions.checkerboard()};
                    int n = Math.min(h.size(20), 1 << 12);
                    double[] out = new double[Math.max(0, Math.min(h.size(40), 1 << 13))];
                    laws[h.rng().nextInt(3)].sample(n, h.orNull(h.rng()), h.orNull(out));
                    return out;
                }),
                entry("GridDensity.of1d/of2d", MEASURES + ", grid", h -> h.density(h.grid(1 + h.rng().nextInt(2), 6))),
                entry("GridDensity.mean/covariance/normalised", MEASURES + ", grid, the density", h -> {
                    GridDensity g = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return List.of(g.mean(), g.covariance(), g.normalised(), g.toParticleMeasure(), g.mass());
                }),
                entry("GridDensity.fromFunction", MEASURES + ", grid, f", h -> {
                    double v = h.scalar(1);
                    return GridDensity.fromFunction(h.grid(2, 5), x -> v * Math.exp(-x[0] * x[0]));
                }),
                entry("GridDensity.histogram", MEASURES + ", mu, grid",
                        h -> GridDensity.histogram(h.orNull(h.cloud(8, 2)), h.orNull(h.grid(2, 5)))),
                entry("GridDensity (3-D) mean/covariance/histogram", MEASURES + ", mu, grid, the density", h -> {
                    GridDensity g = h.density(h.grid(3, 4));
                    return List.of(g.mean(), g.covariance(), g.toParticleMeasure(), g.toString(),
                            GridDensity.histogram(h.cloud(6, 3), g.grid()));
                }),
                entry("GridDensity.cloudInCell", MEASURES + ", mu, grid", h -> {
                    int d = 1 + h.rng().nextInt(3);
                    int pd = h.chance(0.1) ? 1 + h.rng().nextInt(3) : d;
                    return GridDensity.cloudInCell(h.orNull(h.cloud(10, pd)), h.orNull(h.grid(d, 5)));
                }),
                entry("GridDensity.kernelDensity", MEASURES + ", mu, grid, bandwidth", h -> {
                    int d = 1 + h.rng().nextInt(3);
                    return GridDensity.kernelDensity(h.orNull(h.cloud(10, d)), h.orNull(h.grid(d, 6)),
                            h.scalar(0.3));
                }),
                entry("GridDensity.kernelDensity(bandwidths)", MEASURES + ", mu, grid, bandwidths", h -> {
                    int d = 1 + h.rng().nextInt(3);
                    double[] b = new double[h.chance(0.1) ? d + 1 : d];
                    for (int k = 0; k < b.length; k++) {
                        b[k] = h.scalar(0.3);
                    }
                    return GridDensity.kernelDensity(h.cloud(10, d), h.grid(d, 6), h.orNull(b));
                }),
                entry("GridDensity.kernelDensityScott", MEASURES + ", mu, grid", h -> {
                    int d = 1 + h.rng().nextInt(3);
                    return GridDensity.kernelDensityScott(h.orNull(h.cloud(10, d)), h.orNull(h.grid(d, 6)));
                }),
                entry("GridDensity.sample", MEASURES + ", grid, the density, n, rng", h -> {
                    GridDensity g = h.density(h.grid(1 + h.rng().nextInt(3), 5));
                    return g.sample(Math.min(h.size(50), 1 << 12), h.orNull(h.rng()));
                }),
                entry("PointSampler.uniform", "lower, upper, n, rng",
                        h -> PointSampler.uniform(h.numbers(2), h.numbers(2)).sample(Math.min(h.size(5), 1000),
                                h.rng())),
                entry("PointSampler.of(density)", MEASURES + ", density, n, rng",
                        h -> PointSampler.of(h.density(h.grid(2, 5))).sample(5, h.rng())),
                entry("PointSampler.of(cloud)", MEASURES + ", data, n, rng",
                        h -> PointSampler.of(h.cloud(5, 2)).sample(5, h.rng())),
                entry("AffineMap.of/apply", "matrix, offset, x, out",
                        h -> AffineMap.of(h.matrix(2, 3), h.numbers(2)).apply(h.numbers(3))),
                entry("AffineMap.centred/pushForward", MEASURES + ", matrix, m0, m1, mu, a",
                        h -> AffineMap.centred(h.matrix(2, 2), h.numbers(2), h.numbers(2)).pushForward(h.orNull(h.gaussian(2)))),
                entry("LinearField.flowMap", "a, b, t", h -> LinearField.of(h.matrix(2, 2), h.numbers(2))
                        .flowMap(h.scalar(1))),
                entry("LinearField.flow(gaussian)", MEASURES + ", a, b, t, mu", h -> LinearField.of(h.matrix(2, 2))
                        .flow(h.orNull(h.gaussian(2)), h.scalar(1))),
                entry("LinearField.flow(particles)", MEASURES + ", a, b, t, mu", h -> LinearField.of(h.matrix(2, 2))
                        .flow(h.orNull(h.cloud(4, 2)), h.scalar(1))),
                entry("Spd.sqrt/invSqrt/inverse/logDet", "s", h -> {
                    DMatrixRMaj s = h.spd(3);
                    return List.of(Spd.sqrt(s), Spd.invSqrt(s), Spd.inverse(s), Spd.logDet(s), Spd.eigenvalues(s));
                }),
                entry("Spd.geometricMean", "a, b", h -> Spd.geometricMean(h.spd(2), h.spd(2))),
                entry("Spd.congruence/symmetrised", "m, s", h -> List.of(Spd.congruence(h.matrix(2, 3), h.spd(3)),
                        Spd.symmetrised(h.matrix(3, 3)))),
                entry("SymmetricEigensolver.of", "d", h -> org.measureflow.core.linalg.SymmetricEigensolver.of(
                        h.size(4)).dimension()),
                entry("MatrixFunctions.exp", "a", h -> MatrixFunctions.exp(h.matrix(3, 3))),
                entry("MatrixFunctions.expIntegral", "a, t", h -> MatrixFunctions.expIntegral(h.matrix(2, 2),
                        h.scalar(1))),
                entry("MatrixFunctions.solveSylvester", "a, b, c",
                        h -> MatrixFunctions.solveSylvester(h.spd(2), h.spd(3), h.matrix(2, 3))),
                entry("MatrixFunctions.solveLyapunov", "a, c", h -> MatrixFunctions.solveLyapunov(h.spd(2),
                        h.matrix(2, 2))),
                entry("GridVectorField.fromField/of/gradient/arithmetic", VELOCITY, h -> {
                    GridDensity.Grid g = h.grid(1 + h.rng().nextInt(2), 6);
                    GridVectorField u = GridVectorField.fromField(g, LINEAR, h.scalar(1));
                    GridVectorField grad = GridVectorField.gradient(g, h.numbers(g.size()));
                    GridVectorField sum = u.plus(grad).scaled(h.scalar(1));
                    GridDensity rho = h.density(g);
                    double[] v = new double[g.dimension()];
                    sum.velocity(0, h.plain(g.dimension()), v);
                    return List.of(sum.kineticEnergy(rho), sum.fluxDivergence(rho), v, sum.maxComponent());
                }),
                entry("GridVectorField.of", VELOCITY, h -> {
                    GridDensity.Grid g = h.grid(2, 6);
                    return GridVectorField.of(g, faces(h, g, 0), faces(h, g, 1)).kineticEnergy(h.density(g));
                }),
                entry("LeastEffort.solve(rho, derivative)", VELOCITY, h -> {
                    GridDensity rho = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return LeastEffort.withDefaults().withTolerance(h.scalar(1e-8))
                            .withMaxIterations(h.count(1, 200)).withDensityFloor(h.scalar(1e-8))
                            .solve(rho, h.numbers(rho == null ? 3 : rho.size()));
                }),
                entry("DacorognaMoser.solve(rho, derivative)", VELOCITY, h -> {
                    GridDensity rho = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return DacorognaMoser.withDefaults().withDensityFloor(h.scalar(1e-8))
                            .solve(rho, h.numbers(rho == null ? 3 : rho.size()));
                }),
                entry("LeastEffort.split", VELOCITY, h -> {
                    GridDensity.Grid g = h.grid(2, 6);
                    GridDensity rho = h.density(g);
                    GridVectorField u = GridVectorField.of(g, faces(h, g, 0), faces(h, g, 1));
                    return LeastEffort.withDefaults().split(rho, h.orNull(u));
                }),
                entry("DensityPath.of/solve(path)", VELOCITY, h -> {
                    GridDensity.Grid g = h.grid(2, 5);
                    GridDensity a = h.density(g);
                    GridDensity b = h.density(g);
                    DensityPath path = DensityPath.of(h.numbers(2), a, b);
                    double[] v = new double[2];
                    LeastEffortPathResult le = LeastEffort.withDefaults().solve(path);
                    le.field().velocity(h.scalar(1), h.plain(2), v);
                    return List.of(path.derivative(0), path.midpointDensity(0), le, v,
                            DacorognaMoser.withDefaults().solve(path));
                }),
                entry("DensityPath.of(derivatives)/PathField.of", VELOCITY, h -> {
                    GridDensity.Grid g = h.grid(1, 6);
                    GridDensity a = h.density(g);
                    DensityPath path = DensityPath.of(h.numbers(1), new GridDensity[]{a},
                            new double[][]{h.numbers(a == null ? 2 : a.size())});
                    PathField field = PathField.of(h.numbers(2),
                            List.of(GridVectorField.zero(g), GridVectorField.fromField(g, LINEAR, 0)));
                    double[] v = new double[1];
                    field.velocity(h.scalar(1), h.plain(1), v);
                    return List.of(path.derivative(0), v, LeastEffort.withDefaults().solve(path));
                }),
                ode("Euler", h -> Euler.of(h.scalar(0.05))),
                ode("Heun", h -> Heun.of(h.scalar(0.05))),
                ode("RungeKutta4", h -> RungeKutta4.of(h.scalar(0.05))),
                ode("DormandPrince54", h -> DormandPrince54.withDefaults().withRelativeTolerance(h.scalar(1e-6))
                        .withAbsoluteTolerance(h.scalar(1e-9)).withInitialStep(h.chance(0.5) ? 0 : h.scalar(0.01))
                        .withMaxStep(h.chance(0.5) ? Double.POSITIVE_INFINITY : h.scalar(0.5))
                        .withMaxEvaluations(h.count(100, 10_000))),
                entry("EulerMaruyama.integrate", "step, system, t0, t1, y, observer, diffusion, rng, sigma", h -> {
                    double[] y = h.numbers(2);
                    return List.of(EulerMaruyama.of(h.scalar(0.05)).integrate(DECAY, Diffusion.scalar(h.scalar(1)),
                            h.uniform(-1, 1), y, h.uniform(1, 2), h.orNull(h.rng())), y);
                }).allowing(IllegalStateException.class),
                entry("ContinuitySolver.advect", MEASURES + ", grid, a, b, v, rho0, t0, t1, observer, courantNumber, "
                        + "maxSteps", h -> {
                    GridDensity rho0 = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return continuity(h).advect(rho0, field(h, rho0.dimension()), h.uniform(-1, 1), h.uniform(-1, 1),
                            h.orNull(StepObserver.none()));
                }).allowingInfinity("result.cflBound"),
                entry("ContinuitySolver.step", MEASURES + ", grid, a, b, v, rho, t, dt, courantNumber, maxSteps", h -> {
                    GridDensity rho = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return continuity(h).step(h.orNull(rho), field(h, rho.dimension()), h.uniform(-1, 1),
                            h.scalar(0.01));
                }),
                entry("ContinuitySolver.cflBound", MEASURES + ", grid, a, b, v, t, courantNumber, maxSteps", h -> {
                    GridDensity.Grid grid = h.grid(1 + h.rng().nextInt(2), 6);
                    return continuity(h).cflBound(h.orNull(grid), field(h, grid.dimension()), h.uniform(-1, 1));
                }).allowingInfinity("result"),
                entry("OdeIntegrator.advect", MEASURES + ", step, system, t0, t1, y, observer, measure, field", h -> {
                    LinearField field = LinearField.of(DMatrixRMaj.wrap(2, 2, new double[]{-1, 0.5, -0.5, -1}));
                    return RungeKutta4.of(h.scalar(0.05)).advect(h.orNull(h.cloud(4, 2)), field, h.uniform(-1, 1),
                            h.uniform(1, 2));
                }).allowing(IllegalStateException.class)));
        // the hostile-input rule itself is asserted inside check (every failure listed); here: the solvers were reached
        assertTrue(summary.returned() > 0 && summary.rejected() > 0, summary.toString());
    }

    /** A continuity solver with hostile settings and a random boundary and limiter. */
    private static ContinuitySolver continuity(Hostile h) {
        return ContinuitySolver.withDefaults().withCourantNumber(h.scalar(0.5)).withMaxSteps(h.count(1, 2000))
                .withBoundary(h.choose(Boundary.values())).withLimiter(h.choose(SlopeLimiter.values()));
    }

    /** An affine field v(x) = A x + b of hostile entries, now and then of the wrong dimension (or null). */
    private static LinearField field(Hostile h, int dimension) {
        int d = dimension + (h.chance(0.05) ? 1 : 0);
        return h.orNull(LinearField.of(h.matrix(d, d), h.numbers(d)));
    }

    /** Hostile numbers for component {@code axis} of a 2-D face field, 0 on the boundary layer when the length fits. */
    private static double[] faces(Hostile h, GridDensity.Grid g, int axis) {
        double[] v = h.numbers(g.size());
        if (v != null && v.length == g.size()) {
            int ny = g.cells(1);
            for (int c = 0; c < v.length; c++) {
                if ((axis == 0 ? c / ny : c % ny) == g.cells(axis) - 1) {
                    v[c] = 0;
                }
            }
        }
        return v;
    }

    /** \( \dot y = -y \) in dimension 2: stable, so ordinary steps never overflow. */
    private static final OdeSystem DECAY = OdeSystem.of(2, (t, y, dy) -> {
        dy[0] = -y[0];
        dy[1] = -y[1];
    });

    private interface IntegratorDraw {
        OdeIntegrator draw(Hostile h);
    }

    /** An ODE integrator on \( \dot y = -y \) with hostile settings, state and times, recording at hostile times. */
    private static ApiFuzz.EntryPoint ode(String name, IntegratorDraw integrator) {
        return entry(name + ".integrate", "step, relativeTolerance, absoluteTolerance, initialStep, maxStep, "
                + "maxEvaluations, system, t0, t1, y, observer, times", h -> {
                    OdeIntegrator method = integrator.draw(h);
                    double[] y = h.numbers(2);
                    TrajectoryRecorder recorder = TrajectoryRecorder.atTimes(h.numbers(3));
                    return List.of(method.integrate(DECAY, h.uniform(-1, 1), y, h.uniform(1, 2), recorder), y,
                            recorder.states(), recorder.times());
                }).allowing(IllegalStateException.class);
    }
}
