package org.measureflow.flowmatching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.measure.PointSampler;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.flowmatching.learned.FlowMatchingTrainer;
import org.measureflow.flowmatching.learned.Mlp;
import org.measureflow.flowmatching.learned.MlpVelocityField;
import org.measureflow.flowmatching.learned.NetworkFiles;
import org.measureflow.flowmatching.learned.TrainingResult;
import org.measureflow.testing.DocsCode;

/**
 * The Java example of docs/models.md (block {@code java-example-flowmatching}) runs: this test holds exactly its
 * lines, between the {@code // docs:} comments, and checks at run time that the page still shows those lines.
 */
class ModelsDocExampleTest {
    @Test
    void thePageShowsTheLinesOfThisTest() throws IOException {
        DocsCode.assertJavaBlockIsRunBy("models.md", "java-example-flowmatching",
                ModelsDocExampleTest.class);
    }

    @Test
    void theExampleSavesAndReadsBackTheTrainedField() throws IOException {
        // docs: java-example-flowmatching begin
        Path dir = Files.createTempDirectory("models");
        ParticleMeasure data = GaussianMeasure.of(new double[]{2, -1}, new double[][]{{0.6, 0.3}, {0.3, 0.5}})
                .sample(2_000, new SplittableRandom(2));
        TrainingResult learned = FlowMatchingTrainer.withDefaults().withSteps(300)   // a short run for the example
                .train(GaussianMeasure.standard(2), PointSampler.of(data), new SplittableRandom(3));
        NetworkFiles.write(dir.resolve("field.npz"), learned.field());             // a velocity field, one archive
        NetworkFiles.writeDirectory(dir.resolve("field"), learned.field());        // the same arrays, one .npy each
        MlpVelocityField back = NetworkFiles.readVelocityField(dir.resolve("field.npz"), LinearInterpolant.instance());
        Mlp network = NetworkFiles.readNetwork(dir.resolve("field"));              // the bare network f_theta
        NetworkFiles.write(dir.resolve("network.npz"), network);                   // time_embedding 'none'
        // docs: java-example-flowmatching end
        try {
            double[] trained = learned.field().network().parameters();
            assertArrayEquals(trained, back.network().parameters(), 0.0);
            assertArrayEquals(trained, network.parameters(), 0.0);
            assertArrayEquals(trained, NetworkFiles.readNetwork(dir.resolve("network.npz")).parameters(), 0.0);
            double[] x = {0.3, -1.2};
            double[] v = new double[2];
            double[] w = new double[2];
            learned.field().velocity(0.4, x, 0, v, 0);
            back.velocity(0.4, x, 0, w, 0);
            assertEquals(Double.doubleToRawLongBits(v[0]), Double.doubleToRawLongBits(w[0]));
            assertEquals(Double.doubleToRawLongBits(v[1]), Double.doubleToRawLongBits(w[1]));
        } finally {
            DocsCode.deleteTree(dir);
        }
    }
}
