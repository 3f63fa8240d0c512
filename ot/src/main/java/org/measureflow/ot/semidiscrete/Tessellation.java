package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

/**
 * The Laguerre (power) cells of weighted points in the plane, clipped to a rectangle, and the integrals of a
 * piecewise-constant density over them: the geometric engine of {@link SemiDiscreteNewton} (package-private).
 *
 * <p>Cell \( i \) is \( \mathrm{Lag}_i(\psi) = \{x \in D : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\} \).
 * In coordinates \( u = x - y_i \) centred at \( y_i \), the constraint of \( j \) is the half-plane
 * \( a\cdot u \le h \), \( a = y_j - y_i \), \( h = (|a|^2 + \psi_i - \psi_j)/2 \). Each cell is built by clipping
 * the domain rectangle by these half-planes (Sutherland&ndash;Hodgman on a convex polygon), skipping any half-plane
 * that already contains the current polygon (\( h \ge |a| R \), \( R \) the polygon's largest vertex distance from
 * \( y_i \)). The points are visited nearest first, ring by ring in a uniform grid of buckets (about one point each),
 * and the search stops once every unvisited point is farther than \( R + \sqrt{R^2 + \max_j\psi_j - \psi_i} \),
 * beyond which no half-plane can cut: about \( O(1) \) work per cell for evenly spread points inside the domain,
 * \( O(n) \) at worst (\( O(n^2) \) per diagram), which is the case when some points lie far outside the domain:
 * their large weights widen every search (measured: 4000 uniform points in the unit square, 0.4 s for a whole
 * Newton solve; 4000 points of \( \mathcal N(0.5, 0.3^2 I) \), 5.6 s). Every edge remembers the half-plane that made it
 * (the neighbour \( j \), or {@code -1} for the domain's boundary), which gives the common facets for the Hessian.
 *
 * <p>Integrals over a cell of the density \( \rho \) (constant \( v_c \) on each grid cell \( c \)): the polygon is
 * clipped by every grid cell its bounding box meets, and on each piece \( \int 1, \int u, \int |u|^2 \) are exact
 * (fan triangulation; the edge-midpoint rule is exact for quadratics on a triangle). Facet integrals
 * \( \int_{F_{ij}} \rho\, ds \) split the segment at the grid lines. Work buffers are allocated once and reused
 * across {@link #build} calls.
 */
final class Tessellation {
    private final int n;
    private final double[] px;
    private final double[] py;
    private final double xlo;
    private final double xhi;
    private final double ylo;
    private final double yhi;
    private final int gx;
    private final int gy;
    private final double hx;
    private final double hy;
    private final double[] values; // density values (total mass 1), index i * gy + j
    private final double diam;
    // buckets of points (a uniform grid over their bounding box, about one point per bucket), for nearest-first
    // clipping: bucket (a, b) holds bucketItem[bucketStart[a * bgy + b] .. bucketStart[a * bgy + b + 1])
    private final int bgx;
    private final int bgy;
    private final double bx0;
    private final double by0;
    private final double bwx;
    private final double bwy;
    private final int[] bucketStart;
    private final int[] bucketItem;

    // clipping buffers
    private double[] cx;
    private double[] cy;
    private int[] cl;
    private double[] tx;
    private double[] ty;
    private int[] tl;
    // output: cell i has vertices [start[i], start[i+1]) in absolute coordinates, edge k from vertex k to k+1
    final int[] start;
    double[] vx;
    double[] vy;
    int[] label;
    // integrals per cell
    final double[] mass;
    final double[] momentX; // int (x - y_i) rho
    final double[] momentY;
    final double[] second;  // int |x - y_i|^2 rho
    /** Hessian weight per edge: int_F rho ds / (2 |y_i - y_j|), 0 on boundary edges. */
    double[] edgeWeight;
    // piece buffers for grid clipping
    private double[] qx;
    private double[] qy;
    private double[] rx;
    private double[] ry;
    private final double[] cuts = new double[64];
    private double radius2; // squared largest vertex distance of the polygon being clipped
    private double[] cutBuf;

    Tessellation(double[] points, double xlo, double xhi, double ylo, double yhi, int gx, int gy, double[] values) {
        this.n = points.length / 2;
        this.px = new double[n];
        this.py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = points[2 * i];
            py[i] = points[2 * i + 1];
        }
        this.xlo = xlo;
        this.xhi = xhi;
        this.ylo = ylo;
        this.yhi = yhi;
        this.gx = gx;
        this.gy = gy;
        this.hx = (xhi - xlo) / gx;
        this.hy = (yhi - ylo) / gy;
        this.values = values;
        this.diam = Math.hypot(xhi - xlo, yhi - ylo);
        int cap = n + 8;
        cx = new double[cap];
        cy = new double[cap];
        cl = new int[cap];
        tx = new double[cap];
        ty = new double[cap];
        tl = new int[cap];
        qx = new double[cap];
        qy = new double[cap];
        rx = new double[cap];
        ry = new double[cap];
        start = new int[n + 1];
        vx = new double[8 * n];
        vy = new double[8 * n];
        label = new int[8 * n];
        edgeWeight = new double[8 * n];
        mass = new double[n];
        momentX = new double[n];
        momentY = new double[n];
        second = new double[n];
        cutBuf = cuts;
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

    int size() {
        return n;
    }

    double pointX(int i) {
        return px[i];
    }

    double pointY(int i) {
        return py[i];
    }

    /**
     * Weights whose Laguerre diagram is the Voronoi diagram of the points \( z_i = c + s (y_i - c) \):
     * \( \psi_i = |y_i|^2 - |z_i|^2 / s \) (then \( -2x\cdot y_i + |y_i|^2 - \psi_i = (-2x\cdot z_i + |z_i|^2)/s \)
     * up to terms free of \( i \)). With {@code level 0} the centre is the domain's and the points are shrunk into
     * the middle 80 % of it; with {@code level 1} they are shrunk into the middle 90 % of the grid cell of largest
     * density. Each Voronoi cell contains a neighbourhood of its \( z_i \), so every cell gets positive area, and at
     * level 1 positive mass.
     */
    double[] shrunkStart(int level) {
        double ccx;
        double ccy;
        double halfX;
        double halfY;
        if (level == 0) {
            ccx = 0.5 * (xlo + xhi);
            ccy = 0.5 * (ylo + yhi);
            halfX = 0.4 * (xhi - xlo);
            halfY = 0.4 * (yhi - ylo);
        } else {
            int best = 0;
            for (int c = 1; c < values.length; c++) {
                if (values[c] > values[best]) {
                    best = c;
                }
            }
            ccx = xlo + (best / gy + 0.5) * hx;
            ccy = ylo + (best % gy + 0.5) * hy;
            halfX = 0.45 * hx;
            halfY = 0.45 * hy;
        }
        double s = 1;
        for (int i = 0; i < n; i++) {
            double dx = Math.abs(px[i] - ccx);
            double dy = Math.abs(py[i] - ccy);
            if (dx > 0) {
                s = Math.min(s, halfX / dx);
            }
            if (dy > 0) {
                s = Math.min(s, halfY / dy);
            }
        }
        double[] psi = new double[n];
        for (int i = 0; i < n; i++) {
            double zx = ccx + s * (px[i] - ccx);
            double zy = ccy + s * (py[i] - ccy);
            psi[i] = px[i] * px[i] + py[i] * py[i] - (zx * zx + zy * zy) / s;
        }
        return psi;
    }

    /** The pair {i, j}, i &lt; j, of two coincident points, or null if the points are distinct (sorting). */
    int[] firstDuplicate() {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> px[a] != px[b] ? Double.compare(px[a], px[b]) : Double.compare(py[a], py[b]));
        for (int k = 1; k < n; k++) {
            int a = idx[k - 1];
            int b = idx[k];
            if (px[a] == px[b] && py[a] == py[b]) {
                return new int[] {Math.min(a, b), Math.max(a, b)};
            }
        }
        return null;
    }

    /** Builds every cell for the weights {@code psi} and integrates the density over them. */
    void build(double[] psi) {
        int total = 0;
        double psiMax = Double.NEGATIVE_INFINITY;
        for (double p : psi) {
            psiMax = Math.max(psiMax, p);
        }
        double tolS = 1e-14 * diam;
        double dupTol = 1e-13 * diam;
        for (int i = 0; i < n; i++) {
            double yx = px[i];
            double yy = py[i];
            // the domain rectangle, local coordinates, counter-clockwise; boundary edges labelled -1
            int count = 4;
            cx[0] = xlo - yx;
            cy[0] = ylo - yy;
            cx[1] = xhi - yx;
            cy[1] = ylo - yy;
            cx[2] = xhi - yx;
            cy[2] = yhi - yy;
            cx[3] = xlo - yx;
            cy[3] = yhi - yy;
            cl[0] = -1;
            cl[1] = -1;
            cl[2] = -1;
            cl[3] = -1;
            radius2 = maxRadius2(count);
            double pi = psi[i];
            double excess = Math.max(0, psiMax - pi);
            int bi = bucketX(yx);
            int bj = bucketY(yy);
            // rings of buckets around y_i, nearest first; a point at distance d >= lb cuts the polygon (radius R
            // around y_i) only if (d^2 + psi_i - psi_j) / (2d) < R, impossible once lb >= R + sqrt(R^2 + excess)
            for (int r = 0; count > 0; r++) {
                int iLo = bi - r;
                int iHi = bi + r;
                int jLo = bj - r;
                int jHi = bj + r;
                for (int a = Math.max(iLo, 0); a <= Math.min(iHi, bgx - 1); a++) {
                    boolean edgeColumn = a == iLo || a == iHi;
                    if (edgeColumn) {
                        for (int b = Math.max(jLo, 0); b <= Math.min(jHi, bgy - 1) && count > 0; b++) {
                            count = clipBucket(a * bgy + b, i, yx, yy, pi, psi, count, tolS, dupTol);
                        }
                    } else {
                        if (jLo >= 0 && count > 0) {
                            count = clipBucket(a * bgy + jLo, i, yx, yy, pi, psi, count, tolS, dupTol);
                        }
                        if (jHi < bgy && jHi != jLo && count > 0) {
                            count = clipBucket(a * bgy + jHi, i, yx, yy, pi, psi, count, tolS, dupTol);
                        }
                    }
                }
                if (iLo <= 0 && jLo <= 0 && iHi >= bgx - 1 && jHi >= bgy - 1) {
                    break; // every bucket visited
                }
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
                double big = Math.sqrt(radius2);
                if (lb >= big + Math.sqrt(big * big + excess) + tolS) {
                    break;
                }
            }
            // store
            if (total + count > vx.length) {
                int cap = Math.max(2 * vx.length, total + count);
                vx = Arrays.copyOf(vx, cap);
                vy = Arrays.copyOf(vy, cap);
                label = Arrays.copyOf(label, cap);
                edgeWeight = Arrays.copyOf(edgeWeight, cap);
            }
            start[i] = total;
            for (int k = 0; k < count; k++) {
                vx[total + k] = cx[k] + yx;
                vy[total + k] = cy[k] + yy;
                label[total + k] = cl[k];
            }
            total += count;
        }
        start[n] = total;
        for (int i = 0; i < n; i++) {
            integrate(i);
        }
    }

    /** Clips cell i's polygon by the half-planes of the points in one bucket; returns the new vertex count. */
    private int clipBucket(int bucket, int i, double yx, double yy, double pi, double[] psi, int count, double tolS,
                           double dupTol) {
        for (int q = bucketStart[bucket]; q < bucketStart[bucket + 1] && count > 0; q++) {
            int j = bucketItem[q];
            if (j == i) {
                continue;
            }
            double ax = px[j] - yx;
            double ay = py[j] - yy;
            double a2 = ax * ax + ay * ay;
            double h = 0.5 * (a2 + pi - psi[j]);
            if (h > 0 && h * h >= a2 * radius2) {
                continue; // the half-plane holds the whole polygon
            }
            count = clip(count, ax, ay, h, j, tolS * Math.sqrt(a2), dupTol);
            radius2 = maxRadius2(count);
        }
        return count;
    }

    private double maxRadius2(int count) {
        double r2 = 0;
        for (int k = 0; k < count; k++) {
            r2 = Math.max(r2, cx[k] * cx[k] + cy[k] * cy[k]);
        }
        return r2;
    }

    /** Clips the polygon (cx, cy, cl) by a.u <= h; returns the new vertex count (0 if empty). */
    private int clip(int count, double ax, double ay, double h, int j, double tol, double dupTol) {
        int out = 0;
        boolean anyOut = false;
        boolean anyIn = false;
        for (int k = 0; k < count; k++) {
            double s = ax * cx[k] + ay * cy[k] - h;
            if (s > tol) {
                anyOut = true;
            } else {
                anyIn = true;
            }
        }
        if (!anyOut) {
            return count;
        }
        if (!anyIn) {
            return 0;
        }
        for (int k = 0; k < count; k++) {
            int k1 = k + 1 == count ? 0 : k + 1;
            double sp = ax * cx[k] + ay * cy[k] - h;
            double sq = ax * cx[k1] + ay * cy[k1] - h;
            boolean pin = sp <= tol;
            boolean qin = sq <= tol;
            if (pin) {
                out = push(out, cx[k], cy[k], cl[k], dupTol);
                if (!qin) {
                    double t = sp / (sp - sq);
                    t = Math.max(0, Math.min(1, t));
                    out = push(out, cx[k] + t * (cx[k1] - cx[k]), cy[k] + t * (cy[k1] - cy[k]), j, dupTol);
                }
            } else if (qin) {
                double t = sp / (sp - sq);
                t = Math.max(0, Math.min(1, t));
                out = push(out, cx[k] + t * (cx[k1] - cx[k]), cy[k] + t * (cy[k1] - cy[k]), cl[k], dupTol);
            }
        }
        // a zero-length closing edge: drop the last vertex (its edge to the first has no length)
        while (out > 1 && Math.abs(tx[out - 1] - tx[0]) <= dupTol && Math.abs(ty[out - 1] - ty[0]) <= dupTol) {
            out--;
        }
        if (out < 3) {
            out = 0;
        }
        double[] sx = cx;
        double[] sy = cy;
        int[] sl = cl;
        cx = tx;
        cy = ty;
        cl = tl;
        tx = sx;
        ty = sy;
        tl = sl;
        return out;
    }

    /** Appends a vertex; a vertex equal to the previous one replaces the previous edge's label (zero-length edge). */
    private int push(int out, double x, double y, int lab, double dupTol) {
        if (out > 0 && Math.abs(tx[out - 1] - x) <= dupTol && Math.abs(ty[out - 1] - y) <= dupTol) {
            tl[out - 1] = lab;
            return out;
        }
        tx[out] = x;
        ty[out] = y;
        tl[out] = lab;
        return out + 1;
    }

    /** Mass, moments and facet weights of cell i. */
    private void integrate(int i) {
        int s = start[i];
        int e = start[i + 1];
        double yx = px[i];
        double yy = py[i];
        mass[i] = 0;
        momentX[i] = 0;
        momentY[i] = 0;
        second[i] = 0;
        if (e - s < 3) {
            return;
        }
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int k = s; k < e; k++) {
            minX = Math.min(minX, vx[k]);
            maxX = Math.max(maxX, vx[k]);
            minY = Math.min(minY, vy[k]);
            maxY = Math.max(maxY, vy[k]);
        }
        int i0 = cellX(minX);
        int i1 = cellX(maxX);
        int j0 = cellY(minY);
        int j1 = cellY(maxY);
        int count = e - s;
        if (i0 == i1 && j0 == j1) {
            for (int k = 0; k < count; k++) {
                qx[k] = vx[s + k] - yx;
                qy[k] = vy[s + k] - yy;
            }
            accumulate(i, qx, qy, count, values[i0 * gy + j0]);
        } else {
            for (int a = i0; a <= i1; a++) {
                for (int b = j0; b <= j1; b++) {
                    double v = values[a * gy + b];
                    if (v == 0) {
                        continue;
                    }
                    for (int k = 0; k < count; k++) {
                        qx[k] = vx[s + k] - yx;
                        qy[k] = vy[s + k] - yy;
                    }
                    int m = count;
                    // clip to the grid cell [x0, x1] x [y0, y1] (local coordinates)
                    double x0 = xlo + a * hx - yx;
                    double x1 = (a == gx - 1 ? xhi : xlo + (a + 1) * hx) - yx;
                    double y0 = ylo + b * hy - yy;
                    double y1 = (b == gy - 1 ? yhi : ylo + (b + 1) * hy) - yy;
                    m = clipAxis(m, 0, -1, -x0);
                    m = clipAxis(m, 0, 1, x1);
                    m = clipAxis(m, 1, -1, -y0);
                    m = clipAxis(m, 1, 1, y1);
                    if (m >= 3) {
                        accumulate(i, qx, qy, m, v);
                    }
                }
            }
        }
        // facets
        for (int k = s; k < e; k++) {
            int j = label[k];
            if (j < 0) {
                edgeWeight[k] = 0;
                continue;
            }
            int k1 = k + 1 == e ? s : k + 1;
            double flux = lineIntegral(vx[k], vy[k], vx[k1], vy[k1]);
            double dx = px[j] - yx;
            double dy = py[j] - yy;
            edgeWeight[k] = flux / (2 * Math.sqrt(dx * dx + dy * dy));
        }
    }

    /** Clips (qx, qy) by sign * coordinate(axis) <= bound; result back in (qx, qy). */
    private int clipAxis(int count, int axis, double sign, double bound) {
        if (count == 0) {
            return 0;
        }
        int out = 0;
        for (int k = 0; k < count; k++) {
            int k1 = k + 1 == count ? 0 : k + 1;
            double sp = sign * (axis == 0 ? qx[k] : qy[k]) - bound;
            double sq = sign * (axis == 0 ? qx[k1] : qy[k1]) - bound;
            if (sp <= 0) {
                rx[out] = qx[k];
                ry[out++] = qy[k];
                if (sq > 0) {
                    double t = sp / (sp - sq);
                    rx[out] = qx[k] + t * (qx[k1] - qx[k]);
                    ry[out++] = qy[k] + t * (qy[k1] - qy[k]);
                }
            } else if (sq <= 0) {
                double t = sp / (sp - sq);
                rx[out] = qx[k] + t * (qx[k1] - qx[k]);
                ry[out++] = qy[k] + t * (qy[k1] - qy[k]);
            }
        }
        double[] sx = qx;
        double[] sy = qy;
        qx = rx;
        qy = ry;
        rx = sx;
        ry = sy;
        return out;
    }

    /** Adds v * (int 1, int u, int |u|^2) over the polygon (x, y) (local coordinates) to cell i. */
    private void accumulate(int i, double[] x, double[] y, int count, double v) {
        double area = 0;
        double mx = 0;
        double my = 0;
        double sec = 0;
        double x0 = x[0];
        double y0 = y[0];
        for (int k = 1; k + 1 < count; k++) {
            double x1 = x[k];
            double y1 = y[k];
            double x2 = x[k + 1];
            double y2 = y[k + 1];
            double t = 0.5 * ((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0));
            area += t;
            mx += t * (x0 + x1 + x2) / 3;
            my += t * (y0 + y1 + y2) / 3;
            double ax = 0.5 * (x0 + x1);
            double ay = 0.5 * (y0 + y1);
            double bx = 0.5 * (x1 + x2);
            double by = 0.5 * (y1 + y2);
            double cxm = 0.5 * (x2 + x0);
            double cym = 0.5 * (y2 + y0);
            sec += t * (ax * ax + ay * ay + bx * bx + by * by + cxm * cxm + cym * cym) / 3;
        }
        mass[i] += v * area;
        momentX[i] += v * mx;
        momentY[i] += v * my;
        second[i] += v * sec;
    }

    /** \( \int_{[P,Q]} \rho\, ds \) with the segment split at the grid lines. */
    private double lineIntegral(double x0, double y0, double x1, double y1) {
        double len = Math.hypot(x1 - x0, y1 - y0);
        if (len == 0) {
            return 0;
        }
        if (gx == 1 && gy == 1) {
            return len * values[0];
        }
        int m = 0;
        double[] c = cutBuf;
        int a0 = Math.min(cellX(x0), cellX(x1));
        int a1 = Math.max(cellX(x0), cellX(x1));
        int b0 = Math.min(cellY(y0), cellY(y1));
        int b1 = Math.max(cellY(y0), cellY(y1));
        int need = (a1 - a0) + (b1 - b0) + 2;
        if (need > c.length) {
            cutBuf = c = new double[2 * need];
        }
        c[m++] = 0;
        for (int a = a0 + 1; a <= a1; a++) {
            double gxl = xlo + a * hx;
            c[m++] = (gxl - x0) / (x1 - x0);
        }
        for (int b = b0 + 1; b <= b1; b++) {
            double gyl = ylo + b * hy;
            c[m++] = (gyl - y0) / (y1 - y0);
        }
        Arrays.sort(c, 1, m);
        double sum = 0;
        double prev = 0;
        for (int k = 1; k <= m; k++) {
            double t = k == m ? 1 : Math.max(0, Math.min(1, c[k]));
            if (t > prev) {
                double tm = 0.5 * (prev + t);
                int ci = cellX(x0 + tm * (x1 - x0));
                int cj = cellY(y0 + tm * (y1 - y0));
                sum += (t - prev) * values[ci * gy + cj];
                prev = t;
            }
        }
        return sum * len;
    }

    private int cellX(double x) {
        int i = (int) Math.floor((x - xlo) / hx);
        return Math.min(Math.max(i, 0), gx - 1);
    }

    private int cellY(double y) {
        int j = (int) Math.floor((y - ylo) / hy);
        return Math.min(Math.max(j, 0), gy - 1);
    }
}
