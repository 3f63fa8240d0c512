package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

/**
 * The neighbour search of {@link Tessellation} (package-private): the points in a uniform grid of buckets over their
 * bounding box (about one point per bucket), visited ring by ring around a cell's point, nearest first, each one
 * cutting the cell's polygon by its half-plane. The search stops once every unvisited point is farther than
 * \( R + \sqrt{R^2 + \max_j\psi_j - \psi_i} \) (\( R \) the polygon's largest vertex distance), beyond which no
 * half-plane can cut: a point at distance \( d \) cuts only if \( (d^2 + \psi_i - \psi_j) / (2d) &lt; R \).
 */
final class PointBuckets {
    private final double[] px;
    private final double[] py;
    private final int bgx;
    private final int bgy;
    private final double bx0;
    private final double by0;
    private final double bwx;
    private final double bwy;
    // bucket (a, b) holds bucketItem[bucketStart[a * bgy + b] .. bucketStart[a * bgy + b + 1])
    private final int[] bucketStart;
    private final int[] bucketItem;

    /** Buckets of the points {@code (px[i], py[i])} (the arrays are kept, not copied). */
    PointBuckets(double[] px, double[] py) {
        this.px = px;
        this.py = py;
        int n = px.length;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, px[i]);
            maxX = Math.max(maxX, px[i]);
            minY = Math.min(minY, py[i]);
            maxY = Math.max(maxY, py[i]);
        }
        int side = Math.max(1, (int) Math.sqrt(n));
        bgx = side;
        bgy = side;
        bx0 = minX;
        by0 = minY;
        bwx = maxX > minX ? (maxX - minX) / side : 1.0;
        bwy = maxY > minY ? (maxY - minY) / side : 1.0;
        bucketStart = new int[bgx * bgy + 1];
        bucketItem = new int[n];
        int[] of = new int[n];
        for (int i = 0; i < n; i++) {
            of[i] = bucketX(px[i]) * bgy + bucketY(py[i]);
            bucketStart[of[i] + 1]++;
        }
        for (int b = 0; b < bgx * bgy; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        int[] fill = Arrays.copyOf(bucketStart, bgx * bgy);
        for (int i = 0; i < n; i++) {
            bucketItem[fill[of[i]]++] = i;
        }
    }

    private int bucketX(double x) {
        return Math.min(bgx - 1, Math.max(0, (int) ((x - bx0) / bwx)));
    }

    private int bucketY(double y) {
        return Math.min(bgy - 1, Math.max(0, (int) ((y - by0) / bwy)));
    }

    /**
     * Cuts the polygon of cell {@code i} (already the domain, in {@code clipper}) by the half-planes of its
     * neighbours, ring by ring of buckets around \( y_i \), until the polygon is empty or no unvisited point can cut.
     *
     * @param psi    the weights
     * @param psiMax \( \max_j \psi_j \)
     * @param tolS   the inside tolerance of a cut, as a length (scaled by \( |a| \) per half-plane)
     * @param dupTol vertices closer than this are merged
     */
    void cutCell(int i, double[] psi, double psiMax, PolygonClipper clipper, double tolS, double dupTol) {
        double yx = px[i];
        double yy = py[i];
        double excess = Math.max(0, psiMax - psi[i]);
        int bi = bucketX(yx);
        int bj = bucketY(yy);
        for (int r = 0; clipper.count > 0; r++) {
            int iLo = bi - r;
            int iHi = bi + r;
            int jLo = bj - r;
            int jHi = bj + r;
            for (int a = Math.max(iLo, 0); a <= Math.min(iHi, bgx - 1); a++) {
                boolean edgeColumn = a == iLo || a == iHi;
                if (edgeColumn) {
                    for (int b = Math.max(jLo, 0); b <= Math.min(jHi, bgy - 1) && clipper.count > 0; b++) {
                        cutByBucket(a * bgy + b, i, psi, clipper, tolS, dupTol);
                    }
                } else {
                    if (jLo >= 0 && clipper.count > 0) {
                        cutByBucket(a * bgy + jLo, i, psi, clipper, tolS, dupTol);
                    }
                    if (jHi < bgy && jHi != jLo && clipper.count > 0) {
                        cutByBucket(a * bgy + jHi, i, psi, clipper, tolS, dupTol);
                    }
                }
            }
            if (iLo <= 0 && jLo <= 0 && iHi >= bgx - 1 && jHi >= bgy - 1) {
                break; // every bucket visited
            }
            double lb = ringDistance(yx, yy, iLo, iHi, jLo, jHi);
            double big = Math.sqrt(clipper.radius2);
            if (lb >= big + Math.sqrt(big * big + excess) + tolS) {
                break;
            }
        }
    }

    /** A lower bound of the distance from \( (x, y) \) to every point outside the ring's buckets. */
    private double ringDistance(double yx, double yy, int iLo, int iHi, int jLo, int jHi) {
        double lb = Double.POSITIVE_INFINITY;
        if (iLo > 0) {
            lb = Math.min(lb, yx - (bx0 + iLo * bwx));
        }
        if (iHi < bgx - 1) {
            lb = Math.min(lb, bx0 + (iHi + 1) * bwx - yx);
        }
        if (jLo > 0) {
            lb = Math.min(lb, yy - (by0 + jLo * bwy));
        }
        if (jHi < bgy - 1) {
            lb = Math.min(lb, by0 + (jHi + 1) * bwy - yy);
        }
        return lb;
    }

    /** Cuts cell i's polygon by the half-planes of the points in one bucket. */
    private void cutByBucket(int bucket, int i, double[] psi, PolygonClipper clipper, double tolS, double dupTol) {
        double yx = px[i];
        double yy = py[i];
        double pi = psi[i];
        for (int q = bucketStart[bucket]; q < bucketStart[bucket + 1] && clipper.count > 0; q++) {
            int j = bucketItem[q];
            if (j == i) {
                continue;
            }
            double ax = px[j] - yx;
            double ay = py[j] - yy;
            double a2 = ax * ax + ay * ay;
            double h = 0.5 * (a2 + pi - psi[j]);
            clipper.cut(ax, ay, a2, h, j, tolS, dupTol);
        }
    }
}
