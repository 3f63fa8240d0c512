package org.measureflow.gradientflow.snapshots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** Transitions, growth, descendants, ancestors and interpolation on synthetic populations with a known truth. */
class SnapshotTransitionsTest {

    /**
     * Ornstein-Uhlenbeck snapshots \( dX = -AX\,dt + \sqrt{2D}\,dW \) with diagonal \( A, D \): every snapshot is
     * Gaussian with mean \( e^{-a t}m_0 \) and variance \( D/a + (\sigma_0^2 - D/a)e^{-2at} \) per coordinate.
     * Snapshots at 0, 0.3, 0.6 are fitted, the one at 0.1 is held out and predicted by the interpolation
     * (at s = 1/3 of the first interval, so that a reversed s would be seen in the mean and variance).
     */
    @Test
    void interpolationAtAHeldOutTimeHasTheOrnsteinUhlenbeckMeanAndCovariance() {
        double[] a = {1.0, 0.5};
        double[] diffusion = {0.5, 1.0};
        double[] m0 = {1.5, -1.0};
        double[] var0 = {0.4, 1.5};
        double[] times = {0.0, 0.3, 0.6};
        int n = 2000;
        int draws = 2000;
        SplittableRandom rng = new SplittableRandom(18);
        List<ParticleMeasure> snapshots = new ArrayList<>();
        for (double t : times) {
            snapshots.add(gaussianCloud(rng, n, ouMean(a, m0, t), ouVariance(a, diffusion, var0, t)));
        }
        double epsilon = 0.01;
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(epsilon))
                .fit(SnapshotSeries.of(times, snapshots));
        assertTrue(fit.converged(), fit.toString());

        double held = 0.1;
        double s = held / 0.3;
        ParticleMeasure predicted = fit.interpolate(held, draws, new SplittableRandom(7));
        double[] mean = predicted.mean();
        DMatrixRMaj cov = predicted.covariance();
        double[] trueMean = ouMean(a, m0, held);
        double[] trueVar = ouVariance(a, diffusion, var0, held);
        for (int c = 0; c < 2; c++) {
            // sampling sd of a mean: sigma sqrt(1/n + 1/n + 1/draws) (two snapshots' means and the draws); 4 sd
            double meanTol = 4 * Math.sqrt(trueVar[c] * (2.0 / n + 1.0 / draws));
            // sd of a sample variance: sigma^2 sqrt(2/n) per source (two snapshots, the draws); 4 sd, plus epsilon
            // (the entropic plan lowers the cross-covariance by about epsilon/4 per coordinate)
            double varTol = 4 * trueVar[c] * Math.sqrt(2 * (2.0 / n + 1.0 / draws)) + epsilon;
            // the McCann interpolation estimates the Bures geodesic between the snapshot laws at s (for diagonal
            // covariances: mean and sd linear in s), which differs from the OU law at 0.1 by O(dt^2); dt = 0.3
            // keeps that difference below a quarter of the sampling tolerance (checked here)
            double geodesicMean = (1 - s) * ouMean(a, m0, 0)[c] + s * ouMean(a, m0, 0.3)[c];
            double geodesicSd = (1 - s) * Math.sqrt(ouVariance(a, diffusion, var0, 0)[c])
                    + s * Math.sqrt(ouVariance(a, diffusion, var0, 0.3)[c]);
            assertTrue(Math.abs(geodesicMean - trueMean[c]) < meanTol / 4, "design: dt too large for the mean");
            assertTrue(Math.abs(geodesicSd * geodesicSd - trueVar[c]) < varTol / 4, "design: dt too large");
            assertEquals(trueMean[c], mean[c], meanTol, "mean[" + c + "]");
            assertEquals(trueVar[c], cov.get(c, c), varTol, "variance[" + c + "]");
        }
        // the coordinates are independent: the sample covariance has sd sigma_1 sigma_2 / sqrt(n); 4 sd
        double offTol = 4 * Math.sqrt(trueVar[0] * trueVar[1] * (2.0 / n + 1.0 / draws));
        assertEquals(0.0, cov.get(0, 1), offTol, "covariance[0][1]");
    }

    /**
     * A population of two well-separated regions: A (around x = -3) grows at the exponential rate ln 2, B (around
     * x = +3) at rate 0; the masses are \( M(t) = \frac12 e^{\lambda t} + \frac12 \) and each snapshot holds
     * exactly round(p_A(t) n) cells of A. Unbalanced transitions read each region's rate from the row sums of
     * their plans; balanced ones can only give every cell the population's mean rate.
     */
    @Test
    void unbalancedTransitionsRecoverARegionsGrowthRateAndBalancedOnesDoNot() {
        double lambda = Math.log(2);
        double[] times = {0.0, 0.5, 1.0};
        int n = 500;
        SplittableRandom rng = new SplittableRandom(44);
        List<ParticleMeasure> snapshots = new ArrayList<>();
        double[] masses = new double[times.length];
        List<boolean[]> inA = new ArrayList<>();
        double[] pA = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            double massA = 0.5 * Math.exp(lambda * times[k]);
            masses[k] = massA + 0.5;
            int countA = (int) Math.round(massA / masses[k] * n);
            pA[k] = (double) countA / n;
            double[][] points = new double[n][];
            boolean[] member = new boolean[n];
            for (int i = 0; i < n; i++) {
                member[i] = i < countA;
                double centre = member[i] ? -3 : 3;
                points[i] = new double[] {centre + 0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian()};
            }
            snapshots.add(ParticleMeasure.of(points));
            inA.add(member);
        }
        SnapshotSeries series = SnapshotSeries.of(times, snapshots, masses);
        SinkhornSolver solver = SinkhornSolver.of(0.05);
        SnapshotTransitionsResult unbalanced = SnapshotTransitions.of(solver).withMarginalRelaxation(1.0).fit(series);
        SnapshotTransitionsResult balanced = SnapshotTransitions.of(solver).fit(series);
        assertTrue(unbalanced.converged(), unbalanced.toString());
        assertTrue(balanced.converged(), balanced.toString());
        for (int k = 0; k < times.length - 1; k++) {
            double dt = times[k + 1] - times[k];
            // rounding the counts moves each p_A by at most 1/(2n), so the log of a region's mass ratio by at most
            // 1/(2 n p) at each end; over dt; the regions are 6 apart (cost 36 >> rho ln 2): no mass crosses
            double tolA = (0.5 / (n * pA[k]) + 0.5 / (n * pA[k + 1])) / dt + 1e-6;
            double tolB = (0.5 / (n * (1 - pA[k])) + 0.5 / (n * (1 - pA[k + 1]))) / dt + 1e-6;
            double errorA = Math.abs(regionRate(unbalanced, k, inA.get(k), true) - lambda);
            double errorB = Math.abs(regionRate(unbalanced, k, inA.get(k), false));
            assertTrue(errorA <= tolA, "interval " + k + ": region A rate error " + errorA + " > " + tolA);
            assertTrue(errorB <= tolB, "interval " + k + ": region B rate error " + errorB + " > " + tolB);
            // balanced: the mean rate ln(M_{k+1}/M_k)/dt everywhere, off by a known margin in both regions
            double wrongA = Math.abs(regionRate(balanced, k, inA.get(k), true) - lambda);
            double wrongB = Math.abs(regionRate(balanced, k, inA.get(k), false));
            assertTrue(wrongA > 10 * tolA && wrongB > 10 * tolB, "balanced errors " + wrongA + ", " + wrongB);
        }
    }

    /** The exponential rate of a region over interval k: log of its mass-weighted fitted growth, over dt. */
    private static double regionRate(SnapshotTransitionsResult fit, int k, boolean[] inA, boolean regionA) {
        double[] q = fit.growth()[k];
        double[] w = fit.series().snapshot(k).weights();
        double grown = 0;
        double mass = 0;
        for (int i = 0; i < q.length; i++) {
            if (inA[i] == regionA) {
                grown += w[i] * q[i];
                mass += w[i];
            }
        }
        double[] rates = fit.growthRates(k);
        double dt = fit.series().time(k + 1) - fit.series().time(k);
        // growthRates is q^(1/dt): its log times dt is log q (checked on the first cell)
        assertEquals(Math.log(q[0]), Math.log(rates[0]) * dt, 1e-12);
        return Math.log(grown / mass) / dt;
    }

    @Test
    void balancedDescendantsAndAncestorsConserveMassAndComposeOverTwoIntervals() {
        SnapshotSeries series = smallSeries(new double[] {1, 1, 1});
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(0.1)).fit(series);
        assertTrue(fit.converged(), fit.toString());
        double[] followed = new double[series.snapshot(0).size()];
        double[] w0 = series.snapshot(0).weights();
        for (int i = 0; i < followed.length; i += 3) {
            followed[i] = w0[i]; // every third cell, whole
        }
        double[] late = new double[series.snapshot(2).size()];
        double[] w2 = series.snapshot(2).weights();
        for (int j = 1; j < late.length; j += 2) {
            late[j] = 0.5 * w2[j]; // half of every second cell
        }
        double[] d1 = fit.descendants(0, followed, 1);
        double[] d2 = fit.descendants(0, followed, 2);
        double[] a1 = fit.ancestors(2, late, 1);
        double[] a0 = fit.ancestors(2, late, 0);
        // balanced, equal masses: each push changes the total by at most the L1 marginal error (tolerance 1e-9,
        // times followed fractions <= 1), so two pushes by at most 2e-9
        assertEquals(sum(followed), sum(d1), 2e-9);
        assertEquals(sum(followed), sum(d2), 2e-9);
        assertEquals(sum(late), sum(a1), 2e-9);
        assertEquals(sum(late), sum(a0), 2e-9);
        // composition: two steps equal the step through the composed coupling, to round-off
        assertArrayEquals(d2, fit.descendants(1, d1, 2), 1e-15);
        assertArrayEquals(a0, fit.ancestors(1, a1, 0), 1e-15);
        assertComposedCouplingAgrees(fit, followed, late);
        // the whole population pulls back to the whole population (up to the marginal error)
        double[] whole2 = fit.descendants(0, w0, 2);
        assertArrayEquals(w0, fit.ancestors(2, whole2, 0), 1e-8);
    }

    @Test
    void unbalancedDescendantsAndAncestorsComposeThroughTheComposedCoupling() {
        SnapshotSeries series = smallSeries(new double[] {1, 1.5, 2.5});
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(0.1)).withMarginalRelaxation(0.5)
                .withTargetRelaxation(2.0).withGrowthRefinements(1).fit(series);
        assertTrue(fit.converged(), fit.toString());
        double[] followed = new double[series.snapshot(0).size()];
        for (int i = 0; i < followed.length; i += 2) {
            followed[i] = 0.01 * i;
        }
        double[] late = new double[series.snapshot(2).size()];
        for (int j = 0; j < late.length; j += 5) {
            late[j] = 0.02;
        }
        // descendants' total is sum_i m_i q_i (the growth), by the definitions
        double[] q = fit.growth()[0];
        double[] s0 = series.snapshot(0).weights();
        double grown = 0;
        for (int i = 0; i < q.length; i++) {
            grown += followed[i] * q[i];
        }
        assertEquals(grown, sum(fit.descendants(0, followed, 1)), 1e-12 * grown + 1e-15 * s0.length);
        assertComposedCouplingAgrees(fit, followed, late);
    }

    /** Compares the two-interval pushes with dense products through the composed coupling (round-off only). */
    private static void assertComposedCouplingAgrees(SnapshotTransitionsResult fit, double[] followed, double[] late) {
        SnapshotSeries series = fit.series();
        int n0 = series.snapshot(0).size();
        int n1 = series.snapshot(1).size();
        int n2 = series.snapshot(2).size();
        double[] p0 = fit.couplings().get(0).plan().toDense();
        double[] p1 = fit.couplings().get(1).plan().toDense();
        double u0 = fit.planMasses()[0];
        double u1 = fit.planMasses()[1];
        double[] s0 = cellMasses(series, 0);
        double[] s1 = cellMasses(series, 1);
        // Q = Pi0 diag(1/s1) Pi1, n0 x n2
        double[] composed = new double[n0 * n2];
        for (int i = 0; i < n0; i++) {
            for (int l = 0; l < n1; l++) {
                double f = u0 * p0[i * n1 + l] / s1[l] * u1;
                for (int j = 0; j < n2; j++) {
                    composed[i * n2 + j] += f * p1[l * n2 + j];
                }
            }
        }
        double[] expected = new double[n2];
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n2; j++) {
                expected[j] += composed[i * n2 + j] * followed[i] / s0[i];
            }
        }
        assertArrayEquals(expected, fit.descendants(0, followed, 2), 1e-12 * max(expected));
        // ancestors: A_k = diag(s_k / r_k) Pi_k diag(1 / c_k), composed A_0 A_1
        double[] back1 = ancestorStep(p1, u1, n1, n2, s1, late);
        double[] back0 = ancestorStep(p0, u0, n0, n1, s0, back1);
        assertArrayEquals(back0, fit.ancestors(2, late, 0), 1e-12 * max(back0));
    }

    private static double[] ancestorStep(double[] p, double unit, int n, int m, double[] s, double[] mass) {
        double[] rows = new double[n];
        double[] cols = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rows[i] += unit * p[i * m + j];
                cols[j] += unit * p[i * m + j];
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i] += unit * p[i * m + j] * mass[j] / cols[j];
            }
            out[i] *= s[i] / rows[i];
        }
        return out;
    }

    @Test
    void balancedTransitionsRescaleAGivenPriorToTheObservedTotalGrowth() {
        SnapshotSeries series = smallSeries(new double[] {1, 2, 3});
        List<double[]> prior = new ArrayList<>();
        for (int k = 0; k < 3; k++) { // one array per snapshot: the last is checked, not used
            double[] g = new double[series.snapshot(k).size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = 0.5 + 0.05 * i;
            }
            prior.add(g);
        }
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(0.1)).fit(series, prior);
        for (int k = 0; k < 2; k++) {
            double[] w = series.snapshot(k).weights();
            double dt = series.time(k + 1) - series.time(k);
            double ratio = series.mass(k + 1) / series.mass(k);
            double norm = 0;
            for (int i = 0; i < w.length; i++) {
                norm += w[i] * Math.pow(prior.get(k)[i], dt);
            }
            double[] q = fit.growth()[k];
            for (int i = 0; i < w.length; i++) {
                // q_i = (M_{k+1}/M_k) g_i^dt / sum_l w_l g_l^dt; the row sums match the source marginal within the
                // L1 marginal error (tolerance 1e-9), so q_i within 1e-9 (M_{k+1}/M_k) / w_i
                assertEquals(ratio * Math.pow(prior.get(k)[i], dt) / norm, q[i], 1e-9 * ratio / w[i], "q[" + i + "]");
            }
        }
    }

    @Test
    void badInputIsRejectedByName() {
        ParticleMeasure a = ParticleMeasure.of(new double[][] {{0, 0}, {1, 0}, {0, 1}});
        ParticleMeasure b = ParticleMeasure.of(new double[][] {{0, 0.5}, {1, 1}});
        ParticleMeasure line = ParticleMeasure.of(new double[][] {{0}, {1}});
        rejects("snapshots[1] (dimension)", () -> SnapshotSeries.of(new double[] {0, 1}, List.of(a, line)));
        rejects("times", () -> SnapshotSeries.of(new double[] {0, 0}, List.of(a, b)));
        rejects("times", () -> SnapshotSeries.of(new double[] {1, 0.5}, List.of(a, b)));
        // finite times whose difference overflows: every interval length must be a number
        rejects("times", () -> SnapshotSeries.of(new double[] {-1e308, 1e308}, List.of(a, b)));
        rejects("snapshots (count)", () -> SnapshotSeries.of(new double[] {0}, List.of(a)));
        rejects("masses", () -> SnapshotSeries.of(new double[] {0, 1}, List.of(a, b), new double[] {1, 1, 1}));
        rejects("masses", () -> SnapshotSeries.of(new double[] {0, 1}, List.of(a, b), new double[] {1, -1}));
        SnapshotSeries series = SnapshotSeries.of(new double[] {0, 1}, List.of(a, b));
        SnapshotTransitions transitions = SnapshotTransitions.of(SinkhornSolver.of(0.5));
        rejects("solver", () -> SnapshotTransitions.of(null));
        rejects("rho", () -> transitions.withMarginalRelaxation(-1));
        rejects("rho", () -> transitions.withTargetRelaxation(Double.NaN));
        rejects("refinements", () -> transitions.withGrowthRefinements(-1));
        rejects("series", () -> transitions.fit(null));
        rejects("priorGrowth", () -> transitions.fit(series, List.of()));
        rejects("priorGrowth[0]", () -> transitions.fit(series, List.of(new double[] {1, 1})));
        rejects("priorGrowth[0]", () -> transitions.fit(series, List.of(new double[] {1, -2, 1})));
        SnapshotSeries slow = SnapshotSeries.of(new double[] {0, 3}, List.of(a, b));
        rejects("priorGrowth[0]", () -> transitions.fit(slow, List.of(new double[] {1e300, 1e300, 1e300})));
        SnapshotTransitionsResult fit = transitions.fit(series);
        rejects("cellMass", () -> fit.descendants(0, new double[] {1, -1, 0}, 1));
        rejects("cellMass", () -> fit.descendants(0, new double[] {1, 1}, 1));
        rejects("cellMass", () -> fit.ancestors(1, new double[] {Double.NaN, 1}, 0));
        rejects("toSnapshot", () -> fit.descendants(1, new double[] {1, 1}, 0));
        rejects("toSnapshot", () -> fit.ancestors(0, new double[] {1, 1, 1}, 1));
        rejects("fromSnapshot", () -> fit.descendants(2, new double[] {1, 1}, 2));
        rejects("t", () -> fit.interpolate(1.5, 10, new SplittableRandom(1)));
        rejects("t", () -> fit.interpolate(Double.NaN, 10, new SplittableRandom(1)));
        rejects("n", () -> fit.interpolate(0.5, 0, new SplittableRandom(1)));
        rejects("rng", () -> fit.interpolate(0.5, 10, null));
        rejects("k", () -> fit.growthRates(1));
    }

    @Test
    void anObserverThatStopsEndsEverySolveAndTheResultSaysSo() {
        SnapshotSeries series = smallSeries(new double[] {1, 1, 1});
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(0.01).withOverRelaxation(false))
                .withMarginalRelaxation(1.0).fit(series, status -> status.iteration() < 3);
        assertEquals(Termination.STOPPED, fit.termination());
        assertTrue(!fit.converged() && fit.iterations() <= 3 + 2 * 3, fit.toString()); // one per later solve
    }

    @Test
    void theSameGeneratorStateGivesTheSamePoints() {
        SnapshotSeries series = smallSeries(new double[] {1, 2, 3});
        SnapshotTransitionsResult fit = SnapshotTransitions.of(SinkhornSolver.of(0.1)).withMarginalRelaxation(1.0)
                .fit(series);
        double[] first = fit.interpolate(1.5, 50, new SplittableRandom(5)).flatPoints();
        double[] second = fit.interpolate(1.5, 50, new SplittableRandom(5)).flatPoints();
        assertArrayEquals(first, second, 0.0);
        // at a snapshot's own time every point is a cell of that snapshot
        double[] at = fit.interpolate(1.0, 20, new SplittableRandom(6)).flatPoints();
        double[] cells = series.snapshot(1).flatPoints();
        for (int p = 0; p < 20; p++) {
            boolean found = false;
            for (int j = 0; j < cells.length / 2 && !found; j++) {
                found = at[2 * p] == cells[2 * j] && at[2 * p + 1] == cells[2 * j + 1];
            }
            assertTrue(found, "point " + p + " is not a cell of snapshot 1");
        }
    }

    /** Three small 2-D snapshots (sizes 40, 30, 50) at times 0, 1, 2, drifting right and spreading, with masses. */
    private static SnapshotSeries smallSeries(double[] masses) {
        SplittableRandom rng = new SplittableRandom(3);
        int[] sizes = {40, 30, 50};
        List<ParticleMeasure> snapshots = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            double[][] points = new double[sizes[k]][];
            double[] weights = new double[sizes[k]];
            for (int i = 0; i < sizes[k]; i++) {
                points[i] = new double[] {k + (1 + 0.3 * k) * rng.nextGaussian(), rng.nextGaussian()};
                weights[i] = 0.5 + rng.nextDouble();
            }
            snapshots.add(ParticleMeasure.of(points, weights));
        }
        return SnapshotSeries.of(new double[] {0, 1, 2}, snapshots, masses);
    }

    private static double[] cellMasses(SnapshotSeries series, int k) {
        double[] w = series.snapshot(k).weights();
        for (int i = 0; i < w.length; i++) {
            w[i] *= series.mass(k);
        }
        return w;
    }

    private static ParticleMeasure gaussianCloud(SplittableRandom rng, int n, double[] mean, double[] variance) {
        double[][] points = new double[n][mean.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < mean.length; c++) {
                points[i][c] = mean[c] + Math.sqrt(variance[c]) * rng.nextGaussian();
            }
        }
        return ParticleMeasure.of(points);
    }

    private static double[] ouMean(double[] a, double[] m0, double t) {
        return new double[] {Math.exp(-a[0] * t) * m0[0], Math.exp(-a[1] * t) * m0[1]};
    }

    private static double[] ouVariance(double[] a, double[] diffusion, double[] var0, double t) {
        double[] v = new double[a.length];
        for (int c = 0; c < a.length; c++) {
            double stationary = diffusion[c] / a[c];
            v[c] = stationary + (var0[c] - stationary) * Math.exp(-2 * a[c] * t);
        }
        return v;
    }

    private static void rejects(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), "expected a message naming " + name + ": " + e.getMessage());
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
