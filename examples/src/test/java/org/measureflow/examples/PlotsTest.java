package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.measureflow.core.measure.ParticleMeasure;

class PlotsTest {
    @Test
    void ellipsePointsLieOnTheMahalanobisLevelSet() {
        double[] m = {1, -2};
        DMatrixRMaj s = new DMatrixRMaj(new double[][]{{2, 0.7}, {0.7, 0.5}});
        double det = 2 * 0.5 - 0.7 * 0.7;
        double[][] e = Plots.ellipse(m, s, 1.5, 64);
        for (int k = 0; k < 64; k++) {
            double u = e[0][k] - m[0];
            double v = e[1][k] - m[1];
            double q = (0.5 * u * u - 2 * 0.7 * u * v + 2 * v * v) / det; // (x-m)^T S^{-1} (x-m)
            assertEquals(1.5 * 1.5, q, 1e-12); // exact up to rounding
        }
        assertEquals(e[0][0], e[0][63], 1e-12); // closed curve
    }

    @Test
    void ellipseRejectsANonPositiveDefiniteCovariance() {
        DMatrixRMaj s = new DMatrixRMaj(new double[][]{{1, 2}, {2, 1}});
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Plots.ellipse(new double[]{0, 0}, s, 1, 10));
        assertTrue(ex.getMessage().contains("covariance"));
    }

    @Test
    void rampRunsFromBlueToOrange() {
        Color[] c = Plots.ramp(5);
        assertEquals(new Color(49, 54, 149), c[0]);
        assertEquals(new Color(230, 110, 20), c[4]);
        assertEquals(1, Plots.ramp(1).length);
    }

    @Test
    void saveWritesPngAndSvgNamedAfterTheStem(@TempDir Path dir) throws Exception {
        XYChart chart = Plots.scatterChart("test", "x", "y", 300, 300);
        Plots.addParticles(chart, "points", ParticleMeasure.of(new double[][]{{0, 0}, {1, 1}, {2, 0}}), Color.BLUE);
        Path sub = dir.resolve("sub");
        List<String> files = Plots.save(chart, sub, "picture");
        assertEquals(List.of("picture.png", "picture.svg"), files);
        assertTrue(Files.size(sub.resolve("picture.png")) > 0);
        assertTrue(Files.readString(sub.resolve("picture.svg")).contains("<svg"));
        assertThrows(IllegalArgumentException.class, () -> Plots.save(chart, dir, "a/b"));
    }
}
