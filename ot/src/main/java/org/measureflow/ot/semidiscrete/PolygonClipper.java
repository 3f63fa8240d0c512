package org.measureflow.ot.semidiscrete;

/**
 * The convex polygon of one Laguerre cell while it is being cut (package-private part of {@link Tessellation}): in
 * coordinates \( u = x - y_i \) centred at the cell's point, counter-clockwise, each edge labelled with the half-plane
 * that made it (the neighbour \( j \), or {@code -1} for the domain's boundary). It starts as the domain rectangle
 * and is clipped by half-planes \( a \cdot u \le h \) (Sutherland&ndash;Hodgman on a convex polygon); it keeps
 * \( R^2 \), the squared largest distance of a vertex from the origin, to skip half-planes that hold the whole
 * polygon. Buffers are allocated once and swapped between clips.
 */
final class PolygonClipper {
    /** The vertices and edge labels of the current polygon, {@code [0, count)}. */
    double[] x;
    double[] y;
    int[] label;
    /** The number of vertices (0 once the polygon is empty). */
    int count;
    /** \( R^2 \): the squared largest vertex distance from the origin. */
    double radius2;
    private double[] tx;
    private double[] ty;
    private int[] tl;

    /** Buffers for polygons of up to {@code capacity} vertices (each clip adds at most one). */
    PolygonClipper(int capacity) {
        x = new double[capacity];
        y = new double[capacity];
        label = new int[capacity];
        tx = new double[capacity];
        ty = new double[capacity];
        tl = new int[capacity];
    }

    /** Starts from the rectangle \( [x_0, x_1] \times [y_0, y_1] \) (local coordinates), boundary edges labelled -1. */
    void rectangle(double x0, double y0, double x1, double y1) {
        count = 4;
        x[0] = x0;
        y[0] = y0;
        x[1] = x1;
        y[1] = y0;
        x[2] = x1;
        y[2] = y1;
        x[3] = x0;
        y[3] = y1;
        label[0] = -1;
        label[1] = -1;
        label[2] = -1;
        label[3] = -1;
        radius2 = maxRadius2();
    }

    /**
     * Clips by the half-plane \( a\cdot u \le h \) of neighbour {@code j}, unless it holds the whole polygon
     * (\( h &gt; 0 \) and \( h^2 \ge |a|^2 R^2 \)).
     *
     * @param a2       \( |a|^2 \)
     * @param tolScale a vertex counts as inside while \( a\cdot u - h \le \) {@code tolScale} \( |a| \) (a length)
     * @param dupTol   vertices closer than this in both coordinates are merged
     */
    void cut(double ax, double ay, double a2, double h, int j, double tolScale, double dupTol) {
        if (h > 0 && h * h >= a2 * radius2) {
            return; // the half-plane holds the whole polygon
        }
        count = clip(ax, ay, h, j, tolScale * Math.sqrt(a2), dupTol);
        radius2 = maxRadius2();
    }

    private double maxRadius2() {
        double r2 = 0;
        for (int k = 0; k < count; k++) {
            r2 = Math.max(r2, x[k] * x[k] + y[k] * y[k]);
        }
        return r2;
    }

    /** Clips the polygon by a.u &lt;= h; returns the new vertex count (0 if empty). */
    private int clip(double ax, double ay, double h, int j, double tol, double dupTol) {
        int out = 0;
        boolean anyOut = false;
        boolean anyIn = false;
        for (int k = 0; k < count; k++) {
            double s = ax * x[k] + ay * y[k] - h;
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
            double sp = ax * x[k] + ay * y[k] - h;
            double sq = ax * x[k1] + ay * y[k1] - h;
            boolean pin = sp <= tol;
            boolean qin = sq <= tol;
            if (pin) {
                out = push(out, x[k], y[k], label[k], dupTol);
                if (!qin) {
                    double t = sp / (sp - sq);
                    t = Math.max(0, Math.min(1, t));
                    out = push(out, x[k] + t * (x[k1] - x[k]), y[k] + t * (y[k1] - y[k]), j, dupTol);
                }
            } else if (qin) {
                double t = sp / (sp - sq);
                t = Math.max(0, Math.min(1, t));
                out = push(out, x[k] + t * (x[k1] - x[k]), y[k] + t * (y[k1] - y[k]), label[k], dupTol);
            }
        }
        // a zero-length closing edge: drop the last vertex (its edge to the first has no length)
        while (out > 1 && Math.abs(tx[out - 1] - tx[0]) <= dupTol && Math.abs(ty[out - 1] - ty[0]) <= dupTol) {
            out--;
        }
        if (out < 3) {
            out = 0;
        }
        double[] sx = x;
        double[] sy = y;
        int[] sl = label;
        x = tx;
        y = ty;
        label = tl;
        tx = sx;
        ty = sy;
        tl = sl;
        return out;
    }

    /** Appends a vertex; a vertex equal to the previous one replaces the previous edge's label (zero-length edge). */
    private int push(int out, double px, double py, int lab, double dupTol) {
        if (out > 0 && Math.abs(tx[out - 1] - px) <= dupTol && Math.abs(ty[out - 1] - py) <= dupTol) {
            tl[out - 1] = lab;
            return out;
        }
        tx[out] = px;
        ty[out] = py;
        tl[out] = lab;
        return out + 1;
    }
}
