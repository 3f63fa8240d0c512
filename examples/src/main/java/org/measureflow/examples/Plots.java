package org.measureflow.examples;

import java.awt.Color;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.examples.cli.CommandFailure;
import org.measureflow.examples.cli.OutputFiles;

/**
 * Small plotting helpers shared by the demos: a house style for XChart scatter plots, particle clouds and
 * covariance ellipses, colour ramps, and saving a chart as both PNG (XChart's bitmap encoder) and SVG (XChart's
 * vector encoder on VectorGraphics2D). Rendering needs {@code java.awt.headless=true} on machines without a
 * display; {@link Mflow#main(String[])} sets it.
 */
public final class Plots {
    private Plots() {
    }

    /**
     * Saves {@code chart} as {@code outDir/stem.png} and {@code outDir/stem.svg}, creating {@code outDir} if
     * needed. Both files are written to temporary files first and then moved into place ({@link OutputFiles}): a
     * failure leaves no partial picture and keeps the previous one.
     *
     * @return the two file names, relative to {@code outDir}: {@code [stem.png, stem.svg]}
     * @throws IOException if a file cannot be written
     */
    public static List<String> save(XYChart chart, Path outDir, String stem) throws IOException {
        checkStem(stem);
        Files.createDirectories(outDir);
        try (OutputFiles files = new OutputFiles()) {
            OutputFiles.Output png = files.declare("picture", outDir.resolve(stem + ".png"));
            OutputFiles.Output svg = files.declare("picture", outDir.resolve(stem + ".svg"));
            files.write(png, f -> writePng(chart, f));
            files.write(svg, f -> writeSvg(chart, f));
            files.commit();
        } catch (CommandFailure e) {
            throw new IOException(e.getMessage(), e);
        }
        return List.of(stem + ".png", stem + ".svg");
    }

    /** Writes {@code chart} as a PNG image to {@code file} (created or replaced, not atomically). */
    public static void writePng(XYChart chart, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Writes {@code chart} as an SVG document to {@code file} (created or replaced, not atomically). */
    public static void writeSvg(XYChart chart, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
    }

    /** Writes {@code image} as a PNG to {@code file}, failing if no PNG writer is available. */
    public static void writePng(java.awt.image.RenderedImage image, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            if (!javax.imageio.ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        }
    }

    private static void checkStem(String stem) {
        if (stem == null || stem.isEmpty() || stem.contains("/") || stem.contains("\\")) {
            throw new IllegalArgumentException("stem must be a non-empty file name without a directory, got " + stem);
        }
    }

    /**
     * Saves several charts side by side in one PNG, {@code outDir/stem.png}, and each chart as its own SVG,
     * {@code outDir/stem-1.svg}, {@code outDir/stem-2.svg}, ..., each written to a temporary file first and moved
     * into place once all are written.
     *
     * @return the file names, relative to {@code outDir}, the PNG first
     * @throws IOException if a file cannot be written
     */
    public static List<String> saveSideBySide(List<XYChart> charts, Path outDir, String stem) throws IOException {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("charts must not be empty");
        }
        checkStem(stem);
        Files.createDirectories(outDir);
        List<java.awt.image.BufferedImage> images = new java.util.ArrayList<>();
        int width = 0;
        int height = 0;
        for (XYChart chart : charts) {
            java.awt.image.BufferedImage image = BitmapEncoder.getBufferedImage(chart);
            images.add(image);
            width += image.getWidth();
            height = Math.max(height, image.getHeight());
        }
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (java.awt.image.BufferedImage image : images) {
            g.drawImage(image, x, 0, null);
            x += image.getWidth();
        }
        g.dispose();
        List<String> names = new java.util.ArrayList<>();
        try (OutputFiles files = new OutputFiles()) {
            names.add(stem + ".png");
            files.write(files.declare("picture", outDir.resolve(stem + ".png")), f -> writePng(all, f));
            for (int k = 0; k < charts.size(); k++) {
                String name = stem + "-" + (k + 1) + ".svg";
                XYChart chart = charts.get(k);
                files.write(files.declare("picture", outDir.resolve(name)), f -> writeSvg(chart, f));
                names.add(name);
            }
            files.commit();
        } catch (CommandFailure e) {
            throw new IOException(e.getMessage(), e);
        }
        return List.copyOf(names);
    }

    /**
     * An empty scatter chart in the house style: white background, legend inside the top-left corner, small round
     * markers, anti-aliased.
     */
    public static XYChart scatterChart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler()
                .setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideNW)
                .setMarkerSize(3)
                .setAntiAlias(true);
        return chart;
    }

    /**
     * Sets the same range on both axes, \( [c - r, c + r] \) around the centre of the box
     * \( [x_{min}, x_{max}] \times [y_{min}, y_{max}] \) with \( r \) half its longer side plus a margin, so that a
     * square plot shows circles as circles.
     */
    public static void equalAxes(XYChart chart, double xMin, double xMax, double yMin, double yMax, double margin) {
        double cx = 0.5 * (xMin + xMax);
        double cy = 0.5 * (yMin + yMax);
        double r = 0.5 * Math.max(xMax - xMin, yMax - yMin) * (1 + margin);
        chart.getStyler().setXAxisMin(cx - r).setXAxisMax(cx + r).setYAxisMin(cy - r).setYAxisMax(cy + r);
    }

    /** Adds the points (coordinates 0 and 1) of a 2-D particle measure as a scatter series of colour {@code colour}. */
    public static XYSeries addParticles(XYChart chart, String name, ParticleMeasure particles, Color colour) {
        if (particles.dimension() != 2) {
            throw new IllegalArgumentException("particles must be 2-dimensional, got d = " + particles.dimension());
        }
        int n = particles.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = particles.coordinate(i, 0);
            y[i] = particles.coordinate(i, 1);
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
        return s;
    }

    /**
     * Adds the ellipse \( \{ m + r L u : |u| = 1 \} \) with \( L L^\top = \Sigma \) (the level set
     * \( (x - m)^\top \Sigma^{-1} (x - m) = r^2 \) of a Gaussian \( \mathcal{N}(m, \Sigma) \)) as a line series,
     * hidden from the legend.
     */
    public static XYSeries addEllipse(XYChart chart, String name, double[] mean, DMatrixRMaj covariance, double radius,
                                      Color colour) {
        double[][] e = ellipse(mean, covariance, radius, 181);
        XYSeries s = chart.addSeries(name, e[0], e[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineWidth(2f);
        s.setShowInLegend(false);
        return s;
    }

    /**
     * {@code points} points (first = last) of the ellipse \( m + r L (\cos\theta, \sin\theta)^\top \), where
     * \( L \) is the Cholesky factor of the 2x2 SPD matrix \( \Sigma \); returns {@code {xs, ys}}.
     */
    public static double[][] ellipse(double[] mean, DMatrixRMaj covariance, double radius, int points) {
        if (mean.length != 2 || covariance.numRows != 2 || covariance.numCols != 2) {
            throw new IllegalArgumentException("ellipse needs a 2-D mean and a 2x2 covariance, got mean of length "
                    + mean.length + " and a " + covariance.numRows + "x" + covariance.numCols + " matrix");
        }
        double s11 = covariance.get(0, 0);
        double s21 = 0.5 * (covariance.get(1, 0) + covariance.get(0, 1));
        double s22 = covariance.get(1, 1);
        if (!(s11 > 0) || !(s11 * s22 - s21 * s21 > 0)) {
            throw new IllegalArgumentException("covariance must be positive definite, got " + covariance);
        }
        double l11 = Math.sqrt(s11);
        double l21 = s21 / l11;
        double l22 = Math.sqrt(s22 - l21 * l21);
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int k = 0; k < points; k++) {
            double theta = 2 * Math.PI * k / (points - 1);
            double c = Math.cos(theta);
            double s = Math.sin(theta);
            xs[k] = mean[0] + radius * l11 * c;
            ys[k] = mean[1] + radius * (l21 * c + l22 * s);
        }
        return new double[][]{xs, ys};
    }

    /**
     * {@code k} colours running from dark blue through teal and green to orange (a perceptually ordered ramp,
     * interpolated linearly in RGB between five anchors), for series ordered in time.
     */
    public static Color[] ramp(int k) {
        int[][] anchors = {{49, 54, 149}, {33, 144, 140}, {94, 201, 98}, {200, 200, 40}, {230, 110, 20}};
        Color[] out = new Color[k];
        for (int i = 0; i < k; i++) {
            double u = k == 1 ? 0 : (double) i / (k - 1) * (anchors.length - 1);
            int a = Math.min((int) Math.floor(u), anchors.length - 2);
            double f = u - a;
            int[] c = new int[3];
            for (int j = 0; j < 3; j++) {
                c[j] = (int) Math.round((1 - f) * anchors[a][j] + f * anchors[a + 1][j]);
            }
            out[i] = new Color(c[0], c[1], c[2]);
        }
        return out;
    }

    /** {@code colour} with opacity {@code alpha} in [0, 1]. */
    public static Color withAlpha(Color colour, double alpha) {
        return new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), (int) Math.round(255 * alpha));
    }
}
