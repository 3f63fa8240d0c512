package org.measureflow.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


import org.measureflow.core.measure.GridDensity;
import org.measureflow.examples.cli.OutputFiles;
import org.measureflow.ot.barycenter.BarycenterResult;
import org.measureflow.ot.barycenter.ConvolutionalBarycenter;

/**
 * The barycenter demo ({@code ot-barycenter}): images interpolated by entropic Wasserstein barycenters.
 *
 * <p>Four shapes drawn on a \( 64\times 64 \) grid of \( [0,1]^2 \) (a disk, a ring, a square and a cross) sit at the
 * corners of a \( 5\times 5 \) table; panel \( (r, c) \) shows the convolutional entropic barycenter
 * \( \arg\min_p \sum_k \lambda_k W_\varepsilon(p, b_k) \) (Benamou et al. 2015, Solomon et al. 2015; cost
 * \( |x-y|^2 \)) with bilinear weights \( \lambda = ((1-s)(1-t), s(1-t), (1-s)t, st) \), \( s = c/4 \), \( t = r/4 \).
 * Mass moves along Wasserstein geodesics rather than fading in and out as in a linear blend; the corners are the
 * inputs seen through the entropic blur of \( \varepsilon \).
 */
public final class OtBarycenterDemo implements TourDemo {
    /** The demo's name and picture stem. */
    public static final String NAME = "ot-barycenter";
    /** Cells per side of the grid. */
    public static final int SIDE = 64;
    /** Panels per side of the table. */
    public static final int PANELS = 5;
    /** The entropic regularisation, absolute (the grid is the unit square, cell size 1/64). */
    public static final double EPSILON = 1.5e-3;
    /** The L1 coupling tolerance of each barycenter. */
    public static final double TOLERANCE = 1e-3;
    /** Label of the mean of the centre panel (equal weights) among the readings. */
    public static final String CENTRE_MEAN = "centre panel (equal weights): mean";
    /** Label of the largest coupling residual among the readings. */
    public static final String RESIDUAL = "largest coupling residual sum_k lambda_k |P_k 1 - p|_1";

    private static final int SCALE = 3;
    private static final int GAP = 6;

    /** The demo; stateless. */
    public OtBarycenterDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The grid: \( [0,1]^2 \) cut into {@link #SIDE} x {@link #SIDE} cells. */
    public static GridDensity.Grid grid() {
        return GridDensity.Grid.of2d(0, 1, SIDE, 0, 1, SIDE);
    }

    /** The four shapes, centred at \( (1/2, 1/2) \): disk, ring, square, cross (indicator functions). */
    public static GridDensity[] shapes() {
        GridDensity.Grid g = grid();
        return new GridDensity[] {
            GridDensity.fromFunction(g, x -> radius(x) < 0.3 ? 1 : 0),
            GridDensity.fromFunction(g, x -> radius(x) < 0.36 && radius(x) > 0.22 ? 1 : 0),
            GridDensity.fromFunction(g, x -> Math.abs(x[0] - 0.5) < 0.24 && Math.abs(x[1] - 0.5) < 0.24 ? 1 : 0),
            GridDensity.fromFunction(g, x -> {
                double u = Math.abs(x[0] - 0.5);
                double v = Math.abs(x[1] - 0.5);
                return (u < 0.07 && v < 0.38) || (v < 0.07 && u < 0.38) ? 1 : 0;
            })};
    }

    private static double radius(double[] x) {
        return Math.hypot(x[0] - 0.5, x[1] - 0.5);
    }

    /** The weights of panel {@code (row, col)}: bilinear in \( s = col/4 \), \( t = row/4 \). */
    public static double[] weights(int row, int col) {
        double s = col / (double) (PANELS - 1);
        double t = row / (double) (PANELS - 1);
        return new double[] {(1 - s) * (1 - t), s * (1 - t), (1 - s) * t, s * t};
    }

    /** The demo feeds its own progress bar from the barycenter solver's iteration observer. */
    @Override
    public boolean reportsProgress() {
        return true;
    }

    @Override
    public DemoResult run(Path outDir, boolean quiet) throws Exception {
        GridDensity[] inputs = shapes();
        ConvolutionalBarycenter solver = ConvolutionalBarycenter.of(EPSILON).withTolerance(TOLERANCE)
                .withMaxIterations(2000);
        double[][][] panels = new double[PANELS][PANELS][];
        long maxIterations = 0;
        double maxResidual = 0;
        double[] centreMean = null;
        boolean allConverged = true;
        int count = PANELS * PANELS;
        try (Progress progress = Progress.start(NAME, quiet)) {
            for (int r = 0; r < PANELS; r++) {
                for (int c = 0; c < PANELS; c++) {
                    int done = r * PANELS + c;
                    // each panel is 1/25 of the bar, filled as its coupling residual falls towards the tolerance
                    BarycenterResult b = solver.solve(inputs, weights(r, c), ConvergenceProgress.towardsTolerance(
                            TOLERANCE, f -> progress.accept((done + f) / count)));
                    panels[r][c] = b.weights();
                    maxIterations = Math.max(maxIterations, b.iterations());
                    maxResidual = Math.max(maxResidual, b.error());
                    allConverged &= b.converged();
                    if (r == PANELS / 2 && c == PANELS / 2) {
                        centreMean = b.density().mean();
                    }
                }
            }
        }
        Files.createDirectories(outDir);
        String file = NAME + ".png";
        render(panels, outDir.resolve(file));
        List<DemoResult.Reading> readings = new ArrayList<>();
        readings.add(DemoResult.Reading.scalar("epsilon", EPSILON));
        readings.add(DemoResult.Reading.scalar("largest Bregman iteration count", maxIterations));
        readings.add(DemoResult.Reading.scalar(RESIDUAL, maxResidual));
        readings.add(DemoResult.Reading.scalar("all converged (1 = yes)", allConverged ? 1 : 0));
        readings.add(DemoResult.Reading.vector(CENTRE_MEAN, centreMean));
        return new DemoResult(
                String.format(Locale.ROOT, "Entropic Wasserstein barycenters of four %dx%d shapes", SIDE, SIDE),
                List.of(file),
                List.of("Corners: a disk, a ring, a square and a cross; every other panel is their convolutional "
                                + "entropic barycenter with bilinear weights (separable Gaussian kernel, log domain).",
                        "Shapes morph along Wasserstein geodesics (the ring's hole opens, the cross's arms grow) "
                                + "instead of cross-fading; eps sets the blur."),
                readings);
    }

    /** Draws the table of panels, each normalised by its maximum, white to dark blue. */
    private static void render(double[][][] panels, Path file) throws IOException {
        int cell = SIDE * SCALE;
        int size = PANELS * cell + (PANELS + 1) * GAP;
        BufferedImage image = new BufferedImage(size, size + 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(String.format(Locale.ROOT, "Convolutional Wasserstein barycenters, eps = %s, bilinear weights",
                EPSILON), GAP, 18);
        for (int r = 0; r < PANELS; r++) {
            for (int c = 0; c < PANELS; c++) {
                double[] p = panels[r][c];
                double max = 0;
                for (double v : p) {
                    max = Math.max(max, v);
                }
                int x0 = GAP + c * (cell + GAP);
                int y0 = 24 + GAP + r * (cell + GAP);
                for (int i = 0; i < SIDE; i++) {
                    for (int j = 0; j < SIDE; j++) {
                        double v = max > 0 ? p[i * SIDE + j] / max : 0;
                        int rgb = colour(v);
                        // cell (i, j): x along i (right), y along j (up)
                        for (int a = 0; a < SCALE; a++) {
                            for (int b = 0; b < SCALE; b++) {
                                image.setRGB(x0 + i * SCALE + a, y0 + (SIDE - 1 - j) * SCALE + b, rgb);
                            }
                        }
                    }
                }
                g.setColor(new Color(200, 200, 200));
                g.drawRect(x0 - 1, y0 - 1, cell + 1, cell + 1);
            }
        }
        g.dispose();
        OutputFiles.writeAtomically(file, f -> Plots.writePng(image, f));
    }

    private static int colour(double v) {
        double t = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(255 * (1 - t) + 20 * t);
        int gg = (int) Math.round(255 * (1 - t) + 50 * t);
        int b = (int) Math.round(255 * (1 - t) + 120 * t);
        return (r << 16) | (gg << 8) | b;
    }
}
