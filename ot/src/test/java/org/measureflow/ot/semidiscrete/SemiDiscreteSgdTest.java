package org.measureflow.ot.semidiscrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.testing.Property;
import org.measureflow.testing.Rejections;

/**
 * {@link SemiDiscreteSgd}: the averaged iterate approaches the exact weights of {@link SemiDiscreteNewton} at the
 * Polyak&ndash;Juditsky rate, the masses and cost follow.
 */
class SemiDiscreteSgdTest {
    private static final GridDensity.Grid UNIT = GridDensity.Grid.of2d(0, 1, 1, 0, 1, 1);

    /** The Hessian H = -D^2 Phi (weighted Laplacian, uniform density 1 on the unit square) from the exact cells. */
    static DMatrixRMaj laplacian(ParticleMeasure y, double[] psi) {
        LaguerreDiagram cells = SemiDiscreteNewton.diagram(UNIT, y, psi);
        int n = y.size();
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double[] v = cells.vertices(i);
            int[] nb = cells.neighbours(i);
            int e = nb.length;
            for (int k = 0; k < e; k++) {
                int j = nb[k];
                if (j < 0) {
                    continue;
                }
                int k1 = (k + 1) % e;
                double len = Math.hypot(v[2 * k1] - v[2 * k], v[2 * k1 + 1] - v[2 * k + 1]);
                double dist = Math.hypot(y.coordinate(i, 0) - y.coordinate(j, 0), y.coordinate(i, 1) - y.coordinate(j, 1));
                double w = len / (2 * dist);
                h.add(i, j, -w);
                h.add(i, i, w);
            }
        }
        return h;
    }

    /** Polyak-Juditsky: the asymptotic covariance H^+ S H^+ of sqrt(K) (psibar - psi*), S = diag(b) - b b^T. */
    static DMatrixRMaj asymptoticCovariance(DMatrixRMaj h, double[] b) {
        int n = b.length;
        DMatrixRMaj shifted = h.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                shifted.add(i, j, 1.0 / n);
            }
        }
        DMatrixRMaj pinv = new DMatrixRMaj(n, n);
        CommonOps_DDRM.invert(shifted, pinv);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                pinv.add(i, j, -1.0 / n);
            }
        }
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s.set(i, j, (i == j ? b[i] : 0) - b[i] * b[j]);
            }
        }
        DMatrixRMaj tmp = new DMatrixRMaj(n, n);
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(pinv, s, tmp);
        CommonOps_DDRM.mult(tmp, pinv, out);
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void averagedWeightsApproachTheNewtonWeightsAtThePolyakJuditskyRate(long seed) {
        Property.check(seed, rng -> {
            int n = 10 + rng.nextInt(10);
            ParticleMeasure y = SemiDiscreteNewtonTest.randomPoints(rng, n);
            double[] b = y.weights();
            SemiDiscreteResult exact = SemiDiscreteNewton.withDefaults().solveUniform(0, 1, 0, 1, y);
            long iterations = 100_000;
            int samples = 50_000;
            SemiDiscreteResult sgd = SemiDiscreteSgd.withDefaults().withSteps(iterations)
                    .withEvaluationSamples(samples).solve(PointSampler.uniform(new double[] {0, 0}, new double[] {1, 1}),
                            y, new SplittableRandom(seed));
            DMatrixRMaj h = laplacian(y, exact.weights());
            DMatrixRMaj cov = asymptoticCovariance(h, b);
            // the exact masses at the averaged weights, from the polygon integrals
            double[] atAverage = SemiDiscreteNewton.withDefaults().evaluate(
                    GridDensity.of(UNIT, new double[] {1}), y, sgd.weights()).masses();
            double maxPsi = 0;
            for (int i = 0; i < n; i++) {
                // sqrt(K) (psibar - psi*) -> N(0, H^+ S H^+): each of <= 20 coordinates within 5 sd
                double sd = Math.sqrt(cov.get(i, i) / iterations);
                assertEquals(exact.weights()[i], sgd.weights()[i], 5 * sd, "weight " + i);
                // the reported mass is a binomial frequency over M fresh samples of the exact mass m_i(psibar)
                double p = atAverage[i];
                assertEquals(p, sgd.masses()[i], 5 * Math.sqrt(p * (1 - p) / samples), "mass " + i);
                maxPsi = Math.max(maxPsi, Math.abs(sgd.weights()[i]));
            }
            // the dual value: Phi(psibar) <= Phi(psi*) with a second-order deficit e^T H e / 2 ~ tr(H Sigma)/(2K)
            // (negligible), estimated by a mean of M values of f = min_i(|x-y_i|^2 - psi_i); on the unit square
            // |x-y|^2 <= 2, so Var f <= E f^2 <= 4 E|x - T(x)|^2 + 2 max psi^2
            double sdCost = Math.sqrt((4 * exact.objective() + 2 * maxPsi * maxPsi) / samples);
            assertEquals(exact.objective(), sgd.objective(), 5 * sdCost);
        });
    }

    @Test
    void oneDimensionalUniformSourceHasQuantileCells() {
        // 1-D: the cells are the intervals [z_{i-1}, z_i] with z_i = b_1 + ... + b_i (quantiles of U[0,1]), and
        // psi_{i+1} - psi_i = (y_{i+1} - y_i)(y_{i+1} + y_i - 2 z_i) makes z_i the common boundary
        double[] y = {0.05, 0.2, 0.45, 0.5, 0.8, 0.9};
        double[] w = {0.1, 0.25, 0.15, 0.2, 0.2, 0.1};
        int n = y.length;
        ParticleMeasure target = ParticleMeasure.fromFlat(y, 1, w);
        double[] exact = new double[n];
        double z = 0;
        for (int i = 0; i + 1 < n; i++) {
            z += w[i];
            exact[i + 1] = exact[i] + (y[i + 1] - y[i]) * (y[i + 1] + y[i] - 2 * z);
        }
        double mean = 0;
        for (double v : exact) {
            mean += v / n;
        }
        // Hessian: H_{i,i+1} = rho(z_i) / (2 |y_{i+1} - y_i|) with rho = 1
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        for (int i = 0; i + 1 < n; i++) {
            double c = 1 / (2 * (y[i + 1] - y[i]));
            h.add(i, i + 1, -c);
            h.add(i + 1, i, -c);
            h.add(i, i, c);
            h.add(i + 1, i + 1, c);
        }
        long iterations = 200_000;
        SemiDiscreteResult r = SemiDiscreteSgd.withDefaults().withSteps(iterations)
                .solve(PointSampler.uniform(new double[] {0}, new double[] {1}), target, new SplittableRandom(4));
        DMatrixRMaj cov = asymptoticCovariance(h, target.weights());
        for (int i = 0; i < n; i++) {
            // Polyak-Juditsky as above: within 5 sd
            assertEquals(exact[i] - mean, r.weights()[i], 5 * Math.sqrt(cov.get(i, i) / iterations), "psi " + i);
        }
        assertEquals(1, r.dimension());
        // the centroid of [z_{i-1}, z_i] is its midpoint; the estimate averages ~ M b_i uniform points
        double lo = 0;
        for (int i = 0; i < n; i++) {
            double sd = w[i] / Math.sqrt(12 * 100_000 * w[i]);
            assertEquals(lo + w[i] / 2, r.centroids()[i], 5 * sd + 1e-3, "centroid " + i);
            lo += w[i];
        }
    }

    @Test
    void gaussianSourceInThreeDimensionsReachesTheTargetMasses() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 12;
        double[] flat = new double[3 * n];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = rng.nextGaussian();
        }
        ParticleMeasure target = ParticleMeasure.fromFlat(flat, 3);
        long iterations = 100_000;
        int samples = 100_000;
        SemiDiscreteResult r = SemiDiscreteSgd.withDefaults().withSteps(iterations).withEvaluationSamples(samples)
                .solve(GaussianMeasure.standard(3), target, new SplittableRandom(9));
        // at K = 1e5 the O(K^{-1/2}) rate leaves mass errors of order sqrt(b/K) ~ 1e-3 (the 2-D test above), and the
        // estimate adds sqrt(b/M) ~ 1e-3: well within the default tolerance 1e-2
        assertTrue(r.converged(), "mass error " + r.error());
        assertEquals(n, r.masses().length);
        // weak duality: the dual value never exceeds the primal cost of a map that carries rho onto the estimated
        // masses; both are estimates from the same samples and agree within their Monte Carlo error
        assertEquals(r.cost(), r.objective(), 0.05 * r.cost());
    }

    @Test
    void samplersDrawFromTheirDensities() {
        SplittableRandom rng = new SplittableRandom(12);
        GaussianMeasure g = GaussianMeasure.of(new double[] {1, -2},
                new DMatrixRMaj(new double[][] {{2, 0.6}, {0.6, 0.5}}));
        PointSampler s = g;
        int m = 200_000;
        double[] x = new double[2];
        double[] mean = new double[2];
        double cross = 0;
        for (int k = 0; k < m; k++) {
            s.sample(1, rng, x);
            mean[0] += x[0] / m;
            mean[1] += x[1] / m;
            cross += (x[0] - 1) * (x[1] + 2) / m;
        }
        // sample means and covariance within 5 sd: sd(mean_k) = sqrt(S_kk / m), sd(cross) <= sqrt((S00 S11 + S01^2)/m)
        assertEquals(1, mean[0], 5 * Math.sqrt(2.0 / m));
        assertEquals(-2, mean[1], 5 * Math.sqrt(0.5 / m));
        assertEquals(0.6, cross, 5 * Math.sqrt((2 * 0.5 + 0.36) / m));
        // a grid density: the cell frequencies are its normalised cell masses
        GridDensity grid = GridDensity.of2d(0, 1, 2, 0, 2, 3, new double[] {1, 2, 3, 4, 5, 6});
        PointSampler gs = PointSampler.of(grid);
        long[] counts = new long[6];
        for (int k = 0; k < m; k++) {
            gs.sample(1, rng, x);
            counts[grid.grid().cellIndex(x, 0)]++;
        }
        for (int c = 0; c < 6; c++) {
            double p = (c + 1) / 21.0;
            assertEquals(p, counts[c] / (double) m, 5 * Math.sqrt(p * (1 - p) / m), "cell " + c);
        }
    }

    @Test
    void rejectsBadArguments() {
        Rejections.assertRejected("target", () -> SemiDiscreteSgd.withDefaults().solve(
                PointSampler.uniform(new double[] {0}, new double[] {1}),
                ParticleMeasure.fromFlat(new double[] {0, 1}, 2), new SplittableRandom(1)));
        Rejections.assertRejected("steps", () -> SemiDiscreteSgd.withDefaults().withSteps(0));
        Rejections.assertRejected("lower[0]", () -> PointSampler.uniform(new double[] {1}, new double[] {1}));
    }
}
