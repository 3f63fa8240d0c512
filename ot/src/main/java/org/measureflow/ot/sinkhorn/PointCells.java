package org.measureflow.ot.sinkhorn;

import java.util.Arrays;

/**
 * A point cloud grouped into the cells of a regular grid on its first \( \min(d, 3) \) coordinates: the points
 * sorted cell by cell (a stable counting sort of the cell keys, so the order depends only on the points), the
 * range of each non-empty cell in that order, and each cell's bounding box in all \( d \) coordinates. Two cells
 * \( A \), \( B \) of two clouds bound the squared distances of their points from below by the squared distance of
 * their boxes, \( \min_{x\in A, y\in B} |x - y|^2 \ge \mathrm{dist}^2(\mathrm{box}_A, \mathrm{box}_B) \), which is
 * what {@link TruncatedGibbsKernel} prunes with; in dimension \( d > 3 \) the grid ignores the last coordinates,
 * the boxes do not, and the bound stays valid.
 *
 * <p>The cell side is chosen from a target side (a fraction of \( \sqrt\varepsilon \)), enlarged until at most
 * {@code maxCells} cells are non-empty. Immutable after construction; package-private.
 */
final class PointCells {
    /** Grid cells per axis are capped so that keys fit in a long. */
    private static final int MAX_PER_AXIS = 1 << 20;

    /** Dimension of the points. */
    final int d;
    /** Number of points. */
    final int size;
    /** Number of non-empty cells. */
    final int count;
    /** {@code order[k]}: the original index of the {@code k}-th point in cell order. */
    final int[] order;
    /** Points in cell order, flat ({@code size * d}). */
    final double[] points;
    /** Cell {@code c} holds the points {@code start[c] .. start[c+1]-1} (in cell order); length {@code count + 1}. */
    final int[] start;
    /** {@code cellOf[k]}: the cell of the {@code k}-th point in cell order. */
    final int[] cellOf;
    /** Lower corners of the cells' bounding boxes, flat ({@code count * d}). */
    final double[] lo;
    /** Upper corners of the cells' bounding boxes, flat ({@code count * d}). */
    final double[] hi;
    /** The grid's cell side. */
    final double side;

    /**
     * Groups a cloud.
     *
     * @param flat       the points, flat, {@code size * d} finite coordinates (read, not kept)
     * @param d          the dimension, {@code >= 1}
     * @param targetSide the wished cell side, {@code > 0}
     * @param maxCells   the largest number of non-empty cells, {@code >= 1}
     */
    PointCells(double[] flat, int d, double targetSide, int maxCells) {
        this.d = d;
        this.size = flat.length / d;
        int k = Math.min(d, 3);
        double[] min = new double[k];
        double[] max = new double[k];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < size; i++) {
            for (int a = 0; a < k; a++) {
                double v = flat[i * d + a];
                min[a] = Math.min(min[a], v);
                max[a] = Math.max(max[a], v);
            }
        }
        double extent = 0;
        for (int a = 0; a < k; a++) {
            extent = Math.max(extent, max[a] - min[a]);
        }
        double s = Math.max(targetSide, extent / MAX_PER_AXIS);
        if (!(s > 0)) {
            s = 1; // every point in one cell
        }
        long[] keys = new long[size];
        int cells;
        while (true) {
            cells = keys(flat, d, k, min, max, s, keys);
            if (cells <= maxCells) {
                break;
            }
            // too many non-empty cells: enlarge the side so that about maxCells remain
            s *= Math.max(1.1, Math.pow((double) cells / maxCells, 1.0 / k));
        }
        this.side = s;
        // stable sort of the points by key: sort (key, index) pairs through a primitive sort of the keys' ranks
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        long[] distinct = new long[cells];
        int c = 0;
        for (int i = 0; i < size; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct[c++] = sorted[i];
            }
        }
        this.count = c;
        int[] counts = new int[c + 1];
        int[] cellOfOriginal = new int[size];
        for (int i = 0; i < size; i++) {
            int cell = Arrays.binarySearch(distinct, 0, c, keys[i]);
            cellOfOriginal[i] = cell;
            counts[cell + 1]++;
        }
        this.start = new int[c + 1];
        for (int a = 0; a < c; a++) {
            start[a + 1] = start[a] + counts[a + 1];
        }
        int[] next = Arrays.copyOf(start, c);
        this.order = new int[size];
        this.cellOf = new int[size];
        for (int i = 0; i < size; i++) {
            int cell = cellOfOriginal[i];
            int pos = next[cell]++;
            order[pos] = i;
            cellOf[pos] = cell;
        }
        this.points = new double[size * d];
        for (int pos = 0; pos < size; pos++) {
            System.arraycopy(flat, order[pos] * d, points, pos * d, d);
        }
        this.lo = new double[c * d];
        this.hi = new double[c * d];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int pos = 0; pos < size; pos++) {
            int base = cellOf[pos] * d;
            for (int a = 0; a < d; a++) {
                double v = points[pos * d + a];
                lo[base + a] = Math.min(lo[base + a], v);
                hi[base + a] = Math.max(hi[base + a], v);
            }
        }
    }

    /**
     * A first cell side for about {@code cells} cells: the largest extent of the first \( \min(d,3) \) coordinates
     * divided by \( \mathrm{cells}^{1/\min(d,3)} \) (the constructor enlarges it when too many cells are non-empty).
     */
    static double sideFor(double[] flat, int d, int cells) {
        int k = Math.min(d, 3);
        double extent = 0;
        for (int a = 0; a < k; a++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = a; i < flat.length; i += d) {
                lo = Math.min(lo, flat[i]);
                hi = Math.max(hi, flat[i]);
            }
            extent = Math.max(extent, hi - lo);
        }
        return extent / Math.pow(Math.max(1, cells), 1.0 / k);
    }

    /**
     * A cell side for which about {@code wanted} cells are non-empty (within a factor 1.5 after a few corrections
     * \( s \leftarrow s\,(\mathrm{count}/\mathrm{wanted})^{1/k} \); clouds concentrated on a fraction of their
     * bounding box need a smaller side than {@link #sideFor} gives).
     */
    static double sideForNonEmpty(double[] flat, int d, int wanted) {
        int k = Math.min(d, 3);
        double[] min = new double[k];
        double[] max = new double[k];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        int size = flat.length / d;
        for (int i = 0; i < size; i++) {
            for (int a = 0; a < k; a++) {
                min[a] = Math.min(min[a], flat[i * d + a]);
                max[a] = Math.max(max[a], flat[i * d + a]);
            }
        }
        double s = sideFor(flat, d, wanted);
        if (!(s > 0)) {
            return s;
        }
        long[] keys = new long[size];
        for (int round = 0; round < 6; round++) {
            int count = keys(flat, d, k, min, max, s, keys);
            double ratio = (double) count / wanted;
            if (ratio > 2.0 / 3 && ratio < 1.5) {
                break;
            }
            s *= Math.pow(ratio, 1.0 / k);
        }
        return s;
    }

    /** Fills the grid keys of all points for cell side {@code s}; returns the number of distinct keys. */
    private static int keys(double[] flat, int d, int k, double[] min, double[] max, double s, long[] keys) {
        long[] perAxis = new long[k];
        for (int a = 0; a < k; a++) {
            perAxis[a] = Math.min(MAX_PER_AXIS, (long) Math.floor((max[a] - min[a]) / s) + 1);
        }
        int n = keys.length;
        for (int i = 0; i < n; i++) {
            long key = 0;
            for (int a = 0; a < k; a++) {
                long cell = (long) Math.floor((flat[i * d + a] - min[a]) / s);
                key = key * perAxis[a] + Math.min(perAxis[a] - 1, Math.max(0, cell));
            }
            keys[i] = key;
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }
}
