package org.measureflow.gradientflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.nn.Activation;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.testing.Property;

class ResidualNetworkTest {
    private static final int D = 3;
    private static final int H = 8;

    /** A smooth parameter path theta(t) = A + B sin(2 t) + C t^2 with fixed random A, B, C. */
    private static ResidualNetwork.ParameterPath smoothPath(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int p = ResidualNetwork.layerSize(D, H);
        double[] a = new double[p];
        double[] b = new double[p];
        double[] c = new double[p];
        for (int i = 0; i < p; i++) {
            a[i] = 0.7 * rng.nextGaussian();
            b[i] = 0.5 * rng.nextGaussian();
            c[i] = 0.3 * rng.nextGaussian();
        }
        return (t, out) -> {
            for (int i = 0; i < p; i++) {
                out[i] = a[i] + b[i] * Math.sin(2 * t) + c[i] * t * t;
            }
        };
    }

    @Test
    void deepResidualNetworksConvergeToTheNeuralOdeAtFirstOrder() {
        ResidualNetwork.ParameterPath path = smoothPath(3);
        double[] x0 = {0.5, -1, 0.3};
        double[] exact = x0.clone();
        RungeKutta4.of(1e-3).integrate(ResidualNetwork.neuralOde(path, D, H, Activation.TANH).onParticles()
                .system(1, D, null), 0, exact, 1);
        double[] errors = new double[4];
        int[] depths = {16, 32, 64, 128};
        for (int k = 0; k < depths.length; k++) {
            double[] out = ResidualNetwork.sampled(path, D, H, depths[k], Activation.TANH).apply(x0);
            double e = 0;
            for (int c = 0; c < D; c++) {
                e = Math.max(e, Math.abs(out[c] - exact[c]));
            }
            errors[k] = e;
        }
        // The network is explicit Euler with step 1/L on the ODE: error ~ C/L, so doubling L halves it
        // (observed order log2(e_L / e_2L) within 0.2 of 1 at the finest pair).
        double order = Math.log(errors[2] / errors[3]) / Math.log(2);
        assertEquals(1.0, order, 0.2, "observed order " + order + " from errors " + java.util.Arrays.toString(errors));
        assertTrue(errors[3] < errors[2] && errors[2] < errors[1] && errors[1] < errors[0]);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("org.measureflow.testing.Seeds#few")
    void gradientMatchesFiniteDifferences(long seed) {
        Property.check(seed, rng -> {
            int layers = 1 + rng.nextInt(5);
            ResidualNetwork net = ResidualNetwork.sampled(smoothPath(rng.nextLong()), D, H, layers, Activation.TANH);
            int m = 4;
            double[] z = new double[m * D];
            double[] y = new double[m * D];
            for (int i = 0; i < z.length; i++) {
                z[i] = rng.nextGaussian();
                y[i] = rng.nextGaussian();
            }
            double[] grad = new double[net.parameters().length];
            net.lossAndGradient(z, y, m, grad);
            double[] theta = net.parameters();
            double h = 1e-5;
            double[] scratch = new double[grad.length];
            for (int p = 0; p < theta.length; p++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[p] += h;
                minus[p] -= h;
                double fd = (ResidualNetwork.of(D, H, layers, Activation.TANH, plus).lossAndGradient(z, y, m, scratch)
                        - ResidualNetwork.of(D, H, layers, Activation.TANH, minus).lossAndGradient(z, y, m, scratch))
                        / (2 * h);
                // Central differences on a smooth loss: ~1e-10 error; 1e-6 relative.
                assertEquals(fd, grad[p], 1e-6 * Math.abs(fd) + 1e-9, "parameter " + p);
            }
        });
    }

    @Test
    void gradientDescentTrainsTheResidualNetwork() {
        SplittableRandom rng = new SplittableRandom(8);
        int m = 40;
        double[] z = new double[m * D];
        double[] y = new double[m * D];
        for (int k = 0; k < m; k++) {
            for (int c = 0; c < D; c++) {
                z[k * D + c] = rng.nextGaussian();
            }
            // Target: a rotation of the input in its first two coordinates.
            y[k * D] = 0.8 * z[k * D] - 0.6 * z[k * D + 1];
            y[k * D + 1] = 0.6 * z[k * D] + 0.8 * z[k * D + 1];
            y[k * D + 2] = z[k * D + 2];
        }
        ResidualNetwork net = ResidualNetwork.sampled(smoothPath(1), D, H, 16, Activation.TANH);
        double[] history = net.train(z, y, m, 0.02, 300).losses();
        // Gradient descent with a small enough step decreases the loss; here by a factor > 10 in 300 steps.
        assertTrue(history[300] < 0.1 * history[0], "loss " + history[0] + " -> " + history[300]);
    }
}
