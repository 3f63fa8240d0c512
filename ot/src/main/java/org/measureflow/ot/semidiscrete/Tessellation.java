package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

import org.measureflow.core.Arguments;

/**
 * The Laguerre (power) cells of weighted points in the plane, clipped to a rectangle, and the integrals of a
 * piecewise-constant density over them: the geometric engine of {@link SemiDiscreteNewton} (package-private).
 *
 * <p>Cell \( i \) is \( \mathrm{Lag}_i(\psi) = \{x \in D : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\} \).
 * In coordinates \( u = x - y_i \) centred at \( y_i \), the constraint of \( j \) is the half-plane
 * \( a\cdot u \le h \), \( a = y_j - y_i \), \( h = (|a|^2 + \psi_i - \psi_j)/2 \). Each cell is built by clipping
 * the domain rectangle by these half-planes ({@link PolygonClipper}), skipping any half-plane that already contains
 * the current polygon (\( h \ge |a| R \), \( R \) the polygon's largest vertex distance from \( y_i \)). The points
 * are visited nearest first, ring by ring in a uniform grid of buckets ({@link PointBuckets}), and the search stops
 * once every unvisited point is farther than \( R + \sqrt{R^2 + \max_j\psi_j - \psi_i} \), beyond which no
 * half-plane can cut: about \( O(1) \) work per cell for evenly spread points inside the domain, \( O(n) \) at worst
 * (\( O(n^2) \) per diagram), which is the case when some points lie far outside the domain: their large weights
 * widen every search (measured: 4000 uniform points in the unit square, 0.4 s for a whole Newton solve; 4000 points
 * of \( \mathcal N(0.5, 0.3^2 I) \), 5.6 s). Every edge remembers the half-plane that made it (the neighbour
 * \( j \), or {@code -1} for the domain's boundary), which gives the common facets for the Hessian.
 *
 * <p>The integrals of the density over each cell and over each facet are exact ({@link GridIntegrals}). Work buffers
 * are allocated once and reused across {@link #build} calls.
 */
final class Tessellation {
    private final int n;
    private final double[] px;
    private final double[] py;
    private final double xlo;
    private final double xhi;
    private final double ylo;
    private final double yhi;
    private final int gy;
    private final double hx;
    private final double hy;
    private final double[] values; // density values (total mass 1), index i * gy + j
    private final double diam;
    private final PointBuckets buckets;
    private final PolygonClipper clipper;
    private final GridIntegrals integrals;
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
        this.gy = gy;
        this.hx = (xhi - xlo) / gx;
        this.hy = (yhi - ylo) / gy;
        this.values = values;
        this.diam = Math.hypot(xhi - xlo, yhi - ylo);
        int cap = n + 8;
        clipper = new PolygonClipper(cap);
        integrals = new GridIntegrals(xlo, xhi, ylo, yhi, gx, gy, values, cap);
        buckets = new PointBuckets(px, py);
        start = new int[n + 1];
        int slots = Arguments.product("target (8 vertex slots per point)", 8, n);
        vx = new double[slots];
        vy = new double[slots];
        label = new int[slots];
        edgeWeight = new double[slots];
        mass = new double[n];
        momentX = new double[n];
        momentY = new double[n];
        second = new double[n];
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
            clipper.rectangle(xlo - yx, ylo - yy, xhi - yx, yhi - yy);
            buckets.cutCell(i, psi, psiMax, clipper, tolS, dupTol);
            total = store(i, total, yx, yy);
        }
        start[n] = total;
        for (int i = 0; i < n; i++) {
            integrate(i);
        }
    }

    /** Appends cell i's polygon (from the clipper) to the output arrays from {@code total}; returns the new total. */
    private int store(int i, int total, double yx, double yy) {
        int count = clipper.count;
        if (total + count > vx.length) {
            int cap = Math.max(2 * vx.length, total + count);
            vx = Arrays.copyOf(vx, cap);
            vy = Arrays.copyOf(vy, cap);
            label = Arrays.copyOf(label, cap);
            edgeWeight = Arrays.copyOf(edgeWeight, cap);
        }
        start[i] = total;
        double[] cx = clipper.x;
        double[] cy = clipper.y;
        int[] cl = clipper.label;
        for (int k = 0; k < count; k++) {
            vx[total + k] = cx[k] + yx;
            vy[total + k] = cy[k] + yy;
            label[total + k] = cl[k];
        }
        return total + count;
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
        integrals.polygon(vx, vy, s, e, yx, yy);
        mass[i] = integrals.mass;
        momentX[i] = integrals.momentX;
        momentY[i] = integrals.momentY;
        second[i] = integrals.second;
        // facets
        for (int k = s; k < e; k++) {
            int j = label[k];
            if (j < 0) {
                edgeWeight[k] = 0;
                continue;
            }
            int k1 = k + 1 == e ? s : k + 1;
            double flux = integrals.segment(vx[k], vy[k], vx[k1], vy[k1]);
            double dx = px[j] - yx;
            double dy = py[j] - yy;
            edgeWeight[k] = flux / (2 * Math.sqrt(dx * dx + dy * dy));
        }
    }
}
