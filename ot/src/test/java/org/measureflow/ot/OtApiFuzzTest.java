package org.measureflow.ot;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.ApiFuzz.entry;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.ot.barycenter.ConvolutionalBarycenter;
import org.measureflow.ot.barycenter.EntropicBarycenter;
import org.measureflow.ot.barycenter.FreeSupportBarycenter;
import org.measureflow.ot.dynamic.BenamouBrenier;
import org.measureflow.ot.dynamic.DisplacementInterpolation;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.ot.exact.SparsePlan;
import org.measureflow.ot.gaussian.BuresBarycenter;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.gaussian.EntropicGaussianOt;
import org.measureflow.ot.semidiscrete.SemiDiscreteNewton;
import org.measureflow.ot.semidiscrete.SemiDiscreteSgd;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.sliced.SlicedWasserstein;
import org.measureflow.testing.ApiFuzz;
import org.measureflow.testing.Hostile;

/**
 * The seeded API fuzz test of {@code ot} (issue 14), outside {@code ot.sinkhorn} and {@code ot.unbalanced} (which have
 * their own): cost matrices, epsilon resolution, exact OT (network simplex, the line, sparse plans), sliced
 * Wasserstein, the Gaussian closed forms and the Bures barycentre, the three barycentres, Benamou&ndash;Brenier and
 * displacement interpolation, and both semi-discrete solvers are called many times with {@link Hostile} inputs; each
 * call must throw an {@link IllegalArgumentException} naming an argument or return finite numbers with an honest
 * convergence record ({@link ApiFuzz}).
 */
class OtApiFuzzTest {
    /** Calls per entry point. */
    private static final int CALLS = 250;

    /** Arguments named by the measures' own factories when a drawn cloud, Gaussian or density is rejected. */
    private static final String MEASURES = "points, flat, d, weights, mean, covariance, lo, hi, cells, values, sd";

    @Test
    void everyEntryPointRejectsHostileInputByNameOrReturnsFiniteNumbers() {
        ApiFuzz.Summary summary = ApiFuzz.check(CALLS, entries(), "CostMatrix.of(65536, 65537, ...)");
        // the hostile-input rule itself is asserted inside check (every failure listed); here: the solvers were reached
        assertTrue(summary.returned() > 0 && summary.rejected() > 0, summary.toString());
    }

    /** The entry points and how to call them (also for replaying one failing seed). */
    static List<ApiFuzz.EntryPoint> entries() {
        return List.of(
                entry("CostMatrix.of(rows, cols, values)", "rows, cols, values", h -> {
                    int n = h.size(4);
                    int m = h.size(4);
                    return CostMatrix.of(n, m, h.numbers(Math.min(Math.max(n, 0) * Math.max(m, 0), 64)));
                }),
                entry("CostMatrix.of(65536, 65537, ...)", "rows, cols, values",
                        h -> CostMatrix.of(65536, 65537, new double[65536])),
                entry("CostMatrix.euclideanPower", MEASURES + ", x, y, p", h -> {
                    CostMatrix c = CostMatrix.euclideanPower(h.orNull(h.cloud(4, 2)), h.cloud(3, 2), h.scalar(2));
                    return List.of(c.values(), c.maxAbs());
                }),
                entry("Epsilon.resolve", MEASURES + ", epsilon, fraction, meanCost, c, a, b, x, y", h -> {
                    Epsilon e = h.chance(0.5) ? Epsilon.absolute(h.scalar(0.1))
                            : Epsilon.relativeToMeanCost(h.scalar(0.05));
                    ParticleMeasure x = h.cloud(4, 2);
                    ParticleMeasure y = h.cloud(3, 2);
                    CostMatrix c = CostMatrix.of(2, 2, h.numbers(4));
                    return List.of(e.resolve(x, y), e.resolve(c, h.histogram(2), h.histogram(2)),
                            e.resolve(h.scalar(1)));
                }),
                entry("Histograms.normalised/uniform", "a, n", h -> List.of(Histograms.normalised("a", h.weights(4)),
                        Histograms.uniform(Math.min(h.size(4), 1 << 16)))),
                entry("NetworkSimplex.solve(a, b, c)", "a, b, c, values, maxIterations", h -> {
                    int n = 1 + h.rng().nextInt(6);
                    int m = 1 + h.rng().nextInt(6);
                    return NetworkSimplex.withDefaults().withMaxIterations(h.count(1, 1000))
                            .solve(h.histogram(n), h.histogram(m), CostMatrix.of(n, m, h.numbers(n * m)));
                }),
                entry("NetworkSimplex.solve(x, y, cost)", MEASURES + ", x, y, cost, p", h -> {
                    ParticleMeasure x = h.cloud(1 + h.rng().nextInt(6), 2);
                    ParticleMeasure y = h.cloud(1 + h.rng().nextInt(6), h.chance(0.1) ? 3 : 2);
                    return NetworkSimplex.withDefaults().solve(h.orNull(x), y,
                            h.chance(0.5) ? GroundCost.squaredEuclidean() : GroundCost.euclideanPower(h.scalar(1.5)));
                }),
                entry("OneDimensionalOt.cost/distance(x, a, y, b, p)", "x, a, y, b, p", h -> {
                    double[] x = h.numbers(5);
                    double[] y = h.numbers(4);
                    double p = h.chance(0.3) ? h.pick(1000.0, 1e6, 1e300) : h.scalar(2);
                    double[] a = h.histogram(5);
                    double[] b = h.histogram(4);
                    return List.of(OneDimensionalOt.distance(x, a, y, b, p), OneDimensionalOt.cost(x, a, y, b, p));
                }),
                entry("OneDimensionalOt.distance(x, y, p)", "x, y, p", h -> OneDimensionalOt.distance(h.numbers(5),
                        h.numbers(5), h.chance(0.3) ? h.pick(1000.0, 1e6, 1e300) : h.scalar(2))),
                entry("OneDimensionalOt.monotonePlan", MEASURES + ", x, y", h -> OneDimensionalOt.monotonePlan(
                        h.orNull(h.cloud(5, 1)), h.cloud(4, h.chance(0.1) ? 2 : 1))),
                entry("SparsePlan", "sourceSize, targetSize, rows, cols, masses, v, u", h -> {
                    int n = h.size(3);
                    int m = h.size(3);
                    int[] rows = {0, Math.max(0, Math.min(n, 3) - 1)};
                    int[] cols = {Math.max(0, Math.min(m, 3) - 1), 0};
                    SparsePlan plan = new SparsePlan(n, m, rows, cols, h.weights(2));
                    double[] dense = plan.toDense();
                    return List.of(dense, plan.apply(h.numbers(m)), plan.applyTransposed(h.numbers(n)),
                            plan.sourceMarginal(), plan.targetMarginal());
                }),
                entry("SlicedWasserstein.distance", MEASURES + ", x, y, rng, directions, p, theta", h -> {
                    double p = h.chance(0.3) ? h.pick(1000.0, 1e6, 1e300) : h.scalar(2);
                    SlicedWasserstein sw = SlicedWasserstein.withDefaults().withDirections(Math.min(h.size(20), 64))
                            .withP(p);
                    ParticleMeasure x = h.cloud(5, 2);
                    ParticleMeasure y = h.cloud(h.chance(0.5) ? 5 : 4, h.chance(0.1) ? 3 : 2);
                    return h.chance(0.5) ? sw.distance(x, y, h.orNull(h.rng())) : sw.distance(x, y, h.numbers(6));
                }).allowingInfinity("result.cost", "result.costs", "result.standardError"),
                entry("BuresWasserstein.squaredDistance/distance", MEASURES + ", mu, nu", h -> {
                    GaussianMeasure mu = h.gaussian(2);
                    GaussianMeasure nu = h.gaussian(h.chance(0.1) ? 3 : 2);
                    return List.of(BuresWasserstein.distance(mu, nu), BuresWasserstein.squaredDistance(mu, nu));
                }),
                entry("BuresWasserstein.squaredBuresDistance", "s0, s1", h -> BuresWasserstein.squaredBuresDistance(
                        h.spd(3), h.spd(3))),
                entry("BuresWasserstein.mongeMap/geodesic", MEASURES + ", mu, nu, t", h -> {
                    GaussianMeasure mu = h.gaussian(2);
                    GaussianMeasure nu = h.gaussian(2);
                    return List.of(BuresWasserstein.mongeMap(mu, nu), BuresWasserstein.geodesic(mu, nu,
                            h.uniform(0, 1)));
                }),
                entry("BuresBarycenter.solve", MEASURES + ", measures, weights, tolerance, maxIterations", h -> {
                    GaussianMeasure[] g = {h.gaussian(2), h.gaussian(2), h.gaussian(2)};
                    return BuresBarycenter.withDefaults().withMaxIterations(h.count(1, 200)).solve(g, h.histogram(3));
                }),
                entry("EntropicGaussianOt", MEASURES + ", alpha, beta, epsilon", h -> {
                    GaussianMeasure a = h.gaussian(2);
                    GaussianMeasure b = h.gaussian(2);
                    double eps = h.scalar(0.5);
                    return List.of(EntropicGaussianOt.objective(a, b, eps), EntropicGaussianOt.cost(a, b, eps),
                            EntropicGaussianOt.crossCovariance(a, b, eps), EntropicGaussianOt.entropicMap(a, b, eps),
                            EntropicGaussianOt.sinkhornDivergence(a, b, eps));
                }),
                entry("EntropicBarycenter.solve", "histograms, costs, c, lambda, epsilon, tolerance, maxIterations, "
                        + "rows, cols, values", h -> {
                            int n = 4;
                            CostMatrix c = CostMatrix.of(n, n, h.numbers(n * n));
                            return EntropicBarycenter.of(h.scalar(0.5)).withMaxIterations(h.count(1, 300))
                                    .solve(new double[][]{h.histogram(n), h.histogram(n)}, c, h.histogram(2));
                        }),
                entry("ConvolutionalBarycenter.solve", MEASURES + ", densities, lambda, epsilon, tolerance, "
                        + "maxIterations", h -> {
                            GridDensity.Grid g = h.grid(2, 6);
                            return ConvolutionalBarycenter.of(h.scalar(0.05)).withMaxIterations(h.count(1, 300))
                                    .solve(new GridDensity[]{h.density(g), h.density(g)}, h.histogram(2));
                        }),
                entry("FreeSupportBarycenter.solve", MEASURES + ", measures, lambda, initial, tolerance, "
                        + "maxIterations, epsilon", h -> {
                            FreeSupportBarycenter fsb = h.chance(0.5) ? FreeSupportBarycenter.withDefaults()
                                    : FreeSupportBarycenter.entropic(SinkhornSolver.of(0.5)); // hostile
                            // epsilons are SinkhornSolver's own fuzz test's business
                            ParticleMeasure[] ms = {h.cloud(4, 2), h.cloud(3, 2)};
                            return fsb.withMaxIterations(h.count(1, 30)).solve(ms, h.histogram(2), h.cloud(3, 2));
                        }),
                entry("BenamouBrenier.solve", MEASURES + ", rho0, rho1, timeSteps, maxIterations, tolerance, gamma",
                        h -> {
                            GridDensity.Grid g = h.grid(1 + h.rng().nextInt(2), 6);
                            return BenamouBrenier.of(Math.min(h.size(6) + 1, 64)).withMaxIterations(h.count(1, 150))
                                    .solve(h.density(g), h.density(g));
                        }),
                entry("DisplacementInterpolation", MEASURES + ", x, y, t, plan, simplex", h -> {
                    DisplacementInterpolation di = DisplacementInterpolation.between(h.cloud(4, 2), h.cloud(3, 2));
                    return List.of(di.at(h.uniform(0, 1)), di.cost());
                }),
                entry("SemiDiscreteNewton.solve", MEASURES + ", density, target, initialWeights, tolerance, "
                        + "maxIterations, grid", h -> {
                            SemiDiscreteNewton newton = SemiDiscreteNewton.withDefaults()
                                    .withMaxIterations(h.count(1, 60));
                            GridDensity.Grid g = h.grid(2, 6);
                            ParticleMeasure target = h.cloud(1 + h.rng().nextInt(5), 2);
                            return h.chance(0.5) ? newton.solve(h.density(g), target)
                                    : newton.solve(h.density(g), target, h.numbers(target.size()));
                        }),
                entry("SemiDiscreteNewton.solveUniform", MEASURES + ", xlo, xhi, ylo, yhi, target, lo, hi", h ->
                        SemiDiscreteNewton.withDefaults().withMaxIterations(60).solveUniform(h.uniform(-1, -0.5),
                                h.uniform(0.5, 1), h.uniform(-1, -0.5), h.uniform(0.5, 1),
                                h.cloud(1 + h.rng().nextInt(5), 2))),
                entry("SemiDiscreteNewton.evaluate/diagram", MEASURES + ", density, target, weights, grid", h -> {
                    GridDensity.Grid g = h.grid(2, 6);
                    ParticleMeasure target = h.cloud(4, 2);
                    double[] w = h.numbers(4);
                    return List.of(SemiDiscreteNewton.withDefaults().evaluate(h.density(g), target, w),
                            SemiDiscreteNewton.diagram(g, target, w));
                }),
                entry("SemiDiscreteSgd.solve", MEASURES + ", source, target, rng, steps, stepSize, "
                        + "evaluationSamples, tolerance, lower, upper", h -> {
                            SemiDiscreteSgd sgd = SemiDiscreteSgd.withDefaults().withSteps(h.count(1, 500))
                                    .withEvaluationSamples(Math.min(h.size(200), 2000));
                            if (h.chance(0.5)) {
                                sgd = sgd.withStepSize(h.scalar(1));
                            }
                            PointSampler source = h.chance(0.5) ? h.gaussian(2)
                                    : PointSampler.uniform(h.numbers(2), h.numbers(2));
                            return sgd.solve(source, h.cloud(1 + h.rng().nextInt(5), 2), h.rng());
                        }));
    }
}
