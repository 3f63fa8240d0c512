package org.measureflow.gradientflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.nn.Activation;
import org.measureflow.testing.DocsCode;

/**
 * The mean-field Java example of docs/models.md (block {@code java-example-meanfield}) runs: this test holds exactly
 * its lines, between the {@code // docs:} comments, and checks at run time that the page still shows those lines.
 */
class ModelsDocExampleTest {
    @Test
    void thePageShowsTheLinesOfThisTest() throws IOException {
        DocsCode.assertJavaBlockIsRunBy("models.md", "java-example-meanfield",
                ModelsDocExampleTest.class);
    }

    @Test
    void theExampleSavesAndReadsBackTheTrainedNetworks() throws IOException {
        // docs: java-example-meanfield begin
        Path dir = Files.createTempDirectory("models");
        SplittableRandom rng = new SplittableRandom(4);
        double[][] x = new double[200][2];
        double[] y = new double[200];
        double[] z = new double[400];
        double[] target = new double[400];
        for (int k = 0; k < 200; k++) {
            x[k][0] = rng.nextGaussian();
            x[k][1] = rng.nextGaussian();
            y[k] = Math.tanh(x[k][0] - 0.5 * x[k][1]);                              // a teacher to fit
            z[2 * k] = x[k][0];
            z[2 * k + 1] = x[k][1];
            target[2 * k] = -x[k][1];                                              // a quarter turn to fit
            target[2 * k + 1] = x[k][0];
        }
        TwoLayerNetwork start = TwoLayerNetwork.of(GaussianMeasure.standard(4).sample(64, rng), Activation.TANH,
                Scaling.MEAN_FIELD);
        MeanFieldResult result = MeanFieldTrainer.of(0.5).withSteps(200).train(start, RegressionData.of(x, y), rng);
        TwoLayerNetwork trained = TwoLayerNetwork.of(result.neurons(), start.activation(), start.scaling());
        MeanFieldNetworkFiles.write(dir.resolve("two_layer.npz"), trained);
        MeanFieldNetworkFiles.writeDirectory(dir.resolve("two_layer"), trained);
        TwoLayerNetwork back = MeanFieldNetworkFiles.readTwoLayer(dir.resolve("two_layer"));

        ResidualNetwork resnet = ResidualNetwork.sampled((t, p) -> {
            for (int i = 0; i < p.length; i++) {
                p[i] = 0.3 * Math.sin(i + 3 * t);                                   // a smooth path theta(t)
            }
        }, 2, 8, 16, Activation.TANH);
        ResidualTrainingResult fit = resnet.train(z, target, 200, 0.05, 300);
        MeanFieldNetworkFiles.write(dir.resolve("residual.npz"), fit.network());
        ResidualNetwork again = MeanFieldNetworkFiles.readResidual(dir.resolve("residual.npz"));
        // docs: java-example-meanfield end
        try {
            // training did something (so the saved networks are trained ones), and they came back bit for bit
            assertTrue(result.finalRisk() < result.risks()[0], result.toString());
            assertTrue(fit.finalLoss() < fit.losses()[0], fit.toString());
            RegressionData data = RegressionData.of(x, y);
            assertEquals(Double.doubleToRawLongBits(result.finalRisk()), Double.doubleToRawLongBits(back.risk(data)));
            assertEquals(Double.doubleToRawLongBits(trained.risk(data)),
                    Double.doubleToRawLongBits(MeanFieldNetworkFiles.readTwoLayer(dir.resolve("two_layer.npz"))
                            .risk(data)));
            assertArrayEquals(fit.network().parameters(), again.parameters(), 0.0);
            assertEquals(Double.doubleToRawLongBits(fit.finalLoss()), Double.doubleToRawLongBits(
                    again.lossAndGradient(z, target, 200, new double[again.parameters().length])));
        } finally {
            DocsCode.deleteTree(dir);
        }
    }
}
