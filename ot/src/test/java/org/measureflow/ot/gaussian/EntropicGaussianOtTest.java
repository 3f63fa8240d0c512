package org.measureflow.ot.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.measureflow.ot.gaussian.BuresWassersteinTest.assertMessage;
import static org.measureflow.ot.gaussian.GaussianFixtures.goldenSource;
import static org.measureflow.ot.gaussian.GaussianFixtures.goldenTarget;
import static org.measureflow.testing.TestMatrices.mult;
import static org.measureflow.ot.gaussian.GaussianFixtures.random;
import static org.measureflow.testing.TestMatrices.relErr;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.linalg.Spd;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.testing.TestMatrices;
import org.measureflow.testing.Property;

class EntropicGaussianOtTest {

    @Test
    void goldenEntropicCostsAndDivergencesOfTheB5Pair() {
        double[] eps = {0.5, 1, 2};
        double[] cost = {2.8081956279, 3.5342331592, 4.4289346728};
        double[] divergence = {1.4333740664, 1.4279611178, 1.4084460399};
        for (int i = 0; i < 3; i++) {
            // docs/closed-forms.md CF-14 golden values to 10 decimals; the spec asks for 1e-8
            assertEquals(cost[i], EntropicGaussianOt.objective(goldenSource(), goldenTarget(), eps[i]), 1e-9, "OT eps=" + eps[i]);
            assertEquals(divergence[i], EntropicGaussianOt.sinkhornDivergence(goldenSource(), goldenTarget(), eps[i]), 1e-9,
                    "S eps=" + eps[i]);
        }
    }

    @Test
    void goldenOneDimensionalEntropicCosts() {
        GaussianMeasure a = GaussianMeasure.of1d(0.3, 0.8);
        GaussianMeasure b = GaussianMeasure.of1d(-0.5, 1.7);
        // docs/closed-forms.md CF-14 gives 8 decimals (half a unit in the last place)
        assertEquals(2.13492567, EntropicGaussianOt.objective(a, b, 0.5), 5e-9);
        assertEquals(2.93931693, EntropicGaussianOt.objective(a, b, 2), 5e-9);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void spectralJanatiAndMallastoFormsAgree(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            GaussianMeasure a = random(rng, d, 100);
            GaussianMeasure b = random(rng, d, 100);
            double eps = Math.pow(10, rng.nextDouble(-1, 1));
            double ours = EntropicGaussianOt.objective(a, b, eps);
            double scale = CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance()) + 1;
            // three closed forms through different factorisations: agreement to rounding of O(scale) sums
            assertEquals(spectralCost(a, b, eps), ours, 1e-10 * scale, "spectral");
            assertEquals(janatiCost(a, b, eps), ours, 1e-10 * scale, "Janati et al.");
            assertEquals(mallastoCost(a, b, eps), ours, 1e-10 * scale, "Mallasto et al.");

            DMatrixRMaj k = EntropicGaussianOt.crossCovariance(a, b, eps);
            double kScale = NormOps_DDRM.normF(k) + 1e-300;
            assertTrue(TestMatrices.maxAbsDiff(k, spectralCross(a, b, eps)) < 1e-10 * kScale, "spectral K");
            assertTrue(TestMatrices.maxAbsDiff(k, janatiCross(a, b, eps)) < 1e-10 * kScale, "Janati K");
            // Mallasto et al.: K = (eps/4)[(I + 16/eps^2 Sa Sb)^{1/2} - I], i.e. K^2 + (eps/2) K = Sa Sb
            DMatrixRMaj lhs = mult(k, k);
            CommonOps_DDRM.addEquals(lhs, eps / 2, k);
            DMatrixRMaj rhs = mult(a.covariance(), b.covariance());
            assertTrue(relErr(lhs, rhs) < 1e-10, "Mallasto K equation: " + relErr(lhs, rhs));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void costTendsToW2SquaredAsEpsilonVanishes(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            GaussianMeasure a = random(rng, d, 10);
            GaussianMeasure b = random(rng, d, 10);
            double w2 = BuresWasserstein.squaredDistance(a, b);
            double[] sigma = singularValues(a, b);
            double previous = Double.POSITIVE_INFINITY;
            for (double eps : new double[]{1e-1, 1e-3, 1e-5}) {
                double error = EntropicGaussianOt.objective(a, b, eps) - w2;
                assertTrue(error > 0 && error < previous, "error must shrink monotonically: " + error + " at " + eps);
                previous = error;
                // first-order expansion: OT_eps - W2^2 = sum_i (eps/2)(1 + log(2 sigma_i/eps)) + O(eps^2 / sigma_min)
                double expansion = 0;
                for (double s : sigma) {
                    expansion += 0.5 * eps * (1 + Math.log(2 * s / eps));
                }
                if (eps <= 1e-3) {
                    assertEquals(expansion, error, 1e-2 * expansion, "eps = " + eps); // next term ~eps/sigma_min
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#many")
    void sinkhornDivergenceIsNonNegativeZeroOnTheDiagonalAndMatchesItsDefinition(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 7);
            GaussianMeasure a = random(rng, d, 1e3);
            GaussianMeasure b = random(rng, d, 1e3);
            double eps = Math.pow(10, rng.nextDouble(-3, 2));
            double s = EntropicGaussianOt.sinkhornDivergence(a, b, eps);
            assertTrue(s >= 0);
            assertEquals(0.0, EntropicGaussianOt.sinkhornDivergence(a, a, eps), 1e-12);
            assertEquals(0.0, EntropicGaussianOt.sinkhornDivergence(a, GaussianMeasure.of(a.mean(), a.covariance()), eps), 1e-12);
            double definition = EntropicGaussianOt.objective(a, b, eps) - 0.5 * EntropicGaussianOt.objective(a, a, eps)
                    - 0.5 * EntropicGaussianOt.objective(b, b, eps);
            double scale = CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance()) + 1;
            // the definition cancels traces of size `scale`, so it carries rounding ~1e-15 * scale
            assertEquals(definition, s, 1e-11 * scale);
        });
    }

    @Test
    void sinkhornDivergenceTendsToTheMeanDistancePlusFrobeniusOverEpsilonForLargeEpsilon() {
        GaussianMeasure a = goldenSource();
        GaussianMeasure b = goldenTarget();
        double eps = 1e6;
        double s = EntropicGaussianOt.sinkhornDivergence(a, b, eps);
        DMatrixRMaj diff = a.covariance();
        CommonOps_DDRM.subtractEquals(diff, b.covariance());
        double frob = NormOps_DDRM.normF(diff);
        // psi(r) = -2 r^2/eps + O(r^4/eps^3), so S_eps = |ma - mb|^2 + |Sa - Sb|_F^2 / eps + O(eps^-3)
        assertEquals(frob * frob, (s - 1) * eps, 1e-6);
        double c = EntropicGaussianOt.objective(a, b, 1e12);
        assertEquals(1 + 3 + 3, c, 1e-9); // tends to E|X - Y|^2 under the product coupling
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void optimalPlanCovarianceIsPositiveDefinite(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            GaussianMeasure a = random(rng, d, 10);
            GaussianMeasure b = random(rng, d, 10);
            for (double eps : new double[]{0.1, 1, 10}) {
                DMatrixRMaj k = EntropicGaussianOt.crossCovariance(a, b, eps);
                DMatrixRMaj joint = new DMatrixRMaj(2 * d, 2 * d);
                CommonOps_DDRM.insert(a.covariance(), joint, 0, 0);
                CommonOps_DDRM.insert(b.covariance(), joint, d, d);
                CommonOps_DDRM.insert(k, joint, 0, d);
                DMatrixRMaj kt = new DMatrixRMaj(d, d);
                CommonOps_DDRM.transpose(k, kt);
                CommonOps_DDRM.insert(kt, joint, d, 0);
                assertTrue(Spd.isSpd(joint), "plan covariance must be PD at eps = " + eps);
                // transport cost <pi, C> = |dm|^2 + tr Sa + tr Sb - 2 tr K
                double transport = BuresWasserstein.meanDistanceSquared(a.mean(), b.mean())
                        + CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance()) - 2 * CommonOps_DDRM.trace(k);
                assertEquals(transport, EntropicGaussianOt.cost(a, b, eps), 1e-10 * (1 + transport));
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void entropicMapIsTheConditionalMeanAndTendsToTheMongeMap(long seed) {
        Property.check(seed, rng -> {
            int d = rng.nextInt(1, 6);
            GaussianMeasure a = random(rng, d, 10);
            GaussianMeasure b = random(rng, d, 10);
            double eps = 0.3;
            AffineMap map = EntropicGaussianOt.entropicMap(a, b, eps);
            DMatrixRMaj k = EntropicGaussianOt.crossCovariance(a, b, eps);
            DMatrixRMaj kt = new DMatrixRMaj(d, d);
            CommonOps_DDRM.transpose(k, kt);
            DMatrixRMaj expected = mult(kt, Spd.inverse(a.covariance()));
            assertTrue(relErr(map.matrix(), expected) < 1e-11); // cond 10 rounding
            assertTrue(Spd.isSpd(map.matrix()));
            double[] out = new double[d];
            map.apply(a.mean(), out);
            double[] mb = b.mean();
            for (int i = 0; i < d; i++) {
                assertEquals(mb[i], out[i], 1e-12 * (1 + Math.abs(mb[i]))); // E[Y | X = ma] = mb
            }
            DMatrixRMaj monge = BuresWasserstein.mongeMap(a, b).matrix();
            double gap = relErr(EntropicGaussianOt.entropicMap(a, b, 1e-6).matrix(), monge);
            double gap2 = relErr(EntropicGaussianOt.entropicMap(a, b, 1e-8).matrix(), monge);
            // f(lambda) = sqrt(lambda) - eps/4 + O(eps^2): the gap is linear in eps
            assertTrue(gap < 1e-4 && gap2 < gap / 50, "gaps " + gap + ", " + gap2);
        });
    }

    @Test
    void smallEpsilonStaysFiniteAndCloseToW2() {
        GaussianMeasure a = goldenSource();
        GaussianMeasure b = goldenTarget();
        double w2 = BuresWasserstein.squaredDistance(a, b);
        double c = EntropicGaussianOt.objective(a, b, 1e-12);
        // error ~ d (eps/2)(1 + log(2 sigma/eps)) ~ 3e-11
        assertTrue(Double.isFinite(c) && c > w2 && c - w2 < 1e-10, "cost " + c + " vs " + w2);
        assertTrue(EntropicGaussianOt.sinkhornDivergence(a, b, 1e-12) > 0);
        assertEquals(w2, EntropicGaussianOt.sinkhornDivergence(a, b, 1e-9), 1e-7); // S_eps -> W2^2 too
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirNames() {
        GaussianMeasure a = GaussianMeasure.standard(2);
        GaussianMeasure b = GaussianMeasure.standard(3);
        assertMessage("beta", () -> EntropicGaussianOt.objective(a, b, 1));
        assertMessage("epsilon", () -> EntropicGaussianOt.objective(a, a, 0));
        assertMessage("epsilon", () -> EntropicGaussianOt.sinkhornDivergence(a, a, -1));
        assertMessage("epsilon", () -> EntropicGaussianOt.crossCovariance(a, a, Double.NaN));
        assertMessage("epsilon", () -> EntropicGaussianOt.entropicMap(a, a, Double.POSITIVE_INFINITY));
        assertMessage("alpha", () -> EntropicGaussianOt.cost(null, a, 1));
    }

    // ----- reference implementations, straight from the formulas of docs/closed-forms.md CF-14 -----

    private static double base(GaussianMeasure a, GaussianMeasure b) {
        return BuresWasserstein.meanDistanceSquared(a.mean(), b.mean()) + CommonOps_DDRM.trace(a.covariance())
                + CommonOps_DDRM.trace(b.covariance());
    }

    private static double[] singularValues(GaussianMeasure a, GaussianMeasure b) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.dimension(), a.dimension(), false, false, true);
        svd.decompose(mult(Spd.sqrt(a.covariance()), Spd.sqrt(b.covariance())));
        return svd.getSingularValues().clone();
    }

    private static double tau(double s, double eps) {
        return (Math.sqrt(eps * eps + 16 * s * s) - eps) / (4 * s);
    }

    private static double spectralCost(GaussianMeasure a, GaussianMeasure b, double eps) {
        double sum = 0;
        for (double s : singularValues(a, b)) {
            double t = tau(s, eps);
            sum += -2 * s * t - 0.5 * eps * Math.log(1 - t * t);
        }
        return base(a, b) + sum;
    }

    private static DMatrixRMaj spectralCross(GaussianMeasure a, GaussianMeasure b, double eps) {
        int d = a.dimension();
        DMatrixRMaj ra = Spd.sqrt(a.covariance());
        DMatrixRMaj rb = Spd.sqrt(b.covariance());
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, true);
        svd.decompose(mult(ra, rb));
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj w = svd.getW(null);
        for (int i = 0; i < d; i++) {
            w.set(i, i, tau(w.get(i, i), eps));
        }
        DMatrixRMaj vt = new DMatrixRMaj(d, d);
        CommonOps_DDRM.transpose(v, vt);
        return mult(mult(mult(mult(ra, u), w), vt), rb);
    }

    private static DMatrixRMaj janatiD(GaussianMeasure a, GaussianMeasure b, double sigma2) {
        DMatrixRMaj ra = Spd.sqrt(a.covariance());
        DMatrixRMaj inner = Spd.congruence(ra, b.covariance());
        CommonOps_DDRM.scale(4, inner);
        for (int i = 0; i < a.dimension(); i++) {
            inner.add(i, i, sigma2 * sigma2);
        }
        return Spd.sqrt(inner);
    }

    private static double janatiCost(GaussianMeasure a, GaussianMeasure b, double eps) {
        int d = a.dimension();
        double sigma2 = eps / 2;
        DMatrixRMaj dm = janatiD(a, b, sigma2);
        DMatrixRMaj shifted = dm.copy();
        for (int i = 0; i < d; i++) {
            shifted.add(i, i, sigma2);
        }
        return base(a, b) - CommonOps_DDRM.trace(dm) + d * sigma2 * (1 - Math.log(2 * sigma2))
                + sigma2 * Spd.logDet(shifted);
    }

    private static DMatrixRMaj janatiCross(GaussianMeasure a, GaussianMeasure b, double eps) {
        double sigma2 = eps / 2;
        DMatrixRMaj k = mult(mult(Spd.sqrt(a.covariance()), janatiD(a, b, sigma2)), Spd.invSqrt(a.covariance()));
        CommonOps_DDRM.scale(0.5, k);
        for (int i = 0; i < a.dimension(); i++) {
            k.add(i, i, -sigma2 / 2);
        }
        return k;
    }

    private static double mallastoCost(GaussianMeasure a, GaussianMeasure b, double eps) {
        int d = a.dimension();
        // eigenvalues of the non-symmetric product Sa Sb (real and positive: it is similar to an SPD matrix)
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, false);
        eig.decompose(mult(a.covariance(), b.covariance()));
        double c = 16 / (eps * eps);
        double trace = 0;
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double m = 1 + Math.sqrt(1 + c * eig.getEigenvalue(i).real);
            trace += m;
            logDet += Math.log(m);
        }
        return base(a, b) - 0.5 * eps * (trace - logDet + d * Math.log(2) - 2 * d);
    }
}
