package org.measureflow.gradientflow.jko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.gradientflow.diagnostics.FlowDiagnostics;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.gradientflow.particles.Langevin;

/**
 * Fokker&ndash;Planck \( \partial_t\rho = \Delta\rho + \mathrm{div}(\rho A x) \), \( V = x^\top A x/2 \)
 * (docs/closed-forms.md CF-5): Gaussians stay Gaussian with \( m' = -Am \), \( S' = 2I - AS - SA \), equilibrium
 * \( \mathcal N(0, A^{-1}) \). Checked against the JKO scheme on a 2-D grid and against Langevin particles.
 */
class FokkerPlanckTest {
    private static final double THETA = 0.4;
    private static final double[] LAMBDA = {1.5, 0.7};
    private static final double[] M0 = {1.0, -0.5};
    private static final double[] S0 = {0.3, 0.5};
    private static final double T = 0.5;

    /** The rotation R with A = R diag(LAMBDA) R^T. */
    private static double[][] rotation() {
        double c = Math.cos(THETA);
        double s = Math.sin(THETA);
        return new double[][]{{c, -s}, {s, c}};
    }

    private static DMatrixRMaj matrixA() {
        double[][] r = rotation();
        DMatrixRMaj a = new DMatrixRMaj(2, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                a.set(i, j, r[i][0] * LAMBDA[0] * r[j][0] + r[i][1] * LAMBDA[1] * r[j][1]);
            }
        }
        return a;
    }

    /**
     * The closure solved exactly in A's eigenbasis: \( \tilde S_{ij}(t) = e_{ij} + (\tilde S_{ij}(0) - e_{ij})
     * e^{-(\lambda_i+\lambda_j)t} \) with \( e_{ij} = 2\delta_{ij}/(\lambda_i+\lambda_j) \), \( \tilde m_i(t) =
     * e^{-\lambda_i t}\tilde m_i(0) \). Returns {m0, m1, S00, S01, S11}.
     */
    static double[] closure(double t) {
        double[][] r = rotation();
        double[][] se = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double v = 0;
                for (int k = 0; k < 2; k++) {
                    v += r[k][i] * S0[k] * r[k][j];
                }
                double eq = i == j ? 2 / (LAMBDA[i] + LAMBDA[j]) : 0;
                se[i][j] = eq + (v - eq) * Math.exp(-(LAMBDA[i] + LAMBDA[j]) * t);
            }
        }
        double[] me = new double[2];
        for (int i = 0; i < 2; i++) {
            me[i] = (r[0][i] * M0[0] + r[1][i] * M0[1]) * Math.exp(-LAMBDA[i] * t);
        }
        double[] out = new double[5];
        for (int i = 0; i < 2; i++) {
            out[i] = r[i][0] * me[0] + r[i][1] * me[1];
        }
        double[][] s = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double v = 0;
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        v += r[i][k] * se[k][l] * r[j][l];
                    }
                }
                s[i][j] = v;
            }
        }
        out[2] = s[0][0];
        out[3] = s[0][1];
        out[4] = s[1][1];
        return out;
    }

    /** max over [0, T] of |y''| for each closure component, by central differences of the closed form. */
    private static double[] maxSecondDerivative() {
        double[] max = new double[5];
        double dt = 1e-3;
        for (double t = dt; t <= T; t += 0.01) {
            double[] a = closure(t - dt);
            double[] b = closure(t);
            double[] c = closure(t + dt);
            for (int k = 0; k < 5; k++) {
                max[k] = Math.max(max[k], Math.abs(a[k] - 2 * b[k] + c[k]) / (dt * dt));
            }
        }
        return max;
    }

    private static GridEnergy energy() {
        return InternalEnergy.entropy().plus(PotentialEnergy.of(Potential.quadratic(matrixA(), new double[2])));
    }

    @Test
    void gridJkoFollowsTheGaussianClosure() {
        int n = 64;
        double l = 5;
        int steps = 20;
        double tau = T / steps;
        GridDensity.Grid grid = GridDensity.Grid.of2d(-l, l, n, -l, l, n);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - M0[0]) * (x[0] - M0[0]) / (2 * S0[0])
                - (x[1] - M0[1]) * (x[1] - M0[1]) / (2 * S0[1]))).normalised();
        JkoResult flow = EntropicJko.of(tau, JkoEpsilon.gridAdapted()).flow(rho0, energy(), steps);
        assertTrue(flow.converged(), "every step converged");
        GridDensity rho = flow.finalDensity();
        assertEquals(1.0, rho.mass(), 1e-12, "mass");
        double[] exact = closure(T);
        double[] bound = maxSecondDerivative();
        double h = 2 * l / n;
        double[] mean = rho.mean();
        DMatrixRMaj cov = rho.covariance();
        double[] got = {mean[0], mean[1], cov.get(0, 0) + h * h / 12, cov.get(0, 1), cov.get(1, 1) + h * h / 12};
        for (int k = 0; k < 5; k++) {
            // a first-order scheme in time: global error <= tau T max|y''| (the backward-Euler local error is
            // tau^2 |y''| / 2 per step, doubled for the compensated blur's O(eps tau) remainder with eps = tau),
            // plus the O(h^2) quadrature of the grid moments
            double tol = tau * T * bound[k] + h * h;
            assertEquals(exact[k], got[k], tol, "closure component " + k);
        }
    }

    @Test
    void langevinParticlesFollowTheGaussianClosure() {
        int n = 4000;
        double step = 0.01;
        DMatrixRMaj s0 = new DMatrixRMaj(new double[][]{{S0[0], 0}, {0, S0[1]}});
        ParticleMeasure x0 = GaussianMeasure.of(M0, s0).sample(n, new SplittableRandom(7));
        PotentialEnergy energy = PotentialEnergy.of(Potential.quadratic(matrixA(), new double[2]));
        ParticleMeasure x = Langevin.simulate(x0, energy, 1.0, EulerMaruyama.of(step), 0, T,
                new SplittableRandom(8)).measure();
        double[] exact = closure(T);
        double[] mean = x.mean();
        DMatrixRMaj cov = x.covariance();
        // independent particles: 5 standard errors of a sample mean sqrt(S_ii/n) and of a sample covariance
        // sqrt((S_ii S_jj + S_ij^2)/n), plus the Euler-Maruyama weak bias O(h |A| |S|) <= h
        for (int i = 0; i < 2; i++) {
            double sii = exact[i == 0 ? 2 : 4];
            assertEquals(exact[i], mean[i], 5 * Math.sqrt(sii / n) + step, "mean " + i);
        }
        double[][] s = {{exact[2], exact[3]}, {exact[3], exact[4]}};
        for (int i = 0; i < 2; i++) {
            for (int j = i; j < 2; j++) {
                double se = Math.sqrt((s[i][i] * s[j][j] + s[i][j] * s[i][j]) / n);
                assertEquals(s[i][j], cov.get(i, j), 5 * se + step, "covariance " + i + j);
            }
        }
    }

    @Test
    void jkoConvergesToTheGibbsEquilibrium() {
        double lambda = 2;
        double tau = 0.1;
        double eps = tau / 4;
        GridDensity.Grid grid = GridDensity.Grid.of1d(-5, 5, 200);
        GridDensity rho0 = GridDensity.fromFunction(grid, x -> Math.exp(-(x[0] - 1.5) * (x[0] - 1.5) / 0.2))
                .normalised();
        GridDensity gibbs = GridDensity.fromFunction(grid, x -> Math.exp(-lambda * x[0] * x[0] / 2)).normalised();
        GridEnergy f = InternalEnergy.entropy().plus(PotentialEnergy.of(Potential.isotropic(lambda, new double[1])));
        JkoResult flow = EntropicJko.of(tau, eps).flow(rho0, f, 60);
        assertTrue(flow.converged());
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= 60; k++) {
            double w2 = FlowDiagnostics.of(flow.density(k), f, gibbs).w2ToEquilibrium().orElseThrow();
            // W2 to equilibrium decays like e^{-lambda t} (lambda-convexity); the entropic stationary point sits
            // O(eps) away, so monotonicity is checked until the distance reaches that level
            if (previous > 0.01) {
                assertTrue(w2 < previous, "W2 to Gibbs decreases at step " + k + ": " + previous + " -> " + w2);
            }
            previous = w2;
        }
        GridDensity rho = flow.finalDensity();
        // on the grid, F(rho) - F(gibbs) = KL(rho | gibbs) >= 0 exactly (gibbs is the discrete minimiser)
        double gap = f.value(rho) - f.value(gibbs);
        assertTrue(gap >= -1e-12, "Gibbs minimises F: gap " + gap);
        // the compensated blur leaves an O(eps) bias in the stationary variance, below eps/4 (the per-step
        // blur variance is eps/2, compensated to first order); the transient is e^{-2 lambda t} ~ 1e-10
        assertEquals(1 / lambda, rho.covariance().get(0, 0) + 0.05 * 0.05 / 12, eps / 4, "stationary variance");
        assertTrue(gap < 1e-5, "KL to Gibbs " + gap);
    }
}
