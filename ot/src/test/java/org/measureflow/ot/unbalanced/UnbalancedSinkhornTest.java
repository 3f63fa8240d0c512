package org.measureflow.ot.unbalanced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

class UnbalancedSinkhornTest {

    /**
     * Two Dirac masses \( a = m_a\delta_x \), \( b = m_b\delta_y \), cost \( c \): the plan is one number \( p \) and
     * the objective \( cp + \varepsilon\mathrm{KL}(p|m_am_b) + \rho_a\mathrm{KL}(p|m_a) + \rho_b\mathrm{KL}(p|m_b) \)
     * has derivative \( c + \varepsilon\log\frac{p}{m_am_b} + \rho_a\log\frac p{m_a} + \rho_b\log\frac p{m_b} \); its
     * zero is \( p = \exp\bigl((\varepsilon\log(m_am_b) + \rho_a\log m_a + \rho_b\log m_b - c)/(\varepsilon+\rho_a+\rho_b)\bigr) \).
     */
    static double diracMass(double ma, double mb, double c, double eps, double ra, double rb) {
        return Math.exp((eps * Math.log(ma * mb) + ra * Math.log(ma) + rb * Math.log(mb) - c) / (eps + ra + rb));
    }

    static double diracObjective(double p, double ma, double mb, double c, double eps, double ra, double rb) {
        return c * p + eps * UnbalancedSinkhorn.kl(p, ma * mb) + ra * UnbalancedSinkhorn.kl(p, ma)
                + rb * UnbalancedSinkhorn.kl(p, mb);
    }

    @ParameterizedTest(name = "ma {0}, mb {1}, c {2}, eps {3}, rho ({4}, {5})")
    @CsvSource({
        "1.0, 2.0, 0.5, 0.1, 1.0, 1.0",
        "3.0, 0.5, 2.0, 0.5, 0.3, 2.0",
        "0.2, 0.9, 0.0, 0.05, 5.0, 5.0",
        "1.5, 1.5, 4.0, 1.0, 10.0, 0.1",
        "2.5, 0.4, 1.0, 0.2, 0.7, 0.7"})
    void twoDiracMassesTransportTheClosedFormMass(double ma, double mb, double c, double eps, double ra,
            double rb) {
        UnbalancedSinkhorn solver = UnbalancedSinkhorn.of(eps, ra).withRhoTarget(rb)
                .withTolerance(1e-14).withMaxIterations(1_000_000);
        SinkhornResult r = solver.solve(new double[] {ma}, new double[] {mb}, CostMatrix.of(new double[][] {{c}}));
        double p = diracMass(ma, mb, c, eps, ra, rb);
        assertTrue(r.converged());
        // the residual 1e-14 bounds |p - p*| by about 1e-14 (rho+eps)/eps <= 1e-11 for these parameters
        assertEquals(p, r.plan().toDense()[0], 1e-10 * Math.max(1, p));
        double value = diracObjective(p, ma, mb, c, eps, ra, rb);
        assertEquals(value, r.objective(), 1e-10 * Math.max(1, Math.abs(value)));
        assertEquals(value, r.dualObjective(), 1e-10 * Math.max(1, Math.abs(value)));
        assertEquals(c * p, r.cost(), 1e-10 * Math.max(1, c * p));
    }

    @ParameterizedTest(name = "hard constraint on the {0}")
    @CsvSource({"source", "target"})
    void aHardConstraintTransportsThatMarginalsMass(String side) {
        double ma = 1.7;
        double mb = 0.6;
        UnbalancedSinkhorn o = UnbalancedSinkhorn.of(0.3, 2.0).withTolerance(1e-14)
                .withMaxIterations(100_000);
        o = side.equals("source") ? o.withRhoSource(Double.POSITIVE_INFINITY)
                : o.withRhoTarget(Double.POSITIVE_INFINITY);
        SinkhornResult r = o.solve(new double[] {ma}, new double[] {mb}, CostMatrix.of(new double[][] {{1}}));
        // the closed form with rho -> infinity on one side: p = m_a (source exact) or p = m_b (target exact)
        assertEquals(side.equals("source") ? ma : mb, r.plan().toDense()[0], 1e-12);
    }

    /** The unbalanced dual at potentials \( (f, g) \) (the class's formula, written out independently). */
    static double dual(double[] f, double[] g, double[] a, double[] b, double[][] c, double eps, double rho) {
        double s = 0;
        double mass = 0;
        for (int i = 0; i < a.length; i++) {
            s += rho * a[i] * (1 - Math.exp(-f[i] / rho));
            for (int j = 0; j < b.length; j++) {
                mass += a[i] * b[j] * Math.exp((f[i] + g[j] - c[i][j]) / eps);
            }
        }
        for (int j = 0; j < b.length; j++) {
            s += rho * b[j] * (1 - Math.exp(-g[j] / rho));
        }
        return s - eps * (mass - 1);
    }

    @Test
    void approachesBalancedSinkhornAsRhoGrowsWithAGapOfOrderOneOverRho() {
        SplittableRandom rng = new SplittableRandom(11);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 12, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 10, 2);
        CostMatrix cost = CostMatrix.squaredEuclidean(x, y);
        double[][] c = new double[12][10];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 10; j++) {
                c[i][j] = cost.get(i, j);
            }
        }
        double[] a = x.weights();
        double[] b = y.weights();
        double eps = 0.5;
        SinkhornResult balanced = SinkhornSolver.of(eps).withTolerance(1e-13).solve(a, b, cost);
        double[] f = balanced.f();
        double[] g = balanced.g();
        // the gauge t minimising Q(t) = <a,(f+t)^2> + <b,(g-t)^2> (both masses are 1)
        double t = 0;
        for (int j = 0; j < 10; j++) {
            t += b[j] * g[j] / 2;
        }
        for (int i = 0; i < 12; i++) {
            t -= a[i] * f[i] / 2;
        }
        double q = 0;
        double[] fs = new double[12];
        double[] gs = new double[10];
        for (int i = 0; i < 12; i++) {
            fs[i] = f[i] + t;
            q += a[i] * fs[i] * fs[i];
        }
        for (int j = 0; j < 10; j++) {
            gs[j] = g[j] - t;
            q += b[j] * gs[j] * gs[j];
        }
        double[] pBalanced = balanced.plan().toDense();
        double previousGap = Double.POSITIVE_INFINITY;
        double previousDistance = Double.POSITIVE_INFINITY;
        double previousLeading = Double.POSITIVE_INFINITY;
        for (double rho : new double[] {1, 10, 100, 1e4}) {
            SinkhornResult r = UnbalancedSinkhorn.of(eps, rho).withTolerance(1e-13)
                    .withMaxIterations(200_000).solve(a, b, cost);
            assertTrue(r.converged(), "rho " + rho);
            double gap = balanced.objective() - r.objective();
            // weak duality brackets UOT: D_rho(f*+t, g*-t) <= UOT <= OT_eps (the balanced plan is feasible, KL = 0);
            // 1e-10 covers the residuals 1e-13 times the potentials and the rho KL of the balanced plan's errors
            assertTrue(gap >= -1e-10, "UOT <= OT_eps at rho " + rho + ": gap " + gap);
            assertTrue(r.objective() >= dual(fs, gs, a, b, c, eps, rho) - 1e-10, "dual bound at rho " + rho);
            assertTrue(gap < previousGap, "the gap shrinks monotonically at rho " + rho);
            double distance = 0;
            double[] p = r.plan().toDense();
            for (int k = 0; k < p.length; k++) {
                distance += Math.abs(p[k] - pBalanced[k]);
            }
            assertTrue(distance < previousDistance, "the plan approaches the balanced plan at rho " + rho);
            // leading order: gap = min_t Q(t) / (2 rho) + O(1/rho^2)
            double leading = Math.abs(rho * gap - q / 2);
            assertTrue(leading < previousLeading, "rho * gap -> Q/2 at rho " + rho);
            previousGap = gap;
            previousDistance = distance;
            previousLeading = leading;
        }
        // at rho = 1e4 the O(1/rho^2) remainder is relatively O(max|f| / rho) ~ 1e-3 of Q/2
        assertEquals(q / 2, q / 2 + previousLeading, 1e-2 * q / 2);
        assertTrue(previousDistance < 1e-3, "plan distance " + previousDistance);
    }

    /** The primal objective of a dense plan, computed from its definition. */
    static double primal(double[] p, double[] a, double[] b, CostMatrix c, double eps, double ra, double rb) {
        int n = a.length;
        int m = b.length;
        double[] rows = new double[n];
        double[] cols = new double[m];
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double v = p[i * m + j];
                rows[i] += v;
                cols[j] += v;
                s += c.get(i, j) * v + eps * UnbalancedSinkhorn.kl(v, a[i] * b[j]);
            }
        }
        double ka = 0;
        double kb = 0;
        for (int i = 0; i < n; i++) {
            ka += UnbalancedSinkhorn.kl(rows[i], a[i]);
        }
        for (int j = 0; j < m; j++) {
            kb += UnbalancedSinkhorn.kl(cols[j], b[j]);
        }
        assertTrue(ka >= 0 && kb >= 0, "marginal KL terms are non-negative");
        return s + ra * ka + rb * kb;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void solutionIsOptimalSymmetricAndHasNoDualityGap(long seed) {
        Property.check(seed, rng -> {
            int n = 4 + rng.nextInt(10);
            int m = 4 + rng.nextInt(10);
            ParticleMeasure x = RandomInputs.pointCloud(rng, n, 2);
            ParticleMeasure y = RandomInputs.pointCloud(rng, m, 2);
            CostMatrix c = CostMatrix.squaredEuclidean(x, y);
            double[] a = scaled(RandomInputs.positiveWeights(rng, n), rng.nextDouble(0.5, 2));
            double[] b = scaled(RandomInputs.positiveWeights(rng, m), rng.nextDouble(0.5, 2));
            double eps = rng.nextDouble(0.1, 1);
            double ra = rng.nextDouble(0.1, 10);
            double rb = rng.nextDouble(0.1, 10);
            double tol = 1e-11;
            SinkhornResult r = UnbalancedSinkhorn.of(eps, ra).withRhoTarget(rb).withTolerance(tol)
                    .withMaxIterations(100_000).solve(a, b, c);
            assertTrue(r.converged(), "converged, residual " + r.error());
            double[] p = r.plan().toDense();
            double value = primal(p, a, b, c, eps, ra, rb);
            assertEquals(value, r.objective(), 1e-12 * Math.max(1, Math.abs(value)), "objective formula");
            // objective - dual = rho_a KL(P1 | a e^{-f/rho_a}) + rho_b KL(P^T1 | b e^{-g/rho_b}) >= 0, bounded by the
            // chi^2 divergence: rho * residual^2 / min(target marginal); plus rounding
            double[] f = r.f();
            double[] g = r.g();
            double minTarget = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                minTarget = Math.min(minTarget, a[i] * Math.exp(-f[i] / ra));
            }
            for (int j = 0; j < m; j++) {
                minTarget = Math.min(minTarget, b[j] * Math.exp(-g[j] / rb));
            }
            double rounding = 1e-12 * Math.max(1, Math.abs(value));
            double gap = r.objective() - r.dualObjective();
            assertTrue(gap >= -rounding, "gap " + gap);
            assertTrue(gap <= Math.max(ra, rb) * r.error() * r.error() / minTarget + rounding,
                    "gap " + gap);
            // local optimality: a multiplicative perturbation P_ij e^{delta Z_ij} changes the convex objective by at
            // least its first-order term, whose size is delta sum_ij P_ij |grad_ij| with
            // grad_ij = rho_a log(r_i / (a_i e^{-f_i/rho_a})) + rho_b log(c_j / (b_j e^{-g_j/rho_b}))
            double[] rows = r.plan().apply(ones(m));
            double[] cols = r.plan().applyTransposed(ones(n));
            double delta = 1e-3;
            double firstOrder = 0;
            double[] perturbed = p.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double grad = ra * Math.log(rows[i] / (a[i] * Math.exp(-f[i] / ra)))
                            + rb * Math.log(cols[j] / (b[j] * Math.exp(-g[j] / rb)));
                    firstOrder += delta * p[i * m + j] * Math.abs(grad);
                    perturbed[i * m + j] *= Math.exp(delta * rng.nextDouble(-1, 1));
                }
            }
            assertTrue(primal(perturbed, a, b, c, eps, ra, rb) >= value - firstOrder - rounding, "local optimality");
            // swapping (a, C, rho_a) with (b, C^T, rho_b) transposes the problem: both objectives bracket UOT
            double[] ct = new double[m * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    ct[j * n + i] = c.get(i, j);
                }
            }
            SinkhornResult s = UnbalancedSinkhorn.of(eps, rb).withRhoTarget(ra).withTolerance(tol)
                    .withMaxIterations(100_000).solve(b, a, CostMatrix.of(m, n, ct));
            assertEquals(r.objective(), s.objective(), gap + (s.objective() - s.dualObjective()) + 2 * rounding,
                    "objective symmetric");
            double[] q = s.plan().toDense();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    // plans at residual 1e-11 agree to ~1e-10 relative (strong convexity of the entropic term)
                    assertEquals(p[i * m + j], q[j * n + i], 1e-8 * Math.max(p[i * m + j], 1e-3), "P transposed");
                }
            }
        });
    }

    @Test
    void pointCloudsAndDenseCostGiveTheSameSolution() {
        SplittableRandom rng = new SplittableRandom(3);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 20, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 15, 2);
        UnbalancedSinkhorn solver = UnbalancedSinkhorn.of(0.2, 0.5).withTolerance(1e-12);
        SinkhornResult clouds = solver.solve(x, 2.0, y, 0.5);
        SinkhornResult dense = solver.solve(scaled(x.weights(), 2.0), scaled(y.weights(), 0.5),
                CostMatrix.squaredEuclidean(x, y));
        // same iteration on the same costs (computed by the same formula): equal up to rounding of the sums
        assertArrayEquals(dense.f(), clouds.f(), 1e-12);
        assertArrayEquals(dense.g(), clouds.g(), 1e-12);
        assertEquals(dense.objective(), clouds.objective(), 1e-12);
        double[] map = clouds.plan().barycentricMap();
        assertEquals(40, map.length);
    }

    @ParameterizedTest(name = "eps {0}")
    @CsvSource({"1.0", "0.05", "0.002"})
    void storedKernelAndLogDomainPathsAgree(double eps) {
        SplittableRandom rng = new SplittableRandom(21);
        ParticleMeasure x = RandomInputs.weightedPointCloud(rng, 40, 2);
        ParticleMeasure y = RandomInputs.weightedPointCloud(rng, 30, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double[] a = scaled(x.weights(), 1.4);
        double[] b = scaled(y.weights(), 0.8);
        UnbalancedSinkhorn o = UnbalancedSinkhorn.of(eps, 0.7).withTolerance(1e-11)
                .withMaxIterations(100_000);
        SinkhornResult stored = o.solve(a, b, c);
        SinkhornResult log = o.withLogDomain(true).solve(a, b, c);
        assertTrue(stored.converged() && log.converged());
        // both are within the KKT residual 1e-11 of the same optimum; at small eps (costs up to ~40, eps = 0.002:
        // kernel entries e^{-20000}) the stored path absorbs and falls back to the log domain where needed
        assertEquals(log.objective(), stored.objective(), 1e-9);
        assertEquals(log.cost(), stored.cost(), 1e-9);
        double[] p = log.plan().toDense();
        double[] q = stored.plan().toDense();
        for (int k = 0; k < p.length; k++) {
            assertEquals(p[k], q[k], 1e-9);
        }
    }

    @Test
    void parallelAndSerialRunsGiveIdenticalBits() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 700, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 600, 2);
        UnbalancedSinkhorn o = UnbalancedSinkhorn.of(0.1, 1).withMaxIterations(15);
        for (boolean dense : new boolean[] {false, true}) {
            SinkhornResult[] r = new SinkhornResult[2];
            for (int k = 0; k < 2; k++) {
                UnbalancedSinkhorn s = o.withParallel(k == 0);
                r[k] = dense ? s.solve(scaled(x.weights(), 1.0), scaled(y.weights(), 1.3),
                        CostMatrix.squaredEuclidean(x, y)) : s.solve(x, 1.0, y, 1.3);
            }
            assertArrayEquals(r[0].f(), r[1].f(), 0.0);
            assertArrayEquals(r[0].g(), r[1].g(), 0.0);
            assertEquals(r[0].objective(), r[1].objective(), 0.0);
            assertEquals(r[0].error(), r[1].error(), 0.0);
        }
    }

    @Test
    void nonConvergenceIsReportedNotThrown() {
        SinkhornResult r = UnbalancedSinkhorn.of(0.01, 100).withMaxIterations(3)
                .solve(new double[] {0.5, 0.5}, new double[] {0.2, 0.8}, CostMatrix.of(new double[][] {{0, 1}, {1, 0}}));
        assertEquals(3, r.iterations());
        assertTrue(!r.converged() && r.error() > 1e-9 && Double.isFinite(r.objective()));
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
        UnbalancedSinkhorn s = UnbalancedSinkhorn.of(0.01, 1.0);
        Rejections.assertRejected("a", () -> s.solve(new double[] {1, -1}, new double[] {1, 1}, c));
        Rejections.assertRejected("b", () -> s.solve(new double[] {1, 1}, new double[] {1}, c));
        Rejections.assertRejected("rho", () -> UnbalancedSinkhorn.of(0.1, 0));
        Rejections.assertRejected("rhoTarget", () -> UnbalancedSinkhorn.of(0.1, 1).withRhoTarget(Double.NaN));
        Rejections.assertRejected("epsilon", () -> UnbalancedSinkhorn.of(-1, 1));
        Rejections.assertRejected("rho", () -> UnbalancedSinkhorn.of(0.01, Double.POSITIVE_INFINITY)
                .solve(new double[] {1, 1}, new double[] {1, 2}, c));
        Rejections.assertRejected("massX", () -> s.solve(ParticleMeasure.of(new double[][] {{0}}), 0.0,
                ParticleMeasure.of(new double[][] {{0}}), 1.0));
    }

    private static double[] scaled(double[] w, double mass) {
        double s = 0;
        for (double v : w) {
            s += v;
        }
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] * mass / s;
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }
}
