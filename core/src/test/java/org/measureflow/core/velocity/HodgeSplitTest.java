package org.measureflow.core.velocity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.field.VectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.testing.Property;

/**
 * The weighted Helmholtz&ndash;Hodge split \( u = \nabla\varphi + w \), \( \mathrm{div}(\rho w) = 0 \): the rotations
 * of an isotropic Gaussian are in the flux-null space, gradients are their own gradient part, and the two parts are
 * orthogonal in \( \int\rho\,a\cdot b \) (the energies add up).
 */
class HodgeSplitTest {
    private static double norm(GridVectorField v, GridDensity rho) {
        return Math.sqrt(v.kineticEnergy(rho));
    }

    /** ||grad phi||_rho / ||u||_rho for the rotation J(x - m) about the mean of an isotropic Gaussian, n x n cells. */
    private static double rotationGradientShare(int n) {
        double[] m = {0.3, -0.4};
        Grid grid = Grid.of2d(-5, 5, n, -5, 5, n);
        GridDensity rho = GridDensity.fromFunction(grid,
                p -> Math.exp(-((p[0] - m[0]) * (p[0] - m[0]) + (p[1] - m[1]) * (p[1] - m[1])) / (2 * 0.64)));
        VectorField rotation = (t, x, xOff, out, outOff) -> {
            out[outOff] = -(x[xOff + 1] - m[1]);
            out[outOff + 1] = x[xOff] - m[0];
        };
        GridVectorField u = GridVectorField.fromField(grid, rotation, 0);
        HodgeSplitResult split = LeastEffort.withDefaults().split(rho, u);
        double share = norm(split.gradientPart(), rho) / norm(u, rho);
        double moved = norm(split.fluxFreePart().minus(u), rho) / norm(u, rho);
        System.out.println("rotation, n=" + n + ": " + split + ", |grad part| / |u| = " + share);
        assertTrue(split.converged(), split.toString());
        assertEquals(share, moved, 1e-12, "w = u - grad phi");
        return share;
    }

    @Test
    void rotationsOfAnIsotropicGaussianAreInTheFluxNullSpace() {
        // div(rho J(x - m)) = 0 exactly; on the faces the discrete flux divergence is O(h^2) (the centred differences
        // of rho along x and y cancel to third order), so the gradient part is O(h^2) of u and shrinks 4x per halving
        double coarse = rotationGradientShare(64);
        double fine = rotationGradientShare(128);
        System.out.println("rotation: gradient share ratio 64 -> 128: " + coarse / fine);
        assertTrue(coarse < 1e-2, "coarse share " + coarse);
        assertTrue(coarse / fine > 3.3 && coarse / fine < 4.7, "ratio " + coarse / fine);
    }

    @Test
    void aGradientIsItsOwnGradientPart() {
        Grid grid = Grid.of2d(-3, 3, 48, -2, 2, 32);
        GridDensity rho = GridDensity.fromFunction(grid, p -> Math.exp(-p[0] * p[0] - 2 * p[1] * p[1]) + 0.01);
        double[] psi = new double[grid.size()];
        double[] centres = grid.cellCentres();
        for (int c = 0; c < psi.length; c++) {
            psi[c] = Math.sin(centres[2 * c]) * centres[2 * c + 1] + 0.3 * centres[2 * c] * centres[2 * c];
        }
        GridVectorField u = GridVectorField.gradient(grid, psi);
        HodgeSplitResult split = LeastEffort.withDefaults().withTolerance(1e-12).split(rho, u);
        // the gradient part is u itself up to the CG residual (1e-12 relative): w is rounding
        assertTrue(norm(split.fluxFreePart(), rho) < 1e-9 * norm(u, rho), split.toString());
        assertEquals(split.kineticEnergy(), split.gradientKineticEnergy(), 1e-9 * split.kineticEnergy());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void thePartsAreOrthogonalAndTheFluxFreePartMovesNoMass(long seed) {
        Property.check(seed, rng -> {
            Grid grid = Grid.of2d(-4, 4, 48, -4, 4, 40);
            double sx = 0.5 + rng.nextDouble();
            double sy = 0.5 + rng.nextDouble();
            double cx = rng.nextDouble(-1, 1);
            double background = rng.nextBoolean() ? 0 : 0.05;
            GridDensity rho = GridDensity.fromFunction(grid,
                    p -> background + Math.exp(-0.5 * Math.pow((p[0] - cx) / sx, 2) - 0.5 * Math.pow(p[1] / sy, 2)));
            GridVectorField u = GridVectorField.fromField(grid, randomField(rng), 0);
            HodgeSplitResult split = LeastEffort.withDefaults().split(rho, u);
            assertTrue(split.converged(), split.toString());
            // exact discrete orthogonality: <grad phi, w> = -sum phi div(rho~ w) = O(CG residual 1e-10); the energies
            // use rho instead of rho~, which differs only in floored cells (weight at most 1e-8 of the maximum)
            double sum = split.gradientKineticEnergy() + split.fluxFreeKineticEnergy();
            assertEquals(split.kineticEnergy(), sum, 1e-8 * split.kineticEnergy(), split.toString());
            // the flux-free part moves no mass: its flux divergence is the CG residual of that of u
            double[] divU = u.fluxDivergence(rho);
            double[] divW = split.fluxFreePart().fluxDivergence(rho);
            assertTrue(l2(divW) <= 1e-8 * l2(divU), "|div(rho w)| = " + l2(divW) + ", |div(rho u)| = " + l2(divU));
            // same grid, same field: the split does not depend on the run
            assertArrayEquals(split.potential(), LeastEffort.withDefaults().split(rho, u).potential());
        });
    }

    /** An affine part plus a smooth bump of random amplitude: a generic field with both parts. */
    private static VectorField randomField(SplittableRandom rng) {
        double[] a = new double[6];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return (t, x, xOff, out, outOff) -> {
            double bump = Math.exp(-0.5 * (x[xOff] * x[xOff] + x[xOff + 1] * x[xOff + 1]));
            out[outOff] = a[0] + a[1] * x[xOff] + a[2] * x[xOff + 1] + a[3] * Math.sin(x[xOff + 1]) * bump;
            out[outOff + 1] = a[4] + a[5] * x[xOff] - a[1] * x[xOff + 1] + a[3] * Math.cos(x[xOff]) * bump;
        };
    }

    private static double l2(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
