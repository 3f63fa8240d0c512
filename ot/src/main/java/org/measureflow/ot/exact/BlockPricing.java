package org.measureflow.ot.exact;

import org.measureflow.ot.CostMatrix;

/**
 * Block-search pricing of {@link NetworkSimplex} (package-private): scans blocks of about \( \sqrt{nm} \) arcs
 * cyclically from where the last search stopped, and picks the arc of most negative reduced cost
 * \( C_{ij} - f_i - g_j \) in the first block that has one below \( -\tau \). The scan is the solver's hot loop: one
 * subtraction and one comparison per arc (\( C_{ij} - g_j \) against \( f_i + \text{best} \)).
 *
 * <p>The minimum-tracking variant also records the smallest reduced cost it sees ({@link #minReducedCost()}): after a
 * full pass that finds no entering arc, the largest dual-constraint violation \( \max(0, -\min_{ij}(C_{ij} - f_i -
 * g_j)) \).
 */
final class BlockPricing {
    private final CostMatrix cost;
    private final int n;
    private final int m;
    private final double tolerance;
    private final long blockSize;
    private int nextRow;
    private int nextCol;
    private int enterRow;
    private int enterCol;
    private double enterReducedCost;
    private double minReducedCost;

    /**
     * Pricing of the {@code n x m} costs with the entering threshold \( \tau \) = {@code tolerance} and blocks of
     * \( \lceil\sqrt{nm}\rceil \) arcs.
     */
    BlockPricing(CostMatrix cost, double tolerance) {
        this.cost = cost;
        this.n = cost.rows();
        this.m = cost.cols();
        this.tolerance = tolerance;
        long arcs = (long) n * m;
        this.blockSize = Math.max(1, Math.min(arcs, (long) Math.ceil(Math.sqrt((double) arcs))));
    }

    /** The entering threshold \( \tau \). */
    double tolerance() {
        return tolerance;
    }

    /** The source of the arc found by the last successful search. */
    int enterRow() {
        return enterRow;
    }

    /** The target of the arc found by the last successful search. */
    int enterCol() {
        return enterCol;
    }

    /** The reduced cost \( C_{ij} - f_i - g_j \) of that arc (below \( -\tau \) up to rounding). */
    double enterReducedCost() {
        return enterReducedCost;
    }

    /** The smallest reduced cost seen by the last search with {@code trackMinimum}. */
    double minReducedCost() {
        return minReducedCost;
    }

    /**
     * Block-search pricing from where the last search stopped, against the potentials {@code u} (sources) and
     * {@code v} (targets). With {@code trackMinimum}, the scan also records the smallest reduced cost it sees in
     * {@link #minReducedCost()} (a full pass when no arc enters).
     *
     * @return whether an arc of reduced cost below \( -\tau \) was found
     */
    boolean findEntering(double[] u, double[] v, boolean trackMinimum) {
        final CostMatrix c = cost;
        final double[] g = v;
        final int cols = m;
        long arcs = (long) n * cols;
        double best = -tolerance;
        int bestRow = -1;
        int bestCol = -1;
        int i = nextRow;
        int j = nextCol;
        long inBlock = 0;
        long scanned = 0;
        double minimum = Double.POSITIVE_INFINITY;
        while (scanned < arcs) {
            long room = Math.min(blockSize - inBlock, arcs - scanned);
            int end = (int) Math.min(cols, j + room);
            double fi = u[i];
            // C_ij - g_j < f_i + best  <=>  reduced cost below best (one subtraction per arc)
            double limit = fi + best;
            int found = -1;
            if (trackMinimum) {
                double min = Double.POSITIVE_INFINITY;
                for (int jj = j; jj < end; jj++) {
                    double t = c.get(i, jj) - g[jj];
                    min = Math.min(min, t);
                    if (t < limit) {
                        limit = t;
                        found = jj;
                    }
                }
                minimum = Math.min(minimum, min - fi);
            } else {
                for (int jj = j; jj < end; jj++) {
                    double t = c.get(i, jj) - g[jj];
                    if (t < limit) {
                        limit = t;
                        found = jj;
                    }
                }
            }
            if (found >= 0) {
                best = limit - fi;
                bestCol = found;
                bestRow = i;
            }
            int done = end - j;
            scanned += done;
            inBlock += done;
            j = end;
            if (j == cols) {
                j = 0;
                i = i + 1 == n ? 0 : i + 1;
            }
            if (inBlock >= blockSize) {
                if (bestRow >= 0) {
                    break;
                }
                inBlock = 0;
            }
        }
        nextRow = i;
        nextCol = j;
        if (trackMinimum) {
            minReducedCost = minimum;
        }
        if (bestRow < 0) {
            return false;
        }
        enterRow = bestRow;
        enterCol = bestCol;
        enterReducedCost = c.get(bestRow, bestCol) - u[bestRow] - g[bestCol];
        return true;
    }
}
