package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

/**
 * Exact integrals of a piecewise-constant density \( \rho \) (value \( v_c \) on each cell \( c \) of a grid over the
 * rectangle \( D \)) over convex polygons and segments (package-private part of {@link Tessellation}).
 *
 * <p>A polygon is clipped by every grid cell its bounding box meets, and on each piece \( \int 1, \int u,
 * \int |u|^2 \) (\( u = x - y \), centred at a given point \( y \)) are exact: fan triangulation, and the
 * edge-midpoint rule, exact for quadratics on a triangle. A segment integral \( \int_{[P,Q]} \rho\, ds \) splits the
 * segment at the grid lines. Work buffers are allocated once and reused.
 */
final class GridIntegrals {
    private final double xlo;
    private final double xhi;
    private final double ylo;
    private final double yhi;
    private final int gx;
    private final int gy;
    private final double hx;
    private final double hy;
    private final double[] values; // index i * gy + j
    // piece buffers for grid clipping
    private double[] qx;
    private double[] qy;
    private double[] rx;
    private double[] ry;
    private double[] cuts = new double[64];
    /** The integrals \( \int\rho, \int u_x\rho, \int u_y\rho, \int |u|^2\rho \) of the last {@link #polygon} call. */
    double mass;
    double momentX;
    double momentY;
    double second;

    /**
     * The density {@code values} ({@code gx * gy}, index {@code i * gy + j}, kept not copied) on the grid over
     * \( [x_{lo}, x_{hi}] \times [y_{lo}, y_{hi}] \), for polygons of up to {@code capacity} vertices.
     */
    GridIntegrals(double xlo, double xhi, double ylo, double yhi, int gx, int gy, double[] values, int capacity) {
        this.xlo = xlo;
        this.xhi = xhi;
        this.ylo = ylo;
        this.yhi = yhi;
        this.gx = gx;
        this.gy = gy;
        this.hx = (xhi - xlo) / gx;
        this.hy = (yhi - ylo) / gy;
        this.values = values;
        qx = new double[capacity];
        qy = new double[capacity];
        rx = new double[capacity];
        ry = new double[capacity];
    }

    /**
     * Integrates over the polygon with vertices {@code (vx[k], vy[k])}, {@code s <= k < e} (absolute coordinates,
     * at least 3), centred at \( (y_x, y_y) \); the results are in {@link #mass}, {@link #momentX},
     * {@link #momentY}, {@link #second}.
     */
    void polygon(double[] vx, double[] vy, int s, int e, double yx, double yy) {
        mass = 0;
        momentX = 0;
        momentY = 0;
        second = 0;
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
            accumulate(qx, qy, count, values[i0 * gy + j0]);
            return;
        }
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
                    accumulate(qx, qy, m, v);
                }
            }
        }
    }

    /** Clips (qx, qy) by sign * coordinate(axis) &lt;= bound; result back in (qx, qy). */
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

    /** Adds v * (int 1, int u, int |u|^2) over the polygon (x, y) (local coordinates) to the results. */
    private void accumulate(double[] x, double[] y, int count, double v) {
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
        mass += v * area;
        momentX += v * mx;
        momentY += v * my;
        second += v * sec;
    }

    /** \( \int_{[P,Q]} \rho\, ds \) with the segment split at the grid lines. */
    double segment(double x0, double y0, double x1, double y1) {
        double len = Math.hypot(x1 - x0, y1 - y0);
        if (len == 0) {
            return 0;
        }
        if (gx == 1 && gy == 1) {
            return len * values[0];
        }
        int m = 0;
        double[] c = cuts;
        int a0 = Math.min(cellX(x0), cellX(x1));
        int a1 = Math.max(cellX(x0), cellX(x1));
        int b0 = Math.min(cellY(y0), cellY(y1));
        int b1 = Math.max(cellY(y0), cellY(y1));
        int need = (a1 - a0) + (b1 - b0) + 2;
        if (need > c.length) {
            cuts = c = new double[2 * need];
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
