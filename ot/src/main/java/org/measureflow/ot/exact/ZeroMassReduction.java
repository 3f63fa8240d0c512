package org.measureflow.ot.exact;

import org.measureflow.ot.CostMatrix;

/**
 * The transport problem of {@link NetworkSimplex} without its atoms of zero mass (package-private): the sources with
 * \( a_i &gt; 0 \) and the targets with \( b_j &gt; 0 \), their marginals and the costs between them (the caller's
 * matrix itself when every atom has mass, a copy of the sub-matrix otherwise). Zero-mass atoms carry no flow in any
 * feasible plan, so the reduced problem has the same plans; {@link #restorePotentials} gives them back the largest
 * potentials that dual feasibility allows, which leaves the dual objective unchanged.
 */
final class ZeroMassReduction {
    /** The sizes \( n_0, m_0 \) of the original problem. */
    final int originalRows;
    final int originalCols;
    /** The original costs, {@code originalRows x originalCols}. */
    final CostMatrix original;
    /** Reduced index to original index, for sources and targets. */
    final int[] rowMap;
    final int[] colMap;
    /** The reduced marginals (positive). */
    final double[] a;
    final double[] b;
    /** The costs between atoms of positive mass. */
    final CostMatrix cost;

    /** The reduction of the problem {@code (a0, b0, c)}. */
    ZeroMassReduction(double[] a0, double[] b0, CostMatrix c) {
        originalRows = c.rows();
        originalCols = c.cols();
        original = c;
        rowMap = positives(a0);
        colMap = positives(b0);
        int n = rowMap.length;
        int m = colMap.length;
        a = new double[n];
        b = new double[m];
        for (int i = 0; i < n; i++) {
            a[i] = a0[rowMap[i]];
        }
        for (int j = 0; j < m; j++) {
            b[j] = b0[colMap[j]];
        }
        if (n == originalRows && m == originalCols) {
            cost = c;
        } else {
            double[] reduced = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    reduced[i * m + j] = c.get(rowMap[i], colMap[j]);
                }
            }
            cost = CostMatrix.of(n, m, reduced);
        }
    }

    private static int[] positives(double[] w) {
        int k = 0;
        for (double x : w) {
            if (x > 0) {
                k++;
            }
        }
        int[] idx = new int[k];
        k = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    /**
     * The potentials in the original indexing, written into {@code f} (length \( n_0 \)) and {@code g} (length
     * \( m_0 \)): the reduced potentials {@code u}, {@code v} on the atoms of positive mass; a zero-mass source gets
     * \( f_i = \min_j C_{ij} - g_j \) over the kept targets, then a zero-mass target
     * \( g_j = \min_i C_{ij} - f_i \) over all sources.
     */
    void restorePotentials(double[] u, double[] v, double[] f, double[] g) {
        int n = rowMap.length;
        int m = colMap.length;
        boolean[] keptRow = new boolean[originalRows];
        boolean[] keptCol = new boolean[originalCols];
        for (int i = 0; i < n; i++) {
            f[rowMap[i]] = u[i];
            keptRow[rowMap[i]] = true;
        }
        for (int j = 0; j < m; j++) {
            g[colMap[j]] = v[j];
            keptCol[colMap[j]] = true;
        }
        for (int i = 0; i < originalRows; i++) {
            if (!keptRow[i]) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    int jj = colMap[j];
                    best = Math.min(best, original.get(i, jj) - g[jj]);
                }
                f[i] = best;
            }
        }
        for (int j = 0; j < originalCols; j++) {
            if (!keptCol[j]) {
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < originalRows; i++) {
                    best = Math.min(best, original.get(i, j) - f[i]);
                }
                g[j] = best;
            }
        }
    }
}
