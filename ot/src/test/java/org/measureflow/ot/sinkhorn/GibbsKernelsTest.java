package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/**
 * The three Gibbs kernels of {@code ot.sinkhorn} against the dense kernel \( e^{-C/\varepsilon} \) written out
 * entry by entry.
 */
class GibbsKernelsTest {

    /** \( \log\sum_j e^{(h_i + w_j - C_{ij})/\varepsilon} \), max-shifted, entry by entry. */
    private static double[] rowLogSums(CostMatrix c, double[] h, double[] w, double eps) {
        double[] out = new double[c.rows()];
        for (int i = 0; i < c.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c.cols(); j++) {
                max = Math.max(max, (h[i] + w[j] - c.get(i, j)) / eps);
            }
            double s = 0;
            for (int j = 0; j < c.cols(); j++) {
                s += Math.exp((h[i] + w[j] - c.get(i, j)) / eps - max);
            }
            out[i] = max + Math.log(s);
        }
        return out;
    }

    private static CostMatrix transpose(CostMatrix c) {
        double[] t = new double[c.rows() * c.cols()];
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                t[j * c.rows() + i] = c.get(i, j);
            }
        }
        return CostMatrix.of(c.cols(), c.rows(), t);
    }

    @Test
    void logDomainKernelsOfCostsAndCloudsGiveTheDenseLogSums() {
        SplittableRandom rng = new SplittableRandom(5);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 13, 3);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 9, 3);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        for (double eps : new double[] {1e-3, 0.1, 5}) {
            double[] h = RandomInputs.gaussianVector(rng, 13);
            double[] w = RandomInputs.gaussianVector(rng, 9);
            h[3] = Double.NEGATIVE_INFINITY; // an atom of weight zero
            double[] expectedRows = rowLogSums(c, h, w, eps);
            double[] expectedCols = rowLogSums(transpose(c), w, h, eps);
            for (LogDomainGibbsKernel k : new LogDomainGibbsKernel[] {LogDomainGibbsKernel.of(c, true),
                LogDomainGibbsKernel.of(x, y, false)}) {
                double[] rows = new double[13];
                double[] cols = new double[9];
                k.rowLogSums(h, w, eps, rows);
                k.colLogSums(h, w, eps, cols);
                assertEquals(Double.NEGATIVE_INFINITY, rows[3]);
                for (int i = 0; i < 13; i++) {
                    if (i != 3) {
                        // log-sums of order |h| + |w| + C/eps, exact up to rounding of the exponents
                        assertEquals(expectedRows[i], rows[i], 1e-12 * (1 + Math.abs(expectedRows[i])), k + " " + i);
                    }
                }
                assertArrayEquals(expectedCols, cols, 1e-12 * (1 + max(expectedCols)), k.toString());
                assertEquals(c.get(4, 7), k.cost(4, 7), 1e-14);
                assertEquals(13, k.rows());
                assertEquals(9, k.cols());
            }
        }
        assertEquals(c.maxAbs(), LogDomainGibbsKernel.of(c, true).costScale(), 0.0);
        assertTrue(LogDomainGibbsKernel.of(x, y, true).costScale() >= c.maxAbs(), "a bound of the largest cost");
        assertEquals("LogDomainGibbsKernel[13x9, dense cost matrix]", LogDomainGibbsKernel.of(c, true).toString());
        assertEquals("LogDomainGibbsKernel[13x9, |x - y|^2 between point clouds in dimension 3]",
                LogDomainGibbsKernel.of(x, y, true).toString());
        LogDomainGibbsKernel k = LogDomainGibbsKernel.of(c, true);
        Rejections.assertRejected("w", () -> k.rowLogSums(new double[13], new double[8], 1, new double[13]));
        Rejections.assertRejected("out", () -> k.colLogSums(new double[13], new double[9], 1, new double[13]));
        Rejections.assertRejected("eps", () -> k.rowLogSums(new double[13], new double[9], 0, new double[13]));
        Rejections.assertRejected("j", () -> k.cost(0, 9));
    }

    @Test
    void statisticsAndPlanOfTheLogDomainKernelAreThoseOfTheDensePlan() {
        SplittableRandom rng = new SplittableRandom(6);
        ParticleMeasure x = RandomInputs.pointCloud(rng, 8, 2);
        ParticleMeasure y = RandomInputs.pointCloud(rng, 11, 2);
        CostMatrix c = CostMatrix.squaredEuclidean(x, y);
        double eps = 0.4;
        double[] h = RandomInputs.gaussianVector(rng, 8);
        double[] w = RandomInputs.gaussianVector(rng, 11);
        double[] p = new double[8 * 11];
        double[] rows = new double[8];
        double[] cols = new double[11];
        double cost = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 11; j++) {
                double v = Math.exp((h[i] + w[j] - c.get(i, j)) / eps);
                p[i * 11 + j] = v;
                rows[i] += v;
                cols[j] += v;
                cost += v * c.get(i, j);
            }
        }
        LogDomainGibbsKernel k = LogDomainGibbsKernel.of(x, y, true);
        double[] r = new double[8];
        double[] q = new double[11];
        // the same sums in another order: rounding, relative 1e-14
        assertEquals(cost, k.statistics(h, w, eps, r, q), 1e-14 * cost);
        assertArrayEquals(rows, r, 1e-14 * max(rows));
        assertArrayEquals(cols, q, 1e-14 * max(cols));
        assertArrayEquals(p, k.plan(h, w, eps).toDense(), 1e-14 * max(p));
    }

    @Test
    void storedKernelGivesTheLogSumsOfTheLogDomainKernelNearItsAbsorbedPotentials() {
        SplittableRandom rng = new SplittableRandom(7);
        CostMatrix c = CostMatrix.squaredEuclidean(RandomInputs.pointCloud(rng, 12, 2),
                RandomInputs.pointCloud(rng, 10, 2));
        double eps = 0.5;
        StoredGibbsKernel stored = StoredGibbsKernel.of(c, true);
        double[] h = RandomInputs.gaussianVector(rng, 12);
        double[] w = RandomInputs.gaussianVector(rng, 10);
        double[] out = new double[12];
        assertFalse(stored.rowLogSums(h, w, out), "nothing absorbed yet");
        assertEquals(Double.POSITIVE_INFINITY, stored.drift(h, w));
        assertEquals("StoredGibbsKernel[12x10, not built]", stored.toString());
        stored.absorb(h, w, eps);
        assertEquals(eps, stored.epsilon());
        assertEquals(0.0, stored.drift(h, w));
        double[] moved = h.clone();
        moved[0] += 0.01;
        assertEquals(0.01 / eps, stored.drift(moved, w), 1e-12);
        double[] rows = new double[12];
        double[] cols = new double[10];
        double[] expectedRows = new double[12];
        double[] expectedCols = new double[10];
        LogDomainGibbsKernel log = LogDomainGibbsKernel.of(c, false);
        log.rowLogSums(moved, w, eps, expectedRows);
        log.colLogSums(moved, w, eps, expectedCols);
        assertTrue(stored.rowLogSums(moved, w, rows));
        assertTrue(stored.colLogSums(moved, w, cols));
        // products with the stored kernel against exponentials per entry: rounding of sums of order one
        assertArrayEquals(expectedRows, rows, 1e-12 * (1 + max(expectedRows)));
        assertArrayEquals(expectedCols, cols, 1e-12 * (1 + max(expectedCols)));
        // a scaling beyond e^{645}: the stored kernel declines, and the caller falls back to the log domain
        double[] far = w.clone();
        far[2] += 700 * eps;
        assertFalse(stored.rowLogSums(h, far, rows));
        assertEquals("StoredGibbsKernel[12x10, epsilon=0.5, double precision]", stored.toString());
        Rejections.assertRejected("f", () -> stored.absorb(new double[3], w, eps));
        Rejections.assertRejected("eps", () -> stored.absorb(h, w, -1));
        Rejections.assertRejected("out", () -> stored.colLogSums(h, w, new double[12]));
    }

    /** The dense kernel applied entry by entry: \( \sum_{c'} e^{-|x_c - x_{c'}|^2/\varepsilon} v_{c'} \). */
    private static double[] dense(GridDensity.Grid grid, double eps, double[] v) {
        int n = grid.size();
        int d = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] out = new double[n];
        for (int c = 0; c < n; c++) {
            for (int e = 0; e < n; e++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double z = centres[c * d + k] - centres[e * d + k];
                    r2 += z * z;
                }
                out[c] += Math.exp(-r2 / eps) * v[e];
            }
        }
        return out;
    }

    /** The dense kernel in the log domain, max-shifted: \( \log\sum_{c'} e^{-|x_c - x_{c'}|^2/\varepsilon + \ell_{c'}} \). */
    private static double[] denseLog(GridDensity.Grid grid, double eps, double[] logv) {
        int n = grid.size();
        int d = grid.dimension();
        double[] centres = grid.cellCentres();
        double[] out = new double[n];
        double[] terms = new double[n];
        for (int c = 0; c < n; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < n; e++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double z = centres[c * d + k] - centres[e * d + k];
                    r2 += z * z;
                }
                terms[e] = logv[e] - r2 / eps;
                max = Math.max(max, terms[e]);
            }
            double s = 0;
            for (int e = 0; e < n; e++) {
                s += Math.exp(terms[e] - max);
            }
            out[c] = max + Math.log(s);
        }
        return out;
    }

    @Test
    void separableKernelEqualsTheDenseKernelInBothDomains() {
        SplittableRandom rng = new SplittableRandom(21);
        GridDensity.Grid[] grids = {GridDensity.Grid.of1d(-1, 2, 37), GridDensity.Grid.of2d(-1, 1, 13, 0, 3, 17)};
        for (GridDensity.Grid grid : grids) {
            int n = grid.size();
            for (double eps : new double[] {1e-4, 1e-3, 0.05, 0.7, 20}) {
                double[] v = new double[n];
                double[] logv = new double[n];
                for (int c = 0; c < n; c++) {
                    v[c] = rng.nextDouble();
                    logv[c] = rng.nextDouble() < 0.2 ? Double.NEGATIVE_INFINITY : 40 * rng.nextGaussian();
                }
                for (boolean parallel : new boolean[] {true, false}) {
                    SeparableGibbsKernel k = SeparableGibbsKernel.of(grid, eps, parallel);
                    double[] out = new double[n];
                    k.apply(v, out, new double[n]);
                    double[] expected = dense(grid, eps, v);
                    for (int c = 0; c < n; c++) {
                        // weights below 1e-20 of the centre weight are cut (at most n of them, inputs < 1),
                        // plus rounding
                        assertEquals(expected[c], out[c], 1e-20 * n + 1e-14 * expected[c], grid + " " + eps);
                    }
                    double[] log = new double[n];
                    k.applyLog(logv, log);
                    double[] expectedLog = denseLog(grid, eps, logv);
                    for (int c = 0; c < n; c++) {
                        // exact in the log domain: rounding of log-sums of size up to |l| + |x|^2/eps
                        assertEquals(expectedLog[c], log[c], 1e-12 * (1 + Math.abs(expectedLog[c])),
                                grid + " " + eps + " cell " + c);
                    }
                }
            }
        }
    }

    /**
     * The linear-domain kernel's summation order, written out: per cell, the centre weight times the centre, then
     * offset by offset the pairs within the line, then the one-sided terms (first below, then above) along the
     * contiguous axis; along the other axis the one-sided terms interleaved by offset.
     */
    private static double[] separableInOrder(GridDensity.Grid grid, double eps, double[] v) {
        int nx = grid.cells(0);
        int ny = grid.cells(1);
        double[] ky = cutWeights(grid.cellSize(1), eps, ny);
        double[] kx = cutWeights(grid.cellSize(0), eps, nx);
        double[] work = new double[nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                int ry = ky.length - 1;
                int below = Math.min(ry, j);
                int above = Math.min(ry, ny - 1 - j);
                int both = Math.min(below, above);
                double s = ky[0] * v[i * ny + j];
                for (int r = 1; r <= both; r++) {
                    s += ky[r] * (v[i * ny + j - r] + v[i * ny + j + r]);
                }
                for (int r = both + 1; r <= below; r++) {
                    s += ky[r] * v[i * ny + j - r];
                }
                for (int r = both + 1; r <= above; r++) {
                    s += ky[r] * v[i * ny + j + r];
                }
                work[i * ny + j] = s;
            }
        }
        double[] out = new double[nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double s = kx[0] * work[i * ny + j];
                for (int r = 1; r < kx.length && (i - r >= 0 || i + r < nx); r++) {
                    if (i - r >= 0 && i + r < nx) {
                        s += kx[r] * (work[(i - r) * ny + j] + work[(i + r) * ny + j]);
                    } else if (i - r >= 0) {
                        s += kx[r] * work[(i - r) * ny + j];
                    } else {
                        s += kx[r] * work[(i + r) * ny + j];
                    }
                }
                out[i * ny + j] = s;
            }
        }
        return out;
    }

    /** The weights e^{-r^2 h^2/eps} down to 1e-20 of the centre (and at most n - 1 cells out). */
    private static double[] cutWeights(double h, double eps, int n) {
        int radius = 0;
        while (radius + 1 < n && -(radius + 1.0) * (radius + 1.0) * h * h / eps >= Math.log(1e-20)) {
            radius++;
        }
        double[] k = new double[radius + 1];
        for (int r = 0; r <= radius; r++) {
            k[r] = Math.exp(-(double) r * r * h * h / eps);
        }
        return k;
    }

    @Test
    void separableKernelSumsInItsDocumentedOrderOnOneCoreOrTwo() {
        // the same floating-point operations in the same order as the cell-by-cell formula: the same bits (the
        // interior of a line is swept offset by offset for speed, which must not change a result), serial or parallel
        SplittableRandom rng = new SplittableRandom(5);
        GridDensity.Grid[] grids = {GridDensity.Grid.of2d(-1, 1, 13, 0, 3, 17),
            GridDensity.Grid.of2d(-4, 4, 160, -4, 4, 190)};
        for (GridDensity.Grid grid : grids) {
            int n = grid.size();
            double[] v = new double[n];
            for (int c = 0; c < n; c++) {
                v[c] = rng.nextDouble();
            }
            double h2 = grid.cellSize(0) * grid.cellSize(0);
            for (double eps : new double[] {2 * h2, 0.05, 3}) {
                double[] expected = separableInOrder(grid, eps, v);
                for (boolean parallel : new boolean[] {true, false}) {
                    double[] out = new double[n];
                    SeparableGibbsKernel.of(grid, eps, parallel).apply(v, out, new double[n]);
                    assertArrayEquals(expected, out, 0.0, grid + " " + eps + " parallel " + parallel);
                }
            }
        }
    }

    @Test
    void separableKernelReportsItsRadiiAndRejectsWrongLengths() {
        GridDensity.Grid grid = GridDensity.Grid.of2d(0, 1, 10, 0, 2, 20); // cell sizes 0.1 and 0.1
        SeparableGibbsKernel k = SeparableGibbsKernel.of(grid, 0.01);
        // e^{-r^2 h^2/eps} >= 1e-20 for r^2 <= 46.05 at h^2/eps = 1: radius 6 along both axes
        assertEquals(6, k.radiusX());
        assertEquals(6, k.radiusY());
        assertEquals(200, k.size());
        assertEquals(0.01, k.epsilon());
        assertTrue(k.parallel());
        assertEquals(grid, k.grid());
        assertEquals("SeparableGibbsKernel[10x20 cells, epsilon=0.01, radius 6 x 6 cells]", k.toString());
        SeparableGibbsKernel line = SeparableGibbsKernel.of(GridDensity.Grid.of1d(0, 1, 4), 100, false);
        assertEquals(3, line.radiusX(), "the radius is capped by the grid");
        assertEquals(0, line.radiusY());
        assertEquals("SeparableGibbsKernel[4 cells, epsilon=100.0, radius 3 cells]", line.toString());
        Rejections.assertRejected("work", () -> k.apply(new double[200], new double[200], new double[199]));
        Rejections.assertRejected("in", () -> k.applyLog(new double[20], new double[200]));
        Rejections.assertRejected("epsilon", () -> SeparableGibbsKernel.of(grid, 0));
        Rejections.assertRejected("grid", () -> SeparableGibbsKernel.of(null, 1));
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
