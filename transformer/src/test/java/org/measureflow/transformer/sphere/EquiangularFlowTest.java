package org.measureflow.transformer.sphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.DormandPrince54;
import org.measureflow.testing.Rejections;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.Normalisation;
import org.measureflow.transformer.dynamics.TokenFlow;
import org.measureflow.transformer.dynamics.TokenFlowResult;

/** The equiangular solution of the clustering dynamics on the sphere, docs/closed-forms.md CF-18. */
class EquiangularFlowTest {
    @ParameterizedTest(name = "{0}, n = {1}, beta = {2}, rho0 = {3}")
    @CsvSource({
            "SOFTMAX, 5, 1.0, 0.1",
            "SOFTMAX, 4, 3.0, -0.2",
            "SOFTMAX, 6, 0.5, 0.6",
            "UNNORMALISED, 5, 1.0, 0.1",
            "UNNORMALISED, 4, 3.0, -0.2",
            "UNNORMALISED, 6, 0.5, 0.6"})
    void equiangularTokensStayEquiangularAndFollowTheScalarOde(Normalisation normalisation, int n, double beta,
                                                               double rho0) {
        ParticleMeasure tokens = Sphere.equiangular(n, rho0);
        AttentionField field = AttentionField.of(AttentionHead.identity(n, beta)).withNormalisation(normalisation)
                .withSphereProjection(true);
        // both ODEs solved to rtol 1e-12: their global errors are ~1e-11, far below the 1e-8 asked
        DormandPrince54 dopri = DormandPrince54.withDefaults().withRelativeTolerance(1e-12).withAbsoluteTolerance(1e-14);
        double[] depths = {0.5, 1, 2, 3};
        TokenFlowResult run = TokenFlow.of(field, dopri).integrate(tokens, depths);
        for (int k = 0; k < depths.length; k++) {
            double rho = EquiangularFlow.solve(rho0, n, beta, normalisation, depths[k], dopri);
            ParticleMeasure x = run.at(k);
            for (int i = 0; i < n; i++) {
                double[] xi = x.point(i);
                assertEquals(1.0, dot(xi, xi), 1e-9, "norm kept by the projected field");
                for (int j = i + 1; j < n; j++) {
                    assertEquals(rho, dot(xi, x.point(j)), 1e-8, "cosine of tokens " + i + ", " + j + " at t = "
                            + depths[k]);
                }
            }
        }
        double rhoEnd = EquiangularFlow.solve(rho0, n, beta, normalisation, 3, dopri);
        assertTrue(rhoEnd > rho0, "the cosine increases towards 1 (one cluster)");
    }

    @Test
    void equilibriaAreOneClusterAndTheRegularSimplex() {
        for (Normalisation norm : Normalisation.values()) {
            assertEquals(0.0, EquiangularFlow.rate(1.0, 7, 2.0, norm), 0.0);
            assertEquals(0.0, EquiangularFlow.rate(-1.0 / 6, 7, 2.0, norm), 1e-16);
        }
        // the two closed forms at one point: 2 e^{b r}(1-r)(1+(n-1)r)/(e^b + (n-1)e^{b r}) and (2/n) e^{b r}(...)
        double r = 0.3;
        double common = 2 * Math.exp(2 * r) * (1 - r) * (1 + 4 * r);
        assertEquals(common / (Math.exp(2) + 4 * Math.exp(2 * r)),
                EquiangularFlow.rate(r, 5, 2, Normalisation.SOFTMAX), 1e-15);
        assertEquals(common / 5, EquiangularFlow.rate(r, 5, 2, Normalisation.UNNORMALISED), 1e-15);
    }

    @Test
    void equiangularConfigurationHasTheRequestedGram() {
        ParticleMeasure x = Sphere.equiangular(6, -0.15);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(i == j ? 1.0 : -0.15, dot(x.point(i), x.point(j)), 1e-15);
            }
        }
        Rejections.assertRejected("rho", () -> Sphere.equiangular(6, -0.2));
        Rejections.assertRejected("n", () -> Sphere.equiangular(1, 0.5));
        Rejections.assertRejected("n", () -> EquiangularFlow.rate(0.5, 1, 1, Normalisation.SOFTMAX));
        Rejections.assertRejected("d", () -> Sphere.uniform(3, 1, new SplittableRandom(1)));
        Rejections.assertRejected("x", () -> Sphere.project(new double[2], new double[]{1, 0}));
        Rejections.assertRejected("tokens", () -> Sphere.normalise(ParticleMeasure.of(new double[][]{{1, 0},
                {0, 0}})));
    }

    @Test
    void uniformSamplesLieOnTheSphereAndProjectionIsTangent() {
        ParticleMeasure x = Sphere.uniform(50, 4, new SplittableRandom(3));
        for (int i = 0; i < 50; i++) {
            assertEquals(1.0, dot(x.point(i), x.point(i)), 1e-15);
        }
        double[] v = {0.3, -1, 2, 0.5};
        assertEquals(0.0, dot(Sphere.project(x.point(0), v), x.point(0)), 1e-15);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
