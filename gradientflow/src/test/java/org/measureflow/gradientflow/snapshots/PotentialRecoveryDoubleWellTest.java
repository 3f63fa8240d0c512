package org.measureflow.gradientflow.snapshots;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.particles.Langevin;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * Potential recovery on a bifurcating population: Langevin particles in the double well
 * \( V(x) = (x_1^2 - 1)^2 + x_2^2/2 \) with \( D = 0.05 \), started near the saddle at the origin, observed at six
 * times (independent cells at each time); one snapshot is held out.
 */
class PotentialRecoveryDoubleWellTest {
    private static final double D = 0.05;
    private static final double[] TIMES = {0.0, 0.3, 0.6, 0.9, 1.2, 1.5};
    private static final int HELD_OUT = 2;
    private static final int N = 1000;
    private static final double STEP = 1e-3;

    /** The true landscape: (x1^2 - 1)^2 + x2^2 / 2. */
    static final Potential TRUE_V = new Potential() {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public double value(double[] x, int offset) {
            double u = x[offset] * x[offset] - 1;
            return u * u + 0.5 * x[offset + 1] * x[offset + 1];
        }

        @Override
        public void addGradient(double[] x, int offset, double s, double[] out, int outOffset) {
            double x1 = x[offset];
            out[outOffset] += s * 4 * x1 * (x1 * x1 - 1);
            out[outOffset + 1] += s * x[offset + 1];
        }
    };

    /** All six snapshots: N independent cells per time, from one Langevin run of 6 N cells (block k read at t_k). */
    static List<ParticleMeasure> snapshots(SplittableRandom rng) {
        int total = N * TIMES.length;
        double[][] start = new double[total][2];
        for (int i = 0; i < total; i++) {
            start[i][0] = 0.1 * gaussian(rng);
            start[i][1] = Math.sqrt(D) * gaussian(rng);
        }
        ParticleMeasure cloud = ParticleMeasure.of(start);
        PotentialEnergy energy = PotentialEnergy.of(TRUE_V);
        EulerMaruyama em = EulerMaruyama.of(STEP);
        List<ParticleMeasure> out = new ArrayList<>();
        double t = 0;
        for (int k = 0; k < TIMES.length; k++) {
            if (TIMES[k] > t) {
                cloud = Langevin.simulate(cloud, energy, D, em, t, TIMES[k], rng).measure();
                t = TIMES[k];
            }
            double[] flat = cloud.flatPoints();
            double[] block = new double[N * 2];
            System.arraycopy(flat, k * N * 2, block, 0, N * 2);
            out.add(ParticleMeasure.fromFlat(block, 2));
        }
        return out;
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void aRadialBasisAlsoPutsTheMinimaAtTheWells() {
        List<ParticleMeasure> all = snapshots(new SplittableRandom(7));
        double[][] centres = new double[21][];
        for (int i = 0, at = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                centres[at++] = new double[] {-1.5 + 0.5 * i, -0.5 + 0.5 * j};
            }
        }
        PotentialFitResult fit = PotentialRecovery.of(PotentialBasis.radial(centres, 0.5),
                SinkhornSolver.of(0.01).withTolerance(1e-7)).withDiffusion(D).fit(SnapshotSeries.of(TIMES, all));
        System.out.println("double well, radial basis: " + fit);
        for (double side : new double[] {-1, 1}) {
            double[] x = descend(fit, side);
            System.out.println("double well, radial basis: minimum near " + side + ": " + x[0] + ", " + x[1]);
            // the bumps (width 0.5, spacing 0.5) resolve the wells to a fraction of their spacing
            assertTrue(Math.abs(x[0] - side) <= 0.15 && Math.abs(x[1]) <= 0.15,
                    "minimum " + x[0] + ", " + x[1] + " for the well at " + side);
        }
    }

    /** Gradient descent on the fitted potential from (0.6 side, 0.2). */
    private static double[] descend(PotentialFitResult fit, double side) {
        double[] x = {0.6 * side, 0.2};
        for (int it = 0; it < 20_000; it++) {
            double[] g = fit.gradient(x);
            x[0] -= 0.01 * g[0];
            x[1] -= 0.01 * g[1];
        }
        return x;
    }

    @Test
    void recoveredMinimaAreAtTheWellsAndTheFittedModelPredictsTheHeldOutSnapshotBetterThanItsNeighbours() {
        List<ParticleMeasure> all = snapshots(new SplittableRandom(7));
        List<ParticleMeasure> train = new ArrayList<>(all);
        train.remove(HELD_OUT);
        double[] trainTimes = new double[TIMES.length - 1];
        for (int k = 0, at = 0; k < TIMES.length; k++) {
            if (k != HELD_OUT) {
                trainTimes[at++] = TIMES[k];
            }
        }
        SinkhornSolver sinkhorn = SinkhornSolver.of(0.01).withTolerance(1e-7);
        PotentialFitResult fit = PotentialRecovery.of(PotentialBasis.polynomial(2, 4), sinkhorn).withDiffusion(D)
                .fit(SnapshotSeries.of(trainTimes, train));
        System.out.println("double well: " + fit);
        assertTrue(fit.converged(), fit.toString());

        // minima: Newton-free descent from each side; the wells are at (+-1, 0)
        for (double side : new double[] {-1, 1}) {
            double[] x = descend(fit, side);
            double[] g = fit.gradient(x);
            System.out.println("double well: minimum near " + side + ": " + x[0] + ", " + x[1] + " (|grad| "
                    + Math.hypot(g[0], g[1]) + ")");
            // wells within 0.15: a gradient error e moves the minimum by e / V''(well) = e / 8 in x1 and e / 1 in x2;
            // the fit's gradient error at the wells ~ the OU test's coefficient error scale (3 sigma sqrt(2/n) / tau)
            assertTrue(Math.abs(x[0] - side) <= 0.15 && Math.abs(x[1]) <= 0.15,
                    "minimum " + x[0] + ", " + x[1] + " for the well at " + side);
        }

        // the held-out snapshot: the fitted model from the first snapshot vs the mixture of its two neighbours
        ParticleMeasure heldOut = all.get(HELD_OUT);
        ParticleMeasure predicted = fit.simulate(all.get(0), TIMES[0], new double[] {TIMES[HELD_OUT]},
                EulerMaruyama.of(STEP), new SplittableRandom(11)).get(0);
        ParticleMeasure before = all.get(HELD_OUT - 1);
        ParticleMeasure after = all.get(HELD_OUT + 1);
        double[] mixture = new double[4 * N];
        System.arraycopy(before.flatPoints(), 0, mixture, 0, 2 * N);
        System.arraycopy(after.flatPoints(), 0, mixture, 2 * N, 2 * N);
        SinkhornDivergence divergence = SinkhornDivergence.of(SinkhornSolver.of(0.01));
        double model = divergence.value(predicted, heldOut);
        double naive = divergence.value(ParticleMeasure.fromFlat(mixture, 2), heldOut);
        ParticleMeasure oracle = Langevin.simulate(all.get(0), PotentialEnergy.of(TRUE_V), D, EulerMaruyama.of(STEP),
                TIMES[0], TIMES[HELD_OUT], new SplittableRandom(13)).measure();
        System.out.println("double well: held-out Sinkhorn divergence, fitted model " + model + ", neighbours' mixture "
                + naive + ", true model (sampling floor) " + divergence.value(oracle, heldOut));
        assertTrue(model < naive, "model " + model + " vs mixture " + naive);
    }
}
