package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.RungeKutta4;

/**
 * The bridge from the Eulerian to the Lagrangian view (survey eqs. 1&ndash;2): particles drawn from \( \rho_0 \) and
 * advected by a field reconstructed from the grid path reach \( \rho_1 \). The path is Gaussian,
 * \( m_t = m_0 + t\,\delta \), \( S_t = (I + tB) S_0 (I + tB) \), so \( \rho_1 \) is known exactly; the particles are
 * compared with it through their mean and covariance. On a density bounded away from 0 both reconstructions must
 * pass: they differ by a flux-null field, which moves particles but not the density.
 */
class ParticleBridgeTest {
    private static final int PARTICLES = 40_000;
    private static final double[] M0 = {-0.8, 0.2};
    private static final double[] DELTA = {1.2, -0.5};
    private static final double[][] S0 = {{0.5, 0.15}, {0.15, 0.3}};
    private static final double[][] B = {{0.4, 0.2}, {0.2, -0.25}};
    private static final Grid GRID = Grid.of2d(-5, 5, 128, -5, 5, 128);

    private static double[][] covariance(double t) {
        double[][] g = {{1 + t * B[0][0], t * B[0][1]}, {t * B[1][0], 1 + t * B[1][1]}};
        double[][] out = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        out[i][j] += g[i][k] * S0[k][l] * g[l][j];
                    }
                }
            }
        }
        return out;
    }

    private static GaussianMeasure gaussian(double t) {
        return GaussianMeasure.of(new double[]{M0[0] + t * DELTA[0], M0[1] + t * DELTA[1]}, covariance(t));
    }

    /** The path's densities on the grid: the Gaussian with weight {@code 1 - background}, plus a uniform share. */
    private static DensityPath path(Grid grid, double background) {
        int steps = 8;
        double[] times = new double[steps + 1];
        GridDensity[] densities = new GridDensity[steps + 1];
        double uniform = background / ((grid.upper(0) - grid.lower(0)) * (grid.upper(1) - grid.lower(1)));
        for (int i = 0; i <= steps; i++) {
            times[i] = (double) i / steps;
            GaussianMeasure g = gaussian(times[i]);
            densities[i] = GridDensity.fromFunction(grid, x -> (1 - background) * Math.exp(g.logDensity(x)) + uniform);
        }
        return DensityPath.of(times, densities);
    }

    /** Draws from the Gaussian at t = 0 with weight {@code 1 - background}, else uniformly on the box [-5, 5]^2. */
    private static ParticleMeasure start(double background) {
        SplittableRandom rng = new SplittableRandom(17);
        double[] gaussian = gaussian(0).sample(PARTICLES, rng).flatPoints();
        for (int i = 0; i < PARTICLES; i++) {
            if (rng.nextDouble() < background) {
                gaussian[2 * i] = rng.nextDouble(-5, 5);
                gaussian[2 * i + 1] = rng.nextDouble(-5, 5);
            }
        }
        return ParticleMeasure.fromFlat(gaussian, 2, null);
    }

    @Test
    void particlesFromRhoZeroReachRhoOneAlongTheLeastEffortField() {
        LeastEffortPathResult leastEffort = LeastEffort.withDefaults().solve(path(GRID, 0));
        assertTrue(leastEffort.converged(), leastEffort.toString());
        System.out.println(leastEffort);
        check("least effort", start(0), leastEffort.field(), 0);
    }

    /**
     * Dacorogna&ndash;Moser divides by the density, so in the tails of a Gaussian its field is huge (a fixed-step
     * integrator throws the few particles there far away); on a density bounded away from 0 (one tenth of the mass
     * spread uniformly) it is bounded, and both fields carry the particles along the path: the histogram of the
     * particles at t = 1 is that of rho_1 up to sampling error.
     */
    @Test
    void onADensityBoundedAwayFromZeroBothFieldsCarryTheParticles() {
        DensityPath path = path(GRID, 0.1);
        LeastEffortPathResult leastEffort = LeastEffort.withDefaults().solve(path);
        DacorognaMoserPathResult dacorognaMoser = DacorognaMoser.withDefaults().solve(path);
        System.out.println("with background: " + leastEffort + "\n" + dacorognaMoser);
        assertTrue(leastEffort.action() < dacorognaMoser.action(), "least effort has the smaller action");
        ParticleMeasure start = start(0.1);
        double[] target = binMasses(0.1);
        double tolerance = samplingTolerance(target);
        double le = histogramDistance(advect(start, leastEffort.field()), target);
        double dm = histogramDistance(advect(start, dacorognaMoser.field()), target);
        double stay = histogramDistance(start, target);
        System.out.println("histogram L1 to rho_1: least effort " + le + ", Dacorogna-Moser " + dm
                + ", particles left at t = 0: " + stay + "; tolerance " + tolerance);
        assertTrue(le < tolerance, "least effort: L1 " + le);
        assertTrue(dm < tolerance, "Dacorogna-Moser: L1 " + dm);
        assertTrue(stay > 3 * tolerance, "the test can tell rho_0 from rho_1");
    }

    @Test
    void theLeastEffortParticlesAlsoMatchTheHistogramOfRhoOne() {
        double[] target = binMasses(0);
        ParticleMeasure end = advect(start(0), LeastEffort.withDefaults().solve(path(GRID, 0)).field());
        double l1 = histogramDistance(end, target);
        System.out.println("least effort, Gaussian path: histogram L1 " + l1 + ", tolerance " + samplingTolerance(target));
        assertTrue(l1 < samplingTolerance(target), "L1 " + l1);
    }

    private static final int BINS = 20;

    /** The mass of rho_1 in each of BINS x BINS bins of [-5, 5]^2 (midpoint rule on 16 x 16 points per bin). */
    private static double[] binMasses(double background) {
        GaussianMeasure g = gaussian(1);
        double width = 10.0 / BINS;
        int sub = 16;
        double[] out = new double[BINS * BINS];
        double[] x = new double[2];
        for (int b = 0; b < out.length; b++) {
            double s = 0;
            for (int i = 0; i < sub; i++) {
                for (int j = 0; j < sub; j++) {
                    x[0] = -5 + (b / BINS + (i + 0.5) / sub) * width;
                    x[1] = -5 + (b % BINS + (j + 0.5) / sub) * width;
                    s += (1 - background) * Math.exp(g.logDensity(x)) + background / 100;
                }
            }
            out[b] = s * width * width / (sub * sub);
        }
        return out;
    }

    /**
     * The expected L1 distance of an empirical histogram, \( \sum_b E|\hat p_b - p_b| \le
     * \sum_b \sqrt{p_b(1 - p_b)/N} \), plus 4 standard deviations of its fluctuation (one particle moves it by at most
     * 2/N, so by McDiarmid its sd is at most \( 1/\sqrt N \)), plus 0.01 for the grid and time discretisation of the
     * field (O(h^2) of the displaced mass).
     */
    private static double samplingTolerance(double[] p) {
        double sum = 0;
        for (double v : p) {
            sum += Math.sqrt(v * (1 - v) / PARTICLES);
        }
        return sum + 4 / Math.sqrt(PARTICLES) + 0.01;
    }

    private static double histogramDistance(ParticleMeasure particles, double[] target) {
        double[] counts = new double[target.length];
        double[] points = particles.flatPoints();
        double width = 10.0 / BINS;
        for (int i = 0; i < particles.size(); i++) {
            int bx = (int) Math.floor((points[2 * i] + 5) / width);
            int by = (int) Math.floor((points[2 * i + 1] + 5) / width);
            if (bx >= 0 && bx < BINS && by >= 0 && by < BINS) {
                counts[bx * BINS + by] += 1.0 / particles.size();
            }
        }
        double l1 = 0;
        for (int b = 0; b < target.length; b++) {
            l1 += Math.abs(counts[b] - target[b]);
        }
        return l1;
    }

    private static ParticleMeasure advect(ParticleMeasure start, VectorField field) {
        return RungeKutta4.of(0.02).advect(start, field, 0, 1).measure();
    }

    private static void check(String name, ParticleMeasure start, VectorField field, double background) {
        ParticleMeasure end = advect(start, field);
        double[] mean = end.mean();
        DMatrixRMaj cov = end.covariance();
        // the target: (1 - b) N(m1, S1) + b U([-5, 5]^2), whose uniform part has mean 0 and variance 100 / 12
        GaussianMeasure g = gaussian(1);
        double[] m1 = new double[2];
        double[][] s1 = new double[2][2];
        for (int k = 0; k < 2; k++) {
            m1[k] = (1 - background) * g.mean()[k];
        }
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < 2; l++) {
                double second = (1 - background) * (g.covariance().get(k, l) + g.mean()[k] * g.mean()[l])
                        + (k == l ? background * 100.0 / 12 : 0);
                s1[k][l] = second - m1[k] * m1[l];
            }
        }
        System.out.println(name + ": particle mean " + java.util.Arrays.toString(mean) + " vs "
                + java.util.Arrays.toString(m1) + ", covariance " + java.util.Arrays.toString(cov.data) + " vs "
                + java.util.Arrays.deepToString(s1));
        // 4 standard errors of the sample moments (sqrt(S_kk / N) and sqrt((S_kk S_ll + S_kl^2) / N)) plus the
        // grid and time discretisation: O(h^2) of the displacement, h = 10/128 against sd >= 0.5, about 0.005
        for (int k = 0; k < 2; k++) {
            double se = Math.sqrt(s1[k][k] / PARTICLES);
            assertEquals(m1[k], mean[k], 4 * se + 0.005, name + ": mean " + k);
            for (int l = 0; l < 2; l++) {
                double seCov = Math.sqrt((s1[k][k] * s1[l][l] + s1[k][l] * s1[k][l]) / PARTICLES);
                assertEquals(s1[k][l], cov.get(k, l), 4 * seCov + 0.005, name + ": covariance " + k + l);
            }
        }
    }
}
