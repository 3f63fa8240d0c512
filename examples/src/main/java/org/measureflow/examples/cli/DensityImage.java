package org.measureflow.examples.cli;

import java.awt.image.BufferedImage;
import java.util.List;

import org.measureflow.core.measure.GridDensity;

/**
 * 2-D grid densities drawn as grey-level images side by side (white = 0, black = the largest value of each panel),
 * in one image.
 */
final class DensityImage {
    private static final int PIXELS = 360;

    private DensityImage() {
    }

    /** The densities (2-D grids) side by side in one image. */
    static BufferedImage sideBySide(List<GridDensity> densities) {
        BufferedImage image = new BufferedImage(PIXELS * densities.size() + 10 * (densities.size() - 1), PIXELS,
                BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < PIXELS; y++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int p = 0; p < densities.size(); p++) {
            GridDensity rho = densities.get(p);
            double[] values = rho.values();
            int nx = rho.grid().cells(0);
            int ny = rho.grid().cells(1);
            double max = 0;
            for (double v : values) {
                max = Math.max(max, v);
            }
            for (int px = 0; px < PIXELS; px++) {
                for (int py = 0; py < PIXELS; py++) {
                    int i = Math.min(nx - 1, px * nx / PIXELS);
                    int j = Math.min(ny - 1, (PIXELS - 1 - py) * ny / PIXELS);
                    double v = max > 0 ? values[i * ny + j] / max : 0;
                    int grey = (int) Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
                    image.setRGB(p * (PIXELS + 10) + px, py, (grey << 16) | (grey << 8) | grey);
                }
            }
        }
        return image;
    }
}
