package org.measureflow.gradientflow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.testing.ApiFuzz.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.NpyArray;
import org.measureflow.core.io.SavedArrays;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.gradientflow.diagnostics.FlowDiagnostics;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.MeasureEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.jko.EntropicJko;
import org.measureflow.gradientflow.meanfield.LinearNetworkClosure;
import org.measureflow.gradientflow.meanfield.MeanFieldNetworkFiles;
import org.measureflow.gradientflow.meanfield.MeanFieldTrainer;
import org.measureflow.gradientflow.meanfield.RegressionData;
import org.measureflow.gradientflow.meanfield.ResidualNetwork;
import org.measureflow.gradientflow.meanfield.Scaling;
import org.measureflow.gradientflow.meanfield.TwoLayerNetwork;
import org.measureflow.gradientflow.meanfield.TwoLayerRisk;
import org.measureflow.gradientflow.particles.ImplicitParticleStep;
import org.measureflow.gradientflow.particles.Langevin;
import org.measureflow.gradientflow.particles.ParticleGradientFlow;
import org.measureflow.gradientflow.particles.ScoreParticleField;
import org.measureflow.gradientflow.snapshots.PotentialBasis;
import org.measureflow.gradientflow.snapshots.PotentialFitResult;
import org.measureflow.gradientflow.snapshots.PotentialRecovery;
import org.measureflow.gradientflow.snapshots.SnapshotSeries;
import org.measureflow.gradientflow.snapshots.SnapshotTransitions;
import org.measureflow.gradientflow.snapshots.SnapshotTransitionsResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.ApiFuzz;
import org.measureflow.testing.Hostile;

/**
 * The seeded API fuzz test of {@code gradientflow} (issue 14): the energies (on particles and on grids), the flow
 * diagnostics, the entropic JKO scheme, the particle flows (explicit, implicit, Langevin, score-based), and the
 * mean-field models (two-layer networks and their risk, the trainer, the linear closure, residual networks), and the
 * snapshot transitions (issue 18: series, couplings with growth, descendants, ancestors, interpolation) are
 * called many times with {@link Hostile} inputs; each call must throw an {@link IllegalArgumentException} naming an
 * argument or return finite numbers with an honest convergence record ({@link ApiFuzz}).
 */
class GradientFlowApiFuzzTest {
    /** Calls per entry point. */
    private static final int CALLS = 200;

    /** Arguments named by the factories of the drawn inputs (measures, grids, potentials) when they reject them. */
    private static final String INPUTS = "points, flat, d, weights, lo, hi, cells, values, a, b, lambda, mu, rho, "
            + "energy, diffusion, m, coefficient";

    /** Where the calls that write files write them (removed by JUnit after the test). */
    @TempDir
    static Path scratch;

    @Test
    void everyEntryPointRejectsHostileInputByNameOrReturnsFiniteNumbers() {
        ApiFuzz.Summary summary = ApiFuzz.check(CALLS, entries());
        // the hostile-input rule itself is asserted inside check (every failure listed); here: the solvers were reached
        assertTrue(summary.returned() > 0 && summary.rejected() > 0, summary.toString());
    }

    /** A potential, interaction or summed energy on 2-D particles, with hostile coefficients. */
    private static MeasureEnergy energy(Hostile h) {
        switch (h.rng().nextInt(4)) {
            case 0:
                return PotentialEnergy.of(Potential.isotropic(h.scalar(1), h.numbers(2)));
            case 1:
                return PotentialEnergy.of(Potential.quadratic(h.spd(2), h.numbers(2)));
            case 2:
                return InteractionEnergy.quadratic();
            default:
                return PotentialEnergy.of(Potential.isotropic(h.scalar(1), new double[2]))
                        .plus(InteractionEnergy.attractionRepulsion());
        }
    }

    /** A grid energy with hostile coefficients: entropy, porous medium, or either plus a potential. */
    private static GridEnergy gridEnergy(Hostile h, int dimension) {
        GridEnergy internal = h.chance(0.5) ? InternalEnergy.entropy(h.scalar(0.1))
                : InternalEnergy.porousMedium(1 + h.scalar(1), h.scalar(0.1));
        return h.chance(0.5) ? internal
                : internal.plus(PotentialEnergy.of(Potential.isotropic(h.scalar(1), new double[dimension])));
    }

    /** The entry points and how to call them (also for replaying one failing seed). */
    static List<ApiFuzz.EntryPoint> entries() {
        return List.of(
                entry("ParticleEnergy.value/velocities", INPUTS, h -> {
                    ParticleEnergy e = energy(h);
                    ParticleMeasure mu = h.cloud(5, 2);
                    double[] out = new double[10];
                    e.velocities(mu.flatPoints(), 5, 2, mu.isUniform() ? null : mu.weights(), out);
                    return List.of(e.value(mu), out);
                }),
                entry("GridEnergy.value/firstVariation", INPUTS + ", grid", h -> {
                    GridDensity rho = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    GridEnergy e = gridEnergy(h, rho.dimension());
                    return List.of(e.value(rho), e.firstVariation(rho));
                }).allowingInfinity("result[1]"), // the entropy's first variation is -Infinity on empty cells
                entry("FlowDiagnostics.of", INPUTS + ", equilibrium, grid, the density", h -> h.chance(0.5)
                        ? FlowDiagnostics.of(h.cloud(5, 2), energy(h), h.orNull(h.cloud(3, 2)))
                        : FlowDiagnostics.of(h.density(h.grid(1, 6)), gridEnergy(h, 1), null)),
                entry("EntropicJko.flow", INPUTS + ", tau, epsilon, tolerance, maxIterations, steps, grid", h -> {
                    GridDensity rho = h.density(h.grid(1 + h.rng().nextInt(2), 6));
                    return EntropicJko.of(h.scalar(0.05), h.scalar(0.01)).withMaxIterations(h.count(1, 300))
                            .flow(rho, gridEnergy(h, rho.dimension()), (int) Math.min(h.count(1, 3), 3));
                }),
                entry("ParticleGradientFlow.flow", INPUTS + ", integrator, step, t0, t1, y", h -> ParticleGradientFlow
                        .flow(h.cloud(5, 2), energy(h), RungeKutta4.of(h.scalar(0.05)), 0, h.uniform(0, 1))),
                entry("ImplicitParticleStep.flow", INPUTS + ", tau, tolerance, maxIterations, steps", h ->
                        ImplicitParticleStep.of(h.scalar(0.1)).withMaxIterations(h.count(1, 200))
                                .flow(h.cloud(5, 2), energy(h), (int) Math.min(h.count(1, 3), 3))),
                entry("Langevin.simulate", INPUTS + ", integrator, step, t0, t1, y, rng", h -> Langevin.simulate(
                        h.cloud(5, 2), energy(h), h.scalar(1), EulerMaruyama.of(h.scalar(0.05)), 0,
                        h.uniform(0, 1), h.rng())),
                // the field on core's integrator, which documents IllegalStateException for an overflowing state
                entry("ScoreParticleField.fokkerPlanck", INPUTS + ", bandwidth, drift, integrator, step, t0, t1, y",
                        h -> RungeKutta4.of(0.05).advect(h.cloud(5, 2), ScoreParticleField.fokkerPlanck(h.scalar(1),
                                h.scalar(0.5), energy(h)), 0, h.uniform(0, 0.5))).allowing(IllegalStateException.class),
                entry("PotentialRecovery.fit/simulate", INPUTS + ", x, y, series, times, snapshots, basis, sinkhorn, "
                        + "epsilon, maxIterations, width, centres, start, t0, integrator, step, rng", h -> {
                            SnapshotSeries series = SnapshotSeries.of(new double[] {0, h.scalar(0.5)},
                                    List.of(h.cloud(6, 2), h.cloud(5, 2)));
                            PotentialBasis basis = h.chance(0.5) ? PotentialBasis.polynomial(2, 2)
                                    : PotentialBasis.radial(h.cloud(3, 2).toArray(), h.scalar(1));
                            PotentialFitResult fit = PotentialRecovery.of(basis,
                                            SinkhornSolver.of(h.scalar(0.1)).withMaxIterations(h.count(1, 300)))
                                    .withDiffusion(h.chance(0.5) ? 0 : h.scalar(0.1))
                                    .withDiffusionEstimated(h.chance(0.3)).fit(series);
                            return List.of(fit, fit.simulate(h.cloud(4, 2), 0, new double[] {h.uniform(0, 0.2)},
                                    EulerMaruyama.of(h.scalar(0.05)), h.rng()).get(0).flatPoints());
                        }),
                entry("TwoLayerNetwork/TwoLayerRisk", INPUTS + ", x, y, neurons, data, activation, scaling", h -> {
                    RegressionData data = RegressionData.fromFlat(h.numbers(8), 2, h.numbers(4));
                    TwoLayerNetwork net = TwoLayerNetwork.of(h.cloud(6, 4), Activation.TANH,
                            h.chance(0.5) ? Scaling.MEAN_FIELD : Scaling.LAZY);
                    TwoLayerRisk risk = TwoLayerRisk.of(data, Activation.TANH, Scaling.MEAN_FIELD);
                    return List.of(net.risk(data), net.riskGradient(data), net.outputs(data),
                            risk.value(net.neurons()));
                }),
                entry("MeanFieldNetworkFiles.write/writeDirectory/readTwoLayer/readResidual", INPUTS + ", x, y, "
                        + "neurons, data, activation, scaling, network, file, directory, parameters, h, layers, x0",
                        h -> {
                    RegressionData data = RegressionData.fromFlat(h.numbers(8), 2, h.numbers(4));
                    TwoLayerNetwork two = TwoLayerNetwork.of(h.cloud(6, 4), h.orNull(Activation.TANH),
                            h.chance(0.5) ? Scaling.MEAN_FIELD : Scaling.LAZY);
                    ResidualNetwork res = ResidualNetwork.of(2, 3, 2, Activation.SILU,
                            h.numbers(2 * ResidualNetwork.layerSize(2, 3)));
                    // one network as an archive, the other as a folder of .npy files (which one: drawn)
                    Path dir = Files.createTempDirectory(scratch, "call");
                    boolean archive = h.chance(0.5);
                    Path twoPath = dir.resolve(archive ? "two.npz" : "two");
                    Path resPath = dir.resolve(archive ? "res" : "res.npz");
                    if (archive) {
                        MeanFieldNetworkFiles.write(twoPath, two);
                        MeanFieldNetworkFiles.writeDirectory(resPath, res);
                    } else {
                        MeanFieldNetworkFiles.writeDirectory(twoPath, two);
                        MeanFieldNetworkFiles.write(resPath, res);
                    }
                    return List.of(MeanFieldNetworkFiles.readTwoLayer(twoPath).outputs(data),
                            MeanFieldNetworkFiles.readResidual(resPath).apply(h.numbers(2)));
                }),
                entry("MeanFieldNetworkFiles.readTwoLayer of a hostile archive", INPUTS + ", data, values, file",
                        h -> {
                    Map<String, NpyArray> arrays = new LinkedHashMap<>();
                    arrays.put("format_version", NpyArray.vector(h.chance(0.8) ? new double[]{1} : h.numbers(1)));
                    arrays.put("network", SavedArrays.text("two_layer"));
                    arrays.put("activation", SavedArrays.text("relu"));
                    arrays.put("scaling", SavedArrays.text(h.chance(0.5) ? "lazy" : "mean_field"));
                    arrays.put("a", NpyArray.vector(h.numbers(2)));
                    double[] w = h.numbers(4);
                    arrays.put("w", NpyArray.matrix(w, w == null ? 0 : w.length / 2, 2));
                    arrays.put("b", NpyArray.vector(h.numbers(2)));
                    arrays.put("masses", NpyArray.vector(h.chance(0.5) ? new double[]{0.5, 0.5} : h.numbers(2)));
                    Path file = Files.createTempFile(scratch, "hostile", ".npz");
                    SavedArrays.writeArchive(file, arrays);
                    return MeanFieldNetworkFiles.readTwoLayer(file).outputs(RegressionData.fromFlat(
                            new double[]{0.5, -1}, 2, new double[1]));
                }).allowing(DataFileException.class),
                entry("MeanFieldTrainer.train", INPUTS + ", x, y, network, neurons, data, step, steps, batchSize, "
                        + "weightDecay, temperature, recordEvery", h -> {
                            RegressionData data = RegressionData.fromFlat(h.numbers(8), 2, h.numbers(4));
                            TwoLayerNetwork net = TwoLayerNetwork.of(h.cloud(6, 4), Activation.TANH,
                                    Scaling.MEAN_FIELD);
                            return MeanFieldTrainer.of(h.scalar(0.1)).withSteps(h.count(1, 100))
                                    .withWeightDecay(h.chance(0.5) ? 0 : h.scalar(0.01))
                                    .withTemperature(h.chance(0.5) ? 0 : h.scalar(0.01))
                                    .train(net, data, h.rng());
                        }),
                entry("LinearNetworkClosure", INPUTS + ", inputMoment, crossMoment, targetSecondMoment, gamma0, "
                        + "gamma, q, t, integrator, initial, neurons, step", h -> {
                            LinearNetworkClosure c = LinearNetworkClosure.of(h.spd(2), h.matrix(1, 2),
                                    h.scalar(1));
                            return List.of(c.solveMoments(h.spd(3), h.uniform(0, 1), RungeKutta4.of(0.05)),
                                    c.risk(h.matrix(1, 2)));
                        }),
                // growthRates documents +Infinity when q^(1/dt) leaves the double range (a hostile tiny dt)
                entry("SnapshotTransitions.fit/descendants/ancestors/interpolate", INPUTS + ", times, snapshots, "
                        + "masses, solver, epsilon, maxIterations, x, rho, refinements, priorGrowth, priorGrowth[0], "
                        + "series, cellMass, t, n, rng", h -> {
                    // one hostile part at a time (mostly): a call with every part drawn hostile is always rejected
                    SnapshotSeries series = SnapshotSeries.of(new double[] {0, h.chance(0.2) ? h.uniform(0.5, 2) : 1},
                            List.of(h.cloud(5, 2), h.cloud(4, 2)),
                            h.chance(0.2) ? h.weights(2) : new double[] {1, 1.5});
                    SnapshotTransitions transitions = SnapshotTransitions.of(SinkhornSolver.of(h.scalar(1))
                            .withMaxIterations(h.chance(0.2) ? h.count(1, 300) : 300));
                    if (h.chance(0.5)) {
                        transitions = transitions.withMarginalRelaxation(h.scalar(1))
                                .withGrowthRefinements(h.chance(0.9) ? 1 : -1);
                    }
                    SnapshotTransitionsResult fit = transitions.fit(series, h.chance(0.8) ? null
                            : java.util.Collections.singletonList(h.chance(0.5) ? h.weights(5) : h.numbers(5)));
                    return List.of(fit, fit.descendants(0, h.chance(0.8) ? new double[] {1, 0, 1, 0, 1}
                                    : h.numbers(5), 1),
                            fit.ancestors(1, h.chance(0.8) ? new double[] {0, 1, 1, 0} : h.numbers(4), 0),
                            fit.interpolate(h.chance(0.8) ? 0.5 : h.uniform(0, 0.5),
                                    h.chance(0.8) ? 10 : (int) h.count(1, 20), h.rng()).flatPoints(),
                            fit.growthRates(0));
                }).allowingInfinity("result[4]"),
                entry("ResidualNetwork.train", INPUTS + ", z, y, m, learningRate, steps, parameters, h, layers", h -> {
                    int d = 2;
                    int width = 3;
                    int layers = 2;
                    ResidualNetwork net = ResidualNetwork.of(d, width, layers, Activation.TANH,
                            h.numbers(layers * ResidualNetwork.layerSize(d, width)));
                    return net.train(h.numbers(8), h.numbers(8), 4, h.scalar(0.1), h.count(1, 50));
                }));
    }
}
