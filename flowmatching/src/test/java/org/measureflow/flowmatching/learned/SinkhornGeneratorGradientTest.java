package org.measureflow.flowmatching.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.testing.Property;

/**
 * The gradient that {@link SinkhornGeneratorTrainer} descends, against central differences on random clouds: the
 * point gradient of \( S_\varepsilon \) and the parameter gradient of the trainer's batch objective (affine and MLP
 * generators), with the Sinkhorn problems solved to an L1 marginal error of \( 10^{-12} \) (the envelope-theorem
 * gradient is exact only at convergence).
 */
class SinkhornGeneratorGradientTest {
    private static final double TOLERANCE = 1e-12;
    /** The difference step. */
    private static final double H = 1e-4;

    private static SinkhornDivergence divergence(double epsilon) {
        return SinkhornDivergence.of(SinkhornSolver.of(epsilon).withTolerance(TOLERANCE).withMaxIterations(200_000));
    }

    private static double[] gaussians(SplittableRandom rng, int count, double scale) {
        double[] v = new double[count];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return v;
    }

    /**
     * The error bound of the central difference {@code atH} at step \( h \), given the one at \( h/2 \): the
     * truncation error is \( c h^2 + O(h^4) \), so \( \tfrac43 |D_h - D_{h/2}| \) estimates it (Richardson), taken
     * twice over; the values' errors, at most the marginal error \( \delta \) times the cost range \( R \) for each of
     * the three problems plus a rounding \( 10^{-16} R \), enter divided by \( h/2 \) (the two differences).
     */
    private static double differenceError(double atH, double atHalf, double range) {
        return 2 * (4.0 / 3) * Math.abs(atH - atHalf) + 2 * (3 * TOLERANCE + 1e-16) * range / (H / 2);
    }

    /** Central difference of {@code f} at step {@code h}. */
    private static double central(DoubleUnaryOperator f, double h) {
        return (f.applyAsDouble(h) - f.applyAsDouble(-h)) / (2 * h);
    }

    private static double diameter(double[] a, double[] b) {
        double largest = 0;
        for (double v : a) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (double v : b) {
            largest = Math.max(largest, Math.abs(v));
        }
        return 2 * Math.sqrt(2) * largest;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void pointGradientOfTheDivergenceMatchesCentralDifferences(long seed) {
        Property.check(seed, rng -> {
            int n = 3 + rng.nextInt(10);
            int m = 3 + rng.nextInt(10);
            double epsilon = 0.2 + rng.nextDouble();
            double[] x = gaussians(rng, 2 * n, 1);
            double[] y = gaussians(rng, 2 * m, 1);
            SinkhornDivergence div = divergence(epsilon);
            ParticleMeasure target = ParticleMeasure.fromFlat(y, 2);
            SinkhornDivergenceResult at = div.valueAndGradient(ParticleMeasure.fromFlat(x, 2), target);
            assertTrue(at.converged(), at.toString());
            double[] gradient = at.gradient();
            double range = Math.pow(diameter(x, y) + H, 2);
            for (int k = 0; k < x.length; k++) {
                int c = k;
                DoubleUnaryOperator value = t -> {
                    double[] moved = x.clone();
                    moved[c] += t;
                    return div.value(ParticleMeasure.fromFlat(moved, 2), target);
                };
                double fd = central(value, H);
                double bound = differenceError(fd, central(value, H / 2), range);
                assertEquals(fd, gradient[k], bound, "coordinate " + k);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void parameterGradientOfTheBatchObjectiveMatchesCentralDifferences(long seed) {
        Property.check(seed, rng -> {
            boolean affine = rng.nextBoolean();
            int p = 1 + rng.nextInt(3);
            int[] sizes = affine ? new int[]{p, 2} : new int[]{p, 2 + rng.nextInt(4), 2};
            Activation activation = rng.nextBoolean() ? Activation.TANH : Activation.SILU;
            double[] theta = Mlp.initialised(sizes, activation, rng).parameters();
            Mlp network = Mlp.sharing(sizes, activation, theta);
            int batch = 3 + rng.nextInt(8);
            double epsilon = 0.2 + rng.nextDouble();
            double[] z = gaussians(rng, batch * p, 1);
            double[] y = gaussians(rng, batch * 2, 1);
            SinkhornGeneratorTrainer.BatchObjective objective = new SinkhornGeneratorTrainer.BatchObjective(network,
                    divergence(epsilon), batch);
            double[] gradient = new double[theta.length];
            objective.valueAndGradient(z, y, gradient, 1);
            assertTrue(objective.converged, "the three problems reach 1e-12");
            double[] ignored = new double[theta.length];
            double[] x = new double[batch * 2];
            double[] scratch = network.rowScratch();
            for (int i = 0; i < batch; i++) {
                network.forward(z, i * p, x, i * 2, scratch);
            }
            // parameter moves of H move the generated points by O(H): 1 + their size bounds the range
            double range = Math.pow(diameter(x, y) + 1, 2);
            for (int k = 0; k < theta.length; k++) {
                int c = k;
                double kept = theta[k];
                DoubleUnaryOperator value = t -> {
                    theta[c] = kept + t;
                    double v = objective.valueAndGradient(z, y, ignored, 1);
                    theta[c] = kept;
                    return v;
                };
                double fd = central(value, H);
                double bound = differenceError(fd, central(value, H / 2), range);
                assertEquals(fd, gradient[k], bound, (affine ? "affine" : "MLP") + " parameter " + k);
            }
        });
    }
}
