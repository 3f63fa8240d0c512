package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Semi-discrete transport on a line (package-private engine of {@link SemiDiscreteNewton} for 1-D densities).
 *
 * <p>In 1-D, \( |x - y_i|^2 - \psi_i = x^2 + \ell_i(x) \) with the lines \( \ell_i(x) = -2y_i x + y_i^2 - \psi_i \),
 * so the Laguerre cells are the pieces of the lower envelope of the lines: intervals, ordered as the points (slopes
 * \( -2y_i \) decrease as \( y_i \) grows), some possibly empty. The envelope is built by the monotone stack of the
 * convex-hull trick in \( O(n \log n) \) (sorting). The optimal cells are the quantile intervals
 * \( [F^{-1}(B_{k-1}), F^{-1}(B_k)] \) of the sorted points (\( B_k = b_{(1)} + \dots + b_{(k)} \), \( F \) the
 * density's CDF, piecewise linear; docs/closed-forms.md CF-11), and equality of the two costs at the common boundary
 * \( z_k \) gives the weights exactly: \( \psi_{(k+1)} - \psi_{(k)} = (y_{(k+1)} - y_{(k)})(y_{(k+1)} + y_{(k)} - 2z_k) \).
 */
final class SemiDiscreteLine {
    private final int n;
    private final double[] y;
    private final int[] order; // indices sorted by y
    private final double lo;
    private final double h;
    private final int cells;
    private final double[] v; // density values, total mass 1

    SemiDiscreteLine(GridDensity density, ParticleMeasure target) {
        GridDensity.Grid g = density.grid();
        this.n = target.size();
        this.y = target.flatPoints();
        this.lo = g.lower(0);
        this.h = g.cellSize(0);
        this.cells = g.cells(0);
        double m = density.mass();
        this.v = density.values();
        for (int c = 0; c < cells; c++) {
            v[c] /= m;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(y[a], y[b]));
        this.order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = idx[k];
            if (k > 0 && y[order[k]] == y[order[k - 1]]) {
                // no Arguments rule for distinct points
                throw new IllegalArgumentException("target: points " + Math.min(order[k], order[k - 1]) + " and "
                        + Math.max(order[k], order[k - 1]) + " coincide, the points must be distinct");
            }
        }
    }

    /** The optimal weights, mean zero, from the quantile boundaries. */
    double[] optimalWeights(double[] b) {
        double[] psi = new double[n];
        double cumulative = 0;
        int c = 0;
        double below = 0; // mass of the cells before c
        for (int k = 0; k + 1 < n; k++) {
            cumulative += b[order[k]];
            // F^{-1}(cumulative): the first cell whose upper end reaches the level, then linear inside it
            while (c < cells - 1 && below + v[c] * h < cumulative) {
                below += v[c] * h;
                c++;
            }
            double z;
            if (v[c] > 0) {
                z = lo + c * h + Math.min(h, Math.max(0, (cumulative - below) / v[c]));
            } else {
                z = lo + c * h;
            }
            int a = order[k];
            int bb = order[k + 1];
            psi[bb] = psi[a] + (y[bb] - y[a]) * (y[bb] + y[a] - 2 * z);
        }
        double mean = 0;
        for (double p : psi) {
            mean += p;
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            psi[i] -= mean;
        }
        return psi;
    }

    /** Masses, dual value, transport cost and centroids of the cells of {@code psi}. */
    SemiDualEvaluation evaluate(double[] psi, double[] b) {
        // lower envelope of l_i(x) = -2 y_i x + y_i^2 - psi_i, points in increasing order (decreasing slopes)
        int[] stack = new int[n];
        int top = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            while (top >= 2 && cross(stack[top - 2], i, psi) <= cross(stack[top - 2], stack[top - 1], psi)) {
                top--;
            }
            stack[top++] = i;
        }
        double hi = lo + cells * h;
        double[] mass = new double[n];
        double[] first = new double[n];
        double[] second = new double[n];
        for (int s = 0; s < top; s++) {
            int i = stack[s];
            double a = s == 0 ? lo : Math.max(lo, cross(stack[s - 1], i, psi));
            double e = s == top - 1 ? hi : Math.min(hi, cross(i, stack[s + 1], psi));
            if (!(e > a)) {
                continue;
            }
            integrate(i, a, e, mass, first, second);
        }
        double mean = 0;
        for (double p : psi) {
            mean += p;
        }
        mean /= n;
        double[] w = new double[n];
        double[] centroids = new double[n];
        double dual = 0;
        double primal = 0;
        double err = 0;
        for (int i = 0; i < n; i++) {
            w[i] = psi[i] - mean;
            dual += second[i] - w[i] * mass[i] + b[i] * w[i];
            primal += second[i];
            err = Math.max(err, Math.abs(mass[i] - b[i]));
            centroids[i] = mass[i] > 0 ? first[i] / mass[i] : y[i];
        }
        return new SemiDualEvaluation(w, mass, err, dual, primal, centroids, 1);
    }

    /** The abscissa where the costs of points a and b agree (a left of b). */
    private double cross(int a, int b, double[] psi) {
        double ca = y[a] * y[a] - psi[a];
        double cb = y[b] * y[b] - psi[b];
        return (cb - ca) / (2 * (y[b] - y[a]));
    }

    /** Adds int_a^e (1, x, (x - y_i)^2) rho dx over the grid cells met. */
    private void integrate(int i, double a, double e, double[] mass, double[] first, double[] second) {
        int c0 = Math.max(0, Math.min(cells - 1, (int) Math.floor((a - lo) / h)));
        int c1 = Math.max(0, Math.min(cells - 1, (int) Math.floor((e - lo) / h)));
        double yi = y[i];
        for (int c = c0; c <= c1; c++) {
            double l = Math.max(a, lo + c * h);
            double r = Math.min(e, c == cells - 1 ? lo + cells * h : lo + (c + 1) * h);
            if (!(r > l) || v[c] == 0) {
                continue;
            }
            mass[i] += v[c] * (r - l);
            first[i] += v[c] * 0.5 * (r - l) * (r + l);
            double dr = r - yi;
            double dl = l - yi;
            second[i] += v[c] * (dr * dr * dr - dl * dl * dl) / 3;
        }
    }
}
