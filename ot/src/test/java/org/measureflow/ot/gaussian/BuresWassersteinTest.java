package org.measureflow.ot.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.ot.gaussian.GaussianFixtures.diagonal;
import static org.measureflow.ot.gaussian.GaussianFixtures.goldenSource;
import static org.measureflow.ot.gaussian.GaussianFixtures.goldenTarget;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.ot.gaussian.GaussianFixtures.random;
import static org.measureflow.testing.TestMatrices.relErr;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.testing.TestMatrices;
import org.measureflow.testing.Rejections;
import org.measureflow.testing.Property;
import org.measureflow.testing.RandomInputs;

class BuresWassersteinTest {

    @Test
    void goldenW2SquaredOfTheB4Pair() {
        // docs/closed-forms.md CF-12 golden value, given to 10 decimals
        assertEquals(1.4352331992, BuresWasserstein.squaredDistance(goldenSource(), goldenTarget()), 1e-10);
        assertEquals(Math.sqrt(1.4352331992), BuresWasserstein.distance(goldenSource(), goldenTarget()), 1e-10);
    }

    @Test
    void goldenMongeMatrixOfTheB1Pair() {
        DMatrixRMaj a = BuresWasserstein.mongeMap(goldenSource(), goldenTarget()).matrix();
        double[][] expected = {{1.3911917, 0.17970205}, {0.17970205, 0.69559585}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                // docs/closed-forms.md CF-8 gives 8 significant digits
                assertEquals(expected[i][j], a.get(i, j), 1e-7, "A(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void oneDimensionalW2IsTheDistanceOfMeansAndStandardDeviations() {
        GaussianMeasure mu = GaussianMeasure.of1d(0.3, 0.8);
        GaussianMeasure nu = GaussianMeasure.of1d(-0.5, 1.7);
        double exact = 0.8 * 0.8 + 0.9 * 0.9; // (m0-m1)^2 + (s0-s1)^2
        assertEquals(exact, BuresWasserstein.squaredDistance(mu, nu), 1e-12 * exact); // a few roundings of O(1) numbers
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void commutingCovariancesGiveTheFrobeniusDistanceOfSquareRoots(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 11);
            // common eigenbasis Q: S_i = Q diag(l_i) Q^T, so |S0^{1/2} - S1^{1/2}|_F^2 = sum (sqrt l0 - sqrt l1)^2
            DMatrixRMaj q = RandomInputs.orthogonal(rng, d);
            double[] l0 = new double[d];
            double[] l1 = new double[d];
            double exact = 0;
            for (int i = 0; i < d; i++) {
                l0[i] = Math.exp(rng.nextDouble(-3, 3));
                l1[i] = Math.exp(rng.nextDouble(-3, 3));
                exact += Math.pow(Math.sqrt(l0[i]) - Math.sqrt(l1[i]), 2);
            }
            double[] m0 = RandomInputs.gaussianVector(rng, d);
            double[] m1 = RandomInputs.gaussianVector(rng, d);
            exact += BuresWasserstein.meanDistanceSquared(m0, m1);
            GaussianMeasure mu = GaussianMeasure.of(m0, rotated(q, l0));
            GaussianMeasure nu = GaussianMeasure.of(m1, rotated(q, l1));
            // inputs carry rounding ~1e-16 relative; the result is a well-conditioned sum of O(1) terms
            assertEquals(exact, BuresWasserstein.squaredDistance(mu, nu), 1e-12 * (exact + 1));
        });
    }

    @Test
    void diagonalCovariancesGiveTheFrobeniusDistanceOfSquareRootsExactly() {
        double[] v0 = {1e-4, 2, 9, 0.5};
        double[] v1 = {4, 2, 1, 1e2};
        double exact = 1 + 1; // |m0 - m1|^2
        for (int i = 0; i < 4; i++) {
            exact += Math.pow(Math.sqrt(v0[i]) - Math.sqrt(v1[i]), 2);
        }
        double got = BuresWasserstein.squaredDistance(diagonal(new double[]{0, 0, 0, 0}, v0), diagonal(new double[]{1, 1, 0, 0}, v1));
        assertEquals(exact, got, 1e-12 * exact); // 1e-12 relative, as required
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void mongeMatrixIsSymmetricPositiveDefiniteAndSolvesASAEqualsS1(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 11);
            double condition = Math.pow(10, rng.nextDouble(0, 4));
            GaussianMeasure mu = random(rng, d, condition);
            GaussianMeasure nu = random(rng, d, condition);
            AffineMap t = BuresWasserstein.mongeMap(mu, nu);
            DMatrixRMaj a = t.matrix();
            assertTrue(Spd.isSpd(a), "A must be SPD");
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(a.get(i, j), a.get(j, i), 0.0, "A is symmetrised exactly");
                }
            }
            DMatrixRMaj asa = mult(mult(a, mu.covariance()), a);
            // errors ~ u * cond(S0) * small constant <= 1e-12 for cond <= 1e4
            assertTrue(relErr(asa, nu.covariance()) < 1e-10, "A S0 A = S1: " + relErr(asa, nu.covariance()));
            // T(m0) = m1
            double[] out = new double[d];
            t.apply(mu.mean(), out);
            double[] m1 = nu.mean();
            for (int i = 0; i < d; i++) {
                assertEquals(m1[i], out[i], 1e-10 * (1 + Math.abs(m1[i])), "T(m0) = m1");
            }
        });
    }

    @Test
    void mongeMapPushesParticlesPointByPointAndGaussiansExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        GaussianMeasure mu = random(rng, 3, 10);
        GaussianMeasure nu = random(rng, 3, 10);
        AffineMap t = BuresWasserstein.mongeMap(mu, nu);
        ParticleMeasure particles = mu.sample(50, rng);
        ParticleMeasure pushed = particles.pushForward(t);
        double[] out = new double[3];
        for (int i = 0; i < 50; i++) {
            t.apply(particles.point(i), out);
            for (int k = 0; k < 3; k++) {
                assertEquals(out[k], pushed.coordinate(i, k), 0.0, "same arithmetic, same bits");
            }
        }
        GaussianMeasure image = t.pushForward(mu);
        assertTrue(relErr(image.covariance(), nu.covariance()) < 1e-12); // well conditioned (cond 10)
        // T is optimal: its transport cost E|x - T x|^2 equals W2^2 (checked in expectation, exactly for Gaussians)
        DMatrixRMaj a = t.matrix();
        DMatrixRMaj ia = CommonOps_DDRM.identity(3);
        CommonOps_DDRM.subtractEquals(ia, a);
        DMatrixRMaj cov = Spd.congruence(ia, mu.covariance());
        double[] mu0 = mu.mean();
        double[] tm = new double[3];
        t.apply(mu0, tm);
        double cost = CommonOps_DDRM.trace(cov) + BuresWasserstein.meanDistanceSquared(mu0, tm);
        double w2 = BuresWasserstein.squaredDistance(mu, nu);
        assertEquals(w2, cost, 1e-12 * w2); // two exact formulas for one number, O(1) inputs
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void w2IsSymmetricNonNegativeAndSatisfiesTheTriangleInequality(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 8);
            GaussianMeasure a = random(rng, d, 100);
            GaussianMeasure b = random(rng, d, 100);
            GaussianMeasure c = random(rng, d, 100);
            double ab = BuresWasserstein.distance(a, b);
            double ba = BuresWasserstein.distance(b, a);
            double bc = BuresWasserstein.distance(b, c);
            double ac = BuresWasserstein.distance(a, c);
            assertTrue(ab >= 0 && bc >= 0 && ac >= 0);
            // symmetry holds in exact arithmetic; the two evaluations use different factorisations
            assertEquals(ab, ba, 1e-10 * (1 + ab));
            assertTrue(ac <= ab + bc + 1e-12 * (ab + bc), "triangle: " + ac + " > " + ab + " + " + bc);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void w2OfAMeasureWithItselfIsZeroEvenWhenIllConditioned(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 12);
            GaussianMeasure mu = random(rng, d, Math.pow(10, rng.nextDouble(0, 10)));
            assertEquals(0.0, BuresWasserstein.distance(mu, mu), 0.0);
            // an equal copy built from the same numbers is the same measure
            GaussianMeasure copy = GaussianMeasure.of(mu.mean(), mu.covariance());
            assertTrue(BuresWasserstein.distance(mu, copy) <= 1e-12);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void nearlyEqualCovariancesKeepRelativeAccuracy(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 12);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(0, 4)), 1.0);
            double c = 1 + Math.pow(10, rng.nextDouble(-7, -3));
            DMatrixRMaj s1 = s.copy();
            CommonOps_DDRM.scale(c * c, s1);
            // commuting case S1 = c^2 S: B^2 = (c - 1)^2 tr S, far below the rounding of tr S0 + tr S1
            double exact = (c - 1) * (c - 1) * CommonOps_DDRM.trace(s);
            double got = BuresWasserstein.squaredBuresDistance(s, s1);
            // cancellation-free form: relative error ~ u * cond(S) / (c - 1) <= 1e-16 * 1e4 / 1e-7 = 1e-5
            assertEquals(exact, got, 2e-5 * exact);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void nearlyEqualNonCommutingCovariancesFollowTheBuresMetric(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(2, 9);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(0, 2)), 1.0);
            DMatrixRMaj e = RandomInputs.gaussianMatrix(rng, d, d);
            Spd.symmetriseInPlace(e);
            double delta = 1e-7;
            DMatrixRMaj s1 = s.copy();
            CommonOps_DDRM.addEquals(s1, delta, e);
            // Bures metric: B^2(S, S + delta E) = (delta^2 / 2) tr(E X) + O(delta^3), with S X + X S = E
            var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
            eig.decompose(s.copy());
            DMatrixRMaj u = new DMatrixRMaj(d, d);
            double[] lambda = new double[d];
            for (int k = 0; k < d; k++) {
                lambda[k] = eig.getEigenvalue(k).real;
                for (int i = 0; i < d; i++) {
                    u.set(i, k, eig.getEigenVector(k).get(i));
                }
            }
            DMatrixRMaj ut = new DMatrixRMaj(d, d);
            CommonOps_DDRM.transpose(u, ut);
            DMatrixRMaj f = mult(mult(ut, e), u); // E in the eigenbasis; tr(E X) = sum F_ij^2 / (l_i + l_j)
            double quadratic = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    quadratic += f.get(i, j) * f.get(i, j) / (lambda[i] + lambda[j]);
                }
            }
            double expected = 0.5 * delta * delta * quadratic;
            double got = BuresWasserstein.squaredBuresDistance(s, s1);
            // expansion error ~ delta |E| / lambda_min <= 1e-7 * 10 * 100; rounding ~ u cond / delta ~ 1e-7
            assertEquals(expected, got, 1e-4 * expected);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void w2IsFiniteAndNonNegativeForIllConditionedNearlyEqualPairs(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 10);
            DMatrixRMaj s = RandomInputs.spd(rng, d, Math.pow(10, rng.nextDouble(4, 11)), 1.0);
            DMatrixRMaj s1 = s.copy();
            for (int i = 0; i < s1.getNumElements(); i++) {
                s1.data[i] *= 1 + 1e-15 * rng.nextGaussian(); // rounding-level, non-commuting perturbation
            }
            Spd.symmetriseInPlace(s1);
            if (!Spd.isSpd(s1)) {
                return; // the perturbation may break definiteness of the most ill-conditioned draws
            }
            double b = BuresWasserstein.squaredBuresDistance(s, s1);
            assertTrue(Double.isFinite(b) && b >= 0, "B^2 = " + b);
            // exact B^2 <= |S0 - S1|_1 ~ 1e-15 tr S (Powers-Stormer); the computed value adds square-root rounding
            // of at most ~(u cond)^2 tr S <= 1e-10 tr S for cond <= 1e11 (the trace formula alone would give ~1e-16 d tr S
            // of either sign)
            assertTrue(b <= 1e-10 * CommonOps_DDRM.trace(s), "B^2 = " + b);
        });
    }

    @Test
    void highDimensionalCommutingPairKeepsTwelveDigits() {
        SplittableRandom rng = new SplittableRandom(99);
        int d = 120;
        DMatrixRMaj q = RandomInputs.orthogonal(rng, d);
        double[] l0 = new double[d];
        double[] l1 = new double[d];
        double exact = 0;
        for (int i = 0; i < d; i++) {
            l0[i] = Math.exp(rng.nextDouble(-4, 4));
            l1[i] = Math.exp(rng.nextDouble(-4, 4));
            exact += Math.pow(Math.sqrt(l0[i]) - Math.sqrt(l1[i]), 2);
        }
        double got = BuresWasserstein.squaredBuresDistance(rotated(q, l0), rotated(q, l1));
        // d = 120 terms of size up to e^4: rounding ~ d u cond-free, far below 1e-11 relative
        assertEquals(exact, got, 1e-11 * exact);
    }

    @Test
    void nearSingularCovarianceGivesAFiniteNonNegativeDistance() {
        DMatrixRMaj s0 = new DMatrixRMaj(new double[][]{{1, 1 - 1e-9}, {1 - 1e-9, 1}});
        DMatrixRMaj s1 = new DMatrixRMaj(new double[][]{{1, 0}, {0, 1e-12}});
        double b = BuresWasserstein.squaredBuresDistance(s0, s1);
        assertTrue(Double.isFinite(b) && b >= 0);
        // reference: eigen-based formula with EJML square roots, agreeing to the sqrt(u) accuracy of tiny eigenvalues
        DMatrixRMaj r = Spd.sqrt(s0);
        double ref = CommonOps_DDRM.trace(s0) + CommonOps_DDRM.trace(s1) - 2 * traceSqrt(Spd.congruence(r, s1));
        assertEquals(ref, b, 1e-7);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void geodesicHasTheRightEndpointsAndConstantSpeed(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            GaussianMeasure mu = random(rng, d, 50);
            GaussianMeasure nu = random(rng, d, 50);
            assertSame(mu, BuresWasserstein.geodesic(mu, nu, 0));
            assertSame(nu, BuresWasserstein.geodesic(mu, nu, 1));
            // an interior time just next to 1 lands on nu up to the map's rounding
            GaussianMeasure almostNu = BuresWasserstein.geodesic(mu, nu, Math.nextDown(1.0));
            assertTrue(relErr(almostNu.covariance(), nu.covariance()) < 1e-10);
            double w = BuresWasserstein.distance(mu, nu);
            double[] times = {0, 0.2, 0.5, 0.9, 1};
            for (double s : times) {
                for (double t : times) {
                    if (s >= t) {
                        continue;
                    }
                    double dist = BuresWasserstein.distance(BuresWasserstein.geodesic(mu, nu, s), BuresWasserstein.geodesic(mu, nu, t));
                    // W2(mu_s, mu_t) = |t - s| W2(mu, nu); rounding of d^3 sums of O(1) terms, below 1e-9
                    assertEquals((t - s) * w, dist, 1e-9 * (1 + w), "s=" + s + " t=" + t);
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void barycenterOfTwoGaussiansIsTheMcCannPoint(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            GaussianMeasure mu = random(rng, d, 30);
            GaussianMeasure nu = random(rng, d, 30);
            double t = rng.nextDouble(0.05, 0.95);
            BuresBarycenterResult bary = BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{mu, nu}, new double[]{1 - t, t});
            assertTrue(bary.converged(), bary.toString());
            GaussianMeasure mc = BuresWasserstein.geodesic(mu, nu, t);
            // the fixed point is reached to the 1e-12 tolerance; the two formulas agree to rounding
            assertTrue(TestMatrices.maxAbsDiff(bary.barycenter().covariance(), mc.covariance()) < 1e-9);
            double[] m = bary.barycenter().mean();
            double[] mm = mc.mean();
            for (int i = 0; i < d; i++) {
                assertEquals(mm[i], m[i], 1e-12);
            }
        });
    }

    @Test
    void barycenterOfOneGaussianIsItself() {
        GaussianMeasure mu = random(new SplittableRandom(3), 4, 1e3);
        BuresBarycenterResult bary = BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{mu}, new double[]{1});
        assertTrue(bary.converged());
        assertEquals(1, bary.iterations()); // the start sum_k w_k S_k is already the fixed point
        assertTrue(relErr(bary.barycenter().covariance(), mu.covariance()) < 1e-12); // cond 1e3 rounding
    }

    @Test
    void barycenterOfCommutingGaussiansIsTheSquaredMeanOfSquareRoots() {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 4;
        int k = 5;
        DMatrixRMaj q = RandomInputs.orthogonal(rng, d);
        double[] w = RandomInputs.positiveWeights(rng, k);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        GaussianMeasure[] ms = new GaussianMeasure[k];
        double[] rootMean = new double[d];
        for (int j = 0; j < k; j++) {
            w[j] /= sum;
            double[] l = new double[d];
            for (int i = 0; i < d; i++) {
                l[i] = Math.exp(rng.nextDouble(-2, 2));
            }
            ms[j] = GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), rotated(q, l));
            for (int i = 0; i < d; i++) {
                rootMean[i] += w[j] * Math.sqrt(l[i]);
            }
        }
        for (int i = 0; i < d; i++) {
            rootMean[i] *= rootMean[i];
        }
        BuresBarycenterResult bary = BuresBarycenter.withDefaults().solve(ms, w);
        assertTrue(bary.converged());
        // (sum_k w_k S_k^{1/2})^2 in the common basis; rounding of O(1) quantities
        assertTrue(relErr(bary.barycenter().covariance(), rotated(q, rootMean)) < 1e-11);
    }

    @Test
    void barycenterReportsNonConvergenceInsteadOfThrowing() {
        SplittableRandom rng = new SplittableRandom(5);
        GaussianMeasure[] ms = {random(rng, 3, 100), random(rng, 3, 100), random(rng, 3, 100)};
        BuresBarycenterResult bary = BuresBarycenter.withDefaults().withMaxIterations(1).withTolerance(1e-15)
                .solve(ms, new double[]{0.2, 0.3, 0.5});
        assertFalse(bary.converged());
        assertEquals(1, bary.iterations());
        assertTrue(bary.error() > 1e-15);
        assertTrue(bary.toString().contains("NOT CONVERGED: iteration limit reached after 1 iteration"), bary.toString());
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirNames() {
        GaussianMeasure a = GaussianMeasure.standard(2);
        GaussianMeasure b = GaussianMeasure.standard(3);
        assertMessage("nu", () -> BuresWasserstein.squaredDistance(a, b));
        assertMessage("nu", () -> BuresWasserstein.mongeMap(a, b));
        assertMessage("t", () -> BuresWasserstein.geodesic(a, a, 1.5));
        assertMessage("s1", () -> BuresWasserstein.squaredBuresDistance(CommonOps_DDRM.identity(2), CommonOps_DDRM.identity(3)));
        assertMessage("s1", () -> BuresWasserstein.squaredBuresDistance(CommonOps_DDRM.identity(2),
                new DMatrixRMaj(new double[][]{{1, 2}, {2, 1}})));
        assertMessage("measures", () -> BuresBarycenter.withDefaults().solve(new GaussianMeasure[0], new double[0]));
        assertMessage("measures[1]", () -> BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{a, b}, new double[]{.5, .5}));
        assertMessage("weights", () -> BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{a, a}, new double[]{.5, .6}));
        assertMessage("weights[0]", () -> BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{a, a}, new double[]{-.5, 1.5}));
        assertMessage("weights", () -> BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{a, a}, new double[]{1}));
        assertMessage("tolerance", () -> BuresBarycenter.withDefaults().withTolerance(0));
        assertMessage("maxIterations", () -> BuresBarycenter.withDefaults().withMaxIterations(0));
    }

    static void assertMessage(String name, Runnable call) {
        Rejections.assertRejected(name, call::run);
    }

    static DMatrixRMaj rotated(DMatrixRMaj q, double[] l) {
        int d = l.length;
        DMatrixRMaj diag = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            diag.set(i, i, l[i]);
        }
        return Spd.congruence(q, diag);
    }

    static double traceSqrt(DMatrixRMaj s) {
        double sum = 0;
        for (double v : eigenvaluesSymmetric(s)) {
            sum += Math.sqrt(Math.max(v, 0));
        }
        return sum;
    }

    static double[] eigenvaluesSymmetric(DMatrixRMaj s) {
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(s.numRows, false, true);
        eig.decompose(s.copy());
        double[] v = new double[s.numRows];
        for (int i = 0; i < v.length; i++) {
            v[i] = eig.getEigenvalue(i).real;
        }
        return v;
    }
}
